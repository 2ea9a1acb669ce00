//! The record of archived years, `archive/MANIFESTS.sha256`: one line per archived year with the
//! sha256 of that year's manifest, in `sha256sum` format (`HASH  2022/MANIFEST.sha256`), so
//! that `cd archive && sha256sum -c MANIFESTS.sha256` checks it without gongshi.
//!
//! Why: `verify` checked the folders it found, so an archive that was gone entirely (lost by a
//! kill mid-swap, or deleted) left nothing to check, and `verify` said 全部完好. With the
//! record it knows which years were archived and reports a missing one; and since the record
//! holds each manifest's own hash, a manifest rewritten to match changed files is caught as
//! well, as long as the record was not rewritten too.
//!
//! In: the archive folder. Out: the recorded years with their manifests' hashes; `archive`
//! adds or replaces a year's line (the file is replaced atomically).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::archive::manifest::{self, MANIFEST};
use crate::site_files::{self, Limited};

/// The record's file name, in `archive/`.
pub(crate) const RECORD: &str = "MANIFESTS.sha256";

/// Archived years and the sha256 of each one's manifest.
pub(crate) type Record = BTreeMap<u16, String>;

/// The record under `archive_dir`, or `None` when there is none yet (archives made before
/// gongshi kept one). A record that is not a regular file, or does not parse, is an error.
pub(crate) fn read(archive_dir: &Path) -> Result<Option<Record>> {
    let path = archive_dir.join(RECORD);
    match std::fs::symlink_metadata(&path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("无法读取 {}", path.display())),
        Ok(meta) if !meta.is_file() => {
            bail!("{} 不是普通文件，无法读取归档记录", path.display())
        }
        Ok(_) => {}
    }
    let bytes = match site_files::read_limited(&path, 1024 * 1024)? {
        Limited::Whole(bytes) => bytes,
        Limited::TooLarge(_) => bail!("{} 过大，不是 gongshi 的归档记录", path.display()),
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} 不是 UTF-8 文本，无法读取归档记录", path.display()))?;
    let mut record = Record::new();
    for (file, hash) in
        manifest::parse(&text).with_context(|| format!("{} 无法解析", path.display()))?
    {
        let year = file
            .strip_suffix(&format!("/{MANIFEST}"))
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse::<u16>().ok());
        match year {
            Some(year) => {
                record.insert(year, hash);
            }
            None => bail!("{} 中有一行不是年度清单：{file}", path.display()),
        }
    }
    Ok(Some(record))
}

/// The record's text.
fn render(record: &Record) -> String {
    let entries: BTreeMap<String, String> = record
        .iter()
        .map(|(year, hash)| (format!("{year}/{MANIFEST}"), hash.clone()))
        .collect();
    manifest::render(&entries)
}

/// Writes `record` under `archive_dir`, replacing the file in one step.
pub(crate) fn write(archive_dir: &Path, record: &Record) -> Result<()> {
    crate::output::replace_file(&archive_dir.join(RECORD), render(record).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_lines() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        let record: Record = [(2021, "a".repeat(64)), (2022, "b".repeat(64))].into();
        write(dir.path(), &record).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(RECORD)).unwrap(),
            format!(
                "{}  2021/MANIFEST.sha256\n{}  2022/MANIFEST.sha256\n",
                "a".repeat(64),
                "b".repeat(64)
            )
        );
        assert_eq!(read(dir.path()).unwrap(), Some(record));
        std::fs::write(
            dir.path().join(RECORD),
            format!("{}  2022/index.html\n", "c".repeat(64)),
        )
        .unwrap();
        assert!(read(dir.path()).is_err());
    }
}
