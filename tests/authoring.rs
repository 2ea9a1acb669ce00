//! The authoring commands end to end, on temporary folders: `init`, `new risk|dept|year`,
//! `fmt` (idempotent, meaning-preserving, comments and flow diagrams untouched) and
//! `check --fix` (the alias and the missing grade, and not one byte more).
//!
//! This file holds the small helpers (run the binary, copy a site, compare bytes); one
//! submodule per command holds the tests.

mod fix;
mod fmt;
mod init;
mod new;

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::harness::Gongshi;

/// The date every command of these tests sees as today.
pub const TODAY: &str = "2025-05-30";

pub use crate::harness::Run;

/// `gongshi ARGS` in `dir`, with `today` as today's date.
#[track_caller]
pub fn gongshi_on(dir: &Path, today: &str, args: &[&str]) -> Run {
    Gongshi::new()
        .current_dir(dir)
        .env("GONGSHI_TODAY", today)
        .args(args)
        .run()
}

#[track_caller]
pub fn gongshi(dir: &Path, args: &[&str]) -> Run {
    gongshi_on(dir, TODAY, args)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub use crate::support::files::read_tree as files;

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> String {
    read(&manifest_dir().join("tests/fixtures/authoring").join(name))
}

pub use crate::support::files::example_site;

/// A fresh site from `init`, in `<tmp>/site`.
pub fn init_site() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    gongshi(tmp.path(), &["init", "site", "--name", "测试医院"]).succeeds();
    let root = tmp.path().join("site");
    (tmp, root)
}

pub fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Replaces one whole line (`from`, without its line end) by `to`, which must occur once.
pub fn set_line(path: &Path, from: &str, to: &str) {
    let text = read(path);
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(
        lines.iter().filter(|l| **l == from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    let replaced: Vec<&str> = lines
        .iter()
        .map(|l| if *l == from { to } else { l })
        .collect();
    std::fs::write(path, replaced.join("\n")).unwrap();
}
