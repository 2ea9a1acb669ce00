//! `gongshi fmt [--check] [PATH…]`: every content file in one canonical shape, so that files
//! written by thirty liaisons in thirty editors read alike and diff cleanly.
//!
//! A file is: an optional BOM, `---`, the front matter with its top-level keys in the order of
//! its format (SPEC section 4 for risk points, the loaders' KEYS for years and departments),
//! `---`, and the body as comrak writes it. Comments, quoting, flow style and flow diagrams are
//! kept byte for byte (keys move as whole line blocks, see [`super::blocks`]); line ends stay
//! what the file used. Each step proves it changed no data, or is not applied.
//! A file that does not parse is reported and never rewritten.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::authoring::{blocks, display_path, markdown_fmt, replace_file};
use crate::check::Verbosity;
use crate::cli::{Cli, FmtArgs};
use crate::content::{self, yaml};
use crate::site_files;

/// What kind of content file a path is, which decides its key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Year,
    Department,
    Point,
    /// A Markdown file outside the content layout: its keys keep their order.
    Other,
}

impl Role {
    fn key_order(self) -> Option<&'static [&'static str]> {
        match self {
            Role::Year => Some(crate::content::year::KEYS),
            Role::Department => Some(crate::content::department::KEYS),
            Role::Point => Some(crate::content::risk::KEYS),
            Role::Other => None,
        }
    }

    /// The role of `path` in the site at `root`, as the loader (content/mod.rs) sees it.
    pub(crate) fn of(root: &Path, path: &Path) -> Role {
        let (Ok(content), Ok(path)) = (
            std::path::absolute(root.join("content")),
            std::path::absolute(path),
        ) else {
            return Role::Other;
        };
        let Ok(rel) = path.strip_prefix(&content) else {
            return Role::Other;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        let is_year = |s: &str| s.len() == 4 && s.parse::<u16>().is_ok();
        let is_md = |s: &str| s.ends_with(".md");
        match parts.as_slice() {
            [y, f] if is_year(y) && f == "_index.md" => Role::Year,
            [y, f] if is_year(y) && is_md(f) => Role::Point,
            [y, d, f] if is_year(y) && d != "unit" && f == "_index.md" => Role::Department,
            [y, _, f] if is_year(y) && is_md(f) => Role::Point,
            _ => Role::Other,
        }
    }
}

/// The result of formatting one file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    pub text: String,
    /// Steps that were not applied, and why (the file is still formatted otherwise).
    pub(crate) notes: Vec<String>,
}

/// Formats one file's text. `Err` (with the reason) when it does not parse: leave it alone.
pub fn format_text(text: &str, role: Role) -> Result<Formatted, String> {
    let (bom, ending, lf) = crate::authoring::normalised(text);
    let (split, root) = crate::authoring::parse_front(&lf)?;
    let mut notes = Vec::new();
    let yaml = match role.key_order() {
        None => split.yaml.to_string(),
        Some(order) => match blocks::layout(split.yaml, &root, split.yaml_line_offset) {
            None if matches!(root.value, yaml::Value::Map(_)) => {
                notes.push("front matter 不是每行一个“键: 值”的写法，字段顺序保持原样".into());
                split.yaml.to_string()
            }
            None => split.yaml.to_string(),
            Some(layout) => {
                let reordered = blocks::reorder(split.yaml, &layout, order);
                match yaml::parse(&reordered, split.yaml_line_offset) {
                    Ok(after) if blocks::same_data(&root, &after) => reordered,
                    _ => {
                        notes.push(
                            "调整字段顺序会改变内容（例如用了 YAML 锚点 & 与别名 *），字段顺序保持原样"
                                .into(),
                        );
                        split.yaml.to_string()
                    }
                }
            }
        },
    };
    let body = markdown_fmt::format_body(split.body).unwrap_or_else(|reason| {
        notes.push(reason);
        split.body.to_string()
    });
    let mut out = String::with_capacity(text.len() + 8);
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(&ending.apply(&format!("---\n{yaml}---\n{body}")));
    Ok(Formatted { text: out, notes })
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~') || name.ends_with('~')
}

fn sorted_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("无法读取目录 {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("无法读取目录 {}", dir.display()))?;
    paths.sort();
    Ok(paths)
}

/// The content files under `dir`, recursively, in a stable order.
fn content_files_in(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for path in sorted_dir(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if is_hidden(&name) {
            continue;
        }
        if path.is_dir() {
            content_files_in(root, &path, out)?;
        } else if name.ends_with(".md") && Role::of(root, &path) != Role::Other {
            out.push(path);
        }
    }
    Ok(())
}

/// The files a run covers: the PATHs (a folder: its content files), else all of `content/`.
fn files_to_format(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if paths.is_empty() {
        let content = root.join("content");
        if !content.is_dir() {
            anyhow::bail!("{} 不存在：这里不是 gongshi 站点？", content.display());
        }
        content_files_in(root, &content, &mut files)?;
        return Ok(files);
    }
    for path in paths {
        if path.is_dir() {
            content_files_in(root, path, &mut files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            anyhow::bail!("{} 不存在", path.display());
        }
    }
    Ok(files)
}

/// Runs `fmt`; returns whether it should exit 1 (`--check` found changes, or a file was
/// skipped because it does not parse).
pub(crate) fn run(cli: &Cli, args: &FmtArgs, verbosity: Verbosity) -> Result<bool> {
    let root = &cli.root;
    let files = files_to_format(root, &args.paths)?;
    let bounds = site_files::SiteBounds::of(root);
    let (mut changed, mut skipped) = (0usize, 0usize);
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    for path in &files {
        let name = display_path(root, path);
        // As the loader reads them (src/site_files.rs): never a FIFO, a device or a file out
        // of the site (which `fmt` would rewrite through the link), never more than a limit.
        if let Some(why) = site_files::refusal(path, &bounds) {
            anyhow::bail!("{why}");
        }
        let bytes = match site_files::read_limited(path, content::MAX_FILE_BYTES)? {
            site_files::Limited::Whole(bytes) => bytes,
            site_files::Limited::TooLarge(_) => {
                skipped += 1;
                writeln!(
                    stderr,
                    "跳过 {name}：文件过大（见 gongshi check 的 file-too-large），未改动"
                )?;
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            skipped += 1;
            writeln!(stderr, "跳过 {name}：不是有效的 UTF-8 编码，未改动")?;
            continue;
        };
        let formatted = match format_text(&text, Role::of(root, path)) {
            Ok(f) => f,
            Err(reason) => {
                skipped += 1;
                writeln!(
                    stderr,
                    "跳过 {name}：{reason}，未改动（gongshi check 会指出位置）"
                )?;
                continue;
            }
        };
        if verbosity != Verbosity::Quiet {
            for note in &formatted.notes {
                writeln!(stderr, "提示：{name}：{note}")?;
            }
        }
        if formatted.text == text {
            continue;
        }
        changed += 1;
        if !args.check {
            replace_file(path, formatted.text.as_bytes())?;
        }
        // Like `new`: the paths a command changes (or, with --check, would change) go to
        // stdout, one per line, for scripts; the sentences go to stderr.
        writeln!(stdout, "{name}")?;
    }
    if verbosity != Verbosity::Quiet {
        let verb = if args.check {
            "需要格式化"
        } else {
            "已格式化"
        };
        let mut summary = format!("检查了 {} 个文件：{changed} 个{verb}", files.len());
        if skipped > 0 {
            summary.push_str(&format!("，{skipped} 个无法解析而跳过"));
        }
        writeln!(stderr, "{summary}")?;
    }
    Ok(skipped > 0 || (args.check && changed > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_spec_order_with_comments_crlf_and_bom() {
        let text = "\u{feff}---\r\n# 等级\r\ngrade: 二级\r\nid: A-01 # 编号\r\ntitle: T\r\n---\r\n正文\r\n";
        let out = format_text(text, Role::Point).unwrap();
        assert_eq!(
            out.text,
            "\u{feff}---\r\nid: A-01 # 编号\r\ntitle: T\r\n# 等级\r\ngrade: 二级\r\n---\r\n正文\r\n"
        );
        assert!(out.notes.is_empty());
        assert_eq!(format_text(&out.text, Role::Point).unwrap().text, out.text);
    }

    #[test]
    fn anchors_that_would_break_keep_their_order() {
        // Sorted, `owner: *who` would come before the anchor it refers to.
        let text = "---\nsupervisor: &who 张某\nowner: *who\n---\n";
        let out = format_text(text, Role::Point).unwrap();
        assert_eq!(out.text, text);
        assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
    }

    #[test]
    fn broken_files_are_refused() {
        assert!(format_text("no front matter\n", Role::Point).is_err());
        assert!(format_text("---\nid: [\n---\n", Role::Point).is_err());
        assert!(format_text("---\nid: A\n", Role::Point).is_err());
    }

    #[test]
    fn roles_follow_the_content_layout() {
        let root = Path::new("/site");
        let role = |p: &str| Role::of(root, Path::new(p));
        assert_eq!(role("/site/content/2022/_index.md"), Role::Year);
        assert_eq!(role("/site/content/2022/caiwu/_index.md"), Role::Department);
        assert_eq!(role("/site/content/2022/caiwu/cwk-01.md"), Role::Point);
        assert_eq!(role("/site/content/2022/unit/dw-01.md"), Role::Point);
        assert_eq!(role("/site/content/README.md"), Role::Other);
        assert_eq!(role("/elsewhere/x.md"), Role::Other);
    }
}
