//! What the notice's pages say, checked against the plan's own words (implementation plan,
//! SPEC sections 5 and 6): the approvals a point's page lists, the 好 rating, key posts, the
//! matrix's grades, the forms and their order, dates and labels.

use std::collections::BTreeMap;

use crate::build::{ExampleSite, read_tree};
use crate::support::dom::texts_of_class;

fn example_tree() -> BTreeMap<String, Vec<u8>> {
    let site = ExampleSite::copy();
    read_tree(&site.build(&[]))
}

fn page(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = tree
        .get(path)
        .unwrap_or_else(|| panic!("no page {path}"));
    String::from_utf8_lossy(bytes).into_owned()
}

/// The office step, named by both of the plan's words for it (六.(二).2 and 六.(三).4.(2)).
const OFFICE: &str = "领导小组办公室审定（党政组织审核）";

/// Regression: every point's 审批 listed all four steps, so a 岗位 point showed 领导小组办公室
/// and 班子会议 as pending and a 单位 point 科室集体审定; a point's level needs only its own
/// (SPEC section 5, "Publication requires").
#[test]
fn approvals_list_only_the_steps_the_points_level_needs() {
    let tree = example_tree();
    let steps = |path: &str| texts_of_class(&page(&tree, path), "step");
    // 岗位: 科室集体审定 only.
    assert_eq!(steps("2022/caiwu/CWK-01.html"), ["填报", "科室集体审定"]);
    // 科室: also the office.
    assert_eq!(
        steps("2022/caiwu/CWK-03.html"),
        ["填报", "科室集体审定", OFFICE]
    );
    // 单位: the board; the office too, as DW-01 has its date (an optional step with a date).
    assert_eq!(
        steps("2022/unit/DW-01.html"),
        ["填报", OFFICE, "班子会议审定"]
    );
    // A published point has every step it needs, so none of its pages shows one pending.
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if text.contains("<ol class=\"approvals\">") {
            assert!(!text.contains("class=\"todo\""), "{path} shows a pending step");
        }
    }
}

/// Regression: the office step was "领导小组办公室审定" alone, though the plan has the point
/// 报医院党政组织审核 (六.(二).2) and SPEC's `office` names both; every built file now names
/// both, the ledger's column too.
#[test]
fn the_office_step_is_named_by_both_of_the_plans_words_everywhere() {
    let tree = example_tree();
    let ledger = page(&tree, "2022/ledger.csv");
    let header = ledger.lines().next().unwrap();
    assert!(header.contains(OFFICE), "{header}");
    assert!(header.contains("填报日期"), "{header}");
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(
            text.matches("领导小组办公室审定").count(),
            text.matches(OFFICE).count(),
            "{path} names the office step without 党政组织审核"
        );
    }
}
