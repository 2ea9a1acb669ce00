//! The sha256 manifest of an archive (`MANIFEST.sha256`), in the format of GNU `sha256sum`, so
//! that `sha256sum -c MANIFEST.sha256` run inside `archive/YEAR/` checks it without gongshi.
//!
//! In: the files of an archive folder. Out: the manifest text, or the parsed entries of one.
//! Lines are `HASH  relative/path` (two spaces: text mode, which is binary on every system
//! that runs sha256sum), sorted by path, `/` separators. A path holding a backslash or a line
//! break is written the way sha256sum writes it: the line starts with `\` and the path escapes
//! `\\`, `\n` and `\r`. The manifest cannot hash itself, so it is never listed.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use sha2::{Digest as _, Sha256};

pub const MANIFEST: &str = "MANIFEST.sha256";

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What walking and hashing an archive folder found: every file's hash by `/`-separated
/// relative path, and what could not be read (a file or a folder, with the reason). The walk
/// never stops at the first unreadable entry, so `verify` can name them all.
#[derive(Debug, Default)]
pub struct Hashed {
    pub hashes: BTreeMap<String, String>,
    pub unreadable: Vec<(String, String)>,
}

/// Every file under `dir` (recursively) with its hash, except the manifest at its top. Hidden
/// files are listed too: anything in an archive must be accounted for. Symbolic links are not
/// followed into folders (a link to a folder cannot be hashed, and is unreadable); a link to a
/// file is hashed by what it points at, as `sha256sum` does.
pub fn hash_files(dir: &Path) -> Hashed {
    fn walk(dir: &Path, prefix: &str, out: &mut Hashed) {
        let shown = if prefix.is_empty() { "." } else { prefix };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                out.unreadable.push((shown.to_string(), err.to_string()));
                return;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    out.unreadable.push((shown.to_string(), err.to_string()));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(&entry.path(), &rel, out);
            } else if rel != MANIFEST {
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        out.hashes.insert(rel, sha256_hex(&bytes));
                    }
                    Err(err) => out.unreadable.push((rel, err.to_string())),
                }
            }
        }
    }
    let mut out = Hashed::default();
    walk(dir, "", &mut out);
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
pub fn parse(text: &str) -> Result<BTreeMap<String, String>> {
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
