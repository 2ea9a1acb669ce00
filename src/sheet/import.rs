//! `gongshi import FILE.xlsx [--dept SLUG] [--dry-run] [--format human|json]`: a department's
//! returned workbook back into Markdown, one risk point file per row, all or nothing.
//!
//! 1. Read the workbook (src/sheet/read.rs): it must be the department's template — the sheets
//!    of its levels and the instructions sheet naming the department and year, the template's
//!    headers; no merged cells, formulas or error values where values belong.
//! 2. Plan: a row whose id names a point of the department's folder updates that file (its body
//!    and unchanged lines kept, src/sheet/markdown.rs); a row without an id gets the folder's
//!    next free id, as `new risk` gives it (src/authoring/ids.rs), and a new file.
//! 3. Check: the would-be files are written into a copy of the year (`site.yaml` and the year's
//!    folder) and the copy is loaded and checked with every rule, as `check` would load it.
//!    Every diagnostic in a file the workbook makes is reported against its cell; a new one in
//!    another file (an id that now clashes, a diagram's `@ID`) against that file.
//! 4. Write only if no error was found, each file atomically (`output::replace_file`); if a
//!    write fails, the files already written are put back as they were.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::authoring::{RISK_BODY, display_path, ids};
use crate::check::{Verbosity, use_color};
use crate::cli::{Cli, Format, ImportArgs};
use crate::content::fields::{RESERVED_IDS, is_valid_id, reserved_name};
use crate::content::{front_matter, yaml};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::{Defence, Level, RiskPoint, Term};
use crate::rules::review::required_approvals;
use crate::sheet::columns::{Field, Kind, Step, levels_of};
use crate::sheet::markdown::{new_text, updated_text};
use crate::sheet::read::{self, Book, MAX_ROWS, Problem};
use crate::sheet::report::{self, CellPlace, Finding, Place};
use crate::sheet::table::{self, Row, Table};
use crate::sheet::{DEPT_LABEL, INFO_SHEET, YEAR_LABEL};
use crate::site::Site;

/// Findings printed at most (a column filled down with formulas would give one per row).
const MAX_SHOWN: usize = 100;

/// A workbook larger than this is not a department's sheet (the example's is 20 KB).
const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Create,
    Update,
    Unchanged,
}

/// One row's file.
struct Planned {
    /// Where the row is: index into `tables`, index into its rows.
    table: usize,
    row: usize,
    id: String,
    path: PathBuf,
    /// Relative to the site root, as diagnostics name files.
    rel: String,
    text: String,
    old: Option<String>,
    changed: Vec<&'static str>,
}

impl Planned {
    fn change(&self) -> Change {
        match &self.old {
            None => Change::Create,
            Some(old) if *old == self.text => Change::Unchanged,
            Some(_) => Change::Update,
        }
    }
}

/// Everything the import found and would do.
#[derive(Default)]
struct Import {
    findings: Vec<Finding>,
    tables: Vec<Table>,
    plan: Vec<Planned>,
    /// Point files of the folder that no row names: left as they are.
    kept: Vec<String>,
    /// Errors the content had before, in files the workbook does not touch.
    preexisting: usize,
    year: u16,
    dept_name: String,
}

impl Import {
    fn errors(&self) -> usize {
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
    year: Option<(String, CellPlace)>,
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
pub fn run(cli: &Cli, args: &ImportArgs, verbosity: Verbosity) -> Result<bool> {
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
        write_all(&import.plan)?;
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
            let shown: Vec<&Finding> = import
                .findings
                .iter()
                .filter(|f| verbosity != Verbosity::Quiet || f.severity == Severity::Error)
                .collect();
            for f in shown.iter().take(MAX_SHOWN) {
                writeln!(err, "{}", report::render_human(f, workbook, color))?;
            }
            if shown.len() > MAX_SHOWN {
                writeln!(
                    err,
                    "……另有 {} 个问题未列出（--format json 列出全部）",
                    shown.len() - MAX_SHOWN
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
    let meta = std::fs::metadata(&args.file)
        .with_context(|| format!("无法读取 {}", args.file.display()))?;
    if !meta.is_file() {
        bail!("{} 不是文件", args.file.display());
    }
    if meta.len() > MAX_BYTES {
        import.findings.push(workbook_finding(
            format!(
                "文件有 {} MB，不像一个科室的填报表",
                meta.len() / (1024 * 1024)
            ),
            "请确认选对了文件：导入只接受 gongshi template 生成、填好后保存的 .xlsx 文件",
        ));
        return Ok(import);
    }
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
    let mut book = match read::open(bytes) {
        Ok(book) => book,
        Err(problem) => {
            import.findings.push(problem_finding(problem, ""));
            return Ok(import);
        }
    };

    // Which department, which year.
    let has_info = book.sheets.iter().any(|s| s.name == INFO_SHEET);
    let info = if has_info {
        match read_info(&mut book) {
            Ok(info) => info,
            Err(problem) => {
                import.findings.push(problem_finding(problem, INFO_SHEET));
                return Ok(import);
            }
        }
    } else {
        Info::default()
    };
    let slug = match (&args.dept, &info.dept) {
        (Some(asked), Some((named, _))) if !named.is_empty() && named != asked => bail!(
            "{} 是科室“{named}”的填报表（见“{INFO_SHEET}”工作表的{DEPT_LABEL}），与 --dept {asked} 不符；请确认选对了文件，或去掉 --dept",
            args.file.display()
        ),
        (Some(asked), _) => asked.clone(),
        (None, Some((named, _))) if !named.is_empty() => named.clone(),
        (None, Some((_, cell))) => {
            import.findings.push(
                Finding::error(
                    "workbook",
                    Place::Cell(cell.clone()),
                    format!("{DEPT_LABEL}是空的"),
                )
                .with_hint(
                    "请填回模板中的科室代号（科室文件夹名，例如 caiwu），或导入时用 --dept 指定",
                ),
            );
            return Ok(import);
        }
        (None, None) => {
            let what = if has_info {
                format!("“{INFO_SHEET}”工作表中找不到{DEPT_LABEL}")
            } else {
                format!("缺少“{INFO_SHEET}”工作表（其中写明科室代号和年度）")
            };
            import.findings.push(workbook_finding(
                format!("{what}：不知道这是哪个科室的填报表"),
                "请用 gongshi template 生成的模板填写；或导入时用 --dept 指定科室代号",
            ));
            return Ok(import);
        }
    };
    let year = match &info.year {
        Some((text, cell)) => match text.parse::<u16>() {
            Ok(y) if (1900..=9999).contains(&y) => Some(y),
            _ => {
                import.findings.push(
                    Finding::error(
                        "workbook",
                        Place::Cell(cell.clone()),
                        format!("{YEAR_LABEL}“{text}”不是四位数的年份"),
                    )
                    .with_hint("请填回模板中的年度，例如 2022"),
                );
                return Ok(import);
            }
        },
        None => None,
    };
    let site = Site::load(root, year)?;
    import.year = site.year.number;
    let is_unit = slug == "unit";
    if !is_unit && !site.year.dept_folders.contains(&slug) {
        let message = format!(
            "{} 年度没有科室“{slug}”（content/{}/{slug}/ 不存在）",
            site.year.number, site.year.number
        );
        match (&args.dept, &info.dept) {
            (None, Some((_, cell))) => {
                import.findings.push(
                    Finding::error("unknown-reference", Place::Cell(cell.clone()), message)
                        .with_hint("请填回模板中的科室代号；新科室先用 gongshi new dept 新建"),
                );
                return Ok(import);
            }
            _ => bail!("{message}；新科室先用 gongshi new dept {slug} --name 科室名称 新建"),
        }
    }
    import.dept_name = if is_unit {
        "医院（单位）".to_string()
    } else {
        site.year
            .departments
            .iter()
            .find(|d| d.slug == slug)
            .map_or_else(|| slug.clone(), |d| d.name.value.clone())
    };

    // The sheets.
    let levels = levels_of(&slug);
    for sheet in &book.sheets {
        if sheet.name == INFO_SHEET || levels.iter().any(|l| l.term() == sheet.name) {
            continue;
        }
        let hint = if Level::ALL.iter().any(|l| l.term() == sheet.name) {
            format!(
                "{}的填报表只有 {} 工作表：{}层次的风险点不属于这个表，请移到相应科室（或 --dept unit）的模板中",
                import.dept_name,
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
        import.findings.push(
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
            import.findings.push(workbook_finding(
                format!(
                    "缺少工作表“{level}”（{}）",
                    crate::sheet::columns::form_title(*level)
                ),
                "请用 gongshi template 生成的模板填写，不要删除或改名工作表",
            ));
        }
    }
    // The sheets that are there are read even if one is missing or extra, so that every
    // problem of the workbook is said at once.
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
    if import.errors() > 0 {
        return Ok(import);
    }
    duplicate_rows(&mut import);
    if import.errors() > 0 {
        return Ok(import);
    }
    plan(root, &site, &slug, &mut import)?;
    if import.errors() > 0 {
        return Ok(import);
    }
    check_result(root, &site, &mut import)?;
    Ok(import)
}

/// Two rows with one id would write one file: the later row is refused.
fn duplicate_rows(import: &mut Import) {
    let mut first: HashMap<String, (String, u32)> = HashMap::new();
    let mut found = Vec::new();
    for table in &import.tables {
        for row in &table.rows {
            let id = row.values.id.trim();
            if id.is_empty() {
                continue;
            }
            match first.get(&id.to_uppercase()) {
                Some((sheet, number)) => {
                    if let Some(cell) = table.cell(row, Field::Id) {
                        found.push(
                            Finding::error(
                                "duplicate-id",
                                Place::Cell(cell),
                                format!("编号 {id} 重复：工作表“{sheet}”第 {number} 行已使用"),
                            )
                            .with_hint(
                                "每个风险点一个编号；新增的风险点编号可以空着，导入时自动编号",
                            ),
                        );
                    }
                }
                None => {
                    first.insert(id.to_uppercase(), (table.sheet.clone(), row.number));
                }
            }
        }
    }
    import.findings.extend(found);
}

/// Decides each row's file and text.
fn plan(root: &Path, site: &Site, slug: &str, import: &mut Import) -> Result<()> {
    let year_dir = root.join("content").join(site.year.number.to_string());
    let folder = year_dir.join(slug);
    let existing = ids::files_in_folder(&folder)?;
    let mut by_id: HashMap<String, PathBuf> = HashMap::new();
    for (path, id) in &existing {
        by_id
            .entry(id.to_uppercase())
            .or_insert_with(|| path.clone());
    }
    let row_ids: Vec<String> = import
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().map(|r| r.values.id.trim().to_string()))
        .filter(|id| !id.is_empty())
        .collect();
    let mut taken = ids::taken_for(&year_dir, &folder)?;
    taken.extend(row_ids.iter().map(|id| id.to_uppercase()));
    let mut folder_ids: Vec<String> = existing.iter().map(|(_, id)| id.clone()).collect();
    folder_ids.extend(row_ids.iter().cloned());
    let prefix = ids::default_prefix(Some(slug));
    let mut used: HashSet<PathBuf> = HashSet::new();
    let mut findings = Vec::new();
    for (t, table) in import.tables.iter_mut().enumerate() {
        for (r, row) in table.rows.iter_mut().enumerate() {
            if row.values.id.trim().is_empty() {
                let id = ids::next_id(&folder_ids, &taken, &prefix);
                taken.insert(id.to_uppercase());
                folder_ids.push(id.clone());
                row.values.id = id;
            }
            let id = row.values.id.trim().to_string();
            let matched = by_id.get(&id.to_uppercase()).cloned();
            let path = match &matched {
                Some(path) => path.clone(),
                None if is_valid_id(&id) && reserved_name(&id, RESERVED_IDS).is_none() => {
                    folder.join(format!("{}.md", id.to_lowercase()))
                }
                // An id `check` will refuse: the file is only staged, never written.
                None => folder.join(format!("import-{}-{}.md", table.level.term(), row.number)),
            };
            let id_cell = |value: &str| {
                let mut cell = CellPlace {
                    sheet: table.sheet.clone(),
                    row: row.number,
                    col: table.columns.get(&Field::Id).copied().unwrap_or(0),
                    header: Field::Id.header().to_string(),
                    value: value.to_string(),
                };
                if let Some(shown) = row.shown.get(&Field::Id) {
                    cell.value.clone_from(shown);
                }
                Place::Cell(cell)
            };
            if matched.is_none() && (path.exists() || used.contains(&path)) {
                findings.push(
                    Finding::error(
                        "duplicate-id",
                        id_cell(&id),
                        format!(
                            "{} 已经存在，但其中的风险点不是 {id}",
                            display_path(root, &path)
                        ),
                    )
                    .with_hint("请换一个编号，或空着让导入自动编号"),
                );
                continue;
            }
            used.insert(path.clone());
            let (text, old, changed) = match &matched {
                None => (new_text(&row.values, RISK_BODY), None, Vec::new()),
                Some(path) => {
                    let old = std::fs::read(path)
                        .with_context(|| format!("无法读取 {}", path.display()))?;
                    let updated = String::from_utf8(old.clone())
                        .map_err(|_| "不是有效的 UTF-8 编码".to_string())
                        .and_then(|old| updated_text(&old, &row.values).map(|u| (old, u)));
                    match updated {
                        Ok((old, u)) => (u.text, Some(old), u.changed),
                        Err(reason) => {
                            findings.push(
                                Finding::error(
                                    "front-matter",
                                    id_cell(&id),
                                    format!("{} 无法更新：{reason}", display_path(root, path)),
                                )
                                .with_hint("请先改正这个文件（gongshi check 会指出位置），再导入"),
                            );
                            continue;
                        }
                    }
                }
            };
            import.plan.push(Planned {
                table: t,
                row: r,
                id,
                rel: display_path(root, &path),
                path,
                text,
                old,
                changed,
            });
        }
    }
    import.findings.extend(findings);
    let named: HashSet<&PathBuf> = import.plan.iter().map(|p| &p.path).collect();
    import.kept = existing
        .iter()
        .filter(|(path, _)| !named.contains(path))
        .map(|(path, _)| display_path(root, path))
        .collect();
    Ok(())
}

/// The point files of the year folder and `site.yaml`, copied into `dir` (what loading the
/// year reads; pictures and the like are not needed to check it).
fn copy_year(root: &Path, dir: &Path, year: u16) -> Result<()> {
    let copy = |from: &Path, to: &Path| -> Result<()> {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建目录 {}", parent.display()))?;
        }
        std::fs::copy(from, to)
            .with_context(|| format!("无法复制 {} 到 {}", from.display(), to.display()))?;
        Ok(())
    };
    let wanted = |path: &Path| {
        path.is_file()
            && path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".md") || n == "oversight.yaml")
    };
    if root.join("site.yaml").is_file() {
        copy(&root.join("site.yaml"), &dir.join("site.yaml"))?;
    }
    let rel = PathBuf::from("content").join(year.to_string());
    let year_dir = root.join(&rel);
    std::fs::create_dir_all(dir.join(&rel))?;
    for entry in std::fs::read_dir(&year_dir)
        .with_context(|| format!("无法读取目录 {}", year_dir.display()))?
    {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if path.is_dir() {
            std::fs::create_dir_all(dir.join(&rel).join(name))?;
            for sub in std::fs::read_dir(&path)
                .with_context(|| format!("无法读取目录 {}", path.display()))?
            {
                let sub = sub?.path();
                if wanted(&sub)
                    && let Some(sub_name) = sub.file_name()
                {
                    copy(&sub, &dir.join(&rel).join(name).join(sub_name))?;
                }
            }
        } else if wanted(&path) {
            copy(&path, &dir.join(&rel).join(name))?;
        }
    }
    Ok(())
}

/// Loads and checks the would-be year, and turns its diagnostics into findings.
fn check_result(root: &Path, site: &Site, import: &mut Import) -> Result<()> {
    let staging = tempfile::Builder::new()
        .prefix("gongshi-import-")
        .tempdir()
        .context("无法创建临时目录")?;
    copy_year(root, staging.path(), site.year.number)?;
    for p in &import.plan {
        let target = p
            .rel
            .split('/')
            .fold(staging.path().to_path_buf(), |path, part| path.join(part));
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &p.text)
            .with_context(|| format!("无法写入 {}", target.display()))?;
    }
    let staged = Site::load(staging.path(), Some(site.year.number))?;
    let by_file: HashMap<&str, &Planned> =
        import.plan.iter().map(|p| (p.rel.as_str(), p)).collect();
    let before: HashSet<(Rule, &str, usize, usize, &str)> = site
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule,
                d.file.as_str(),
                d.pos.line,
                d.pos.column,
                d.message.as_str(),
            )
        })
        .collect();
    let mut located: Vec<((usize, u32, u32), Finding)> = Vec::new();
    let mut elsewhere = Vec::new();
    for d in &staged.diagnostics {
        if let Some(p) = by_file.get(d.file.as_str()) {
            let table = &import.tables[p.table];
            let row = &table.rows[p.row];
            let point = staged.year.points.iter().find(|x| x.file == d.file);
            let field = field_of(
                d,
                staged.source(&d.file).unwrap_or(""),
                table,
                row,
                point,
                &staged,
            );
            let cell = field.and_then(|f| table.cell(row, f).map(|c| (f, c)));
            let finding = match cell {
                Some((field, cell)) => {
                    let col = cell.col;
                    let (message, hint) = in_sheet_words(d, field);
                    let finding = Finding {
                        rule: d.rule.name(),
                        severity: d.severity(),
                        message,
                        hint,
                        place: Place::Cell(cell),
                    };
                    located.push(((p.table, row.number, col), finding));
                    continue;
                }
                None => Finding {
                    rule: d.rule.name(),
                    severity: d.severity(),
                    message: d.message.clone(),
                    hint: d.hint.clone(),
                    place: Place::File {
                        diag: d.clone(),
                        source: staged.source(&d.file).map(str::to_string),
                        row: Some((table.sheet.clone(), row.number)),
                    },
                },
            };
            located.push(((p.table, row.number, u32::MAX), finding));
        } else if before.contains(&(
            d.rule,
            d.file.as_str(),
            d.pos.line,
            d.pos.column,
            d.message.as_str(),
        )) {
            if d.is_error() {
                import.preexisting += 1;
            }
        } else {
            elsewhere.push(Finding {
                rule: d.rule.name(),
                severity: d.severity(),
                message: d.message.clone(),
                hint: d.hint.clone(),
                place: Place::File {
                    diag: d.clone(),
                    source: staged.source(&d.file).map(str::to_string),
                    row: None,
                },
            });
        }
    }
    located.sort_by_key(|(key, _)| *key);
    import.findings.extend(located.into_iter().map(|(_, f)| f));
    import.findings.extend(elsewhere);
    Ok(())
}

/// The message and hint of a diagnostic in the workbook's words: a key of the front matter
/// (`owner`) named by its column (“直接负责管理落实”).
fn in_sheet_words(d: &Diagnostic, field: Field) -> (String, Option<String>) {
    let key = match field {
        Field::Measure(defence) => defence.term(),
        Field::Review(step) => step.key(),
        other => other.key(),
    };
    let header = field.header();
    let reword = |text: &str| {
        text.replace(&format!("字段 `{key}` "), &format!("“{header}”列"))
            .replace(&format!("`{key}`"), &format!("“{header}”"))
    };
    let hint = if field.kind() == Kind::Date && d.rule == Rule::InvalidValue {
        Some("请填 Excel 日期，或写成 2022-05-20、2022.5.20、2022/5/20、2022年5月20日".to_string())
    } else {
        d.hint.as_deref().map(reword)
    };
    (reword(&d.message), hint)
}

/// The column a diagnostic in a row's file is about, from the key at its line; for a missing
/// approval or line of defence, the first empty column of those required.
fn field_of(
    d: &Diagnostic,
    source: &str,
    table: &Table,
    row: &Row,
    point: Option<&RiskPoint>,
    staged: &Site,
) -> Option<Field> {
    let blank = |f: Field| row.values.get(f).is_empty();
    match d.rule {
        Rule::NotApproved => {
            let level = point.map_or(table.level, |p| p.level.value);
            let step = required_approvals(level)
                .iter()
                .filter_map(|k| Step::of_key(k))
                .find(|s| blank(Field::Review(*s)));
            return Some(Field::Review(step.unwrap_or(Step::Submitted)));
        }
        Rule::MeasuresMissing => {
            let grade = point.map(RiskPoint::grade);
            let required = grade.map_or(&[][..], |g| staged.config.rules.measures_required(g));
            let defence = required
                .iter()
                .copied()
                .find(|d| blank(Field::Measure(*d)))
                .unwrap_or(Defence::Prevention);
            return Some(Field::Measure(defence));
        }
        _ => {}
    }
    let (top, sub) = key_at(source, d.pos.line)?;
    Some(match (top.as_str(), sub.as_deref()) {
        ("measures", Some(name)) => Field::Measure(Defence::parse(name)?),
        ("measures", None) => Field::Measure(Defence::Prevention),
        ("review", Some(name)) => Field::Review(Step::of_key(name)?),
        ("review", None) => Field::Review(Step::Submitted),
        ("id", _) => Field::Id,
        ("title", _) => Field::Title,
        ("post", _) => Field::Post,
        ("holder", _) => Field::Holder,
        ("category", _) => Field::Category,
        ("likelihood", _) => Field::Likelihood,
        ("impact", _) => Field::Impact,
        ("grade", _) => Field::Grade,
        ("owner", _) => Field::Owner,
        ("supervisor", _) => Field::Supervisor,
        ("sanzhong_yida", _) => Field::SanzhongYida,
        ("scope", _) => Field::Scope,
        _ => return None,
    })
}

/// The front matter key (and, under `measures` and `review`, the key inside it) whose lines
/// hold file line `line`.
fn key_at(source: &str, line: usize) -> Option<(String, Option<String>)> {
    let split = front_matter::split(source).ok()?;
    if line >= split.body_line {
        return None;
    }
    let root = yaml::parse(split.yaml, split.yaml_line_offset).ok()?;
    let mut starts: Vec<(usize, String, Option<String>)> = Vec::new();
    for (key, value) in root.as_map()? {
        starts.push((key.pos.line, key.name.clone(), None));
        if matches!(key.name.as_str(), "measures" | "review")
            && let Some(entries) = value.as_map()
        {
            for (sub, _) in entries {
                starts.push((sub.pos.line, key.name.clone(), Some(sub.name.clone())));
            }
        }
    }
    starts.sort_by_key(|(l, ..)| *l);
    starts
        .into_iter()
        .rev()
        .find(|(l, ..)| *l <= line)
        .map(|(_, top, sub)| (top, sub))
}

/// Writes every new or changed file; if one cannot be written, puts back those already written.
fn write_all(plan: &[Planned]) -> Result<()> {
    let mut written: Vec<&Planned> = Vec::new();
    for p in plan.iter().filter(|p| p.change() != Change::Unchanged) {
        let result = p
            .path
            .parent()
            .map_or(Ok(()), |dir| {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("无法创建目录 {}", dir.display()))
            })
            .and_then(|()| crate::output::replace_file(&p.path, p.text.as_bytes()));
        if let Err(err) = result {
            for done in written.iter().rev() {
                let _ = match &done.old {
                    Some(old) => crate::output::replace_file(&done.path, old.as_bytes()),
                    None => std::fs::remove_file(&done.path).map_err(Into::into),
                };
            }
            return Err(err.context("导入中止：已写入的文件已恢复原样"));
        }
        written.push(p);
    }
    Ok(())
}
