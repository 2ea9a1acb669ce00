//! The data of the 较上年变化 page, for the preview: the previous year comes loaded with the
//! site (the preview keeps it while its files are unchanged, `PreviewMemo::previous_year`)
//! and each pair's changes are kept by the versions of its two files. Loading the previous
//! year afresh and comparing every pair took ~140 ms of each rebuild at 5,000 points a year.

use rustc_hash::FxHashMap;

use crate::audience::Readers;
use crate::content::site_config::RuleTables;
use crate::diff::notice::{self, ChangesView};
use crate::diff::{self, Change};
use crate::model::RiskPoint;
use crate::serve::memo::RenderMemo;
use crate::site::Site;

#[derive(Default)]
pub(super) struct Kept {
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
    /// `diff::notice::changes_between` with the site's previous year, each pair's changes
    /// kept by the versions of its two files.
    pub(super) fn changes(&self, site: &Site, readers: &Readers) -> Option<ChangesView> {
        let previous = site.previous.as_deref()?;
        let rules = &site.config.rules;
        let round = {
            let mut inner = self.lock();
            if inner.changes.rules.as_ref() != Some(rules) {
                inner.changes.pairs.clear();
                inner.changes.rules = Some(rules.clone());
            }
            inner.round
        };
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
        Some(notice::changes_between(
            site,
            previous,
            readers,
            &changes_of,
        ))
    }
}
