//! Spreadsheets: the department's fill-in workbook (`gongshi template`), reading it back into
//! Markdown (`gongshi import`), and what the ledger workbook (`gongshi export`) shares with
//! them: the columns (src/sheet/columns.rs), real dates, the grades' colours and the print
//! setup.
//!
//! The Markdown files stay the one source of truth (checked, diffed, archived); the workbook is
//! a way in and out of them for those who work in Excel or WPS.
//!
//! - [`template`]: site → workbook (rust_xlsxwriter).
//! - [`import`]: workbook (calamine, [`read`], [`table`]) → rows → would-be files ([`plan`],
//!   [`markdown`]) → `check` on a copy of the year ([`staging`]) → findings against the cells
//!   ([`report`]) → the files, all or nothing ([`plan`]).

pub(crate) mod columns;
mod dates;
pub(crate) mod import;
mod markdown;
mod plan;
mod read;
mod report;
mod staging;
mod table;
pub(crate) mod template;

use anyhow::Result;
use rust_xlsxwriter::{ExcelDateTime, Worksheet};

use crate::model::{Date, Grade};

/// The instructions sheet, first in every template, and the labels of the cells that say
/// which department and year the workbook is for (column A; the value in column B).
pub(crate) const INFO_SHEET: &str = "说明";
pub(crate) const DEPT_LABEL: &str = "科室代号";
pub(crate) const YEAR_LABEL: &str = "年度";

/// The plan's colours (一级 red, 二级 orange, 三级 yellow), as the notice draws them.
pub(crate) fn grade_fill(grade: Grade) -> u32 {
    match grade {
        Grade::One => 0xc0392b,
        Grade::Two => 0xd35400,
        Grade::Three => 0xb7950b,
    }
}

/// How dates show in every workbook gongshi writes.
pub(crate) fn date_format() -> &'static str {
    "yyyy-mm-dd"
}

/// A date as an Excel date (a serial number that shows as a date). Excel has no date before
/// 1900: `Err` then, and the caller writes the date as text.
pub(crate) fn excel_date(date: Date) -> Result<ExcelDateTime> {
    Ok(ExcelDateTime::from_ymd(date.year, date.month, date.day)?)
}

/// The print setup of every sheet gongshi writes: landscape A4, as wide as one page and as
/// long as needed, the header row repeated on every page, the sheet's title at the top and
/// the page number at the bottom.
pub(crate) fn print_setup(sheet: &mut Worksheet, title: &str) -> Result<()> {
    sheet.set_landscape();
    // 9: A4 (Excel's paper codes).
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    // `&` starts a code in Excel's header text: a literal one is written twice.
    let title: String = title.replace('&', "&&").chars().take(200).collect();
    sheet.set_header(format!("&C{title}"));
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
