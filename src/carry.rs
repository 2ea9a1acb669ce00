//! `gongshi carry YEAR`: start a programme year from the previous one (plan 修正完善提升:
//! 转入下一年度风险管理周期).
//!
//! In: `content/PREV/` (PREV = YEAR-1 or `--from`). Out: a new `content/YEAR/`, written to a
//! hidden folder and renamed into place, in which every file is the previous year's byte for
//! byte except three surgical edits of front matter text (never re-serialised, so comments, key
//! order and quoting survive):
//! - each risk point loses its `review:` block: last year's approvals do not approve this year's
//!   notice, so every point is unpublished until it is approved again;
//! - the year's `_index.md` has the dates of `notice:`, `phases:` and `deadlines:` moved by
//!   whole years, and the old year in `title:` replaced (`notice.number`, the 文号, is the
//!   clerk's to renew);
//! - `oversight.yaml` is not copied: reports, evaluations and cases are the record of the year
//!   they happened in, and carrying them would hand out last year's yellow cards again.

use std::io::Read as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::check::{self, Verbosity};
use crate::cli::{CarryArgs, Cli};
use crate::model::Date;
use crate::output::write_file;
use crate::site::Site;
use crate::site_files::{self, SiteBounds};

/// What a carry did.
#[derive(Debug, Default)]
pub(crate) struct CarryReport {
    pub(crate) files: usize,
    /// Points whose `review:` block was removed.
    pub(crate) reviews_cleared: usize,
    pub(crate) dates_shifted: usize,
    pub(crate) title_changed: bool,
    pub(crate) oversight_skipped: bool,
    /// Lines of the new `_index.md` that still mention the old year: (line number, text).
    pub(crate) mentions: Vec<(usize, String)>,
}

/// The front matter's lines, as a range of line indexes between the two fences.
fn front_matter(lines: &[&str]) -> Option<(usize, usize)> {
    let first = lines.first()?.trim_start_matches('\u{feff}');
    if first.trim_end() != "---" {
        return None;
    }
    let end = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))?;
    Some((1, end + 1))
}

/// Whether `line` is the top-level key `key` (`key:`, `"key":`, `'key':`).
fn is_key_line(line: &str, key: &str) -> bool {
    let quoted = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    quoted.iter().any(|k| {
        line.strip_prefix(k.as_str()).is_some_and(|rest| {
            let rest = rest.trim_start_matches([' ', '\t']);
            rest.strip_prefix(':')
                .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t', '\r', '\n']))
        })
    })
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The lines of a top-level key and its nested value: from the key's line through the last
/// indented line that follows it. Blank and comment lines between indented lines belong to it;
/// those after its last indented line belong to whatever comes next.
fn key_block(lines: &[&str], fm: (usize, usize), key: &str) -> Option<(usize, usize)> {
    let start = (fm.0..fm.1).find(|&i| is_key_line(lines[i], key))?;
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().take(fm.1).skip(start + 1) {
        if is_blank_or_comment(line) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            end = i + 1;
        } else {
            break;
        }
    }
    Some((start, end))
}

/// A risk point's text without its `review:` block, or `None` when it has none.
pub(crate) fn clear_review(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let fm = front_matter(&lines)?;
    let (start, end) = key_block(&lines, fm, "review")?;
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if i < start || i >= end {
            out.push_str(line);
        }
    }
    Some(out)
}

/// `date` moved by `years` whole years (29 February becomes 28 February in a common year).
fn shift_date(date: Date, years: i32) -> Option<Date> {
    let year = i32::from(date.year) + years;
    Date::parse(&format!("{year:04}-{:02}-{:02}", date.month, date.day))
        .or_else(|| Date::parse(&format!("{year:04}-{:02}-28", date.month)))
}

/// `line` with every ISO date in it moved by `years`; also how many were moved.
fn shift_dates_in(line: &str, years: i32) -> (String, usize) {
    let bytes = line.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let looks_like_date = |i: usize| {
        (0..10).all(|k| match k {
            4 | 7 => bytes.get(i + k) == Some(&b'-'),
            _ => digit(i + k),
        }) && !(i > 0 && digit(i - 1))
            && !digit(i + 10)
    };
    let (mut out, mut last, mut count, mut i) = (String::new(), 0, 0, 0);
    while i + 10 <= bytes.len() {
        if looks_like_date(i)
            && let Some(shifted) = Date::parse(&line[i..i + 10]).and_then(|d| shift_date(d, years))
        {
            out.push_str(&line[last..i]);
            out.push_str(&shifted.to_string());
            last = i + 10;
            count += 1;
            i += 10;
        } else {
            i += 1;
        }
    }
    out.push_str(&line[last..]);
    (out, count)
}

/// `line` with the standalone number `from` (not part of a longer number) replaced by `to`.
fn replace_year(line: &str, from: u16, to: u16) -> String {
    let (from, to) = (from.to_string(), to.to_string());
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    for (i, _) in line.match_indices(&from) {
        let before = i > 0 && bytes[i - 1].is_ascii_digit();
        let after = bytes.get(i + from.len()).is_some_and(u8::is_ascii_digit);
        if !before && !after {
            out.push_str(&line[last..i]);
            out.push_str(&to);
            last = i + from.len();
        }
    }
    out.push_str(&line[last..]);
    out
}

/// The year's `_index.md` for the new year: dates of `notice:`, `phases:` and `deadlines:`
/// shifted, the old year in `title:` replaced. Returns the text, the dates shifted and whether the title changed.
pub(crate) fn shift_year_index(text: &str, from: u16, to: u16) -> (String, usize, bool) {
    let years = i32::from(to) - i32::from(from);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(fm) = front_matter(&lines) else {
        return (text.to_string(), 0, false);
    };
    let blocks: Vec<(usize, usize)> = ["notice", "phases", "deadlines"]
        .iter()
        .filter_map(|k| key_block(&lines, fm, k))
        .collect();
    let title = key_block(&lines, fm, "title");
    let (mut out, mut shifted, mut title_changed) = (String::new(), 0, false);
    for (i, line) in lines.iter().enumerate() {
        if blocks.iter().any(|(s, e)| (*s..*e).contains(&i)) {
            let (new, n) = shift_dates_in(line, years);
            shifted += n;
            out.push_str(&new);
        } else if title.is_some_and(|(s, e)| (s..e).contains(&i)) {
            let new = replace_year(line, from, to);
            title_changed |= new != *line;
            out.push_str(&new);
        } else {
            out.push_str(line);
        }
    }
    (out, shifted, title_changed)
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~') || name.ends_with('~')
}

/// Copies `src` into `dst` (an empty folder), editing as the module comment says.
/// Only regular files, or links to them inside the site, are copied (src/site_files.rs):
/// anything else is refused by name.
fn carry_tree(
    src: &Path,
    dst: &Path,
    from: u16,
    to: u16,
    bounds: &SiteBounds,
) -> Result<CarryReport> {
    fn walk(
        dir: &Path,
        rel: &str,
        dst: &Path,
        (from, to): (u16, u16),
        (report, bounds): (&mut CarryReport, &SiteBounds),
    ) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("无法读取 {}", dir.display()))?
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("无法读取 {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            if is_hidden(&name) {
                continue;
            }
            let path = entry.path();
            let rel_path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if path.is_dir() {
                walk(&path, &rel_path, dst, (from, to), (&mut *report, bounds))?;
                continue;
            }
            if rel_path == "oversight.yaml" {
                report.oversight_skipped = true;
                continue;
            }
            if let Some(why) = site_files::refusal(&path, bounds) {
                bail!("{why}");
            }
            let mut bytes = Vec::new();
            site_files::open_regular(&path)?
                .read_to_end(&mut bytes)
                .with_context(|| format!("无法读取 {}", path.display()))?;
            let edited = match std::str::from_utf8(&bytes) {
                Ok(text) if rel_path == "_index.md" => {
                    let (new, shifted, title_changed) = shift_year_index(text, from, to);
                    report.dates_shifted = shifted;
                    report.title_changed = title_changed;
                    Some(new)
                }
                Ok(text) if name.ends_with(".md") && name != "_index.md" => {
                    clear_review(text).inspect(|_| report.reviews_cleared += 1)
                }
                _ => None,
            };
            match edited {
                Some(text) => write_file(dst, &rel_path, text.as_bytes())?,
                None => write_file(dst, &rel_path, &bytes)?,
            }
            report.files += 1;
        }
        Ok(())
    }
    let mut report = CarryReport::default();
    walk(src, "", dst, (from, to), (&mut report, bounds))?;
    if let Ok(text) = std::fs::read_to_string(dst.join("_index.md")) {
        report.mentions = text
            .lines()
            .enumerate()
            .filter(|(_, l)| replace_year(l, from, to) != *l)
            .map(|(i, l)| (i + 1, l.trim().to_string()))
            .collect();
    }
    Ok(report)
}

/// Copies `content/FROM/` to a new `content/TO/`. Refuses if the new folder exists.
pub(crate) fn carry(root: &Path, from: u16, to: u16) -> Result<CarryReport> {
    let content = root.join("content");
    let (src, dst) = (content.join(from.to_string()), content.join(to.to_string()));
    if !src.is_dir() {
        bail!("没有 {from} 年度：{} 不存在", src.display());
    }
    if dst.exists() {
        bail!(
            "content/{to}/ 已存在，未改动：转入只新建年度，不覆盖已有内容（如要重来，先移走或删除 content/{to}/）"
        );
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{to}.carrying-"))
        .tempdir_in(&content)
        .with_context(|| format!("无法在 {} 中创建临时目录", content.display()))?;
    let report = carry_tree(&src, staging.path(), from, to, &SiteBounds::of(root))?;
    std::fs::rename(staging.path(), &dst).with_context(|| format!("无法创建 {}", dst.display()))?;
    // The folder now lives at `dst`; the TempDir has nothing left to remove.
    drop(staging.keep());
    Ok(report)
}

/// `gongshi carry YEAR [--from PREV]`.
pub(crate) fn run(cli: &Cli, args: &CarryArgs, verbosity: Verbosity) -> Result<bool> {
    let to = args.year;
    let from = match args.from {
        Some(from) => from,
        None => to.checked_sub(1).context("年度应为四位数字，例如 2023")?,
    };
    if from >= to {
        bail!("--from {from} 应早于新年度 {to}：carry 从上一年度转入下一年度");
    }
    let report = carry(&cli.root, from, to)?;
    let site = Site::load(&cli.root, Some(to))?;
    let still_approved: Vec<&str> = site
        .year
        .points
        .iter()
        .filter(|p| p.review.any_dated())
        .map(|p| p.file.as_str())
        .collect();
    if verbosity != Verbosity::Quiet {
        let mut lines = vec![format!(
            "已从 {from} 年度转入 {to} 年度 → content/{to}/：复制 {} 个文件；",
            report.files
        )];
        lines.push(format!(
            "  清空了 {} 个风险点的审批日期（review）：须按 {to} 年度重新逐级审定，审定前不予公示；",
            report.reviews_cleared
        ));
        lines.push(format!(
            "  _index.md：公示期与阶段的 {} 个日期顺延 {} 年{}；",
            report.dates_shifted,
            to - from,
            if report.title_changed {
                format!("，标题中的 {from} 改为 {to}")
            } else {
                String::new()
            }
        ));
        if report.oversight_skipped {
            lines.push(format!(
                "  未复制 oversight.yaml：举报、评议、案件按发生年度登记，{to} 年度从零开始。"
            ));
        }
        if !report.mentions.is_empty() {
            lines.push(format!(
                "请核对 content/{to}/_index.md 中仍提到 {from} 的地方（依据文件等可能仍然有效）："
            ));
            for (n, text) in &report.mentions {
                lines.push(format!("  第 {n} 行：{text}"));
            }
        }
        if site.config.current_year.is_some_and(|y| y != to) {
            lines.push(format!(
                "site.yaml 的 current_year 仍为 {}：{to} 年度审定公示时再改为 {to}。",
                site.config.current_year.unwrap_or(from)
            ));
        }
        lines.push(check::summary(&site));
        eprintln!("{}", lines.join("\n"));
    }
    if !still_approved.is_empty() {
        eprintln!(
            "注意：以下文件的 review 写法特殊，未能自动清空，请手动删除其中的审批日期：\n  {}",
            still_approved.join("\n  ")
        );
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_a_review_block_and_keeps_everything_else() {
        let text = "---\r\nid: A-1\r\n# 审批\r\nreview:\r\n  submitted: 2022-05-24\r\n\r\n  # 科室\r\n  dept: 2022-06-02\r\n# 下面是范围\r\nscope: 全院\r\n---\r\nbody review: x\r\n";
        assert_eq!(
            clear_review(text).unwrap(),
            "---\r\nid: A-1\r\n# 审批\r\n# 下面是范围\r\nscope: 全院\r\n---\r\nbody review: x\r\n"
        );
        assert_eq!(
            clear_review("---\nreview: {dept: 2022-06-02}\nid: A\n---\n").unwrap(),
            "---\nid: A\n---\n"
        );
        assert_eq!(
            clear_review("---\nreviewer: x\n---\nreview:\n  a: 1\n"),
            None
        );
    }

    #[test]
    fn shifts_deadlines_too() {
        let text = "---\ntitle: 2022年度公示\ndeadlines:\n  submit: 2022-06-20\n  form3: 2022-07-20\n---\n";
        let (out, shifted, _) = shift_year_index(text, 2022, 2023);
        assert_eq!(shifted, 2);
        assert!(
            out.contains("  submit: 2023-06-20\n  form3: 2023-07-20\n"),
            "{out}"
        );
    }

    #[test]
    fn shifts_notice_and_phase_dates_and_the_title() {
        let text = "---\ntitle: 2022年度公示（第12022号）\nbasis: 赣市卫 2022[23]号\nnotice:\n  start: 2022-07-06   # 开始\n  end: 2022-07-12\nphases:\n  - {name: 动员部署, start: 2024-02-29, end: 2024-03-01}\nreview_note: 2022-01-01\n---\n公示期 2022-07-06\n";
        let (out, n, title) = shift_year_index(text, 2022, 2023);
        assert_eq!(
            out,
            "---\ntitle: 2023年度公示（第12022号）\nbasis: 赣市卫 2022[23]号\nnotice:\n  start: 2023-07-06   # 开始\n  end: 2023-07-12\nphases:\n  - {name: 动员部署, start: 2025-02-28, end: 2025-03-01}\nreview_note: 2022-01-01\n---\n公示期 2022-07-06\n"
        );
        assert_eq!(n, 4);
        assert!(title);
    }
}
