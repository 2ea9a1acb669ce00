//! What `import` found, said where the department can act on it: against the cell (sheet, row,
//! column header and the cell's value), in `check`'s two formats.
//!
//! Human: rustc-style like `check` (src/diagnostic.rs), with the cell where `check` shows the
//! source line:
//!
//! ```text
//! 错误[under-graded]: 风险等级定为三级，低于计算等级二级
//!   --> caiwu.xlsx：工作表“科室”第 3 行“风险等级”列（H3）
//!    |
//! H3 | 三级
//!    | ^^^^
//!    = 提示: …
//! ```
//!
//! JSON: an array of `check`'s objects `{rule, severity, file, line, column, message, hint}`
//! (`file` is the workbook, `line` the row and `column` the column's number) with `sheet`,
//! `row`, `header`, `cell` and `value` added. A finding in a Markdown file that no cell
//! explains (another file the import would change) is shown as `check` shows it, with the row
//! it came from when there is one.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::diagnostic::{self, Diagnostic, Severity};

/// Where a finding is.
#[derive(Debug, Clone)]
pub(crate) enum Place {
    /// The workbook as a whole.
    Workbook,
    /// One sheet as a whole.
    Sheet(String),
    /// One row of a sheet (1-based).
    Row {
        sheet: String,
        row: u32,
    },
    Cell(CellPlace),
    /// A Markdown file the import would write or change, at a position no cell explains.
    File {
        diag: Diagnostic,
        source: Option<String>,
        row: Option<(String, u32)>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct CellPlace {
    pub(crate) sheet: String,
    /// 1-based, as Excel numbers rows.
    pub(crate) row: u32,
    /// 0-based.
    pub(crate) col: u32,
    pub(crate) header: String,
    /// The cell as it reads (a date as `2022-05-20`).
    pub(crate) value: String,
}

impl CellPlace {
    /// `H3`.
    pub(crate) fn reference(&self) -> String {
        let col = u16::try_from(self.col).unwrap_or(u16::MAX);
        format!(
            "{}{}",
            rust_xlsxwriter::column_number_to_name(col),
            self.row
        )
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// A rule of `check` (SPEC section 5) or one of the workbook's own: `workbook`,
    /// `merged-cell`, `formula-cell`, `too-many-rows`.
    pub(crate) rule: &'static str,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    pub(crate) place: Place,
}

impl Finding {
    pub(crate) fn error(rule: &'static str, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            place,
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    sheet: Option<&'a str>,
    row: Option<u32>,
    header: Option<&'a str>,
    cell: Option<String>,
    value: Option<&'a str>,
}

/// The findings as one JSON array. `workbook` is the workbook's path as given.
pub(crate) fn to_json(findings: &[Finding], workbook: &str) -> String {
    let items: Vec<JsonFinding> = findings
        .iter()
        .map(|f| {
            let mut item = JsonFinding {
                rule: f.rule,
                severity: f.severity,
                file: workbook,
                line: None,
                column: None,
                message: &f.message,
                hint: f.hint.as_deref(),
                sheet: None,
                row: None,
                header: None,
                cell: None,
                value: None,
            };
            match &f.place {
                Place::Workbook => {}
                Place::Sheet(sheet) => item.sheet = Some(sheet),
                Place::Row { sheet, row } => {
                    item.sheet = Some(sheet);
                    item.row = Some(*row);
                    item.line = usize::try_from(*row).ok();
                }
                Place::Cell(c) => {
                    item.sheet = Some(&c.sheet);
                    item.row = Some(c.row);
                    item.line = usize::try_from(c.row).ok();
                    item.column = usize::try_from(c.col + 1).ok();
                    item.header = Some(&c.header);
                    item.cell = Some(c.reference());
                    item.value = Some(&c.value);
                }
                Place::File { diag, row, .. } => {
                    item.file = &diag.file;
                    item.line = Some(diag.pos.line);
                    item.column = Some(diag.pos.column);
                    if let Some((sheet, row)) = row {
                        item.sheet = Some(sheet);
                        item.row = Some(*row);
                    }
                }
            }
            item
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string())
}

/// Where a finding is, in a word: the Markdown file, or the workbook and its sheet (what a
/// folded line of many warnings names, src/terminal.rs).
pub(crate) fn place_name(f: &Finding, workbook: &str) -> String {
    match &f.place {
        Place::File { diag, .. } => diag.file.clone(),
        Place::Workbook => workbook.to_string(),
        Place::Sheet(sheet) | Place::Row { sheet, .. } => format!("{workbook}：工作表“{sheet}”"),
        Place::Cell(cell) => format!("{workbook}：工作表“{}”", cell.sheet),
    }
}

/// rustc-style text for one finding (see the module's comment).
pub(crate) fn render_human(f: &Finding, workbook: &str, color: bool) -> String {
    if let Place::File { diag, source, row } = &f.place {
        let mut text = diagnostic::render_human(diag, source.as_deref(), color);
        if let Some((sheet, row)) = row {
            let gutter = " ".repeat(diag.pos.line.to_string().len());
            let _ = writeln!(text, "{gutter} = 来自: 工作表“{sheet}”第 {row} 行");
        }
        return text;
    }
    let (location, cell) = match &f.place {
        Place::Workbook => (workbook.to_string(), None),
        Place::Sheet(sheet) => (format!("{workbook}：工作表“{sheet}”"), None),
        Place::Row { sheet, row } => (format!("{workbook}：工作表“{sheet}”第 {row} 行"), None),
        Place::Cell(c) => {
            let header = if c.header.is_empty() {
                String::new()
            } else {
                format!("“{}”列", c.header)
            };
            (
                format!(
                    "{workbook}：工作表“{}”第 {} 行{header}（{}）",
                    c.sheet,
                    c.row,
                    c.reference()
                ),
                Some(c),
            )
        }
        Place::File { .. } => unreachable!("rendered above"),
    };
    let reference = cell.map(CellPlace::reference).unwrap_or_default();
    let quote = cell.map(|c| {
        let shown = if c.value.is_empty() {
            "（空）".to_string()
        } else {
            // One line of the cell is enough to find it; measures hold several.
            let mut lines = c.value.lines();
            let first = lines.next().unwrap_or_default().to_string();
            if lines.next().is_some() {
                format!("{first} …")
            } else {
                first
            }
        };
        diagnostic::Quote {
            number: reference.clone(),
            carets: "^".repeat(shown.width().max(1)),
            text: shown,
            pad: String::new(),
        }
    });
    diagnostic::Report {
        severity: f.severity,
        rule: f.rule,
        message: &f.message,
        gutter: " ".repeat(reference.len().max(1)),
        location,
        quote,
        hint: f.hint.as_deref(),
    }
    .render(color)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: &str) -> Place {
        Place::Cell(CellPlace {
            sheet: "科室".into(),
            row: 3,
            col: 7,
            header: "风险等级".into(),
            value: value.into(),
        })
    }

    #[test]
    fn a_cell_is_shown_where_check_shows_the_source_line() {
        let f = Finding::error(
            "under-graded",
            cell("三级"),
            "风险等级定为三级，低于计算等级二级",
        )
        .with_hint("改为二级");
        assert_eq!(
            render_human(&f, "caiwu.xlsx", false),
            "错误[under-graded]: 风险等级定为三级，低于计算等级二级\n\
             \x20 --> caiwu.xlsx：工作表“科室”第 3 行“风险等级”列（H3）\n\
             \x20  |\n\
             H3 | 三级\n\
             \x20  | ^^^^\n\
             \x20  = 提示: 改为二级\n"
        );
    }

    #[test]
    fn json_has_checks_fields_and_the_cell() {
        let f = Finding::error("missing-field", cell(""), "为空");
        let json: serde_json::Value = serde_json::from_str(&to_json(&[f], "caiwu.xlsx")).unwrap();
        let item = &json[0];
        assert_eq!(item["file"], "caiwu.xlsx");
        assert_eq!(item["line"], 3);
        assert_eq!(item["column"], 8);
        assert_eq!(item["cell"], "H3");
        assert_eq!(item["header"], "风险等级");
        assert_eq!(item["value"], "");
        assert_eq!(item["severity"], "error");
    }
}
