//! Issue 16: one root cause, one message. A rule that depends on a field another rule has
//! already rejected is silent for that point; a file that did not load leaves the rules that
//! would need it silent; a hint never suggests the value that is wrong.

use crate::harness::{Error, Site, base};

/// Regression: `grade: 三级` on a point that computes to 一级 gave `under-graded` and two
/// `responsibility` errors for a 三级 point (the head as supervisor, the holder as owner):
/// following them would have made things worse.
#[test]
fn an_under_graded_point_gets_no_advice_for_the_wrong_grade() {
    let site = Site::base().replace(base::CHUNA, "grade: 一级", "grade: 三级");
    site.check()
        .fails()
        .only(&[("under-graded", base::CHUNA, 10, 8)]);
    // A declared grade is the department's judgement: --fix does not change it, and says so by
    // failing with the same one error.
    let before = site.read(base::CHUNA);
    site.run(["check", "--fix"]).fails();
    assert_eq!(site.read(base::CHUNA), before);
    site.check()
        .fails()
        .only(&[("under-graded", base::CHUNA, 10, 8)]);
}

/// An unreadable grade: responsibility and the lines of defence are not judged by the grade the
/// point fell back to.
#[test]
fn an_unreadable_grade_is_one_error() {
    Site::base()
        .replace(base::KUAIJI, "grade: 三级", "grade: 一级级")
        .replace(base::KUAIJI, "likelihood: 较小", "likelihood: 高")
        .check()
        .fails()
        .only(&[("invalid-value", base::KUAIJI, 10, 8)]);
}

/// Regression: a malformed `office` date also gave `not-approved … 在 review 下填写 office
/// 的日期`, though the date is there.
#[test]
fn a_malformed_approval_date_is_not_also_unapproved() {
    let site = Site::base().replace(base::ZHICHU, "  office: 2022-06-20", "  office: 2022-6-20");
    let run = site
        .check()
        .fails()
        .only(&[("invalid-value", base::ZHICHU, 18, 11)]);
    let d = run.diag("invalid-value", Error, base::ZHICHU, 18, 11);
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains("2022-06-20")),
        "{d}"
    );
    // The date it plainly means is written by --fix.
    site.run(["check", "--fix"]).succeeds();
    assert_eq!(site.read(base::ZHICHU), Site::base().read(base::ZHICHU));
}

#[test]
fn a_misspelt_approval_key_is_not_also_unapproved() {
    Site::base()
        .replace(base::ZHICHU, "  office: 2022-06-20", "  ofice: 2022-06-20")
        .check()
        .fails()
        .only(&[("unknown-field", base::ZHICHU, 18, 3)]);
}

/// An approval that is simply not there is still reported.
#[test]
fn a_missing_approval_beside_a_malformed_one_is_reported() {
    Site::base()
        .replace(base::ZHICHU, "  dept: 2022-05-28", "  dept: 2022-5-28")
        .delete_line(base::ZHICHU, "  office: 2022-06-20")
        .check()
        .fails()
        .only(&[
            ("invalid-value", base::ZHICHU, 17, 9),
            ("not-approved", base::ZHICHU, 15, 1),
        ]);
}

/// Regression: a department `_index.md` saved as GBK gave a `responsibility` error in a
/// hospital-level point supervised by that department's head (who could not be read).
#[test]
fn a_department_that_did_not_load_brings_no_responsibility_errors() {
    let dept = "content/2022/zongwu/_index.md";
    let text = Site::base().read(dept);
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let site = Site::base().bytes(dept, &gbk);
    site.check().fails().only(&[("encoding", dept, 2, 7)]);
    // --fix converts it back to the UTF-8 it was, and nothing is left.
    site.run(["check", "--fix"]).succeeds();
    assert_eq!(site.read(dept), text);
    site.check().succeeds().clean();
}

/// A point file that cannot be read may be the one a report names.
#[test]
fn a_point_that_cannot_be_read_is_not_an_unknown_reference() {
    let text = Site::base().read(base::CAIGOU);
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    Site::base()
        .bytes(base::CAIGOU, &gbk)
        .file(base::OVERSIGHT, "reports:\n  - {risk: YJ-01, verified: 1}\n")
        .replace(
            base::YAOJIKE,
            "药剂科负责药品采购、保管与调配。\n",
            "药剂科负责药品采购、保管与调配。\n\n```flow\nflowchart TD\n  A[采购 @YJ-01] --> B[入库]\n```\n",
        )
        .check()
        .fails()
        .only(&[("encoding", base::CAIGOU, 3, 10)]);
}

/// A department misspelt in `oversees` is one error in the year's file, not a responsibility
/// error in every point of the department that then seemed to have no 分管领导.
#[test]
fn a_misspelt_department_in_oversees_is_one_error() {
    Site::base()
        .replace(
            base::YEAR,
            "oversees: [caiwu, zongwu]",
            "oversees: [caiwuu, zongwu]",
        )
        .check()
        .fails()
        .only(&[("unknown-reference", base::YEAR, 13, 31)]);
}

/// A rejected entry of `deputies` leaves who is a 分管领导 unknown.
#[test]
fn a_rejected_deputy_brings_no_responsibility_errors() {
    Site::base()
        .replace(
            base::YEAR,
            "{name: 王副院长, oversees: [yaojike]}",
            "{nme: 王副院长, oversees: [yaojike]}",
        )
        .check()
        .fails()
        .only(&[("unknown-field", base::YEAR, 14, 8)]);
}

/// A site.yaml that cannot be read leaves its rule tables unknown: the points are not judged
/// by the plan's defaults, which this site overrides.
#[test]
fn a_broken_site_yaml_brings_no_errors_from_the_tables_it_overrides() {
    let rules = "rules:\n  responsibility: {三级: {owner: 岗位人员, supervisor: 分管领导}}\n";
    let site = Site::base()
        .file(
            base::SITE,
            &format!("name: 赣州市第五人民医院\ncurrent_year: 2022\n{rules}"),
        )
        .replace(base::KUAIJI, "supervisor: 周科长", "supervisor: 陈副院长")
        .replace(base::WEIXIU, "supervisor: 钱科长", "supervisor: 陈副院长")
        .replace(base::YINZHANG, "supervisor: 钱科长", "supervisor: 刘院长");
    site.check().succeeds();
    site.replace(base::SITE, "current_year: 2022", "current_year: [2022")
        .check()
        .fails()
        .only(&[("yaml-syntax", base::SITE, 3, 6)]);
}

/// Regression: `unknown-reference @CWK-03` hinted `例如 @CWK-03`, the very id that does not
/// exist. The hint names the nearest id of the year.
#[test]
fn the_hint_of_an_unknown_id_names_one_that_exists() {
    let run = Site::base()
        .replace(
            base::CAIWU,
            "财务科负责全院资金收付与核算。\n",
            "财务科负责全院资金收付与核算。\n\n```flow\nflowchart TD\n  A[付款 @CWK-03] --> B[记账 @ZZZ-99]\n```\n",
        )
        .check()
        .fails();
    let run = run.only(&[
        ("unknown-reference", base::CAIWU, 11, 8),
        ("unknown-reference", base::CAIWU, 11, 26),
    ]);
    let all = run.stdout_json();
    for d in &all {
        let hint = d.hint.clone().unwrap_or_default();
        assert!(
            !hint.contains("CWK-03") && !hint.contains("ZZZ-99"),
            "{d}: {hint}"
        );
    }
    assert!(
        all[0].hint.as_deref().is_some_and(|h| h.contains("@CW-03")),
        "{run:?}"
    );
}
