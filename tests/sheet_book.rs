//! A workbook as the tests change it: read with calamine (values, dates, formulas), changed
//! cell by cell, written again with rust_xlsxwriter — what a department does to a template in
//! Excel, less the formatting.

#![allow(dead_code, reason = "each test uses the part it needs")]

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
    /// A formula and the value it last computed.
    Formula(String, String),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// (row, column), both 0-based.
    pub cells: BTreeMap<(u32, u16), Value>,
    /// (first row, first column, last row, last column).
    pub merged: Vec<(u32, u16, u32, u16)>,
}

/// `F3` → (2, 5).
pub fn cell_ref(cell: &str) -> (u32, u16) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u32 = cell[letters.len()..].parse().expect("a cell like F3");
    (row - 1, rust_xlsxwriter::column_name_to_number(&letters))
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            ..Sheet::default()
        }
    }

    pub fn get(&self, cell: &str) -> Option<&Value> {
        self.cells.get(&cell_ref(cell))
    }

    pub fn set(&mut self, cell: &str, value: impl Into<Value>) -> &mut Sheet {
        self.cells.insert(cell_ref(cell), value.into());
        self
    }

    pub fn clear(&mut self, cell: &str) -> &mut Sheet {
        self.cells.remove(&cell_ref(cell));
        self
    }

    /// The column (0-based) whose header (row 1) is `header`.
    pub fn col(&self, header: &str) -> u16 {
        self.cells
            .iter()
            .find(|((r, _), v)| *r == 0 && **v == Value::Text(header.to_string()))
            .map(|((_, c), _)| *c)
            .unwrap_or_else(|| panic!("sheet {} has no column {header}", self.name))
    }

    /// The cell reference of column `header` on row `row` (1-based): `F3`.
    pub fn at(&self, header: &str, row: u32) -> String {
        format!(
            "{}{row}",
            rust_xlsxwriter::column_number_to_name(self.col(header))
        )
    }

    /// The row (1-based) whose 编号 is `id`.
    pub fn row_of(&self, id: &str) -> u32 {
        let col = self.col("编号");
        self.cells
            .iter()
            .find(|((_, c), v)| *c == col && **v == Value::Text(id.to_string()))
            .map(|((r, _), _)| r + 1)
            .unwrap_or_else(|| panic!("sheet {} has no row {id}", self.name))
    }

    /// The first row (1-based) below the header with nothing typed in it.
    pub fn next_free_row(&self) -> u32 {
        let last = self
            .cells
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Formula(..)))
            .map(|((r, _), _)| *r)
            .max()
            .unwrap_or(0);
        last + 2
    }

    /// The text of a cell, as it reads.
    pub fn text(&self, cell: &str) -> String {
        match self.get(cell) {
            None => String::new(),
            Some(Value::Text(t)) => t.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Date(y, m, d)) => format!("{y:04}-{m:02}-{d:02}"),
            Some(Value::Formula(_, v)) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Book {
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn read(path: &Path) -> Book {
        let mut xlsx: Xlsx<_> = open_workbook(path).expect("a workbook calamine reads");
        let mut book = Book::default();
        for name in xlsx.sheet_names() {
            let mut sheet = Sheet::new(&name);
            let range = xlsx.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                let pos = (r0 + r as u32, (c0 + c as u32) as u16);
                let value = match value {
                    Data::String(s) => Value::Text(s.clone()),
                    Data::Float(f) => Value::Number(*f),
                    Data::Int(i) => Value::Number(*i as f64),
                    Data::DateTime(dt) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        Value::Date(y, m, d)
                    }
                    other => Value::Text(other.to_string()),
                };
                sheet.cells.insert(pos, value);
            }
            let formulas = xlsx.worksheet_formula(&name).unwrap();
            let (r0, c0) = formulas.start().unwrap_or((0, 0));
            for (r, c, formula) in formulas.used_cells() {
                if formula.is_empty() {
                    continue;
                }
                let pos = (r0 + r as u32, (c0 + c as u32) as u16);
                let cached = match sheet.cells.get(&pos) {
                    Some(Value::Text(t)) => t.clone(),
                    _ => String::new(),
                };
                sheet
                    .cells
                    .insert(pos, Value::Formula(formula.clone(), cached));
            }
            book.sheets.push(sheet);
        }
        book
    }

    pub fn sheet(&mut self, name: &str) -> &mut Sheet {
        self.sheets
            .iter_mut()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no sheet {name}"))
    }

    pub fn write(&self, path: &Path) {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for sheet in &self.sheets {
            let ws = workbook.add_worksheet();
            ws.set_name(&sheet.name).unwrap();
            for ((r, c), value) in &sheet.cells {
                match value {
                    Value::Text(t) => ws.write_string(*r, *c, t).map(|_| ()),
                    Value::Number(n) => ws.write_number(*r, *c, *n).map(|_| ()),
                    Value::Date(y, m, d) => ws
                        .write_datetime_with_format(
                            *r,
                            *c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &date,
                        )
                        .map(|_| ()),
                    Value::Formula(f, v) => ws
                        .write_formula(*r, *c, Formula::new(f).set_result(v))
                        .map(|_| ()),
                }
                .unwrap();
            }
            for (r1, c1, r2, c2) in &sheet.merged {
                let text = sheet
                    .cells
                    .get(&(*r1, *c1))
                    .map_or(String::new(), |v| match v {
                        Value::Text(t) => t.clone(),
                        _ => String::new(),
                    });
                ws.merge_range(*r1, *c1, *r2, *c2, &text, &Format::new())
                    .unwrap();
            }
        }
        workbook.save(path).unwrap();
    }
}
