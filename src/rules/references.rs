//! Names that must point at something that exists: `unknown-reference` for departments in
//! `leaders.deputies`, and risk ids, departments and posts in `oversight.yaml`.

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Level;
use crate::rules::Context;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    let dept_exists = |slug: &str| year.dept_folders.iter().any(|d| d == slug);
    let hint = || format!("现有科室：{}", year.dept_folders.join(", "));
    if let Some(info) = &year.info {
        // Each department taken so far, with the deputy (by index) who oversees it.
        let mut seen: Vec<(&str, usize)> = Vec::new();
        for (d, deputy) in info.leaders.deputies.iter().enumerate() {
            for slug in &deputy.oversees {
                if !dept_exists(&slug.value) {
                    out.push(
                        Diagnostic::new(
                            Rule::UnknownReference,
                            &info.file,
                            slug.pos,
                            format!("分管科室“{}”不存在", slug.value),
                        )
                        .with_hint(hint()),
                    );
                } else if let Some(&(_, other)) = seen.iter().find(|(s, _)| *s == slug.value) {
                    let message = if other == d {
                        format!(
                            "科室“{}”在 {} 分管的科室中重复列出",
                            slug.value, deputy.name.value
                        )
                    } else {
                        format!(
                            "科室“{}”已由 {} 分管，一个科室只能有一位分管领导",
                            slug.value, info.leaders.deputies[other].name.value
                        )
                    };
                    out.push(Diagnostic::new(
                        Rule::InvalidValue,
                        &info.file,
                        slug.pos,
                        message,
                    ));
                } else {
                    seen.push((&slug.value, d));
                }
            }
        }
    }
    let file = &year.oversight.file;
    // Points whose file did not load still exist (their own errors are reported): read only
    // when a name is not found among the loaded ones.
    let unloaded = std::cell::OnceCell::new();
    let unloaded = || unloaded.get_or_init(|| year.unloaded_points());
    for report in &year.oversight.reports {
        if !year.points.iter().any(|p| p.id.value == report.risk.value)
            && !unloaded().iter().any(|u| u.may_be(&report.risk.value))
        {
            out.push(Diagnostic::new(
                Rule::UnknownReference,
                file,
                report.risk.pos,
                format!("风险点“{}”不存在", report.risk.value),
            ));
        }
    }
    for e in &year.oversight.evaluation {
        if !dept_exists(&e.dept.value) {
            out.push(
                Diagnostic::new(
                    Rule::UnknownReference,
                    file,
                    e.dept.pos,
                    format!("科室“{}”不存在", e.dept.value),
                )
                .with_hint(hint()),
            );
        } else if !year.points.iter().any(|p| {
            p.level.value == Level::Post
                && p.dept.as_deref() == Some(&e.dept.value)
                && p.post.as_ref().is_some_and(|x| x.value == e.post.value)
        }) && !unloaded()
            .iter()
            .any(|u| u.may_be_on(&e.dept.value, &e.post.value))
        {
            out.push(Diagnostic::new(
                Rule::UnknownReference,
                file,
                e.post.pos,
                format!("科室“{}”没有岗位“{}”的风险点", e.dept.value, e.post.value),
            ));
        }
    }
    for case in &year.oversight.cases {
        if !dept_exists(&case.dept.value) {
            out.push(
                Diagnostic::new(
                    Rule::UnknownReference,
                    file,
                    case.dept.pos,
                    format!("科室“{}”不存在", case.dept.value),
                )
                .with_hint(hint()),
            );
        }
    }
}
