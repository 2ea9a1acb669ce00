//! `gongshi template` and the ledger workbook of `gongshi export`: what a department and the
//! office see when they open them — drop-down lists on the coded columns, the computed grade
//! beside the chosen one, real dates, a frozen header, the print setup — read back from the
//! files themselves (calamine for cells, the sheets' XML for validations and page setup).

use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::sheet_import::{example, filled_template};

fn arg(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// A part of the workbook's zip, as text.
fn part(file: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{} has no {name}", file.display()))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The value of `attr="…"` in an XML start tag.
fn attr<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The XML of the sheet named `name`, found through workbook.xml and its relationships.
fn sheet_xml(file: &Path, name: &str) -> String {
    let workbook = part(file, "xl/workbook.xml");
    let tag = workbook
        .split("<sheet ")
        .skip(1)
        .find(|t| attr(&format!(" {t}"), "name") == Some(name))
        .unwrap_or_else(|| panic!("no sheet {name} in {workbook}"));
    let id = attr(&format!(" {tag}"), "r:id").unwrap().to_string();
    let rels = part(file, "xl/_rels/workbook.xml.rels");
    let target = rels
        .split("<Relationship ")
        .skip(1)
        .find(|t| attr(&format!(" {t}"), "Id") == Some(&id))
        .and_then(|t| attr(&format!(" {t}"), "Target").map(str::to_string))
        .unwrap();
    part(file, &format!("xl/{}", target.trim_start_matches("/xl/")))
}

/// Each data validation of a sheet: (type, sqref, list values).
fn validations(xml: &str) -> Vec<(String, String, Vec<String>)> {
    xml.split("<dataValidation ")
        .skip(1)
        .map(|v| {
            let tag = format!(" {}", &v[..v.find('>').unwrap()]);
            let list = v
                .split_once("<formula1>\"")
                .and_then(|(_, rest)| rest.split_once("\"</formula1>"))
                .map(|(list, _)| list.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            (
                attr(&tag, "type").unwrap_or("any").to_string(),
                attr(&tag, "sqref").unwrap().to_string(),
                list,
            )
        })
        .collect()
}

/// The header row of a sheet, as calamine reads it.
fn headers(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<String> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn column(headers: &[String], name: &str) -> String {
    let i = headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"));
    rust_xlsxwriter::column_number_to_name(i as u16)
}

const CATEGORIES: [&str; 4] = [
    "岗位职责风险",
    "业务流程风险",
    "制度机制风险",
    "外部环境风险",
];

#[test]
fn every_coded_column_has_a_drop_down_list_of_the_plans_terms() {
    let site = example();
    for (dept, sheets) in [("caiwu", &["岗位", "科室"][..]), ("unit", &["单位"][..])] {
        let file = filled_template(&site, dept);
        let mut book: Xlsx<_> = open_workbook(&file).unwrap();
        let mut expected_sheets = vec!["说明"];
        expected_sheets.extend(sheets);
        assert_eq!(book.sheet_names(), expected_sheets);
        for sheet in sheets {
            let headers = headers(&mut book, sheet);
            let mut categories = CATEGORIES.to_vec();
            if *sheet == "岗位" {
                categories.push("思想道德风险");
            }
            // A 单位 point is never 不公示 (plan 六.(二).3).
            let scopes: &[&str] = if *sheet == "单位" {
                &["全院"]
            } else {
                &["全院", "科室", "不公示"]
            };
            let mut coded: Vec<(&str, Vec<&str>)> = vec![
                ("风险类别", categories),
                ("发生机率", vec!["高", "较高", "较小"]),
                ("危害程度", vec!["严重", "较重", "一般"]),
                ("风险等级", vec!["一级", "二级", "三级"]),
                ("公示范围", scopes.to_vec()),
            ];
            if *sheet == "单位" {
                coded.push((
                    "三重一大",
                    vec![
                        "重大事项决策",
                        "重要人事任免",
                        "重大项目安排",
                        "大额资金使用",
                    ],
                ));
            }
            let found = validations(&sheet_xml(&file, sheet));
            for (header, values) in &coded {
                let col = column(&headers, header);
                let list = found
                    .iter()
                    .find(|(kind, sqref, _)| {
                        kind == "list" && sqref.starts_with(&format!("{col}2:{col}"))
                    })
                    .unwrap_or_else(|| {
                        panic!("{dept} {sheet}: no list on {header} ({col}): {found:?}")
                    });
                assert_eq!(&list.2, values, "{dept} {sheet} {header}");
                let last: u32 = list.1.rsplit(&col).next().unwrap().parse().unwrap();
                assert!(
                    last >= 101,
                    "{dept} {sheet} {header}: only down to row {last}"
                );
            }
            // The other columns take any value (and say what goes in them).
            let lists = found.iter().filter(|(kind, ..)| kind == "list").count();
            assert_eq!(lists, coded.len(), "{dept} {sheet}: {found:?}");
        }
    }
}

#[test]
fn the_computed_grade_is_a_formula_beside_the_chosen_grade() {
    let site = example();
    let file = filled_template(&site, "caiwu");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let headers = headers(&mut book, "科室");
    let grade = headers.iter().position(|h| h == "风险等级").unwrap();
    assert_eq!(headers[grade + 1], "计算等级");
    let (likelihood, impact) = (column(&headers, "发生机率"), column(&headers, "危害程度"));
    let computed = column(&headers, "计算等级");
    let formulas = book.worksheet_formula("科室").unwrap();
    let values = book.worksheet_range("科室").unwrap();
    // CWK-05: declared 一级, computed 二级 (较小 × 较重).
    let row = values.rows().position(|r| r[0] == "CWK-05").unwrap() as u32;
    let formula = formulas.get_value((row, grade as u32 + 1)).unwrap();
    let n = row + 1;
    assert_eq!(
        formula,
        &format!(
            r#"IF(OR({likelihood}{n}="",{impact}{n}=""),"",IFERROR(INDEX({{"一级","二级","三级"}},MIN(MATCH({likelihood}{n},{{"高","较高","较小"}},0),MATCH({impact}{n},{{"严重","较重","一般"}},0))),"？"))"#
        )
    );
    assert_eq!(
        values.get_value((row, grade as u32)).unwrap().to_string(),
        "一级"
    );
    assert_eq!(
        values
            .get_value((row, grade as u32 + 1))
            .unwrap()
            .to_string(),
        "二级"
    );
    // Empty rows below are ready: the formula is there, showing nothing.
    assert!(
        formulas
            .get_value((100, grade as u32 + 1))
            .is_some_and(|f| f.contains("MATCH"))
    );
    // A mismatch is coloured: red when milder than computed, orange when graver.
    let xml = sheet_xml(&file, "科室");
    let grade_col = column(&headers, "风险等级");
    assert!(
        xml.contains(&format!(
            "<conditionalFormatting sqref=\"{grade_col}2:{grade_col}101\">"
        )),
        "{xml}"
    );
    assert!(xml.contains(&format!(
        "FIND(LEFT(${grade_col}2,1),\"一二三\")&gt;FIND(LEFT(${computed}2,1),\"一二三\")"
    )));
}

#[test]
fn dates_are_dates_the_header_frozen_and_printed_on_every_page() {
    let site = example();
    let file = filled_template(&site, "caiwu");
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let headers = headers(&mut book, "岗位");
    let col = headers.iter().position(|h| h == "填报日期").unwrap();
    let range = book.worksheet_range("岗位").unwrap();
    let row = range.rows().find(|r| r[0] == "CWK-01").unwrap();
    let Data::DateTime(dt) = &row[col] else {
        panic!("填报日期 is {:?}, not a date", row[col]);
    };
    assert_eq!(dt.to_ymd_hms_milli(), (2022, 5, 24, 0, 0, 0, 0));
    for sheet in ["岗位", "科室"] {
        let xml = sheet_xml(&file, sheet);
        for needle in [
            r#"<pane xSplit="2" ySplit="1" topLeftCell="C2" activePane="bottomRight" state="frozen"/>"#,
            r#"<pageSetUpPr fitToPage="1"/>"#,
            r#"fitToHeight="0" orientation="landscape""#,
            r#"paperSize="9""#,
        ] {
            assert!(xml.contains(needle), "{sheet}: no {needle}");
        }
        let workbook = part(&file, "xl/workbook.xml");
        assert!(
            workbook.contains(&format!(">{sheet}!$1:$1</definedName>")),
            "{sheet}: the header row is not repeated: {workbook}"
        );
    }
}

#[test]
fn an_empty_template_names_its_department_and_has_no_rows() {
    let site = example();
    let file = site.path("new.xlsx");
    site.run(["template", "--dept", "unit", "-o", &arg(&file)])
        .succeeds();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["说明", "单位"]);
    let info = book.worksheet_range("说明").unwrap();
    let label = |name: &str| {
        info.rows()
            .find(|r| r[0] == name)
            .map(|r| r[1].to_string())
            .unwrap()
    };
    assert_eq!(label("科室代号"), "unit");
    assert_eq!(label("年度"), "2022");
    let headers = headers(&mut book, "单位");
    assert!(headers.contains(&"三重一大".to_string()));
    // 在岗人员 on the 单位 sheet is the leader whose own point it is (plan 六.(二)).
    assert!(headers.contains(&"在岗人员".to_string()));
    assert!(headers.contains(&"报市卫生局纪检组备案".to_string()));
    assert!(!headers.contains(&"岗位".to_string()));
    let range = book.worksheet_range("单位").unwrap();
    assert!(
        range
            .rows()
            .skip(1)
            .all(|r| r.iter().all(|c| c.to_string().is_empty())),
        "an empty template has data"
    );
}

#[test]
fn template_refuses_what_it_cannot_do_well() {
    let site = example();
    let file = site.path("caiwu.xlsx");
    site.run(["template", "--dept", "nosuch", "-o", &arg(&file)])
        .exit(2)
        .stderr_has("没有科室“nosuch”");
    site.run([
        "template",
        "--dept",
        "caiwu",
        "-o",
        &arg(&site.path("caiwu.xls")),
    ])
    .exit(2)
    .stderr_has(".xlsx");
    site.run(["template", "--dept", "caiwu", "-o", &arg(&file)])
        .succeeds();
    // A returned workbook is never overwritten by accident.
    std::fs::write(&file, b"returned").unwrap();
    site.run(["template", "--dept", "caiwu", "-o", &arg(&file)])
        .exit(2)
        .stderr_has("--force");
    assert_eq!(std::fs::read(&file).unwrap(), b"returned");
    // --filled leaves no point out: a file that does not load stops it.
    let site = site.replace("content/2022/caiwu/cwk-05.md", "title: ", "title: [");
    let other = site.path("other.xlsx");
    site.run([
        "template",
        "--dept",
        "caiwu",
        "--filled",
        "-o",
        &arg(&other),
    ])
    .fails()
    .stderr_has("content/2022/caiwu/cwk-05.md");
    assert!(!other.exists());
}

#[test]
fn export_infers_the_format_from_the_file_name() {
    let site = example();
    let xlsx = site.path("台帐.xlsx");
    site.run(["export", "-o", &arg(&xlsx)]).succeeds();
    let book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "岗位", "科室", "单位", "进度"]);
    let csv = site.path("台帐.csv");
    site.run(["export", "-o", &arg(&csv)]).succeeds();
    assert!(
        std::fs::read(&csv)
            .unwrap()
            .starts_with("\u{feff}编号,".as_bytes())
    );
    let json = site.path("台帐.JSON");
    site.run(["export", "-o", &arg(&json)]).succeeds();
    assert!(
        std::fs::read_to_string(&json)
            .unwrap()
            .contains("\"gongshi-ledger\"")
    );

    let wrong = site.path("wrong.xlsx");
    site.run(["export", "--format", "csv", "-o", &arg(&wrong)])
        .exit(2)
        .stderr_has("--format csv 与输出文件");
    assert!(!wrong.exists());
    site.run(["export"]).exit(2).stderr_has("--format");
    site.run(["export", "-o", &arg(&site.path("ledger.txt"))])
        .exit(2)
        .stderr_has("无法从文件名");
}

#[test]
fn the_ledger_workbook_has_real_dates_and_a_print_setup() {
    let site = example();
    let file = site.path("ledger.xlsx");
    site.run(["export", "-o", &arg(&file)]).succeeds();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let headers = headers(&mut book, "岗位");
    let range = book.worksheet_range("岗位").unwrap();
    let row = range.rows().find(|r| r[0] == "CWK-01").unwrap();
    for (header, date) in [("填报日期", (2022, 5, 24)), ("科室集体审定", (2022, 6, 2))] {
        let col = headers.iter().position(|h| h == header).unwrap();
        let Data::DateTime(dt) = &row[col] else {
            panic!("{header} is {:?}, not a date", row[col]);
        };
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        assert_eq!((y, m, d), date, "{header}");
    }
    let workbook = part(&file, "xl/workbook.xml");
    for sheet in ["岗位", "科室", "单位"] {
        let xml = sheet_xml(&file, sheet);
        assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
        assert!(
            xml.contains(r#"fitToHeight="0" orientation="landscape""#),
            "{sheet}"
        );
        assert!(
            workbook.contains(&format!(">{sheet}!$1:$1</definedName>")),
            "{sheet}"
        );
    }
}
