//! `unknown-reference`: a department a deputy oversees, and the risk ids, departments and posts
//! that `oversight.yaml` names, must exist. Fixture `references` holds an oversight file with one
//! good and one dangling reference of each kind.

use crate::harness::{Error, Site, base};

#[test]
fn references_fixture_reports_each_dangling_name() {
    Site::fixture("references").check().fails().only(&[
        ("unknown-reference", base::OVERSIGHT, 3, 12),
        ("unknown-reference", base::OVERSIGHT, 6, 12),
        ("unknown-reference", base::OVERSIGHT, 7, 27),
        ("unknown-reference", base::OVERSIGHT, 9, 12),
    ]);
}

#[test]
fn report_on_an_unknown_risk_id() {
    let d = Site::fixture("references").check().diag(
        "unknown-reference",
        Error,
        base::OVERSIGHT,
        3,
        12,
    );
    assert!(d.message.contains("CW-99"), "{d}");
}

#[test]
fn evaluation_of_an_unknown_department_lists_the_departments() {
    let d = Site::fixture("references").check().diag(
        "unknown-reference",
        Error,
        base::OVERSIGHT,
        6,
        12,
    );
    assert!(d.message.contains("renshike"), "{d}");
    assert_eq!(d.hint.as_deref(), Some("现有科室：caiwu, yaojike, zongwu"));
}

#[test]
fn evaluation_of_a_post_the_department_does_not_have() {
    // 出纳 is a post of caiwu, not of yaojike.
    let d = Site::fixture("references").check().diag(
        "unknown-reference",
        Error,
        base::OVERSIGHT,
        7,
        27,
    );
    assert!(
        d.message.contains("yaojike") && d.message.contains("出纳"),
        "{d}"
    );
}

#[test]
fn case_in_an_unknown_department() {
    let d = Site::fixture("references").check().diag(
        "unknown-reference",
        Error,
        base::OVERSIGHT,
        9,
        12,
    );
    assert!(d.message.contains("baoweike"), "{d}");
}

#[test]
fn deputy_oversees_an_unknown_department() {
    let d = Site::base()
        .replace(
            base::YEAR,
            "oversees: [caiwu, zongwu]",
            "oversees: [caiwu, zongwu, renshike]",
        )
        .check()
        .fails()
        .only(&[("unknown-reference", base::YEAR, 13, 46)])
        .diag("unknown-reference", Error, base::YEAR, 13, 46);
    assert!(d.message.contains("renshike"), "{d}");
}

#[test]
fn department_overseen_by_two_deputies() {
    // Not a dangling name but a contradiction: an invalid value at the second mention.
    Site::base()
        .replace(
            base::YEAR,
            "oversees: [yaojike]",
            "oversees: [yaojike, caiwu]",
        )
        .check()
        .fails()
        .only(&[("invalid-value", base::YEAR, 14, 40)]);
}

/// Regression: `oversees: [caiwu, caiwu]` said "科室“caiwu”已由 陈副院长 分管，一个科室只能有一位
/// 分管领导", naming the deputy as his own rival; it is listed twice.
#[test]
fn department_listed_twice_by_one_deputy() {
    let d = Site::base()
        .replace(
            base::YEAR,
            "oversees: [caiwu, zongwu]",
            "oversees: [caiwu, caiwu, zongwu]",
        )
        .check()
        .fails()
        .only(&[("invalid-value", base::YEAR, 13, 38)])
        .diag("invalid-value", Error, base::YEAR, 13, 38);
    assert!(d.message.contains("重复列出"), "{d}");
}

/// Regression: when a point's file did not load (a misspelt key), oversight.yaml and the
/// diagrams that name it were told `风险点“YJ-01”不存在`, though its file is there; its own
/// errors are what is wrong. The same for the evaluation of its post.
#[test]
fn a_point_that_failed_to_load_still_exists() {
    Site::base()
        .replace("content/2022/yaojike/caigou.md", "impact: 严重", "impcat: 严重")
        .file(
            base::OVERSIGHT,
            "reports:\n  - {risk: YJ-01, verified: 1}\nevaluation:\n  - {dept: yaojike, post: 采购员, score: 70}\n",
        )
        .replace(
            base::YAOJIKE,
            "药剂科负责药品采购、保管与调配。\n",
            "药剂科负责药品采购、保管与调配。\n\n```flow\nflowchart TD\n  A[采购 @YJ-01] --> B[入库]\n```\n",
        )
        .check()
        .fails()
        .only(&[("unknown-field", "content/2022/yaojike/caigou.md", 9, 1)]);
}

/// A file that does not even parse is still a point: its `id:` line is read as text.
#[test]
fn a_point_whose_yaml_does_not_parse_still_exists() {
    Site::base()
        .replace(
            "content/2022/yaojike/caigou.md",
            "impact: 严重",
            "impact: 严重: 很",
        )
        .file(
            base::OVERSIGHT,
            "reports:\n  - {risk: YJ-01, verified: 1}\n",
        )
        .check()
        .fails()
        .only(&[("yaml-syntax", "content/2022/yaojike/caigou.md", 9, 11)]);
}
