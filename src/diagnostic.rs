//! Diagnostics: what the checker found, where, under which rule, and how to print it.
//!
//! A `Diagnostic` carries the rule's stable name (SPEC section 5), the file relative to the
//! site root, and the line:column of the offending key or value. Printers turn a list of them
//! into rustc-style human text (source line and caret) or a JSON array.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// A position in a file: 1-based line, 1-based column counted in characters, and the length
/// of the token in characters (at least 1) for the caret under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub(crate) len: usize,
}

impl Pos {
    pub(crate) fn new(line: usize, column: usize, len: usize) -> Pos {
        Pos {
            line,
            column,
            len: len.max(1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word before `[rule]` in the human text: 错误, 警告, for the liaisons who read it. The
    /// rule's stable name stays in the brackets (`错误[under-graded]`), and JSON keeps `error`
    /// and `warning` (SPEC section 8).
    pub(crate) fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// Every rule of SPEC section 5, by its stable name (and `ignored-file`, `key-post-flow` and
/// `hidden-mention`, which gongshi adds: docs/SPEC.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    FrontMatter,
    YamlSyntax,
    Encoding,
    UnknownField,
    MissingField,
    InvalidValue,
    DuplicateId,
    UnknownReference,
    LevelLocation,
    LevelField,
    UnderGraded,
    OverGraded,
    Responsibility,
    MeasuresMissing,
    ReviewOrder,
    NotApproved,
    Late,
    UnsafeHtml,
    FlowSyntax,
    /// Extension of SPEC section 5: a file that looks like content but is not read.
    IgnoredFile,
    /// Extension: a key post (风险重点防范岗位) with no 工作流程 diagram (plan 七.(三)).
    KeyPostFlow,
    /// Extension: free text a notice shows names a point that its readers may not see.
    HiddenMention,
    /// Extension: a content file larger than the loader reads (src/content/mod.rs).
    FileTooLarge,
    /// Extension: a Markdown body larger than the renderer takes (src/markdown_scan/nesting.rs).
    BodyTooLarge,
    /// Extension: a Markdown body nested deeper than the renderer takes.
    BodyNesting,
}

impl Rule {
    /// Every rule, for the tests that hold each to its name and severity.
    #[cfg(test)]
    pub(crate) const ALL: [Rule; 25] = [
        Rule::FrontMatter,
        Rule::YamlSyntax,
        Rule::Encoding,
        Rule::UnknownField,
        Rule::MissingField,
        Rule::InvalidValue,
        Rule::DuplicateId,
        Rule::UnknownReference,
        Rule::LevelLocation,
        Rule::LevelField,
        Rule::UnderGraded,
        Rule::OverGraded,
        Rule::Responsibility,
        Rule::MeasuresMissing,
        Rule::ReviewOrder,
        Rule::NotApproved,
        Rule::Late,
        Rule::UnsafeHtml,
        Rule::FlowSyntax,
        Rule::IgnoredFile,
        Rule::KeyPostFlow,
        Rule::HiddenMention,
        Rule::FileTooLarge,
        Rule::BodyTooLarge,
        Rule::BodyNesting,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Rule::FrontMatter => "front-matter",
            Rule::YamlSyntax => "yaml-syntax",
            Rule::Encoding => "encoding",
            Rule::UnknownField => "unknown-field",
            Rule::MissingField => "missing-field",
            Rule::InvalidValue => "invalid-value",
            Rule::DuplicateId => "duplicate-id",
            Rule::UnknownReference => "unknown-reference",
            Rule::LevelLocation => "level-location",
            Rule::LevelField => "level-field",
            Rule::UnderGraded => "under-graded",
            Rule::OverGraded => "over-graded",
            Rule::Responsibility => "responsibility",
            Rule::MeasuresMissing => "measures-missing",
            Rule::ReviewOrder => "review-order",
            Rule::NotApproved => "not-approved",
            Rule::Late => "late",
            Rule::UnsafeHtml => "unsafe-html",
            Rule::FlowSyntax => "flow-syntax",
            Rule::IgnoredFile => "ignored-file",
            Rule::KeyPostFlow => "key-post-flow",
            Rule::HiddenMention => "hidden-mention",
            Rule::FileTooLarge => "file-too-large",
            Rule::BodyTooLarge => "body-too-large",
            Rule::BodyNesting => "body-nesting",
        }
    }

    pub(crate) fn severity(self) -> Severity {
        match self {
            Rule::OverGraded
            | Rule::NotApproved
            | Rule::Late
            | Rule::UnsafeHtml
            | Rule::IgnoredFile
            | Rule::KeyPostFlow
            | Rule::HiddenMention => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    /// The file, relative to the site root, with `/` separators.
    pub file: String,
    pub pos: Pos,
    pub message: String,
    pub(crate) hint: Option<String>,
    /// The repair `check --fix` makes, when it is sure of it (not part of the JSON output).
    pub(crate) fix: Vec<Edit>,
}

/// One edit of a repair: on `line`, the text `expected` starting at character `column` (both
/// 1-based, in the whole file) becomes `replacement`. `check --fix` makes it only when the
/// text there is still `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) expected: String,
    pub(crate) replacement: String,
}

impl Diagnostic {
    pub(crate) fn new(rule: Rule, file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            file: file.to_string(),
            pos,
            message: message.into(),
            hint: None,
            fix: Vec::new(),
        }
    }

    /// The repair that `check --fix` may make.
    pub(crate) fn with_fix(mut self, fix: Vec<Edit>) -> Diagnostic {
        self.fix = fix;
        self
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn severity(&self) -> Severity {
        self.rule.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Sorts diagnostics by file, then position, then rule: the order people read files in.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.pos.line, a.pos.column, a.rule).cmp(&(
            &b.file,
            b.pos.line,
            b.pos.column,
            b.rule,
        ))
    });
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: Rule,
    severity: Severity,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// One JSON array of `{rule, severity, file, line, column, message}` (and `hint` when there is one).
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            rule: d.rule,
            severity: d.severity(),
            file: &d.file,
            line: d.pos.line,
            column: d.pos.column,
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string())
}

/// rustc-style text for one diagnostic. `source` is the file's text, when it could be read;
/// `color` adds ANSI styles (the caller decides: terminal and no `NO_COLOR`).
pub fn render_human(d: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let line_no = d.pos.line.to_string();
    let quote = source
        .and_then(|s| {
            s.trim_start_matches('\u{feff}')
                .lines()
                .nth(d.pos.line.saturating_sub(1))
        })
        .map(|text_line| {
            let text_line = text_line.trim_end_matches('\r');
            let before: String = text_line
                .chars()
                .take(d.pos.column.saturating_sub(1))
                .collect();
            let token: String = text_line
                .chars()
                .skip(d.pos.column.saturating_sub(1))
                .take(d.pos.len.max(1))
                .collect();
            Quote {
                number: line_no.clone(),
                text: text_line.replace('\t', "    "),
                pad: " ".repeat(before.replace('\t', "    ").width()),
                carets: "^".repeat(token.width().max(1)),
            }
        });
    Report {
        severity: d.severity(),
        rule: d.rule.name(),
        message: &d.message,
        gutter: " ".repeat(line_no.len()),
        location: format!("{}:{}:{}", d.file, d.pos.line, d.pos.column),
        quote,
        hint: d.hint.as_deref(),
    }
    .render(color)
}

/// The layout of every message gongshi prints for a person, rustc's: `标签[rule]: message`,
/// `--> where`, the quoted line with carets under the mistake, and `= 提示: hint`. Used for the
/// content's diagnostics and for the findings in an imported workbook (src/sheet/report.rs).
pub(crate) struct Report<'a> {
    pub(crate) severity: Severity,
    pub(crate) rule: &'a str,
    pub(crate) message: &'a str,
    /// Blanks as wide as the quoted line's number, which the other lines are indented by.
    pub(crate) gutter: String,
    pub(crate) location: String,
    pub(crate) quote: Option<Quote>,
    pub(crate) hint: Option<&'a str>,
}

/// A quoted line: its number (or cell), its text, and carets under the mistake after `pad`.
pub(crate) struct Quote {
    pub(crate) number: String,
    pub(crate) text: String,
    pub(crate) pad: String,
    pub(crate) carets: String,
}

impl Report<'_> {
    pub(crate) fn render(&self, color: bool) -> String {
        let paint = |style: Style, text: &str| -> String {
            if color {
                format!("{}{text}{}", style.render(), style.render_reset())
            } else {
                text.to_string()
            }
        };
        let label_style = match self.severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        };
        let blue = AnsiColor::Blue.on_default().bold();
        let bold = Style::new().bold();
        let gutter = &self.gutter;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}{} {}",
            paint(
                label_style,
                &format!("{}[{}]", self.severity.label(), self.rule)
            ),
            paint(bold, ":"),
            paint(bold, self.message)
        );
        let _ = writeln!(out, "{gutter}{} {}", paint(blue, "-->"), self.location);
        if let Some(q) = &self.quote {
            let _ = writeln!(out, "{gutter} {}", paint(blue, "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                paint(blue, &q.number),
                paint(blue, "|"),
                q.text
            );
            let _ = writeln!(
                out,
                "{gutter} {} {}{}",
                paint(blue, "|"),
                q.pad,
                paint(label_style, &q.carets)
            );
        }
        if let Some(hint) = self.hint {
            let _ = writeln!(out, "{gutter} {} 提示: {hint}", paint(blue, "="));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }

    #[test]
    fn only_the_warning_rules_are_warnings() {
        let warnings: Vec<&str> = Rule::ALL
            .iter()
            .filter(|r| r.severity() == Severity::Warning)
            .map(|r| r.name())
            .collect();
        assert_eq!(
            warnings,
            [
                "over-graded",
                "not-approved",
                "late",
                "unsafe-html",
                "ignored-file",
                "key-post-flow",
                "hidden-mention"
            ]
        );
    }

    #[test]
    fn caret_sits_under_a_cjk_value() {
        let d = Diagnostic::new(Rule::InvalidValue, "a.md", Pos::new(2, 8, 2), "坏值");
        let text = render_human(&d, Some("---\ngrade: 四级\n---\n"), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[3], "2 | grade: 四级");
        assert_eq!(lines[4], "  |        ^^^^");
    }
}
