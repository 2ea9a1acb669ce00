//! What the preview remembers from one rebuild to the next, so that `gongshi serve` does the
//! work of a build only for what an edit can change: `PreviewMemo`, the preview's side of the
//! pipeline's one seam (`build::memo::Memo`); `gongshi build` runs the same stages with
//! `NoMemo`.
//!
//! - Loading and checking (`load.rs`): the year loaded last is brought up to date in place
//!   (`content::refresh_year`) when only files it read changed; each point's own rule findings
//!   are kept by file version (`rules::memo`); the year before, for the 较上年变化 page, is
//!   kept until one of its files changes; so are the archived years' files.
//!
//! Everything kept is reused only when its inputs are equal to last time's, and the inputs
//! are compared cheaply: a point's file by its version (src/content/versions.rs), a record
//! of the view by a version of its own that changes whenever its data does.
//!
//! - Bodies (`bodies.rs`): HTML and plain text by file, line and text. Bodies with a flow
//!   diagram are always drawn afresh: a diagram may show other points (their grade, their page).
//! - The view's records and its template value `v` (`records.rs`): a point's record is made
//!   again only when its file or the departments' names and the rule tables changed; one
//!   template value per point, person and department, made again only when that record
//!   changed; the rest of the view is small and made every time.
//! - Pages (`pages.rs`): by template, own context and the versions of what the page reads.
//!   Which records a page reads follows from its own context, as the default theme's templates
//!   use them; a theme whose templates differ may read anything, and then every page depends
//!   on all of `v` (`set_precise(false)`).
//! - The ledger's rows and the search index (`data.rs`); the comparison with the previous
//!   year (`changes.rs`).
//!
//! `tests/serve.rs` checks the result against a fresh build after random edits.

mod bodies;
mod changes;
mod data;
mod load;
mod pages;
mod records;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use rustc_hash::FxHashMap;
use tera::{Context, Value};

use crate::audience::Readers;
use crate::build::bodies::{Bodies, BodySource, RenderedBody};
use crate::build::memo::{Memo, PagePlan, RenderBody};
use crate::build::sink::{SharedFiles, Sink};
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::diagnostic::Diagnostic;
use crate::diff::notice::ChangesView;
use crate::model::RiskPoint;
use crate::render::pages::Page;
use crate::render::view::{PointView, Records, YearView};
use crate::site::{CheckedYear, Site};

pub(crate) use data::SearchJob;
pub(crate) use load::LoadMemo;
/// One record of the view: its data (to compare), its template value, and its version.
struct Record<T> {
    data: T,
    value: Value,
    version: u64,
    round: u64,
}

#[derive(Default)]
struct Inner {
    round: u64,
    precise: bool,
    next_version: u64,
    bodies: bodies::Kept,
    records: records::Kept,
    /// Last round's global context minus `v` and the values of `VIEW_GLOBALS`.
    global_rest: Option<Context>,
    /// The values of `VIEW_GLOBALS`, with their versions.
    view_globals: FxHashMap<&'static str, (Value, u64)>,
    pages: pages::KeptPages,
    /// How to keep the groups of pages of the last plan, in its order.
    planned: Vec<pages::Keep>,
    ledger: data::Ledger,
    changes: changes::Kept,
    search: data::Search,
    rendered: usize,
    reused: usize,
}

impl Inner {
    fn bump(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }
}

/// What a point's record and its ledger row read besides the point: the departments' names,
/// the rule tables, who the leaders are (a leader's own point names the leader's part) and the
/// readers (the record's mark, `PointView::unpublished`).
#[derive(PartialEq)]
struct Shared {
    departments: Vec<(String, String)>,
    rules: RuleTables,
    leaders: Option<(String, Vec<String>, Option<String>)>,
    readers: Option<Readers>,
}

impl Shared {
    fn of(year: &LoadedYear, rules: &RuleTables, readers: Option<&Readers>) -> Shared {
        Shared {
            departments: year
                .departments
                .iter()
                .map(|d| (d.slug.clone(), d.name.value.clone()))
                .collect(),
            rules: rules.clone(),
            leaders: year.info.as_ref().map(|info| {
                let l = &info.leaders;
                (
                    l.principal.value.clone(),
                    l.deputies.iter().map(|d| d.name.value.clone()).collect(),
                    l.discipline.as_ref().map(|d| d.value.clone()),
                )
            }),
            readers: readers.cloned(),
        }
    }

    /// The version of `self`: the one kept in `slot` when that is equal, else a new one
    /// (from `next_version`), kept in `slot` with it.
    fn version(self, slot: &mut Option<(Shared, u64)>, next_version: &mut u64) -> u64 {
        match slot {
            Some((kept, version)) if *kept == self => *version,
            _ => {
                *next_version += 1;
                *slot = Some((self, *next_version));
                *next_version
            }
        }
    }
}

/// Memoised rendering, shared by the threads of one build.
#[derive(Default)]
pub(crate) struct RenderMemo {
    inner: Mutex<Inner>,
}

/// Everything the preview keeps: what it loaded and checked (`LoadMemo`), and what it
/// rendered (`RenderMemo`).
#[derive(Default)]
pub(crate) struct PreviewMemo {
    pub(crate) load: LoadMemo,
    pub(crate) render: RenderMemo,
}

impl Memo for PreviewMemo {
    fn load_year(&mut self, root: &Path, number: u16) -> Result<LoadedYear> {
        self.load.load_year(root, number)
    }

    fn check(&mut self, year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
        self.load.check(year, rules)
    }

    fn previous_year(
        &mut self,
        root: &Path,
        number: u16,
        rules: &RuleTables,
    ) -> Result<Arc<CheckedYear>> {
        self.load.previous_year(root, number, rules)
    }

    fn records<'a>(
        &'a self,
        year: &'a LoadedYear,
        rules: &'a RuleTables,
        readers: &'a Readers,
    ) -> Box<dyn Records + 'a> {
        Box::new(self.render.records(year, rules, readers))
    }

    fn changes(&self, site: &Site, readers: &Readers) -> Option<ChangesView> {
        self.render.changes(site, readers)
    }

    fn bodies(
        &self,
        kind: Bodies,
        sources: &[BodySource],
        render: &RenderBody,
    ) -> Vec<RenderedBody> {
        self.render.bodies(kind, sources, render)
    }

    fn view_value(&self, view: &mut YearView) -> Value {
        self.render.view_value(view)
    }

    fn see_globals(&self, globals: &Context) {
        self.render.begin_pages(globals);
    }

    fn plan_pages(&self, view: &YearView, extra: Vec<Page>) -> PagePlan {
        self.render.plan_pages(view, extra)
    }

    fn keeps_pages(&self) -> bool {
        true
    }

    fn drawn_pages(&self, drawn: Vec<SharedFiles>) {
        self.render.drawn_pages(drawn);
    }

    fn ledger(
        &self,
        year: &LoadedYear,
        rules: &RuleTables,
        visible: &[&RiskPoint],
        row: &(dyn Fn(&RiskPoint) -> Vec<String> + Sync),
    ) -> Arc<Vec<u8>> {
        self.render.ledger(year, rules, visible, row)
    }

    fn search_index(&self, points: &[Arc<PointView>], texts: &[Arc<str>]) -> SharedFiles {
        self.render
            .search_index(points, texts, crate::search::build_index)
    }

    fn archives(&self, site: &Site, sink: &dyn Sink) -> Result<()> {
        self.load.archives(site, sink)
    }
}

/// How much of the last build was reused.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MemoStats {
    pub(crate) rendered: usize,
    pub(crate) reused: usize,
}

/// Global template values made from the year's content, read only by some of the pages that
/// read the view as a whole (the home page's charts, its 较上年变化 summary and the year's
/// preamble, the changes page, the office's progress board). `preamble` stands for
/// `info.preamble_html`: the rest of `info` is on every page.
const VIEW_GLOBALS: [&str; 8] = [
    "changes",
    "matrix_svg",
    "timeline_svg",
    "grade_svg",
    "level_svg",
    "category_svg",
    "preamble",
    "progress_board",
];

/// The key of `info` that only the home page shows.
const PREAMBLE: &str = "preamble_html";

impl RenderMemo {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether page dependencies may be read from the page's own context (the templates are
    /// the default theme's). Changing it forgets every page.
    pub(crate) fn set_precise(&self, precise: bool) {
        let mut inner = self.lock();
        if inner.precise != precise {
            inner.precise = precise;
            inner.pages.clear();
        }
    }

    /// Forgets every page (the templates changed).
    pub(crate) fn forget_pages(&self) {
        self.lock().pages.clear();
    }

    /// Starts a build.
    pub(crate) fn begin(&self) {
        let mut inner = self.lock();
        inner.round += 1;
        inner.rendered = 0;
        inner.reused = 0;
    }

    /// Ends a build: drops everything not used in it.
    pub(crate) fn finish(&self) -> MemoStats {
        let mut inner = self.lock();
        let round = inner.round;
        inner.bodies.retain(round);
        inner.records.retain(round);
        inner.pages.retain(round);
        inner.ledger.retain(round);
        inner.changes.retain(round);
        MemoStats {
            rendered: inner.rendered,
            reused: inner.reused,
        }
    }

    /// Compares the global context with last round's. The values of `VIEW_GLOBALS` get
    /// versions of their own; a difference anywhere else (the year's information, anything a
    /// later version adds) means every page is rendered again.
    fn begin_pages(&self, global: &Context) {
        let mut rest = global.clone();
        // `v` itself was compared record by record in `view_value`.
        rest.remove("v");
        if let Some(info) = rest.remove("info") {
            let mut info = info.into_map().unwrap_or_default();
            let preamble = info.remove(&tera::value::Key::Str(PREAMBLE));
            rest.insert_value("preamble", preamble.unwrap_or_else(Value::none));
            rest.insert_value("info", Value::from(info));
        }
        let mut inner = self.lock();
        for name in VIEW_GLOBALS {
            let value = rest.remove(name).unwrap_or_else(Value::none);
            if inner
                .view_globals
                .get(name)
                .is_none_or(|(v, _)| *v != value)
            {
                let version = inner.bump();
                inner.view_globals.insert(name, (value, version));
            }
        }
        if inner.global_rest.as_ref() != Some(&rest) {
            inner.pages.clear();
            inner.global_rest = Some(rest);
        }
    }

    fn view_global(inner: &Inner, name: &str) -> u64 {
        inner.view_globals.get(name).map_or(0, |(_, v)| *v)
    }
}

/// The record's value and version: the remembered ones when the record is as before (the
/// same allocation, or equal).
fn remember<T: serde::Serialize + PartialEq>(
    kept: &mut FxHashMap<String, Record<Arc<T>>>,
    next_version: &mut u64,
    key: &str,
    record: &Arc<T>,
    round: u64,
) -> (Value, u64) {
    if let Some(r) = kept.get_mut(key)
        && r.round != round
        && (Arc::ptr_eq(&r.data, record) || r.data == *record)
    {
        r.round = round;
        r.data = Arc::clone(record);
        return (r.value.clone(), r.version);
    }
    *next_version += 1;
    let value = Value::from_serializable(&**record);
    kept.insert(
        key.to_string(),
        Record {
            data: Arc::clone(record),
            value: value.clone(),
            version: *next_version,
            round,
        },
    );
    (value, *next_version)
}
