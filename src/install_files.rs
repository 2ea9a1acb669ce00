//! The files an installer puts beside the binary: shell completions (`gongshi completions
//! SHELL`) and man pages (`gongshi man`). Both are generated at run time from the clap
//! definition of src/cli.rs, so they always say what this binary's `--help` says (in whatever
//! language its help is written) and cannot drift from it. dist/deb.sh installs them.
//!
//! In: the parsed `completions`/`man` options. Out: the script or roff page on stdout, or, with
//! `man --dir`, one page per command written into a folder.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;

use crate::check::Verbosity;
use crate::cli::{Cli, CompletionsArgs, ManArgs};

/// The name the completions and the pages use: the installed binary's.
const BIN_NAME: &str = "gongshi";

/// `gongshi completions SHELL`: the completion script on stdout.
pub fn completions(args: &CompletionsArgs) -> Result<bool> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), BIN_NAME, &mut out);
    write_stdout(&out)?;
    Ok(false)
}

/// `gongshi man [--dir DIR]`: the top page on stdout, or every page into DIR.
pub fn man(args: &ManArgs, verbosity: Verbosity) -> Result<bool> {
    match &args.dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .context("生成手册页失败")?;
            write_stdout(&out)?;
        }
        Some(dir) => {
            let pages = write_pages(dir)?;
            if verbosity != Verbosity::Quiet {
                eprintln!("已在 {} 写入 {pages} 个手册页", dir.display());
            }
        }
    }
    Ok(false)
}

/// Writes gongshi.1 and a page for every visible subcommand (gongshi-build.1, gongshi-new-risk.1
/// …) into `dir`, creating it. Returns how many pages were written.
fn write_pages(dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("无法在 {} 写入手册页", dir.display()))?;
    Ok(page_count(&Cli::command().disable_help_subcommand(true)))
}

/// How many pages `clap_mangen::generate_to` writes: one per command, hidden ones left out.
fn page_count(cmd: &clap::Command) -> usize {
    1 + cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(page_count)
        .sum::<usize>()
}

/// Writes all of `bytes` to stdout; a closed pipe (`gongshi man | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("无法写入标准输出"),
    }
}
