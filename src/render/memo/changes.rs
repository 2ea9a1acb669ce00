//! The data of the 较上年变化 page, for the preview: the previous year's site comes loaded
//! from the preview (`set_previous_year`, which keeps it while its files are unchanged) and
//! each pair's changes are kept by the versions of its two files. Loading the previous year
//! afresh and comparing every pair took ~140 ms of each rebuild at 5,000 points a year.

use std::sync::Arc;

use anyhow::Result;
use rustc_hash::FxHashMap;

use crate::audience::Audience;
use crate::content::site_config::RuleTables;
use crate::diff::notice::{self, ChangesView};
use crate::diff::{self, Change};
use crate::model::RiskPoint;
use crate::render::memo::RenderMemo;
use crate::site::Site;

#[derive(Default)]
pub(super) struct Kept {
    previous: Option<Arc<Site>>,
    rules: Option<RuleTables>,
    /// Each pair's changes by (earlier file's version, later file's version).
    pairs: FxHashMap<(u64, u64), (Vec<Change>, u64)>,
}

impl Kept {
    pub(super) fn retain(&mut self, round: u64) {
        self.pairs.retain(|_, (_, r)| *r == round);
    }
}

impl RenderMemo {
    /// The previous year's site, loaded and checked, for `changes`; `None` to let go of it.
    pub fn set_previous_year(&self, site: Option<Arc<Site>>) {
        self.lock().changes.previous = site;
    }

    /// `diff::notice::changes_view`, from the previous year's site given to
    /// `set_previous_year` (else loaded here) and the pairs' changes kept.
    pub fn changes(&self, site: &Site, audience: &Audience) -> Result<Option<ChangesView>> {
        let Some(number) = notice::previous_year(site) else {
            return Ok(None);
        };
        let rules = &site.config.rules;
        let previous = {
            let mut inner = self.lock();
            if inner.changes.rules.as_ref() != Some(rules) {
                inner.changes.pairs.clear();
                inner.changes.rules = Some(rules.clone());
            }
            inner
                .changes
                .previous
                .clone()
                .filter(|p| p.year.number == number)
        };
        let Some(previous) = previous else {
            return notice::changes_view(site, audience);
        };
        let round = self.lock().round;
        let changes_of = |p: &RiskPoint, c: &RiskPoint| {
            let key = (
                previous.year.versions.get(&p.file),
                site.year.versions.get(&c.file),
            );
            if key.0 == 0 || key.1 == 0 {
                return diff::changes(p, c, rules);
            }
            if let Some((kept, used)) = self.lock().changes.pairs.get_mut(&key) {
                *used = round;
                return kept.clone();
            }
            let changes = diff::changes(p, c, rules);
            self.lock()
                .changes
                .pairs
                .insert(key, (changes.clone(), round));
            changes
        };
        Ok(Some(notice::changes_between(
            site,
            &previous,
            audience,
            &changes_of,
        )))
    }
}
