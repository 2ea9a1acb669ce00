//! Finding the site from the folder gongshi is run in, as cargo finds `Cargo.toml`: the nearest
//! folder at or above the working folder that holds `site.yaml` is the site's root. A liaison
//! who opens a command prompt in `content/2022/caiwu/` (Windows' "在此处打开命令窗口") and types
//! `gongshi check` gets the site's check, not "this is not a site, run gongshi init".
//!
//! Where in the site the command was run is kept too ([`Here`]): inside `content/YEAR/`, the
//! year; inside `content/YEAR/SLUG/`, also the department (or `unit`). `check` and `new` take
//! them as their defaults, as if `--year YEAR --dept SLUG` had been typed (src/cli.rs,
//! `Cli::apply_location`).
//!
//! In: `--root` when given (it is the site, and nothing is looked for) and the working folder.
//! Out: the root and [`Here`], or an error that says what was searched and what to do, and
//! that never suggests `gongshi init` to someone standing in a site's `content/` folder.

use std::path::{Component, Path, PathBuf};

use anyhow::{Error, anyhow};

/// The file that makes a folder a site.
pub(crate) const SITE_FILE: &str = "site.yaml";

/// Where in the site the command was run, when the root was found by looking upwards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Here {
    /// The year folder the working folder is in (`content/2022/…`).
    pub(crate) year: Option<u16>,
    /// The folder under the year the working folder is in: a department's slug, or `unit`.
    pub(crate) folder: Option<String>,
}

/// The site found from `cwd`: its root and where `cwd` is in it. The root is `.` when `cwd`
/// is the root itself (so that every message reads as it did before gongshi looked upwards),
/// and the folder's absolute path otherwise.
pub(crate) fn find_site(cwd: &Path) -> Result<(PathBuf, Here), Error> {
    for (depth, dir) in cwd.ancestors().enumerate() {
        if dir.join(SITE_FILE).is_file() {
            if depth == 0 {
                return Ok((PathBuf::from("."), Here::default()));
            }
            let inside = cwd.strip_prefix(dir).unwrap_or(Path::new(""));
            return Ok((dir.to_path_buf(), here_in(inside)));
        }
    }
    Err(not_found_above(cwd))
}

/// Where `inside` (a path relative to the root) is: `content/2022/caiwu/…` → 2022, caiwu.
fn here_in(inside: &Path) -> Here {
    let names: Vec<String> = inside
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let year = match names.as_slice() {
        [content, year, ..] if content == "content" && year.len() == 4 => year.parse().ok(),
        _ => None,
    };
    let folder = year.and_then(|_| names.get(2).cloned());
    Here { year, folder }
}

/// The site's `content` folder that `dir` is or is in (`content/` itself, or a year folder
/// `content/2022/…` below it), if any: the sign that someone is inside a site whose
/// `site.yaml` is missing, who must not be told to make a new site there.
fn content_folder(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| {
        d.file_name().is_some_and(|n| n == "content")
            && (*d == dir
                || dir
                    .strip_prefix(d)
                    .ok()
                    .and_then(|rest| rest.iter().next())
                    .is_some_and(|year| {
                        year.len() == 4 && year.to_string_lossy().parse::<u16>().is_ok()
                    }))
    })
}

/// Nothing at or above `cwd` holds `site.yaml`.
fn not_found_above(cwd: &Path) -> Error {
    match content_folder(cwd) {
        Some(content) => anyhow!(
            "在 {} 及其上级目录中都找不到 {SITE_FILE}。这里像是站点的 content/ 文件夹，站点根目录 {} 中应有 {SITE_FILE}：请确认它没有被移走或改名，或用 --root 指定站点目录",
            cwd.display(),
            content.parent().unwrap_or(content).display()
        ),
        None => anyhow!(
            "在 {} 及其上级目录中都找不到 {SITE_FILE}：这里不是 gongshi 站点。请在站点目录（含 {SITE_FILE} 的文件夹）或其中的文件夹里运行，或用 --root 指定站点目录；新建站点用 gongshi init",
            cwd.display()
        ),
    }
}

/// `root` (given with `--root`) has no `site.yaml`. If a folder above it has one, that is the
/// site, and the message says so; inside a `content/` folder it never suggests `init`.
pub(crate) fn not_a_site(root: &Path) -> Error {
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    if let Some(site) = absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join(SITE_FILE).is_file())
    {
        return anyhow!(
            "{} 不是站点根目录：站点在 {}（含 {SITE_FILE}）。请用 --root {}，或者不写 --root（gongshi 会从当前目录向上查找 {SITE_FILE}）",
            root.display(),
            site.display(),
            site.display()
        );
    }
    if let Some(content) = content_folder(&absolute) {
        return anyhow!(
            "在 {} 找不到 {SITE_FILE}。这里像是站点的 content/ 文件夹，站点根目录 {} 中应有 {SITE_FILE}：请确认它没有被移走或改名，或用 --root 指定站点目录",
            root.display(),
            content.parent().unwrap_or(content).display()
        );
    }
    anyhow!(
        "在 {} 找不到 {SITE_FILE}：这里不是 gongshi 站点（用 --root 指定站点目录，或运行 gongshi init 新建）",
        root.display()
    )
}

/// The site `dir` lies inside (a folder strictly above it with `site.yaml`), for `init`, which
/// must not make a site inside another.
pub(crate) fn enclosing_site(dir: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(dir).ok()?;
    absolute
        .ancestors()
        .skip(1)
        .find(|d| d.join(SITE_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here(path: &str) -> Here {
        here_in(Path::new(path))
    }

    #[test]
    fn the_year_and_department_come_from_the_folders_under_content() {
        assert_eq!(
            here("content/2022/caiwu"),
            Here {
                year: Some(2022),
                folder: Some("caiwu".into())
            }
        );
        assert_eq!(
            here("content/2022/caiwu/old"),
            Here {
                year: Some(2022),
                folder: Some("caiwu".into())
            }
        );
        assert_eq!(
            here("content/2023"),
            Here {
                year: Some(2023),
                folder: None
            }
        );
        assert_eq!(here("content"), Here::default());
        assert_eq!(here("themes/default"), Here::default());
        // Not a year folder: nothing is assumed.
        assert_eq!(here("content/drafts/caiwu"), Here::default());
        assert_eq!(here("content/22/caiwu"), Here::default());
    }

    #[test]
    fn the_nearest_site_above_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let dept = site.join("content/2022/caiwu");
        std::fs::create_dir_all(&dept).unwrap();
        std::fs::write(site.join(SITE_FILE), "name: x\n").unwrap();
        let (root, here) = find_site(&dept).unwrap();
        assert_eq!(root, site);
        assert_eq!(here.year, Some(2022));
        assert_eq!(here.folder.as_deref(), Some("caiwu"));
        assert_eq!(
            find_site(&site).unwrap(),
            (PathBuf::from("."), Here::default())
        );
        // Outside any site: the message names the folder and does not mention a content folder.
        let outside = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&outside).unwrap();
        let message = find_site(&outside).unwrap_err().to_string();
        assert!(message.contains("找不到 site.yaml"), "{message}");
        assert!(!message.contains("content/"), "{message}");
    }

    /// Regression: `gongshi check` in a department folder said "…或运行 gongshi init 新建",
    /// inviting a second site inside content/.
    #[test]
    fn inside_a_content_folder_without_a_site_init_is_never_suggested() {
        let tmp = tempfile::tempdir().unwrap();
        let dept = tmp.path().join("site/content/2022/caiwu");
        std::fs::create_dir_all(&dept).unwrap();
        let message = find_site(&dept).unwrap_err().to_string();
        assert!(!message.contains("init"), "{message}");
        assert!(message.contains("content/"), "{message}");
        let message = not_a_site(&dept).to_string();
        assert!(!message.contains("init"), "{message}");
    }

    #[test]
    fn a_root_given_inside_a_site_names_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let dept = site.join("content/2022/caiwu");
        std::fs::create_dir_all(&dept).unwrap();
        std::fs::write(site.join(SITE_FILE), "name: x\n").unwrap();
        let message = not_a_site(&dept).to_string();
        assert!(
            message.contains(&format!("站点在 {}", site.display())),
            "{message}"
        );
        assert!(!message.contains("init"), "{message}");
        assert_eq!(enclosing_site(&dept), Some(site.clone()));
        assert_eq!(enclosing_site(&site), None);
    }
}
