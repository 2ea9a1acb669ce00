//! Where a point stands and what it may carry: `duplicate-id`, `level-location`, `level-field`
//! (with a 单位 point's `holder`, which makes it a leader's own risk point).

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Category, Level, RiskPoint, Scope};
use crate::rules::{Context, PerPoint};

fn in_unit_folder(point: &RiskPoint) -> bool {
    point.file.rsplit('/').nth(1) == Some("unit")
}

/// Ids are compared without case: a point's page is named by its id, and `CWK-01.html` and
/// `cwk-01.html` are one file on Windows and macOS (and one id to a reader).
pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
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
pub(crate) fn point(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    level_location(point, out);
    level_fields(cx, point, out);
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

fn level_fields(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let level = point.level.value;
    if level == Level::Unit {
        leader_holder(cx, point, out);
    }
    if level != Level::Post {
        // A 单位 point's `holder` is a leader's own risk point (`leader_holder`).
        let holder = if level == Level::Unit {
            &None
        } else {
            &point.holder
        };
        for (name, field) in [("post", &point.post), ("holder", holder)] {
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
    // Plan 六.(二).3 (由班子会议研究决定……在全院范围内进行公示) and 六.(三).4.(3) (防控措施经
    // 医院班子会议审定后，在全院范围内公示): the hospital's points and measures are published to
    // the whole hospital. A 单位 point belongs to no department, so a 科室-scope notice could
    // never show it; and the plan leaves the board no choice not to publish one.
    if level == Level::Unit
        && let Some(scope) = &point.scope
        && scope.value != Scope::Hospital
    {
        let message = match scope.value {
            Scope::Department => {
                "单位层次的风险点在全院范围内公示，不能只在科室范围公示（`scope: 科室`）"
            }
            _ => "单位层次的风险点须在全院范围内公示，不能不公示（`scope: 不公示`）",
        };
        out.push(
            Diagnostic::new(Rule::LevelField, &point.file, scope.pos, message)
                .with_hint("改为 scope: 全院，或删除 scope（实施方案六.(二).3：由班子会议研究决定……在全院范围内进行公示）；尚未审定的风险点不填 review.board，就不会公示"),
        );
    }
    // Plan 六.(三).4.(3): only the hospital's measures are 报市卫生局纪检组备案.
    if level != Level::Unit
        && let Some(filed) = &point.review.filed
    {
        out.push(
            Diagnostic::new(
                Rule::LevelField,
                &point.file,
                filed.pos,
                format!("`review.filed`（报市卫生局纪检组备案）只用于单位层次的风险点，本点是{level}层次"),
            )
            .with_hint("删除 filed；岗位、科室风险点的防控措施由科室和领导小组办公室审定，不报市局备案"),
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

/// A 单位 point with a `holder` is a leader's own risk point (plan 六.(二): 按岗位、科室、单位、
/// 领导班子成员排查岗位风险): the holder must be one of the year's leaders (the principal, a
/// deputy or the discipline lead). Without the year's leaders (its file has errors) nothing is
/// matched.
fn leader_holder(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let (Some(holder), Some(info)) = (&point.holder, &cx.year.info) else {
        return;
    };
    let leaders = &info.leaders;
    if leaders.is_leader(&holder.value) {
        return;
    }
    let mut names = vec![leaders.principal.value.as_str()];
    names.extend(leaders.deputies.iter().map(|d| d.name.value.as_str()));
    names.extend(leaders.discipline.iter().map(|d| d.value.as_str()));
    out.push(
        Diagnostic::new(
            Rule::LevelField,
            &point.file,
            holder.pos,
            format!(
                "单位层次的风险点写 `holder` 表示领导班子成员本人的风险点，“{}”不是领导班子成员",
                holder.value
            ),
        )
        .with_hint(format!(
            "holder 写领导班子成员之一：{}（见 {} 的 leaders）；不是某位领导本人的风险点，删除 holder",
            names.join("、"),
            info.file
        )),
    );
}
