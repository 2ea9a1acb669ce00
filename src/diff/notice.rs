//! The notice's 较上年变化 page (`changes.html` in the year folder): the comparison with the
//! previous year, narrowed to what one audience may see.
//!
//! In: the site being built (with its previous year) and its audience. Out: the page's data. Both years go through `Readers::may_see`: a point this audience may not see
//! this year never appears, not even by title (a point hidden or unapproved this year is left
//! out entirely, never listed as removed); a point it could not see last year but can now is
//! "newly published", with nothing said about last year's version.

use serde::Serialize;

use crate::audience::Readers;
use crate::content::LoadedYear;
use crate::diff::{self, Change, match_points_with};
use crate::model::RiskPoint;
use crate::render::view::point_url;
use crate::site::{CheckedYear, Site};

/// One point on the page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoticeEntry {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) level: &'static str,
    pub(crate) dept_name: String,
    pub(crate) grade: &'static str,
    pub(crate) grade_n: u8,
    /// This year's page of the point, relative to the year folder; `None` for removed points.
    pub(crate) url: Option<String>,
    /// One line per change (`Change::describe`).
    pub(crate) details: Vec<String>,
}

/// The data of `changes.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangesView {
    pub(crate) previous: u16,
    /// False when the previous year has content errors: it is then not compared at all.
    pub(crate) comparable: bool,
    pub(crate) added: Vec<NoticeEntry>,
    pub(crate) newly_published: Vec<NoticeEntry>,
    pub(crate) changed: Vec<NoticeEntry>,
    pub(crate) removed: Vec<NoticeEntry>,
    pub(crate) unchanged: usize,
}

fn entry(year: &LoadedYear, p: &RiskPoint, url: bool, details: Vec<String>) -> NoticeEntry {
    let grade = p.grade();
    NoticeEntry {
        id: p.id.value.clone(),
        title: p.title.value.clone(),
        level: crate::model::Term::term(p.level.value),
        dept_name: year.point_dept_name(p),
        grade: crate::model::Term::term(grade),
        grade_n: grade.number(),
        url: url.then(|| point_url(p)),
        details,
    }
}

/// The page's data for this audience, from the previous year (loaded and checked with the
/// site, `Site::previous`), with each pair's changes from `changes_of` (`diff::changes`; the
/// preview keeps them).
pub(crate) fn changes_between(
    site: &Site,
    prev_site: &CheckedYear,
    readers: &Readers,
    changes_of: &dyn Fn(&RiskPoint, &RiskPoint) -> Vec<Change>,
) -> ChangesView {
    let mut view = ChangesView {
        previous: prev_site.year.number,
        comparable: prev_site.error_count() == 0,
        added: Vec::new(),
        newly_published: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        unchanged: 0,
    };
    if !view.comparable {
        return view;
    }
    let rules = &site.config.rules;
    let (prev, cur) = (&prev_site.year, &site.year);
    let sees = |p: &RiskPoint| readers.may_see(p, rules);
    let matching = match_points_with(&prev.points, &cur.points, changes_of);
    for p in matching.added.iter().filter(|p| sees(p)) {
        view.added.push(entry(cur, p, true, Vec::new()));
    }
    for p in matching.removed.iter().filter(|p| sees(p)) {
        view.removed.push(entry(prev, p, false, Vec::new()));
    }
    for pair in matching.pairs.iter().filter(|pair| sees(pair.cur)) {
        if !sees(pair.prev) {
            view.newly_published
                .push(entry(cur, pair.cur, true, Vec::new()));
        } else if pair.changes.is_empty() {
            view.unchanged += 1;
        } else {
            let details = pair.changes.iter().map(diff::Change::describe).collect();
            view.changed.push(entry(cur, pair.cur, true, details));
        }
    }
    view
}
