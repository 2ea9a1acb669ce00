//! Rules on the shape of a file before its fields are read: `front-matter`, `yaml-syntax`,
//! `encoding`. Fixture `syntax` holds one broken file of each kind beside the valid base.

use crate::harness::{Error, Site, base};

const NO_FRONT_MATTER: &str = "content/2022/caiwu/no-front-matter.md";
const UNCLOSED: &str = "content/2022/caiwu/unclosed.md";
const BAD_YAML: &str = "content/2022/caiwu/bad-yaml.md";

#[test]
fn syntax_fixture_reports_each_broken_file_and_nothing_else() {
    Site::fixture("syntax").check().fails().only(&[
        ("front-matter", NO_FRONT_MATTER, 1, 1),
        ("front-matter", UNCLOSED, 1, 1),
        ("yaml-syntax", BAD_YAML, 10, 11),
        ("yaml-syntax", base::OVERSIGHT, 3, 15),
    ]);
}

#[test]
fn front_matter_missing() {
    let d = Site::fixture("syntax")
        .check()
        .diag("front-matter", Error, NO_FRONT_MATTER, 1, 1);
    assert!(d.message.contains("没有 front matter"), "{d}");
}

#[test]
fn front_matter_not_closed() {
    let d = Site::fixture("syntax")
        .check()
        .diag("front-matter", Error, UNCLOSED, 1, 1);
    assert!(d.message.contains("没有结束"), "{d}");
}

#[test]
fn front_matter_must_start_on_the_first_line() {
    // A blank line before `---` means the block is body text, not front matter.
    let text = Site::base().read(base::KUAIJI);
    Site::base()
        .file(base::KUAIJI, &format!("\n{text}"))
        .check()
        .fails()
        .only(&[("front-matter", base::KUAIJI, 1, 1)]);
}

#[test]
fn empty_file_has_no_front_matter() {
    Site::base().file(base::KUAIJI, "").check().fails().only(&[(
        "front-matter",
        base::KUAIJI,
        1,
        1,
    )]);
}

#[test]
fn yaml_syntax_in_front_matter_counts_lines_in_the_whole_file() {
    // `owner: 吴会计: 周科长` is line 10 of the file (line 9 of the YAML); the second `:` is
    // the 11th character.
    let run = Site::fixture("syntax").check();
    let d = run.diag("yaml-syntax", Error, BAD_YAML, 10, 11);
    assert_eq!(d.message, "YAML 语法错误：此处不能出现“: ”（冒号加空格）");
    assert!(d.hint.unwrap_or_default().contains("引号"));
}

#[test]
fn yaml_syntax_in_oversight_yaml_counts_from_its_first_line() {
    // A .yaml file has no `---` line before it: `evaluation: 出纳: 71.5` is line 3.
    Site::fixture("syntax")
        .check()
        .has("yaml-syntax", Error, base::OVERSIGHT, 3, 15);
}

#[test]
fn yaml_syntax_in_site_yaml_still_checks_the_content() {
    Site::base()
        .file(base::SITE, "name: 医院: 五院\ncurrent_year: 2022\n")
        .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
        .check()
        .fails()
        .only(&[
            ("yaml-syntax", base::SITE, 1, 9),
            ("unknown-field", base::KUAIJI, 10, 1),
        ]);
}

#[test]
fn yaml_syntax_in_the_year_file_still_checks_the_points() {
    Site::base()
        .replace(
            base::YEAR,
            "  principal: 刘院长",
            "  principal: 刘院长: 组长",
        )
        .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
        .check()
        .fails()
        .only(&[
            ("yaml-syntax", base::YEAR, 11, 17),
            ("unknown-field", base::KUAIJI, 10, 1),
        ]);
}

/// Regression: the message was serde-saphyr's "duplicate mapping key: owner, set
/// DuplicateKeyPolicy in Options if acceptable".
#[test]
fn duplicate_key_is_a_yaml_syntax_error_at_the_second_key() {
    let d = Site::base()
        .replace(
            base::KUAIJI,
            "owner: 吴会计\n",
            "owner: 吴会计\nowner: 周科长\n",
        )
        .check()
        .fails()
        .only(&[("yaml-syntax", base::KUAIJI, 12, 1)])
        .diag("yaml-syntax", Error, base::KUAIJI, 12, 1);
    assert_eq!(d.message, "YAML 语法错误：键 `owner` 重复出现");
}

/// Regression: "while scanning a plain scalar, found a tab", in English, on the line before
/// the tab (where the scalar it follows begins).
#[test]
fn tab_is_reported_in_chinese_at_the_tab() {
    let d = Site::base()
        .replace(
            base::KUAIJI,
            "title: 会计凭证审核不细\n",
            "title: 会计凭证审核不细\n\tlevel2: x\n",
        )
        .check()
        .fails()
        .only(&[("yaml-syntax", base::KUAIJI, 4, 1)])
        .diag("yaml-syntax", Error, base::KUAIJI, 4, 1);
    assert!(d.message.contains("制表符（Tab）"), "{d}");
}

/// Regression: `score: 1e999` was a `yaml-syntax` error in English ("non-finite float … rejected
/// by the configured policy") and nothing else in oversight.yaml was checked.
#[test]
fn non_finite_numbers_in_oversight_are_invalid_values_and_the_rest_is_checked() {
    let run = Site::base()
        .file(
            base::OVERSIGHT,
            "evaluation:\n  - {dept: caiwu, post: 出纳, score: 1e999}\n  - {dept: caiwu, post: 会计, score: .nan}\ncases:\n  - {dept: nosuch, date: 2022-09-12}\n",
        )
        .check()
        .fails()
        .only(&[
            ("invalid-value", base::OVERSIGHT, 2, 36),
            ("invalid-value", base::OVERSIGHT, 3, 36),
            ("unknown-reference", base::OVERSIGHT, 5, 12),
        ]);
    let d = run.diag("invalid-value", Error, base::OVERSIGHT, 2, 36);
    assert!(d.message.contains("1e999"), "{d}");
}

#[test]
fn encoding_points_at_the_first_invalid_byte() {
    // "title: 财" is 8 characters: the bad byte is column 9 of line 3.
    Site::base()
        .bytes(
            "content/2022/caiwu/gbk.md",
            b"---\nid: CW-93\ntitle: \xe8\xb4\xa2\xff\xfe\n---\n",
        )
        .check()
        .fails()
        .only(&[("encoding", "content/2022/caiwu/gbk.md", 3, 9)]);
}

#[test]
fn gbk_encoded_point_is_an_encoding_error() {
    // 现金 in GBK: what a clerk's editor saves when UTF-8 was not chosen.
    let run = Site::base()
        .bytes(
            "content/2022/caiwu/gbk.md",
            b"---\nid: CW-94\ntitle: \xcf\xd6\xbd\xf0\n---\n",
        )
        .check()
        .fails()
        .only(&[("encoding", "content/2022/caiwu/gbk.md", 3, 8)]);
    let d = run.diag("encoding", Error, "content/2022/caiwu/gbk.md", 3, 8);
    assert!(d.hint.as_deref().unwrap_or("").contains("UTF-8"), "{d}");
}

#[test]
fn encoding_of_oversight_yaml() {
    Site::base()
        .bytes(base::OVERSIGHT, b"reports: []\ncases: [\xff]\n")
        .check()
        .fails()
        .only(&[("encoding", base::OVERSIGHT, 2, 9)]);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = Site::base().read(base::KUAIJI).replace('\n', "\r\n");
    Site::base()
        .file(base::KUAIJI, &format!("\u{feff}{text}"))
        .check()
        .succeeds()
        .clean();
}

#[test]
fn bom_does_not_shift_line_numbers() {
    let text = Site::base()
        .read(base::KUAIJI)
        .replace("grade: 三级", "grdae: 三级");
    Site::base()
        .file(base::KUAIJI, &format!("\u{feff}{text}"))
        .check()
        .fails()
        .only(&[("unknown-field", base::KUAIJI, 10, 1)]);
}

/// Regression: on the first line of a file that starts with a UTF-8 BOM, the encoding column
/// counted the invisible BOM as a character (src/content/mod.rs `read_text`): `---` then a bad
/// byte was reported at column 5 instead of 4, although every other diagnostic strips the BOM.
#[test]

fn encoding_column_after_a_bom_ignores_the_bom() {
    Site::base()
        .bytes(
            "content/2022/caiwu/bom.md",
            b"\xef\xbb\xbf---\xff\nid: CW-95\n---\n",
        )
        .check()
        .fails()
        .only(&[("encoding", "content/2022/caiwu/bom.md", 1, 4)]);
}

/// Regression: a point saved as `CW-09.MD`, `cw-09.md.txt` (Windows hides the real extension)
/// or put one folder too deep was passed over without a word, and so was `oversight.yml`: the
/// point or the oversight simply went missing from the notice. Each is an `ignored-file`
/// warning naming the file and what to rename it to; other files (a picture) stay unremarked.
#[test]
fn files_that_look_like_content_but_are_not_read_are_named() {
    let point = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/base/content/2022/caiwu/chuna.md"),
    )
    .unwrap();
    let run = Site::base()
        .file("content/2022/caiwu/CW-09.MD", &point)
        .file("content/2022/caiwu/cw-10.md.txt", &point)
        .file("content/2022/caiwu/old/cw-11.md", &point)
        .file("content/2022/caiwu/pictures/flow.png", "png")
        .file("content/2022/caiwu/notes.txt", "x")
        .file("content/2022/unit/_index.md", "---\nname: 单位\n---\n")
        .file("content/2022/oversight.yml", "reports: []\n")
        .check()
        .succeeds()
        .only(&[
            ("ignored-file", "content/2022/caiwu/CW-09.MD", 1, 1),
            ("ignored-file", "content/2022/caiwu/cw-10.md.txt", 1, 1),
            ("ignored-file", "content/2022/caiwu/old", 1, 1),
            ("ignored-file", "content/2022/unit/_index.md", 1, 1),
            ("ignored-file", "content/2022/oversight.yml", 1, 1),
        ]);
    let d = run.diag(
        "ignored-file",
        crate::harness::Warning,
        "content/2022/caiwu/cw-10.md.txt",
        1,
        1,
    );
    assert!(
        d.hint.as_deref().unwrap_or_default().contains("cw-10.md"),
        "{d}"
    );
    let d = run.diag(
        "ignored-file",
        crate::harness::Warning,
        "content/2022/caiwu/CW-09.MD",
        1,
        1,
    );
    assert!(
        d.hint.as_deref().unwrap_or_default().contains("CW-09.md"),
        "{d}"
    );
}
