//! The three lines of defence each grade needs (plan 四, 六.(三).1–3): `measures-missing`.

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Defence, Optional, RiskPoint, Term};
use crate::rules::{Context, PerPoint};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, point) in cx.year.points.iter().enumerate() {
        cx.per_point(PerPoint::Measures, i, point, out);
    }
}

pub(crate) fn point(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let measures = &point.measures;
    // A line whose key or list was rejected (reported there) is not also missing.
    let rejected = |d: Defence| point.rejected.contains(Optional::Defence(d));
    if measures.value.count() == 0 {
        if point.rejected.any_defence() {
            return;
        }
        out.push(
            Diagnostic::new(
                Rule::MeasuresMissing,
                &point.file,
                measures.pos,
                "没有任何防控措施",
            )
            .with_hint("在 measures 下按 前期预防 / 中期监控 / 后期处置 列出措施"),
        );
        return;
    }
    // What the grade requires is not known while the grade is unsettled (reported as
    // `under-graded` or at `grade`) or site.yaml's entry for it was rejected.
    let grade = point.grade();
    if !point.grade_is_settled() || !cx.rules.measures_settled(grade) {
        return;
    }
    let missing: Vec<&str> = cx
        .rules
        .measures_required(grade)
        .iter()
        .filter(|d| measures.value.of(**d).is_empty() && !rejected(**d))
        .map(|d| d.term())
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                Rule::MeasuresMissing,
                &point.file,
                measures.pos,
                format!("{grade}风险缺少“{}”的防控措施", missing.join("”“")),
            )
            .with_hint(format!(
                "{grade}风险须有：{}",
                cx.rules.measures_required_names(grade)
            )),
        );
    }
}
