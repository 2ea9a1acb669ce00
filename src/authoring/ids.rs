//! The id of a new risk point: the next free number of the prefix its folder already uses
//! (`CWK-07` → `CWK-08`), unique in the whole year (SPEC section 5, `duplicate-id`).
//!
//! Ids are read from every file's front matter, even from files that do not check yet; a file
//! whose front matter does not parse counts by its file name, so a broken file's id is never
//! handed out again.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::content::{front_matter, yaml};

/// The id of one file: its front matter `id`, else its file name upper-cased.
fn id_of_file(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().to_uppercase();
    // Read as the loader reads (src/site_files.rs): a FIFO there must not hang `new`.
    let text = match crate::site_files::read_limited(path, crate::content::MAX_FILE_BYTES) {
        Ok(crate::site_files::Limited::Whole(bytes)) => String::from_utf8(bytes).ok(),
        _ => None,
    };
    let from_front_matter = text.as_deref().and_then(|text| {
        let split = front_matter::split(text).ok()?;
        let root = yaml::parse(split.yaml, split.yaml_line_offset).ok()?;
        root.as_map()?
            .iter()
            .find(|(k, _)| k.name == "id")
            .and_then(|(_, v)| v.as_text())
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
    });
    Some(from_front_matter.unwrap_or(stem))
}

/// The ids of the risk point files directly in `dir` (not `_index.md`), in file order.
pub(crate) fn ids_in_folder(dir: &Path) -> Result<Vec<String>> {
    Ok(files_in_folder(dir)?
        .into_iter()
        .map(|(_, id)| id)
        .collect())
}

/// The risk point files directly in `dir` (not `_index.md`, not hidden), in file order, each
/// with its id (as `ids_in_folder` reads it).
pub(crate) fn files_in_folder(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("无法读取目录 {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_string());
            p.is_file()
                && name.is_some_and(|n| {
                    n.ends_with(".md") && n != "_index.md" && !n.starts_with(['.', '~'])
                })
        })
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .filter_map(|p| id_of_file(&p).map(|id| (p, id)))
        .collect())
}

/// The ids a new point of `folder` must not take: every id of the year folder `year_dir`, and
/// the ids and file names of `folder` (a file named like an id is taken even if its front
/// matter says otherwise). Upper-cased.
pub(crate) fn taken_for(year_dir: &Path, folder: &Path) -> Result<HashSet<String>> {
    let mut taken = ids_in_year(year_dir)?;
    for (path, id) in files_in_folder(folder)? {
        taken.insert(id.to_uppercase());
        if let Some(stem) = path.file_stem() {
            taken.insert(stem.to_string_lossy().to_uppercase());
        }
    }
    Ok(taken)
}

/// The prefix of a folder's ids when it has none yet: `DW` for the hospital's `unit/`, the
/// department's slug upper-cased otherwise (`new risk` and `import` agree).
pub(crate) fn default_prefix(slug: Option<&str>) -> String {
    match slug {
        None | Some("unit") => "DW".to_string(),
        Some(slug) => slug.to_uppercase(),
    }
}

/// Every id of the year folder `year_dir` (all departments and `unit/`), upper-cased.
pub(crate) fn ids_in_year(year_dir: &Path) -> Result<HashSet<String>> {
    let mut ids: HashSet<String> = ids_in_folder(year_dir)?
        .into_iter()
        .map(|i| i.to_uppercase())
        .collect();
    for entry in std::fs::read_dir(year_dir)
        .with_context(|| format!("无法读取目录 {}", year_dir.display()))?
    {
        let path = entry
            .with_context(|| format!("无法读取目录 {}", year_dir.display()))?
            .path();
        if path.is_dir() {
            ids.extend(ids_in_folder(&path)?.into_iter().map(|i| i.to_uppercase()));
        }
    }
    Ok(ids)
}

/// An id cut into prefix (with its separator), number and the number's width:
/// `CWK-07` → (`CWK-`, 7, 2).
fn split_id(id: &str) -> Option<(&str, u32, usize)> {
    let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (prefix, number) = id.split_at(id.len() - digits);
    if prefix.is_empty() || number.is_empty() || number.len() > 9 {
        return None;
    }
    Some((prefix, number.parse().ok()?, number.len()))
}

/// The next id after those of a folder: the most used prefix, one past its highest number,
/// at least two digits; `default_prefix` (with `-`) when the folder has no numbered id. Skips
/// every id in `taken` (upper-cased ids of the year, and file names that exist).
pub(crate) fn next_id(
    folder_ids: &[String],
    taken: &HashSet<String>,
    default_prefix: &str,
) -> String {
    let mut by_prefix: BTreeMap<&str, (usize, u32, usize)> = BTreeMap::new();
    for (prefix, number, width) in folder_ids.iter().filter_map(|id| split_id(id)) {
        let entry = by_prefix.entry(prefix).or_insert((0, 0, 0));
        entry.0 += 1;
        entry.1 = entry.1.max(number);
        entry.2 = entry.2.max(width);
    }
    // The most used prefix; on a tie the first in alphabetical order (BTreeMap order).
    let chosen = by_prefix
        .iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))
        .map(|(p, (_, n, w))| (p.to_string(), *n, *w));
    let (prefix, mut number, width) =
        chosen.unwrap_or_else(|| (format!("{default_prefix}-"), 0, 2));
    let width = width.max(2);
    loop {
        number += 1;
        let id = format!("{prefix}{number:0width$}");
        if !taken.contains(&id.to_uppercase()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn next_of_the_folder_prefix() {
        let taken = HashSet::new();
        assert_eq!(
            next_id(&ids(&["CWK-01", "CWK-07", "CWK-03"]), &taken, "CAIWU"),
            "CWK-08"
        );
        assert_eq!(next_id(&ids(&["DW-9"]), &taken, "DW"), "DW-10");
        assert_eq!(next_id(&ids(&["X-001"]), &taken, "X"), "X-002");
        assert_eq!(next_id(&[], &taken, "CAIWU"), "CAIWU-01");
        assert_eq!(next_id(&ids(&["说明"]), &taken, "DW"), "DW-01");
    }

    #[test]
    fn the_most_used_prefix_wins_and_taken_ids_are_skipped() {
        let taken: HashSet<String> = ["CWK-08".to_string(), "CWK-09".to_string()].into();
        let folder = ids(&["CWK-01", "CWK-07", "OLD-20"]);
        assert_eq!(next_id(&folder, &taken, "CAIWU"), "CWK-10");
    }
}
