//! The grade against likelihood and impact (plan 六.(二).4): `under-graded`, `over-graded`.

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::RiskPoint;
use crate::rules::{Context, PerPoint};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, point) in cx.year.points.iter().enumerate() {
        cx.per_point(PerPoint::Grading, i, point, out);
    }
}

pub(crate) fn point(_cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let Some(declared) = &point.declared_grade else {
        return;
    };
    let computed = point.computed_grade();
    let why = format!(
        "发生机率“{}”、危害程度“{}”对应{computed}（取两者中较重的等级）",
        point.likelihood.value, point.impact.value
    );
    if declared.value > computed {
        out.push(
            Diagnostic::new(
                Rule::UnderGraded,
                &point.file,
                declared.pos,
                format!("风险等级定为{}，低于计算等级{computed}", declared.value),
            )
            .with_hint(format!(
                "{why}；请改为 grade: {computed}，或重新评估发生机率与危害程度"
            )),
        );
    } else if declared.value < computed {
        out.push(
            Diagnostic::new(
                Rule::OverGraded,
                &point.file,
                declared.pos,
                format!("风险等级定为{}，高于计算等级{computed}", declared.value),
            )
            .with_hint(format!(
                "{why}；从严定级是允许的，如属笔误请改为 grade: {computed}"
            )),
        );
    }
}
