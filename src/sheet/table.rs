//! One sheet of a returned workbook read as a table: the header row names the columns
//! (`columns::columns` of the sheet's level, in any order), each row below it that holds
//! anything is one point.
//!
//! What cannot be read as a table is a finding against the cell: a merged range, a formula
//! where a value belongs, a header that is not the template's, a value in a column without a
//! header, an error value (`#N/A`). The computed grade's formulas are expected and skipped.

use std::collections::HashMap;

use calamine::Data;

use crate::model::Level;
use crate::sheet::columns::{Field, Kind, columns};
use crate::sheet::dates;
use crate::sheet::markdown::PointValues;
use crate::sheet::read::{Cell, Grid};
use crate::sheet::report::{CellPlace, Finding, Place};

/// One row of points data.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// 1-based, as Excel numbers it.
    pub(crate) number: u32,
    pub(crate) values: PointValues,
    /// Each column's cell as it reads, for messages.
    pub(crate) shown: HashMap<Field, String>,
}

#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) sheet: String,
    pub(crate) level: Level,
    /// The column (0-based) of each field.
    pub(crate) columns: HashMap<Field, u32>,
    pub(crate) rows: Vec<Row>,
}

impl Table {
    /// The place of `field` on row `row`.
    pub(crate) fn cell(&self, row: &Row, field: Field) -> Option<CellPlace> {
        let col = *self.columns.get(&field)?;
        Some(CellPlace {
            sheet: self.sheet.clone(),
            row: row.number,
            col,
            header: field.header().to_string(),
            value: row.shown.get(&field).cloned().unwrap_or_default(),
        })
    }
}

/// A number as a person wrote it: `3`, not `3.0`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// A date cell's calendar date, as `YYYY-MM-DD`.
fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The text a cell gives to a column of `kind`, and the text it shows. `Err` with the shown
/// text of an error value.
fn cell_text(value: &Data, kind: Kind) -> Result<(String, String), String> {
    let shown = match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => date_text(dt),
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    };
    let text = match (kind, value) {
        // A date typed as text, or as the number 20220520: the date it names; anything else
        // as typed, for `check` to report.
        (Kind::Date, Data::String(_) | Data::Int(_) | Data::Float(_)) => {
            dates::parse_typed(&shown).map_or_else(|| shown.trim().to_string(), |d| d.to_string())
        }
        (Kind::Date, Data::DateTimeIso(s)) => s
            .get(..10)
            .and_then(dates::parse_typed)
            .map_or_else(|| s.clone(), |d| d.to_string()),
        (Kind::Measures, _) => shown.replace("\r\n", "\n"),
        _ => shown.trim().to_string(),
    };
    Ok((text, shown))
}

fn cell_place(sheet: &str, cell: &Cell, header: &str, value: String) -> Place {
    Place::Cell(CellPlace {
        sheet: sheet.to_string(),
        row: cell.row + 1,
        col: cell.col,
        header: header.to_string(),
        value,
    })
}

fn range_name(d: &calamine::Dimensions) -> String {
    let name = |(row, col): (u32, u32)| {
        format!(
            "{}{}",
            rust_xlsxwriter::column_number_to_name(u16::try_from(col).unwrap_or(u16::MAX)),
            row + 1
        )
    };
    format!("{}:{}", name(d.start), name(d.end))
}

/// Reads the sheet of `level` named `sheet`. Findings go to `findings`; `None` when the header
/// row is not the template's (no row could be read reliably).
pub(crate) fn read(
    sheet: &str,
    level: Level,
    grid: &Grid,
    findings: &mut Vec<Finding>,
) -> Option<Table> {
    merged_findings(sheet, grid, findings);
    let by_col = header(sheet, level, grid, findings)?;
    let rows = data_rows(sheet, level, grid, &by_col, findings);
    let columns = by_col.into_iter().map(|(col, f)| (f, col)).collect();
    Some(Table {
        sheet: sheet.to_string(),
        level,
        columns,
        rows,
    })
}

/// A finding at each merged range: a point is one row, a value one cell.
fn merged_findings(sheet: &str, grid: &Grid, findings: &mut Vec<Finding>) {
    let header_at = |col: u32| {
        grid.cells
            .iter()
            .find(|c| c.row == 0 && c.col == col)
            .and_then(|c| cell_text(&c.value, Kind::Text).ok())
            .map(|(text, _)| text)
            .unwrap_or_default()
    };
    for merged in &grid.merged {
        let (row, col) = merged.start;
        findings.push(
            Finding::error(
                "merged-cell",
                Place::Cell(CellPlace {
                    sheet: sheet.to_string(),
                    row: row + 1,
                    col,
                    header: if row == 0 { String::new() } else { header_at(col) },
                    value: grid
                        .cells
                        .iter()
                        .find(|c| (c.row, c.col) == (row, col))
                        .and_then(|c| cell_text(&c.value, Kind::Text).ok())
                        .map(|(_, shown)| shown)
                        .unwrap_or_default(),
                }),
                format!("合并了单元格 {}", range_name(merged)),
            )
            .with_hint("每个风险点占一行、每项占一格：请取消合并（开始 → 合并后居中 → 取消合并单元格），在每一行填上各自的内容"),
        );
    }
}

/// The field of each column (0-based), by the header row; `None` when a header is unknown,
/// given twice or missing (findings say which).
fn header(
    sheet: &str,
    level: Level,
    grid: &Grid,
    findings: &mut Vec<Finding>,
) -> Option<HashMap<u32, Field>> {
    let expected = columns(level);
    let mut by_col: HashMap<u32, Field> = HashMap::new();
    let mut header_ok = true;
    for cell in grid.cells.iter().filter(|c| c.row == 0) {
        let Ok((text, shown)) = cell_text(&cell.value, Kind::Text) else {
            continue;
        };
        let name: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if name.is_empty() {
            continue;
        }
        match expected.iter().find(|f| f.header() == name) {
            Some(field) if by_col.values().any(|f| f == field) => {
                header_ok = false;
                findings.push(Finding::error(
                    "workbook",
                    cell_place(sheet, cell, "", shown),
                    format!("列标题“{name}”出现了两次"),
                ));
            }
            Some(field) => {
                by_col.insert(cell.col, *field);
            }
            None => {
                header_ok = false;
                let known: Vec<&str> = expected.iter().map(|f| f.header()).collect();
                let nearest = known
                    .iter()
                    .filter(|k| !by_col.values().any(|f| f.header() == **k))
                    .map(|k| (strsim::levenshtein(k, &name), *k))
                    .filter(|(d, k)| *d <= k.chars().count() / 2)
                    .min();
                let hint = match nearest {
                    Some((_, k)) => format!("是否是“{k}”？列标题须与模板一致，请改回原来的名称"),
                    None => format!("{level}工作表的列：{}", known.join("、")),
                };
                findings.push(
                    Finding::error(
                        "workbook",
                        cell_place(sheet, cell, "", shown),
                        format!("“{name}”不是{level}工作表的列标题"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    for field in &expected {
        if *field != Field::ComputedGrade && !by_col.values().any(|f| f == field) {
            header_ok = false;
            findings.push(
                Finding::error(
                    "workbook",
                    Place::Sheet(sheet.to_string()),
                    format!("工作表“{sheet}”第 1 行缺少列“{}”", field.header()),
                )
                .with_hint("第 1 行是列标题，须与模板一致：请不要删除、改名或在其上方插入行；可以重新用 gongshi template 生成模板"),
            );
        }
    }
    header_ok.then_some(by_col)
}

/// The rows below the header that hold anything, one point each; a cell that cannot be read
/// (no header, a formula, an error value) is a finding and left out.
fn data_rows(
    sheet: &str,
    level: Level,
    grid: &Grid,
    by_col: &HashMap<u32, Field>,
    findings: &mut Vec<Finding>,
) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for cell in grid.cells.iter().filter(|c| c.row > 0) {
        let Some(field) = by_col.get(&cell.col).copied() else {
            if !cell.is_blank() {
                let shown = cell_text(&cell.value, Kind::Text)
                    .map(|(_, s)| s)
                    .unwrap_or_else(|e| e);
                findings.push(
                    Finding::error(
                        "workbook",
                        cell_place(sheet, cell, "", shown),
                        "这一格所在的列没有列标题，内容无法导入",
                    )
                    .with_hint("请把内容移到对应的列，或删除它"),
                );
            }
            continue;
        };
        if field.kind() == Kind::Computed {
            continue;
        }
        if let Some(formula) = &cell.formula {
            findings.push(
                Finding::error(
                    "formula-cell",
                    cell_place(sheet, cell, field.header(), format!("={formula}")),
                    format!("“{}”列的单元格是公式", field.header()),
                )
                .with_hint("请直接填写内容：复制这一格，再“选择性粘贴 → 数值”"),
            );
            continue;
        }
        let (text, shown) = match cell_text(&cell.value, field.kind()) {
            Ok(pair) => pair,
            Err(error) => {
                findings.push(
                    Finding::error(
                        "invalid-value",
                        cell_place(sheet, cell, field.header(), error.clone()),
                        format!("“{}”列的单元格是错误值 {error}", field.header()),
                    )
                    .with_hint("请直接填写内容"),
                );
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        // A coded value typed another accepted way (B for 二级) is written as the term.
        let text = field.canonical(&text).map_or(text, str::to_string);
        let number = cell.row + 1;
        if rows.last().is_none_or(|r| r.number != number) {
            rows.push(Row {
                number,
                values: PointValues {
                    level: Some(level),
                    ..PointValues::default()
                },
                shown: HashMap::new(),
            });
        }
        let Some(row) = rows.last_mut() else { continue };
        if field == Field::Id {
            row.values.id = text.clone();
        }
        row.values.cells.insert(field, text);
        row.shown.insert(field, shown);
    }
    rows
}
