//! `gongshi verify`: check every archive under `archive/` against its `MANIFEST.sha256`.
//!
//! In: the archive folders. Out: for each, the files that are missing, added or changed since it
//! was archived; any difference (or a missing or unreadable manifest) fails the command (exit 1).

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::archive::INFO_FILE;
use crate::archive::manifest::{self, MANIFEST};
use crate::check::Verbosity;
use crate::cli::Cli;

/// The outcome of checking one archive folder.
#[derive(Debug, Default)]
pub struct ArchiveCheck {
    /// The folder's name under `archive/` (normally a year).
    pub name: String,
    /// Files the manifest lists.
    pub listed: usize,
    /// Why the archive could not be checked at all (no manifest, unreadable manifest).
    pub problem: Option<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    /// Files (or folders) that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
}

impl ArchiveCheck {
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
            && self.missing.is_empty()
            && self.added.is_empty()
            && self.changed.is_empty()
            && self.unreadable.is_empty()
    }
}

/// Compares one archive folder with its manifest.
pub fn check_archive(dir: &Path) -> Result<ArchiveCheck> {
    let mut outcome = ArchiveCheck {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        ..ArchiveCheck::default()
    };
    let manifest_path = dir.join(MANIFEST);
    let text = match std::fs::metadata(&manifest_path) {
        Err(_) if std::fs::symlink_metadata(&manifest_path).is_err() => {
            outcome.problem = Some(format!("缺少 {MANIFEST}，无法核对"));
            return Ok(outcome);
        }
        Ok(meta) if !meta.is_file() => {
            outcome.problem = Some(format!("{MANIFEST} 不是文件，无法读取，无法核对"));
            return Ok(outcome);
        }
        // A link that points nowhere, or a file that cannot be read.
        _ => match std::fs::read(&manifest_path) {
            Ok(text) => text,
            Err(err) => {
                outcome.problem = Some(format!("无法读取 {MANIFEST}（{err}），无法核对"));
                return Ok(outcome);
            }
        },
    };
    let listed = match std::str::from_utf8(&text)
        .map_err(anyhow::Error::from)
        .and_then(manifest::parse)
    {
        Ok(listed) => listed,
        Err(err) => {
            outcome.problem = Some(format!("{MANIFEST} 无法解析：{err}"));
            return Ok(outcome);
        }
    };
    let hashed = manifest::hash_files(dir);
    let found = hashed.hashes;
    outcome.unreadable = hashed.unreadable;
    outcome.listed = listed.len();
    let unreadable: std::collections::HashSet<&str> =
        outcome.unreadable.iter().map(|(p, _)| p.as_str()).collect();
    for (path, hash) in &listed {
        match found.get(path) {
            // Reported as unreadable, not as missing.
            None if unreadable.contains(path.as_str()) => {}
            None => outcome.missing.push(path.clone()),
            Some(actual) if actual != hash => outcome.changed.push(path.clone()),
            Some(_) => {}
        }
    }
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
    Ok(outcome)
}

/// The archive folders under `root/archive/`, by name (hidden folders, such as an archive being
/// written, are skipped).
fn archive_dirs(root: &Path) -> Result<Vec<std::path::PathBuf>> {
    let dir = root.join("archive");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut dirs: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("无法读取 {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// `gongshi verify`. Returns whether any archive differs from its manifest.
pub fn run(cli: &Cli, verbosity: Verbosity) -> Result<bool> {
    let dirs = archive_dirs(&cli.root)?;
    if dirs.is_empty() {
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
        if let Some(problem) = &outcome.problem {
            report.push_str(&format!("  {problem}\n"));
        }
        for (label, files) in [
            ("缺失", &outcome.missing),
            ("多出", &outcome.added),
            ("改动", &outcome.changed),
        ] {
            for file in files {
                report.push_str(&format!("  {label}  archive/{name}/{file}\n"));
            }
        }
        for (file, err) in &outcome.unreadable {
            report.push_str(&format!("  无法读取  archive/{name}/{file}（{err}）\n"));
        }
    }
    crate::output::write_stdout(report.as_bytes())?;
    if failed > 0 {
        eprintln!(
            "核对了 {} 个归档：{failed} 个与清单不一致。归档应保持公示时的原样；请从备份恢复，或查明改动原因。",
            dirs.len()
        );
    } else if verbosity != Verbosity::Quiet {
        eprintln!("核对了 {} 个归档：全部完好。", dirs.len());
    }
    Ok(failed > 0)
}
