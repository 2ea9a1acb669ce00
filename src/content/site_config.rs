//! Loading `site.yaml` (SPEC section 2): the institution and the rule tables, whose defaults
//! come from the plan or, where it is silent, from SPEC section 2, and which another hospital
//! may override.

use crate::content::fields::{Fields, term_of};
use crate::content::yaml::{Node, Value};
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Defence, Grade, Level, Role, Scope, Term};

pub(crate) const KEYS: &[&str] = &[
    "name",
    "base_path",
    "current_year",
    "theme",
    "rules",
    "oversight",
];
pub(crate) const RULE_KEYS: &[&str] = &[
    "measures_required",
    "default_scope",
    "responsibility",
    "key_post",
];
pub(crate) const OVERSIGHT_KEYS: &[&str] = &["show_names"];

/// Who owns and who supervises a point of one grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Responsibility {
    pub(crate) owner: Role,
    pub(crate) supervisor: Role,
}

/// The rule tables the checker applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTables {
    /// Lines of defence required per grade.
    pub(crate) measures_required: Vec<(Grade, Vec<Defence>)>,
    /// Scope of a point that names none, per level.
    pub(crate) default_scope: Vec<(Level, Scope)>,
    /// 分级管理 per grade.
    pub(crate) responsibility: Vec<(Grade, Responsibility)>,
    /// The mildest grade of a 岗位 point that makes its post a 风险重点防范岗位 (key post). Plan
    /// 七.(三) says 凡确定为风险重点防范的岗位 without saying how a post is so determined: this
    /// is the site's rule, `rules.key_post` (default 一级, SPEC section 6).
    pub(crate) key_post: Grade,
    /// The entries site.yaml meant to set but that were rejected.
    pub(crate) unsettled: Unsettled,
}

/// The entries of the rule tables that site.yaml meant to set but that were rejected (each
/// reported in site.yaml), or all of them when site.yaml itself could not be read. The rules
/// that would apply them are silent for those grades, rather than judge every point by a
/// default that the site overrides: one mistake in site.yaml is one message, not one per point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Unsettled {
    /// Grades whose `measures_required` is not known.
    pub(crate) measures: Vec<Grade>,
    /// Grades whose `responsibility` is not known.
    pub(crate) responsibility: Vec<Grade>,
}

impl Unsettled {
    fn everything() -> Unsettled {
        Unsettled {
            measures: Grade::ALL.to_vec(),
            responsibility: Grade::ALL.to_vec(),
        }
    }
}

impl Default for RuleTables {
    fn default() -> Self {
        use Defence::*;
        RuleTables {
            // SPEC section 2's default, the site's own setting: the plan does not tie lines of
            // defence to grades (plan 四 and 六.(三).1–3 apply 前期预防, 中期监控 and 后期处置 to
            // every point). A hospital following the plan to the letter requires all three for
            // every grade in site.yaml (`rules.measures_required`).
            measures_required: vec![
                (Grade::One, vec![Prevention, Monitoring, Disposal]),
                (Grade::Two, vec![Prevention, Monitoring]),
                (Grade::Three, vec![Prevention]),
            ],
            // Plan 六.(二).3: unit points are published 在全院范围内; 六.(三).4.(2): department
            // measures 在一定范围内予以公开; post points go to their department.
            default_scope: vec![
                (Level::Unit, Scope::Hospital),
                (Level::Department, Scope::Hospital),
                (Level::Post, Scope::Department),
            ],
            // Plan 六.(三).5 分级管理、分级监督、分级负责.
            responsibility: vec![
                (
                    Grade::One,
                    Responsibility {
                        owner: Role::Deputy,
                        supervisor: Role::Principal,
                    },
                ),
                (
                    Grade::Two,
                    Responsibility {
                        owner: Role::Head,
                        supervisor: Role::Deputy,
                    },
                ),
                (
                    Grade::Three,
                    Responsibility {
                        owner: Role::Holder,
                        supervisor: Role::Head,
                    },
                ),
            ],
            key_post: Grade::One,
            unsettled: Unsettled::default(),
        }
    }
}

impl RuleTables {
    /// Whether a 岗位 point of `grade` makes its post a key post (`key_post`).
    pub(crate) fn makes_key_post(&self, grade: Grade) -> bool {
        grade <= self.key_post
    }

    /// This site's rule for key posts, as the pages and messages state it: "一级岗位风险点",
    /// "一级或二级岗位风险点", "岗位风险点（任何等级）".
    pub(crate) fn key_post_rule(&self) -> String {
        let grades: Vec<&str> = Grade::ALL
            .iter()
            .filter(|g| self.makes_key_post(**g))
            .map(|g| g.term())
            .collect();
        if grades.len() == Grade::ALL.len() {
            "岗位风险点（任何等级）".to_string()
        } else {
            format!("{}岗位风险点", grades.join("或"))
        }
    }

    /// The tables of a site.yaml that could not be read (`text` is what was read of it, if
    /// anything): the defaults, unsettled unless the text shows it sets no `rules`.
    pub(crate) fn fallback(text: Option<&str>) -> RuleTables {
        let sets_rules = text.is_none_or(|text| {
            text.lines()
                .any(|line| line.trim_start_matches('\u{feff}').starts_with("rules"))
        });
        RuleTables {
            unsettled: if sets_rules {
                Unsettled::everything()
            } else {
                Unsettled::default()
            },
            ..RuleTables::default()
        }
    }

    /// Whether the lines of defence required for `grade` are known.
    pub(crate) fn measures_settled(&self, grade: Grade) -> bool {
        !self.unsettled.measures.contains(&grade)
    }

    /// Whether who owns and supervises a point of `grade` is known.
    pub(crate) fn responsibility_settled(&self, grade: Grade) -> bool {
        !self.unsettled.responsibility.contains(&grade)
    }

    pub(crate) fn measures_required(&self, grade: Grade) -> &[Defence] {
        self.measures_required
            .iter()
            .find(|(g, _)| *g == grade)
            .map(|(_, d)| d.as_slice())
            .unwrap_or(&[])
    }

    /// The lines of defence `grade` requires, named and joined for a sentence: 前期预防、中期监控.
    pub(crate) fn measures_required_names(&self, grade: Grade) -> String {
        let names: Vec<&str> = self
            .measures_required(grade)
            .iter()
            .map(|d| d.term())
            .collect();
        names.join("、")
    }

    pub fn default_scope(&self, level: Level) -> Scope {
        self.default_scope
            .iter()
            .find(|(l, _)| *l == level)
            .map_or(Scope::Hospital, |(_, s)| *s)
    }

    pub(crate) fn responsibility(&self, grade: Grade) -> Responsibility {
        self.responsibility
            .iter()
            .find(|(g, _)| *g == grade)
            .map_or(
                Responsibility {
                    owner: Role::Anyone,
                    supervisor: Role::Anyone,
                },
                |(_, r)| *r,
            )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    pub(crate) name: String,
    /// Always starts and ends with `/`.
    pub(crate) base_path: String,
    pub(crate) current_year: Option<u16>,
    pub(crate) theme: String,
    pub rules: RuleTables,
    pub oversight: OversightSettings,
}

/// How the 监督通报 speaks of people (site.yaml `oversight:`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OversightSettings {
    /// Name the holders of a post that has a yellow card (风险岗位黄牌警告) or a 民主评议 rank.
    /// Off by default: the bulletin names the 科室·岗位 (plan 七.(三) gives the card to the
    /// post, 赋予“风险岗位黄牌警告”, and 对该岗位负责人实行重点监督), not the person.
    pub(crate) show_names: bool,
}

pub(crate) fn load(file: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Option<SiteConfig> {
    let fields = Fields::new(file, root, Pos::new(1, 1, 1), "site.yaml", KEYS, diags)?;
    let name = fields.text("name", diags);
    let base_path = fields
        .opt_text("base_path", diags)
        .map_or_else(|| "/".to_string(), |b| normalised_base_path(&b.value));
    let current_year = fields
        .opt_text("current_year", diags)
        .and_then(|y| year_of(file, &y.value, y.pos, diags));
    let theme = fields
        .opt_text("theme", diags)
        .map_or_else(|| "default".to_string(), |t| t.value);
    let rules = load_rules(file, &fields, diags);
    let oversight = load_oversight(file, &fields, diags);
    // Without a name the site cannot be built (reported), but its rule tables still apply.
    Some(SiteConfig {
        name: name.map(|n| n.value).unwrap_or_default(),
        base_path,
        current_year,
        theme,
        rules,
        oversight,
    })
}

/// `base_path` with exactly one `/` at each end (`/` alone for the root).
fn normalised_base_path(written: &str) -> String {
    let trimmed = written.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

/// `current_year` as a year, or a diagnostic.
fn year_of(file: &str, written: &str, pos: Pos, diags: &mut Vec<Diagnostic>) -> Option<u16> {
    match written.parse::<u16>() {
        Ok(v) if (1900..=9999).contains(&v) => Some(v),
        _ => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                pos,
                format!("current_year“{written}”不是年份"),
            ));
            None
        }
    }
}

/// The `rules:` tables; a table that is misspelt or broken leaves its grades unsettled.
fn load_rules(file: &str, fields: &Fields, diags: &mut Vec<Diagnostic>) -> RuleTables {
    let mut rules = RuleTables::default();
    if fields.misspelt("rules") {
        rules.unsettled = Unsettled::everything();
    }
    let Some(node) = fields.node("rules") else {
        return rules;
    };
    let Some(r) = Fields::new(
        file,
        node,
        fields.pos_of("rules"),
        "rules",
        RULE_KEYS,
        diags,
    ) else {
        rules.unsettled = Unsettled::everything();
        return rules;
    };
    if r.misspelt("measures_required") {
        rules.unsettled.measures = Grade::ALL.to_vec();
    }
    if r.misspelt("responsibility") {
        rules.unsettled.responsibility = Grade::ALL.to_vec();
    }
    if let Some(n) = r.node("measures_required") {
        load_measures_required(file, n, &mut rules, diags);
    }
    if let Some(n) = r.node("default_scope") {
        load_default_scope(file, n, &mut rules, diags);
    }
    if let Some(n) = r.node("responsibility") {
        load_responsibility(file, n, &mut rules, diags);
    }
    if let Some(grade) = r.opt_term::<Grade>("key_post", diags) {
        rules.key_post = grade.value;
    }
    rules
}

/// The `oversight:` settings.
fn load_oversight(file: &str, fields: &Fields, diags: &mut Vec<Diagnostic>) -> OversightSettings {
    let mut oversight = OversightSettings::default();
    if let Some(node) = fields.node("oversight")
        && let Some(o) = Fields::new(
            file,
            node,
            fields.pos_of("oversight"),
            "oversight",
            OVERSIGHT_KEYS,
            diags,
        )
        && let Some(show) = o.node("show_names")
    {
        match show.value {
            Value::Bool(b) => oversight.show_names = b,
            _ => diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    show.pos,
                    format!("show_names 应为 true 或 false，实际是{}", show.kind_name()),
                )
                .with_hint(
                    "监督通报默认不写姓名；要在黄牌警告旁写出在岗人员姓名，写 show_names: true",
                ),
            ),
        }
    }
    oversight
}

/// Keys of a per-grade table may be any spelling of a grade (一级, A, 1).
fn grade_entries<'n>(
    file: &str,
    node: &'n Node,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Grade, &'n Node)> {
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::new(
            Rule::InvalidValue,
            file,
            node.pos,
            format!("{what} 应为按等级的键值表"),
        ));
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| match Grade::parse(&k.name) {
            Some(g) => Some((g, v)),
            None => {
                diags.push(
                    Diagnostic::new(
                        Rule::UnknownField,
                        file,
                        k.pos,
                        format!("{what} 中的“{}”不是风险等级", k.name),
                    )
                    .with_hint(format!("可选值：{}", Grade::choices())),
                );
                None
            }
        })
        .collect()
}

fn load_measures_required(
    file: &str,
    node: &Node,
    rules: &mut RuleTables,
    diags: &mut Vec<Diagnostic>,
) {
    let before = diags.len();
    let entries = grade_entries(file, node, "measures_required", diags);
    if diags.len() > before {
        // Which grade a rejected entry was meant for is not known.
        rules.unsettled.measures = Grade::ALL.to_vec();
    }
    for (grade, list) in entries {
        let before = diags.len();
        let defences: Vec<Defence> =
            crate::content::fields::text_list_of(file, "measures_required", list, diags)
                .iter()
                .filter_map(|t| {
                    let parsed = Defence::parse(&t.value);
                    if parsed.is_none() {
                        diags.push(
                            Diagnostic::new(
                                Rule::InvalidValue,
                                file,
                                t.pos,
                                format!("“{}”不是一道防线", t.value),
                            )
                            .with_hint(format!("可选值：{}", Defence::choices())),
                        );
                    }
                    parsed
                })
                .collect();
        if diags.len() > before && !rules.unsettled.measures.contains(&grade) {
            rules.unsettled.measures.push(grade);
        }
        if let Some(slot) = rules
            .measures_required
            .iter_mut()
            .find(|(g, _)| *g == grade)
        {
            slot.1 = defences;
        }
    }
}

fn load_default_scope(
    file: &str,
    node: &Node,
    rules: &mut RuleTables,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::new(
            Rule::InvalidValue,
            file,
            node.pos,
            "default_scope 应为按层次的键值表",
        ));
        return;
    };
    for (key, value) in entries {
        let Some(level) = Level::parse(&key.name) else {
            diags.push(
                Diagnostic::new(
                    Rule::UnknownField,
                    file,
                    key.pos,
                    format!("default_scope 中的“{}”不是层次", key.name),
                )
                .with_hint(format!("可选值：{}", Level::choices())),
            );
            continue;
        };
        let scope = term_of::<Scope>(file, "default_scope", value, diags);
        // As for a point's own scope (src/rules/identity.rs): plan 六.(二).3, 六.(三).4.(3).
        if level == Level::Unit
            && let Some(scope) = &scope
            && scope.value != Scope::Hospital
        {
            diags.push(Diagnostic::new(
                Rule::LevelField,
                file,
                scope.pos,
                format!(
                    "单位层次的风险点在全院范围内公示，默认范围不能是“{}”",
                    scope.value
                ),
            ));
            continue;
        }
        if let Some(scope) = scope
            && let Some(slot) = rules.default_scope.iter_mut().find(|(l, _)| *l == level)
        {
            slot.1 = scope.value;
        }
    }
}

fn load_responsibility(
    file: &str,
    node: &Node,
    rules: &mut RuleTables,
    diags: &mut Vec<Diagnostic>,
) {
    let before = diags.len();
    let entries = grade_entries(file, node, "responsibility", diags);
    if diags.len() > before {
        rules.unsettled.responsibility = Grade::ALL.to_vec();
    }
    for (grade, entry) in entries {
        let unsettled = |rules: &mut RuleTables| {
            if !rules.unsettled.responsibility.contains(&grade) {
                rules.unsettled.responsibility.push(grade);
            }
        };
        let Some(f) = Fields::new(
            file,
            entry,
            entry.pos,
            "responsibility 的一项",
            &["owner", "supervisor"],
            diags,
        ) else {
            unsettled(rules);
            continue;
        };
        let (owner, supervisor) = (
            f.term::<Role>("owner", diags),
            f.term::<Role>("supervisor", diags),
        );
        let (Some(owner), Some(supervisor)) = (owner, supervisor) else {
            unsettled(rules);
            continue;
        };
        if let Some(slot) = rules.responsibility.iter_mut().find(|(g, _)| *g == grade) {
            slot.1 = Responsibility {
                owner: owner.value,
                supervisor: supervisor.value,
            };
        }
    }
}
