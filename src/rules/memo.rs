//! Each point's own findings, kept from one check to the next (`gongshi serve`): a point's
//! findings are found again only when its file's version changed (src/content/versions.rs)
//! or the part of the year the per-point rules read besides the point did.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::{Deadlines, Leaders, Notice, Phase, RiskPoint};
use crate::rules::PointFindings;

/// What the per-point rules read besides the point: the leaders and the calendar
/// (responsibility, review: the phases and the deadlines), each department's name and head
/// and the department folders (responsibility), the rule tables.
#[derive(PartialEq)]
struct Shared {
    year: Option<(Leaders, Notice, Vec<Phase>, Deadlines)>,
    departments: Vec<(String, String, String)>,
    dept_folders: Vec<String>,
    rules: RuleTables,
}

impl Shared {
    fn of(year: &LoadedYear, rules: &RuleTables) -> Shared {
        Shared {
            year: year.info.as_ref().map(|i| {
                (
                    i.leaders.clone(),
                    i.notice.clone(),
                    i.phases.clone(),
                    i.deadlines.clone(),
                )
            }),
            departments: year
                .departments
                .iter()
                .map(|d| (d.slug.clone(), d.name.value.clone(), d.head.value.clone()))
                .collect(),
            dept_folders: year.dept_folders.clone(),
            rules: rules.clone(),
        }
    }
}

struct Kept {
    version: u64,
    found: Arc<PointFindings>,
    round: u64,
}

#[derive(Default)]
pub(crate) struct RulesMemo {
    /// What `hidden-mention` keeps (src/rules/mentions.rs).
    pub(crate) mentions: std::sync::Mutex<crate::rules::mentions::Memo>,
    shared: Option<Shared>,
    /// By the point's file.
    points: FxHashMap<String, Kept>,
    round: u64,
}

impl RulesMemo {
    /// The findings of every point of `year`, in order: kept, or `find`-ed now (in parallel).
    pub(crate) fn findings(
        &mut self,
        year: &LoadedYear,
        rules: &RuleTables,
        find: impl Fn(&RiskPoint) -> PointFindings + Sync,
    ) -> Vec<Arc<PointFindings>> {
        let shared = Shared::of(year, rules);
        if self.shared.as_ref() != Some(&shared) {
            self.points.clear();
            self.shared = Some(shared);
        }
        self.round += 1;
        let round = self.round;
        let mut found: Vec<Option<Arc<PointFindings>>> = year
            .points
            .iter()
            .map(|p| {
                let kept = self.points.get_mut(&p.file)?;
                // A file holds one point; a version names one text (0: not versioned).
                let version = year.versions.get(&p.file);
                (version != 0 && kept.version == version && kept.round != round).then(|| {
                    kept.round = round;
                    Arc::clone(&kept.found)
                })
            })
            .collect();
        let misses: Vec<usize> = (0..found.len()).filter(|i| found[*i].is_none()).collect();
        let fresh: Vec<Arc<PointFindings>> = misses
            .par_iter()
            .map(|i| Arc::new(find(&year.points[*i])))
            .collect();
        for (i, f) in misses.into_iter().zip(fresh) {
            let file = &year.points[i].file;
            self.points.insert(
                file.clone(),
                Kept {
                    version: year.versions.get(file),
                    found: Arc::clone(&f),
                    round,
                },
            );
            found[i] = Some(f);
        }
        self.points.retain(|_, k| k.round == round);
        found.into_iter().flatten().collect()
    }
}
