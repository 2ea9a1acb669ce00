//! The grade against likelihood and impact (plan 六.(二).4): `under-graded` (error),
//! `over-graded` (warning), grade aliases, and the computed grade when none is declared.
//! Fixture `grading` adds two under-graded 科室 points and an over-graded 单位 point.

use crate::harness::{Error, Site, Warning, base};

const UNDER: &str = "content/2022/caiwu/under.md";
const UNDER_BY_IMPACT: &str = "content/2022/caiwu/under-by-impact.md";
const OVER: &str = "content/2022/unit/over.md";

#[test]
fn grading_fixture_reports_exactly_its_cases() {
    Site::fixture("grading").check().fails().only(&[
        ("under-graded", UNDER, 8, 8),
        ("under-graded", UNDER_BY_IMPACT, 8, 8),
        ("over-graded", OVER, 8, 8),
    ]);
}

#[test]
fn under_graded_is_an_error_at_the_declared_grade() {
    // 较高 × 一般 → 二级; 三级 is milder.
    let d = Site::fixture("grading")
        .check()
        .fails()
        .diag("under-graded", Error, UNDER, 8, 8);
    assert!(
        d.message.contains("三级") && d.message.contains("二级"),
        "{d}"
    );
    assert!(d.hint.unwrap_or_default().contains("grade: 二级"));
}

#[test]
fn the_more_severe_factor_sets_the_grade() {
    // 较小 × 严重 → 一级: a severe impact alone makes it 一级, so B (二级) is under-graded.
    let d = Site::fixture("grading")
        .check()
        .diag("under-graded", Error, UNDER_BY_IMPACT, 8, 8);
    assert!(d.message.contains("低于计算等级一级"), "{d}");
}

#[test]
fn over_graded_is_only_a_warning() {
    let run = Site::fixture("grading")
        .remove(UNDER)
        .remove(UNDER_BY_IMPACT)
        .check()
        .succeeds()
        .only(&[("over-graded", OVER, 8, 8)]);
    let d = run.diag("over-graded", Warning, OVER, 8, 8);
    assert!(d.message.contains("高于计算等级三级"), "{d}");
}

#[test]
fn over_graded_human_output_exits_zero_and_counts_a_warning() {
    Site::fixture("grading")
        .remove(UNDER)
        .remove(UNDER_BY_IMPACT)
        .check_human()
        .succeeds()
        .stderr_has("警告[over-graded]")
        .stderr_has("0 个错误，1 个警告");
}

#[test]
fn every_grade_alias_is_accepted() {
    // DW-01 is 高 × 严重 (一级), DW-02 较高 × 一般 (二级), ZW-01 较小 × 一般 (三级).
    let cases = [
        (
            base::JIJIAN,
            "grade: 1",
            ["一级", "A", "a", "1", "1级", "A级"],
        ),
        (
            base::RENSHI,
            "grade: B",
            ["二级", "B", "b", "2", "2级", "B级"],
        ),
        (
            base::WEIXIU,
            "grade: C",
            ["三级", "C", "c", "3", "3级", "C级"],
        ),
    ];
    for (file, line, aliases) in cases {
        for alias in aliases {
            let run = Site::base()
                .replace(file, line, &format!("grade: {alias}"))
                .check();
            assert_eq!(run.code, Some(0), "grade: {alias} in {file}: {run:?}");
            run.clean();
        }
    }
}

#[test]
fn quoted_numeric_grade_is_accepted() {
    Site::base()
        .replace(base::JIJIAN, "grade: 1", "grade: \"1\"")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn alias_is_compared_by_its_grade() {
    // A for a 三级 point is over-graded; C for a 一级 point is under-graded.
    Site::base()
        .replace(base::WEIXIU, "grade: C", "grade: A")
        .replace(base::WEIXIU, "owner: 李干事", "owner: 陈副院长")
        .replace(base::WEIXIU, "supervisor: 钱科长", "supervisor: 刘院长")
        .replace(
            base::WEIXIU,
            "  前期预防: [维修项目事前登记]",
            "  前期预防: [维修项目事前登记]\n  中期监控: [维修现场抽查]\n  后期处置: [虚报工程量追回]",
        )
        .check()
        .succeeds()
        .only(&[("over-graded", base::WEIXIU, 8, 8)]);
    Site::base()
        .replace(base::JIJIAN, "grade: 1", "grade: C")
        .replace(base::JIJIAN, "owner: 陈副院长", "owner: 钱科长")
        .replace(base::JIJIAN, "supervisor: 刘院长", "supervisor: 郑主任")
        .check()
        .fails()
        .only(&[("under-graded", base::JIJIAN, 8, 8)]);
}

#[test]
fn omitted_grade_is_the_computed_grade_without_a_diagnostic() {
    // Removing `grade: 一级` from the 一级 出纳 point changes nothing.
    Site::base()
        .delete_line(base::CHUNA, "grade: 一级")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn omitted_grade_is_held_to_the_computed_grades_rules() {
    // YJ-01 declares no grade; computed 一级, it needs all three lines of defence.
    Site::base()
        .delete_line(base::CAIGOU, "  后期处置: [查实回扣一律移送纪检]")
        .check()
        .fails()
        .only(&[("measures-missing", base::CAIGOU, 12, 1)]);
}

#[test]
fn computed_grade_of_every_likelihood_and_impact() {
    // The table of SPEC section 5 through the binary: the computed grade is the one a declared
    // grade must match to pass without under-/over-graded.
    let table = [
        ("高", "严重", "一级"),
        ("高", "较重", "一级"),
        ("高", "一般", "一级"),
        ("较高", "严重", "一级"),
        ("较高", "较重", "二级"),
        ("较高", "一般", "二级"),
        ("较小", "严重", "一级"),
        ("较小", "较重", "二级"),
        ("较小", "一般", "三级"),
    ];
    for (likelihood, impact, grade) in table {
        let site = Site::base()
            .replace(
                base::CHUNA,
                "likelihood: 高",
                &format!("likelihood: {likelihood}"),
            )
            .replace(base::CHUNA, "impact: 严重", &format!("impact: {impact}"));
        let diags = site.check().in_file(base::CHUNA);
        let grading: Vec<_> = diags
            .iter()
            .filter(|d| d.rule.ends_with("-graded"))
            .collect();
        let expect_over = grade != "一级";
        assert_eq!(
            grading.iter().any(|d| d.rule == "over-graded"),
            expect_over,
            "{likelihood} × {impact} should be {grade}: {diags:?}"
        );
        assert!(
            grading.iter().all(|d| d.rule != "under-graded"),
            "{likelihood} × {impact}: {diags:?}"
        );
        if expect_over {
            assert!(
                grading[0].message.contains(&format!("高于计算等级{grade}")),
                "{likelihood} × {impact}: {}",
                grading[0]
            );
        }
    }
}
