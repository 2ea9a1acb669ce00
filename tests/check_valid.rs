//! The shared base site is valid: every other check test relies on it triggering nothing, so
//! that the diagnostics a test sees are the ones its own change caused.

use crate::harness::{Site, base};

#[test]
fn base_site_triggers_nothing() {
    let run = Site::base().check().succeeds().clean();
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn base_site_summary_counts_every_level_and_grade() {
    // Levels 3/2/3 and grades 3/2/3: YJ-01 (no grade, computed 一级) and DW-03 (no grade,
    // computed 三级) are counted at their computed grade.
    Site::base()
        .check_human()
        .succeeds()
        .stderr_has("检查了 8 个风险点（岗位 3、科室 2、单位 3；一级 3、二级 2、三级 3）")
        .stderr_has("0 个错误，0 个警告；0 个风险点未完成审批");
}

#[test]
fn explicit_year_checks_the_same_content() {
    Site::base()
        .run(["check", "--year", "2022", "--format", "json"])
        .succeeds()
        .clean();
}

#[test]
fn approval_on_the_notice_start_day_is_in_time() {
    // DW-03 is approved by the board on 2022-07-06, the notice's first day: allowed.
    let site = Site::base();
    assert!(site.read(base::YINZHANG).contains("board: 2022-07-06"));
    site.check().succeeds().clean();
}
