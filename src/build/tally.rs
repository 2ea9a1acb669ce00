//! How many of the year's points a notice publishes, and why the others are not in it: the
//! last line of `build` ("公示 45/66：12 仅科室公示，3 未审批，6 不公示"), and a warning when it
//! publishes none (a notice page with nothing on it is easy to publish by mistake, after
//! `carry` cleared every approval or with a `default_scope` of 不公示).
//!
//! Which points are in it, and why the others are not, is `Audience::withheld`'s answer
//! (src/audience.rs), the one that draws the pages and the internal builds' marks; this only
//! counts. An internal build (`--drafts`, `--scope 办公室`) shows every point: its line counts
//! the audience's public notice, and it gives no warning.

use crate::audience::{Audience, Withheld};
use crate::content::site_config::RuleTables;
use crate::model::RiskPoint;

/// The count of a notice's points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) published: usize,
    pub(crate) total: usize,
    /// Each reason a point is left out, with how many, the most frequent first; only those
    /// that occur.
    pub(crate) left_out: Vec<(&'static str, usize)>,
}

impl Tally {
    pub(crate) fn of(points: &[RiskPoint], audience: &Audience, rules: &RuleTables) -> Tally {
        let reasons = ["未审批", "不公示", "仅科室公示", "仅其他科室公示"];
        let mut counts = [0usize; 4];
        let mut published = 0;
        for point in points {
            // The first reason `Audience::withheld` gives: approval, then the scope.
            let reason = match audience.withheld(point, rules).first() {
                None => {
                    published += 1;
                    continue;
                }
                Some(Withheld::Unapproved(_)) => 0,
                Some(Withheld::Hidden) => 1,
                Some(Withheld::DepartmentOnly(_)) => match audience {
                    Audience::Department(_) => 3,
                    Audience::Hospital | Audience::Office => 2,
                },
            };
            counts[reason] += 1;
        }
        let mut left_out: Vec<(&'static str, usize)> = reasons
            .into_iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .collect();
        // The largest share first.
        left_out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        Tally {
            published,
            total: points.len(),
            left_out,
        }
    }

    /// "公示 45/66：12 仅科室公示，3 未审批".
    pub(crate) fn line(&self) -> String {
        let mut line = format!("公示 {}/{}", self.published, self.total);
        if !self.left_out.is_empty() {
            let parts: Vec<String> = self
                .left_out
                .iter()
                .map(|(why, n)| format!("{n} {why}"))
                .collect();
            line.push('：');
            line.push_str(&parts.join("，"));
        }
        line
    }

    /// The warning of a notice without a single point, when it is one.
    pub(crate) fn warning(&self) -> Option<String> {
        if self.published > 0 {
            return None;
        }
        let why = if self.total == 0 {
            "本年度还没有风险点".to_string()
        } else {
            format!(
                "{} 个风险点都不在其中（{}）；须完成审批（review）且公示范围（scope）包括本次的范围",
                self.total,
                self.line()
            )
        };
        Some(format!("警告：生成的公示中没有任何风险点：{why}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_only_the_reasons_that_occur() {
        let tally = Tally {
            published: 45,
            total: 66,
            left_out: vec![("仅科室公示", 12), ("未审批", 3)],
        };
        assert_eq!(tally.line(), "公示 45/66：12 仅科室公示，3 未审批");
        assert_eq!(tally.warning(), None);
        let none = Tally {
            published: 0,
            total: 2,
            left_out: vec![("未审批", 2)],
        };
        assert!(
            none.warning()
                .is_some_and(|w| w.contains("公示 0/2：2 未审批"))
        );
    }
}
