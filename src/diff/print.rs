//! The human (Chinese) report of `gongshi diff`: one line per added or removed point, and under
//! each changed point one line per change.

use std::fmt::Write as _;

use crate::diff::{PointSummary, YearDiff};

fn point_line(sign: char, p: &PointSummary) -> String {
    let unpublished = if p.published { "" } else { "，未公示" };
    format!(
        "  {sign} {} {}（{} · {} · {}{unpublished}）\n",
        p.id, p.title, p.dept_name, p.level, p.grade
    )
}

/// The whole report.
pub(crate) fn human(diff: &YearDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} → {} 年度风险点变化：新增 {}、删除 {}、调整 {}、未变 {}（按编号对应；编号改动的按名称对应）",
        diff.from,
        diff.to,
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len(),
        diff.unchanged
    );
    if !diff.added.is_empty() {
        let _ = writeln!(out, "\n新增：");
        for p in &diff.added {
            out.push_str(&point_line('+', p));
        }
    }
    if !diff.removed.is_empty() {
        let _ = writeln!(
            out,
            "\n删除（{} 年度有、{} 年度没有）：",
            diff.from, diff.to
        );
        for p in &diff.removed {
            out.push_str(&point_line('-', p));
        }
    }
    if !diff.changed.is_empty() {
        let _ = writeln!(out, "\n调整：");
        for c in &diff.changed {
            out.push_str(&point_line('~', &c.point));
            for change in &c.changes {
                let _ = writeln!(out, "      {}", change.describe());
            }
        }
    }
    out
}
