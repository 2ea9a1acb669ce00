//! The loop that turns file-change signals into published generations.
//!
//! A save arrives as a flurry of signals; a `git checkout` as a longer burst. The loop waits
//! until no signal came for a quiet time that depends on what it has seen (`Pending::quiet`):
//! a moment for one file whose write was closed (a save), longer while a write is still open,
//! and longer still for several files or one removed (a burst, an editor swapping files). It
//! then rebuilds, and before publishing looks again: if more changes came in while it was
//! building, that build is dropped unpublished and the loop rebuilds with everything (at most
//! `MAX_SUPERSEDED` times in a row, so a file that never stops changing cannot starve the
//! preview). So a burst of 500 files gives one published rebuild and one reload, and a reload
//! never shows the state halfway through a checkout.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::check::Verbosity;
use crate::serve::builder::{Builder, BuiltIndex, Report};
use crate::serve::state::{Change, Store};
use crate::serve::watcher::{Activity, Signal, Watcher};

/// Quiet time before rebuilding one file whose write was closed: what is left of the save's
/// flurry arrives within microseconds.
const QUIET_SAVED: Duration = Duration::from_millis(2);
/// Quiet time while a write is still open: its close should follow (a writer that pauses
/// longer, or never closes, is rebuilt anyway).
const QUIET_WRITING: Duration = Duration::from_millis(250);
/// Quiet time when several files changed, or one was removed or renamed away (a checkout; an
/// editor that moves the old file aside before writing the new one).
const QUIET_BURST: Duration = Duration::from_millis(25);
/// Quiet time with `--poll`, which sees no closes.
const QUIET_POLL: Duration = Duration::from_millis(12);
/// Longest wait for a burst to end before rebuilding anyway.
const MAX_SETTLE: Duration = Duration::from_secs(2);
/// Builds in a row that may be dropped because newer changes came in.
const MAX_SUPERSEDED: usize = 3;

/// The changes collected since the last rebuild.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub(crate) paths: BTreeSet<PathBuf>,
    /// Files being written, whose close has not come yet.
    pub(crate) writing: HashSet<PathBuf>,
    /// Events were lost: every cached file must be looked at again.
    pub(crate) rescan: bool,
    /// Nothing was reported, but files saved within the last seconds are read again (polling
    /// sees only whole-second modification times: a second save in the same second goes
    /// unreported).
    pub(crate) recheck: bool,
}

impl Pending {
    /// Adds a signal; false for `Stop`.
    fn add(&mut self, signal: Signal, out: &Terminal) -> bool {
        match signal {
            Signal::Paths(paths, activity) => {
                for path in paths {
                    match activity {
                        Activity::Writing => {
                            self.writing.insert(path.clone());
                        }
                        Activity::Written => {
                            self.writing.remove(&path);
                        }
                        Activity::Changed => {}
                    }
                    self.paths.insert(path);
                }
            }
            Signal::Rescan => self.rescan = true,
            Signal::Error(message) => {
                out.note(&format!("文件监视出错：{message}；将重新读取全部文件"));
                self.rescan = true;
            }
            Signal::Stop => return false,
        }
        true
    }

    fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan && !self.recheck
    }

    /// How long to wait for more signals before rebuilding what is pending.
    fn quiet(&self, poll: bool) -> Duration {
        if poll {
            QUIET_POLL
        } else if !self.writing.is_empty() {
            QUIET_WRITING
        } else if self.rescan || self.paths.len() > 1 || self.paths.iter().any(|p| !p.is_file()) {
            QUIET_BURST
        } else {
            QUIET_SAVED
        }
    }
}

/// Collects signals until `Pending::quiet` passes without one. False when the server is
/// stopping.
fn settle(rx: &Receiver<Signal>, pending: &mut Pending, out: &Terminal, poll: bool) -> bool {
    let start = Instant::now();
    loop {
        match rx.recv_timeout(pending.quiet(poll)) {
            Ok(signal) => {
                if !pending.add(signal, out) {
                    return false;
                }
                if start.elapsed() > MAX_SETTLE {
                    return true;
                }
            }
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// A search index being built on its own thread.
type IndexThread = JoinHandle<Option<BuiltIndex>>;

/// How often the loop looks at a running index job while waiting for changes.
const INDEX_POLL: Duration = Duration::from_millis(10);
/// With `--poll`, how long after a rebuild that read recently saved files they are read again.
const RECHECK: Duration = Duration::from_millis(2100);

/// Serves a finished index (unless a later rebuild made it stale) and starts the next job the
/// builder has. At most one job runs: the two cores are better spent on the pages.
fn tend_index(index: &mut Option<IndexThread>, builder: &mut Builder, store: &Store) {
    if index.as_ref().is_some_and(JoinHandle::is_finished)
        && let Some(thread) = index.take()
        && let Ok(Some(built)) = thread.join()
        && let Some(patch) = builder.index_built(built)
    {
        store.publish(patch);
    }
    if index.is_none()
        && let Some(job) = builder.index_job()
    {
        *index = Some(std::thread::spawn(move || job.run()));
    }
}

/// Runs until `Signal::Stop` or the watcher is gone.
pub(crate) fn run(
    rx: &Receiver<Signal>,
    builder: &mut Builder,
    store: &Arc<Store>,
    watcher: &mut Watcher,
    out: &Terminal,
    poll: bool,
) {
    let mut pending = Pending::default();
    let mut index: Option<IndexThread> = None;
    loop {
        // Wait for changes, finishing the search index meanwhile.
        let recheck_at = (poll && builder.has_recent_files()).then(|| Instant::now() + RECHECK);
        while pending.is_empty() {
            let wait = match (index.is_some(), recheck_at) {
                (true, _) => Some(INDEX_POLL),
                (false, Some(at)) => Some(at.saturating_duration_since(Instant::now())),
                (false, None) => None,
            };
            let signal = match wait {
                Some(wait) => rx.recv_timeout(wait),
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match signal {
                Ok(signal) => {
                    if !pending.add(signal, out) {
                        return;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if recheck_at.is_some_and(|at| Instant::now() >= at) {
                        pending.recheck = true;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if pending.is_empty() {
                tend_index(&mut index, builder, store);
                store.set_building(index.is_some());
            }
        }
        store.set_building(true);
        if !settle(rx, &mut pending, out, poll) {
            return;
        }
        let mut superseded = 0;
        let (outcome, report) = loop {
            let changed: Vec<PathBuf> = pending.paths.iter().cloned().collect();
            watcher.refresh(&changed);
            let built = builder.rebuild(&pending, out.color);
            pending = Pending::default();
            if !drain(rx, &mut pending, out) {
                return;
            }
            // Changes that came in while building: drop this build and start again, unless
            // that happened too often; then they get a rebuild of their own after this one.
            if pending.is_empty() || superseded >= MAX_SUPERSEDED {
                break built;
            }
            superseded += 1;
            if !settle(rx, &mut pending, out, poll) {
                return;
            }
        };
        let change = store.publish(outcome);
        out.diagnostics(&report);
        out.summary(&report, change.as_ref());
        // The search index comes after the pages, on its own thread.
        tend_index(&mut index, builder, store);
        store.set_building(!pending.is_empty() || index.is_some());
    }
}

/// Adds every signal already waiting to `pending`; false when the server is stopping.
fn drain(rx: &Receiver<Signal>, pending: &mut Pending, out: &Terminal) -> bool {
    loop {
        match rx.try_recv() {
            Ok(signal) => {
                if !pending.add(signal, out) {
                    return false;
                }
            }
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Disconnected) => return false,
        }
    }
}

/// What the terminal shows, by verbosity; diagnostics are printed when they change, not on
/// every rebuild.
pub(crate) struct Terminal {
    pub(crate) verbosity: Verbosity,
    pub(crate) color: bool,
    last: std::sync::Mutex<Vec<String>>,
}

impl Terminal {
    pub(crate) fn new(verbosity: Verbosity, color: bool) -> Terminal {
        Terminal {
            verbosity,
            color,
            last: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn note(&self, line: &str) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{line}");
        }
    }

    /// Prints the diagnostics that changed since the last report: every error while there are
    /// errors, otherwise the warnings not shown before.
    pub(crate) fn diagnostics(&self, report: &Report) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let texts: Vec<String> = report.diagnostics.iter().map(|(_, t)| t.clone()).collect();
        if texts == *last {
            return;
        }
        let fresh = report.diagnostics.iter().filter(|(d, text)| {
            if report.errors > 0 {
                d.is_error()
            } else {
                !last.contains(text)
            }
        });
        // As `check` prints them: many warnings of a rule folded, errors last.
        let arranged = crate::terminal::arrange(
            fresh,
            |(d, _)| crate::terminal::describe_diagnostic(d),
            self.verbosity,
        );
        for shown in arranged {
            match shown {
                crate::terminal::Shown::Full((_, text)) => eprintln!("{text}"),
                crate::terminal::Shown::Folded(fold) => eprintln!("{}", fold.render(self.color)),
            }
        }
        *last = texts;
    }

    /// One line on what a rebuild did.
    pub(crate) fn summary(&self, report: &Report, change: Option<&Change>) {
        let ms = report.elapsed.as_millis();
        if report.errors > 0 {
            eprintln!(
                "内容有 {} 个错误：浏览器中显示错误提示，页面仍是上一次成功生成的；改正并保存后自动刷新。",
                report.errors
            );
        } else if let Some(message) = &report.failure {
            eprintln!("错误：{message}\n浏览器中显示错误提示；改正并保存后自动刷新。");
        } else if self.verbosity != Verbosity::Quiet {
            if self.verbosity == Verbosity::Verbose {
                eprintln!(
                    "  读取与检查 {} 毫秒；生成 {} 毫秒（重新渲染 {} 个页面，沿用 {} 个）",
                    report.load.as_millis(),
                    report.render.as_millis(),
                    report.pages.rendered,
                    report.pages.reused
                );
            }
            match change {
                Some(c) if c.all => eprintln!("已重新生成（{ms} 毫秒）：全部页面刷新"),
                Some(c) => eprintln!(
                    "已重新生成（{ms} 毫秒）：{} 个页面有变化，已通知浏览器刷新",
                    c.pages.len()
                ),
                None => eprintln!("已重新生成（{ms} 毫秒）：页面没有变化"),
            }
        }
    }
}

/// Publishes the first build (before the server answers anyone) and reports it.
pub(crate) fn first(builder: &mut Builder, store: &Store, out: &Terminal) {
    let everything = Pending {
        rescan: true,
        ..Pending::default()
    };
    let (outcome, report) = builder.rebuild(&everything, out.color);
    store.publish(outcome);
    out.diagnostics(&report);
    if report.errors > 0 || report.failure.is_some() {
        out.summary(&report, None);
    } else if out.verbosity != Verbosity::Quiet {
        eprintln!(
            "已生成公示：{} 个文件，{} 个警告，用时 {} 毫秒",
            store.current().files.len(),
            report.warnings,
            report.elapsed.as_millis()
        );
    }
}
