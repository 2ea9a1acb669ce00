//! The workbook's 进度 sheet: the progress board of src/progress.rs (the office build's
//! `progress.html` and `check -v` show the same table), one row per department with its
//! liaison, its points by level, by the approval step they stand at, and how many are late;
//! then the deadlines and the late points.
//!
//! In: the ledger (its site's year) and today. Out: the sheet's cells, strings and numbers only,
//! printed like the workbook's other sheets (`sheet::print_setup`).

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, Worksheet};

use crate::export::Ledger;
use crate::model::{Level, Term};
use crate::progress::{self, ProgressRow, STEPS};

/// Fills `sheet` with the progress board of the ledger's year.
pub(super) fn write(sheet: &mut Worksheet, ledger: &Ledger) -> Result<()> {
    sheet.set_name("进度")?;
    let site = ledger.site;
    let Some(board) = progress::of_year(&site.year, crate::clock::today()?) else {
        sheet.write_string(0, 0, "年度 _index.md 有错误，无法统计进度")?;
        return Ok(());
    };
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xe8edf3))
        .set_text_wrap();
    let bold = Format::new().set_bold();
    let late = Format::new()
        .set_bold()
        .set_font_color(Color::RGB(0xc0392b));
    sheet.set_column_width(0, 22.0)?;
    sheet.set_column_width(1, 12.0)?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{} {} 年度工作进度（截至 {}）",
            site.config.name, site.year.number, board.as_of
        ),
        &title,
    )?;
    let mut columns: Vec<String> = vec!["科室".into(), "联络员".into()];
    columns.extend(Level::ALL.iter().map(|l| l.term().to_string()));
    columns.push("合计".into());
    columns.extend(STEPS.iter().map(|s| s.to_string()));
    columns.push("逾期".into());
    let mut row = 2;
    for (c, name) in columns.iter().enumerate() {
        sheet.write_string_with_format(row, u16::try_from(c)?, name, &header)?;
    }
    let mut write_row = |row: u32, r: &ProgressRow, total: bool| -> Result<()> {
        let format = if total { &bold } else { &Format::new() };
        sheet.write_string_with_format(row, 0, &r.name, format)?;
        sheet.write_string(row, 1, r.liaison.as_deref().unwrap_or(""))?;
        let numbers = r
            .by_level
            .iter()
            .chain([&r.total])
            .chain(&r.at_step)
            .copied();
        let mut col = 2u16;
        for n in numbers {
            // Counts of a year's points are far below 2^53: exact as f64.
            sheet.write_number_with_format(row, col, n as f64, format)?;
            col += 1;
        }
        let late_format = if r.late > 0 { &late } else { format };
        sheet.write_number_with_format(row, col, r.late as f64, late_format)?;
        Ok(())
    };
    for r in &board.rows {
        row += 1;
        write_row(row, r, false)?;
    }
    row += 1;
    write_row(row, &board.total, true)?;
    row += 2;
    sheet.write_string_with_format(row, 0, "截止日", &header)?;
    sheet.write_string_with_format(row, 1, "日期", &header)?;
    sheet.write_string_with_format(row, 2, "依据", &header)?;
    for d in &board.deadlines {
        row += 1;
        sheet.write_string(row, 0, d.name)?;
        sheet.write_string(row, 1, &d.date)?;
        sheet.write_string(row, 2, d.source)?;
    }
    row += 2;
    for (c, name) in ["逾期风险点", "科室", "原因", "文件"].iter().enumerate() {
        sheet.write_string_with_format(row, u16::try_from(c)?, *name, &header)?;
    }
    for p in &board.late {
        row += 1;
        sheet.write_string(row, 0, format!("{} {}", p.id, p.title))?;
        sheet.write_string(row, 1, &p.dept_name)?;
        sheet.write_string(row, 2, &p.why)?;
        sheet.write_string(row, 3, &p.file)?;
    }
    crate::sheet::print_setup(
        sheet,
        &format!("{} {} 年度工作进度", site.config.name, site.year.number),
    )?;
    // The title and the board's header on every page.
    sheet.set_repeat_rows(0, 2)?;
    Ok(())
}
