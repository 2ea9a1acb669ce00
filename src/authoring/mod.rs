//! The authoring commands: what `hugo new` and `cargo fmt` give developers, for the clerks and
//! liaisons (联络员) who write gongshi's files.
//!
//! - `init` creates a site that checks and builds at once ([`init`]);
//! - `new risk|dept|year` creates one file from a commented template ([`new`]);
//! - `fmt` puts front matter keys in the canonical order and normalises Markdown bodies,
//!   never changing what a file means ([`fmt`], [`blocks`], [`markdown_fmt`]);
//! - `check --fix` applies the safe fixes in place ([`fix`], [`recode`], [`repair`]).
//!
//! This module holds what they share: the year a command works on, YAML
//! quoting for values typed on the command line, line endings, and writing files safely.

pub(crate) mod blocks;
pub(crate) mod fix;
pub mod fmt;
pub(crate) mod ids;
pub(crate) mod init;
pub(crate) mod markdown_fmt;
pub(crate) mod new;
mod recode;
mod repair;
mod templates;

/// The body of a new risk point (`new risk`, and `import` for a row without a file).
pub(crate) use templates::RISK_BODY;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::content::site_config::SiteConfig;
use crate::content::{self, front_matter, yaml};

/// Reads `site.yaml` leniently: the authoring commands need only the rule tables and
/// `current_year`, and must work on a site that does not check yet.
pub(crate) fn site_config(root: &Path) -> Result<Option<SiteConfig>> {
    let path = root.join("site.yaml");
    if !path.is_file() {
        return Err(crate::locate::not_a_site(root));
    }
    let Ok(text) = content::read_text(&path, "site.yaml")? else {
        return Ok(None);
    };
    let mut diags = Vec::new();
    Ok(content::parse_yaml_file("site.yaml", &text, &mut diags)
        .and_then(|node| content::site_config::load("site.yaml", &node, &mut diags)))
}

/// The year a command works on: the one `check` and `build` would take (`site::choose_year`:
/// the one asked for, else `current_year` of site.yaml, else the newest year folder that is not
/// archived). It must exist.
pub(crate) fn working_year(
    root: &Path,
    asked: Option<u16>,
    config: Option<&SiteConfig>,
) -> Result<u16> {
    let years = content::year_folders(root)?;
    crate::site::choose_year(root, &years, config.and_then(|c| c.current_year), asked)
}

/// A value typed on the command line as a YAML scalar: plain when YAML reads it back as the
/// same text, double-quoted otherwise (`a: b`, `#1`, `[草稿]`, `true`).
pub(crate) fn yaml_scalar(text: &str) -> String {
    let plain_ok = !text.is_empty()
        && text.trim() == text
        && !text.contains(['\n', '\r', '\t', '"', '\\'])
        && matches!(
            yaml::parse(&format!("k: {text}\n"), 0).map(|n| n.value),
            Ok(yaml::Value::Map(entries)) if entries.len() == 1
                && entries[0].1.value == yaml::Value::Str(text.to_string())
        );
    if plain_ok {
        return text.to_string();
    }
    double_quoted(text)
}

/// `text` as a double-quoted YAML scalar, with the escapes YAML reads back.
pub(crate) fn double_quoted(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A file's front matter as `fmt` and `import` rewrite it: whether it began with a BOM, how it
/// ended its lines, and its text with LF endings, which `parse_front` splits and parses.
pub(crate) fn normalised(text: &str) -> (bool, LineEnding, String) {
    let bom = text.starts_with('\u{feff}');
    let ending = LineEnding::of(text);
    let lf = front_matter::strip_bom(text).replace("\r\n", "\n");
    (bom, ending, lf)
}

/// The front matter of `lf` (from `normalised`), split from the body and parsed; `Err` with the
/// reason, in Chinese, when it cannot be read.
pub(crate) fn parse_front(lf: &str) -> Result<(front_matter::Split<'_>, yaml::Node), String> {
    let split = front_matter::split(lf).map_err(|e| match e {
        front_matter::SplitError::Missing => "文件开头没有 front matter（--- 块）".to_string(),
        front_matter::SplitError::Unclosed => "front matter 没有结束的 --- 行".to_string(),
    })?;
    let root = yaml::parse(split.yaml, split.yaml_line_offset).map_err(|e| {
        format!(
            "第 {} 行第 {} 列 YAML 语法错误：{}",
            e.line, e.column, e.message
        )
    })?;
    Ok((split, root))
}

/// How a file ends its lines. Clerks on Windows save CRLF; gongshi keeps what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    /// The style of the file's first line break (LF when it has none).
    pub(crate) fn of(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    /// `text` (with `\n` line ends) in this style.
    pub(crate) fn apply(self, text: &str) -> String {
        match self {
            LineEnding::Lf => text.to_string(),
            LineEnding::CrLf => text.replace('\n', "\r\n"),
        }
    }
}

/// How a path is shown: relative to the site root with `/` when under it, like diagnostics;
/// otherwise as the system writes it (`C:\其他\x.md` on Windows): joining an absolute path's
/// components with `/` gave `//tmp/x.md`, and `C:/\/其他/x.md` on Windows.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel = match (std::path::absolute(root), std::path::absolute(path)) {
        (Ok(r), Ok(p)) => p.strip_prefix(&r).map(Path::to_path_buf).ok(),
        _ => None,
    };
    match rel {
        Some(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        None => path.display().to_string(),
    }
}

/// Creates a new file (and its folders); never overwrites one that exists.
pub(crate) fn create_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建目录 {}", parent.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} 已经存在，不会覆盖（如要重新生成，请先改名或删除它）",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("无法创建 {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("无法写入 {}", path.display()))
}

pub(crate) use crate::output::replace_file;

/// Checks that a generated file parses (a template bug must never reach a clerk's folder).
fn assert_parses(name: &str, text: &str) -> Result<()> {
    let parsed = if name.ends_with(".md") {
        front_matter::split(text)
            .map_err(|e| format!("{e:?}"))
            .and_then(|s| {
                yaml::parse(s.yaml, s.yaml_line_offset)
                    .map(|_| ())
                    .map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
            })
    } else {
        yaml::parse(text, 0)
            .map(|_| ())
            .map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
    };
    parsed.map_err(|e| {
        anyhow::anyhow!("内部错误：生成的 {name} 不是有效的 YAML（{e}），请报告此问题")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(
            yaml_scalar("大额资金支付审批把关不严"),
            "大额资金支付审批把关不严"
        );
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("#1 问题"), "\"#1 问题\"");
        assert_eq!(yaml_scalar("[草稿]"), "\"[草稿]\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
        assert_eq!(yaml_scalar("2022"), "\"2022\"");
        assert_eq!(yaml_scalar(" 前后空格 "), "\" 前后空格 \"");
        assert_eq!(yaml_scalar("说“好”"), "说“好”");
        assert_eq!(yaml_scalar("a\"b"), "\"a\\\"b\"");
    }

    #[test]
    fn line_endings() {
        assert_eq!(LineEnding::of("a\r\nb\n"), LineEnding::CrLf);
        assert_eq!(LineEnding::of("a\nb\r\n"), LineEnding::Lf);
        assert_eq!(LineEnding::of("a"), LineEnding::Lf);
        assert_eq!(LineEnding::CrLf.apply("a\nb\n"), "a\r\nb\r\n");
    }
}
