//! What a person at a terminal reads of a run's diagnostics, in the order they can act on it.
//!
//! Errors come last, nearest the prompt, each in full: they are what stops the build. Warnings
//! come first; when one rule has warned in more than `FOLD_OVER` files, its warnings fold into
//! one line that says how many and names a few files (after `carry`, a year has every point
//! unapproved: 470 near-identical `not-approved` warnings buried the one error among them).
//! Several warnings in one file (the pieces of HTML removed from one body) stay in full.
//! `-v` shows every warning in full, `-q` none. Only this text is arranged: the JSON of
//! `--format json` is every diagnostic, in the order `check` found them.
//!
//! In: the diagnostics (or import's findings), with how to describe and render each. Out: the
//! text blocks to print, in order.

use std::fmt::Write as _;

use anstyle::AnsiColor;

use crate::check::Verbosity;
use crate::diagnostic::{self, Diagnostic, Severity};

/// A rule that warns in more files than this has its warnings folded into one line (without
/// `-v`).
pub(crate) const FOLD_OVER: usize = 3;

/// How many places a folded line names.
const NAMED: usize = 3;

/// What an item is, for arranging it: its rule's name, its severity, and where it is (a file).
pub(crate) struct Described {
    pub(crate) rule: &'static str,
    pub(crate) severity: Severity,
    pub(crate) place: String,
}

/// One block of the text: an item in full, or a rule's warnings folded.
pub(crate) enum Shown<'t, T> {
    Full(&'t T),
    Folded(Fold),
}

/// The warnings of one rule, folded into one line.
pub(crate) struct Fold {
    rule: &'static str,
    count: usize,
    /// The distinct places, in order.
    places: Vec<String>,
}

/// The items in the order and shape a person reads them: warnings in full (or folded, per
/// rule, past `FOLD_OVER` without `-v`; none with `-q`), then every error in full.
pub(crate) fn arrange<'t, T: 't>(
    items: impl IntoIterator<Item = &'t T>,
    describe: impl Fn(&T) -> Described,
    verbosity: Verbosity,
) -> Vec<Shown<'t, T>> {
    let mut warnings: Vec<&T> = Vec::new();
    let mut errors: Vec<&T> = Vec::new();
    for item in items {
        match describe(item).severity {
            Severity::Error => errors.push(item),
            Severity::Warning if verbosity != Verbosity::Quiet => warnings.push(item),
            Severity::Warning => {}
        }
    }
    // The files each rule warns in.
    let mut per_rule: Vec<(&'static str, Vec<String>)> = Vec::new();
    for w in &warnings {
        let d = describe(w);
        match per_rule.iter_mut().find(|(r, _)| *r == d.rule) {
            Some((_, places)) if places.contains(&d.place) => {}
            Some((_, places)) => places.push(d.place),
            None => per_rule.push((d.rule, vec![d.place])),
        }
    }
    let folded = |rule: &str| {
        verbosity == Verbosity::Normal
            && per_rule
                .iter()
                .any(|(r, places)| *r == rule && places.len() > FOLD_OVER)
    };
    let mut shown: Vec<Shown<T>> = Vec::new();
    let mut folds: Vec<Fold> = Vec::new();
    for w in warnings {
        let d = describe(w);
        if !folded(d.rule) {
            shown.push(Shown::Full(w));
            continue;
        }
        let fold = match folds.iter_mut().position(|f| f.rule == d.rule) {
            Some(i) => &mut folds[i],
            None => {
                folds.push(Fold {
                    rule: d.rule,
                    count: 0,
                    places: Vec::new(),
                });
                let last = folds.len() - 1;
                &mut folds[last]
            }
        };
        fold.count += 1;
        if !fold.places.contains(&d.place) {
            fold.places.push(d.place);
        }
    }
    shown.extend(folds.into_iter().map(Shown::Folded));
    shown.extend(errors.into_iter().map(Shown::Full));
    shown
}

impl Fold {
    /// The folded line: how many, of what, and a few of the places.
    pub(crate) fn render(&self, color: bool) -> String {
        let label = format!("{}[{}]", Severity::Warning.label(), self.rule);
        let label = if color {
            let style = AnsiColor::Yellow.on_default().bold();
            format!("{}{label}{}", style.render(), style.render_reset())
        } else {
            label
        };
        let n = self.count;
        let what = match self.rule {
            "not-approved" => format!("{n} 个风险点尚未完成审批，不予公示"),
            "late" => format!("{n} 个风险点的填报日期晚于组织实施阶段"),
            "over-graded" => format!("{n} 个风险点定级高于计算等级（从严定级）"),
            "unsafe-html" => format!("{n} 处原始 HTML 已被移除或改写"),
            "ignored-file" => format!("{n} 个文件未被读取"),
            rule => format!("{n} 个 {rule} 警告"),
        };
        let mut named: Vec<&str> = self.places.iter().take(NAMED).map(String::as_str).collect();
        if self.places.len() > NAMED {
            named.push("……");
        }
        let mut out = String::new();
        let _ = writeln!(out, "{label}: {what}");
        let _ = writeln!(
            out,
            "  = 见 {}（共 {} 个文件）；加 -v 逐条列出",
            named.join("、"),
            self.places.len()
        );
        out
    }
}

/// The diagnostics as `check` prints them to a terminal: arranged (`arrange`), each in full
/// with its source line (`source` gives a file's text) or folded.
pub(crate) fn render_diagnostics<'d>(
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
    source: impl Fn(&str) -> Option<&'d str>,
    color: bool,
    verbosity: Verbosity,
) -> Vec<String> {
    arrange(diagnostics, describe_diagnostic, verbosity)
        .into_iter()
        .map(|shown| match shown {
            Shown::Full(d) => diagnostic::render_human(d, source(&d.file), color),
            Shown::Folded(fold) => fold.render(color),
        })
        .collect()
}

/// How `arrange` sees a diagnostic.
pub(crate) fn describe_diagnostic(d: &Diagnostic) -> Described {
    Described {
        rule: d.rule.name(),
        severity: d.severity(),
        place: d.file.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Pos, Rule};

    fn diag(rule: Rule, file: &str) -> Diagnostic {
        Diagnostic::new(rule, file, Pos::new(1, 1, 1), "x")
    }

    fn layout(diags: &[Diagnostic], verbosity: Verbosity) -> Vec<String> {
        arrange(diags, describe_diagnostic, verbosity)
            .into_iter()
            .map(|s| match s {
                Shown::Full(d) => format!("{} {}", d.rule.name(), d.file),
                Shown::Folded(f) => format!("{}×{}", f.rule, f.count),
            })
            .collect()
    }

    #[test]
    fn many_warnings_of_a_rule_fold_and_errors_come_last() {
        let mut diags: Vec<Diagnostic> = (0..5)
            .map(|i| diag(Rule::NotApproved, &format!("p{i}.md")))
            .collect();
        diags.insert(2, diag(Rule::UnderGraded, "p2.md"));
        diags.push(diag(Rule::Late, "p9.md"));
        assert_eq!(
            layout(&diags, Verbosity::Normal),
            ["late p9.md", "not-approved×5", "under-graded p2.md"]
        );
        let verbose = layout(&diags, Verbosity::Verbose);
        assert_eq!(verbose.len(), 7);
        assert_eq!(
            verbose.last().map(String::as_str),
            Some("under-graded p2.md")
        );
        assert_eq!(layout(&diags, Verbosity::Quiet), ["under-graded p2.md"]);
    }

    #[test]
    fn warnings_in_a_few_files_are_shown_in_full() {
        let diags: Vec<Diagnostic> = (0..FOLD_OVER)
            .map(|i| diag(Rule::NotApproved, &format!("p{i}.md")))
            .chain((0..6).map(|_| diag(Rule::UnsafeHtml, "body.md")))
            .collect();
        assert_eq!(layout(&diags, Verbosity::Normal).len(), FOLD_OVER + 6);
    }

    #[test]
    fn the_folded_line_names_a_few_files() {
        let fold = Fold {
            rule: "not-approved",
            count: 23,
            places: (0..20).map(|i| format!("content/2023/p{i}.md")).collect(),
        };
        let text = fold.render(false);
        assert!(
            text.starts_with("警告[not-approved]: 23 个风险点尚未完成审批，不予公示\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "content/2023/p0.md、content/2023/p1.md、content/2023/p2.md、……（共 20 个文件）"
            ),
            "{text}"
        );
    }
}
