//! `gongshi build`: load and check, resolve the audience, render every page into a staging
//! folder and swap it in (src/site.rs runs the stages; they live in this folder).
//!
//! - `prepare.rs`: the audience's view, the bodies, the year's information, the charts and
//!   the 较上年变化 data;
//! - `bodies.rs`: Markdown bodies with their flow diagrams, and the search records;
//! - `emit.rs`: the pages, the ledger, the search index, the root pages and the archived
//!   years, handed to a sink;
//! - `print.rs`: the office's print page of a department, its forms drawn one after another;
//! - `sink.rs`: where files go (a staging folder, or memory for the preview);
//! - `memo.rs`: the seam through which the preview reuses what it made before;
//! - `internal.rs`: where the office's build and a build with drafts go (never `output/`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::audience::{Audience, Readers};
use crate::output::Staging;
use crate::render::theme::Theme;
use crate::search::SearchDoc;
use crate::site::{BuildJob, Purpose, Site};

pub(crate) mod bodies;
pub(crate) mod emit;
pub(crate) mod internal;
pub(crate) mod memo;
pub(crate) mod prepare;
pub(crate) mod print;
pub(crate) mod sink;
pub(crate) mod tally;

use memo::NoMemo;
use sink::Folder;

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub readers: Readers,
    pub output: PathBuf,
    /// Show a progress bar (a terminal, not `-q`, and a large site).
    pub progress: bool,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub pages: usize,
    pub(crate) files: usize,
    pub(crate) points: usize,
    pub(crate) millis: u128,
}

/// `gongshi build`: load and check; on errors print them and leave the output untouched;
/// otherwise build. Returns whether content errors were found.
pub(crate) fn run(
    cli: &crate::cli::Cli,
    args: &crate::cli::BuildArgs,
    verbosity: crate::check::Verbosity,
) -> Result<bool> {
    use crate::check::{self, Verbosity};
    let output = args.output.clone().unwrap_or_else(|| {
        cli.root
            .join(internal::default_output(&args.scope, args.drafts))
    });
    // Usage errors first, before a screenful of diagnostics hides them.
    crate::output::refuse_site_sources(&cli.root, &output)?;
    crate::output::recover_interrupted(&output)?;
    if internal::is_internal(&args.scope, args.drafts) {
        internal::refuse_public_output(&cli.root, &output)?;
    }
    let site = Site::load_for(&cli.root, args.year, Purpose::Notice, &mut NoMemo)?;
    let readers = args.scope.resolve(&site.year)?.with_drafts(args.drafts);
    check::print_diagnostics(&site, crate::cli::Format::Human, verbosity)?;
    if site.error_count() > 0 {
        eprintln!("{}", check::summary(&site));
        eprintln!(
            "有 {} 个错误，未生成网站；原有输出保持不变。",
            site.error_count()
        );
        return Ok(true);
    }
    // After the content check, so that content errors still exit 1 whatever the output holds.
    if args.output.is_some() && !args.force {
        crate::output::refuse_foreign_output(&cli.root, &output)?;
    }
    let progress =
        verbosity != Verbosity::Quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let tally = tally::Tally::of(&site.year.points, &readers.audience, &site.config.rules);
    let internal = readers.drafts;
    let report = build(
        &site,
        &BuildOptions {
            readers,
            output: output.clone(),
            progress,
        },
    )?;
    if verbosity != Verbosity::Quiet {
        let what = if internal {
            "内部工作版，不得公开"
        } else {
            "公示"
        };
        eprintln!(
            "已生成 {} 年度{what}（范围：{}{}）：{} 个页面、{} 个文件，用时 {} 毫秒 → {}",
            site.year.number,
            args.scope,
            if args.drafts { "，含草稿" } else { "" },
            report.pages,
            report.files,
            report.millis,
            output.display()
        );
        // The last word: how much of the year the notice shows.
        eprintln!("{}", tally.line());
        // An internal build shows every point whatever its notice holds.
        if let Some(warning) = tally.warning().filter(|_| !internal) {
            eprintln!("{warning}");
        }
    }
    Ok(false)
}

/// Builds the site into `options.output`. The caller has checked that the site has no errors
/// and loaded it for its notice (`Purpose::Notice`).
pub fn build(site: &Site, options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    // `run` has refused this already; a library caller gets the same protection.
    crate::output::refuse_site_sources(&site.root, &options.output)?;
    let theme = Theme::load(&site.root, &site.config.theme)?;
    // Pages are written into the staging folder as they are rendered; a failure drops the
    // staging folder and leaves the previous output as it was.
    let staging = Staging::new(&options.output)?;
    let folder = Folder::new(&staging);
    let job = BuildJob {
        readers: &options.readers,
        theme: &theme,
        progress: options.progress,
    };
    site.build(&job, &NoMemo, &folder)?;
    let (pages, files) = folder.counts();
    staging.commit()?;
    crate::timings::phase("输出已替换");
    crate::timings::report_templates();
    Ok(BuildReport {
        pages,
        files,
        points: site.year.points.len(),
        millis: start.elapsed().as_millis(),
    })
}

/// The search index's records for `audience`, exactly as `build` makes them, without drawing
/// any page (the search benchmark measures the example site with them).
pub fn year_search_docs(site: &Site, audience: &Audience) -> Result<Vec<SearchDoc>> {
    let readers = audience.resolve(&site.year)?;
    let prepared = prepare::prepare(site, &readers, &NoMemo)?;
    Ok(bodies::search_docs(
        &prepared.view.points,
        &prepared.point_texts,
    ))
}

pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(to).with_context(|| format!("无法创建 {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("无法读取 {}", from.display()))?
    {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).with_context(|| format!("无法复制 {}", src.display()))?;
        }
    }
    Ok(())
}
