//! Watching the site for edits: `content/`, `themes/` and `archive/` recursively, and the root
//! itself (not recursively) for `site.yaml` and for those folders appearing or being replaced.
//!
//! The root is watched rather than `site.yaml`, because editors that save by writing a new file
//! and renaming it over the old one (vim, VS Code, gedit) would leave a watch on the file itself
//! watching a deleted inode. Events go to the rebuild loop as they come, with what they say
//! about the file: being written (a write not yet closed), written (closed after writing), or
//! otherwise changed (created, removed, renamed); the loop merges a save's flurry of events
//! and a checkout's burst (src/serve/rebuilds.rs). Paths that cannot matter (`output/`, swap
//! and backup files) are dropped here, so that an editor's bookkeeping never costs a rebuild.
//! `--poll` swaps inotify/FSEvents for notify's PollWatcher, for network shares where change
//! events never arrive.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How often `--poll` looks at every file.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders watched recursively, relative to the root.
const WATCHED_DIRS: [&str; 3] = ["content", "themes", "archive"];
const SITE_FILE: &str = "site.yaml";

/// What an event says about its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    /// Their content is being written: a close will follow (inotify).
    Writing,
    /// They were closed after writing: the write is complete.
    Written,
    /// Created, removed, renamed, or changed in a way no close will follow.
    Changed,
}

/// What the watcher tells the rebuild loop.
#[derive(Debug)]
pub(crate) enum Signal {
    /// These files or folders (absolute) changed.
    Paths(Vec<PathBuf>, Activity),
    /// Events were lost (the kernel queue overflowed): everything may have changed.
    Rescan,
    /// The watcher failed; the message says why.
    Error(String),
    /// The server is stopping.
    Stop,
}

enum Inner {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

pub(crate) struct Watcher {
    root: PathBuf,
    inner: Inner,
    /// Which of `WATCHED_DIRS` have a watch.
    watched: [bool; 3],
}

impl Watcher {
    /// Starts watching `root` (absolute); signals go to `tx`.
    pub(crate) fn start(root: &Path, poll: bool, tx: Sender<Signal>) -> Result<Watcher> {
        let filter_root = root.to_path_buf();
        let handler = move |result: notify::Result<Event>| {
            let signal = match result {
                Ok(event) if event.need_rescan() => Signal::Rescan,
                Ok(event) => {
                    let Some(activity) = activity(&event.kind, poll) else {
                        return;
                    };
                    let paths: Vec<PathBuf> = event
                        .paths
                        .into_iter()
                        .filter(|p| is_relevant(&filter_root, p))
                        .collect();
                    if paths.is_empty() {
                        return;
                    }
                    Signal::Paths(paths, activity)
                }
                Err(error) => Signal::Error(error.to_string()),
            };
            tx.send(signal).ok();
        };
        let inner = if poll {
            Inner::Poll(
                PollWatcher::new(
                    handler,
                    notify::Config::default().with_poll_interval(POLL_INTERVAL),
                )
                .context("无法启动轮询方式的文件监视")?,
            )
        } else {
            Inner::Native(
                RecommendedWatcher::new(handler, notify::Config::default())
                    .context("无法启动文件监视")?,
            )
        };
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            inner,
            watched: [false; 3],
        };
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("无法监视 {}", root.display()))?;
        watcher.refresh(&[]);
        Ok(watcher)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.inner {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        };
    }

    /// Adds watches for watched folders that appeared, and renews those of folders that were
    /// themselves among `changed` (removed and made again: the old watch went with them).
    pub(crate) fn refresh(&mut self, changed: &[PathBuf]) {
        for (i, name) in WATCHED_DIRS.iter().enumerate() {
            let dir = self.root.join(name);
            let replaced = changed.iter().any(|p| p == &dir);
            if self.watched[i] && (replaced || !dir.is_dir()) {
                self.unwatch(&dir);
                self.watched[i] = false;
            }
            if !self.watched[i] && dir.is_dir() {
                self.watched[i] = self.watch(&dir, RecursiveMode::Recursive).is_ok();
            }
        }
    }
}

/// What an event says about its files; `None` when it cannot mean new content. Reading a
/// file is an event too (inotify's open and close): counting it would make every rebuild,
/// which reads the files, trigger the next. Polling sees no closes: its changes are complete.
fn activity(kind: &EventKind, poll: bool) -> Option<Activity> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(Activity::Written),
        EventKind::Access(_)
        | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => None,
        EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) if !poll => {
            Some(Activity::Writing)
        }
        _ => Some(Activity::Changed),
    }
}

/// Whether a change at `path` can change the site: `site.yaml`, or a file or folder under a
/// watched folder that is not an editor's swap, backup or probe file.
pub(crate) fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&str> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [] => false,
        [only] => *only == SITE_FILE || WATCHED_DIRS.contains(only),
        [top, .., name] => WATCHED_DIRS.contains(top) && !is_scratch(name),
    }
}

/// Files editors write beside the real one: `.x.swp`, `x~`, `#x#`, vim's `4913` probe, and the
/// temporary files of atomic saves (`.x.tmp`, `x.tmp.123`). The loader skips them too.
fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.contains(".tmp.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_inputs_are_relevant() {
        let root = Path::new("/site");
        let yes = [
            "/site/site.yaml",
            "/site/content",
            "/site/content/2022/caiwu/cwk-01.md",
            "/site/content/2022/caiwu",
            "/site/themes/default/templates/base.html",
            "/site/archive/2021/index.html",
        ];
        let no = [
            "/site/output/index.html",
            "/site/output",
            "/site/README.md",
            "/site/.site.yaml.swp",
            "/site/content/2022/caiwu/.cwk-01.md.swp",
            "/site/content/2022/caiwu/cwk-01.md~",
            "/site/content/2022/caiwu/4913",
            "/site/content/2022/caiwu/#cwk-01.md#",
            "/site/content/2022/caiwu/.goutputstream-XYZ",
            "/site/content/2022/caiwu/cwk-01.md.tmp.4711",
            "/elsewhere/content/x.md",
        ];
        for p in yes {
            assert!(is_relevant(root, Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!is_relevant(root, Path::new(p)), "{p}");
        }
    }
}
