//! `gongshi archive YEAR`: freeze one year's hospital-wide notice (全院) under `archive/YEAR/`,
//! exactly as a build writes it under `output/YEAR/`, so that it stays available as published
//! while later years move on (plan 修正完善提升: 转入下一年度风险管理周期).
//!
//! In: a site whose year has no content errors. Out: `archive/YEAR/` holding the year's files,
//! `archive.json` (what was archived, by which gongshi, when) and `MANIFEST.sha256` over every
//! other file, which `gongshi verify` and `sha256sum -c` both check. Builds copy the folder
//! verbatim (src/build/), so later template or content changes never alter it.

pub mod manifest;
pub(crate) mod record;
pub(crate) mod verify;

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use crate::audience::Audience;
use crate::build::memo::NoMemo;
use crate::build::sink::Folder;
use crate::check::{self, Verbosity};
use crate::cli::{ArchiveArgs, Cli, Format};
use crate::output::Staging;
use crate::render::theme::Theme;
use crate::site::{BuildJob, Purpose, Site};

pub(crate) const INFO_FILE: &str = "archive.json";

/// `archive.json`: a small record of the act of archiving (documented in docs/annual.md).
#[derive(Debug, Serialize)]
pub(crate) struct ArchiveInfo {
    pub(crate) year: u16,
    pub(crate) scope: String,
    pub(crate) gongshi_version: &'static str,
    /// The day the archive was made: today in China (`crate::clock::today`).
    pub(crate) archived_on: String,
    /// HTML pages in the archive.
    pub(crate) pages: usize,
    /// Files in the archive, this one included, the manifest not.
    pub(crate) files: usize,
}

/// What `archive` did.
#[derive(Debug)]
pub(crate) struct ArchiveReport {
    pub(crate) info: ArchiveInfo,
}

/// Renders the year for 全院 and writes it, with `archive.json` and the manifest, to `target`
/// (replacing what is there only once everything was written).
pub(crate) fn archive(site: &Site, target: &Path, progress: bool) -> Result<ArchiveReport> {
    let year = site.year.number;
    let theme = Theme::load(&site.root, &site.config.theme)?;
    let readers = Audience::Hospital.resolve(&site.year)?;
    let staging = Staging::new(target)?;
    let folder = Folder::within(&staging, &year.to_string());
    let job = BuildJob {
        readers: &readers,
        theme: &theme,
        progress,
    };
    site.build_year(&job, &NoMemo, &folder)?;
    let (pages, files) = folder.counts();
    let info = ArchiveInfo {
        year,
        scope: Audience::Hospital.label(),
        gongshi_version: env!("CARGO_PKG_VERSION"),
        archived_on: crate::clock::today()?.to_string(),
        pages,
        files: files + 1,
    };
    let mut json = serde_json::to_string_pretty(&info)?;
    json.push('\n');
    staging.write(INFO_FILE, json.as_bytes())?;
    let hashes = manifest::hash_dir(staging.path())?;
    let manifest_text = manifest::render(&hashes);
    staging.write(manifest::MANIFEST, manifest_text.as_bytes())?;
    staging
        .commit()
        .with_context(|| format!("无法写入归档 {}", target.display()))?;
    if let Some(archive_dir) = target.parent() {
        record_year(archive_dir, year, &manifest_text)?;
    }
    Ok(ArchiveReport { info })
}

/// Adds (or replaces) the year in the record of archived years (src/archive/record.rs). The
/// first record also lists the archives made before gongshi kept one, those that verify.
fn record_year(archive_dir: &Path, year: u16, manifest_text: &str) -> Result<()> {
    let mut record = match record::read(archive_dir)? {
        Some(record) => record,
        None => {
            let mut record = record::Record::new();
            for y in
                crate::build::emit::archived_years(archive_dir.parent().unwrap_or(Path::new(".")))
            {
                let dir = archive_dir.join(y.to_string());
                if y != year && verify::check_archive(&dir).is_ok_and(|c| c.is_intact()) {
                    record.insert(y, manifest::hash_file(&dir.join(manifest::MANIFEST))?);
                }
            }
            if !record.is_empty() {
                let years: Vec<String> = record.keys().map(u16::to_string).collect();
                eprintln!(
                    "已建立归档记录 archive/{}，并记入已有的归档：{}",
                    record::RECORD,
                    years.join("、")
                );
            }
            record
        }
    };
    record.insert(year, manifest::sha256_hex(manifest_text.as_bytes()));
    record::write(archive_dir, &record)
}

/// `gongshi archive YEAR [--force]`. Returns whether content errors were found.
pub(crate) fn run(cli: &Cli, args: &ArchiveArgs, verbosity: Verbosity) -> Result<bool> {
    let year = args.year;
    let target = cli.root.join("archive").join(year.to_string());
    // An archive lost by a kill mid-swap is put back before anything else is decided.
    crate::output::recover_interrupted(&target)?;
    if target.exists() && !args.force {
        bail!(
            "archive/{year}/ 已存在，未覆盖：归档保存的是 {year} 年度公示时的原样，重新归档会用现在的模板和内容替换它。\
             确需替换（例如归档时内容有误），请加 --force"
        );
    }
    let site = Site::load_for(&cli.root, Some(year), Purpose::Notice, &mut NoMemo)?;
    check::print_diagnostics(&site, Format::Human, verbosity)?;
    if site.error_count() > 0 {
        eprintln!("{}", check::summary(&site));
        eprintln!(
            "{year} 年度有 {} 个错误，未归档：归档的公示须与检查通过的内容一致。",
            site.error_count()
        );
        return Ok(true);
    }
    let progress =
        verbosity != Verbosity::Quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = archive(&site, &target, progress)?;
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "已归档 {year} 年度公示（范围：{}）：{} 个页面、{} 个文件 → {}\n\
             清单 {} 可用 gongshi verify 或在该目录中运行 sha256sum -c {} 核对。",
            report.info.scope,
            report.info.pages,
            report.info.files,
            target.display(),
            manifest::MANIFEST,
            manifest::MANIFEST,
        );
        let tally = crate::build::tally::Tally::of(
            &site.year.points,
            &crate::audience::Audience::Hospital,
            &site.config.rules,
        );
        eprintln!("{}", tally.line());
        if let Some(warning) = tally.warning() {
            eprintln!("{warning}");
        }
    }
    Ok(false)
}
