//! `gongshi verify`: check every archive under `archive/` against its `MANIFEST.sha256`, and
//! the archives themselves against the record of archived years (`archive/MANIFESTS.sha256`,
//! src/archive/record.rs).
//!
//! In: the archive folders and the record. Out: for each archive, the files that are missing,
//! added or changed since it was archived, and each recorded year that is gone or whose
//! manifest was replaced; any difference (or a missing or unreadable manifest) fails the
//! command (exit 1). Files are hashed in a stream; links and special files are reported,
//! never followed or opened.
//!
//! The same check guards publishing: `read_verified` gives a build (and the preview) an
//! archived year's files only when the year verifies, reading each file once, so that what is
//! published is exactly what was hashed (src/build/, src/serve/builder.rs).

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::archive::INFO_FILE;
use crate::archive::manifest::{self, MANIFEST};
use crate::archive::record::{self, RECORD};
use crate::check::Verbosity;
use crate::cli::Cli;
use crate::site_files::{self, Limited};

/// The largest manifest read (a 10,000-point year lists some 11,000 files: about 1.2 MB).
const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// The outcome of checking one archive folder.
#[derive(Debug, Default)]
pub(crate) struct ArchiveCheck {
    /// The folder's name under `archive/` (normally a year).
    pub(crate) name: String,
    /// Files the manifest lists.
    pub(crate) listed: usize,
    /// Why the archive could not be checked at all (no manifest, unreadable manifest).
    pub(crate) problem: Option<String>,
    pub(crate) missing: Vec<String>,
    pub(crate) added: Vec<String>,
    pub(crate) changed: Vec<String>,
    /// Files (or folders) that could not be read, with the reason.
    pub(crate) unreadable: Vec<(String, String)>,
}

impl ArchiveCheck {
    pub(crate) fn is_intact(&self) -> bool {
        self.problem.is_none()
            && self.missing.is_empty()
            && self.added.is_empty()
            && self.changed.is_empty()
            && self.unreadable.is_empty()
    }

    /// The lines under an archive that differs, as `verify` prints them.
    pub(crate) fn describe(&self) -> String {
        let name = &self.name;
        let mut out = String::new();
        if let Some(problem) = &self.problem {
            out.push_str(&format!("  {problem}\n"));
        }
        for (label, files) in [
            ("缺失", &self.missing),
            ("多出", &self.added),
            ("改动", &self.changed),
        ] {
            for file in files {
                out.push_str(&format!("  {label}  archive/{name}/{file}\n"));
            }
        }
        for (file, err) in &self.unreadable {
            out.push_str(&format!("  无法读取  archive/{name}/{file}（{err}）\n"));
        }
        out
    }
}

/// The manifest of an archive folder, its bytes and its entries, or why it cannot be used.
/// A link is not followed; a manifest must be a regular file.
pub(crate) fn read_manifest(
    dir: &Path,
) -> std::result::Result<(Vec<u8>, BTreeMap<String, String>), String> {
    let path = dir.join(MANIFEST);
    match std::fs::symlink_metadata(&path) {
        Err(_) => return Err(format!("缺少 {MANIFEST}，无法核对")),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(format!("{MANIFEST} 是符号链接，未读取，无法核对"));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(format!("{MANIFEST} 不是文件，无法读取，无法核对"));
        }
        Ok(_) => {}
    }
    let bytes = match site_files::read_limited(&path, MAX_MANIFEST_BYTES) {
        Ok(Limited::Whole(bytes)) => bytes,
        Ok(Limited::TooLarge(_)) => return Err(format!("{MANIFEST} 过大，不是 gongshi 的清单")),
        Err(err) => {
            return Err(format!(
                "无法读取 {MANIFEST}（{}），无法核对",
                err.root_cause()
            ));
        }
    };
    let listed = std::str::from_utf8(&bytes)
        .map_err(anyhow::Error::from)
        .and_then(manifest::parse)
        .map_err(|err| format!("{MANIFEST} 无法解析：{err}"))?;
    Ok((bytes, listed))
}

/// Compares what an archive folder holds (`found`: the files, or their hashes) with its
/// manifest: what is missing or added, and whether `archive.json` is listed.
fn compare<T>(
    outcome: &mut ArchiveCheck,
    listed: &BTreeMap<String, String>,
    found: &BTreeMap<String, T>,
) {
    outcome.listed = listed.len();
    let unreadable: std::collections::HashSet<&str> =
        outcome.unreadable.iter().map(|(p, _)| p.as_str()).collect();
    outcome.missing = listed
        .keys()
        .filter(|p| !found.contains_key(*p) && !unreadable.contains(p.as_str()))
        .cloned()
        .collect();
    outcome.added = found
        .keys()
        .filter(|p| !listed.contains_key(*p))
        .cloned()
        .collect();
    // An archive.json that is present but unlisted is already reported as added.
    if !listed.contains_key(INFO_FILE) && !found.contains_key(INFO_FILE) {
        outcome.problem = Some(format!(
            "{MANIFEST} 中没有 {INFO_FILE}：不是 gongshi 归档的清单"
        ));
    }
}

fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Why an archive folder is not checked at all: it is a link (an archive is a folder of
/// regular files; a link could lead anywhere).
fn linked(dir: &Path) -> Option<String> {
    std::fs::symlink_metadata(dir)
        .is_ok_and(|m| m.file_type().is_symlink())
        .then(|| "是符号链接：归档应是一个普通文件夹，未核对".to_string())
}

/// Compares one archive folder with its manifest.
pub(crate) fn check_archive(dir: &Path) -> Result<ArchiveCheck> {
    let mut outcome = ArchiveCheck {
        name: folder_name(dir),
        ..ArchiveCheck::default()
    };
    if let Some(problem) = linked(dir) {
        outcome.problem = Some(problem);
        return Ok(outcome);
    }
    let listed = match read_manifest(dir) {
        Ok((_, listed)) => listed,
        Err(problem) => {
            outcome.problem = Some(problem);
            return Ok(outcome);
        }
    };
    let hashed = manifest::hash_files(dir);
    outcome.unreadable = hashed.unreadable;
    compare(&mut outcome, &listed, &hashed.hashes);
    outcome.changed = listed
        .iter()
        .filter(|(path, hash)| hashed.hashes.get(*path).is_some_and(|h| h != *hash))
        .map(|(path, _)| path.clone())
        .collect();
    Ok(outcome)
}

/// The largest file of an archive read for publishing.
const MAX_ARCHIVED_FILE: u64 = 512 * 1024 * 1024;

/// Gives `each` every file of an archived year (`/`-separated relative path and bytes, the
/// manifest last) once the year verifies as `verify` would have it: its manifest readable and
/// listing `archive.json`, no file missing, none unlisted, no link or special file, every
/// file's hash as listed. Each file is read once, hashed and handed on, so what is published
/// is what was verified. Otherwise an error names the year and every difference: a build is
/// refused rather than publish a year that does not verify (a link in an archive to
/// /etc/passwd was published, and served).
pub(crate) fn read_verified(
    dir: &Path,
    each: &mut dyn FnMut(&str, Vec<u8>) -> Result<()>,
) -> Result<()> {
    let mut outcome = ArchiveCheck {
        name: folder_name(dir),
        ..ArchiveCheck::default()
    };
    let refuse = |outcome: &ArchiveCheck| {
        anyhow::anyhow!(
            "archive/{} 与清单不一致，不能发布：\n{}请运行 gongshi verify 查看；从备份恢复该归档（或查明改动原因）后再生成",
            outcome.name,
            outcome.describe()
        )
    };
    if let Some(problem) = linked(dir) {
        outcome.problem = Some(problem);
        return Err(refuse(&outcome));
    }
    let (manifest_bytes, listed) = match read_manifest(dir) {
        Ok(manifest) => manifest,
        Err(problem) => {
            outcome.problem = Some(problem);
            return Err(refuse(&outcome));
        }
    };
    let files: BTreeMap<String, PathBuf> = manifest::list_files(dir, &mut outcome.unreadable)
        .into_iter()
        .collect();
    compare(&mut outcome, &listed, &files);
    if !outcome.is_intact() {
        return Err(refuse(&outcome));
    }
    for (rel, path) in &files {
        let mut bytes = Vec::new();
        site_files::open_regular(path)?
            .take(MAX_ARCHIVED_FILE)
            .read_to_end(&mut bytes)
            .with_context(|| format!("无法读取 {}", path.display()))?;
        if Some(&manifest::sha256_hex(&bytes)) != listed.get(rel) {
            outcome.changed.push(rel.clone());
            return Err(refuse(&outcome));
        }
        each(rel, bytes)?;
    }
    each(MANIFEST, manifest_bytes)
}

/// The archive folders under `root/archive/`, by name, with links to folders (reported, since
/// an archive must not be one). Hidden folders, such as an archive being written, are skipped.
fn archive_dirs(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join("archive");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut dirs: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("无法读取 {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// What the record says of the archives present: the lines to print for each recorded year
/// that is missing or whose manifest is not the one recorded, and for each folder the record
/// does not know. Empty when the record and the folders agree.
fn record_differences(root: &Path, dirs: &[PathBuf], record: &record::Record) -> Vec<String> {
    let mut out = Vec::new();
    let present: BTreeMap<String, &PathBuf> = dirs.iter().map(|d| (folder_name(d), d)).collect();
    for (year, hash) in record {
        let Some(dir) = present.get(&year.to_string()) else {
            let target = root.join("archive").join(year.to_string());
            let mut line = format!(
                "archive/{year}：缺失（归档记录 archive/{RECORD} 中有 {year} 年度，文件夹不见了）"
            );
            if let Some(copy) = crate::output::interrupted_copies(&target).first() {
                line.push_str(&format!(
                    "\n  中断的替换留下了 {}，其中可能是它：运行 gongshi archive {year} 可恢复",
                    copy.display()
                ));
            }
            out.push(line);
            continue;
        };
        match manifest::hash_file(&dir.join(MANIFEST)) {
            Ok(actual) if actual == *hash => {}
            Ok(_) => out.push(format!(
                "archive/{year}：{MANIFEST} 与归档记录不一致（清单被改动或替换过）"
            )),
            // The folder's own check reports why the manifest cannot be read.
            Err(_) => {}
        }
    }
    for name in present.keys() {
        if !name.parse::<u16>().is_ok_and(|y| record.contains_key(&y)) {
            out.push(format!(
                "archive/{name}：不在归档记录 archive/{RECORD} 中（不是 gongshi archive 归档的？）"
            ));
        }
    }
    out
}

/// `gongshi verify`. Returns whether any archive differs from its manifest, or the archives
/// from the record.
pub(crate) fn run(cli: &Cli, verbosity: Verbosity) -> Result<bool> {
    let dirs = archive_dirs(&cli.root)?;
    let record = record::read(&cli.root.join("archive"))?;
    if dirs.is_empty() && record.as_ref().is_none_or(|r| r.is_empty()) {
        if verbosity != Verbosity::Quiet {
            eprintln!(
                "{} 下没有归档（用 gongshi archive YEAR 归档一个年度）",
                cli.root.join("archive").display()
            );
        }
        return Ok(false);
    }
    let mut failed = 0;
    let mut report = String::new();
    for dir in &dirs {
        let outcome = check_archive(dir)?;
        let name = &outcome.name;
        if outcome.is_intact() {
            if verbosity != Verbosity::Quiet {
                report.push_str(&format!(
                    "archive/{name}：完好（{} 个文件与清单一致）\n",
                    outcome.listed
                ));
            }
            continue;
        }
        failed += 1;
        report.push_str(&format!("archive/{name}：与清单不一致\n"));
        report.push_str(&outcome.describe());
    }
    let differences = match &record {
        Some(record) => record_differences(&cli.root, &dirs, record),
        None => Vec::new(),
    };
    for line in &differences {
        report.push_str(line);
        report.push('\n');
    }
    crate::output::write_stdout(report.as_bytes())?;
    if record.is_none() && verbosity != Verbosity::Quiet {
        eprintln!(
            "提示：没有归档记录 archive/{RECORD}（较早的 gongshi 归档时不写）：整个缺失的年度无法发现。下次 gongshi archive 时会建立。"
        );
    }
    if failed > 0 || !differences.is_empty() {
        eprintln!(
            "核对了 {} 个归档：{failed} 个与清单不一致{}。归档应保持公示时的原样；请从备份恢复，或查明改动原因。",
            dirs.len(),
            if differences.is_empty() {
                String::new()
            } else {
                format!("，{} 处与归档记录不符", differences.len())
            }
        );
        return Ok(true);
    }
    if verbosity != Verbosity::Quiet {
        eprintln!("核对了 {} 个归档：全部完好。", dirs.len());
    }
    Ok(false)
}
