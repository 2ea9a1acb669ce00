//! Reading a returned workbook (calamine): which sheets it has, and each sheet's cells with
//! their formulas, row by row, never more than a department could have filled in.
//!
//! In: the file's bytes. Out: a [`Book`] to read sheets from, or a [`Problem`] saying in
//! Chinese why the file is not a workbook gongshi can read (old `.xls`, a Word or ODS file, a
//! password, a damaged zip). Cells are read as a stream and reading stops at the first row
//! past [`MAX_ROWS`] rows of data, so a sheet filled down to row 1,048,576 (or a zip bomb) costs
//! no more than a full sheet.

use std::io::Cursor;

use calamine::{Data, Dimensions, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

/// The most rows of data one sheet may hold. The example hospital has 66 points in all; a
/// department with a thousand is a sheet filled down by mistake, or something pasted into it.
pub(crate) const MAX_ROWS: usize = 1000;

/// Cell records read from one sheet at most, empty ones included.
const MAX_CELLS: usize = 200_000;

/// The most a workbook may unpack to, all its parts together (the example's template unpacks
/// to 90 KB): calamine holds the shared strings in memory.
const MAX_UNPACKED: u64 = 200 * 1024 * 1024;

/// Why a file cannot be read as a workbook, or a sheet as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The file as a whole (message, hint).
    File(String, String),
    /// A sheet holds more than `MAX_ROWS` rows of data: the first row past the limit.
    TooManyRows { row: u32 },
}

/// One sheet as the workbook lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetName {
    pub(crate) name: String,
    pub(crate) hidden: bool,
    pub(crate) is_worksheet: bool,
}

/// A cell with a value or a formula. `row` and `col` are 0-based.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub(crate) row: u32,
    pub(crate) col: u32,
    pub(crate) value: Data,
    pub(crate) formula: Option<String>,
}

impl Cell {
    /// Whether the cell holds nothing a person typed (empty, or blank text).
    pub(crate) fn is_blank(&self) -> bool {
        match &self.value {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet's cells, in row order, and its merged ranges.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub(crate) cells: Vec<Cell>,
    pub(crate) merged: Vec<Dimensions>,
}

pub(crate) struct Book {
    inner: Xlsx<Cursor<Vec<u8>>>,
    pub(crate) sheets: Vec<SheetName>,
}

fn file_problem(message: &str, hint: &str) -> Problem {
    Problem::File(message.to_string(), hint.to_string())
}

const SAVE_AS: &str =
    "请在 Excel 或 WPS 表格中打开它，“另存为”Excel 工作簿（*.xlsx），再导入另存的文件";

/// Opens a workbook from its bytes.
pub(crate) fn open(bytes: Vec<u8>) -> Result<Book, Problem> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.is_empty() {
        return Err(file_problem("文件是空的（0 字节）", SAVE_AS));
    }
    if !bytes.starts_with(ZIP) && !bytes.starts_with(OLE) {
        let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok()
            || bytes.starts_with(b"\xEF\xBB\xBF");
        let what = if text {
            "这是文本文件（例如 CSV），不是 Excel 工作簿（.xlsx）"
        } else {
            "这不是 Excel 工作簿（.xlsx）"
        };
        return Err(file_problem(
            what,
            "导入只接受 gongshi template 生成、填好后保存的 .xlsx 文件",
        ));
    }
    let head = &bytes[..bytes.len().min(128)];
    let ods = b"application/vnd.oasis.opendocument";
    if bytes.starts_with(ZIP) && head.windows(ods.len()).any(|w| w == ods) {
        return Err(file_problem(
            "这是 OpenDocument 表格（.ods），不是 Excel 工作簿（.xlsx）",
            SAVE_AS,
        ));
    }
    if bytes.starts_with(ZIP) && unpacked_size(&bytes).is_some_and(|n| n > MAX_UNPACKED) {
        return Err(file_problem(
            "文件解压后超过 200 MB，不像一个科室的填报表",
            "请确认选对了文件：导入只接受 gongshi template 生成、填好后保存的 .xlsx 文件",
        ));
    }
    let ole = bytes.starts_with(OLE);
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(inner) => {
            let sheets = inner
                .sheets_metadata()
                .iter()
                .map(|s| SheetName {
                    name: s.name.clone(),
                    hidden: s.visible != SheetVisible::Visible,
                    is_worksheet: s.typ == SheetType::WorkSheet,
                })
                .collect();
            Ok(Book { inner, sheets })
        }
        Err(XlsxError::Password) => Err(file_problem(
            "工作簿设置了打开密码，无法读取",
            "请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再导入",
        )),
        Err(_) if ole => Err(file_problem(
            "这是旧版 Excel（.xls）或 Word 文件，不是 Excel 工作簿（.xlsx）",
            SAVE_AS,
        )),
        Err(e) => Err(Problem::File(
            format!("无法读取工作簿：文件已损坏，或不是 Excel 工作簿（{e}）"),
            SAVE_AS.to_string(),
        )),
    }
}

/// What the zip's parts unpack to, as its directory says (`None` when it cannot be read: calamine
/// then says why).
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
    }
    Some(total)
}

impl Book {
    /// The cells of sheet `name`, in row order, and its merged ranges. Stops with
    /// `TooManyRows` at the first row past `MAX_ROWS` rows holding data below `header_rows`.
    pub(crate) fn grid(&mut self, name: &str, header_rows: u32) -> Result<Grid, Problem> {
        let unreadable = |e: XlsxError| {
            Problem::File(format!("无法读取工作表“{name}”：{e}"), SAVE_AS.to_string())
        };
        let merged = self
            .inner
            .merge_cells_by_sheet_name(name)
            .map_err(unreadable)?;
        let mut reader = self
            .inner
            .worksheet_cells_reader(name)
            .map_err(unreadable)?;
        let mut cells = Vec::new();
        let mut data_rows = 0usize;
        let mut last_data_row = None;
        let mut records = 0usize;
        while let Some(record) = reader.next_cell_with_formula().map_err(unreadable)? {
            records += 1;
            let (row, col) = record.pos;
            let cell = Cell {
                row,
                col,
                value: record.value.into(),
                formula: record.formula.filter(|f| !f.trim().is_empty()),
            };
            if cell.is_blank() && cell.formula.is_none() {
                if records > MAX_CELLS {
                    return Err(Problem::TooManyRows { row: row + 1 });
                }
                continue;
            }
            // Typed data counts; a formula's result (the computed grade of an empty row)
            // does not.
            if row >= header_rows
                && !cell.is_blank()
                && cell.formula.is_none()
                && last_data_row != Some(row)
            {
                last_data_row = Some(row);
                data_rows += 1;
                if data_rows > MAX_ROWS {
                    return Err(Problem::TooManyRows { row: row + 1 });
                }
            }
            if records > MAX_CELLS {
                return Err(Problem::TooManyRows { row: row + 1 });
            }
            cells.push(cell);
        }
        Ok(Grid { cells, merged })
    }
}
