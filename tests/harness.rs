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

use std::fmt;
use std::io::Read as _;
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
    pub fn file(self, rel: &str, text: &str) -> Site {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Site {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self
    }

    pub fn remove(self, rel: &str) -> Site {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        }
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self
    }

    /// The text of a file of the site.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Replaces the one occurrence of `from` in a file. Panics when `from` is absent or not
    /// unique, so that a stale edit cannot silently leave the file valid.
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
    pub fn delete_line(self, rel: &str, line: &str) -> Site {
        self.replace(rel, &format!("\n{line}\n"), "\n")
    }

    /// Runs the real binary on this site: `gongshi --root <site> ARGS`, with `NO_COLOR=1`.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gongshi");
        // Drain both pipes on threads so a chatty child cannot block on a full pipe.
        let mut out_pipe = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let out = std::thread::spawn(move || {
            let mut buf = Vec::new();
            out_pipe.read_to_end(&mut buf).map(|_| buf)
        });
        let err = std::thread::spawn(move || {
            let mut buf = Vec::new();
            err_pipe.read_to_end(&mut buf).map(|_| buf)
        });
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for gongshi") {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("gongshi did not finish within {TIMEOUT:?} (a hang)");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let root = self.root().display().to_string();
        let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace(&root, "[ROOT]");
        Run {
            code: status.code(),
            stdout: text(out.join().expect("stdout thread").expect("read stdout")),
            stderr: text(err.join().expect("stderr thread").expect("read stderr")),
            elapsed: start.elapsed(),
        }
    }

    /// `gongshi check --format json`.
    pub fn check(&self) -> Run {
        self.run(["check", "--format", "json"])
    }

    /// `gongshi check` with human output.
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
    pub fn exit(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "wrong exit code: {self:?}");
        self
    }

    /// Exit 0.
    pub fn succeeds(self) -> Run {
        self.exit(0)
    }

    /// Exit 1: content errors.
    pub fn fails(self) -> Run {
        self.exit(1)
    }

    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks `{needle}`: {self:?}"
        );
        self
    }

    pub fn stderr_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr has `{needle}`: {self:?}"
        );
        self
    }

    /// Stdout parsed as the one JSON array of `check --format json`.
    pub fn stdout_json(&self) -> Vec<Diag> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not one JSON array of diagnostics ({e}): {self:?}")
        })
    }

    /// The diagnostic of `rule` at `file:line:column`; panics, listing every diagnostic, when
    /// there is none or its severity is not `severity`.
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
    pub fn clean(self) -> Run {
        self.only(&[])
    }

    /// The diagnostics on one file.
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
