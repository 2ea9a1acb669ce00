//! A small fluent harness for running `gongshi` on a site (after mdBook's `book_test` and
//! just's `tests/test.rs`).
//!
//! In: a fixture under `tests/fixtures/` (laid over the shared valid site `base`) or files given
//! inline. Out: the real binary's exit code, stdout and stderr, with assertions that read as the
//! test's claim: `Site::fixture("grading").check().fails().has(…)`.
//!
//! Every site lives in its own temporary folder, so tests run in parallel and never touch the
//! fixtures themselves. The temporary path is replaced by `[ROOT]` in all captured text.

#![allow(
    dead_code,
    reason = "each test module uses the part of the harness it needs"
)]

use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::support::files::copy_tree;

/// The folder holding every fixture.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// How long one run of the binary may take before the test calls it a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// One run of the real binary, as every test starts it: `gongshi ARGS` with `NO_COLOR=1`,
/// stdin closed, stdout and stderr captured; a run that takes longer than [`TIMEOUT`] is
/// killed and fails the test at the caller's line. [`Site::run`] is the usual way in; this is
/// for the runs a `Site` does not describe (another working folder, an environment variable).
#[must_use = "a command does nothing until `run`"]
pub struct Gongshi {
    command: Command,
    /// Replaced by `[ROOT]` in the captured text.
    mask: Option<String>,
}

impl Default for Gongshi {
    fn default() -> Self {
        Gongshi::new()
    }
}

impl Gongshi {
    pub fn new() -> Gongshi {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gongshi"));
        command
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Gongshi {
            command,
            mask: None,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Gongshi {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Gongshi
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Sets an environment variable of the run.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Gongshi {
        self.command.env(key, value);
        self
    }

    /// Leaves a variable of the test's own environment out of the run.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Gongshi {
        self.command.env_remove(key);
        self
    }

    /// The working folder of the run (the test's own by default).
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Gongshi {
        self.command.current_dir(dir);
        self
    }

    /// Writes `[ROOT]` for `root` in the captured text.
    pub fn masking(mut self, root: &Path) -> Gongshi {
        self.mask = Some(root.display().to_string());
        self
    }

    /// Runs it to the end, or panics at the caller's line when it cannot start or hangs.
    #[track_caller]
    pub fn run(mut self) -> Run {
        let mut child = match self.command.spawn() {
            Ok(child) => child,
            Err(e) => panic!("cannot start gongshi: {e}"),
        };
        // Drain both pipes on threads so a chatty child cannot block on a full pipe.
        let out = drain(child.stdout.take());
        let err = drain(child.stderr.take());
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "gongshi did not finish within {TIMEOUT:?} (a hang): {:?}",
                        self.command
                    );
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("waiting for gongshi: {e}"),
            }
        };
        let text = |pipe: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
            let bytes = pipe
                .join()
                .unwrap_or_else(|_| panic!("a pipe of gongshi"))
                .unwrap_or_else(|e| panic!("reading gongshi's output: {e}"));
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match &self.mask {
                Some(root) => text.replace(root.as_str(), "[ROOT]"),
                None => text,
            }
        };
        Run {
            code: status.code(),
            stdout: text(out),
            stderr: text(err),
            elapsed: start.elapsed(),
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
fn drain(
    pipe: Option<impl Read + Send + 'static>,
) -> std::thread::JoinHandle<std::io::Result<Vec<u8>>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_end(&mut buf)?;
        }
        Ok(buf)
    })
}

/// A site in a temporary folder.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

impl Site {
    /// An empty site folder: nothing, not even `site.yaml`.
    pub fn new() -> Site {
        Site {
            dir: tempfile::Builder::new()
                .prefix("gongshi-test-")
                .tempdir()
                .expect("a temporary folder"),
        }
    }

    /// The shared valid site: three departments, the hospital level, points of every level and
    /// grade, all approved. `check` finds nothing in it (see `check_valid.rs`).
    pub fn base() -> Site {
        let site = Site::new();
        copy_tree(&fixtures_dir().join("base"), site.root());
        site
    }

    /// The base site with `tests/fixtures/NAME/` laid over it: a fixture only holds the files
    /// that it adds or changes.
    #[track_caller]
    pub fn fixture(name: &str) -> Site {
        let site = Site::base();
        let dir = fixtures_dir().join(name);
        assert!(dir.is_dir(), "no fixture folder {}", dir.display());
        copy_tree(&dir, site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes (or overwrites) a file, creating its folders.
    #[track_caller]
    pub fn file(self, rel: &str, text: &str) -> Site {
        self.bytes(rel, text.as_bytes())
    }

    #[track_caller]
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        if let Err(e) = std::fs::write(&path, bytes) {
            panic!("{}: {e}", path.display());
        }
        self
    }

    #[track_caller]
    pub fn remove(self, rel: &str) -> Site {
        let path = self.path(rel);
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if let Err(e) = removed {
            panic!("{}: {e}", path.display());
        }
        self
    }

    /// The text of a file of the site.
    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }

    /// Replaces the one occurrence of `from` in a file. Panics when `from` is absent or not
    /// unique, so that a stale edit cannot silently leave the file valid.
    #[track_caller]
    pub fn replace(self, rel: &str, from: &str, to: &str) -> Site {
        let text = self.read(rel);
        let count = text.matches(from).count();
        assert_eq!(
            count, 1,
            "{rel}: expected `{from}` exactly once, found {count}"
        );
        let new = text.replacen(from, to, 1);
        self.file(rel, &new)
    }

    /// Deletes the one line of a file equal to `line` (without its newline).
    #[track_caller]
    pub fn delete_line(self, rel: &str, line: &str) -> Site {
        self.replace(rel, &format!("\n{line}\n"), "\n")
    }

    /// Runs the real binary on this site: `gongshi --root <site> ARGS`, with `NO_COLOR=1`; the
    /// site's path reads `[ROOT]` in the captured text.
    #[track_caller]
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Gongshi::new()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .masking(self.root())
            .run()
    }

    /// `gongshi check --format json`.
    #[track_caller]
    pub fn check(&self) -> Run {
        self.run(["check", "--format", "json"])
    }

    /// `gongshi check` with human output.
    #[track_caller]
    pub fn check_human(&self) -> Run {
        self.run(["check"])
    }

    /// The library's view of the same site: `Site::load(root, None)`.
    pub fn load(&self) -> gongshi::site::Site {
        gongshi::site::Site::load(self.root(), None).expect("the site loads")
    }
}

/// A diagnostic's severity, as the JSON output spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

pub use Severity::{Error, Warning};

/// One element of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diag {
    pub rule: String,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(default)]
    pub hint: Option<String>,
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{:?}] {}:{}:{} {}",
            self.rule, self.severity, self.file, self.line, self.column, self.message
        )
    }
}

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit {:?} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

impl Run {
    #[track_caller]
    pub fn exit(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "wrong exit code: {self:?}");
        self
    }

    /// Exit 0.
    #[track_caller]
    pub fn succeeds(self) -> Run {
        self.exit(0)
    }

    /// Exit 1: content errors.
    #[track_caller]
    pub fn fails(self) -> Run {
        self.exit(1)
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks `{needle}`: {self:?}"
        );
        self
    }

    #[track_caller]
    pub fn stderr_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr has `{needle}`: {self:?}"
        );
        self
    }

    /// Stdout parsed as the one JSON array of `check --format json`.
    #[track_caller]
    pub fn stdout_json(&self) -> Vec<Diag> {
        match serde_json::from_str(&self.stdout) {
            Ok(diags) => diags,
            Err(e) => panic!("stdout is not one JSON array of diagnostics ({e}): {self:?}"),
        }
    }

    /// The diagnostic of `rule` at `file:line:column`; panics, listing every diagnostic, when
    /// there is none or its severity is not `severity`.
    #[track_caller]
    pub fn diag(
        &self,
        rule: &str,
        severity: Severity,
        file: &str,
        line: usize,
        column: usize,
    ) -> Diag {
        let all = self.stdout_json();
        let found = all
            .iter()
            .find(|d| d.rule == rule && d.file == file && d.line == line && d.column == column);
        match found {
            Some(d) => {
                assert_eq!(d.severity, severity, "severity of {d}");
                d.clone()
            }
            None => panic!(
                "no {rule} at {file}:{line}:{column}; found:\n{}\n{self:?}",
                list(&all)
            ),
        }
    }

    /// Asserts that the diagnostic `(rule, severity, file, line, column)` is present.
    #[track_caller]
    pub fn has(
        self,
        rule: &str,
        severity: Severity,
        file: &str,
        line: usize,
        column: usize,
    ) -> Run {
        self.diag(rule, severity, file, line, column);
        self
    }

    /// Asserts that the diagnostics of the whole run are exactly these `(rule, file, line,
    /// column)`, in any order: nothing missing, nothing extra.
    #[track_caller]
    pub fn only(self, expected: &[(&str, &str, usize, usize)]) -> Run {
        let all = self.stdout_json();
        let mut got: Vec<(String, String, usize, usize)> = all
            .iter()
            .map(|d| (d.rule.clone(), d.file.clone(), d.line, d.column))
            .collect();
        let mut want: Vec<(String, String, usize, usize)> = expected
            .iter()
            .map(|(r, f, l, c)| (r.to_string(), f.to_string(), *l, *c))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "diagnostics differ; found:\n{}", list(&all));
        self
    }

    /// Asserts that no diagnostic was found at all.
    #[track_caller]
    pub fn clean(self) -> Run {
        self.only(&[])
    }

    /// The diagnostics on one file.
    #[track_caller]
    pub fn in_file(&self, file: &str) -> Vec<Diag> {
        self.stdout_json()
            .into_iter()
            .filter(|d| d.file == file)
            .collect()
    }
}

fn list(diags: &[Diag]) -> String {
    diags
        .iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths of the base site's files, so tests name them once.
pub mod base {
    pub const SITE: &str = "site.yaml";
    pub const YEAR: &str = "content/2022/_index.md";
    pub const OVERSIGHT: &str = "content/2022/oversight.yaml";
    pub const CAIWU: &str = "content/2022/caiwu/_index.md";
    pub const YAOJIKE: &str = "content/2022/yaojike/_index.md";
    /// 岗位 一级 (出纳), caiwu: owner 陈副院长, supervisor 刘院长, three lines of defence.
    pub const CHUNA: &str = "content/2022/caiwu/chuna.md";
    /// 科室 二级, caiwu: owner 周科长, supervisor 陈副院长.
    pub const ZHICHU: &str = "content/2022/caiwu/zhichu.md";
    /// 岗位 三级 (会计, holder 吴会计), caiwu: owner 吴会计, supervisor 周科长.
    pub const KUAIJI: &str = "content/2022/caiwu/kuaiji.md";
    /// 岗位 (采购员), yaojike, grade omitted (computed 一级).
    pub const CAIGOU: &str = "content/2022/yaojike/caigou.md";
    /// 科室 三级 (grade: C), zongwu.
    pub const WEIXIU: &str = "content/2022/zongwu/weixiu.md";
    /// 单位 一级 (grade: 1).
    pub const JIJIAN: &str = "content/2022/unit/jijian.md";
    /// 单位 二级 (grade: B).
    pub const RENSHI: &str = "content/2022/unit/renshi.md";
    /// 单位 三级, grade omitted; board approved on the notice's first day.
    pub const YINZHANG: &str = "content/2022/unit/yinzhang.md";
}
