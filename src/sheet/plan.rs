//! Which file each row of a workbook becomes, and writing them.
//!
//! A row whose 编号 names a point of the department's folder (without case) updates that file
//! (src/sheet/markdown.rs: body and unchanged lines kept); a row without one gets the folder's
//! next free id as `new risk` gives it (src/authoring/ids.rs) and a new file named after it.
//! Two rows with one id, or an id whose file name another point holds, are refused at the id's
//! cell. Writing is all or nothing: each file atomically (`output::replace_file`), and if one
//! write fails the files already written are put back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::authoring::{RISK_BODY, display_path, ids};
use crate::content::fields::{RESERVED_IDS, is_valid_id, reserved_name};
use crate::model::{Level, Term};
use crate::sheet::columns::Field;
use crate::sheet::import::Import;
use crate::sheet::markdown::{Updated, new_text, updated_text};
use crate::sheet::report::{CellPlace, Finding, Place};
use crate::sheet::table::Row;
use crate::site::Site;

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Create,
    Update,
    Unchanged,
}

/// One row's file.
pub(super) struct Planned {
    /// Where the row is: index into `tables`, index into its rows.
    pub(super) table: usize,
    pub(super) row: usize,
    pub(super) id: String,
    pub(super) path: PathBuf,
    /// Relative to the site root, as diagnostics name files.
    pub(super) rel: String,
    pub(super) text: String,
    pub(super) old: Option<String>,
    pub(super) changed: Vec<&'static str>,
}

impl Planned {
    pub(super) fn change(&self) -> Change {
        match &self.old {
            None => Change::Create,
            Some(old) if *old == self.text => Change::Unchanged,
            Some(_) => Change::Update,
        }
    }
}

/// Two rows with one id would write one file: the later row is refused.
pub(super) fn duplicate_rows(import: &mut Import) {
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
pub(super) fn plan(root: &Path, site: &Site, slug: &str, import: &mut Import) -> Result<()> {
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
        let (sheet, level) = (table.sheet.as_str(), table.level);
        let id_col = table.columns.get(&Field::Id).copied().unwrap_or(0);
        for (r, row) in table.rows.iter_mut().enumerate() {
            if row.values.id.trim().is_empty() {
                let id = ids::next_id(&folder_ids, &taken, &prefix);
                taken.insert(id.to_uppercase());
                folder_ids.push(id.clone());
                row.values.id = id;
            }
            let id = row.values.id.trim().to_string();
            let matched = by_id.get(&id.to_uppercase()).cloned();
            let path = row_file(&folder, matched.as_ref(), &id, level, row);
            if matched.is_none() && (path.exists() || used.contains(&path)) {
                findings.push(
                    Finding::error(
                        "duplicate-id",
                        id_place(sheet, id_col, row, &id),
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
                Some(path) => match updated_file(path, row)? {
                    Ok((old, u)) => (u.text, Some(old), u.changed),
                    Err(reason) => {
                        findings.push(
                            Finding::error(
                                "front-matter",
                                id_place(sheet, id_col, row, &id),
                                format!("{} 无法更新：{reason}", display_path(root, path)),
                            )
                            .with_hint("请先改正这个文件（gongshi check 会指出位置），再导入"),
                        );
                        continue;
                    }
                },
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

/// The file a row becomes: the point file its id matched, or a new one named after the id.
fn row_file(
    folder: &Path,
    matched: Option<&PathBuf>,
    id: &str,
    level: Level,
    row: &Row,
) -> PathBuf {
    match matched {
        Some(path) => path.clone(),
        None if is_valid_id(id) && reserved_name(id, RESERVED_IDS).is_none() => {
            folder.join(format!("{}.md", id.to_lowercase()))
        }
        // An id `check` will refuse: the file is only staged, never written.
        None => folder.join(format!("import-{}-{}.md", level.term(), row.number)),
    }
}

/// The row's 编号 cell (in column `id_col` of `sheet`), showing `value` (or what the sheet
/// showed there).
fn id_place(sheet: &str, id_col: u32, row: &Row, value: &str) -> Place {
    let mut cell = CellPlace {
        sheet: sheet.to_string(),
        row: row.number,
        col: id_col,
        header: Field::Id.header().to_string(),
        value: value.to_string(),
    };
    if let Some(shown) = row.shown.get(&Field::Id) {
        cell.value.clone_from(shown);
    }
    Place::Cell(cell)
}

/// The point file at `path` and its text updated with the row; `Err` with the reason when
/// the file cannot be updated.
fn updated_file(path: &Path, row: &Row) -> Result<Result<(String, Updated), String>> {
    let old = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    Ok(String::from_utf8(old)
        .map_err(|_| "不是有效的 UTF-8 编码".to_string())
        .and_then(|old| updated_text(&old, &row.values).map(|u| (old, u))))
}

/// Writes every new or changed file; if one cannot be written, puts back those already written.
pub(super) fn write_all(plan: &[Planned]) -> Result<()> {
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
