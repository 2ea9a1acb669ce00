//! Walking a year folder: which files it has and what each one is (the year, a department, a
//! point, the oversight), and what the walk itself finds wrong — department folders that cannot
//! be slugs or that name the notice's own folders, a department without `_index.md`, and files
//! that look like content but would not be read (`ignored-file`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Slot;
use crate::content::fields::{RESERVED_SLUGS, is_valid_id, reserved_name, windows_device_name};
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::site_files::{self, SiteBounds};

/// What a file of the year folder is; a point knows its department folder (`None` in `unit/`
/// or outside any folder).
#[derive(Clone)]
pub(super) enum FileKind {
    Year,
    Department(String),
    Point(Option<String>),
    Oversight,
}

/// A file to load: where it is, its path as diagnostics name it, and what it is.
#[derive(Clone)]
pub(super) struct FileJob {
    pub(super) path: PathBuf,
    pub(super) rel: String,
    pub(super) kind: FileKind,
}

/// `path` relative to the site root, with `/`, as diagnostics name files.
pub(super) fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The entries of `dir` in name order (diagnostics and builds in a stable order).
pub(super) fn sorted_entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("无法读取目录 {}", dir.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("无法读取目录 {}", dir.display()))?;
    // Cached: the key is an allocated name, made once per entry, not twice per comparison.
    entries.sort_by_cached_key(|e| e.file_name());
    Ok(entries)
}

pub(super) fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// Why a file that looks like content is not read, if it is one: a Markdown file whose name
/// ends otherwise than in `.md` (`CWK-08.MD`, `.markdown`, Windows' hidden `.md.txt`), which
/// the loader would pass over without a word, and the point with it.
fn misnamed_markdown(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let stem = |suffix: &str| &name[..name.len() - suffix.len()];
    for suffix in [".md.txt", ".markdown", ".mdown", ".mkd"] {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            return Some(format!("{}.md", stem(suffix)));
        }
    }
    (lower.ends_with(".md") && !name.ends_with(".md")).then(|| format!("{}.md", stem(".md")))
}

/// The `ignored-file` warning for a file or folder the loader does not read.
fn ignored(rel: &str, message: String, hint: String) -> Diagnostic {
    Diagnostic::new(Rule::IgnoredFile, rel, Pos::new(1, 1, 1), message).with_hint(hint)
}

pub(super) fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~') || name.ends_with('~')
}

/// Walks one year folder, collecting its files, the walk's diagnostics, the department
/// folders, and the files that may not be read (a FIFO, a device, a dangling link, a link out
/// of the site), which end the load with an error naming each.
struct YearWalk<'a> {
    root: &'a Path,
    bounds: SiteBounds,
    diags: &'a mut Vec<Diagnostic>,
    dept_folders: &'a mut Vec<String>,
    jobs: Vec<FileJob>,
    refused: Vec<String>,
}

impl YearWalk<'_> {
    /// Adds a file the loader reads, unless it is not a file it may read. `listed` is what the
    /// folder listing said the entry is: a regular file needs no further look (no stat per
    /// file: the walk is serial), and the opened handle is checked again when it is read.
    fn read(&mut self, path: PathBuf, listed: Option<std::fs::FileType>, kind: FileKind) {
        let regular = listed.is_some_and(|t| t.is_file());
        if !regular && let Some(why) = site_files::refusal(&path, &self.bounds) {
            self.refused.push(why);
            return;
        }
        self.jobs.push(FileJob {
            rel: rel_path(self.root, &path),
            path,
            kind,
        });
    }

    /// A file directly in the year folder.
    fn year_file(
        &mut self,
        path: PathBuf,
        listed: Option<std::fs::FileType>,
        name: &str,
        rel: &str,
    ) {
        if name == "_index.md" {
            self.read(path, listed, FileKind::Year);
        } else if name == "oversight.yaml" {
            self.read(path, listed, FileKind::Oversight);
        } else if is_markdown(&path) {
            // A point outside any department or unit/ folder: loaded so that level-location
            // can say where it belongs.
            self.read(path, listed, FileKind::Point(None));
        } else if name.eq_ignore_ascii_case("oversight.yml")
            || (name.eq_ignore_ascii_case("oversight.yaml") && name != "oversight.yaml")
        {
            self.diags.push(ignored(
                rel,
                format!("文件 {name} 不会被读取：监督情况文件名应为 oversight.yaml"),
                "请改名为 oversight.yaml".to_string(),
            ));
        } else if let Some(fixed) = misnamed_markdown(name) {
            self.diags.push(ignored(
                rel,
                format!("文件 {name} 不会被读取：扩展名应为小写的 .md"),
                format!("请改名为 {fixed}"),
            ));
        }
    }

    /// Whether a folder of the year can be a department (`unit/` is the hospital level):
    /// diagnostics for a name that cannot be a slug, is reserved, or lacks `_index.md`.
    fn department(&mut self, path: &Path, name: &str, rel: &str) -> bool {
        if !is_valid_id(name) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    rel,
                    Pos::new(1, 1, 1),
                    format!("科室文件夹名“{}”不能作为科室代号", shown(name)),
                )
                .with_hint(
                    "文件夹名由字母、数字、-、_ 组成，以字母或数字开头，最长 40 个字符，例如 caiwu",
                ),
            );
            return false;
        }
        if let Some(word) = reserved_name(name, RESERVED_SLUGS) {
            // Still loaded: the folder is a department in every other respect, and skipping
            // it would add an unknown-reference for each mention of it.
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    rel,
                    Pos::new(1, 1, 1),
                    format!(
                        "科室文件夹名“{name}”不能用：{word} 是保留名称，公示网站自己的 {word}/ 文件夹会与该科室的页面冲突"
                    ),
                )
                .with_hint(format!(
                    "请给科室文件夹改名，并同步修改 leaders.deputies 的 oversees 等处的科室代号；保留名称（大小写不同也算同名）：{}",
                    RESERVED_SLUGS.join("、")
                )),
            );
        }
        if let Some(device) = windows_device_name(name) {
            self.diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    rel,
                    Pos::new(1, 1, 1),
                    format!(
                        "科室文件夹名“{name}”不能用：{device} 是 Windows 的设备保留名，这个文件夹在 Windows 上无法建立、复制或打开"
                    ),
                )
                .with_hint(
                    "请给科室文件夹改名，并同步修改 leaders.deputies 的 oversees 等处的科室代号（CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9 都不能用，大小写不同也算）",
                ),
            );
        }
        self.dept_folders.push(name.to_string());
        // Not followed: a FIFO or a link there is reported when the folder is listed.
        if std::fs::symlink_metadata(path.join("_index.md")).is_err() {
            self.diags.push(
                Diagnostic::new(
                    Rule::MissingField,
                    &format!("{rel}/_index.md"),
                    Pos::new(1, 1, 1),
                    format!("科室文件夹 {name} 缺少 _index.md（科室名称、负责人、联络员）"),
                )
                .with_hint(format!("运行 gongshi new dept {name} --name 科室名称 新建")),
            );
        }
        true
    }

    /// A folder of the year: a department, or `unit/`; its files are points, and a
    /// department's `_index.md` describes it.
    fn folder(&mut self, path: &Path, name: &str, rel: &str) -> Result<()> {
        let is_unit = name == "unit";
        if !is_unit && !self.department(path, name, rel) {
            return Ok(());
        }
        for sub in sorted_entries(path)? {
            let sub_path = sub.path();
            let sub_name = sub.file_name().to_string_lossy().to_string();
            if is_hidden(&sub_name) {
                continue;
            }
            // The entry's own type needs no stat (one per file, on the main thread); only a
            // symbolic link is followed to see what it points at.
            let kind = sub.file_type().ok();
            if kind.is_some_and(|t| t.is_dir())
                || (kind.is_some_and(|t| t.is_symlink()) && sub_path.is_dir())
            {
                if holds_markdown(&sub_path) {
                    self.diags.push(ignored(
                        &rel_path(self.root, &sub_path),
                        format!(
                            "文件夹 {sub_name}/ 中的文件不会被读取：科室文件夹里不能再分子文件夹"
                        ),
                        format!("请把其中的风险点文件直接放在 {rel}/ 下"),
                    ));
                }
                continue;
            }
            if !is_markdown(&sub_path) {
                let is_file = kind.is_some_and(|t| t.is_file()) || sub_path.is_file();
                if is_file && let Some(fixed) = misnamed_markdown(&sub_name) {
                    self.diags.push(ignored(
                        &rel_path(self.root, &sub_path),
                        format!("文件 {sub_name} 不会被读取：风险点文件的扩展名应为小写的 .md"),
                        format!("请改名为 {fixed}"),
                    ));
                }
                continue;
            }
            let kind = match (sub_name == "_index.md", is_unit) {
                (true, true) => {
                    self.diags.push(ignored(
                        &rel_path(self.root, &sub_path),
                        "unit/_index.md 不会被读取：单位层次没有科室信息".to_string(),
                        "单位风险点各自一个文件放在 unit/ 下；年度信息写在年度的 _index.md 中"
                            .to_string(),
                    ));
                    continue;
                }
                (true, false) => FileKind::Department(name.to_string()),
                (false, true) => FileKind::Point(None),
                (false, false) => FileKind::Point(Some(name.to_string())),
            };
            self.read(sub_path, sub.file_type().ok(), kind);
        }
        Ok(())
    }
}

/// A name as a message shows it: at most 40 characters (a folder name of 10,000 was echoed
/// whole).
fn shown(name: &str) -> String {
    crate::content::fields::shorten(name)
}

/// Lists the files of a year folder with what each one is. A file the loader would read that
/// is not a regular file, or a link to one inside the site (src/site_files.rs), is an error
/// naming it: it is never opened.
pub(super) fn year_jobs(
    root: &Path,
    year_dir: &Path,
    diags: &mut Vec<Diagnostic>,
    dept_folders: &mut Vec<String>,
) -> Result<Vec<FileJob>> {
    let mut walk = YearWalk {
        root,
        bounds: SiteBounds::of(root),
        diags,
        dept_folders,
        jobs: Vec::new(),
        refused: Vec::new(),
    };
    for entry in sorted_entries(year_dir)? {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if is_hidden(&name) {
            continue;
        }
        let rel = rel_path(root, &path);
        if path.is_dir() {
            walk.folder(&path, &name, &rel)?;
        } else {
            walk.year_file(path, entry.file_type().ok(), &name, &rel);
        }
    }
    if !walk.refused.is_empty() {
        bail!("{}", walk.refused.join("\n"));
    }
    Ok(walk.jobs)
}

/// Whether a folder holds a Markdown file, at any depth (a folder of points put one level too
/// deep; a folder of pictures is no concern). Links to folders are not followed (no loops).
fn holds_markdown(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let path = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                holds_markdown(&path)
            } else {
                is_markdown(&path) || misnamed_markdown(&e.file_name().to_string_lossy()).is_some()
            }
        })
    })
}

/// What walking a year folder found: its files, and the diagnostics and folders of the walk.
pub(super) struct Walk {
    pub(super) year_dir: PathBuf,
    pub(super) jobs: Vec<FileJob>,
    /// Index into `jobs` by path.
    pub(super) index: HashMap<PathBuf, usize>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) dept_folders: Vec<String>,
    /// What each job added to the year last time, and the diagnostics it had.
    pub(super) outcomes: Vec<(Slot, Vec<Diagnostic>)>,
    /// The token of the year last loaded or refreshed from this walk.
    pub(super) token: u64,
}

/// Walks the year folder: its files, and what the walk itself found wrong.
pub(super) fn walk_year(root: &Path, number: u16, year_dir: &Path) -> Result<Walk> {
    let (mut diagnostics, mut dept_folders) = (Vec::new(), Vec::new());
    let jobs = year_jobs(root, year_dir, &mut diagnostics, &mut dept_folders)?;
    if !jobs.iter().any(|j| matches!(j.kind, FileKind::Year)) {
        diagnostics.push(
            Diagnostic::new(
                Rule::MissingField,
                &format!("{}/_index.md", rel_path(root, year_dir)),
                Pos::new(1, 1, 1),
                format!("{number} 年度缺少 _index.md（标题、公示期、阶段、领导）"),
            )
            .with_hint("运行 gongshi new year 新建"),
        );
    }
    Ok(Walk {
        year_dir: year_dir.to_path_buf(),
        index: jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.path.clone(), i))
            .collect(),
        jobs,
        diagnostics,
        dept_folders,
        outcomes: Vec::new(),
        token: 0,
    })
}
