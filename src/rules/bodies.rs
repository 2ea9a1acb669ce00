//! Rules on Markdown bodies, for the points, the departments and the year: `unsafe-html` (raw
//! HTML or links the build will remove), `flow-syntax` (a flow diagram that does not parse) and
//! `unknown-reference` (a diagram's `@ID` naming no risk point of the year, or a link to a node
//! never given its text).

use std::collections::HashSet;

use rayon::prelude::*;

use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::flow::{self, FlowErrorKind};
use crate::markdown_scan;
use crate::model::RiskPoint;
use crate::rules::{Context, PerPoint};

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    let others: Vec<(&String, &String, usize)> = year
        .departments
        .iter()
        .map(|d| (&d.file, &d.body, d.body_line))
        .chain(year.info.iter().map(|i| (&i.file, &i.body, i.body_line)))
        .collect();
    // Only a diagram names other points: the ids are gathered only if there is one. A point
    // whose file did not load still exists (its own errors are reported), so its id counts.
    let unloaded = std::sync::OnceLock::new();
    let ids = std::sync::OnceLock::new();
    let ids = || {
        ids.get_or_init(|| {
            let unloaded = unloaded.get_or_init(|| year.unloaded_points());
            KnownIds {
                ids: year
                    .points
                    .iter()
                    .map(|p| p.id.value.as_str())
                    .chain(unloaded.iter().filter_map(|u| u.id.as_deref()))
                    .collect(),
                // A point file that could not be read at all may hold any id.
                open: unloaded.iter().any(|u| !u.readable),
            }
        })
    };
    match &cx.found {
        // The points' own findings were kept: only their diagrams are looked at again.
        Some(found) => {
            for (p, found) in year.points.iter().zip(found.iter()) {
                out.extend(found.of(PerPoint::Body).iter().cloned());
                if found.has_fence {
                    check_flows(&p.file, &p.body, p.body_line, ids(), out);
                }
            }
            for (file, body, line) in others {
                out.extend(check_body(file, body, line, ids()));
            }
        }
        None => {
            let bodies: Vec<(&String, &String, usize)> = year
                .points
                .iter()
                .map(|p| (&p.file, &p.body, p.body_line))
                .chain(others)
                .collect();
            // Each body is parsed on its own, so they are checked in parallel (in order, so the
            // diagnostics come out as before); serially the scan was a tenth of `check`.
            let ids = ids();
            let found: Vec<Vec<Diagnostic>> = bodies
                .par_iter()
                .map(|(file, body, line)| check_body(file, body, *line, ids))
                .collect();
            out.extend(found.into_iter().flatten());
        }
    }
}

/// What a point's body alone may break (removed HTML), and whether it may hold a diagram,
/// whose references are checked against the year every time.
pub(crate) fn point(_cx: &Context, point: &RiskPoint, out: &mut Vec<Diagnostic>) -> bool {
    out.extend(markdown_scan::scan(
        &point.body,
        point.body_line,
        &point.file,
    ));
    has_fence(&point.body)
}

/// Whether `body` may hold a fenced code block (``` or ~~~): a quick test before looking for
/// flow diagrams. `find` with a single character uses memchr, where `contains("```")` ran a
/// substring search over every body twice.
fn has_fence(body: &str) -> bool {
    ['`', '~'].into_iter().any(|mark| {
        let mut rest = body;
        while let Some(at) = rest.find(mark) {
            rest = &rest[at + 1..];
            if rest.as_bytes().starts_with(&[mark as u8; 2]) {
                return true;
            }
        }
        false
    })
}

/// The ids a diagram's `@ID` may name.
struct KnownIds<'y> {
    ids: HashSet<&'y str>,
    /// Some point's file could not be read (an `encoding` error): an id not among `ids` may
    /// be its, so none is reported (one mistake, one message).
    open: bool,
}

impl KnownIds<'_> {
    fn knows(&self, id: &str) -> bool {
        self.open || self.ids.contains(id)
    }

    /// What to write instead of `wrong`: the nearest id of the year (never `wrong` itself,
    /// which is not one), or any one of them.
    fn hint(&self, wrong: &str) -> String {
        let lower = wrong.to_lowercase();
        let nearest = self
            .ids
            .iter()
            .map(|id| (strsim::damerau_levenshtein(&lower, &id.to_lowercase()), *id))
            .filter(|(distance, id)| *distance <= 2.max(id.len() / 3))
            .min();
        if let Some((_, id)) = nearest {
            return format!("是否想写 @{id}？@ 后写本年度某个风险点的编号");
        }
        match self.ids.iter().min() {
            Some(id) => format!("@ 后写本年度某个风险点的编号，例如 @{id}"),
            None => "@ 后写本年度某个风险点的编号；本年度还没有风险点".to_string(),
        }
    }
}

fn check_body(file: &str, body: &str, line: usize, ids: &KnownIds) -> Vec<Diagnostic> {
    let mut out = markdown_scan::scan(body, line, file);
    if has_fence(body) {
        check_flows(file, body, line, ids, &mut out);
    }
    out
}

/// `flow-syntax` and the `unknown-reference`s of a body's diagrams.
fn check_flows(file: &str, body: &str, line: usize, ids: &KnownIds, out: &mut Vec<Diagnostic>) {
    for block in markdown_scan::flow_blocks(body, line) {
        // Positions from the diagram parser count within the block's text; a block inside a
        // list item or a quote has the container's indent or `> ` before each line.
        let at = |l: usize, c: usize, len: usize| {
            let (line, column) = block.file_pos(l, c);
            Pos::new(line, column, len)
        };
        match flow::parse(&block.source) {
            Err(e) => {
                let d = match &e.kind {
                    // SPEC section 5: a flow node reference that does not exist.
                    FlowErrorKind::UndefinedNode { key } => Diagnostic::new(
                        Rule::UnknownReference,
                        file,
                        at(e.line, e.column, key.chars().count()),
                        format!("流程图引用的节点 \"{key}\" 不存在：没有在任何地方写明它的文字"),
                    ),
                    FlowErrorKind::Redefined { key, earlier_line } => Diagnostic::new(
                        Rule::FlowSyntax,
                        file,
                        at(e.line, e.column, 1),
                        format!(
                            "流程图语法错误：节点 \"{key}\" 已在第 {} 行定义",
                            block.file_pos(*earlier_line, 1).0
                        ),
                    ),
                    FlowErrorKind::Syntax => Diagnostic::new(
                        Rule::FlowSyntax,
                        file,
                        at(e.line, e.column, 1),
                        format!("流程图语法错误：{}", e.message),
                    ),
                };
                out.push(match e.hint {
                    Some(h) => d.with_hint(h),
                    None => d,
                });
            }
            Ok(chart) => {
                for r in chart.risk_refs().iter().filter(|r| !ids.knows(&r.id)) {
                    out.push(
                        Diagnostic::new(
                            Rule::UnknownReference,
                            file,
                            at(r.line, r.column, r.id.chars().count() + 1),
                            format!("流程图标记的风险点 @{} 不存在", r.id),
                        )
                        .with_hint(ids.hint(&r.id)),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_are_found_anywhere() {
        for body in ["```flow\n", "a\n~~~\n", "`a` ``b`` ```", "x~~y~~~"] {
            assert!(has_fence(body), "{body}");
        }
        for body in ["", "`a` ``b``", "~~删除~~", "`~`~`"] {
            assert!(!has_fence(body), "{body}");
        }
    }
}
