//! The approval chain (plan 六.(三).4) and the calendar (plan 六): `review-order`,
//! `not-approved`, `late`.
//!
//! - `review-order`: each level reviews what the one below submitted (plan 六.(三).4.(1)–(3):
//!   科室集体审定, then 领导小组办公室审定, then 班子会议审定), and what is published must be
//!   approved before it is (plan 六.(二).4: 须经逐级严格评定审核……并在一定范围内公示;
//!   六.(三).4.(3): 经医院班子会议审定后，在全院范围内公示): no approval after the notice
//!   starts. A 单位 point's filing with the city bureau (`review.filed`, 六.(三).4.(3): 经医院
//!   班子会议审定后……报市卫生局纪检组备案) comes after the board, and may come after the notice.
//! - `late`: risk points are found and registered in the 组织实施阶段 (plan 六.(二), 5 月 21
//!   日—6 月 25 日, items 1–5); the year's `phases` give its window. (Item 5 asks for the
//!   forms 于 5 月 22 日前, on the phase's second day, which reads as a slip; SPEC section 3
//!   measures against the phase's end.) The year file's `deadlines:` may set that date
//!   (`submit`), and the dates by which 附表1–3 go to the city bureau (附表1 and 附表2 注5:
//!   于 7 月 5 日前; 附表3 注5: 于 7 月 20 日前): a point whose approvals, which its form needs,
//!   are dated after its form's deadline is late too (`YearInfo::deadline`).

use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Approval, Deadline, DeadlineSource, Level, Optional, RiskPoint, YearInfo};
use crate::rules::{Context, PerPoint};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, point) in cx.year.points.iter().enumerate() {
        cx.per_point(PerPoint::Review, i, point, out);
    }
}

pub(crate) fn point(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let info = cx.year.info.as_ref();
    let notice_start = info.map(|i| i.notice.start.value);
    let steps = point.review.steps();
    let mut latest: Option<(&str, crate::model::Date)> = None;
    for (step, date) in steps.iter() {
        let Some(date) = date else { continue };
        let name = step.name();
        if let Some((prev_name, prev)) = latest
            && date.value < prev
        {
            out.push(
                Diagnostic::new(
                    Rule::ReviewOrder,
                    &point.file,
                    date.pos,
                    format!("{name}日期 {} 早于{prev_name}日期 {prev}", date.value),
                )
                .with_hint(
                    "审批须按 填报 ≤ 科室集体审定 ≤ 领导小组办公室审定 ≤ 班子会议审定 的顺序",
                ),
            );
        }
        if let Some(start) = notice_start
            && date.value > start
        {
            out.push(
                Diagnostic::new(
                    Rule::ReviewOrder,
                    &point.file,
                    date.pos,
                    format!("{name}日期 {} 晚于公示期开始日 {start}", date.value),
                )
                .with_hint("公示的内容须在公示前审定"),
            );
        }
        if latest.is_none_or(|(_, prev)| date.value >= prev) {
            latest = Some((name, date.value));
        }
    }
    filing(point, out);
    // A step whose date (or key, or the whole `review`) was rejected is reported there; it is
    // not also "not approved".
    let missing: Vec<Approval> = point
        .missing_approvals()
        .into_iter()
        .filter(|step| !point.rejected.contains(Optional::Approval(*step)))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|step| step.name()).collect();
        // What is missing is a key under `review`: point at `review` itself, as a missing
        // key points at its mapping's key; without one, at the front matter's `---`.
        let pos = point.review.key.unwrap_or(Pos::new(1, 1, 3));
        out.push(
            Diagnostic::new(
                Rule::NotApproved,
                &point.file,
                pos,
                format!("尚未完成“{}”，本风险点不予公示", names.join("”“")),
            )
            .with_hint(format!(
                "在 review 下填写 {} 的日期后才会公示",
                missing
                    .iter()
                    .map(|step| step.key())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        );
    }
    if let Some(info) = info {
        late(info, point, out);
    }
}

/// `late`: submitted after the 填报 deadline (plan 六.(二): by default the end of the 组织实施
/// 阶段 in which points are to be found), or an approval that the point's form needs dated
/// after the day that form goes to the city bureau (附表1–3 注5). One finding per point: the
/// first step that is late.
fn late(info: &YearInfo, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    if let Some((submit_by, source)) = info.deadline(Deadline::Submit)
        && let Some(submitted) = &point.review.submitted
        && submitted.value > submit_by
    {
        let message = match source {
            DeadlineSource::ImplementationPhase => format!(
                "填报日期 {} 晚于组织实施阶段的截止日 {submit_by}",
                submitted.value
            ),
            _ => format!(
                "填报日期 {} 晚于填报截止日 {submit_by}（{}）",
                submitted.value,
                source_words(source)
            ),
        };
        out.push(Diagnostic::new(
            Rule::Late,
            &point.file,
            submitted.pos,
            message,
        ));
        return;
    }
    let form = Deadline::of_level(point.level.value);
    let Some((due, source)) = info.deadline(form) else {
        return;
    };
    let required = point.level.value.required_approvals();
    // A date after the notice starts is `review-order`'s: one finding for one cause.
    let notice_start = info.notice.start.value;
    let late_step = point
        .review
        .steps()
        .into_iter()
        .filter(|(step, _)| required.contains(step))
        .find_map(|(step, date)| {
            date.filter(|d| d.value > due && d.value <= notice_start)
                .map(|d| (step, d))
        });
    if let Some((step, date)) = late_step {
        out.push(
            Diagnostic::new(
                Rule::Late,
                &point.file,
                date.pos,
                format!(
                    "{}日期 {} 晚于{}的截止日 {due}（{}）",
                    step.name(),
                    date.value,
                    form.name(),
                    source_words(source)
                ),
            )
            .with_hint(format!(
                "{}前须完成审定；截止日可在年度 _index.md 的 deadlines.{} 中设定",
                form.name(),
                form.key()
            )),
        );
    }
}

/// Where a deadline comes from, for messages.
fn source_words(source: DeadlineSource) -> &'static str {
    match source {
        DeadlineSource::File(_) => "年度 _index.md 的 deadlines",
        DeadlineSource::ImplementationPhase => "组织实施阶段的结束日",
        DeadlineSource::Plan => "实施方案",
    }
}

/// Plan 六.(三).4.(3): 防控措施经医院班子会议审定后，在全院范围内公示，并报市卫生局纪检组备案:
/// a 单位 point's measures are filed once the board has approved them, so `review.filed` comes
/// on or after `review.board` (and may come after the notice starts). On other levels `filed`
/// is a `level-field` error (src/rules/identity.rs).
fn filing(point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    let (Some(filed), Level::Unit) = (&point.review.filed, point.level.value) else {
        return;
    };
    let message = match &point.review.board {
        Some(board) if filed.value < board.value => format!(
            "报市卫生局纪检组备案日期 {} 早于班子会议审定日期 {}",
            filed.value, board.value
        ),
        Some(_) => return,
        None => format!(
            "报市卫生局纪检组备案日期 {} 之前没有班子会议审定（review.board）",
            filed.value
        ),
    };
    out.push(
        Diagnostic::new(Rule::ReviewOrder, &point.file, filed.pos, message).with_hint(
            "实施方案六.(三).4.(3)：单位风险点的防控措施经医院班子会议审定后，报市卫生局纪检组备案",
        ),
    );
}
