//! The sha256 manifest of an archive (`MANIFEST.sha256`), in the format of GNU `sha256sum`, so
//! that `sha256sum -c MANIFEST.sha256` run inside `archive/YEAR/` checks it without gongshi.
//!
//! In: the files of an archive folder. Out: the manifest text, or the parsed entries of one.
//! Lines are `HASH  relative/path` (two spaces: text mode, which is binary on every system
//! that runs sha256sum), sorted by path, `/` separators. A path holding a backslash or a line
//! break is written the way sha256sum writes it: the line starts with `\` and the path escapes
//! `\\`, `\n` and `\r`. The manifest cannot hash itself, so it is never listed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use sha2::{Digest as _, Sha256};

pub(crate) const MANIFEST: &str = "MANIFEST.sha256";

/// Lower-case hex sha256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of a regular file, read in 64 KiB pieces (a 3 GB file took 3 GB of memory when
/// read whole). A FIFO or a device is refused by its handle (src/site_files.rs), never read.
pub(crate) fn hash_file(path: &Path) -> Result<String> {
    use std::io::Read as _;
    let mut file = crate::site_files::open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file
            .read(&mut buffer)
            .with_context(|| format!("无法读取 {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// What walking and hashing an archive folder found: every file's hash by `/`-separated
/// relative path, and what could not be read (a file or a folder, with the reason). The walk
/// never stops at the first unreadable entry, so `verify` can name them all.
#[derive(Debug, Default)]
pub(crate) struct Hashed {
    pub(crate) hashes: BTreeMap<String, String>,
    pub(crate) unreadable: Vec<(String, String)>,
}

/// Why an entry of an archive is not read, if it is not a folder or a regular file: gongshi
/// writes nothing else into an archive, and a link could lead anywhere (`/dev/zero`, endless;
/// `/etc/passwd`, which a build would publish).
pub(crate) fn not_a_file(kind: std::fs::FileType) -> Option<&'static str> {
    if kind.is_dir() || kind.is_file() {
        return None;
    }
    Some(if kind.is_symlink() {
        "是符号链接：归档中只应有普通文件，未读取"
    } else {
        "不是普通文件（命名管道、设备等），未读取"
    })
}

/// The files under `dir` (recursively), by `/`-separated relative path, except the manifest at
/// its top, in no particular order; entries that are neither folders nor regular files (links
/// included, which are not followed) and folders that cannot be listed go to `unreadable`.
/// Hidden files are listed too: anything in an archive must be accounted for.
pub(crate) fn list_files(
    dir: &Path,
    unreadable: &mut Vec<(String, String)>,
) -> Vec<(String, PathBuf)> {
    fn walk(
        dir: &Path,
        prefix: &str,
        out: &mut Vec<(String, PathBuf)>,
        unreadable: &mut Vec<(String, String)>,
    ) {
        let shown = if prefix.is_empty() { "." } else { prefix };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                unreadable.push((shown.to_string(), err.to_string()));
                return;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    unreadable.push((shown.to_string(), err.to_string()));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => walk(&entry.path(), &rel, out, unreadable),
                Ok(kind) => match not_a_file(kind) {
                    Some(why) => unreadable.push((rel, why.to_string())),
                    None if rel == MANIFEST => {}
                    None => out.push((rel, entry.path())),
                },
                Err(err) => unreadable.push((rel, err.to_string())),
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out, unreadable);
    out
}

/// Every file under `dir` (recursively) with its hash, except the manifest at its top (see
/// `list_files`: links and special files are unreadable, never followed or opened). Files are
/// hashed in a stream.
pub(crate) fn hash_files(dir: &Path) -> Hashed {
    let mut out = Hashed::default();
    for (rel, path) in list_files(dir, &mut out.unreadable) {
        match hash_file(&path) {
            Ok(hash) => {
                out.hashes.insert(rel, hash);
            }
            Err(err) => out
                .unreadable
                .push((rel, format!("{:#}", err.root_cause()))),
        }
    }
    out.unreadable.sort();
    out
}

/// The hashes of every file under `dir` (see `hash_files`); any unreadable entry is an error.
pub fn hash_dir(dir: &Path) -> Result<BTreeMap<String, String>> {
    let hashed = hash_files(dir);
    if let Some((rel, err)) = hashed.unreadable.first() {
        bail!("无法读取 {}：{err}", dir.join(rel).display());
    }
    Ok(hashed.hashes)
}

/// The manifest text for these (path → hash) entries, sorted by path.
pub fn render(entries: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, hash) in entries {
        if path.contains(['\\', '\n', '\r']) {
            let escaped = path
                .replace('\\', "\\\\")
                .replace('\n', "\\n")
                .replace('\r', "\\r");
            out.push_str(&format!("\\{hash}  {escaped}\n"));
        } else {
            out.push_str(&format!("{hash}  {path}\n"));
        }
    }
    out
}

fn unescape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses a manifest written by `render` (or by `sha256sum`, text or binary mode).
pub(crate) fn parse(text: &str) -> Result<BTreeMap<String, String>> {
    let mut entries = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (escaped, line) = match line.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        let Some((hash, path)) = line
            .split_once("  ")
            .or_else(|| line.split_once(" *"))
            .filter(|(h, _)| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            bail!("{MANIFEST} 第 {} 行格式不对：“{line}”", i + 1);
        };
        let path = if escaped {
            unescape(path)
        } else {
            path.to_string()
        };
        entries.insert(path, hash.to_ascii_lowercase());
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hash() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn round_trips_sorted_and_escaped() {
        let entries: BTreeMap<String, String> = [
            ("b/x.html".to_string(), "a".repeat(64)),
            ("a\\b\nc".to_string(), "b".repeat(64)),
            ("index.html".to_string(), "c".repeat(64)),
        ]
        .into_iter()
        .collect();
        let text = render(&entries);
        assert_eq!(
            text,
            format!(
                "\\{}  a\\\\b\\nc\n{}  b/x.html\n{}  index.html\n",
                "b".repeat(64),
                "a".repeat(64),
                "c".repeat(64)
            )
        );
        assert_eq!(parse(&text).unwrap(), entries);
    }

    #[test]
    fn rejects_a_malformed_line() {
        let err = parse("not a hash  x\n").unwrap_err().to_string();
        assert!(err.contains("第 1 行"), "{err}");
    }
}
