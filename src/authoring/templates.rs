//! The templates of new files (`templates/`, embedded in the binary) and what they are filled
//! with. Every value reaching a template is already YAML text ([`super::yaml_scalar`]); the
//! templates only place it and the Chinese comments that explain each key.

use anyhow::{Result, anyhow};
use serde::Serialize;

use crate::content::site_config::RuleTables;
use crate::model::{Category, Grade, Level, Role, Term};

pub(crate) const SITE: &str = include_str!("templates/site.yaml");
pub(crate) const YEAR: &str = include_str!("templates/year.md");
pub(crate) const YEAR_BODY: &str = include_str!("templates/year-body.md");
pub(crate) const DEPT: &str = include_str!("templates/dept.md");
pub(crate) const DEPT_BODY: &str = include_str!("templates/dept-body.md");
pub(crate) const RISK: &str = include_str!("templates/risk.md");
pub(crate) const RISK_BODY: &str = include_str!("templates/risk-body.md");
pub(crate) const GUIDE: &str = include_str!("templates/README.md");

/// Renders `template` (named `name` in errors) with `values`, and checks that the YAML of the
/// result parses.
pub(crate) fn render<T: Serialize>(name: &str, template: &str, values: &T) -> Result<String> {
    let context = tera::Context::from_serialize(values)
        .map_err(|e| anyhow!("内部错误：模板 {name} 的数据无效：{e}"))?;
    let text = tera::Tera::one_off(template, &context, false)
        .map_err(|e| anyhow!("内部错误：模板 {name} 无法生成：{e}"))?;
    // One newline at the end, as `gongshi fmt` leaves it.
    let text = format!("{}\n", text.trim_end_matches('\n'));
    super::assert_parses(name, &text)?;
    Ok(text)
}

/// The plan's four phases (实施方案 六) with their windows moved to `year`.
pub(crate) fn phases(year: u16) -> String {
    const PLAN: [(&str, &str, &str); 4] = [
        ("动员部署", "05-10", "05-20"),
        ("组织实施", "05-21", "06-25"),
        ("制订防控措施", "06-26", "07-05"),
        ("强化评估考核", "07-06", "07-15"),
    ];
    PLAN.iter()
        .map(|(name, start, end)| {
            format!("  - {{name: {name}, start: {year}-{start}, end: {year}-{end}}}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The notice period the plan implies: the first week of 强化评估考核.
pub(crate) fn notice(year: u16) -> (String, String) {
    (format!("{year}-07-06"), format!("{year}-07-12"))
}

/// The year's `_index.md`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct YearValues {
    pub(crate) year: u16,
    pub(crate) basis: String,
    pub(crate) notice_start: String,
    pub(crate) notice_end: String,
    pub(crate) contact: String,
    pub(crate) phases: String,
    pub(crate) principal: String,
    pub(crate) deputy: String,
    /// The inside of a flow list: `caiwu, zongwu`.
    pub(crate) oversees: String,
    pub(crate) members: String,
    pub(crate) office_director: String,
    /// 纪检负责人 (`leaders.discipline`).
    pub(crate) discipline: String,
    pub(crate) body: String,
}

/// A department's `_index.md`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct DeptValues {
    pub(crate) name: String,
    pub(crate) head: String,
    pub(crate) liaison: String,
    pub(crate) key_area: String,
    /// 一岗双责 of the department's posts (`duties`).
    pub(crate) duties: Vec<DutyValues>,
    pub(crate) body: String,
}

/// One post's duties in a department's `_index.md`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct DutyValues {
    pub(crate) post: String,
    /// 岗位职责.
    pub(crate) duty: String,
    /// 廉政职责.
    pub(crate) integrity: String,
}

/// A risk point. Empty strings leave a key empty for the clerk (and for `check` to flag).
#[derive(Debug, Default, Serialize)]
pub(crate) struct RiskValues {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) level: String,
    pub(crate) is_post: bool,
    pub(crate) is_unit: bool,
    pub(crate) post: String,
    pub(crate) holder: String,
    pub(crate) category: String,
    pub(crate) likelihood: String,
    pub(crate) impact: String,
    pub(crate) grade: String,
    pub(crate) owner: String,
    pub(crate) supervisor: String,
    pub(crate) sanzhong_yida: String,
    pub(crate) prevention: Vec<String>,
    pub(crate) monitoring: Vec<String>,
    pub(crate) disposal: Vec<String>,
    pub(crate) scope: String,
    pub(crate) submitted: String,
    /// After "填报日期" in the comment: the window the date belongs in (`new risk`).
    pub(crate) submitted_hint: String,
    pub(crate) dept: String,
    pub(crate) office: String,
    pub(crate) board: String,
    /// 报市卫生局纪检组备案 (单位 only).
    pub(crate) filed: String,
    pub(crate) body: String,
    // The comments, worked out from the level and the rule tables.
    pub(crate) category_choices: String,
    pub(crate) owner_hint: String,
    pub(crate) supervisor_hint: String,
    pub(crate) measures_hint: String,
    pub(crate) default_scope: String,
    pub(crate) review_hint: String,
}

/// The people a department's points are measured against, when known.
#[derive(Debug, Default, Clone)]
pub(crate) struct People {
    pub(crate) principal: Option<String>,
    /// The department's 分管领导.
    pub(crate) deputy: Option<String>,
    pub(crate) head: Option<String>,
}

fn named(role: &str, name: Option<&String>) -> String {
    match name {
        Some(n) => format!("{role}（{n}）"),
        None => role.to_string(),
    }
}

/// Who may fill `role` for a point of `level` (the responsibility rule, rules/responsibility.rs).
fn who(role: Role, level: Level, as_owner: bool, people: &People) -> String {
    let unit = level == Level::Unit;
    match role {
        Role::Principal => named("主要领导", people.principal.as_ref()),
        Role::Deputy if unit && as_owner => "任一分管领导".into(),
        Role::Deputy if unit => "任一分管领导或主要领导".into(),
        Role::Deputy => named("本科室的分管领导", people.deputy.as_ref()),
        Role::Head if unit && as_owner => "任一科室负责人或分管领导".into(),
        Role::Head if unit => "任一科室负责人".into(),
        Role::Head => named("科室负责人", people.head.as_ref()),
        Role::Holder if level == Level::Post => "在岗人员本人".into(),
        Role::Holder | Role::Anyone => "指定的责任人".into(),
    }
}

impl RiskValues {
    /// The comments of a point of `level` under `rules`.
    pub(crate) fn hints(&mut self, level: Level, rules: &RuleTables, people: &People) {
        self.level = level.term().to_string();
        self.is_post = level == Level::Post;
        self.is_unit = level == Level::Unit;
        self.category_choices = Category::ALL
            .iter()
            // Plan 六.(二).1: 思想道德 risks belong to a person's own post.
            .filter(|c| level == Level::Post || **c != Category::Ethics)
            .map(|c| c.term())
            .collect::<Vec<_>>()
            .join(" | ");
        let per_grade = |f: &dyn Fn(Grade) -> String| {
            Grade::ALL
                .iter()
                .map(|g| format!("{g}由{}", f(*g)))
                .collect::<Vec<_>>()
                .join("，")
        };
        self.owner_hint = per_grade(&|g| who(rules.responsibility(g).owner, level, true, people));
        self.supervisor_hint =
            per_grade(&|g| who(rules.responsibility(g).supervisor, level, false, people));
        self.measures_hint = Grade::ALL
            .iter()
            .map(|g| format!("{g}须有{}", rules.measures_required_names(*g)))
            .collect::<Vec<_>>()
            .join("；");
        self.default_scope = rules.default_scope(level).term().to_string();
        let needed: Vec<&str> = level
            .required_approvals()
            .iter()
            .map(|step| step.key())
            .collect();
        self.review_hint = format!(
            "{}层次的风险点填好 {} 的日期后才会公示",
            level.term(),
            needed.join("、")
        );
    }
}
