//! 分级管理、分级监督、分级负责 (plan 六.(三).5): who owns and who supervises each grade.
//!
//! For a department's points (岗位, 科室) the roles are that department's: its 分管领导 (the
//! deputy whose `oversees` lists it), its head, the post's holder. A hospital (单位) point has
//! no department, so a role is met by anyone holding it anywhere (SPEC section 5).
//!
//! That hospital-level table is SPEC section 5's, and looser than the plan: 六.(三).5 names
//! 科室负责人 as the owner of a 二级 risk and the 医院分管领导 as its supervisor, and a
//! 三级 risk's supervisor 科室负责人, all roles of one department. SPEC section 5 accepts,
//! for a 单位 point, any department head or deputy as the 二级 owner, any deputy or the
//! principal as its supervisor, and any department head as the 三级 supervisor.
//!
//! A 单位 point with a `holder` is a leader's own risk point (plan 六.(二)): its holder is
//! the "岗位人员" of the table, never its own supervisor, and the principal's own points are
//! supervised by 纪检 (plan 七.(一), `leader_supervisor`).
//!
//! One mistake, one message: nothing is said about a point whose grade is not settled (an
//! unreadable grade, or `under-graded`: the advice would follow a grade that must change), or
//! whose grade's entry of site.yaml's table was rejected, nor about a name that might belong to
//! someone the checker could not read (a department whose `_index.md` did not load, a rejected
//! entry of `leaders.deputies`, a misspelt department in `oversees`). Each of those is
//! reported where it stands.

use crate::content::site_config::Responsibility;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Term;
use crate::model::{Level, Located, RiskPoint, Role, YearInfo};
use crate::rules::{Context, PerPoint};

/// Who may fill a role for one point, and how to say it.
struct Allowed {
    names: Vec<String>,
    /// `None`: anyone named will do.
    description: Option<String>,
}

impl Allowed {
    /// Anyone named will do: the role is open, or who fills it is not known (a broken entry,
    /// reported where it is).
    fn anyone() -> Allowed {
        Allowed {
            names: Vec::new(),
            description: None,
        }
    }
}

fn allowed(
    cx: &Context,
    info: &YearInfo,
    point: &RiskPoint,
    role: Role,
    as_owner: bool,
) -> Allowed {
    // The `unit` roles: SPEC section 5 loosens plan 六.(三).5 for points without a
    // department (module comment).
    let unit = point.level.value == Level::Unit || point.dept.is_none();
    match role {
        Role::Principal => {
            let principal = &info.leaders.principal.value;
            Allowed {
                names: vec![principal.clone()],
                description: Some(format!("主要领导 {principal}")),
            }
        }
        Role::Deputy if unit => unit_deputy(info, as_owner),
        Role::Deputy => dept_deputy(cx, info, point),
        Role::Head if unit => unit_head(cx, info, as_owner),
        Role::Head => dept_head(cx, point),
        // 三级风险由所在岗位个人直接落实 (六.(三).5): the post's holder, or the leader whose
        // own risk a 单位 point is.
        Role::Holder if point.level.value == Level::Post || point.leader().is_some() => {
            match &point.holder {
                Some(h) => Allowed {
                    names: vec![h.value.clone()],
                    description: Some(format!("岗位人员 {}", h.value)),
                },
                None => Allowed::anyone(),
            }
        }
        Role::Holder | Role::Anyone => Allowed::anyone(),
    }
}

/// The names of the deputies (分管领导) of the year.
fn deputies(info: &YearInfo) -> Vec<String> {
    info.leaders
        .deputies
        .iter()
        .map(|d| d.name.value.clone())
        .collect()
}

/// The deputy of a point without a department: any deputy, or (approving) the principal too.
fn unit_deputy(info: &YearInfo, as_owner: bool) -> Allowed {
    if info.leaders.partial {
        Allowed::anyone()
    } else if as_owner {
        Allowed {
            names: deputies(info),
            description: Some("任一分管领导".into()),
        }
    } else {
        let mut names = deputies(info);
        names.push(info.leaders.principal.value.clone());
        Allowed {
            names,
            description: Some("任一分管领导或主要领导".into()),
        }
    }
}

/// The deputy in charge of the point's department.
fn dept_deputy(cx: &Context, info: &YearInfo, point: &RiskPoint) -> Allowed {
    let dept_name = dept_name(cx, point);
    match point.dept.as_deref().and_then(|s| info.deputy_of(s)) {
        Some(d) => Allowed {
            names: vec![d.name.value.clone()],
            description: Some(format!("{dept_name}的分管领导 {}", d.name.value)),
        },
        // The deputy in charge may be in a rejected entry, or the department misspelt in
        // someone's `oversees` (both reported in the year's file).
        None if info.leaders.partial || oversees_unknown_department(cx, info) => Allowed::anyone(),
        None => Allowed {
            names: Vec::new(),
            description: Some(format!(
                "{dept_name}的分管领导（但 leaders.deputies 中没有人分管该科室）"
            )),
        },
    }
}

/// The head of a point without a department: any department head, or (owning) any deputy too.
fn unit_head(cx: &Context, info: &YearInfo, as_owner: bool) -> Allowed {
    // Some department's `_index.md` did not load (reported there): its head is not known.
    let heads_unknown = cx.year.departments.len() < cx.year.dept_folders.len();
    let heads = || {
        cx.year
            .departments
            .iter()
            .map(|d| d.head.value.clone())
            .collect::<Vec<_>>()
    };
    if heads_unknown || (as_owner && info.leaders.partial) {
        Allowed::anyone()
    } else if as_owner {
        let mut names = heads();
        names.extend(deputies(info));
        Allowed {
            names,
            description: Some("任一科室负责人或分管领导".into()),
        }
    } else {
        Allowed {
            names: heads(),
            description: Some("任一科室负责人".into()),
        }
    }
}

/// The head of the point's department.
fn dept_head(cx: &Context, point: &RiskPoint) -> Allowed {
    match point
        .dept
        .as_deref()
        .and_then(|slug| cx.year.department(slug))
    {
        Some(d) => Allowed {
            names: vec![d.head.value.clone()],
            description: Some(format!("{}负责人 {}", d.name.value, d.head.value)),
        },
        // The department's own _index.md is broken or missing: already reported there.
        None => Allowed::anyone(),
    }
}

/// The point's department as the year names it (its folder name if its `_index.md` did not
/// load).
fn dept_name(cx: &Context, point: &RiskPoint) -> String {
    point
        .dept
        .as_deref()
        .and_then(|slug| cx.year.department(slug))
        .map_or_else(
            || point.dept.clone().unwrap_or_default(),
            |d| d.name.value.clone(),
        )
}

/// Whether some `oversees` of the year names a department folder that does not exist
/// (`unknown-reference`, reported in the year's file).
fn oversees_unknown_department(cx: &Context, info: &YearInfo) -> bool {
    info.leaders
        .deputies
        .iter()
        .flat_map(|d| &d.oversees)
        .any(|slug| !cx.year.dept_folders.contains(&slug.value))
}

fn check_one(
    cx: &Context,
    info: &YearInfo,
    point: &RiskPoint,
    who: &Located<String>,
    role: Role,
    as_owner: bool,
    out: &mut Vec<Diagnostic>,
) {
    let allowed = allowed(cx, info, point, role, as_owner);
    let Some(description) = allowed.description else {
        return;
    };
    if allowed.names.contains(&who.value) {
        return;
    }
    let grade = point.grade();
    let duty = if as_owner {
        "直接负责管理落实"
    } else {
        "负责监督"
    };
    let field = if as_owner { "owner" } else { "supervisor" };
    out.push(
        Diagnostic::new(
            Rule::Responsibility,
            &point.file,
            who.pos,
            format!(
                "{grade}风险应由{description}{duty}，`{field}` 写的是“{}”",
                who.value
            ),
        )
        .with_hint(format!(
            "分级管理（实施方案 六.(三).5）：{grade}风险由{}{duty}",
            role.term()
        )),
    );
}

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, point) in cx.year.points.iter().enumerate() {
        cx.per_point(PerPoint::Responsibility, i, point, out);
    }
}

pub(crate) fn point(cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) {
    // Without the year's leaders nothing can be matched; the year's file already has its errors.
    let Some(info) = &cx.year.info else { return };
    let grade = point.grade();
    if !point.grade_is_settled() || !cx.rules.responsibility_settled(grade) {
        return;
    }
    let Responsibility { owner, supervisor } = cx.rules.responsibility(grade);
    check_one(cx, info, point, &point.owner, owner, true, out);
    match point.leader() {
        Some(holder) => leader_supervisor(cx, info, point, holder, supervisor, out),
        None => check_one(cx, info, point, &point.supervisor, supervisor, false, out),
    }
}

/// Who supervises a leader's own risk point (a 单位 point with a `holder`, plan 六.(二)).
///
/// Nobody supervises themselves. The principal's own points cannot go to the 主要领导 the
/// table names for 一级 (or to a deputy, who answers to the principal): plan 七.(一) sets
/// 主要领导负总责、院纪检组织协调, so they are supervised by the discipline lead the year's
/// `leaders.discipline` names. Another leader's points follow the table, but for themselves.
fn leader_supervisor(
    cx: &Context,
    info: &YearInfo,
    point: &RiskPoint,
    holder: &Located<String>,
    role: Role,
    out: &mut Vec<Diagnostic>,
) {
    let who = &point.supervisor;
    let leaders = &info.leaders;
    let grade = point.grade();
    let error = |message: String, hint: String| {
        Diagnostic::new(Rule::Responsibility, &point.file, who.pos, message).with_hint(hint)
    };
    if holder.value == leaders.principal.value {
        let basis = "实施方案七.(一)：医院主要领导负总责、院纪检组织协调";
        match &leaders.discipline {
            Some(d) if d.value == who.value => {}
            Some(d) => out.push(error(
                format!(
                    "主要领导 {} 本人的{grade}风险应由纪检负责人 {} 负责监督，`supervisor` 写的是“{}”",
                    holder.value, d.value, who.value
                ),
                format!("{basis}；主要领导不能监督自己的风险点，请把 supervisor 改为 {}", d.value),
            )),
            None => out.push(error(
                format!(
                    "主要领导 {} 本人的{grade}风险应由院纪检负责监督，但 {} 的 leaders 中没有写纪检负责人（discipline）",
                    holder.value, info.file
                ),
                format!(
                    "{basis}；在 leaders 下写 discipline: 姓名（院纪委书记或纪检组长），并把 supervisor 改为该人"
                ),
            )),
        }
        return;
    }
    if who.value == holder.value {
        out.push(error(
            format!(
                "领导班子成员 {} 本人的风险点不能由本人负责监督",
                holder.value
            ),
            format!(
                "分级管理（实施方案六.(三).5）：{grade}风险由{}负责监督；请写另一位",
                role.term()
            ),
        ));
        return;
    }
    check_one(cx, info, point, who, role, false, out);
}
