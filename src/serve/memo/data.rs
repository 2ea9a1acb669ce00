//! The year's data files, kept from one build to the next: the ledger, made from a kept line
//! per point, and the search index, whose records are compared by the versions of the point
//! records and bodies they are made from.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::build::sink::SharedFiles;
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::RiskPoint;
use crate::render::ledger;
use crate::render::view::PointView;
use crate::search::{SearchDoc, SearchFile};
use crate::serve::memo::{RenderMemo, Shared};

struct Line {
    file_version: u64,
    shared: u64,
    text: String,
    /// Changes whenever the text does (a body edit leaves it as it was).
    version: u64,
    round: u64,
}

#[derive(Default)]
pub(super) struct Ledger {
    shared: Option<(Shared, u64)>,
    lines: FxHashMap<String, Line>,
    /// The last CSV, and the versions of the lines it was made of.
    csv: Option<(Vec<u64>, Arc<Vec<u8>>)>,
}

impl Ledger {
    pub(super) fn retain(&mut self, round: u64) {
        self.lines.retain(|_, l| l.round == round);
    }
}

/// The search files, and the versions of the records and bodies they were made from.
#[derive(Default)]
pub(super) struct Search {
    kept: Option<(Vec<u64>, SharedFiles)>,
    /// Whether a changed index may be left for later (`take_deferred_search`).
    defer: bool,
    deferred: Option<SearchJob>,
}

/// The records a changed search index is to be built from, off the rebuild's thread.
pub(crate) struct SearchJob {
    key: Vec<u64>,
    points: Vec<Arc<PointView>>,
    texts: Vec<Arc<str>>,
}

impl SearchJob {
    /// The index's records (`build::bodies::search_docs`).
    pub(crate) fn docs(&self) -> Vec<SearchDoc> {
        crate::build::bodies::search_docs(&self.points, &self.texts)
    }
}

impl RenderMemo {
    /// The ledger of the `visible` points, made from a line per point: kept while the point's
    /// file, the departments' names and the rule tables are as before. `row` makes a row.
    pub(crate) fn ledger(
        &self,
        year: &LoadedYear,
        rules: &RuleTables,
        visible: &[&RiskPoint],
        row: &(dyn Fn(&RiskPoint) -> Vec<String> + Sync),
    ) -> Arc<Vec<u8>> {
        let shared = Shared::of(year, rules, None);
        let mut guard = self.lock();
        let inner = &mut *guard;
        let round = inner.round;
        let shared_version = shared.version(&mut inner.ledger.shared, &mut inner.next_version);
        let next_version = &mut inner.next_version;
        let ledger = &mut inner.ledger;
        let mut key = Vec::with_capacity(visible.len());
        for p in visible {
            let file_version = year.versions.get(&p.file);
            let kept = ledger.lines.get_mut(&p.file).filter(|l| {
                file_version != 0
                    && l.file_version == file_version
                    && l.shared == shared_version
                    && l.round != round
            });
            let version = match kept {
                Some(line) => {
                    line.round = round;
                    line.version
                }
                None => {
                    let text = ledger::csv_line(&row(p));
                    let version = match ledger.lines.get(&p.file) {
                        Some(old) if old.text == text => old.version,
                        _ => {
                            *next_version += 1;
                            *next_version
                        }
                    };
                    ledger.lines.insert(
                        p.file.clone(),
                        Line {
                            file_version,
                            shared: shared_version,
                            text,
                            version,
                            round,
                        },
                    );
                    version
                }
            };
            key.push(version);
        }
        if let Some((kept, csv)) = &ledger.csv
            && *kept == key
        {
            return Arc::clone(csv);
        }
        let mut csv = ledger::csv_start(ledger::HEADER);
        for p in visible {
            if let Some(line) = ledger.lines.get(&p.file) {
                csv.push_str(&line.text);
            }
        }
        let csv = Arc::new(csv.into_bytes());
        ledger.csv = Some((key, Arc::clone(&csv)));
        csv
    }

    /// Lets a changed search index wait: `search_index` then returns the previous files and
    /// `take_deferred_search` the records to index. The preview publishes the pages first and
    /// the index right after; a build builds it at once.
    pub(crate) fn set_defer_search(&self, defer: bool) {
        self.lock().search.defer = defer;
    }

    /// The search files for the records of `points` and their bodies' `texts`: the ones kept
    /// when those are as before (by version), else `build` from them (or, when deferred, the
    /// ones kept for now).
    pub(crate) fn search_index(
        &self,
        points: &[Arc<PointView>],
        texts: &[Arc<str>],
        build: impl FnOnce(&[SearchDoc]) -> Vec<SearchFile>,
    ) -> SharedFiles {
        let mut inner = self.lock();
        let records = &inner.records.point_versions;
        let bodies = &inner.bodies.points;
        let key: Vec<u64> = if records.len() == points.len() && bodies.len() == points.len() {
            records.iter().chain(bodies).copied().collect()
        } else {
            Vec::new()
        };
        let search = &mut inner.search;
        search.deferred = None;
        let job = SearchJob {
            key,
            points: points.to_vec(),
            texts: texts.to_vec(),
        };
        match &search.kept {
            Some((kept, files)) if *kept == job.key && !job.key.is_empty() => {
                return files.clone();
            }
            Some((_, files)) if search.defer => {
                let files = files.clone();
                search.deferred = Some(job);
                return files;
            }
            _ => {}
        }
        drop(inner);
        let files: SharedFiles = build(&job.docs())
            .into_iter()
            .map(|f| (Arc::from(f.path), Arc::new(f.bytes)))
            .collect();
        self.lock().search.kept = Some((job.key, files.clone()));
        files
    }

    /// The records whose index was deferred by the last build, if any.
    pub(crate) fn take_deferred_search(&self) -> Option<SearchJob> {
        self.lock().search.deferred.take()
    }

    /// Remembers `files` as the index of `job` (whose records `take_deferred_search` gave);
    /// returns the paths of the index it replaces.
    pub(crate) fn accept_search(&self, job: SearchJob, files: &SharedFiles) -> Vec<String> {
        self.lock()
            .search
            .kept
            .replace((job.key, files.to_vec()))
            .map(|(_, f)| f.into_iter().map(|(path, _)| path.to_string()).collect())
            .unwrap_or_default()
    }
}
