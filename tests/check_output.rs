//! Issue 16: what a person reads at the terminal. Warnings of one rule in many files fold into
//! one line (in full with `-v`); errors print last, nearest the prompt; `--format json` stays
//! complete and in order. Every command that prints diagnostics arranges them so. `build` ends
//! with how many points it published out of how many, and warns when it published none.
//!
//! Regression: after `carry`, `export --year 2023` printed ~470 lines of near-identical
//! `not-approved` warnings with the single error in the middle.

use crate::harness::{Run, Site, base};

/// Five points without their last approval (five `not-approved` warnings in five files) and
/// one error (an unknown key area in caiwu's `_index.md`, the first file in file order).
fn unapproved_with_one_error() -> Site {
    Site::base()
        .delete_line(base::CHUNA, "  dept: 2022-05-28")
        .delete_line(base::KUAIJI, "  dept: 2022-05-30")
        .delete_line(base::ZHICHU, "  office: 2022-06-20")
        .delete_line(base::JIJIAN, "  board: 2022-07-01")
        .delete_line(base::RENSHI, "  board: 2022-07-01")
        .replace(base::CAIWU, "key_area: 财务", "key_area: 财务处")
}

const FOLDED: &str = "警告[not-approved]: 5 个风险点尚未完成审批，不予公示";
const ERROR: &str = "错误[invalid-value]: 字段 `key_area` 的值“财务处”不在可选范围内";

/// The folded line, no single `not-approved`, and the error after every warning.
#[track_caller]
fn folded_with_the_error_last(run: &Run) {
    let err = &run.stderr;
    assert_eq!(err.matches(FOLDED).count(), 1, "{run:?}");
    assert!(!err.contains("尚未完成“"), "{run:?}");
    assert!(err.contains("加 -v 逐条列出"), "{run:?}");
    let folded = err.find(FOLDED).unwrap_or(usize::MAX);
    let error = err.find(ERROR).unwrap_or(0);
    assert!(
        folded < error,
        "the error is not after the warnings: {run:?}"
    );
    assert!(
        !err[error..].contains("警告["),
        "a warning after the error: {run:?}"
    );
}

#[test]
fn check_folds_the_warnings_and_prints_the_error_last() {
    let site = unapproved_with_one_error();
    let run = site.check_human().fails();
    folded_with_the_error_last(&run);
    // The summary line closes it, right after the error.
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("2022 年度：检查了"), "{run:?}");
}

#[test]
fn verbose_shows_every_warning_still_before_the_error() {
    let run = unapproved_with_one_error().run(["check", "-v"]).fails();
    let err = &run.stderr;
    assert_eq!(
        err.matches("警告[not-approved]: 尚未完成").count(),
        5,
        "{run:?}"
    );
    assert!(!err.contains(FOLDED), "{run:?}");
    let error = err.find(ERROR).unwrap_or(0);
    assert!(!err[error..].contains("警告["), "{run:?}");
}

#[test]
fn quiet_shows_the_error_alone() {
    let run = unapproved_with_one_error().run(["check", "-q"]).fails();
    assert!(!run.stderr.contains("警告["), "{run:?}");
    assert!(run.stderr.contains(ERROR), "{run:?}");
}

/// The JSON is every diagnostic, in the order `check` found them (by file and position).
#[test]
fn json_stays_complete_and_in_order() {
    let run = unapproved_with_one_error().check().fails();
    let got: Vec<(String, String)> = run
        .stdout_json()
        .into_iter()
        .map(|d| (d.rule, d.file))
        .collect();
    let want: Vec<(String, String)> = [
        ("invalid-value", base::CAIWU),
        ("not-approved", base::CHUNA),
        ("not-approved", base::KUAIJI),
        ("not-approved", base::ZHICHU),
        ("not-approved", base::JIJIAN),
        ("not-approved", base::RENSHI),
    ]
    .iter()
    .map(|(r, f)| (r.to_string(), f.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn build_archive_and_export_arrange_them_alike() {
    let site = unapproved_with_one_error();
    folded_with_the_error_last(&site.run(["build"]).fails());
    folded_with_the_error_last(&site.run(["archive", "2022"]).fails());
    folded_with_the_error_last(&site.run(["export", "--format", "csv"]).fails());
}

/// A few warnings, or many in one file, are shown in full.
#[test]
fn warnings_in_a_few_files_are_not_folded() {
    let run = Site::base()
        .delete_line(base::CHUNA, "  dept: 2022-05-28")
        .delete_line(base::KUAIJI, "  dept: 2022-05-30")
        .check_human()
        .succeeds();
    assert_eq!(
        run.stderr.matches("警告[not-approved]: 尚未完成").count(),
        2,
        "{run:?}"
    );
}

#[test]
fn build_says_how_much_it_published() {
    // The base: eight points, all approved; its three 岗位 points are for their departments.
    let run = Site::base().run(["build"]).succeeds();
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert_eq!(last, "公示 5/8：3 仅科室公示", "{run:?}");
    let run = Site::base()
        .delete_line(base::ZHICHU, "  office: 2022-06-20")
        .replace(base::KUAIJI, "review:", "scope: 不公示\nreview:")
        .run(["build", "--scope", "科室:caiwu"])
        .succeeds();
    assert!(
        run.stderr
            .contains("公示 5/8：1 未审批，1 不公示，1 仅其他科室公示"),
        "{run:?}"
    );
}

/// Regression: a build that published nothing said only how many pages it wrote.
#[test]
fn build_warns_when_nothing_is_published() {
    let mut site = Site::base();
    for (file, line) in [
        (base::CHUNA, "  dept: 2022-05-28"),
        (base::KUAIJI, "  dept: 2022-05-30"),
        (base::ZHICHU, "  dept: 2022-05-28"),
        (base::CAIGOU, "  dept: 2022-06-05"),
        (base::WEIXIU, "  dept: 2022-06-03"),
        (base::JIJIAN, "  board: 2022-07-01"),
        (base::RENSHI, "  board: 2022-07-01"),
        (base::YINZHANG, "  board: 2022-07-06"),
    ] {
        site = site.delete_line(file, line);
    }
    let run = site.run(["build"]).succeeds();
    assert!(
        run.stderr.contains(
            "警告：生成的公示中没有任何风险点：8 个风险点都不在其中（公示 0/8：8 未审批）"
        ),
        "{run:?}"
    );
}

/// An internal build shows every point: its line counts the public notice of its audience (the
/// office's is the hospital's), and it does not warn that nothing is published.
#[test]
fn internal_builds_count_the_public_notice_and_do_not_warn() {
    let run = Site::base().run(["build", "--scope", "办公室"]).succeeds();
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert_eq!(last, "公示 5/8：3 仅科室公示", "{run:?}");
    let mut site = Site::base();
    for (file, line) in [
        (base::CHUNA, "  dept: 2022-05-28"),
        (base::KUAIJI, "  dept: 2022-05-30"),
        (base::ZHICHU, "  dept: 2022-05-28"),
        (base::CAIGOU, "  dept: 2022-06-05"),
        (base::WEIXIU, "  dept: 2022-06-03"),
        (base::JIJIAN, "  board: 2022-07-01"),
        (base::RENSHI, "  board: 2022-07-01"),
        (base::YINZHANG, "  board: 2022-07-06"),
    ] {
        site = site.delete_line(file, line);
    }
    let run = site.run(["build", "--drafts"]).succeeds();
    let last = run.stderr.trim_end().lines().last().unwrap_or("");
    assert_eq!(last, "公示 0/8：8 未审批", "{run:?}");
    assert!(!run.stderr.contains("没有任何风险点"), "{run:?}");
}
