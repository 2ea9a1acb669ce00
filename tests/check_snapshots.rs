//! The full human output of `check` (NO_COLOR), source line and caret included, for a few
//! kinds of diagnostic: the text a clerk reads is part of the contract. The temporary site path
//! is written `[ROOT]`.
//!
//! Update with `INSTA_UPDATE=always cargo test`, then review the `.snap` files.

use crate::harness::{Site, base};

#[test]
fn unknown_field_with_hint() {
    let run = Site::base()
        .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
        .check_human()
        .fails();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn grading_with_cjk_values() {
    // Carets sit under 三级 (two wide characters: four carets) and under the one-letter B.
    let run = Site::fixture("grading").check_human().fails();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn syntax_errors() {
    let run = Site::fixture("syntax").check_human().fails();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn responsibility_and_approvals() {
    let run = Site::base()
        .replace(base::ZHICHU, "owner: 周科长", "owner: 郑主任")
        .replace(base::ZHICHU, "  office: 2022-06-20", "  office: 2022-05-27")
        .delete_line(base::JIJIAN, "  board: 2022-07-01")
        .check_human()
        .fails();
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn no_site_yaml() {
    let run = Site::base().remove(base::SITE).check_human().exit(2);
    insta::assert_snapshot!(run.stderr);
}
