//! gongshi (公示): turns a hospital's integrity-risk programme (风险岗位廉能管理) into a static
//! intranet notice. The pipeline is load → check → select audience → render → write.

pub mod audience;
pub mod build;
pub mod check;
pub mod cli;
pub mod content;
pub mod diagnostic;
pub mod model;
pub mod output;
pub mod oversight;
pub mod render;
pub mod rules;
pub mod site;

use anyhow::Result;

use crate::check::Verbosity;
use crate::cli::{Cli, Command};
use crate::site::Site;

/// Runs one command. `Ok(true)` means content errors were found (exit 1).
pub fn run(cli: &Cli, verbosity: Verbosity) -> Result<bool> {
    match &cli.command {
        Command::Check(args) => {
            let site = Site::load(&cli.root, args.year)?;
            check::run(&site, args, verbosity)
        }
        Command::Build(args) => {
            let audience = audience::Audience::parse(&args.scope)?;
            let site = Site::load(&cli.root, args.year)?;
            check::print_diagnostics(&site, cli::Format::Human, verbosity)?;
            if site.error_count() > 0 {
                eprintln!("{}", check::summary(&site));
                eprintln!(
                    "有 {} 个错误，未生成网站；原有输出保持不变。",
                    site.error_count()
                );
                return Ok(true);
            }
            let output = args
                .output
                .clone()
                .unwrap_or_else(|| cli.root.join("output"));
            let report = build::build(
                &site,
                &build::BuildOptions {
                    audience: audience.clone(),
                    output: output.clone(),
                },
            )?;
            if verbosity != Verbosity::Quiet {
                eprintln!(
                    "已生成 {} 年度公示（范围：{audience}）：{} 个页面、{} 个文件，用时 {} 毫秒 → {}",
                    site.year.number,
                    report.pages,
                    report.files,
                    report.millis,
                    output.display()
                );
            }
            Ok(false)
        }
    }
}
