//! Watching the site for edits: `content/`, `themes/` and `archive/` recursively, and the root
//! itself (not recursively) for `site.yaml` and for those folders appearing or being replaced.
//!
//! The root is watched rather than `site.yaml`, because editors that save by writing a new file
//! and renaming it over the old one (vim, VS Code, gedit) would leave a watch on the file itself
//! watching a deleted inode. notify-debouncer-full merges each save's flurry of events; paths
//! that cannot matter (`output/`, swap and backup files) are dropped here, so that an editor's
//! bookkeeping never costs a rebuild. `--poll` swaps inotify/FSEvents for notify's PollWatcher,
//! for network shares where change events never arrive.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context as _, Result};
use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

/// Events of one path closer together than this are merged into one.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the debouncer hands over what has settled.
const TICK: Duration = Duration::from_millis(5);
/// How often `--poll` looks at every file.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The folders watched recursively, relative to the root.
const WATCHED_DIRS: [&str; 3] = ["content", "themes", "archive"];
const SITE_FILE: &str = "site.yaml";

/// What the watcher tells the rebuild loop.
#[derive(Debug)]
pub enum Signal {
    /// These files or folders (absolute) changed.
    Paths(Vec<PathBuf>),
    /// Events were lost (the kernel queue overflowed): everything may have changed.
    Rescan,
    /// The watcher failed; the message says why.
    Error(String),
    /// The server is stopping.
    Stop,
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

pub struct Watcher {
    root: PathBuf,
    inner: Inner,
    /// Which of `WATCHED_DIRS` have a watch.
    watched: [bool; 3],
}

impl Watcher {
    /// Starts watching `root` (absolute); signals go to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<Signal>) -> Result<Watcher> {
        let filter_root = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let signal = match result {
                Ok(events) => {
                    if events.iter().any(|e| e.need_rescan()) {
                        Signal::Rescan
                    } else {
                        let mut paths: Vec<PathBuf> = events
                            .iter()
                            .filter(|e| changes_content(&e.kind))
                            .flat_map(|e| e.paths.iter())
                            .filter(|p| is_relevant(&filter_root, p))
                            .cloned()
                            .collect();
                        paths.sort();
                        paths.dedup();
                        if paths.is_empty() {
                            return;
                        }
                        Signal::Paths(paths)
                    }
                }
                Err(errors) => Signal::Error(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("；"),
                ),
            };
            tx.send(signal).ok();
        };
        let inner = if poll {
            Inner::Poll(
                new_debouncer_opt::<_, PollWatcher, NoCache>(
                    DEBOUNCE,
                    Some(TICK),
                    handler,
                    NoCache,
                    notify::Config::default().with_poll_interval(POLL_INTERVAL),
                )
                .context("无法启动轮询方式的文件监视")?,
            )
        } else {
            Inner::Native(new_debouncer(DEBOUNCE, Some(TICK), handler).context("无法启动文件监视")?)
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
    pub fn refresh(&mut self, changed: &[PathBuf]) {
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

/// Whether an event can mean new content. Reading a file is an event too (inotify's open and
/// close): counting it would make every rebuild, which reads the files, trigger the next.
fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Whether a change at `path` can change the site: `site.yaml`, or a file or folder under a
/// watched folder that is not an editor's swap, backup or probe file.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
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
