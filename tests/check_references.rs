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
