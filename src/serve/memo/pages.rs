//! Pages kept from one build to the next. A page is drawn again only when its key changed:
//! its template, title, navigation, own context and the versions of everything it reads.
//!
//! What a page reads, with the default theme's templates (`precise`): a point's page, that
//! point and its body; a department's pages, the department, its points and persons (and its
//! page, its body; its print page, the forms of those persons and points); a person's forms, the person and their points; a list, its points. The
//! pages that read the view as a whole read only these parts of it, as their templates say
//! (a test below reads the templates and fails when one reads more than this table says, or
//! a template is added that it does not know):
//!
//! | template | reads |
//! |---|---|
//! | year.html | `v.stats`, the number of departments, the charts, `changes`, the preamble, `v.leaders` |
//! | departments.html | `v.departments` |
//! | unit.html | `v.sanzhong` and the unit points |
//! | oversight.html | `v.key_posts`, `v.key_post_rule`, `v.show_names`, `v.yellow_cards`, `v.not_eligible`, `v.oversight_date` |
//! | forms.html | `v.departments`, `v.persons` |
//! | form_unit.html | `v.unit_points` and the unit points |
//! | changes.html | `changes` |
//! | progress.html | `progress_board` (the office's build) |
//!
//! Any other page, and every page of a theme whose templates differ from the default ones,
//! depends on the whole of `v`, the charts and `changes`; its own context is then compared as
//! it is (a template might print an index).
//!
//! With the default templates, a point's, a person's and a department's pages are kept with
//! the version of the record they show, and found by it: as long as that record and what else
//! the pages read are as before, they are not even described again (`year_pages`): at 5,000
//! points, describing and comparing all 12,000 pages took longer than drawing the one that
//! changed.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::build::memo::PagePlan;
use crate::build::sink::SharedFiles;
use crate::render::pages::{self, Own, Page};
use crate::render::view::YearView;
use crate::serve::memo::{Inner, RenderMemo};

/// What a page of the default theme that reads the view as a whole reads of it, by template
/// (the table above); `None`: the template is not one of them.
pub(crate) const WHOLE_VIEW_READS: [(&str, &[&str]); 8] = [
    (
        "year.html",
        &[
            "stats",
            "departments.len",
            "matrix_svg",
            "timeline_svg",
            "grade_svg",
            "level_svg",
            "category_svg",
            "changes",
            "preamble",
            "leaders",
        ],
    ),
    ("departments.html", &["departments"]),
    ("unit.html", &["sanzhong", "unit_points.records"]),
    (
        "oversight.html",
        &[
            "key_posts",
            "key_post_rule",
            "show_names",
            "yellow_cards",
            "not_eligible",
            "oversight_date",
        ],
    ),
    ("forms.html", &["departments", "persons.records"]),
    ("form_unit.html", &["unit_points", "unit_points.records"]),
    ("changes.html", &["changes"]),
    ("progress.html", &["progress_board"]),
];

/// Everything a kept page was drawn from, as compared from one build to the next.
#[derive(PartialEq)]
pub(super) struct Key {
    template: &'static str,
    title: String,
    nav: &'static str,
    /// The own context as it is, or (precise) only what is not an index into `v`.
    own: Own,
    /// Versions of what the page reads (and, for the number of departments, that number).
    deps: Vec<u64>,
}

pub(super) struct Kept {
    key: Key,
    path: Arc<str>,
    bytes: Arc<Vec<u8>>,
    round: u64,
}

/// The pages of one record (a point, a person, a department), kept by the record's version
/// (versions are never reused): the versions of what else they read, and their files.
struct Group {
    deps: Vec<u64>,
    files: SharedFiles,
    round: u64,
}

/// Which record a group of pages shows.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Shows {
    Point(u64),
    Person(u64),
    Department(u64),
}

#[derive(Default)]
pub(super) struct KeptPages {
    by_path: FxHashMap<String, Kept>,
    groups: FxHashMap<Shows, Group>,
}

impl KeptPages {
    pub(super) fn clear(&mut self) {
        self.by_path.clear();
        self.groups.clear();
    }

    pub(super) fn retain(&mut self, round: u64) {
        self.by_path.retain(|_, k| k.round == round);
        self.groups.retain(|_, g| g.round == round);
    }
}

/// Pages to draw, and where to keep them: as the group of a record, or each by its path.
struct Miss {
    keep: Keep,
    pages: Vec<Page>,
}

/// Where to keep the pages of a group once drawn.
pub(super) enum Keep {
    Group(Shows, Vec<u64>),
    Path(Key),
}

/// The page's own context without its indexes into `v`, which precise dependencies replace by
/// the versions of the records they lead to.
fn without_indexes(own: &Own) -> Own {
    match own {
        Own::List { note, .. } => Own::List {
            indexes: Vec::new(),
            note: note.clone(),
        },
        Own::Department(_) => Own::Department(0),
        Own::DepartmentForm(_) => Own::DepartmentForm(0),
        Own::DepartmentPrint(_) => Own::DepartmentPrint(0),
        Own::Person(_) => Own::Person(0),
        Own::Point(_) => Own::Point(0),
        Own::Nothing => Own::Nothing,
    }
}

impl Inner {
    fn key(&self, page: &Page) -> Key {
        let records = &self.records;
        let bodies = &self.bodies;
        let at = |versions: &[u64], i: usize| versions.get(i).copied().unwrap_or(0);
        let (own, deps) = if self.precise {
            let deps = match &page.own {
                Own::Point(i) => vec![at(&records.point_versions, *i), at(&bodies.points, *i)],
                Own::Department(i) => {
                    let mut deps = records.dept_deps.get(*i).cloned().unwrap_or_default();
                    deps.push(at(&bodies.departments, *i));
                    deps
                }
                Own::DepartmentForm(i) | Own::DepartmentPrint(i) => {
                    records.dept_deps.get(*i).cloned().unwrap_or_default()
                }
                Own::Person(i) => records.person_deps.get(*i).cloned().unwrap_or_default(),
                Own::List { indexes, .. } => indexes
                    .iter()
                    .map(|i| at(&records.point_versions, *i))
                    .collect(),
                Own::Nothing => self.whole_view_deps(page.template),
            };
            (without_indexes(&page.own), deps)
        } else {
            let mut deps = self.whole_view_deps("");
            match &page.own {
                Own::Point(i) => deps.push(at(&bodies.points, *i)),
                Own::Department(i) => deps.push(at(&bodies.departments, *i)),
                _ => {}
            }
            (page.own.clone(), deps)
        };
        Key {
            template: page.template,
            title: page.title.clone(),
            nav: page.nav,
            own,
            deps,
        }
    }

    /// The dependencies of a page that reads the view as a whole, by its template.
    fn whole_view_deps(&self, template: &str) -> Vec<u64> {
        let records = &self.records;
        let reads = WHOLE_VIEW_READS
            .iter()
            .find(|(t, _)| *t == template && self.precise)
            .map(|(_, reads)| *reads);
        let Some(reads) = reads else {
            let mut deps = vec![records.view_version];
            deps.extend(
                super::VIEW_GLOBALS
                    .iter()
                    .map(|g| RenderMemo::view_global(self, g)),
            );
            return deps;
        };
        let mut deps = Vec::new();
        for read in reads {
            match *read {
                "departments" => deps.push(records.departments_version),
                "departments.len" => deps.push(records.dept_deps.len() as u64),
                "persons.records" => deps.extend(&records.person_versions),
                "unit_points.records" => deps.extend(&records.unit_deps),
                global if super::VIEW_GLOBALS.contains(&global) => {
                    deps.push(RenderMemo::view_global(self, global));
                }
                part => deps.push(records.part(part)),
            }
        }
        deps
    }
}

impl RenderMemo {
    /// Every page of the year for `view` (`pages::year_pages`) and the `extra` ones: those
    /// kept when nothing they read changed, and the others in groups to draw, to be handed
    /// back to `drawn` in the plan's order.
    pub(super) fn plan_pages(&self, view: &YearView, extra: Vec<Page>) -> PagePlan {
        let y = view.number;
        let mut guard = self.lock();
        let inner = &mut *guard;
        if !inner.precise {
            let mut all = pages::year_pages(view);
            all.extend(extra);
            return inner.plan_by_path(all, Vec::new(), Vec::new());
        }
        let mut general = pages::whole_view_pages(y);
        general.extend(pages::list_pages(view));
        general.extend(extra);
        let mut kept: SharedFiles = Vec::with_capacity(view.points.len() * 2 + 64);
        let mut misses: Vec<Miss> = Vec::new();
        let round = inner.round;
        let (records, bodies) = (&inner.records, &inner.bodies);
        let at = |versions: &[u64], i: usize| versions.get(i).copied().unwrap_or(0);
        let mut look = |shows: Shows, deps: Vec<u64>, pages: &dyn Fn() -> Vec<Page>| match inner
            .pages
            .groups
            .get_mut(&shows)
        {
            Some(found) if found.deps == deps && found.round != round => {
                found.round = round;
                kept.extend(found.files.iter().cloned());
            }
            _ => misses.push(Miss {
                keep: Keep::Group(shows, deps),
                pages: pages(),
            }),
        };
        for (i, point) in view.points.iter().enumerate() {
            look(
                Shows::Point(at(&records.point_versions, i)),
                vec![at(&bodies.points, i)],
                &|| vec![pages::point_page(y, i, point)],
            );
        }
        for (i, person) in view.persons.iter().enumerate() {
            look(
                Shows::Person(at(&records.person_versions, i)),
                records.person_deps.get(i).cloned().unwrap_or_default(),
                &|| pages::person_pages(y, i, person).into(),
            );
        }
        for (i, d) in view.departments.iter().enumerate() {
            let mut deps = records.dept_deps.get(i).cloned().unwrap_or_default();
            deps.push(at(&bodies.departments, i));
            look(
                Shows::Department(deps.first().copied().unwrap_or(0)),
                deps,
                &|| pages::department_pages(y, i, d, view.office),
            );
        }
        inner.plan_by_path(general, kept, misses)
    }

    /// Keeps the pages drawn from the last plan's groups (`drawn[i]` from `groups[i]`).
    pub(super) fn drawn_pages(&self, drawn: Vec<SharedFiles>) {
        let mut inner = self.lock();
        let round = inner.round;
        let planned = std::mem::take(&mut inner.planned);
        for (keep, files) in planned.into_iter().zip(drawn) {
            inner.rendered += files.len();
            match keep {
                Keep::Group(shows, deps) => {
                    inner
                        .pages
                        .groups
                        .insert(shows, Group { deps, files, round });
                }
                Keep::Path(key) => {
                    if let Some((path, bytes)) = files.into_iter().next() {
                        inner.pages.by_path.insert(
                            path.to_string(),
                            Kept {
                                key,
                                path,
                                bytes,
                                round,
                            },
                        );
                    }
                }
            }
        }
    }
}

impl Inner {
    /// Looks each of `general` up by its path, adding the kept ones to `kept` and the others
    /// to `misses`; the plan draws every miss (a group's pages one after the other), and
    /// remembers how to keep each.
    fn plan_by_path(
        &mut self,
        general: Vec<Page>,
        mut kept: SharedFiles,
        mut misses: Vec<Miss>,
    ) -> PagePlan {
        let round = self.round;
        for page in general {
            let key = self.key(&page);
            match self
                .pages
                .by_path
                .get_mut(&page.path)
                .filter(|k| k.key == key && k.round != round)
            {
                Some(found) => {
                    found.round = round;
                    kept.push((Arc::clone(&found.path), Arc::clone(&found.bytes)));
                }
                None => misses.push(Miss {
                    keep: Keep::Path(key),
                    pages: vec![page],
                }),
            }
        }
        self.reused += kept.len();
        let (keeps, groups) = misses.into_iter().map(|m| (m.keep, m.pages)).unzip();
        self.planned = keeps;
        PagePlan { kept, groups }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::TEMPLATES;

    /// What a template reads of `v`, by field (`v.stats` → `stats`), with how it reads it:
    /// `[` (one record), `|` (through a filter, e.g. its length) or `.` (anything else), and
    /// the view's global values it names. Includes count as part of the template.
    fn reads(name: &str) -> Vec<(String, char)> {
        let text = TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .unwrap_or_default();
        let mut found = Vec::new();
        for (at, _) in text.match_indices("v.") {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = &text[at + 2..];
            let field: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let how = match rest[field.len()..].trim_start().chars().next() {
                Some('[') => '[',
                Some('|') => '|',
                _ => '.',
            };
            found.push((field, how));
        }
        for global in super::super::VIEW_GLOBALS {
            if text.contains(global) {
                found.push((global.to_string(), '.'));
            }
        }
        if text.contains(super::super::PREAMBLE) {
            found.push(("preamble".to_string(), '.'));
        }
        for (at, _) in text.match_indices("{% include \"") {
            let included: String = text[at + 12..].chars().take_while(|c| *c != '"').collect();
            found.extend(reads(&included));
        }
        found
    }

    /// The table's words for what a whole-view template may read.
    fn allowed(read: &(String, char), table: &[&str]) -> bool {
        let (field, how) = (read.0.as_str(), read.1);
        table.iter().any(|entry| match *entry {
            "departments.len" => field == "departments" && how == '|',
            "persons.records" => field == "persons",
            "unit_points.records" => field == "points" && how == '[',
            other => other == field,
        })
    }

    #[test]
    fn the_default_templates_read_no_more_than_the_memo_says() {
        // Pages with an index read only the records it leads to.
        let indexed: [(&str, &[&str]); 8] = [
            ("point.html", &["points"]),
            ("department.html", &["departments", "persons", "points"]),
            ("form_dept.html", &["departments", "points"]),
            ("pledge_dept.html", &["departments", "points"]),
            ("form_person.html", &["persons", "points"]),
            ("pledge_person.html", &["persons", "points"]),
            ("list.html", &["points"]),
            // Its forms are drawn from the same records (src/build/print.rs).
            ("print_dept.html", &["departments", "persons", "points"]),
        ];
        for (template, fields) in indexed {
            for read in reads(template) {
                assert!(
                    fields.contains(&read.0.as_str()) && read.1 == '[',
                    "{template} reads v.{} ({}) beyond its records: src/render/memo/pages.rs",
                    read.0,
                    read.1
                );
            }
        }
        for (template, table) in WHOLE_VIEW_READS {
            for read in reads(template) {
                assert!(
                    allowed(&read, table),
                    "{template} reads {} ({}), which WHOLE_VIEW_READS does not list",
                    read.0,
                    read.1
                );
            }
        }
        // Every other template is the base, an include, or a page of the site root (which
        // the memo does not keep).
        for (template, _) in TEMPLATES {
            let known = indexed.iter().any(|(t, _)| t == template)
                || WHOLE_VIEW_READS.iter().any(|(t, _)| t == template)
                || [
                    "base.html",
                    "point_card.html",
                    "root_index.html",
                    "years.html",
                ]
                .contains(template);
            assert!(
                known,
                "{template}: what does it read? src/render/memo/pages.rs"
            );
            if ["base.html", "root_index.html", "years.html"].contains(template) {
                assert!(reads(template).is_empty(), "{template} reads the view");
            }
        }
    }
}
