//! `rules:` in site.yaml overrides the plan's tables (SPEC section 2): which lines of defence a
//! grade needs, a level's default scope, and who owns and supervises each grade.

use gongshi::model::{Level, Scope};

use crate::harness::{Error, Site, base};

fn with_rules(rules: &str) -> Site {
    Site::base().file(
        base::SITE,
        &format!("name: 赣州市第五人民医院\ncurrent_year: 2022\nrules:\n{rules}"),
    )
}

#[test]
fn stricter_measures_for_grade_three() {
    // Every 三级 point of the base (KUAIJI 岗位, WEIXIU 科室, YINZHANG 单位) has only 前期预防.
    let run = with_rules("  measures_required: {三级: [前期预防, 中期监控]}\n")
        .check()
        .fails()
        .only(&[
            ("measures-missing", base::KUAIJI, 13, 1),
            ("measures-missing", base::WEIXIU, 11, 1),
            ("measures-missing", base::YINZHANG, 10, 1),
        ]);
    let d = run.diag("measures-missing", Error, base::KUAIJI, 13, 1);
    assert!(d.message.contains("中期监控"), "{d}");
}

/// The per-grade lines of defence are the site's setting (SPEC section 2), not the plan's: plan
/// 四 applies all three to every point. The setting content/README.md gives for a hospital
/// that follows the plan to the letter asks every 三级 and 二级 point for all three.
#[test]
fn all_three_lines_for_every_grade_as_the_plan_says() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/README.md"),
    )
    .unwrap_or_default();
    let setting = "  measures_required: {一级: [前期预防, 中期监控, 后期处置], 二级: [前期预防, 中期监控, 后期处置], 三级: [前期预防, 中期监控, 后期处置]}\n";
    assert!(
        readme.contains(setting.trim_end()),
        "content/README.md no longer gives it"
    );
    with_rules(setting).check().fails().only(&[
        ("measures-missing", base::ZHICHU, 11, 1),
        ("measures-missing", base::KUAIJI, 13, 1),
        ("measures-missing", base::WEIXIU, 11, 1),
        ("measures-missing", base::YINZHANG, 10, 1),
        ("measures-missing", base::RENSHI, 12, 1),
    ]);
}

#[test]
fn grade_keys_of_a_rule_table_accept_aliases() {
    with_rules("  measures_required: {C: [前期预防, 中期监控]}\n")
        .check()
        .fails()
        .has("measures-missing", Error, base::KUAIJI, 13, 1);
}

#[test]
fn looser_measures_for_grade_one() {
    // Overriding 一级 leaves 二级 and 三级 as the plan has them.
    with_rules("  measures_required: {一级: [前期预防]}\n")
        .delete_line(base::CHUNA, "  后期处置: [发现短款立即报告纪检办]")
        .delete_line(base::KUAIJI, "  前期预防: [凭证逐张审核并签字]")
        .replace(
            base::KUAIJI,
            "measures:",
            "measures:\n  中期监控: [每月抽查凭证]",
        )
        .check()
        .fails()
        .only(&[("measures-missing", base::KUAIJI, 13, 1)]);
}

#[test]
fn unknown_line_of_defence_in_measures_required() {
    with_rules("  measures_required: {三级: [前期预防, 事后追责]}\n")
        .check()
        .fails()
        .only(&[("invalid-value", base::SITE, 4, 34)]);
}

#[test]
fn default_scope_override_is_loaded() {
    let site = with_rules("  default_scope: {岗位: 全院}\n");
    site.check().succeeds().clean();
    let rules = site.load().config.rules;
    assert_eq!(rules.default_scope(Level::Post), Scope::Hospital);
    assert_eq!(rules.default_scope(Level::Department), Scope::Hospital);
    assert_eq!(rules.default_scope(Level::Unit), Scope::Hospital);
}

#[test]
fn default_scope_without_rules_is_the_plans() {
    let rules = Site::base().load().config.rules;
    assert_eq!(rules.default_scope(Level::Post), Scope::Department);
    assert_eq!(rules.default_scope(Level::Department), Scope::Hospital);
    assert_eq!(rules.default_scope(Level::Unit), Scope::Hospital);
}

#[test]
fn default_scope_may_hide_a_level() {
    let site = with_rules("  default_scope: {科室: 不公示}\n");
    let rules = site.load().config.rules;
    assert_eq!(rules.default_scope(Level::Department), Scope::Hidden);
    assert_eq!(rules.default_scope(Level::Post), Scope::Department);
}

/// A 单位 point is published 在全院范围内 (plan 六.(二).3): 科室 as its default would hide every
/// 单位 point without a scope of its own from every build, as `scope: 科室` on the point does.
#[test]
fn department_default_scope_for_unit_points() {
    let site = with_rules("  default_scope: {单位: 科室}\n");
    site.check()
        .fails()
        .only(&[("level-field", base::SITE, 4, 23)]);
    assert_eq!(
        site.load().config.rules.default_scope(Level::Unit),
        Scope::Hospital
    );
}

#[test]
fn bad_default_scope_value_and_level() {
    with_rules("  default_scope: {岗位: 全部}\n")
        .check()
        .fails()
        .only(&[("invalid-value", base::SITE, 4, 23)]);
    with_rules("  default_scope: {部门: 全院}\n")
        .check()
        .fails()
        .only(&[("unknown-field", base::SITE, 4, 19)]);
}

#[test]
fn responsibility_override_changes_who_owns_grade_three() {
    // 三级 now owned by the head and supervised by the deputy: every 三级 point of the base
    // had its holder or a clerk as owner and a head as supervisor.
    let rules = "  responsibility: {三级: {owner: 科室负责人, supervisor: 分管领导}}\n";
    with_rules(rules).check().fails().only(&[
        ("responsibility", base::KUAIJI, 11, 8),
        ("responsibility", base::KUAIJI, 12, 13),
        ("responsibility", base::WEIXIU, 9, 8),
        ("responsibility", base::WEIXIU, 10, 13),
        ("responsibility", base::YINZHANG, 8, 8),
        ("responsibility", base::YINZHANG, 9, 13),
    ]);
    // The 会计 point made to follow the new table is clean again.
    let run = with_rules(rules)
        .replace(base::KUAIJI, "owner: 吴会计", "owner: 周科长")
        .replace(base::KUAIJI, "supervisor: 周科长", "supervisor: 陈副院长")
        .check();
    assert!(run.in_file(base::KUAIJI).is_empty(), "{run:?}");
}

#[test]
fn bad_role_in_responsibility() {
    let d = with_rules("  responsibility: {三级: {owner: 院长, supervisor: 分管领导}}\n")
        .check()
        .fails()
        .only(&[("invalid-value", base::SITE, 4, 32)])
        .diag("invalid-value", Error, base::SITE, 4, 32);
    assert!(d.hint.unwrap_or_default().contains("科室负责人"));
}

#[test]
fn unknown_grade_in_responsibility() {
    with_rules("  responsibility: {四级: {owner: 科室负责人, supervisor: 分管领导}}\n")
        .check()
        .fails()
        .only(&[("unknown-field", base::SITE, 4, 20)]);
}

#[test]
fn unknown_rule_table() {
    let d = with_rules("  measure_required: {三级: [前期预防]}\n")
        .check()
        .fails()
        .only(&[("unknown-field", base::SITE, 4, 3)])
        .diag("unknown-field", Error, base::SITE, 4, 3);
    assert_eq!(d.hint.as_deref(), Some("是否想写 `measures_required`？"));
}
