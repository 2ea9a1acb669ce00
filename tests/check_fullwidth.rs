//! Issue 16: full-width characters typed where YAML syntax stands, the slips of a Chinese input
//! method. Fixture `fullwidth` adds one point file per slip to the base (a copy of `zhichu.md`
//! with its own id, the slip typed in); `fullwidth-fixed` holds each file as `check --fix` must
//! leave it, byte for byte (`colon.md` with a BOM and CRLF and a comment on the slip's line,
//! `comma.md` and `date.md` with CRLF).
//!
//! Before, `impact：较重` was "键后缺少“: ”" with the caret on column 1, `  前期预防：` was
//! blamed on the next line, a `　` indent gave `unknown-field` and `measures-missing`, a
//! date in full-width digits also `not-approved`, and `[甲，乙]`, `【甲, 乙】`, `［甲］` were
//! read without a word as one item of text.

use std::path::Path;

use crate::harness::{Error, Site, base, fixtures_dir};

const DIR: &str = "content/2022/caiwu";

/// Each slip: its file, rule, line and column of the caret, and what the message names.
const SLIPS: &[(&str, &str, usize, usize, &str)] = &[
    ("colon", "yaml-syntax", 7, 7, "中文冒号“：”"),
    ("colon-nested", "yaml-syntax", 12, 7, "中文冒号“：”"),
    ("indent", "yaml-syntax", 13, 1, "全角空格“　”"),
    ("comma", "yaml-syntax", 12, 20, "中文逗号“，”"),
    ("brackets", "yaml-syntax", 12, 9, "中文方括号“【】”"),
    ("square-brackets", "yaml-syntax", 13, 9, "全角方括号“［］”"),
    ("quotes", "yaml-syntax", 3, 8, "中文引号"),
    ("date", "invalid-value", 18, 11, "全角字符“２”"),
];

fn file(name: &str) -> String {
    format!("{DIR}/{name}.md")
}

#[test]
fn each_slip_is_one_error_on_its_character() {
    let run = Site::fixture("fullwidth").check().fails();
    let files: Vec<String> = SLIPS.iter().map(|(name, ..)| file(name)).collect();
    let expected: Vec<(&str, &str, usize, usize)> = SLIPS
        .iter()
        .zip(&files)
        .map(|((_, rule, line, column, _), file)| (*rule, file.as_str(), *line, *column))
        .collect();
    let run = run.only(&expected);
    for ((_, rule, line, column, names), file) in SLIPS.iter().zip(&files) {
        let d = run.diag(rule, Error, file, *line, *column);
        assert!(d.message.contains(names), "{d}");
        assert!(
            d.hint.as_deref().is_some_and(|h| h.contains("--fix")),
            "{d}"
        );
    }
}

#[test]
fn the_colon_is_named_and_how_to_fix_it_said() {
    let run = Site::fixture("fullwidth").check();
    let d = run.diag("yaml-syntax", Error, &file("colon"), 7, 7);
    assert_eq!(d.message, "YAML 语法错误：键后是中文冒号“：”");
    assert_eq!(
        d.hint.as_deref(),
        Some("把中文冒号“：”改为英文冒号加空格“: ”（gongshi check --fix 可自动改正）")
    );
}

/// The text a liaison reads: each caret under its character (a full-width one is two columns
/// wide, so two carets).
#[test]
fn carets_under_the_characters() {
    let run = Site::fixture("fullwidth").check_human().fails();
    insta::assert_snapshot!(run.stderr);
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn check_fix_repairs_each_slip_in_place() {
    let site = Site::fixture("fullwidth");
    let run = site.run(["check", "--fix"]).succeeds();
    let fixed = fixtures_dir().join("fullwidth-fixed");
    for (name, ..) in SLIPS {
        let rel = file(name);
        assert_eq!(
            String::from_utf8_lossy(&bytes(&site.path(&rel))),
            String::from_utf8_lossy(&bytes(&fixed.join(&rel))),
            "{rel} as --fix left it\n{run:?}"
        );
        assert!(run.stderr.contains(&format!("已修改 {rel}:")), "{run:?}");
    }
    site.check().succeeds().clean();
}

/// Text in a value is the writer's own: a colon, comma or brackets there are not slips.
#[test]
fn full_width_punctuation_in_text_is_left_alone() {
    Site::base()
        .replace(
            base::ZHICHU,
            "title: 大额资金支付审批把关不严",
            "title: 注意：大额资金“三重一大”支付审批【重点】",
        )
        .replace(
            base::ZHICHU,
            "  前期预防: [大额支付须经集体研究]",
            "  前期预防:\n    - 原则：大额支付须经集体研究，会议纪要存档\n    - \"甲，乙\"",
        )
        .replace(
            base::ZHICHU,
            "  中期监控: [每月核对支付台账]",
            "  中期监控: [\"每月核对，季度抽查\", 年度审计]",
        )
        .check()
        .succeeds()
        .clean();
}

/// Regression: an indent of one full-width space was read as part of a key (`unknown-field`
/// `　中期监控`), so the point also lacked its 中期监控 (`measures-missing`).
#[test]
fn a_full_width_indent_is_one_error() {
    Site::base()
        .replace(base::ZHICHU, "  中期监控: [", "\u{3000}中期监控: [")
        .check()
        .fails()
        .only(&[("yaml-syntax", base::ZHICHU, 13, 1)]);
}

#[test]
fn a_slip_in_site_yaml() {
    let site = Site::base().replace(base::SITE, "name: ", "name：");
    site.check()
        .fails()
        .only(&[("yaml-syntax", base::SITE, 1, 5)]);
    site.run(["check", "--fix"]).succeeds();
    assert_eq!(site.read(base::SITE), Site::base().read(base::SITE));
}

/// A slip does not hide a mistake of another kind before it, which the parser stopped at.
#[test]
fn an_error_before_a_slip_is_reported_too() {
    Site::base()
        .replace(base::ZHICHU, "title: 大额资金", "title: [大额资金")
        .replace(base::ZHICHU, "impact: 较重", "impact：较重")
        .check()
        .fails()
        .only(&[
            ("yaml-syntax", base::ZHICHU, 4, 6),
            ("yaml-syntax", base::ZHICHU, 7, 7),
        ]);
}

/// A list item that opens a mapping (`- name：…` above `  start: …`) is a key, told apart from
/// an item of text (`- 原则：…`) by the line under it.
#[test]
fn a_colon_in_a_list_of_mappings() {
    Site::base()
        .replace(
            base::YEAR,
            "  - {name: 动员部署, start: 2022-05-10, end: 2022-05-20}",
            "  - name：动员部署\n    start: 2022-05-10\n    end: 2022-05-20",
        )
        .check()
        .fails()
        .only(&[("yaml-syntax", base::YEAR, 6, 9)]);
}

/// `check --fix --dept caiwu` (what it means run inside caiwu's folder) converts and repairs
/// caiwu's files only: another department's slip and GBK file stay for their own liaison.
#[test]
fn fix_for_one_department_leaves_the_others() {
    let caigou = Site::base().read(base::CAIGOU);
    let (gbk, _, _) = encoding_rs::GB18030.encode(&caigou);
    let site = Site::base()
        .replace(base::ZHICHU, "impact: 较重", "impact：较重")
        .replace(base::WEIXIU, "impact: ", "impact：")
        .bytes(base::CAIGOU, &gbk);
    let weixiu = site.read(base::WEIXIU);
    site.run(["check", "--fix", "--dept", "caiwu"]);
    assert_eq!(site.read(base::ZHICHU), Site::base().read(base::ZHICHU));
    assert_eq!(site.read(base::WEIXIU), weixiu);
    assert_eq!(
        std::fs::read(site.path(base::CAIGOU)).ok(),
        Some(gbk.into_owned())
    );
}
