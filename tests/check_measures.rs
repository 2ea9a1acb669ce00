//! `measures-missing`: the lines of defence (三道防线) each grade needs — 一级 all three,
//! 二级 前期预防 and 中期监控, 三级 前期预防 — and at least one measure in any case.

use crate::harness::{Error, Site, base};

fn missing(site: Site, file: &str, line: usize, lacks: &[&str]) {
    let d = site
        .check()
        .fails()
        .only(&[("measures-missing", file, line, 1)])
        .diag("measures-missing", Error, file, line, 1);
    for defence in lacks {
        assert!(d.message.contains(defence), "should name {defence}: {d}");
    }
}

#[test]
fn grade_one_needs_disposal() {
    let site = Site::base().delete_line(base::CHUNA, "  后期处置: [发现短款立即报告纪检办]");
    missing(site, base::CHUNA, 13, &["一级", "后期处置"]);
}

#[test]
fn grade_one_needs_monitoring_and_disposal() {
    let site = Site::base()
        .delete_line(base::CHUNA, "  中期监控: [每日盘点库存现金]")
        .delete_line(base::CHUNA, "  后期处置: [发现短款立即报告纪检办]");
    missing(site, base::CHUNA, 13, &["中期监控", "后期处置"]);
}

#[test]
fn grade_one_unit_point_needs_monitoring() {
    let site = Site::base().delete_line(base::JIJIAN, "  中期监控: [纪检全程监督开标评标]");
    missing(site, base::JIJIAN, 12, &["中期监控"]);
}

#[test]
fn grade_two_needs_monitoring() {
    let site = Site::base().delete_line(base::ZHICHU, "  中期监控: [每月核对支付台账]");
    missing(site, base::ZHICHU, 11, &["二级", "中期监控"]);
}

#[test]
fn grade_two_does_not_need_disposal() {
    // ZHICHU (二级) has no 后期处置 in the base and is clean; adding one changes nothing.
    Site::base()
        .replace(
            base::ZHICHU,
            "  中期监控: [每月核对支付台账]",
            "  中期监控: [每月核对支付台账]\n  后期处置: [违规支付追回]",
        )
        .check()
        .succeeds()
        .clean();
}

#[test]
fn grade_three_needs_prevention() {
    let site = Site::base().replace(base::KUAIJI, "  前期预防:", "  中期监控:");
    missing(site, base::KUAIJI, 13, &["三级", "前期预防"]);
}

#[test]
fn no_measure_at_all() {
    for empty in ["measures: {}", "measures:\n  前期预防: []"] {
        let site = Site::base().replace(
            base::KUAIJI,
            "measures:\n  前期预防: [凭证逐张审核并签字]",
            empty,
        );
        let d = site
            .check()
            .fails()
            .only(&[("measures-missing", base::KUAIJI, 13, 1)])
            .diag("measures-missing", Error, base::KUAIJI, 13, 1);
        assert!(d.message.contains("没有任何防控措施"), "`{empty}`: {d}");
    }
}

#[test]
fn empty_measures_key_is_a_missing_field() {
    Site::base()
        .replace(
            base::KUAIJI,
            "measures:\n  前期预防: [凭证逐张审核并签字]",
            "measures:",
        )
        .check()
        .fails()
        .only(&[("missing-field", base::KUAIJI, 13, 1)]);
}

#[test]
fn the_plans_other_names_of_the_lines_are_accepted() {
    // The plan says both 中期监控 and 事中监控, 后期处置 and 后期处理.
    Site::base()
        .replace(base::CHUNA, "  中期监控:", "  事中监控:")
        .replace(base::CHUNA, "  后期处置:", "  后期处理:")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn a_lone_text_is_one_measure() {
    Site::base()
        .replace(
            base::KUAIJI,
            "  前期预防: [凭证逐张审核并签字]",
            "  前期预防: 凭证逐张审核并签字",
        )
        .check()
        .succeeds()
        .clean();
}
