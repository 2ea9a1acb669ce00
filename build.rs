//! Build script: the version line of `gongshi --version`, as `0.1.0 (3f2a9c1d0e4b 2026-12-06)`:
//! the package version, then the git commit it was built from and that commit's date, so
//! that a hospital's IT can tell which build runs on a server.
//!
//! The commit comes from, in order: the `GONGSHI_BUILD_COMMIT` variable (for a build from a
//! source archive whose commit the packager knows), `git rev-parse` when this folder is the top
//! of a git work tree (never a parent repository's commit when the sources sit inside another
//! checkout), `.cargo_vcs_info.json` (written by `cargo package`), else nothing: the line is
//! then the bare version, `0.1.0 (commit unknown)`. Git missing or failing is never an error.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-env-changed=GONGSHI_BUILD_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = std::env::var("GONGSHI_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_owned())
        .or_else(|| from_git(&manifest_dir))
        .or_else(|| from_cargo_vcs_info(&manifest_dir));
    let line = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => format!("{version} (commit unknown)"),
    };
    println!("cargo::rustc-env=GONGSHI_VERSION={line}");
}

/// Runs git in `dir`; its trimmed stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// `SHORT-HASH DATE` of HEAD, when the manifest folder is the top of a git work tree.
fn from_git(manifest_dir: &Path) -> Option<String> {
    // A build from an unpacked archive that lies inside some other checkout must not take that
    // checkout's commit for its own.
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), manifest_dir) {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it names (a commit), and
    // packed-refs (where the branch lives after `git gc`). In a worktree these files are under
    // the main checkout's .git, which `--git-path` resolves.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in &watched {
        if let Some(path) = git(manifest_dir, &["rev-parse", "--git-path", name]) {
            let path = manifest_dir.join(path);
            if path.exists() {
                println!("cargo::rerun-if-changed={}", path.display());
            }
        }
    }
    let hash = git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])?;
    match git(manifest_dir, &["log", "-1", "--format=%cs", "HEAD"]) {
        Some(date) => Some(format!("{hash} {date}")),
        None => Some(hash),
    }
}

/// The commit `cargo package` recorded: `{"git": {"sha1": "…"}, …}`.
fn from_cargo_vcs_info(manifest_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    let start = text.find("\"sha1\"")? + "\"sha1\"".len();
    let rest = text[start..].trim_start().strip_prefix(':')?.trim_start();
    let hash: String = rest
        .strip_prefix('"')?
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(12)
        .collect();
    (hash.len() == 12).then_some(hash)
}
