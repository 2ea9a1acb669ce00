//! Where a point stands and what it may carry: `duplicate-id`, `level-location`, `level-field`.

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Category, Level, RiskPoint, Scope};
use crate::rules::{Context, PerPoint};

fn in_unit_folder(point: &RiskPoint) -> bool {
    point.file.rsplit('/').nth(1) == Some("unit")
}

/// Ids are compared without case: a point's page is named by its id, and `CWK-01.html` and
/// `cwk-01.html` are one file on Windows and macOS (and one id to a reader).
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut first_of: FxHashMap<String, &RiskPoint> = FxHashMap::default();
    for (i, point) in cx.year.points.iter().enumerate() {
        match first_of.get(&point.id.value.to_ascii_lowercase()) {
            Some(first) => {
                let case = if first.id.value == point.id.value {
                    ""
                } else {
                    "（仅大小写不同）"
                };
                out.push(
                    Diagnostic::new(
                        Rule::DuplicateId,
                        &point.file,
                        point.id.pos,
                        format!(
                            "编号 {} 重复{case}：{}:{} 已使用编号 {}",
                            point.id.value, first.file, first.id.pos.line, first.id.value
                        ),
                    )
                    .with_hint(
                        "同一年度的风险点编号必须唯一（不区分大小写），请改用下一个未用的编号",
                    ),
                );
                out.push(Diagnostic::new(
                    Rule::DuplicateId,
                    &first.file,
                    first.id.pos,
                    format!(
                        "编号 {} 重复{case}：{}:{} 也使用了编号 {}",
                        first.id.value, point.file, point.id.pos.line, point.id.value
                    ),
                ));
            }
            None => {
                first_of.insert(point.id.value.to_ascii_lowercase(), point);
            }
        }
        cx.per_point(PerPoint::Identity, i, point, out);
    }
}

/// What one point alone may break: where it stands and what it carries.
pub fn point(_cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    level_location(point, out);
    level_fields(point, out);
}

/// Plan 六.(二).1–3: post and department points are found by departments; unit points by
/// the leadership (班子会议), kept in `unit/`.
fn level_location(point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let level = point.level.value;
    let message = match (level, point.dept.is_some(), in_unit_folder(point)) {
        (Level::Unit, _, true) => return,
        (Level::Unit, _, false) => "单位层次的风险点应放在 unit/ 文件夹中".to_string(),
        (_, _, true) => format!("{level}层次的风险点不能放在 unit/ 中，应放在所属科室的文件夹"),
        (_, false, false) => format!("{level}层次的风险点应放在所属科室的文件夹中"),
        _ => return,
    };
    out.push(Diagnostic::new(
        Rule::LevelLocation,
        &point.file,
        point.level.pos,
        message,
    ));
}

fn level_fields(point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let level = point.level.value;
    if level != Level::Post {
        for (name, field) in [("post", &point.post), ("holder", &point.holder)] {
            let Some(field) = field else { continue };
            out.push(
                Diagnostic::new(
                    Rule::LevelField,
                    &point.file,
                    field.pos,
                    format!("只有岗位层次的风险点才有 `{name}`，本点是{level}层次"),
                )
                .with_hint("删除该字段，或把 level 改为 岗位"),
            );
        }
        // Plan 六.(二).1: 思想道德 risks are sought in each person's own post.
        if point.category.value == Category::Ethics {
            out.push(Diagnostic::new(
                Rule::LevelField,
                &point.file,
                point.category.pos,
                format!("思想道德风险只用于岗位层次的风险点，本点是{level}层次"),
            ));
        }
    }
    // Plan 六.(二).3 and 六.(三).4.(3): the hospital's points and measures are 在全院范围内公示.
    // A 单位 point belongs to no department, so a 科室-scope notice could never show it.
    if level == Level::Unit
        && let Some(scope) = &point.scope
        && scope.value == Scope::Department
    {
        out.push(
            Diagnostic::new(
                Rule::LevelField,
                &point.file,
                scope.pos,
                "单位层次的风险点在全院范围内公示，不能只在科室范围公示（`scope: 科室`）",
            )
            .with_hint("改为 scope: 全院（或删除 scope）；确不公示的写 scope: 不公示"),
        );
    }
    // Plan 六.(二).3: 三重一大 is what the hospital-level search looks at.
    if level != Level::Unit
        && let Some(s) = &point.sanzhong_yida
    {
        out.push(Diagnostic::new(
            Rule::LevelField,
            &point.file,
            s.pos,
            format!("`sanzhong_yida`（三重一大）只用于单位层次的风险点，本点是{level}层次"),
        ));
    }
}
