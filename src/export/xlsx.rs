//! The ledger as an Excel workbook (rust_xlsxwriter): a summary sheet (汇总: counts by level ×
//! grade and by department), then one sheet per level (岗位, 科室, 单位) with every ledger
//! column, a frozen header, an autofilter, the grade cells in their colours, the approval
//! dates as real dates, and the print setup every gongshi workbook has (src/sheet/mod.rs:
//! landscape, one page wide, the header row on every page).
//!
//! Cells are always written as strings, numbers or dates, never formulas, so a title that
//! starts with `=` stays text. Widths and kinds of the columns the ledger shares with the
//! department's workbook come from src/sheet/columns.rs.

use anyhow::Result;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, Workbook, Worksheet};

use crate::export::Ledger;
use crate::model::{Date, Grade, Level, RiskPoint, Term};
use crate::render::ledger::HEADER;
use crate::sheet::columns::{Field, Kind};
use crate::sheet::{date_format, excel_date, grade_fill, print_setup};

struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    wrap: Format,
    date: Format,
    number: Format,
    total: Format,
    grades: [Format; 3],
}

impl Formats {
    fn new() -> Formats {
        let grade = |g: Grade| {
            Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(grade_fill(g)))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
        };
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xe8edf3))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            cell: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format(date_format())
                .set_align(FormatAlign::Top),
            number: Format::new(),
            total: Format::new().set_bold(),
            grades: [grade(Grade::One), grade(Grade::Two), grade(Grade::Three)],
        }
    }

    fn grade(&self, grade: Grade) -> &Format {
        &self.grades[usize::from(grade.number()) - 1]
    }
}

/// Column widths (in characters) by ledger column name: the department workbook's for the
/// columns it shares, measures a little wider for the office's reading.
fn column_width(name: &str) -> f64 {
    match (name, Field::of_header(name)) {
        (_, Some(Field::Measure(_))) => 48.0,
        (_, Some(field)) => field.width(),
        ("科室" | "公示状态", None) => 18.0,
        ("文件", None) => 32.0,
        _ => 12.0,
    }
}

fn is_wrapped(name: &str) -> bool {
    Field::of_header(name).is_some_and(Field::wraps)
}

fn is_date(name: &str) -> bool {
    Field::of_header(name).is_some_and(|f| f.kind() == Kind::Date)
}

fn level_sheet(
    sheet: &mut Worksheet,
    level: Level,
    ledger: &Ledger,
    formats: &Formats,
) -> Result<()> {
    sheet.set_name(level.term())?;
    let last_col = u16::try_from(HEADER.len() - 1)?;
    for (c, name) in HEADER.iter().enumerate() {
        let col = u16::try_from(c)?;
        sheet.write_string_with_format(0, col, *name, &formats.header)?;
        sheet.set_column_width(col, column_width(name))?;
    }
    let grade_cols = ["风险等级", "计算等级"].map(|h| HEADER.iter().position(|x| *x == h));
    let mut row = 0u32;
    for (p, cells) in ledger.points.iter().zip(&ledger.rows) {
        if p.level.value != level {
            continue;
        }
        row += 1;
        for (c, value) in cells.iter().enumerate() {
            let col = u16::try_from(c)?;
            if is_date(HEADER[c])
                && let Some(date) = Date::parse(value).and_then(|d| excel_date(d).ok())
            {
                sheet.write_datetime_with_format(row, col, &date, &formats.date)?;
                continue;
            }
            let format = if grade_cols[0] == Some(c) {
                formats.grade(p.grade())
            } else if grade_cols[1] == Some(c) {
                formats.grade(p.computed_grade())
            } else if is_wrapped(HEADER[c]) {
                &formats.wrap
            } else {
                &formats.cell
            };
            sheet.write_string_with_format(row, col, value, format)?;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, row, last_col)?;
    print_setup(
        sheet,
        &format!(
            "{} {} 年度风险点台帐：{level}",
            ledger.site.config.name, ledger.site.year.number
        ),
    )?;
    Ok(())
}

fn count(points: &[&RiskPoint], keep: impl Fn(&RiskPoint) -> bool) -> f64 {
    // Counts of a year's points are far below 2^53: exact as f64.
    points.iter().filter(|p| keep(p)).count() as f64
}

fn summary_sheet(sheet: &mut Worksheet, ledger: &Ledger, formats: &Formats) -> Result<()> {
    let site = ledger.site;
    let points = &ledger.points;
    sheet.set_name("汇总")?;
    sheet.set_column_width(0, 22.0)?;
    for col in 1..=6 {
        sheet.set_column_width(col, 10.0)?;
    }
    sheet.write_string_with_format(
        0,
        0,
        format!("{} {} 年度风险点台帐", site.config.name, site.year.number),
        &formats.title,
    )?;
    let published = count(points, |p| ledger.is_published(p));
    sheet.write_string(
        1,
        0,
        format!(
            "共 {} 个风险点，已公示 {published} 个，未公示（含不公示、未完成审批）{} 个。由 gongshi {} 导出，内部使用。",
            points.len(),
            points.len() as f64 - published,
            env!("CARGO_PKG_VERSION")
        ),
    )?;

    // Level × grade.
    let mut row = 3;
    sheet.write_string_with_format(row, 0, "层次 \\ 风险等级", &formats.header)?;
    for (i, g) in Grade::ALL.iter().enumerate() {
        sheet.write_string_with_format(row, u16::try_from(i + 1)?, g.term(), formats.grade(*g))?;
    }
    sheet.write_string_with_format(row, 4, "合计", &formats.header)?;
    for level in Level::ALL {
        row += 1;
        sheet.write_string(row, 0, level.term())?;
        for (i, g) in Grade::ALL.iter().enumerate() {
            let n = count(points, |p| p.level.value == *level && p.grade() == *g);
            sheet.write_number_with_format(row, u16::try_from(i + 1)?, n, &formats.number)?;
        }
        sheet.write_number_with_format(
            row,
            4,
            count(points, |p| p.level.value == *level),
            &formats.total,
        )?;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "合计", &formats.total)?;
    for (i, g) in Grade::ALL.iter().enumerate() {
        let n = count(points, |p| p.grade() == *g);
        sheet.write_number_with_format(row, u16::try_from(i + 1)?, n, &formats.total)?;
    }
    sheet.write_number_with_format(row, 4, points.len() as f64, &formats.total)?;

    // Department × grade, with publication.
    row += 2;
    let columns = ["科室", "一级", "二级", "三级", "合计", "已公示", "未公示"];
    for (c, name) in columns.iter().enumerate() {
        let col = u16::try_from(c)?;
        match Grade::parse(name) {
            Some(g) => sheet.write_string_with_format(row, col, *name, formats.grade(g))?,
            None => sheet.write_string_with_format(row, col, *name, &formats.header)?,
        };
    }
    let mut groups: Vec<(String, Option<&str>)> = site
        .year
        .departments
        .iter()
        .map(|d| (d.name.value.clone(), Some(d.slug.as_str())))
        .collect();
    groups.push(("医院（单位）".to_string(), None));
    for (name, slug) in &groups {
        let mine: Vec<&RiskPoint> = points
            .iter()
            .copied()
            .filter(|p| p.dept.as_deref() == *slug)
            .collect();
        row += 1;
        sheet.write_string(row, 0, name)?;
        for (i, g) in Grade::ALL.iter().enumerate() {
            sheet.write_number(
                row,
                u16::try_from(i + 1)?,
                count(&mine, |p| p.grade() == *g),
            )?;
        }
        let shown = count(&mine, |p| ledger.is_published(p));
        sheet.write_number_with_format(row, 4, mine.len() as f64, &formats.total)?;
        sheet.write_number(row, 5, shown)?;
        sheet.write_number(row, 6, mine.len() as f64 - shown)?;
    }
    print_setup(
        sheet,
        &format!("{} {} 年度风险点台帐", site.config.name, site.year.number),
    )?;
    Ok(())
}

/// The workbook's bytes.
pub(crate) fn workbook(ledger: &Ledger) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} {} 年度风险点台帐",
                ledger.site.config.name, ledger.site.year.number
            ))
            .set_comment("gongshi export --format xlsx"),
    );
    summary_sheet(book.add_worksheet(), ledger, &formats)?;
    for level in Level::ALL {
        level_sheet(book.add_worksheet(), *level, ledger, &formats)?;
    }
    super::progress_sheet::write(book.add_worksheet(), ledger)?;
    Ok(book.save_to_buffer()?)
}
