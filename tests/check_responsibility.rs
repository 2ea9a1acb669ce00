//! `responsibility`: 分级管理 (plan 六.(三).5, the table of SPEC section 5). Each row of the
//! table is tried with a wrong person (an error at the name) and, for the hospital level's
//! "any …" variants, with each kind of right person (nothing).
//!
//! The base site's people: 主要领导 刘院长; 分管领导 陈副院长 (caiwu, zongwu) and 王副院长
//! (yaojike); heads 周科长 (caiwu), 郑主任 (yaojike), 钱科长 (zongwu).

use crate::harness::{Error, Site, base};

/// Replaces `from` by `to` in `file` and expects exactly one `responsibility` error at
/// `line:column` whose message names `who_should`.
fn wrong(file: &str, from: &str, to: &str, line: usize, column: usize, who_should: &str) {
    let d = Site::base()
        .replace(file, from, to)
        .check()
        .fails()
        .only(&[("responsibility", file, line, column)])
        .diag("responsibility", Error, file, line, column);
    assert!(
        d.message.contains(who_should),
        "{file} `{to}`: message should name {who_should}: {d}"
    );
}

/// Replaces `from` by `to` in `file` and expects nothing to be found.
fn right(file: &str, from: &str, to: &str) {
    let run = Site::base().replace(file, from, to).check();
    assert_eq!(run.code, Some(0), "{file} `{to}`: {run:?}");
    run.clean();
}

#[test]
fn grade_one_department_point_is_owned_by_its_departments_deputy() {
    // 陈副院长 oversees caiwu; 王副院长 oversees another department.
    wrong(
        base::CHUNA,
        "owner: 陈副院长",
        "owner: 王副院长",
        11,
        8,
        "财务科的分管领导 陈副院长",
    );
    // The same for a point whose 一级 is computed, not declared (YJ-01 in yaojike).
    wrong(
        base::CAIGOU,
        "owner: 王副院长",
        "owner: 陈副院长",
        10,
        8,
        "药剂科的分管领导 王副院长",
    );
}

#[test]
fn grade_one_is_supervised_by_the_principal() {
    wrong(
        base::CHUNA,
        "supervisor: 刘院长",
        "supervisor: 陈副院长",
        12,
        13,
        "主要领导 刘院长",
    );
}

#[test]
fn grade_two_department_point_is_owned_by_its_head() {
    wrong(
        base::ZHICHU,
        "owner: 周科长",
        "owner: 郑主任",
        9,
        8,
        "财务科负责人 周科长",
    );
}

#[test]
fn grade_two_department_point_is_supervised_by_its_deputy_only() {
    wrong(
        base::ZHICHU,
        "supervisor: 陈副院长",
        "supervisor: 王副院长",
        10,
        13,
        "陈副院长",
    );
    // The principal may supervise a 二级 point of the hospital level, not of a department.
    wrong(
        base::ZHICHU,
        "supervisor: 陈副院长",
        "supervisor: 刘院长",
        10,
        13,
        "陈副院长",
    );
}

#[test]
fn grade_three_post_point_is_owned_by_its_holder() {
    wrong(
        base::KUAIJI,
        "owner: 吴会计",
        "owner: 周科长",
        11,
        8,
        "岗位人员 吴会计",
    );
}

#[test]
fn grade_three_is_supervised_by_the_departments_head() {
    wrong(
        base::KUAIJI,
        "supervisor: 周科长",
        "supervisor: 郑主任",
        12,
        13,
        "财务科负责人 周科长",
    );
    wrong(
        base::WEIXIU,
        "supervisor: 钱科长",
        "supervisor: 周科长",
        10,
        13,
        "总务科负责人 钱科长",
    );
}

#[test]
fn grade_three_department_point_may_be_owned_by_anyone_named() {
    right(base::WEIXIU, "owner: 李干事", "owner: 某某某");
}

#[test]
fn unit_grade_one_is_owned_by_any_deputy_and_supervised_by_the_principal() {
    right(base::JIJIAN, "owner: 陈副院长", "owner: 王副院长");
    wrong(
        base::JIJIAN,
        "owner: 陈副院长",
        "owner: 周科长",
        9,
        8,
        "任一分管领导",
    );
    wrong(
        base::JIJIAN,
        "owner: 陈副院长",
        "owner: 刘院长",
        9,
        8,
        "任一分管领导",
    );
    wrong(
        base::JIJIAN,
        "supervisor: 刘院长",
        "supervisor: 陈副院长",
        10,
        13,
        "主要领导 刘院长",
    );
}

#[test]
fn unit_grade_two_is_owned_by_any_head_or_deputy() {
    right(base::RENSHI, "owner: 郑主任", "owner: 钱科长");
    right(base::RENSHI, "owner: 郑主任", "owner: 陈副院长");
    wrong(
        base::RENSHI,
        "owner: 郑主任",
        "owner: 刘院长",
        9,
        8,
        "任一科室负责人或分管领导",
    );
    wrong(
        base::RENSHI,
        "owner: 郑主任",
        "owner: 孙干事",
        9,
        8,
        "任一科室负责人或分管领导",
    );
}

#[test]
fn unit_grade_two_is_supervised_by_any_deputy_or_the_principal() {
    right(base::RENSHI, "supervisor: 王副院长", "supervisor: 陈副院长");
    right(base::RENSHI, "supervisor: 王副院长", "supervisor: 刘院长");
    wrong(
        base::RENSHI,
        "supervisor: 王副院长",
        "supervisor: 周科长",
        10,
        13,
        "任一分管领导或主要领导",
    );
}

#[test]
fn unit_grade_three_is_owned_by_anyone_and_supervised_by_any_head() {
    right(base::YINZHANG, "owner: 孙干事", "owner: 路人甲");
    right(base::YINZHANG, "supervisor: 钱科长", "supervisor: 周科长");
    wrong(
        base::YINZHANG,
        "supervisor: 钱科长",
        "supervisor: 陈副院长",
        9,
        13,
        "任一科室负责人",
    );
}

#[test]
fn responsibility_follows_the_declared_grade() {
    // The 三级 会计 point declared 二级 (over-graded) must then be owned by the head and
    // supervised by the deputy, and have two lines of defence.
    Site::base()
        .replace(base::KUAIJI, "grade: 三级", "grade: 二级")
        .check()
        .fails()
        .only(&[
            ("over-graded", base::KUAIJI, 10, 8),
            ("responsibility", base::KUAIJI, 11, 8),
            ("responsibility", base::KUAIJI, 12, 13),
            ("measures-missing", base::KUAIJI, 13, 1),
        ]);
}

#[test]
fn department_without_a_deputy_cannot_have_a_grade_one_owner() {
    let site = Site::base();
    let point = site
        .read(base::CHUNA)
        .replace("id: CW-01", "id: BW-01")
        .replace("post: 出纳", "post: 门卫");
    let d = site
        .file(
            "content/2022/baowei/_index.md",
            "---\nname: 保卫科\nhead: 蒋科长\nliaison: 韩干事\n---\n",
        )
        .file("content/2022/baowei/menwei.md", &point)
        .check()
        .fails()
        .only(&[("responsibility", "content/2022/baowei/menwei.md", 11, 8)])
        .diag(
            "responsibility",
            Error,
            "content/2022/baowei/menwei.md",
            11,
            8,
        );
    assert!(d.message.contains("没有人分管该科室"), "{d}");
}
