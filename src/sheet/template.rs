//! `gongshi template --dept SLUG [--year Y] [--filled] -o FILE.xlsx`: a department's fill-in
//! workbook, for liaisons who work in Excel or WPS rather than in Markdown files.
//!
//! The workbook has an instructions sheet (说明: the department, the year, how to fill in each
//! column, in Chinese), then one sheet per level the department uses: 岗位 and 科室 (附表1 and
//! 附表2), or 单位 (附表3) for `--dept unit`. Each sheet has the columns of src/sheet/columns.rs
//! under a frozen header row; drop-down lists on every coded column; the computed grade as a
//! formula beside the chosen grade, which turns red when it is milder than computed (the
//! `under-graded` error) and orange when graver (allowed); real dates; and a print setup
//! (landscape A4, one page wide, the header row on every page). `--filled` writes the
//! department's points into the rows, so that last year's sheet (carried) is updated rather
//! than typed again.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Result, bail};
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DataValidation, DocProperties, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, column_number_to_name,
};

use crate::authoring::{display_path, ids};
use crate::check::Verbosity;
use crate::cli::{Cli, TemplateArgs};
use crate::model::Approval;
use crate::model::{Date, Defence, Grade, Level, Located, RiskPoint, Role, Term};
use crate::sheet::columns::{Field, Kind, columns, form_title, levels_of};
use crate::sheet::{
    DEPT_LABEL, INFO_SHEET, YEAR_LABEL, date_format, excel_date, grade_fill, print_setup,
};
use crate::site::Site;

/// Empty rows prepared (validations, formulas) below the points, and at least this many rows.
const SPARE_ROWS: u32 = 50;
const MIN_ROWS: u32 = 100;

/// The department a workbook is for.
pub(crate) struct Dept<'s> {
    /// The folder: a department's slug, or `unit`.
    pub(crate) slug: &'s str,
    pub(crate) name: String,
}

pub(crate) fn run(cli: &Cli, args: &TemplateArgs, verbosity: Verbosity) -> Result<bool> {
    let output = &args.output;
    let is_xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        bail!(
            "模板是 Excel 工作簿，文件名应以 .xlsx 结尾（例如 -o {}-{}.xlsx）",
            args.dept,
            args.year
                .map_or_else(|| "年度".to_string(), |y| y.to_string())
        );
    }
    if std::fs::symlink_metadata(output).is_ok() && !args.force {
        bail!(
            "{} 已经存在，不会覆盖（它可能是科室交回的表）；要替换它请加 --force",
            output.display()
        );
    }
    let site = Site::load(&cli.root, args.year)?;
    let slug = args.dept.as_str();
    let is_unit = slug == "unit";
    if !is_unit && !site.year.dept_folders.iter().any(|d| d == slug) {
        bail!(
            "{} 年度没有科室“{slug}”；现有科室：{}；单位层次用 --dept unit",
            site.year.number,
            site.year.dept_folders.join("、")
        );
    }
    let dept = Dept {
        slug,
        name: if is_unit {
            "医院（单位）".to_string()
        } else {
            site.year
                .departments
                .iter()
                .find(|d| d.slug == slug)
                .map_or_else(|| slug.to_string(), |d| d.name.value.clone())
        },
    };
    let mine: Vec<&RiskPoint> = site
        .year
        .points
        .iter()
        .filter(|p| match &p.dept {
            Some(d) => d == slug,
            None => is_unit && p.file.rsplit('/').nth(1) == Some("unit"),
        })
        .collect();
    let points = if args.filled {
        if refuse_unreadable(&cli.root, &site, slug, &mine)? {
            return Ok(true);
        }
        mine
    } else {
        Vec::new()
    };
    let bytes = workbook(&site, &dept, &points)?;
    crate::output::replace_file(output, &bytes)?;
    if verbosity != Verbosity::Quiet {
        let counts: Vec<String> = levels_of(slug)
            .iter()
            .map(|l| {
                format!(
                    "{l} {} 行",
                    points.iter().filter(|p| p.level.value == *l).count()
                )
            })
            .collect();
        eprintln!(
            "已生成{} {} 年度填报表（{}）→ {}\n填好后交回，用 gongshi import {} 导入",
            dept.name,
            site.year.number,
            counts.join("、"),
            display_path(&cli.root, output),
            display_path(&cli.root, output),
        );
    }
    Ok(false)
}

/// `--filled` must not leave a point out: a file of the folder that does not load, or a point
/// at a level the workbook has no sheet for, is named with its diagnostics and nothing is
/// written (exit 1).
fn refuse_unreadable(root: &Path, site: &Site, slug: &str, mine: &[&RiskPoint]) -> Result<bool> {
    let folder = root
        .join("content")
        .join(site.year.number.to_string())
        .join(slug);
    let loaded: Vec<String> = mine.iter().map(|p| p.file.clone()).collect();
    let mut missing: Vec<String> = ids::files_in_folder(&folder)?
        .iter()
        .map(|(path, _)| display_path(root, path))
        .filter(|rel| !loaded.contains(rel))
        .collect();
    let levels = levels_of(slug);
    missing.extend(
        mine.iter()
            .filter(|p| !levels.contains(&p.level.value))
            .map(|p| p.file.clone()),
    );
    if missing.is_empty() {
        return Ok(false);
    }
    let color = crate::check::use_color();
    let mut err = std::io::stderr().lock();
    let blocks = crate::terminal::render_diagnostics(
        site.diagnostics
            .iter()
            .filter(|d| missing.contains(&d.file)),
        |file| site.source(file),
        color,
        crate::check::Verbosity::Normal,
    );
    for block in blocks {
        writeln!(err, "{block}")?;
    }
    writeln!(
        err,
        "未生成：{} 个风险点文件无法放进填报表（读不出风险点，或层次不属于这个表）：{}\n请先改正（gongshi check 会指出位置），以免科室在表中看不到它们",
        missing.len(),
        missing.join("、")
    )?;
    Ok(true)
}

struct Formats {
    title: Format,
    label: Format,
    note: Format,
    header: Format,
    text: Format,
    wrapped: Format,
    date: Format,
    computed: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xbfbfbf));
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xe8edf3))
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin),
            // Text, so that an id typed as 007 stays 007 and a name is never a number.
            text: cell.clone().set_num_format("@"),
            wrapped: cell.clone().set_num_format("@").set_text_wrap(),
            date: cell.clone().set_num_format(date_format()),
            computed: cell
                .set_background_color(Color::RGB(0xf2f2f2))
                .set_font_color(Color::RGB(0x595959))
                .set_align(FormatAlign::Center),
        }
    }

    fn of(&self, field: Field) -> &Format {
        match field.kind() {
            Kind::Date => &self.date,
            Kind::Computed => &self.computed,
            _ if field.wraps() => &self.wrapped,
            _ => &self.text,
        }
    }
}

/// The workbook's bytes: the instructions, then one sheet per level with `points` in it.
pub(crate) fn workbook(site: &Site, dept: &Dept, points: &[&RiskPoint]) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} {} {} 年度风险点填报表",
                site.config.name, dept.name, site.year.number
            ))
            .set_comment("gongshi template"),
    );
    instructions(book.add_worksheet(), site, dept, &formats)?;
    for level in levels_of(dept.slug) {
        let mine: Vec<&RiskPoint> = points
            .iter()
            .copied()
            .filter(|p| p.level.value == *level)
            .collect();
        level_sheet(book.add_worksheet(), site, dept, *level, &mine, &formats)?;
    }
    Ok(book.save_to_buffer()?)
}

/// Who owns and supervises each grade (plan 六.(三).5, as `site.yaml` may override it), with
/// the names the year's files give; for the hospital's own points, as src/rules/
/// responsibility.rs accepts them (SPEC section 5: any deputy, any department head).
fn responsibility_text(site: &Site, dept: &Dept) -> String {
    let info = site.year.info.as_ref();
    let unit = dept.slug == "unit";
    let named = |role: &str, name: Option<String>| match name {
        Some(name) => format!("{role}（{name}）"),
        None => role.to_string(),
    };
    let principal = info.map(|i| i.leaders.principal.value.clone());
    let deputy = info
        .and_then(|i| i.deputy_of(dept.slug))
        .map(|d| d.name.value.clone());
    let head = site
        .year
        .departments
        .iter()
        .find(|d| d.slug == dept.slug)
        .map(|d| d.head.value.clone());
    let who = |role: Role, as_owner: bool| -> String {
        match role {
            Role::Principal => named("主要领导", principal.clone()),
            Role::Deputy if unit && as_owner => "任一分管领导".into(),
            Role::Deputy if unit => "任一分管领导或主要领导".into(),
            Role::Deputy => named("分管领导", deputy.clone()),
            Role::Head if unit && as_owner => "任一科室负责人或分管领导".into(),
            Role::Head if unit => "任一科室负责人".into(),
            Role::Head => named("科室负责人", head.clone()),
            Role::Holder if !unit => "在岗人员本人（科室风险点为指定的人员）".into(),
            Role::Holder | Role::Anyone => "指定的人员".into(),
        }
    };
    Grade::ALL
        .iter()
        .map(|g| {
            let r = site.config.rules.responsibility(*g);
            // The plan's words for each grade's owner (六.(三).5).
            let owns = match g {
                Grade::One => "直接负责管理落实",
                Grade::Two => "直接管理落实",
                Grade::Three => "直接落实",
            };
            format!(
                "{g}风险由{}{owns}，{}负责监督",
                who(r.owner, true),
                who(r.supervisor, false)
            )
        })
        .collect::<Vec<_>>()
        .join("；")
        + if unit {
            // A leader's own points (plan 六.(二)) and who supervises them (七.(一)).
            "。领导班子成员本人的风险点在“在岗人员”列填该领导姓名，不能由本人负责监督，主要领导本人的风险点由纪检负责人负责监督"
        } else {
            ""
        }
}

fn instructions(sheet: &mut Worksheet, site: &Site, dept: &Dept, f: &Formats) -> Result<()> {
    sheet.set_name(INFO_SHEET)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 96)?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "{} {} 年度风险点填报表：{}",
            site.config.name, site.year.number, dept.name
        ),
        &f.title,
    )?;
    sheet.write_string_with_format(2, 0, DEPT_LABEL, &f.label)?;
    sheet.write_string(2, 1, dept.slug)?;
    sheet.write_string_with_format(3, 0, "科室名称", &f.label)?;
    sheet.write_string(3, 1, &dept.name)?;
    sheet.write_string_with_format(4, 0, YEAR_LABEL, &f.label)?;
    sheet.write_number(4, 1, f64::from(site.year.number))?;
    sheet.write_string_with_format(5, 1, "（以上三项用于导入，请不要修改）", &f.note)?;

    let items = instruction_items(site, dept);
    sheet.write_string_with_format(7, 0, "填写说明", &f.label)?;
    for (i, item) in items.iter().enumerate() {
        let row = 8 + u32::try_from(i)?;
        sheet.write_number_with_format(row, 0, f64::from(row - 7), &f.label)?;
        sheet.write_string_with_format(row, 1, item, &f.note)?;
    }
    print_setup(
        sheet,
        &format!("{} {} 年度风险点填报表", dept.name, site.year.number),
    )?;
    sheet.set_portrait();
    Ok(())
}

/// The numbered items of the instructions: where points go, how to fill in each column, and
/// how the workbook comes back.
fn instruction_items(site: &Site, dept: &Dept) -> [String; 11] {
    let levels = levels_of(dept.slug);
    let sheets: Vec<String> = levels
        .iter()
        .map(|l| format!("“{l}”工作表（{}）", form_title(*l)))
        .collect();
    let coded = coded_headers(levels);
    let rules = &site.config.rules;
    let measures: Vec<String> = Grade::ALL
        .iter()
        .map(|g| format!("{g}风险须有{}", rules.measures_required_names(*g)))
        .collect();
    let scopes: Vec<String> = levels
        .iter()
        .map(|l| format!("{l}风险点为“{}”", rules.default_scope(*l)))
        .collect();
    let notice = site
        .year
        .info
        .as_ref()
        .map(|i| format!("，且不晚于公示开始日 {}", i.notice.start.value))
        .unwrap_or_default();
    let filed = if levels.contains(&Level::Unit) {
        "单位风险点的防控措施报市卫生局纪检组备案后，在“报市卫生局纪检组备案”列填备案日期（不早于班子会议审定，实施方案 六.(三).4.(3)）。"
    } else {
        ""
    };
    [
        format!(
            "每个风险点占一行，填在{}。表中没有的风险点不会被删除。",
            sheets.join("、")
        ),
        "编号：已有风险点的编号不要改动，导入时按编号更新原来的风险点（正文保留）；新增的风险点编号空着即可，导入时自动取本科室的下一个编号。".to_string(),
        format!(
            "带下拉箭头的列（{}）请从列表中选择。",
            coded.join("、")
        ),
        format!(
            "发生机率：{}；危害程度：严重（可能构成犯罪）、较重（可能受到纪律处分）、一般（造成不良影响或一定经济损失）（实施方案 六.(二).4）。",
            crate::model::Likelihood::ALL.iter().map(|l| l.term()).collect::<Vec<_>>().join("、")
        ),
        "风险等级取发生机率与危害程度中较重的一项：发生机率高或危害严重为一级，较高或较重为二级，其余为三级。“计算等级”列按此自动算出；“风险等级”可以空着（即取计算等级），也可以从严定级。风险等级低于计算等级时显示为红色，导入时会报错，须改正；高于计算等级（从严定级）时显示为橙色，允许。".to_string(),
        format!(
            "防控措施按三道防线（{}）分三列填写，每条措施占单元格中的一行（单元格内换行：Alt+Enter）。{}。",
            Defence::ALL.iter().map(|d| d.term()).collect::<Vec<_>>().join("、"),
            measures.join("；")
        ),
        format!("责任人（分级管理，实施方案 六.(三).5）：{}。", responsibility_text(site, dept)),
        format!(
            "公示范围：从列表中选择；空着则{}。",
            scopes.join("，")
        ),
        format!(
            "日期请填 Excel 日期，例如 2022-05-20（也可以写成 2022.5.20、2022/5/20、2022年5月20日）。审批须按 填报 ≤ 科室集体审定 ≤ 领导小组办公室审定 ≤ 班子会议审定 的顺序{notice}。公示前，岗位风险点须有科室集体审定日期，科室风险点还须有领导小组办公室审定日期，单位风险点须有班子会议审定日期。{filed}"
        ),
        "请不要合并单元格，不要在表中写公式（“计算等级”列除外），不要增加、删除或改名工作表和列标题。风险点的正文（表现形式、风险成因、流程图）不在表中，仍在各风险点的文件中，导入时保留。".to_string(),
        "填好后保存为 Excel 工作簿（.xlsx），交回领导小组办公室。办公室用 gongshi import 导入：全部无误才写入；有错误时指出工作表、行、列和单元格的内容，一处也不会写入。".to_string(),
    ]
}

/// The headers of the columns with drop-down lists, each once, in the sheets' order.
fn coded_headers(levels: &[Level]) -> Vec<&'static str> {
    levels
        .iter()
        .flat_map(|l| columns(*l))
        .filter(|c| c.kind() == Kind::Coded)
        .map(Field::header)
        .fold(Vec::new(), |mut all, h| {
            if !all.contains(&h) {
                all.push(h);
            }
            all
        })
}

/// What a column is for, shown when one of its cells is selected (at most 255 characters).
fn input_message(field: Field, level: Level) -> String {
    match field {
        Field::Id => "已有风险点不要改；新增的空着，导入时自动编号".into(),
        Field::Title => "风险点名称：一句话概括风险，例如：大额资金支付审批把关不严".into(),
        Field::Post => "岗位名称，例如：出纳".into(),
        Field::Holder if level == Level::Unit => {
            "领导班子成员本人的风险点填该领导姓名，其他单位风险点空着".into()
        }
        Field::Holder => "在岗人员姓名（附表1）".into(),
        Field::Grade => "可空着（取计算等级）；可从严定级，不能低于计算等级".into(),
        Field::ComputedGrade => "按发生机率、危害程度自动计算，不用填写".into(),
        Field::Owner => "直接负责管理落实的人（见“说明”第 7 条）".into(),
        Field::Supervisor => "负责监督的人（见“说明”第 7 条）".into(),
        Field::Measure(_) => "每条措施一行（Alt+Enter 换行）".into(),
        Field::Review(_) => "Excel 日期，例如 2022-05-20".into(),
        Field::Filed => "班子会议审定后报市卫生局纪检组备案的日期；未备案的空着".into(),
        _ => format!("从列表中选择：{}", field.choices(level).join("、")),
    }
}

/// The title of a column's input message (at most 32 characters).
fn input_title(field: Field) -> &'static str {
    match field {
        Field::Review(Approval::Office) => "领导小组办公室审定",
        Field::Filed => "报市卫生局纪检组备案日期",
        other => other.header(),
    }
}

fn level_sheet(
    sheet: &mut Worksheet,
    site: &Site,
    dept: &Dept,
    level: Level,
    points: &[&RiskPoint],
    f: &Formats,
) -> Result<()> {
    sheet.set_name(level.term())?;
    let fields = columns(level);
    let col_of = |field: Field| -> Result<u16> {
        let i = fields
            .iter()
            .position(|f| *f == field)
            .ok_or_else(|| anyhow::anyhow!("内部错误：{level}工作表没有“{}”列", field.header()))?;
        Ok(u16::try_from(i)?)
    };
    let last_row = (u32::try_from(points.len())? + SPARE_ROWS).max(MIN_ROWS);
    header_row(sheet, level, &fields, last_row, f)?;
    let computed_col = col_of(Field::ComputedGrade)?;
    computed_grades(
        sheet,
        points,
        (col_of(Field::Likelihood)?, col_of(Field::Impact)?),
        computed_col,
        last_row,
        f,
    )?;
    point_rows(sheet, &fields, points, f)?;
    grade_colours(sheet, col_of(Field::Grade)?, computed_col, last_row)?;
    sheet.set_freeze_panes(1, 2)?;
    print_setup(
        sheet,
        &format!(
            "{} {} {} 年度",
            form_title(level),
            dept.name,
            site.year.number
        ),
    )?;
    Ok(())
}

/// The header row, the columns' widths and formats, and each column's input message and
/// drop-down list (for coded columns) down to `last_row`.
fn header_row(
    sheet: &mut Worksheet,
    level: Level,
    fields: &[Field],
    last_row: u32,
    f: &Formats,
) -> Result<()> {
    for (c, field) in fields.iter().enumerate() {
        let col = u16::try_from(c)?;
        sheet.write_string_with_format(0, col, field.header(), &f.header)?;
        sheet.set_column_width(col, field.width())?;
        sheet.set_column_format(col, f.of(*field))?;
        let validation = match field.kind() {
            Kind::Coded => DataValidation::new()
                .allow_list_strings(&field.choices(level))?
                .set_error_title("不在可选范围内")?
                .set_error_message(format!(
                    "“{}”只能从列表中选择：{}",
                    field.header(),
                    field.choices(level).join("、")
                ))?,
            _ => DataValidation::new().allow_any_value(),
        };
        let validation = validation
            .set_input_title(input_title(*field))?
            .set_input_message(input_message(*field, level))?;
        sheet.add_data_validation(1, col, last_row, col, &validation)?;
    }
    sheet.set_row_height(0, 30)?;
    Ok(())
}

/// The computed grade's formula on every row down to `last_row`, from the likelihood and
/// impact columns, with the points' grades as the stored results.
fn computed_grades(
    sheet: &mut Worksheet,
    points: &[&RiskPoint],
    (likelihood_col, impact_col): (u16, u16),
    computed_col: u16,
    last_row: u32,
    f: &Formats,
) -> Result<()> {
    let likelihood = column_number_to_name(likelihood_col);
    let impact = column_number_to_name(impact_col);
    // An empty row's computed grade is empty text, as Excel computes it (not 0), for readers
    // that show the stored result without computing.
    sheet.set_formula_result_default("");
    for r in 1..=last_row {
        let n = r + 1;
        let formula = format!(
            r#"=IF(OR({likelihood}{n}="",{impact}{n}=""),"",IFERROR(INDEX({{"一级","二级","三级"}},MIN(MATCH({likelihood}{n},{{"高","较高","较小"}},0),MATCH({impact}{n},{{"严重","较重","一般"}},0))),"？"))"#
        );
        let result = points
            .get(usize::try_from(r - 1)?)
            .map_or("", |p| p.computed_grade().term());
        sheet.write_formula_with_format(
            r,
            computed_col,
            Formula::new(formula).set_result(result),
            &f.computed,
        )?;
    }
    Ok(())
}

/// The points, one a row below the header: dates as Excel dates, the rest as text.
fn point_rows(
    sheet: &mut Worksheet,
    fields: &[Field],
    points: &[&RiskPoint],
    f: &Formats,
) -> Result<()> {
    for (i, p) in points.iter().enumerate() {
        let row = u32::try_from(i)? + 1;
        for (c, field) in fields.iter().enumerate() {
            let col = u16::try_from(c)?;
            match field {
                Field::ComputedGrade => {}
                Field::Review(_) | Field::Filed => {
                    if let Some(date) = review_date(p, *field) {
                        match excel_date(date.value) {
                            Ok(d) => sheet.write_datetime_with_format(row, col, &d, &f.date)?,
                            Err(_) => sheet.write_string_with_format(
                                row,
                                col,
                                date.value.to_string(),
                                &f.text,
                            )?,
                        };
                    }
                }
                _ => {
                    let value = point_text(p, *field);
                    if !value.is_empty() {
                        sheet.write_string_with_format(row, col, value, f.of(*field))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The date of an approval step's column (`Review`), or of `Filed`.
fn review_date(p: &RiskPoint, field: Field) -> Option<&Located<Date>> {
    match field {
        Field::Review(Approval::Submitted) => p.review.submitted.as_ref(),
        Field::Review(Approval::Dept) => p.review.dept.as_ref(),
        Field::Review(Approval::Office) => p.review.office.as_ref(),
        Field::Review(Approval::Board) => p.review.board.as_ref(),
        _ => p.review.filed.as_ref(),
    }
}

/// A point's text in a text column (empty for the computed grade and the dates, which
/// `point_rows` writes otherwise).
fn point_text(p: &RiskPoint, field: Field) -> String {
    let text =
        |x: &Option<Located<String>>| x.as_ref().map(|v| v.value.clone()).unwrap_or_default();
    match field {
        Field::ComputedGrade | Field::Review(_) | Field::Filed => String::new(),
        Field::Id => p.id.value.clone(),
        Field::Title => p.title.value.clone(),
        Field::Post => text(&p.post),
        Field::Holder => text(&p.holder),
        Field::Category => p.category.value.term().to_string(),
        Field::Likelihood => p.likelihood.value.term().to_string(),
        Field::Impact => p.impact.value.term().to_string(),
        Field::Grade => p
            .declared_grade
            .as_ref()
            .map(|g| g.value.term().to_string())
            .unwrap_or_default(),
        Field::Owner => p.owner.value.clone(),
        Field::Supervisor => p.supervisor.value.clone(),
        Field::SanzhongYida => p
            .sanzhong_yida
            .as_ref()
            .map(|s| s.value.term().to_string())
            .unwrap_or_default(),
        Field::Measure(d) => p
            .measures
            .value
            .of(d)
            .iter()
            .map(|m| m.value.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        Field::Scope => p
            .scope
            .as_ref()
            .map(|s| s.value.term().to_string())
            .unwrap_or_default(),
    }
}

/// The chosen grade against the computed one: red when milder (`under-graded`, an error),
/// orange when graver (`over-graded`, allowed); the computed grade in its grade's colour.
/// The grade's number is its place in 一二三.
fn grade_colours(
    sheet: &mut Worksheet,
    grade_col: u16,
    computed_col: u16,
    last_row: u32,
) -> Result<()> {
    let grade = column_number_to_name(grade_col);
    let computed = column_number_to_name(computed_col);
    let rank = |col: &str| format!(r#"FIND(LEFT(${col}2,1),"一二三")"#);
    let both = format!(
        r#"AND(${grade}2<>"",${computed}2<>"",ISNUMBER({}),ISNUMBER({})"#,
        rank(&grade),
        rank(&computed)
    );
    let under = ConditionalFormatFormula::new()
        .set_rule(format!("={both},{}>{})", rank(&grade), rank(&computed)).as_str())
        .set_format(
            Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0xc0392b)),
        );
    let over = ConditionalFormatFormula::new()
        .set_rule(format!("={both},{}<{})", rank(&grade), rank(&computed)).as_str())
        .set_format(
            Format::new()
                .set_font_color(Color::RGB(0x7e3b00))
                .set_background_color(Color::RGB(0xfad7a0)),
        );
    sheet.add_conditional_format(1, grade_col, last_row, grade_col, &under)?;
    sheet.add_conditional_format(1, grade_col, last_row, grade_col, &over)?;
    for g in Grade::ALL {
        let colour = ConditionalFormatFormula::new()
            .set_rule(format!(r#"=${computed}2="{}""#, g.term()).as_str())
            .set_format(
                Format::new()
                    .set_bold()
                    .set_font_color(Color::White)
                    .set_background_color(Color::RGB(grade_fill(*g))),
            );
        sheet.add_conditional_format(1, computed_col, last_row, computed_col, &colour)?;
    }
    Ok(())
}
