//! `gongshi check --fix`: applies the fixes that cannot change a point's meaning, edits only
//! the bytes concerned, says what it changed (file:line, before → after), then checks again.
//!
//! The safe fixes, in this order (each needs the one before to read the file):
//! - a file saved as GBK or UTF-16 becomes UTF-8 (src/authoring/recode.rs);
//! - the repairs the diagnostics carry (src/authoring/repair.rs): full-width characters typed
//!   where YAML syntax stands (`impact：较重`, a `　` indent, `[甲，乙]`…), dates typed in full
//!   width or without leading zeros;
//! - a grade written as an alias (`A`/`B`/`C`, `1`/`2`/`3`, `1级`…) becomes its canonical name
//!   (一级/二级/三级), at the value's own position;
//! - a missing `grade` is filled with the computed one (the grade the point already has, SPEC
//!   section 4), on a new line where the canonical key order puts it.
//!
//! A file whose grade is fixed is parsed again and must hold the same data but for `grade`,
//! or it is not written; a repaired one must have no slip left on the lines repaired.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};

use crate::authoring::recode::{self, Decoded};
use crate::authoring::repair::{self, offset_of};
use crate::authoring::{LineEnding, blocks, replace_file};
use crate::check::Verbosity;
use crate::cli::{CheckArgs, Cli};
use crate::content::yaml::{self, Node, Value};
use crate::content::{front_matter, risk};
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Grade, RiskPoint, Term};
use crate::site::Site;

/// One edit of one file: replace `range` (bytes) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) text: String,
    /// "grade: B → 二级", for the report.
    pub(crate) description: String,
}

/// The front matter of `text`: its tree, and the byte offset of its YAML in `text`.
fn front_matter_of(text: &str) -> Option<(Node, &str, usize)> {
    let stripped = front_matter::strip_bom(text);
    let split = front_matter::split(stripped).ok()?;
    let root = yaml::parse(split.yaml, split.yaml_line_offset).ok()?;
    let start =
        (text.len() - stripped.len()) + (split.yaml.as_ptr() as usize - stripped.as_ptr() as usize);
    Some((root, split.yaml, start))
}

/// An alias written where the canonical grade should be.
fn alias_fix(point: &RiskPoint, text: &str) -> Option<Fix> {
    let declared = point.declared_grade.as_ref()?;
    let start = offset_of(text, declared.pos)?;
    let len: usize = text[start..]
        .chars()
        .take(declared.pos.len)
        .map(char::len_utf8)
        .sum();
    let written = &text[start..start + len];
    let unquoted = written.trim_matches(|c| c == '"' || c == '\'');
    let canonical = declared.value.term();
    if unquoted == canonical || Grade::parse(unquoted) != Some(declared.value) {
        // Canonical already, or the position does not hold what was parsed: never guess.
        return None;
    }
    Some(Fix {
        file: point.file.clone(),
        line: declared.pos.line,
        range: start..start + len,
        text: canonical.to_string(),
        description: format!("grade: {written} → {canonical}"),
    })
}

/// A missing grade, filled with the computed one.
fn missing_grade_fix(point: &RiskPoint, text: &str) -> Option<Fix> {
    if point.declared_grade.is_some() {
        return None;
    }
    let computed = point.computed_grade();
    let why = format!(
        "按发生机率“{}”、危害程度“{}”计算",
        point.likelihood.value, point.impact.value
    );
    let (root, yaml_text, yaml_start) = front_matter_of(text)?;
    let entries = root.as_map()?;
    if let Some((key, value)) = entries.iter().find(|(k, _)| k.name == "grade") {
        // `grade:` is there but empty: write the value after the colon, before any comment.
        if value.value != Value::Null {
            return None;
        }
        let key_at = offset_of(text, key.pos)?;
        let line_end = text[key_at..].find('\n').map_or(text.len(), |i| key_at + i);
        let colon = key_at + text[key_at..line_end].find(':')?;
        let rest = &text[colon + 1..line_end];
        let token = rest.trim_start();
        let token_len = token
            .split(|c: char| c.is_whitespace())
            .next()
            .filter(|t| matches!(*t, "~" | "null" | "Null" | "NULL"))
            .map_or(0, str::len);
        let at = colon + 1 + (rest.len() - token.len());
        let (range, insert) = if token_len > 0 {
            (at..at + token_len, computed.term().to_string())
        } else {
            (colon + 1..colon + 1, format!(" {}", computed.term()))
        };
        return Some(Fix {
            file: point.file.clone(),
            line: key.pos.line,
            range,
            text: insert,
            description: format!("grade: （空）→ {computed}（{why}）"),
        });
    }
    // No `grade` key: a new line before the first key that comes after it in SPEC order.
    let layout = blocks::layout(yaml_text, &root, 1)?;
    let rank = |k: &str| {
        risk::KEYS
            .iter()
            .position(|x| *x == k)
            .unwrap_or(risk::KEYS.len())
    };
    let grade_rank = rank("grade");
    let at = layout
        .blocks
        .iter()
        .find(|b| rank(&b.key) > grade_rank)
        .map_or(yaml_text.len(), |b| b.range.start);
    let offset = yaml_start + at;
    let line = text[..offset].matches('\n').count() + 1;
    let ending = LineEnding::of(text).as_str();
    Some(Fix {
        file: point.file.clone(),
        line,
        range: offset..offset,
        text: format!("grade: {}{ending}", computed.term()),
        description: format!("补上 grade: {computed}（{why}）"),
    })
}

/// Every safe fix of the loaded year, by file.
pub(crate) fn plan(site: &Site) -> BTreeMap<String, Vec<Fix>> {
    let mut by_file: BTreeMap<String, Vec<Fix>> = BTreeMap::new();
    for point in &site.year.points {
        let Some(text) = site.source(&point.file) else {
            continue;
        };
        for fix in [alias_fix(point, text), missing_grade_fix(point, text)]
            .into_iter()
            .flatten()
        {
            by_file.entry(point.file.clone()).or_default().push(fix);
        }
    }
    by_file
}

/// The tree without its top-level `grade`, to compare before and after.
fn without_grade(mut node: Node) -> Node {
    if let Value::Map(entries) = &mut node.value {
        entries.retain(|(k, _)| k.name != "grade");
    }
    node
}

/// Applies the fixes of one file to its text; `None` if the result would differ in anything
/// but `grade`.
pub(crate) fn apply(text: &str, fixes: &[Fix]) -> Option<String> {
    let mut sorted: Vec<&Fix> = fixes.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.range.start));
    let mut out = text.to_string();
    for fix in sorted {
        out.replace_range(fix.range.clone(), &fix.text);
    }
    let (before, _, _) = front_matter_of(text)?;
    let (after, _, _) = front_matter_of(&out)?;
    let grade_after = after.as_map()?.iter().find(|(k, _)| k.name == "grade")?;
    let canonical = grade_after
        .1
        .as_text()
        .is_some_and(|g| Grade::ALL.iter().any(|x| x.term() == g));
    (canonical && blocks::same_data(&without_grade(before), &without_grade(after))).then_some(out)
}

/// Runs `check --fix`: fix, report, check again.
pub(crate) fn run(cli: &Cli, args: &CheckArgs, verbosity: Verbosity) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    let mut count = 0;
    let site = Site::load(&cli.root, args.year)?;
    // In a department's folder (or with --dept), only that department's files are touched.
    let focus = crate::focus::folder(&site, args)?;
    let touch = |file: &str| {
        focus
            .as_deref()
            .is_none_or(|dir| crate::focus::inside(dir, file))
    };
    // Each step needs the one before: a file not in UTF-8 cannot be read, one with a slip in
    // its front matter yields no point whose grade could be fixed.
    let converted = convert_encodings(&cli.root, &site, &touch, &mut err)?;
    let site = match converted {
        0 => site,
        _ => Site::load(&cli.root, args.year)?,
    };
    // A repair of the front matter lets the file load, and its values be looked at: repair
    // until nothing is left (a few rounds at most; a round that repairs nothing ends it).
    let mut repaired = 0;
    let mut site = site;
    for _ in 0..4 {
        match repair_files(&cli.root, &site, &touch, &mut err)? {
            0 => break,
            n => repaired += n,
        }
        site = Site::load(&cli.root, args.year)?;
    }
    count += converted + repaired;
    count += fix_grades(&cli.root, &site, &touch, &mut err)?;
    if verbosity != Verbosity::Quiet {
        if count == 0 {
            writeln!(err, "没有可以自动修改的问题")?;
        } else {
            writeln!(err, "自动修改了 {count} 处，重新检查：")?;
        }
    }
    drop(err);
    let site = Site::load(&cli.root, args.year)?;
    crate::focus::report(site, args, verbosity)
}

/// Converts every file of the site that is not UTF-8 (an `encoding` diagnostic, or NUL bytes:
/// UTF-16 text of ASCII characters is valid UTF-8) to UTF-8. Returns how many were converted.
fn convert_encodings(
    root: &Path,
    site: &Site,
    touch: &dyn Fn(&str) -> bool,
    err: &mut impl Write,
) -> Result<usize> {
    let mut files: Vec<&str> = site
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::Encoding)
        .map(|d| d.file.as_str())
        .chain(
            site.year
                .sources
                .iter()
                .filter(|(_, text)| text.contains('\0'))
                .map(|(file, _)| file.as_str()),
        )
        .collect();
    files.retain(|file| touch(file));
    files.sort_unstable();
    files.dedup();
    let mut converted = 0;
    for file in files {
        let path = root.join(file);
        let bytes = std::fs::read(&path).with_context(|| format!("无法读取 {}", path.display()))?;
        match recode::decode(&bytes) {
            Decoded::Text { text, from } => {
                replace_file(&path, text.as_bytes())?;
                converted += 1;
                writeln!(err, "已转换 {file}：{from} → UTF-8")?;
            }
            Decoded::Unsure(why) => writeln!(
                err,
                "未转换 {file}：{why}；请用记事本打开，“另存为”时编码选 UTF-8"
            )?,
            Decoded::Utf8 => {}
        }
    }
    Ok(converted)
}

/// Makes the repairs the diagnostics carry, file by file. Returns how many were made.
fn repair_files(
    root: &Path,
    site: &Site,
    touch: &dyn Fn(&str) -> bool,
    err: &mut impl Write,
) -> Result<usize> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in site
        .diagnostics
        .iter()
        .filter(|d| !d.fix.is_empty() && touch(&d.file))
    {
        by_file.entry(&d.file).or_default().push(d);
    }
    let mut count = 0;
    for (file, diags) in by_file {
        let Some(text) = site.source(file) else {
            continue;
        };
        let Some(repaired) = repair::apply(file, text, &diags) else {
            writeln!(
                err,
                "未修改 {file}：自动修改后的内容无法确认无误，请按上面的提示手工修改"
            )?;
            continue;
        };
        replace_file(&root.join(file), repaired.text.as_bytes())?;
        count += diags.len();
        // One report line per file line: what was wrong on it, the line before and after.
        let mut by_line: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for (d, line) in diags.iter().zip(&repaired.lines) {
            let what = d.message.trim_start_matches("YAML 语法错误：");
            let whats = by_line.entry(*line).or_default();
            if !whats.contains(&what) {
                whats.push(what);
            }
        }
        for (line, whats) in by_line {
            writeln!(
                err,
                "已修改 {file}:{line}（{}）：{} → {}",
                whats.join("；"),
                repair::line_of(text, line).trim_end(),
                repair::line_of(&repaired.text, line).trim_end()
            )?;
        }
    }
    Ok(count)
}

/// Fixes grade aliases and missing grades. Returns how many were fixed.
fn fix_grades(
    root: &Path,
    site: &Site,
    touch: &dyn Fn(&str) -> bool,
    err: &mut impl Write,
) -> Result<usize> {
    let mut count = 0;
    let mut planned = plan(site);
    planned.retain(|file, _| touch(file));
    for (file, fixes) in &planned {
        let Some(text) = site.source(file) else {
            continue;
        };
        match apply(text, fixes) {
            Some(fixed) => {
                replace_file(&root.join(file), fixed.as_bytes())?;
                for fix in fixes {
                    count += 1;
                    writeln!(err, "已修改 {}:{}：{}", fix.file, fix.line, fix.description)?;
                }
            }
            None => writeln!(
                err,
                "未修改 {file}：自动修改后的内容无法确认无误，请手工修改"
            )?,
        }
    }
    Ok(count)
}
