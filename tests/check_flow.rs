//! Flow diagrams in `check`: `flow-syntax` and `unknown-reference` at the line and column of
//! the file, whatever container the diagram stands in. Diagrams are appended to the base's
//! 财务科 `_index.md`, whose body is line 7.

use crate::harness::{Error, Site, base};

fn caiwu_with(diagram: &str) -> Site {
    Site::base().replace(
        base::CAIWU,
        "财务科负责全院资金收付与核算。\n",
        &format!("财务科负责全院资金收付与核算。\n\n{diagram}"),
    )
}

/// Regression: a link to a node never given its text was `flow-syntax` "节点 C 未定义";
/// SPEC section 5 lists a flow node reference that does not exist under `unknown-reference`.
#[test]
fn link_to_an_undefined_node_is_an_unknown_reference() {
    let d = caiwu_with("```flow\nflowchart TD\n  A[申请] --> B[审批]\n  B --> C\n```\n")
        .check()
        .fails()
        .only(&[("unknown-reference", base::CAIWU, 12, 9)])
        .diag("unknown-reference", Error, base::CAIWU, 12, 9);
    assert!(d.message.contains("\"C\""), "{d}");
}

/// Regression: in a list item or a block quote, columns left out the item's indent and the
/// quote's `> `.
#[test]
fn positions_count_the_containers_prefix() {
    caiwu_with(concat!(
        "1. 步骤说明\n\n",
        "   ```flow\n",
        "   flowchart TD\n",
        "     A[申请] --> B{审批\n",
        "   ```\n\n",
        "> ```flow\n",
        "> flowchart TD\n",
        ">   A[申请 @NOPE-1] --> B[审批]\n",
        "> ```\n",
    ))
    .check()
    .fails()
    .only(&[
        ("flow-syntax", base::CAIWU, 13, 17),
        ("unknown-reference", base::CAIWU, 18, 10),
    ]);
}

/// Regression: "节点 A 已在第 2 行定义" counted lines inside the diagram.
#[test]
fn redefinition_names_the_files_line() {
    let d = caiwu_with("```flow\nflowchart TD\n  A[申请] --> B[审批]\n  A{申请}\n```\n")
        .check()
        .fails()
        .only(&[("flow-syntax", base::CAIWU, 12, 3)])
        .diag("flow-syntax", Error, base::CAIWU, 12, 3);
    assert!(d.message.contains("已在第 11 行定义"), "{d}");
}
