//! The approval chain and the calendar: `review-order` (submitted ≤ dept ≤ office ≤ board, none
//! after the notice starts), `not-approved` (a warning: 岗位 needs dept, 科室 dept and office,
//! 单位 board) and `late` (a warning: submitted after the 组织实施 phase ended on 2022-06-25).

use crate::harness::{Error, Site, Warning, base};

fn order_error(site: Site, file: &str, line: usize, column: usize, says: &str) {
    let d = site
        .check()
        .fails()
        .only(&[("review-order", file, line, column)])
        .diag("review-order", Error, file, line, column);
    assert!(d.message.contains(says), "{d}");
}

#[test]
fn dept_approval_before_submission() {
    let site = Site::base().replace(base::CHUNA, "  dept: 2022-05-28", "  dept: 2022-05-20");
    order_error(
        site,
        base::CHUNA,
        20,
        9,
        "科室集体审定日期 2022-05-20 早于填报日期 2022-05-25",
    );
}

#[test]
fn office_approval_before_dept_approval() {
    let site = Site::base().replace(base::ZHICHU, "  office: 2022-06-20", "  office: 2022-05-27");
    order_error(
        site,
        base::ZHICHU,
        18,
        11,
        "早于科室集体审定日期 2022-05-28",
    );
}

#[test]
fn board_approval_before_submission() {
    let site = Site::base().replace(base::JIJIAN, "  board: 2022-07-01", "  board: 2022-06-01");
    order_error(site, base::JIJIAN, 18, 10, "早于填报日期 2022-06-10");
}

#[test]
fn approvals_on_the_same_day_are_in_order() {
    Site::base()
        .replace(base::CHUNA, "  dept: 2022-05-28", "  dept: 2022-05-25")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn board_approval_after_the_notice_starts() {
    let site = Site::base().replace(base::JIJIAN, "  board: 2022-07-01", "  board: 2022-07-07");
    order_error(site, base::JIJIAN, 18, 10, "晚于公示期开始日 2022-07-06");
}

#[test]
fn dept_approval_after_the_notice_starts_and_office_before_it() {
    Site::base()
        .replace(base::ZHICHU, "  dept: 2022-05-28", "  dept: 2022-07-10")
        .check()
        .fails()
        .only(&[
            ("review-order", base::ZHICHU, 17, 9),
            ("review-order", base::ZHICHU, 18, 11),
        ]);
}

fn not_approved(site: Site, file: &str, line: usize, column: usize, lacks: &str) {
    let d = site
        .check()
        .succeeds()
        .only(&[("not-approved", file, line, column)])
        .diag("not-approved", Warning, file, line, column);
    assert!(d.message.contains(lacks), "{d}");
}

#[test]
fn post_point_needs_the_departments_approval() {
    let site = Site::base().delete_line(base::CHUNA, "  dept: 2022-05-28");
    not_approved(site, base::CHUNA, 18, 1, "科室集体审定");
}

#[test]
fn post_point_is_not_approved_by_the_board_alone() {
    let site = Site::base().replace(base::CHUNA, "  dept: 2022-05-28", "  board: 2022-07-01");
    not_approved(site, base::CHUNA, 18, 1, "科室集体审定");
}

#[test]
fn department_point_needs_the_offices_approval() {
    let site = Site::base().delete_line(base::ZHICHU, "  office: 2022-06-20");
    not_approved(site, base::ZHICHU, 15, 1, "领导小组办公室审定");
}

#[test]
fn department_point_needs_dept_and_office() {
    let site = Site::base()
        .delete_line(base::ZHICHU, "  dept: 2022-05-28")
        .delete_line(base::ZHICHU, "  office: 2022-06-20");
    not_approved(
        site,
        base::ZHICHU,
        15,
        1,
        "“科室集体审定”“领导小组办公室审定（党政组织审核）”",
    );
}

#[test]
fn unit_point_needs_the_boards_approval() {
    let site = Site::base().replace(
        base::JIJIAN,
        "  board: 2022-07-01",
        "  dept: 2022-06-12\n  office: 2022-06-20",
    );
    not_approved(site, base::JIJIAN, 16, 1, "班子会议审定");
}

/// Regression: with a `review` key but no `submitted`, `not-approved` pointed at the `---` (1:1).
#[test]
fn not_approved_points_at_the_review_key() {
    let site = Site::base()
        .delete_line(base::ZHICHU, "  submitted: 2022-05-25")
        .delete_line(base::ZHICHU, "  office: 2022-06-20");
    not_approved(site, base::ZHICHU, 15, 1, "领导小组办公室审定");
}

#[test]
fn point_without_review_is_not_approved_at_the_front_matter() {
    let site = Site::base().replace(
        base::KUAIJI,
        "review:\n  submitted: 2022-05-26\n  dept: 2022-05-30\n",
        "",
    );
    not_approved(site, base::KUAIJI, 1, 1, "科室集体审定");
}

#[test]
fn unapproved_points_are_counted_in_the_summary() {
    Site::base()
        .delete_line(base::CHUNA, "  dept: 2022-05-28")
        .delete_line(base::JIJIAN, "  board: 2022-07-01")
        .check_human()
        .succeeds()
        .stderr_has("警告[not-approved]")
        .stderr_has("0 个错误，2 个警告；2 个风险点未完成审批，不予公示");
}

#[test]
fn quiet_hides_warnings() {
    Site::base()
        .delete_line(base::CHUNA, "  dept: 2022-05-28")
        .run(["-q", "check"])
        .succeeds()
        .stderr_lacks("not-approved")
        .stderr_lacks("检查了");
}

#[test]
fn submitted_after_the_implementation_phase_is_late() {
    let d = Site::base()
        .replace(
            base::CHUNA,
            "  submitted: 2022-05-25",
            "  submitted: 2022-06-26",
        )
        .replace(base::CHUNA, "  dept: 2022-05-28", "  dept: 2022-06-28")
        .check()
        .succeeds()
        .only(&[("late", base::CHUNA, 19, 14)])
        .diag("late", Warning, base::CHUNA, 19, 14);
    assert!(d.message.contains("2022-06-25"), "{d}");
}

#[test]
fn submitted_on_the_last_day_is_not_late() {
    Site::base()
        .replace(
            base::CHUNA,
            "  submitted: 2022-05-25",
            "  submitted: 2022-06-25",
        )
        .replace(base::CHUNA, "  dept: 2022-05-28", "  dept: 2022-06-28")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn without_an_implementation_phase_nothing_is_late() {
    Site::base()
        .replace(base::YEAR, "{name: 组织实施,", "{name: 排查风险,")
        .replace(
            base::CHUNA,
            "  submitted: 2022-05-25",
            "  submitted: 2022-06-26",
        )
        .replace(base::CHUNA, "  dept: 2022-05-28", "  dept: 2022-06-28")
        .check()
        .succeeds()
        .clean();
}
