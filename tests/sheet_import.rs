//! `gongshi import`: the example's departments through their templates and back, and each kind
//! of bad workbook refused at its cell with the content folder left byte for byte as it was.
//!
//! Workbooks are written by `gongshi template`, then read with calamine, changed cell by cell
//! and written again with rust_xlsxwriter (tests/sheet_book.rs), as a department's Excel would.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::harness::Site;
use crate::sheet_book::{Book, Sheet, Value};
use crate::support::files::{copy_tree, read_tree};

/// A copy of the repository's example site.
pub fn example() -> Site {
    let site = Site::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    copy_tree(&repo.join("content"), &site.path("content"));
    site
}

fn path_arg(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// `template --dept DEPT --filled` into `DEPT.xlsx` beside the site's content.
pub fn filled_template(site: &Site, dept: &str) -> PathBuf {
    let file = site.path(&format!("{dept}.xlsx"));
    site.run([
        "template",
        "--dept",
        dept,
        "--filled",
        "--force",
        "-o",
        &path_arg(&file),
    ])
    .succeeds();
    file
}

/// caiwu's filled template, read back for a test to change.
fn caiwu_book(site: &Site) -> Book {
    Book::read(&filled_template(site, "caiwu"))
}

/// Writes `book` as `returned.xlsx` and returns its path.
fn returned(site: &Site, book: &Book) -> PathBuf {
    let file = site.path("returned.xlsx");
    book.write(&file);
    file
}

fn export_points(site: &Site) -> Vec<Json> {
    let run = site.run(["export", "--format", "json"]).succeeds();
    let mut ledger: Json = serde_json::from_str(&run.stdout).unwrap();
    let mut points = ledger["points"].as_array_mut().unwrap().clone();
    for p in &mut points {
        p.as_object_mut().unwrap().remove("file");
    }
    points
}

/// Runs `import FILE --format json`, which must fail and leave `content/` as it was; returns
/// the findings.
fn refused(site: &Site, file: &Path) -> Vec<Json> {
    let before = read_tree(&site.path("content"));
    let run = site
        .run(["import", &path_arg(file), "--format", "json"])
        .fails();
    assert_eq!(
        read_tree(&site.path("content")),
        before,
        "a refused import changed content/: {run:?}"
    );
    let findings: Vec<Json> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not a JSON array ({e}): {run:?}"));
    assert!(
        findings.iter().any(|f| f["severity"] == "error"),
        "no error: {run:?}"
    );
    findings
}

/// The one finding of `rule`; panics listing all of them when there is none.
fn finding<'a>(findings: &'a [Json], rule: &str) -> &'a Json {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} among {findings:#?}"))
}

/// Asserts that `f` is about the cell `cell` of `sheet` (its header and value too).
fn at_cell(f: &Json, sheet: &str, cell: &str, header: &str, value: &str) {
    assert_eq!(f["sheet"], sheet, "{f:#}");
    assert_eq!(f["cell"], cell, "{f:#}");
    assert_eq!(f["header"], header, "{f:#}");
    assert_eq!(f["value"], value, "{f:#}");
    let row: u32 = cell
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap();
    assert_eq!(f["row"], row, "{f:#}");
    assert_eq!(f["line"], row, "{f:#}");
    assert!(f["file"].as_str().unwrap().ends_with(".xlsx"), "{f:#}");
}

#[test]
fn every_department_goes_through_its_template_and_back_unchanged() {
    let base = export_points(&example());
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2022");
    let mut depts: Vec<String> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    depts.sort();
    assert!(
        depts.len() >= 11 && depts.contains(&"unit".to_string()),
        "{depts:?}"
    );
    for dept in &depts {
        let site = example();
        let file = filled_template(&site, dept);
        let folder = site.path(&format!("content/2022/{dept}"));
        let mut removed = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() != "_index.md" {
                std::fs::remove_file(&path).unwrap();
                removed += 1;
            }
        }
        assert!(removed > 0, "{dept} has no points");
        let run = site.run(["import", &path_arg(&file)]).succeeds();
        assert_eq!(
            run.stdout
                .lines()
                .filter(|l| l.starts_with("新建 "))
                .count(),
            removed,
            "{dept}: {run:?}"
        );
        assert_eq!(export_points(&site), base, "{dept}: the points differ");
        // Written in fmt's canonical form.
        site.run(["fmt", "--check", &path_arg(&folder)]).succeeds();
    }
}

#[test]
fn a_workbook_saved_again_imports_to_the_same_files() {
    // Through calamine and rust_xlsxwriter: no styles, no validations, formulas kept.
    let site = example();
    let before = read_tree(&site.path("content"));
    let file = returned(&site, &caiwu_book(&site));
    let run = site.run(["import", &path_arg(&file)]).succeeds();
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("不变 "))
            .count(),
        7,
        "{run:?}"
    );
    assert_eq!(read_tree(&site.path("content")), before);
}

#[test]
fn an_existing_point_is_updated_in_place_and_keeps_its_body() {
    let site = example();
    let original = site.read("content/2022/caiwu/cwk-03.md");
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-03");
    let title = sheet.at("标题", row);
    let monitoring = sheet.at("中期监控", row);
    sheet.set(&title, "大额资金支付审批把关不严，拆分支付规避集体决策");
    sheet.set(
        &monitoring,
        "每月向分管领导报送大额资金支付明细\n纪检办每季度开展专项检查",
    );
    let file = returned(&site, &book);
    let dry = site
        .run(["import", &path_arg(&file), "--dry-run"])
        .succeeds();
    assert!(
        dry.stdout
            .contains("将更新 content/2022/caiwu/cwk-03.md ← 科室第 2 行 CWK-03（标题、防控措施）"),
        "{dry:?}"
    );
    assert_eq!(
        site.read("content/2022/caiwu/cwk-03.md"),
        original,
        "dry run wrote"
    );
    site.run(["import", &path_arg(&file)]).succeeds();
    let updated = site.read("content/2022/caiwu/cwk-03.md");
    let expected = original
        .replace(
            "title: 大额资金支付审批把关不严\n",
            "title: 大额资金支付审批把关不严，拆分支付规避集体决策\n",
        )
        .replace(
            "    - 纪检办每季度对大额支付开展专项检查\n",
            "    - 纪检办每季度开展专项检查\n",
        );
    assert_eq!(updated, expected);
    assert!(
        site.check()
            .stdout_json()
            .iter()
            .all(|d| d.severity != crate::harness::Error),
        "the import left an error"
    );
}

#[test]
fn a_new_row_gets_the_next_free_id_and_a_new_file() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.next_free_row();
    for (header, value) in [
        ("标题", "往来款项长期挂账不清理"),
        ("风险类别", "制度机制风险"),
        ("发生机率", "较小"),
        ("危害程度", "一般"),
        ("直接负责管理落实", "赵某琳"),
        ("负责监督", "陈某平"),
        ("前期预防", "每季度清理往来款项"),
    ] {
        let cell = sheet.at(header, row);
        sheet.set(&cell, header_value(value));
    }
    let cell = sheet.at("填报日期", row);
    sheet.set(&cell, Value::Date(2022, 5, 30));
    let file = returned(&site, &book);
    let run = site.run(["import", &path_arg(&file)]).succeeds();
    assert!(
        run.stdout.contains(&format!(
            "新建 content/2022/caiwu/cwk-08.md ← 科室第 {row} 行 CWK-08"
        )),
        "{run:?}"
    );
    let text = site.read("content/2022/caiwu/cwk-08.md");
    assert!(
        text.starts_with(
            "---\nid: CWK-08\ntitle: 往来款项长期挂账不清理\nlevel: 科室\ncategory: 制度机制风险\n\
             likelihood: 较小\nimpact: 一般\nowner: 赵某琳\nsupervisor: 陈某平\nmeasures:\n  前期预防:\n\
             \x20   - 每季度清理往来款项\nreview:\n  submitted: 2022-05-30\n---\n## 表现形式\n"
        ),
        "{text}"
    );
    // Unapproved, so a warning; no error.
    let check = site.check();
    assert!(
        check
            .in_file("content/2022/caiwu/cwk-08.md")
            .iter()
            .all(|d| d.rule == "not-approved"),
        "{check:?}"
    );
    site.run(["fmt", "--check"]).succeeds();
}

fn header_value(text: &str) -> Value {
    Value::Text(text.to_string())
}

#[test]
fn dates_typed_as_text_are_read_as_dates() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-03");
    for (header, typed) in [
        ("填报日期", "2022.5.29"),
        ("科室集体审定", "2022年6月8日"),
        ("领导小组办公室审定（党政组织审核）", "2022/6/29"),
    ] {
        let cell = sheet.at(header, row);
        sheet.set(&cell, typed);
    }
    let file = returned(&site, &book);
    site.run(["import", &path_arg(&file)]).succeeds();
    let text = site.read("content/2022/caiwu/cwk-03.md");
    assert!(
        text.contains(
            "review:\n  submitted: 2022-05-29\n  dept: 2022-06-08\n  office: 2022-06-29\n---"
        ),
        "{text}"
    );
}

#[test]
fn a_term_typed_another_accepted_way_is_written_as_the_term() {
    // Pasted past the drop-down list: B for 二级, as `check --fix` would write it.
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let cell = sheet.at("风险等级", sheet.row_of("CWK-03"));
    sheet.set(&cell, "B");
    let file = returned(&site, &book);
    let run = site.run(["import", &path_arg(&file)]).succeeds();
    assert!(
        run.stdout.contains("不变 content/2022/caiwu/cwk-03.md"),
        "{run:?}"
    );
}

#[test]
fn a_date_that_does_not_exist_is_refused_at_its_cell() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-03");
    let cell = sheet.at("科室集体审定", row);
    sheet.set(&cell, "2022.6.31");
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "invalid-value");
    at_cell(f, "科室", &cell, "科室集体审定", "2022.6.31");
    assert!(
        f["hint"].as_str().unwrap().contains("2022年5月20日"),
        "{f:#}"
    );
}

#[test]
fn a_grade_milder_than_computed_is_refused_at_the_grade_cell() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-03");
    let cell = sheet.at("风险等级", row);
    sheet.set(&cell, "三级");
    let file = returned(&site, &book);
    let findings = refused(&site, &file);
    let f = finding(&findings, "under-graded");
    at_cell(f, "科室", &cell, "风险等级", "三级");
    assert_eq!(f["message"], "风险等级定为三级，低于计算等级二级");

    // The same in check's human format, with the cell where check shows the source line.
    let run = site.run(["import", &path_arg(&file)]).fails();
    let expected = format!(
        "错误[under-graded]: 风险等级定为三级，低于计算等级二级\n\
         \x20 --> {}：工作表“科室”第 {row} 行“风险等级”列（{cell}）\n\
         \x20  |\n\
         {cell} | 三级\n\
         \x20  | ^^^^\n",
        path_arg(&file).replace(&site.root().display().to_string(), "[ROOT]")
    );
    assert!(run.stderr.contains(&expected), "{run:?}");
    assert!(run.stderr.contains("未写入任何文件"), "{run:?}");
}

#[test]
fn an_unknown_category_is_refused_at_its_cell() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("岗位");
    let row = sheet.row_of("CWK-01");
    let cell = sheet.at("风险类别", row);
    sheet.set(&cell, "人情往来风险");
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "invalid-value");
    at_cell(f, "岗位", &cell, "风险类别", "人情往来风险");
    assert!(
        f["message"].as_str().unwrap().contains("“风险类别”"),
        "{f:#}"
    );
}

#[test]
fn an_empty_required_cell_is_refused_at_its_cell() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("岗位");
    let row = sheet.row_of("CWK-02");
    let cell = sheet.at("在岗人员", row);
    sheet.clear(&cell);
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "missing-field");
    at_cell(f, "岗位", &cell, "在岗人员", "");
}

#[test]
fn a_missing_line_of_defence_points_at_its_empty_column() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-03");
    let cell = sheet.at("中期监控", row);
    sheet.clear(&cell);
    let findings = refused(&site, &returned(&site, &book));
    at_cell(
        finding(&findings, "measures-missing"),
        "科室",
        &cell,
        "中期监控",
        "",
    );
}

#[test]
fn a_merged_cell_is_refused() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("岗位");
    let row = sheet.row_of("CWK-01");
    let col = sheet.col("岗位");
    // 出纳 on two rows, merged, as people do with a post that has two points.
    sheet.merged.push((row - 1, col, row, col));
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "merged-cell");
    assert_eq!(f["sheet"], "岗位");
    assert_eq!(f["row"], row);
    assert_eq!(f["value"], "出纳");
    assert_eq!(f["header"], "岗位");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains(&format!("C{row}:C{}", row + 1)),
        "{f:#}"
    );
}

#[test]
fn an_extra_sheet_is_refused() {
    let site = example();
    let mut book = caiwu_book(&site);
    let mut extra = Sheet::new("Sheet1");
    extra.set("A1", "草稿");
    book.sheets.push(extra);
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "workbook");
    assert_eq!(f["sheet"], "Sheet1");
    assert_eq!(f["message"], "多出工作表“Sheet1”");
}

#[test]
fn a_formula_where_a_value_belongs_is_refused() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-05");
    let cell = sheet.at("负责监督", row);
    let source = sheet.at("负责监督", sheet.row_of("CWK-03"));
    sheet.set(&cell, Value::Formula(source.clone(), "李某华".into()));
    let findings = refused(&site, &returned(&site, &book));
    at_cell(
        finding(&findings, "formula-cell"),
        "科室",
        &cell,
        "负责监督",
        &format!("={source}"),
    );
}

#[test]
fn ten_thousand_rows_are_refused_without_reading_them_all() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let col = sheet.col("标题");
    for row in 1..=10_000u32 {
        sheet
            .cells
            .insert((row, col), Value::Text(format!("风险点 {row}")));
    }
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "too-many-rows");
    assert_eq!(f["sheet"], "科室");
    assert_eq!(f["row"], 1002);
}

#[test]
fn a_file_that_is_not_xlsx_is_refused() {
    let site = example();
    for (name, bytes, says) in [
        (
            "text.xlsx",
            "编号,标题\nCWK-01,挪用公款\n".as_bytes().to_vec(),
            "文本文件",
        ),
        ("empty.xlsx", Vec::new(), "空的"),
        (
            "old.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(),
            "旧版 Excel",
        ),
        (
            "other.zip",
            zip_of("word/document.xml", "<w:document/>"),
            "无法读取工作簿",
        ),
        (
            "bomb.xlsx",
            claims_four_gigabytes(zip_of("xl/sharedStrings.xml", "<sst/>")),
            "解压后超过",
        ),
    ] {
        let file = site.path(name);
        std::fs::write(&file, bytes).unwrap();
        let findings = refused(&site, &file);
        let f = finding(&findings, "workbook");
        assert!(
            f["message"].as_str().unwrap().contains(says),
            "{name}: {f:#}"
        );
        assert_eq!(f["line"], Json::Null, "{f:#}");
    }
}

/// The zip with its directory saying that its part unpacks to 4 GB (a zip bomb's claim).
fn claims_four_gigabytes(mut zip: Vec<u8>) -> Vec<u8> {
    let dir = zip
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("a central directory");
    // The central directory header's uncompressed size, at offset 24.
    zip[dir + 24..dir + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    zip
}

fn zip_of(name: &str, text: &str) -> Vec<u8> {
    use std::io::Write as _;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    zip.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

#[test]
fn a_renamed_header_or_a_missing_sheet_is_named() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let cell = sheet.at("负责监督", 1);
    sheet.set(&cell, "监督人");
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "workbook");
    assert_eq!(f["cell"], cell, "{f:#}");
    assert_eq!(f["value"], "监督人");
    assert!(
        findings
            .iter()
            .any(|f| f["message"] == "工作表“科室”第 1 行缺少列“负责监督”"),
        "{findings:#?}"
    );

    let mut book = caiwu_book(&site);
    book.sheets.retain(|s| s.name != "岗位");
    let findings = refused(&site, &returned(&site, &book));
    assert!(
        findings
            .iter()
            .any(|f| f["message"] == "缺少工作表“岗位”（附表1 个人风险岗位廉能识别防控表）"),
        "{findings:#?}"
    );
}

#[test]
fn an_id_of_another_department_is_refused_at_the_id_cell() {
    let site = example();
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let row = sheet.row_of("CWK-07");
    let cell = sheet.at("编号", row);
    sheet.set(&cell, "RSK-01");
    let findings = refused(&site, &returned(&site, &book));
    let f = finding(&findings, "duplicate-id");
    at_cell(f, "科室", &cell, "编号", "RSK-01");
    // The other department's file is named too.
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "duplicate-id" && f["file"] == "content/2022/renshi/rsk-01.md"),
        "{findings:#?}"
    );
}

#[test]
fn errors_elsewhere_in_the_year_do_not_stop_a_clean_workbook() {
    let site = example().replace("content/2022/renshi/rsk-01.md", "title: ", "title: [");
    let mut book = caiwu_book(&site);
    let sheet = book.sheet("科室");
    let cell = sheet.at("标题", sheet.row_of("CWK-03"));
    sheet.set(&cell, "大额资金支付审批不严");
    let run = site
        .run(["import", &path_arg(&returned(&site, &book))])
        .succeeds();
    assert!(
        run.stderr.contains("另有 1 个错误在本表以外的文件中"),
        "{run:?}"
    );
    assert!(
        site.read("content/2022/caiwu/cwk-03.md")
            .contains("title: 大额资金支付审批不严\n")
    );
}

#[test]
fn a_workbook_of_another_year_or_department_is_refused_at_the_cell_that_says_so() {
    let site = example();
    for (label, value, says) in [
        ("年度", "2030", "没有 2030 年度"),
        ("科室代号", "nosuch", "没有科室“nosuch”"),
    ] {
        let mut book = caiwu_book(&site);
        let info = book.sheet("说明");
        let row = info
            .cells
            .iter()
            .find(|(_, v)| **v == Value::Text(label.into()))
            .map(|((r, _), _)| r + 1)
            .unwrap();
        info.set(&format!("B{row}"), value);
        let findings = refused(&site, &returned(&site, &book));
        let f = &findings[0];
        at_cell(f, "说明", &format!("B{row}"), label, value);
        assert!(f["message"].as_str().unwrap().contains(says), "{f:#}");
    }
}

#[test]
fn the_department_comes_from_the_workbook_and_must_match_dept() {
    let site = example();
    let file = filled_template(&site, "caiwu");
    site.run(["import", &path_arg(&file), "--dept", "renshi"])
        .exit(2)
        .stderr_has("与 --dept renshi 不符");
    site.run(["import", &path_arg(&file), "--dept", "caiwu", "--dry-run"])
        .succeeds();
    site.run(["import", &path_arg(&site.path("nothing.xlsx"))])
        .exit(2);
}
