//! Rendering remembered from one build to the next, so that `gongshi serve` re-renders only the
//! pages an edit can change. `gongshi build` renders without it.
//!
//! Three things are kept, each reused only when its inputs are equal to last time's:
//!
//! - Markdown bodies, by file, line and text. Bodies with a flow diagram are always drawn
//!   afresh: a diagram may show other points (their grade, their page).
//! - The templates' value of the year's view (`v`): one value per point and per person, made
//!   again only when that record changed (each change gives the record a new version); the
//!   rest of the view is small and made every time.
//! - Pages, by template, own context, the rest of the global context, and the records of `v`
//!   the page reads. Which records a page reads follows from its own context, as the default
//!   theme's templates use them: `point_index` → that point; `dept_index` → the department,
//!   its points and persons; `person_index` → the person and their points; `indexes` → those
//!   points; any other page reads all of `v`, and only such pages read the charts and the
//!   changes since last year. Records are
//!   compared by identity and version, not by position, so a point added early in the order
//!   does not make every later page new. A theme whose templates differ from the default ones
//!   may read anything: then every page depends on all of `v` (`set_precise(false)`).
//!
//! `tests/serve.rs` checks the result against a fresh build after random edits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::render::pages::Page;
use crate::render::view::{PersonView, PointView, YearView};
use crate::search::{SearchDoc, SearchFile};

/// Global template values made from the year's content, read only by the pages that read all
/// of `v` (the home page's charts and its 较上年变化 summary, the changes page).
const VIEW_GLOBALS: [&str; 6] = [
    "changes",
    "matrix_svg",
    "timeline_svg",
    "grade_svg",
    "level_svg",
    "category_svg",
];

/// Page context keys that index into `v`; in precise mode a page is keyed by the records they
/// lead to instead.
const INDEX_KEYS: [&str; 4] = ["point_index", "dept_index", "person_index", "indexes"];

/// One record of the view: its data (to compare), its template value, and its version.
struct Record<T> {
    data: T,
    value: Value,
    version: u64,
    round: u64,
}

/// What a page read, as compared from one build to the next.
#[derive(Debug, Clone, PartialEq)]
enum Dep {
    /// A point or person record, by version (versions are never reused, so a version names
    /// one record as it was).
    Record(u64),
    /// A value compared as it is (a department).
    Value(Value),
    /// All of `v` (and the charts), at this version.
    All(u64),
}

/// A Markdown body as rendered: its text, HTML and plain text, and the round last used.
struct Body {
    source: String,
    rendered: (String, String),
    round: u64,
}

struct Kept {
    template: &'static str,
    /// The page's own context as rendered, and without its indexes into `v`.
    context: Context,
    own: Context,
    deps: Vec<Dep>,
    bytes: Arc<Vec<u8>>,
    round: u64,
}

/// A page's own context without its indexes into `v`.
fn own_context(context: &Context) -> Context {
    let mut own = context.clone();
    for key in INDEX_KEYS {
        own.remove(key);
    }
    own
}

#[derive(Default)]
struct Inner {
    round: u64,
    precise: bool,
    next_version: u64,
    bodies: HashMap<(String, usize), Body>,
    points: HashMap<String, Record<PointView>>,
    persons: HashMap<String, Record<PersonView>>,
    /// This round's record versions, by index into `v.points` and `v.persons`.
    point_versions: Vec<u64>,
    person_versions: Vec<u64>,
    /// Last round's view minus points and persons.
    view_rest: Option<Value>,
    /// Version of `v` as a whole and of the charts: changes whenever anything in them does.
    view_version: u64,
    /// Last round's global context minus `v` and the charts, and the charts.
    global_rest: Option<Context>,
    charts: Vec<Option<Value>>,
    pages: HashMap<String, Kept>,
    /// The search index: for which records, and its files.
    search: Option<(Vec<SearchDoc>, Vec<SearchFile>)>,
    /// Whether a changed index may be left for later (`take_deferred_search`).
    defer_search: bool,
    deferred_search: Option<Vec<SearchDoc>>,
    rendered: usize,
    reused: usize,
}

impl Inner {
    fn bump(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }
}

/// Memoised rendering, shared by the threads of one build.
#[derive(Default)]
pub struct RenderMemo {
    inner: Mutex<Inner>,
}

/// How much of the last build was reused.
#[derive(Debug, Clone, Copy, Default)]
pub struct MemoStats {
    pub rendered: usize,
    pub reused: usize,
}

fn is_memo_safe(body: &str) -> bool {
    !body.contains("flow") && !body.contains("mermaid")
}

impl RenderMemo {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether page dependencies may be read from the page's own context (the templates are
    /// the default theme's). Changing it forgets every page.
    pub fn set_precise(&self, precise: bool) {
        let mut inner = self.lock();
        if inner.precise != precise {
            inner.precise = precise;
            inner.pages.clear();
        }
    }

    /// Forgets every page (the templates changed).
    pub fn forget_pages(&self) {
        self.lock().pages.clear();
    }

    /// Starts a build.
    pub fn begin(&self) {
        let mut inner = self.lock();
        inner.round += 1;
        inner.rendered = 0;
        inner.reused = 0;
    }

    /// Ends a build: drops everything not used in it.
    pub fn finish(&self) -> MemoStats {
        let mut inner = self.lock();
        let round = inner.round;
        inner.bodies.retain(|_, b| b.round == round);
        inner.points.retain(|_, r| r.round == round);
        inner.persons.retain(|_, r| r.round == round);
        inner.pages.retain(|_, p| p.round == round);
        MemoStats {
            rendered: inner.rendered,
            reused: inner.reused,
        }
    }

    /// A body's HTML and plain text: remembered, or `render()`ed and remembered.
    pub fn body(
        &self,
        file: &str,
        line: usize,
        body: &str,
        render: impl FnOnce() -> (String, String),
    ) -> (String, String) {
        if !is_memo_safe(body) {
            return render();
        }
        let key = (file.to_string(), line);
        {
            let mut inner = self.lock();
            let round = inner.round;
            if let Some(kept) = inner.bodies.get_mut(&key)
                && kept.source == body
            {
                kept.round = round;
                return kept.rendered.clone();
            }
        }
        let rendered = render();
        let mut inner = self.lock();
        let round = inner.round;
        inner.bodies.insert(
            key,
            Body {
                source: body.to_string(),
                rendered: rendered.clone(),
                round,
            },
        );
        rendered
    }

    /// The template value of `view`, made from remembered records where they are unchanged.
    /// The view is borrowed mutably only to serialise it without its points and persons; it is
    /// left as it was.
    pub fn view_value(&self, view: &mut YearView) -> Value {
        let points = std::mem::take(&mut view.points);
        let persons = std::mem::take(&mut view.persons);
        let rest = Value::from_serializable(&*view);
        let mut guard = self.lock();
        let inner = &mut *guard;
        let round = inner.round;
        let mut changed = inner.view_rest.as_ref() != Some(&rest);
        let mut versions = (Vec::new(), Vec::new());
        let point_values: Vec<Value> = points
            .iter()
            .map(|p| {
                let (value, version) = remember(
                    &mut inner.points,
                    &mut inner.next_version,
                    &p.id,
                    p,
                    round,
                    &mut changed,
                );
                versions.0.push(version);
                value
            })
            .collect();
        let person_values: Vec<Value> = persons
            .iter()
            .map(|p| {
                let (value, version) = remember(
                    &mut inner.persons,
                    &mut inner.next_version,
                    &p.form_url,
                    p,
                    round,
                    &mut changed,
                );
                versions.1.push(version);
                value
            })
            .collect();
        // A record removed or moved changes `v` even when every other one is as it was.
        changed |= inner.point_versions != versions.0 || inner.person_versions != versions.1;
        if changed || inner.view_rest.is_none() {
            inner.view_version = inner.bump();
        }
        inner.view_rest = Some(rest.clone());
        (inner.point_versions, inner.person_versions) = versions;
        drop(guard);
        view.points = points;
        view.persons = persons;
        let mut map = rest.into_map().unwrap_or_default();
        map.insert("points".into(), Value::from(point_values));
        map.insert("persons".into(), Value::from(person_values));
        Value::from(map)
    }

    /// Compares the global context with last round's. The charts count as part of `v`; a
    /// difference anywhere else (the year's information, anything a later version adds) means
    /// every page is rendered again.
    pub fn begin_pages(&self, global: &Context) {
        let mut rest = global.clone();
        // `v` itself was compared record by record in `view_value`.
        rest.remove("v");
        let charts: Vec<Option<Value>> = VIEW_GLOBALS.iter().map(|k| rest.remove(k)).collect();
        let mut inner = self.lock();
        if inner.charts != charts {
            inner.view_version = inner.bump();
            inner.charts = charts;
        }
        if inner.global_rest.as_ref() != Some(&rest) {
            inner.pages.clear();
            inner.global_rest = Some(rest);
        }
    }

    /// Every page's bytes, in order: remembered when nothing the page reads changed, the
    /// others `render`ed in parallel.
    pub fn pages(
        &self,
        pages: &[Page],
        v: &Value,
        render: &(dyn Fn(&Page) -> anyhow::Result<Vec<u8>> + Sync),
    ) -> anyhow::Result<Vec<(String, Arc<Vec<u8>>)>> {
        let mut out: Vec<Option<Arc<Vec<u8>>>> = Vec::with_capacity(pages.len());
        let mut misses: Vec<(usize, Vec<Dep>)> = Vec::new();
        {
            let mut guard = self.lock();
            let inner = &mut *guard;
            let round = inner.round;
            for (i, page) in pages.iter().enumerate() {
                let precise = if inner.precise {
                    page_deps(inner, &page.context, v)
                } else {
                    None
                };
                let (deps, by_record) = match precise {
                    Some(deps) => (deps, true),
                    None => (vec![Dep::All(inner.view_version)], false),
                };
                let kept = inner.pages.get_mut(&page.path).filter(|k| {
                    k.template == page.template
                        && k.deps == deps
                        && (k.context == page.context
                            || (by_record && k.own == own_context(&page.context)))
                });
                match kept {
                    Some(kept) => {
                        kept.round = round;
                        out.push(Some(Arc::clone(&kept.bytes)));
                    }
                    None => {
                        out.push(None);
                        misses.push((i, deps));
                    }
                }
            }
            inner.reused += pages.len() - misses.len();
            inner.rendered += misses.len();
        }
        let rendered: Vec<Arc<Vec<u8>>> = misses
            .par_iter()
            .map(|(i, _)| render(&pages[*i]).map(Arc::new))
            .collect::<anyhow::Result<_>>()?;
        let mut inner = self.lock();
        let round = inner.round;
        for ((i, deps), bytes) in misses.into_iter().zip(rendered) {
            let page = &pages[i];
            inner.pages.insert(
                page.path.clone(),
                Kept {
                    template: page.template,
                    context: page.context.clone(),
                    own: own_context(&page.context),
                    deps,
                    bytes: Arc::clone(&bytes),
                    round,
                },
            );
            out[i] = Some(bytes);
        }
        Ok(pages
            .iter()
            .zip(out)
            .map(|(page, bytes)| (page.path.clone(), bytes.unwrap_or_default()))
            .collect())
    }

    /// Lets a changed search index wait: `search_index` then returns the previous files and
    /// `take_deferred_search` the records to index. The preview publishes the pages first and
    /// the index right after; a build builds it at once.
    pub fn set_defer_search(&self, defer: bool) {
        self.lock().defer_search = defer;
    }

    /// The search files for `docs`: the remembered ones when the records are as before.
    pub fn search_index(
        &self,
        docs: Vec<SearchDoc>,
        build: impl FnOnce(&[SearchDoc]) -> Vec<SearchFile>,
    ) -> Vec<SearchFile> {
        let mut inner = self.lock();
        inner.deferred_search = None;
        match &inner.search {
            Some((kept, files)) if *kept == docs => return files.clone(),
            Some((_, files)) if inner.defer_search => {
                let files = files.clone();
                inner.deferred_search = Some(docs);
                return files;
            }
            _ => {}
        }
        drop(inner);
        let files = build(&docs);
        self.lock().search = Some((docs, files.clone()));
        files
    }

    /// The records whose index was deferred by the last build, if any.
    pub fn take_deferred_search(&self) -> Option<Vec<SearchDoc>> {
        self.lock().deferred_search.take()
    }

    /// Remembers `files` as the index of `docs` (built from what `take_deferred_search`
    /// gave); returns the files of the index it replaces.
    pub fn accept_search(&self, docs: Vec<SearchDoc>, files: Vec<SearchFile>) -> Vec<SearchFile> {
        self.lock()
            .search
            .replace((docs, files))
            .map(|(_, f)| f)
            .unwrap_or_default()
    }
}

/// The record's value and version: the remembered ones when the record is as before.
fn remember<T: serde::Serialize + PartialEq + Clone>(
    kept: &mut HashMap<String, Record<T>>,
    next_version: &mut u64,
    key: &str,
    record: &T,
    round: u64,
    changed: &mut bool,
) -> (Value, u64) {
    if let Some(r) = kept.get_mut(key)
        && r.round != round
        && r.data == *record
    {
        r.round = round;
        return (r.value.clone(), r.version);
    }
    *changed = true;
    *next_version += 1;
    let value = Value::from_serializable(record);
    kept.insert(
        key.to_string(),
        Record {
            data: record.clone(),
            value: value.clone(),
            version: *next_version,
            round,
        },
    );
    (value, *next_version)
}

fn index(context: &Context, key: &str) -> Option<usize> {
    context
        .get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

fn indexes(value: Option<&Value>) -> Vec<usize> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_u64)
                .filter_map(|n| usize::try_from(n).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The records of `v` a page of the default theme reads, from its own context; `None` when it
/// may read anything.
fn page_deps(inner: &Inner, context: &Context, v: &Value) -> Option<Vec<Dep>> {
    let point = |i: usize| Dep::Record(inner.point_versions.get(i).copied().unwrap_or(0));
    let person = |i: usize| Dep::Record(inner.person_versions.get(i).copied().unwrap_or(0));
    if let Some(i) = index(context, "point_index") {
        return Some(vec![point(i)]);
    }
    if let Some(i) = index(context, "dept_index") {
        let dept = v
            .get_from_path("departments")
            .and_then(Value::as_array)?
            .get(i)?;
        let mut deps = vec![Dep::Value(dept.clone())];
        for key in ["dept_points", "post_points"] {
            deps.extend(indexes(dept.get_from_path(key)).into_iter().map(point));
        }
        deps.extend(
            indexes(dept.get_from_path("persons"))
                .into_iter()
                .map(person),
        );
        return Some(deps);
    }
    if let Some(i) = index(context, "person_index") {
        let record = v
            .get_from_path("persons")
            .and_then(Value::as_array)?
            .get(i)?;
        let mut deps = vec![person(i)];
        deps.extend(
            indexes(record.get_from_path("points"))
                .into_iter()
                .map(point),
        );
        return Some(deps);
    }
    if context.contains_key("indexes") {
        return Some(
            indexes(context.get("indexes"))
                .into_iter()
                .map(point)
                .collect(),
        );
    }
    None
}
