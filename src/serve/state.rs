//! The served site: one immutable generation at a time, swapped whole.
//!
//! A rebuild produces the files of the site (what `gongshi build` would write) or a problem
//! (content errors, a template error). `Store::publish` compares the files with the current
//! generation, keeps the bytes of unchanged files shared, and swaps a new generation in under a
//! write lock held only for the pointer swap; readers clone an `Arc` and never see a mix of two
//! builds. Only then are the reload subscribers told, so a reload always lands on a complete
//! site. A rebuild that changes nothing publishes nothing and reloads nothing.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::build::sink::SharedFiles;

/// The files of a site by path relative to its root (`2022/index.html`). Paths and bytes are
/// shared, so that the next generation's map is a copy of this one's with the changes made.
pub(crate) type Files = FxHashMap<Arc<str>, Arc<Vec<u8>>>;

/// Why the site cannot be shown as it is now: shown over the last good pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// One line: "内容有 3 个错误" or "模板错误".
    pub(crate) title: String,
    /// Each entry is one plain-text block (a diagnostic as `gongshi check` prints it, or an
    /// error chain).
    pub(crate) details: Vec<String>,
    /// Entries left out of `details` to keep the page light.
    pub(crate) omitted: usize,
    /// The site's base path (`/…/`), when `site.yaml` could be read: used until a build
    /// succeeds, so that even a site broken from the start is served where it belongs.
    pub(crate) base: Option<String>,
}

/// One published state of the site.
#[derive(Debug)]
pub(crate) struct Generation {
    /// Counts up from 1 with every publication.
    pub(crate) number: u64,
    /// The site's `base_path` in `/…/` form, as of the last good build.
    pub(crate) base: String,
    /// The last good files (empty until a build succeeds).
    pub(crate) files: Arc<Files>,
    pub(crate) problem: Option<Arc<Problem>>,
}

/// What a reload event says: which generation, from which one, and which pages changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) from: u64,
    pub(crate) to: u64,
    /// Every page must reload (styles, scripts, the problem overlay, or too many to list).
    pub(crate) all: bool,
    /// HTML pages whose bytes changed, when not `all`.
    pub(crate) pages: Vec<String>,
}

/// More changed pages than this make a change `all`: the event stays small.
const MAX_LISTED: usize = 200;

pub(crate) struct Store {
    current: RwLock<Arc<Generation>>,
    subscribers: Mutex<Vec<Sender<Change>>>,
    /// Rebuilds finished, published or not (for `status`, and tests that wait for quiet).
    rebuilds: AtomicU64,
    /// Changes are waiting or being built.
    building: AtomicBool,
}

impl Store {
    pub(crate) fn new() -> Store {
        Store {
            current: RwLock::new(Arc::new(Generation {
                number: 0,
                base: "/".to_string(),
                files: Arc::new(Files::default()),
                problem: None,
            })),
            subscribers: Mutex::new(Vec::new()),
            rebuilds: AtomicU64::new(0),
            building: AtomicBool::new(false),
        }
    }

    /// Marks changes as waiting (or not).
    pub(crate) fn set_building(&self, building: bool) {
        self.building.store(building, Ordering::SeqCst);
    }

    /// (rebuilds finished, whether changes are waiting or being built).
    pub(crate) fn activity(&self) -> (u64, bool) {
        (
            self.rebuilds.load(Ordering::SeqCst),
            self.building.load(Ordering::SeqCst),
        )
    }

    /// The generation being served.
    pub(crate) fn current(&self) -> Arc<Generation> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// A channel that receives every change published from now on.
    pub(crate) fn subscribe(&self) -> Receiver<Change> {
        let (tx, rx) = channel();
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        rx
    }

    /// Drops every subscriber, so their streams end (on shutdown).
    pub(crate) fn close_subscribers(&self) {
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Publishes the outcome of a rebuild; returns the change, or `None` when nothing a reader
    /// could see changed.
    pub(crate) fn publish(&self, outcome: Outcome) -> Option<Change> {
        self.rebuilds.fetch_add(1, Ordering::SeqCst);
        let old = self.current();
        let (base, files, problem, mut pages, mut all) = match outcome {
            Outcome::Site { base, files } => {
                let (files, changed) = merge(&old.files, files);
                let all = base != old.base || changed.iter().any(|p| affects_every_page(p));
                (base, Arc::new(files), None, changed, all)
            }
            Outcome::Problem(problem) => (
                match &problem.base {
                    Some(base) if old.files.is_empty() => base.clone(),
                    _ => old.base.clone(),
                },
                Arc::clone(&old.files),
                Some(Arc::new(problem)),
                Vec::new(),
                false,
            ),
            Outcome::Patch { remove, files } => {
                let mut next: Files = (*old.files).clone();
                let mut changed = Vec::new();
                for path in remove {
                    if next.remove(path.as_str()).is_some() {
                        changed.push(path);
                    }
                }
                for (path, bytes) in files {
                    match old.files.get(&*path) {
                        Some(prev) if same(prev, &bytes) => {
                            changed.retain(|p| **p != *path);
                            next.insert(path, Arc::clone(prev));
                        }
                        _ => {
                            changed.push(path.to_string());
                            next.insert(path, bytes);
                        }
                    }
                }
                changed.sort();
                changed.dedup();
                (
                    old.base.clone(),
                    Arc::new(next),
                    old.problem.clone(),
                    changed,
                    false,
                )
            }
        };
        if old.problem.as_deref() != problem.as_deref() {
            all = true;
        }
        if pages.is_empty() && !all && old.number > 0 {
            return None;
        }
        // Open pages care only about pages: when only data files changed (the ledger, the
        // search index), the new files are swapped in under the same generation number and no
        // one is told. Generation numbers count what an open page can see.
        pages.retain(|p| p.ends_with(".html"));
        if pages.is_empty() && !all && old.number > 0 {
            let next = Arc::new(Generation {
                number: old.number,
                base,
                files,
                problem,
            });
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
            return None;
        }
        if pages.len() > MAX_LISTED {
            all = true;
        }
        if all {
            pages.clear();
        }
        let next = Arc::new(Generation {
            number: old.number + 1,
            base,
            files,
            problem,
        });
        let change = Change {
            from: old.number,
            to: next.number,
            all,
            pages,
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|tx| tx.send(change.clone()).is_ok());
        Some(change)
    }
}

impl Default for Store {
    fn default() -> Store {
        Store::new()
    }
}

/// Whether a changed file shows on every page: a theme's styles, scripts and images
/// (`YEAR/static/…`) or any stylesheet. Data files (the ledger, a search index) do not make
/// open pages stale.
fn affects_every_page(path: &str) -> bool {
    path.ends_with(".css") || path.split('/').nth(1) == Some("static")
}

/// What a rebuild produced.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Every file of the site, and its base path (`/…/`).
    Site {
        base: String,
        files: SharedFiles,
    },
    Problem(Problem),
    /// Some files of the current site replaced: `remove` (paths) go, `files` come.
    Patch {
        remove: Vec<String>,
        files: SharedFiles,
    },
}

/// Whether two files hold the same bytes; a page kept by the render memo is the very same
/// allocation, and is not compared byte by byte.
fn same(a: &Arc<Vec<u8>>, b: &Arc<Vec<u8>>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// The new file map, sharing the bytes of unchanged files with `old`, and the paths that were
/// added, changed or removed (sorted). A copy of `old` with the changes made: at 12,000 files a
/// map built anew cost more than the rebuild of one page.
fn merge(old: &Files, new_files: SharedFiles) -> (Files, Vec<String>) {
    let mut changed = Vec::new();
    let mut files = old.clone();
    let listed: FxHashSet<Arc<str>> = new_files.iter().map(|(p, _)| Arc::clone(p)).collect();
    for (path, bytes) in new_files {
        match files.get_mut(&*path) {
            Some(prev) if same(prev, &bytes) => {}
            Some(prev) => {
                *prev = bytes;
                changed.push(path.to_string());
            }
            None => {
                changed.push(path.to_string());
                files.insert(path, bytes);
            }
        }
    }
    // More files than listed: some of the old ones are gone.
    if files.len() > listed.len() {
        files.retain(|path, _| {
            let keep = listed.contains(path);
            if !keep {
                changed.push(path.to_string());
            }
            keep
        });
    }
    changed.sort();
    changed.dedup();
    (files, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> Outcome {
        Outcome::Site {
            base: "/".into(),
            files: pages
                .iter()
                .map(|(p, b)| (Arc::from(*p), Arc::new(b.as_bytes().to_vec())))
                .collect(),
        }
    }

    fn problem() -> Problem {
        Problem {
            title: "内容有 1 个错误".into(),
            details: vec!["error[missing-field]".into()],
            omitted: 0,
            base: None,
        }
    }

    #[test]
    fn only_changed_pages_are_listed_and_unchanged_bytes_are_shared() {
        let store = Store::new();
        let first = store
            .publish(site(&[("a.html", "A"), ("b.html", "B")]))
            .unwrap();
        assert_eq!((first.from, first.to), (0, 1));
        let b_before = Arc::clone(&store.current().files["b.html"]);
        let change = store
            .publish(site(&[("a.html", "A2"), ("b.html", "B"), ("c.html", "C")]))
            .unwrap();
        assert_eq!(change.pages, ["a.html", "c.html"]);
        assert!(!change.all);
        assert!(Arc::ptr_eq(&b_before, &store.current().files["b.html"]));
    }

    #[test]
    fn a_rebuild_that_changes_nothing_publishes_nothing() {
        let store = Store::new();
        store.publish(site(&[("a.html", "A")]));
        assert_eq!(store.publish(site(&[("a.html", "A")])), None);
        assert_eq!(store.current().number, 1);
    }

    #[test]
    fn a_page_listed_twice_does_not_hide_one_removed() {
        // Regression: publish found removed files by counting the ones listed.
        let store = Store::new();
        store.publish(site(&[("a.html", "A"), ("b.html", "B")]));
        let change = store.publish(site(&[("a.html", "A"), ("a.html", "A")]));
        assert_eq!(change.unwrap().pages, ["b.html"]);
        assert!(!store.current().files.contains_key("b.html"));
    }

    #[test]
    fn a_removed_page_or_a_changed_stylesheet_counts() {
        let store = Store::new();
        store.publish(site(&[("a.html", "A"), ("s.css", "x")]));
        let change = store.publish(site(&[("a.html", "A"), ("s.css", "y")]));
        assert!(change.unwrap().all);
        let change = store.publish(site(&[
            ("a.html", "A"),
            ("s.css", "y"),
            ("2022/ledger.csv", "z"),
        ]));
        assert_eq!(change, None, "a data file is no reason to reload any page");
        assert_eq!(store.current().number, 2, "nor to count a generation");
        assert_eq!(
            store.current().files["2022/ledger.csv"].as_slice(),
            b"z",
            "served even though no page changed"
        );
        let change = store.publish(site(&[("s.css", "y")])).unwrap();
        assert_eq!(change.pages, ["a.html"]);
    }

    #[test]
    fn a_patch_replaces_some_files_and_keeps_the_others() {
        let store = Store::new();
        store.publish(site(&[
            ("a.html", "A"),
            ("2022/search/index.js", "old"),
            ("2022/search/shard-01.js", "s1"),
        ]));
        let a = Arc::clone(&store.current().files["a.html"]);
        let rx = store.subscribe();
        let change = store.publish(Outcome::Patch {
            remove: vec![
                "2022/search/index.js".into(),
                "2022/search/shard-01.js".into(),
            ],
            files: vec![(Arc::from("2022/search/index.js"), Arc::new(b"new".to_vec()))],
        });
        assert_eq!(change, None, "no page reloads");
        assert!(rx.try_recv().is_err());
        let now = store.current();
        assert_eq!(now.number, 1);
        assert!(Arc::ptr_eq(&a, &now.files["a.html"]));
        assert_eq!(now.files["2022/search/index.js"].as_slice(), b"new");
        assert!(!now.files.contains_key("2022/search/shard-01.js"));
        // The same patch again changes nothing.
        let same = Outcome::Patch {
            remove: vec!["2022/search/index.js".into()],
            files: vec![(Arc::from("2022/search/index.js"), Arc::new(b"new".to_vec()))],
        };
        assert_eq!(store.publish(same), None);
    }

    #[test]
    fn a_problem_keeps_the_last_good_files_and_reloads_every_page() {
        let store = Store::new();
        store.publish(site(&[("a.html", "A")]));
        let rx = store.subscribe();
        let change = store.publish(Outcome::Problem(problem())).unwrap();
        assert!(change.all);
        assert_eq!(rx.try_recv().unwrap(), change);
        let now = store.current();
        assert_eq!(now.files["a.html"].as_slice(), b"A");
        assert!(now.problem.is_some());
        // The same problem again: nothing to reload.
        assert_eq!(store.publish(Outcome::Problem(problem())), None);
        // Fixed: the overlay goes away even if the pages are as before.
        let fixed = store.publish(site(&[("a.html", "A")])).unwrap();
        assert!(fixed.all);
        assert!(store.current().problem.is_none());
    }
}
