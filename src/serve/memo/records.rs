//! The view's records, kept from one build to the next, and the templates' value `v` made
//! from them. Each record has a version that changes whenever its data does; the versions of
//! this build's records, by their index in `v`, are what the pages' dependencies are made of.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::Value;

use crate::audience::Readers;
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::RiskPoint;
use crate::render::view::{
    self, DeptView, Person, PersonDuties, PersonView, PointView, Records, YearView,
};
use crate::serve::memo::{Record, RenderMemo, Shared, remember};

/// A point's record, made from its file at a version.
struct PointRecord {
    file_version: u64,
    /// The `Shared` it was made with.
    shared: u64,
    view: Arc<PointView>,
    value: Value,
    version: u64,
    round: u64,
}

/// The parts of the view's value other than its records, which some pages read by name.
pub(super) const PARTS: [&str; 14] = [
    "number",
    "audience",
    "office",
    "unit_points",
    "sanzhong",
    "matrix",
    "stats",
    "key_posts",
    "key_post_rule",
    "show_names",
    "yellow_cards",
    "not_eligible",
    "oversight_date",
    "leaders",
];

#[derive(Default)]
pub(super) struct Kept {
    shared: Option<(Shared, u64)>,
    points: FxHashMap<String, PointRecord>,
    /// Persons' records by the allocation of their first point's record (kept alive here).
    people: FxHashMap<usize, PersonRecord>,
    persons: FxHashMap<String, Record<Arc<PersonView>>>,
    departments: FxHashMap<String, Record<Arc<DeptView>>>,
    /// The parts of the view's value besides its records, with their versions.
    parts: FxHashMap<&'static str, (Value, u64)>,
    /// This build's versions, by index into `v.points`, `v.persons` and `v.departments`.
    pub(super) point_versions: Vec<u64>,
    pub(super) person_versions: Vec<u64>,
    dept_versions: Vec<u64>,
    /// This build's point values, in the order of `point_versions`.
    point_values: Vec<Value>,
    /// Last build's `point_versions`, once `v` was made.
    previous_point_versions: Vec<u64>,
    /// What each department's pages and each person's forms read: the record's version, then
    /// the versions of the points and persons it lists.
    pub(super) dept_deps: Vec<Vec<u64>>,
    pub(super) person_deps: Vec<Vec<u64>>,
    /// The unit points' versions, in the order of `v.unit_points`.
    pub(super) unit_deps: Vec<u64>,
    /// A version of all the departments together, and of the whole of `v`.
    pub(super) departments_version: u64,
    pub(super) view_version: u64,
}

impl Kept {
    pub(super) fn retain(&mut self, round: u64) {
        self.points.retain(|_, r| r.round == round);
        self.people.retain(|_, r| r.round == round);
        self.persons.retain(|_, r| r.round == round);
        self.departments.retain(|_, r| r.round == round);
    }

    pub(super) fn part(&self, name: &str) -> u64 {
        self.parts.get(name).map_or(0, |(_, v)| *v)
    }
}

/// A person's record, and the point records at the places it was made from.
struct PersonRecord {
    dept: String,
    holder: String,
    /// The duties of the person's posts: read from the department's file, not the points.
    duties: PersonDuties,
    indexes: Vec<usize>,
    points: Vec<Arc<PointView>>,
    view: Arc<PersonView>,
    round: u64,
}

impl PersonRecord {
    fn made_from(&self, person: &Person) -> bool {
        self.dept == person.dept
            && self.holder == person.holder
            && self.duties == person.duties
            && self.indexes == person.indexes
            && self
                .indexes
                .iter()
                .zip(&self.points)
                .all(|(i, p)| person.points.get(*i).is_some_and(|q| Arc::ptr_eq(p, q)))
    }
}

/// The view's records for one build, through the memo (`view::build_with`).
pub(crate) struct KeptRecords<'a> {
    memo: &'a RenderMemo,
    year: &'a LoadedYear,
    rules: &'a RuleTables,
    readers: &'a Readers,
}

impl Records for KeptRecords<'_> {
    fn points(&self, sorted: &[&RiskPoint]) -> Vec<Arc<PointView>> {
        self.memo
            .point_views(self.year, self.rules, self.readers, sorted)
    }

    /// Kept while it is made from the same point records at the same places.
    fn person(&self, person: &Person, make: &dyn Fn() -> PersonView) -> Arc<PersonView> {
        let key = Arc::as_ptr(&person.points[person.indexes[0]]) as usize;
        let mut inner = self.memo.lock();
        let round = inner.round;
        if let Some(kept) = inner.records.people.get_mut(&key)
            && kept.round != round
            && kept.made_from(person)
        {
            kept.round = round;
            return Arc::clone(&kept.view);
        }
        drop(inner);
        let view = Arc::new(make());
        self.memo.lock().records.people.insert(
            key,
            PersonRecord {
                dept: person.dept.to_string(),
                holder: person.holder.to_string(),
                duties: person.duties.clone(),
                indexes: person.indexes.clone(),
                points: person
                    .indexes
                    .iter()
                    .map(|i| Arc::clone(&person.points[*i]))
                    .collect(),
                view: Arc::clone(&view),
                round,
            },
        );
        view
    }
}

impl RenderMemo {
    /// The view's records for one build of `year`.
    pub(crate) fn records<'a>(
        &'a self,
        year: &'a LoadedYear,
        rules: &'a RuleTables,
        readers: &'a Readers,
    ) -> KeptRecords<'a> {
        KeptRecords {
            memo: self,
            year,
            rules,
            readers,
        }
    }

    /// The records of the points `sorted` (in the view's order): kept where the point's file
    /// and what a record reads besides it are as before; the others made now, in parallel.
    /// A record made again but equal to the one kept keeps its version (a body edit leaves it
    /// so).
    fn point_views(
        &self,
        year: &LoadedYear,
        rules: &RuleTables,
        readers: &Readers,
        sorted: &[&RiskPoint],
    ) -> Vec<Arc<PointView>> {
        let shared = Shared::of(year, rules, Some(readers));
        let mut guard = self.lock();
        let inner = &mut *guard;
        let round = inner.round;
        let shared_version = shared.version(&mut inner.records.shared, &mut inner.next_version);
        let found: Vec<Option<(Arc<PointView>, Value, u64)>> = sorted
            .iter()
            .map(|p| {
                let r = inner.records.points.get_mut(&p.file)?;
                let file_version = year.versions.get(&p.file);
                (file_version != 0
                    && r.file_version == file_version
                    && r.shared == shared_version
                    && r.round != round)
                    .then(|| {
                        r.round = round;
                        (Arc::clone(&r.view), r.value.clone(), r.version)
                    })
            })
            .collect();
        drop(guard);
        let misses: Vec<usize> = (0..sorted.len()).filter(|i| found[*i].is_none()).collect();
        let made: Vec<PointView> = misses
            .par_iter()
            .map(|i| view::point_view(sorted[*i], year, rules, readers))
            .collect();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let mut found = found;
        for (i, made) in misses.into_iter().zip(made) {
            let p = sorted[i];
            let file_version = year.versions.get(&p.file);
            let (view, value, version) = match inner.records.points.get(&p.file) {
                // Made again from a changed file, but the same record.
                Some(r) if *r.view == made && r.round != round => {
                    (Arc::clone(&r.view), r.value.clone(), r.version)
                }
                _ => {
                    let value = Value::from_serializable(&made);
                    (Arc::new(made), value, inner.bump())
                }
            };
            inner.records.points.insert(
                p.file.clone(),
                PointRecord {
                    file_version,
                    shared: shared_version,
                    view: Arc::clone(&view),
                    value: value.clone(),
                    version,
                    round,
                },
            );
            found[i] = Some((view, value, version));
        }
        let mut views = Vec::with_capacity(found.len());
        let (mut versions, mut values) = (Vec::with_capacity(found.len()), Vec::new());
        values.reserve(found.len());
        for (view, value, version) in found.into_iter().flatten() {
            views.push(view);
            values.push(value);
            versions.push(version);
        }
        inner.records.point_versions = versions;
        inner.records.point_values = values;
        views
    }

    /// The template value of `view`, made from the records kept. `view.points` must be what
    /// `point_views` gave this build. The view is borrowed mutably only to serialise it
    /// without its records; it is left as it was.
    pub(crate) fn view_value(&self, view: &mut YearView) -> Value {
        let points = std::mem::take(&mut view.points);
        let persons = std::mem::take(&mut view.persons);
        let departments = std::mem::take(&mut view.departments);
        let rest = Value::from_serializable(&*view);
        let mut guard = self.lock();
        let inner = &mut *guard;
        let round = inner.round;
        let kept = &mut inner.records;
        let mut changed = kept.point_values.len() != points.len();
        // Persons and departments: compared with the records kept.
        let mut person_values = Vec::with_capacity(persons.len());
        let mut person_versions = Vec::with_capacity(persons.len());
        for p in &persons {
            let (value, version) = remember(
                &mut kept.persons,
                &mut inner.next_version,
                &p.form_url,
                p,
                round,
            );
            person_values.push(value);
            person_versions.push(version);
        }
        let mut dept_values = Vec::with_capacity(departments.len());
        let mut dept_versions = Vec::with_capacity(departments.len());
        for d in &departments {
            let (value, version) = remember(
                &mut kept.departments,
                &mut inner.next_version,
                &d.slug,
                &Arc::new(d.clone()),
                round,
            );
            dept_values.push(value);
            dept_versions.push(version);
        }
        // A record removed or moved changes `v` even when every other one is as it was.
        changed |= kept.person_versions != person_versions;
        if kept.dept_versions != dept_versions {
            changed = true;
            inner.next_version += 1;
            kept.departments_version = inner.next_version;
        }
        let mut map = rest.into_map().unwrap_or_default();
        for name in PARTS {
            let value = map
                .get(&tera::value::Key::Str(name))
                .cloned()
                .unwrap_or_else(Value::none);
            if kept.parts.get(name).is_none_or(|(v, _)| *v != value) {
                changed = true;
                inner.next_version += 1;
                kept.parts.insert(name, (value, inner.next_version));
            }
        }
        kept.dept_deps = departments
            .iter()
            .zip(&dept_versions)
            .map(|(d, version)| {
                std::iter::once(*version)
                    .chain(d.dept_points.iter().map(|i| kept.point_versions[*i]))
                    .chain(d.post_points.iter().map(|i| kept.point_versions[*i]))
                    .chain(d.persons.iter().map(|i| person_versions[*i]))
                    .collect()
            })
            .collect();
        kept.person_deps = persons
            .iter()
            .zip(&person_versions)
            .map(|(p, version)| {
                std::iter::once(*version)
                    .chain(p.points.iter().map(|i| kept.point_versions[*i]))
                    .collect()
            })
            .collect();
        kept.unit_deps = view
            .unit_points
            .iter()
            .map(|i| kept.point_versions[*i])
            .collect();
        kept.person_versions = person_versions;
        kept.dept_versions = dept_versions;
        // The points: their versions were set by `point_views`; compared with last build's.
        changed |= kept.point_versions != std::mem::take(&mut kept.previous_point_versions);
        kept.previous_point_versions
            .clone_from(&kept.point_versions);
        if changed || kept.view_version == 0 {
            inner.next_version += 1;
            kept.view_version = inner.next_version;
        }
        map.insert("points".into(), Value::from(kept.point_values.clone()));
        map.insert("persons".into(), Value::from(person_values));
        map.insert("departments".into(), Value::from(dept_values));
        drop(guard);
        view.points = points;
        view.persons = persons;
        view.departments = departments;
        Value::from(map)
    }
}
