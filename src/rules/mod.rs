//! The programme's rules (SPEC section 5), one module per family. Each family looks at the
//! loaded year and returns diagnostics; `check` runs them all.
//!
//! Most rules look at one point at a time, given the year's shared context (its leaders, the
//! departments, the rule tables); a few look across files (duplicate ids, references, the
//! diagrams' `@ID`s). `gongshi serve` keeps each point's own findings (`memo::RulesMemo`) and
//! runs only the cross-file part over the whole year again: the families read their points'
//! findings through `Context::per_point`, so both ways give the same diagnostics in the same
//! order.

mod bodies;
mod grading;
mod identity;
mod key_posts;
mod measures;
pub(crate) mod memo;
pub(crate) mod mentions;
mod references;
mod responsibility;
pub(crate) mod review;

use std::sync::Arc;

use rayon::prelude::*;

use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::diagnostic::Diagnostic;
use crate::model::RiskPoint;

/// Everything a rule may look at.
pub(crate) struct Context<'a> {
    pub(crate) year: &'a LoadedYear,
    pub(crate) rules: &'a RuleTables,
    /// Each point's own findings, in the order of `year.points`, when they were kept.
    found: Option<&'a [Arc<PointFindings>]>,
    /// What `hidden-mention` kept from the last check, when it was kept.
    mentions: Option<&'a std::sync::Mutex<mentions::Memo>>,
}

/// A family of rules: reads the context, adds its diagnostics.
type Family = fn(&Context, &mut Vec<Diagnostic>);

/// The rules that look at one point alone (given the shared context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PerPoint {
    Identity,
    Grading,
    Responsibility,
    Measures,
    Review,
    /// The body's HTML (`unsafe-html`); its diagrams are checked with the year.
    Body,
}

/// What the per-point rules found in one point.
#[derive(Debug, Clone, Default)]
pub(crate) struct PointFindings {
    by_rule: [Vec<Diagnostic>; 6],
    /// The body may hold a diagram.
    has_fence: bool,
}

impl PointFindings {
    /// Runs every per-point rule on `point`.
    fn of_point(cx: &Context, point: &RiskPoint) -> PointFindings {
        let mut found = PointFindings::default();
        identity::point(cx, point, &mut found.by_rule[PerPoint::Identity as usize]);
        grading::point(cx, point, &mut found.by_rule[PerPoint::Grading as usize]);
        responsibility::point(
            cx,
            point,
            &mut found.by_rule[PerPoint::Responsibility as usize],
        );
        measures::point(cx, point, &mut found.by_rule[PerPoint::Measures as usize]);
        review::point(cx, point, &mut found.by_rule[PerPoint::Review as usize]);
        found.has_fence = bodies::point(cx, point, &mut found.by_rule[PerPoint::Body as usize]);
        found
    }

    fn of(&self, rules: PerPoint) -> &[Diagnostic] {
        &self.by_rule[rules as usize]
    }
}

impl Context<'_> {
    /// The findings of the `rules` on the `i`th point: kept, or found now.
    fn per_point(&self, rules: PerPoint, i: usize, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
        if let Some(found) = self.found {
            out.extend(found[i].of(rules).iter().cloned());
            return;
        }
        match rules {
            PerPoint::Identity => identity::point(self, point, out),
            PerPoint::Grading => grading::point(self, point, out),
            PerPoint::Responsibility => responsibility::point(self, point, out),
            PerPoint::Measures => measures::point(self, point, out),
            PerPoint::Review => review::point(self, point, out),
            PerPoint::Body => {
                bodies::point(self, point, out);
            }
        }
    }
}

const FAMILIES: [Family; 9] = [
    identity::check,
    grading::check,
    responsibility::check,
    measures::check,
    review::check,
    references::check,
    bodies::check,
    key_posts::check,
    mentions::check,
];

pub(crate) fn check(year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
    let cx = Context {
        year,
        rules,
        found: None,
        mentions: None,
    };
    // The families are independent: they run in parallel (a 10,000-point year kept the main
    // thread busy ~20 ms with them), and their diagnostics are joined in this order.
    let found: Vec<Vec<Diagnostic>> = FAMILIES
        .par_iter()
        .map(|family| {
            let mut out = Vec::new();
            family(&cx, &mut out);
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// As `check`, with each point's own findings taken from `memo` where the point and the
/// shared context are as they were (`gongshi serve`).
pub(crate) fn check_cached(
    year: &LoadedYear,
    rules: &RuleTables,
    memo: &mut memo::RulesMemo,
) -> Vec<Diagnostic> {
    let found = memo.findings(year, rules, |point| {
        let cx = Context {
            year,
            rules,
            found: None,
            mentions: None,
        };
        PointFindings::of_point(&cx, point)
    });
    let cx = Context {
        year,
        rules,
        found: Some(&found),
        mentions: Some(&memo.mentions),
    };
    // What is left is light: one pass over the points per family.
    let mut out = Vec::new();
    for family in FAMILIES {
        family(&cx, &mut out);
    }
    out
}
