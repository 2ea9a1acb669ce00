//! `gongshi import FILE.xlsx [--dept SLUG] [--dry-run] [--format human|json]`: a department's
//! returned workbook back into Markdown, one risk point file per row, all or nothing.
//!
//! 1. Read the workbook (here, with src/sheet/read.rs and src/sheet/table.rs): it must be the
//!    department's template — the sheets of its levels and the instructions sheet naming the
//!    department and year, the template's headers; no merged cells, formulas or error values
//!    where values belong. Every such problem is found before any rule runs.
//! 2. Plan each row's file (src/sheet/plan.rs).
//! 3. Check the would-be year with every rule and bring each diagnostic back to its cell
//!    (src/sheet/staging.rs).
//! 4. Print the findings (src/sheet/report.rs) and, only when there is no error, the plan; write
//!    unless `--dry-run` (src/sheet/plan.rs).

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::authoring::display_path;
use crate::check::{Verbosity, use_color};
use crate::cli::{Cli, Format, ImportArgs};
use crate::model::{Level, Term};
use crate::sheet::columns::levels_of;
use crate::sheet::plan::{self, Change, Planned};
use crate::sheet::read::{self, Book, MAX_ROWS, Problem};
use crate::sheet::report::{self, CellPlace, Finding, Place};
use crate::sheet::staging;
use crate::sheet::table::{self, Table};
use crate::sheet::{DEPT_LABEL, INFO_SHEET, YEAR_LABEL};
use crate::site::Site;

/// Findings printed at most (a column filled down with formulas would give one per row).
const MAX_SHOWN: usize = 100;

/// A workbook larger than this is not a department's sheet (the example's is 20 KB).
const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Everything the import found and would do.
#[derive(Default)]
pub(super) struct Import {
    pub(super) findings: Vec<Finding>,
    pub(super) tables: Vec<Table>,
    pub(super) plan: Vec<Planned>,
    /// Point files of the folder that no row names: left as they are.
    pub(super) kept: Vec<String>,
    /// Errors the content had before, in files the workbook does not touch.
    pub(super) preexisting: usize,
    pub(super) year: u16,
    pub(super) dept_name: String,
}

impl Import {
    pub(super) fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.is_error()).count()
    }

    fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

fn workbook_finding(message: impl Into<String>, hint: impl Into<String>) -> Finding {
    Finding::error("workbook", Place::Workbook, message).with_hint(hint)
}

/// The department and year the instructions sheet names, with their cells.
#[derive(Default)]
struct Info {
    dept: Option<(String, CellPlace)>,
    pub(super) year: Option<(String, CellPlace)>,
}

fn read_info(book: &mut Book) -> Result<Info, Problem> {
    let grid = book.grid(INFO_SHEET, 0)?;
    let mut info = Info::default();
    let text = |cell: &read::Cell| match &cell.value {
        calamine::Data::String(s) => s.trim().to_string(),
        calamine::Data::Int(i) => i.to_string(),
        calamine::Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        _ => String::new(),
    };
    for label in grid.cells.iter().filter(|c| c.col == 0) {
        let slot = match text(label).as_str() {
            DEPT_LABEL => &mut info.dept,
            YEAR_LABEL => &mut info.year,
            _ => continue,
        };
        let value = grid
            .cells
            .iter()
            .find(|c| c.row == label.row && c.col == 1)
            .map(text)
            .unwrap_or_default();
        *slot = Some((
            value.clone(),
            CellPlace {
                sheet: INFO_SHEET.to_string(),
                row: label.row + 1,
                col: 1,
                header: text(label),
                value,
            },
        ));
    }
    Ok(info)
}

fn problem_finding(problem: Problem, sheet: &str) -> Finding {
    match problem {
        Problem::File(message, hint) => workbook_finding(message, hint),
        Problem::TooManyRows { row } => Finding::error(
            "too-many-rows",
            Place::Row {
                sheet: sheet.to_string(),
                row,
            },
            format!(
                "工作表“{sheet}”的数据超过 {MAX_ROWS} 行（第 {row} 行起），不像一个科室的风险点"
            ),
        )
        .with_hint("可能是整列向下填充或粘贴了别的表格：请删除多余的行，每个风险点一行"),
    }
}

/// Runs `import`; returns whether errors were found.
pub(crate) fn run(cli: &Cli, args: &ImportArgs, verbosity: Verbosity) -> Result<bool> {
    let root = &cli.root;
    let workbook = args.file.display().to_string();
    let import = prepare(root, args)?;
    print_findings(&import, &workbook, args.format, verbosity)?;
    let errors = import.errors();
    let mut err = std::io::stderr().lock();
    if errors > 0 {
        let mut summary = format!(
            "{workbook}：{errors} 个错误，{} 个警告；未写入任何文件。",
            import.warnings()
        );
        if !import.plan.is_empty() || !import.tables.is_empty() {
            summary.push_str("请按上面指出的单元格改正后重新导入，或把这些意见交给科室改正。");
        }
        writeln!(err, "{summary}")?;
        return Ok(true);
    }
    print_plan(root, &import, args, verbosity)?;
    if !args.dry_run {
        plan::write_all(&import.plan)?;
    }
    if verbosity != Verbosity::Quiet {
        let count = |c: Change| import.plan.iter().filter(|p| p.change() == c).count();
        let mut summary = format!(
            "{}{} {} 年度：{}新建 {} 个、更新 {} 个、不变 {} 个风险点文件",
            if args.dry_run {
                "试运行（未写入任何文件），"
            } else {
                "已导入"
            },
            import.dept_name,
            import.year,
            if args.dry_run { "将" } else { "" },
            count(Change::Create),
            count(Change::Update),
            count(Change::Unchanged),
        );
        if !import.kept.is_empty() {
            summary.push_str(&format!(
                "；表中没有的 {} 个风险点文件未改动（导入不删除文件）",
                import.kept.len()
            ));
        }
        if import.warnings() > 0 {
            summary.push_str(&format!("；{} 个警告", import.warnings()));
        }
        writeln!(err, "{summary}")?;
        if import.preexisting > 0 {
            writeln!(
                err,
                "另有 {} 个错误在本表以外的文件中，导入前就已存在，与本次导入无关；请运行 gongshi check 查看",
                import.preexisting
            )?;
        }
    }
    Ok(false)
}

fn print_findings(
    import: &Import,
    workbook: &str,
    format: Format,
    verbosity: Verbosity,
) -> Result<()> {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", report::to_json(&import.findings, workbook))?;
        }
        Format::Human => {
            let color = use_color();
            let mut err = std::io::stderr().lock();
            // As `check` prints them: many warnings of a rule folded, errors last.
            let shown = crate::terminal::arrange(
                &import.findings,
                |f| crate::terminal::Described {
                    rule: f.rule,
                    severity: f.severity,
                    place: report::place_name(f, workbook),
                },
                verbosity,
            );
            let total = shown.len();
            for block in shown.into_iter().take(MAX_SHOWN) {
                match block {
                    crate::terminal::Shown::Full(f) => {
                        writeln!(err, "{}", report::render_human(f, workbook, color))?;
                    }
                    crate::terminal::Shown::Folded(fold) => {
                        writeln!(err, "{}", fold.render(color))?;
                    }
                }
            }
            if total > MAX_SHOWN {
                writeln!(
                    err,
                    "……另有 {} 个问题未列出（--format json 列出全部）",
                    total - MAX_SHOWN
                )?;
            }
        }
    }
    Ok(())
}

/// The key's name in the workbook, for "更新 … （标题、风险等级）".
fn column_label(key: &str) -> &'static str {
    match key {
        "id" => "编号",
        "title" => "标题",
        "level" => "层次",
        "post" => "岗位",
        "holder" => "在岗人员",
        "category" => "风险类别",
        "likelihood" => "发生机率",
        "impact" => "危害程度",
        "grade" => "风险等级",
        "owner" => "直接负责管理落实",
        "supervisor" => "负责监督",
        "sanzhong_yida" => "三重一大",
        "measures" => "防控措施",
        "scope" => "公示范围",
        "review" => "审批日期",
        _ => "其他",
    }
}

/// One line per row: what happens to its file; then the files no row names. On stdout (the
/// result, like `new` and `fmt` print paths), on stderr with `--format json`.
fn print_plan(root: &Path, import: &Import, args: &ImportArgs, verbosity: Verbosity) -> Result<()> {
    if verbosity == Verbosity::Quiet && !args.dry_run {
        return Ok(());
    }
    let mut lines = Vec::new();
    for p in &import.plan {
        let table = &import.tables[p.table];
        let row = &table.rows[p.row];
        let place = format!("{}第 {} 行 {}", table.sheet, row.number, p.id);
        let path = display_path(root, &p.path);
        let (verb, detail) = match p.change() {
            Change::Create => (if args.dry_run { "将新建" } else { "新建" }, String::new()),
            Change::Update => {
                let labels: Vec<&str> = p.changed.iter().map(|k| column_label(k)).collect();
                let detail = if labels.is_empty() {
                    "（格式）".to_string()
                } else {
                    format!("（{}）", labels.join("、"))
                };
                (if args.dry_run { "将更新" } else { "更新" }, detail)
            }
            Change::Unchanged => ("不变", String::new()),
        };
        lines.push(format!("{verb} {path} ← {place}{detail}"));
    }
    for rel in &import.kept {
        lines.push(format!("保留 {rel}（表中没有，未改动）"));
    }
    let text = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    match args.format {
        Format::Human => crate::output::write_stdout(text.as_bytes()),
        Format::Json => {
            std::io::stderr().lock().write_all(text.as_bytes())?;
            Ok(())
        }
    }
}

/// Reads, plans and checks. Errors are I/O failures and a wrong command line (exit 2);
/// everything wrong with the workbook or the result is a finding.
fn prepare(root: &Path, args: &ImportArgs) -> Result<Import> {
    let mut import = Import::default();
    let findings = &mut import.findings;
    let Some(mut book) = open_workbook(args, findings)? else {
        return Ok(import);
    };
    // Which department, which year.
    let Some(info) = workbook_info(&mut book, findings) else {
        return Ok(import);
    };
    let Some(slug) = slug_of(args, &book, &info, findings)? else {
        return Ok(import);
    };
    let year = match &info.year {
        Some((text, cell)) => match existing_year(root, text, cell, findings)? {
            Some(year) => Some(year),
            None => return Ok(import),
        },
        None => None,
    };
    let site = Site::load(root, year)?;
    import.year = site.year.number;
    let Some(dept_name) = dept_name_of(&site, &slug, args, &info, &mut import.findings)? else {
        return Ok(import);
    };
    import.dept_name = dept_name;

    // The sheets.
    let levels = levels_of(&slug);
    sheet_set_findings(&book, levels, &import.dept_name, &mut import.findings);
    read_tables(&mut book, levels, &mut import);
    if import.errors() > 0 {
        return Ok(import);
    }
    plan::duplicate_rows(&mut import);
    if import.errors() > 0 {
        return Ok(import);
    }
    crate::timings::phase("工作簿已读取");
    plan::plan(root, &site, &slug, &mut import)?;
    crate::timings::phase("文件已规划");
    if import.errors() > 0 {
        return Ok(import);
    }
    staging::check_result(root, &site, &slug, &mut import)?;
    Ok(import)
}

/// The workbook, read whole; `None` when it is too big or not a workbook (a finding says why).
fn open_workbook(args: &ImportArgs, findings: &mut Vec<Finding>) -> Result<Option<Book>> {
    let meta = std::fs::metadata(&args.file)
        .with_context(|| format!("无法读取 {}", args.file.display()))?;
    if !meta.is_file() {
        bail!("{} 不是文件", args.file.display());
    }
    if meta.len() > MAX_BYTES {
        findings.push(workbook_finding(
            format!(
                "文件有 {} MB，不像一个科室的填报表",
                meta.len() / (1024 * 1024)
            ),
            "请确认选对了文件：导入只接受 gongshi template 生成、填好后保存的 .xlsx 文件",
        ));
        return Ok(None);
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
    match read::open(bytes) {
        Ok(book) => Ok(Some(book)),
        Err(problem) => {
            findings.push(problem_finding(problem, ""));
            Ok(None)
        }
    }
}

/// The department and year the info sheet names (nothing when there is no info sheet);
/// `None` when the sheet cannot be read (a finding says why).
fn workbook_info(book: &mut Book, findings: &mut Vec<Finding>) -> Option<Info> {
    if !book.sheets.iter().any(|s| s.name == INFO_SHEET) {
        return Some(Info::default());
    }
    match read_info(book) {
        Ok(info) => Some(info),
        Err(problem) => {
            findings.push(problem_finding(problem, INFO_SHEET));
            None
        }
    }
}

/// The department's folder name: `--dept`, or the one the info sheet names. An error when the
/// two disagree; `None` when neither names one (a finding says why).
fn slug_of(
    args: &ImportArgs,
    book: &Book,
    info: &Info,
    findings: &mut Vec<Finding>,
) -> Result<Option<String>> {
    match (&args.dept, &info.dept) {
        (Some(asked), Some((named, _))) if !named.is_empty() && named != asked => bail!(
            "{} 是科室“{named}”的填报表（见“{INFO_SHEET}”工作表的{DEPT_LABEL}），与 --dept {asked} 不符；请确认选对了文件，或去掉 --dept",
            args.file.display()
        ),
        (Some(asked), _) => Ok(Some(asked.clone())),
        (None, Some((named, _))) if !named.is_empty() => Ok(Some(named.clone())),
        (None, Some((_, cell))) => {
            findings.push(
                Finding::error(
                    "workbook",
                    Place::Cell(cell.clone()),
                    format!("{DEPT_LABEL}是空的"),
                )
                .with_hint(
                    "请填回模板中的科室代号（科室文件夹名，例如 caiwu），或导入时用 --dept 指定",
                ),
            );
            Ok(None)
        }
        (None, None) => {
            let what = if book.sheets.iter().any(|s| s.name == INFO_SHEET) {
                format!("“{INFO_SHEET}”工作表中找不到{DEPT_LABEL}")
            } else {
                format!("缺少“{INFO_SHEET}”工作表（其中写明科室代号和年度）")
            };
            findings.push(workbook_finding(
                format!("{what}：不知道这是哪个科室的填报表"),
                "请用 gongshi template 生成的模板填写；或导入时用 --dept 指定科室代号",
            ));
            Ok(None)
        }
    }
}

/// The year the info sheet names, when it is a year the content has; `None` when it is not
/// (a finding says why).
fn existing_year(
    root: &Path,
    text: &str,
    cell: &CellPlace,
    findings: &mut Vec<Finding>,
) -> Result<Option<u16>> {
    let y = match text.parse::<u16>() {
        Ok(y) if (1900..=9999).contains(&y) => y,
        _ => {
            findings.push(
                Finding::error(
                    "workbook",
                    Place::Cell(cell.clone()),
                    format!("{YEAR_LABEL}“{text}”不是四位数的年份"),
                )
                .with_hint("请填回模板中的年度，例如 2022"),
            );
            return Ok(None);
        }
    };
    if !crate::content::year_folders(root)?.contains(&y) {
        findings.push(
            Finding::error(
                "workbook",
                Place::Cell(cell.clone()),
                format!("没有 {y} 年度：content/{y}/ 不存在"),
            )
            .with_hint("这份填报表是为该年度生成的：请确认选对了文件，或先用 gongshi carry / gongshi new year 建立该年度"),
        );
        return Ok(None);
    }
    Ok(Some(y))
}

/// The department's name in the year; an error, or (when the info sheet named it) a finding
/// and `None`, when the year has no such department.
fn dept_name_of(
    site: &Site,
    slug: &str,
    args: &ImportArgs,
    info: &Info,
    findings: &mut Vec<Finding>,
) -> Result<Option<String>> {
    if slug == "unit" {
        return Ok(Some("医院（单位）".to_string()));
    }
    if !site.year.dept_folders.iter().any(|d| d == slug) {
        let message = format!(
            "{} 年度没有科室“{slug}”（content/{}/{slug}/ 不存在）",
            site.year.number, site.year.number
        );
        return match (&args.dept, &info.dept) {
            (None, Some((_, cell))) => {
                findings.push(
                    Finding::error("unknown-reference", Place::Cell(cell.clone()), message)
                        .with_hint("请填回模板中的科室代号；新科室先用 gongshi new dept 新建"),
                );
                Ok(None)
            }
            _ => bail!("{message}；新科室先用 gongshi new dept {slug} --name 科室名称 新建"),
        };
    }
    Ok(Some(
        site.year
            .departments
            .iter()
            .find(|d| d.slug == slug)
            .map_or_else(|| slug.to_string(), |d| d.name.value.clone()),
    ))
}

/// A finding for each sheet the department's workbook should not have, and each it lacks.
fn sheet_set_findings(book: &Book, levels: &[Level], dept_name: &str, findings: &mut Vec<Finding>) {
    for sheet in &book.sheets {
        if sheet.name == INFO_SHEET || levels.iter().any(|l| l.term() == sheet.name) {
            continue;
        }
        let hint = if Level::ALL.iter().any(|l| l.term() == sheet.name) {
            format!(
                "{}的填报表只有 {} 工作表：{}层次的风险点不属于这个表，请移到相应科室（或 --dept unit）的模板中",
                dept_name,
                levels
                    .iter()
                    .map(|l| l.term())
                    .collect::<Vec<_>>()
                    .join("、"),
                sheet.name
            )
        } else {
            "填报表只能有模板中的工作表：请把内容移到相应的工作表，再删除这个工作表（隐藏的也要删除）"
                .to_string()
        };
        findings.push(
            Finding::error(
                "workbook",
                Place::Sheet(sheet.name.clone()),
                format!(
                    "多出{}工作表“{}”",
                    if sheet.hidden { "隐藏的" } else { "" },
                    sheet.name
                ),
            )
            .with_hint(hint),
        );
    }
    for level in levels {
        if !book.sheets.iter().any(|s| s.name == level.term()) {
            findings.push(workbook_finding(
                format!(
                    "缺少工作表“{level}”（{}）",
                    crate::sheet::columns::form_title(*level)
                ),
                "请用 gongshi template 生成的模板填写，不要删除或改名工作表",
            ));
        }
    }
}

/// The tables of the level sheets that are there, read even if one is missing or extra, so
/// that every problem of the workbook is said at once.
fn read_tables(book: &mut Book, levels: &[Level], import: &mut Import) {
    for level in levels {
        let name = level.term();
        if !book.sheets.iter().any(|s| s.name == name) {
            continue;
        }
        match book.grid(name, 1) {
            Ok(grid) => {
                if let Some(t) = table::read(name, *level, &grid, &mut import.findings) {
                    import.tables.push(t);
                }
            }
            Err(problem) => import.findings.push(problem_finding(problem, name)),
        }
    }
}
