//! `check --fix` for the repairs that diagnostics carry (`Diagnostic::fix`): full-width
//! characters typed where YAML syntax stands (src/content/fullwidth.rs), dates typed in full
//! width or without leading zeros (src/content/fields.rs). In: a file's text and its
//! diagnostics. Out: the repaired text, or nothing when a repair does not apply cleanly.
//!
//! Only the characters concerned change: comments, line endings and everything else stay as
//! they were. Each edit is made only where the file still holds the text it expects.

use crate::content;
use crate::diagnostic::{Diagnostic, Edit, Pos};

/// One repaired file: its new text, and for each diagnostic repaired the file line it is on.
#[derive(Debug)]
pub(crate) struct Repaired {
    pub(crate) text: String,
    pub(crate) lines: Vec<usize>,
}

/// The byte offset of a 1-based line and character column in `text` (a BOM before the first
/// line is not counted, as diagnostics do not count it).
pub(crate) fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let bom = text.len() - content::front_matter::strip_bom(text).len();
    let body = &text[bom..];
    let line_start: usize = body
        .split_inclusive('\n')
        .take(pos.line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line = body.get(line_start..)?.split('\n').next()?;
    let within = match pos.column.checked_sub(1)? {
        0 => 0,
        n => line.char_indices().nth(n)?.0,
    };
    Some(bom + line_start + within)
}

/// Applies the repairs of `diags` (all of file `file`) to `text`. `None` when an edit does
/// not find its text, two overlap, or the repaired text still has a slip on a line repaired.
pub(crate) fn apply(file: &str, text: &str, diags: &[&Diagnostic]) -> Option<Repaired> {
    let mut edits: Vec<(std::ops::Range<usize>, &Edit)> = Vec::new();
    for edit in diags.iter().flat_map(|d| &d.fix) {
        let start = offset_of(text, Pos::new(edit.line, edit.column, 1))?;
        let end = start + edit.expected.len();
        if text.get(start..end) != Some(edit.expected.as_str()) {
            return None;
        }
        edits.push((start..end, edit));
    }
    edits.sort_by_key(|(range, _)| range.start);
    if edits.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        return None;
    }
    let mut out = text.to_string();
    for (range, edit) in edits.iter().rev() {
        out.replace_range(range.clone(), &edit.replacement);
    }
    let lines: Vec<usize> = diags.iter().map(|d| d.pos.line).collect();
    // What the repair was for must be gone: no slip left on a line repaired.
    let mut after = Vec::new();
    content::parse_for_fix(file, &out, &mut after);
    if after
        .iter()
        .any(|d| !d.fix.is_empty() && lines.contains(&d.pos.line))
    {
        return None;
    }
    Some(Repaired { text: out, lines })
}

/// Line `line` (1-based) of `text`, without its line ending.
pub(crate) fn line_of(text: &str, line: usize) -> &str {
    let body = content::front_matter::strip_bom(text);
    body.split('\n')
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .trim_end_matches('\r')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;

    fn diag(line: usize, column: usize, expected: &str, replacement: &str) -> Diagnostic {
        Diagnostic::new(Rule::YamlSyntax, "a.md", Pos::new(line, column, 1), "x").with_fix(vec![
            Edit {
                line,
                column,
                expected: expected.into(),
                replacement: replacement.into(),
            },
        ])
    }

    #[test]
    fn edits_keep_the_rest_of_the_file() {
        let text =
            "\u{feff}---\r\nid: A  # 编号\r\nimpact：较重\r\n　title: 甲\r\n---\r\n正文：不动\r\n";
        let a = diag(3, 7, "：", ": ");
        let b = diag(4, 1, "　", "  ");
        let repaired = apply("a.md", text, &[&a, &b]).unwrap();
        assert_eq!(
            repaired.text,
            "\u{feff}---\r\nid: A  # 编号\r\nimpact: 较重\r\n  title: 甲\r\n---\r\n正文：不动\r\n"
        );
    }

    /// Each slip of src/content/fullwidth.rs, as the loader reports it, repaired.
    #[test]
    fn each_slip_is_repaired_to_what_was_meant() {
        for (typed, meant) in [
            ("impact：较重", "impact: 较重"),
            ("impact ：较重  # 注", "impact: 较重  # 注"),
            ("impact：　较重", "impact: 较重"),
            ("impact： 较重", "impact: 较重"),
            ("impact:　较重", "impact: 较重"),
            ("m:\n　　a: [x]", "m:\n    a: [x]"),
            ("m:\n  － x", "m:\n  - x"),
            ("m:\n  -　x", "m:\n  - x"),
            ("m: [甲，乙， 丙]", "m: [甲, 乙, 丙]"),
            ("m: 【甲，乙】", "m: [甲, 乙]"),
            ("m: ［甲］", "m: [甲]"),
            ("m: ｛a：1，b: 2｝", "m: {a: 1, b: 2}"),
            (
                "n: {start：2022-07-06，end: 2022-07-12}",
                "n: {start: 2022-07-06, end: 2022-07-12}",
            ),
            ("title: “甲: 乙”", "title: \"甲: 乙\""),
            ("title: ‘他说\"是\": 乙’", "title: '他说\"是\": 乙'"),
        ] {
            let text = format!("---\n{typed}\n---\n");
            let mut diags = Vec::new();
            content::parse_for_fix("a.md", &text, &mut diags);
            assert!(!diags.is_empty(), "{typed}: nothing found");
            let refs: Vec<&Diagnostic> = diags.iter().collect();
            let repaired =
                apply("a.md", &text, &refs).unwrap_or_else(|| panic!("{typed}: {diags:?}"));
            assert_eq!(repaired.text, format!("---\n{meant}\n---\n"), "{typed}");
        }
    }

    #[test]
    fn an_edit_that_does_not_find_its_text_is_not_made() {
        let text = "---\nimpact: 较重\n---\n";
        assert!(apply("a.md", text, &[&diag(2, 7, "：", ": ")]).is_none());
    }
}
