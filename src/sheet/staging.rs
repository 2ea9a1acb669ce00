//! Every rule on the would-be year, and each diagnostic back to the cell it is about.
//!
//! The files the workbook makes are written into a temporary copy of the year (`site.yaml` and
//! `content/YEAR/`), which is loaded and checked as `check` would (`Site::load`): nothing is
//! checked differently because it came from a spreadsheet. A diagnostic in a row's file is
//! turned into a finding at the row's cell — the front matter key at the diagnostic's line names
//! the column, and for a missing approval or line of defence the first empty column of those
//! required — with the key named as the column (`owner` → “直接负责管理落实”). A diagnostic that
//! the import adds to another file is reported in that file; one the content already had there
//! is not the workbook's and is only counted.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::content::{front_matter, yaml};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Approval;
use crate::model::{Defence, RiskPoint, Term};
use crate::sheet::columns::{Field, Kind};
use crate::sheet::import::Import;
use crate::sheet::plan::Planned;
use crate::sheet::report::{Finding, Place};
use crate::sheet::table::{Row, Table};
use crate::site::Site;

/// The year as loading reads it, in `dir`: `site.yaml` and the year's own files copied, the
/// department folder `own` (the one the workbook writes into) copied file by file, and every
/// other department folder linked rather than copied (a 10,000-point year is 10,000 files; its
/// copy took seconds). Where links cannot be made (Windows without the privilege), they are
/// copied too.
fn stage_year(root: &Path, dir: &Path, year: u16, own: &str) -> Result<()> {
    let copy = |from: &Path, to: &Path| -> Result<()> {
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
    let copy_folder = |from: &Path, to: &Path| -> Result<()> {
        std::fs::create_dir_all(to).with_context(|| format!("无法创建目录 {}", to.display()))?;
        for sub in
            std::fs::read_dir(from).with_context(|| format!("无法读取目录 {}", from.display()))?
        {
            let sub = sub?.path();
            if wanted(&sub)
                && let Some(name) = sub.file_name()
            {
                copy(&sub, &to.join(name))?;
            }
        }
        Ok(())
    };
    if root.join("site.yaml").is_file() {
        copy(&root.join("site.yaml"), &dir.join("site.yaml"))?;
    }
    let rel = PathBuf::from("content").join(year.to_string());
    let year_dir = std::path::absolute(root.join(&rel))
        .with_context(|| format!("无法确定 {} 的绝对路径", rel.display()))?;
    let staged = dir.join(&rel);
    std::fs::create_dir_all(&staged)
        .with_context(|| format!("无法创建目录 {}", staged.display()))?;
    for entry in std::fs::read_dir(&year_dir)
        .with_context(|| format!("无法读取目录 {}", year_dir.display()))?
    {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        let to = staged.join(name);
        if path.is_dir() {
            if name != own && link_folder(&path, &to) {
                continue;
            }
            copy_folder(&path, &to)?;
        } else if wanted(&path) {
            copy(&path, &to)?;
        }
    }
    // The department's folder, even when it has no file yet (`unit/` of a new year).
    std::fs::create_dir_all(staged.join(own))
        .with_context(|| format!("无法创建目录 {}", staged.join(own).display()))?;
    Ok(())
}

/// Links the folder `to` to `from`; false when the system will not.
fn link_folder(from: &Path, to: &Path) -> bool {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(from, to).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = (from, to);
        false
    }
}

/// Loads and checks the would-be year, and turns its diagnostics into findings.
pub(super) fn check_result(
    root: &Path,
    site: &Site,
    slug: &str,
    import: &mut Import,
) -> Result<()> {
    let staging = tempfile::Builder::new()
        .prefix("gongshi-import-")
        .tempdir()
        .context("无法创建临时目录")?;
    stage_year(root, staging.path(), site.year.number, slug)?;
    write_planned(staging.path(), site.year.number, slug, &import.plan)?;
    crate::timings::phase("年度副本已写入");
    let staged = Site::load(staging.path(), Some(site.year.number))?;
    let by_file: HashMap<&str, &Planned> =
        import.plan.iter().map(|p| (p.rel.as_str(), p)).collect();
    let before: HashSet<Identity> = site.diagnostics.iter().map(identity).collect();
    let mut located: Vec<((usize, u32, u32), Finding)> = Vec::new();
    let mut elsewhere = Vec::new();
    for d in &staged.diagnostics {
        if let Some(p) = by_file.get(d.file.as_str()) {
            located.push(row_finding(d, &staged, &import.tables, p));
        } else if before.contains(&identity(d)) {
            if d.is_error() {
                import.preexisting += 1;
            }
        } else {
            elsewhere.push(file_finding(d, &staged, None));
        }
    }
    crate::timings::phase("问题已对应到单元格");
    located.sort_by_key(|(key, _)| *key);
    import.findings.extend(located.into_iter().map(|(_, f)| f));
    import.findings.extend(elsewhere);
    Ok(())
}

/// Writes each planned file into the staged copy of the department's folder.
fn write_planned(staging: &Path, year: u16, slug: &str, plan: &[Planned]) -> Result<()> {
    let own = staging.join("content").join(year.to_string()).join(slug);
    for p in plan {
        let target = p
            .rel
            .split('/')
            .fold(staging.to_path_buf(), |path, part| path.join(part));
        // Only ever into the copied folder: the others are links to the real content.
        if target.parent() != Some(own.as_path()) {
            anyhow::bail!("内部错误：{} 不在科室文件夹 {slug} 中", p.rel);
        }
        std::fs::write(&target, &p.text)
            .with_context(|| format!("无法写入 {}", target.display()))?;
    }
    Ok(())
}

/// What makes a diagnostic the same before and after the import: rule, file, place, message.
type Identity<'d> = (Rule, &'d str, usize, usize, &'d str);

fn identity(d: &Diagnostic) -> Identity<'_> {
    (
        d.rule,
        d.file.as_str(),
        d.pos.line,
        d.pos.column,
        d.message.as_str(),
    )
}

/// A diagnostic of a planned file as a finding of its row: at the cell of the field it is
/// about, in the workbook's words, or (no such cell) at the end of the row with the file's
/// text. With the key it is sorted by: table, row, column.
fn row_finding(
    d: &Diagnostic,
    staged: &Site,
    tables: &[Table],
    p: &Planned,
) -> ((usize, u32, u32), Finding) {
    let table = &tables[p.table];
    let row = &table.rows[p.row];
    let point = staged.year.points.iter().find(|x| x.file == d.file);
    let field = field_of(
        d,
        staged.source(&d.file).unwrap_or(""),
        table,
        row,
        point,
        staged,
    );
    match field.and_then(|f| table.cell(row, f).map(|c| (f, c))) {
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
            ((p.table, row.number, col), finding)
        }
        None => (
            (p.table, row.number, u32::MAX),
            file_finding(d, staged, Some((table.sheet.clone(), row.number))),
        ),
    }
}

/// A diagnostic as a finding in its file (with the source), naming the sheet and row it
/// comes from, if any.
fn file_finding(d: &Diagnostic, staged: &Site, row: Option<(String, u32)>) -> Finding {
    Finding {
        rule: d.rule.name(),
        severity: d.severity(),
        message: d.message.clone(),
        hint: d.hint.clone(),
        place: Place::File {
            diag: d.clone(),
            source: staged.source(&d.file).map(str::to_string),
            row,
        },
    }
}

/// The message and hint of a diagnostic in the workbook's words: a key of the front matter
/// (`owner`) named by its column (“直接负责管理落实”).
fn in_sheet_words(d: &Diagnostic, field: Field) -> (String, Option<String>) {
    let key = match field {
        Field::Measure(defence) => defence.term(),
        Field::Review(step) => step.key(),
        Field::Filed => "filed",
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
            let step = level
                .required_approvals()
                .iter()
                .copied()
                .find(|s| blank(Field::Review(*s)));
            return Some(Field::Review(step.unwrap_or(Approval::Submitted)));
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
        ("review", Some("filed")) => Field::Filed,
        ("review", Some(name)) => Field::Review(Approval::of_key(name)?),
        ("review", None) => Field::Review(Approval::Submitted),
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
