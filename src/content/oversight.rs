//! Loading `content/YEAR/oversight.yaml` (SPEC section 6): the bulletin's date, verified report
//! counts, evaluation scores and case dates. Counts and dates only: no reporter or case detail
//! is ever an input.

use crate::content::fields::{Fields, map_list};
use crate::content::yaml::{Node, Value};
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Date, Located};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Report {
    pub(crate) risk: Located<String>,
    pub(crate) verified: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Evaluation {
    pub(crate) dept: Located<String>,
    pub(crate) post: Located<String>,
    pub(crate) score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Case {
    pub(crate) dept: Located<String>,
    pub(crate) date: Located<Date>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OversightFile {
    pub(crate) file: String,
    /// The 通报's own date (plan 七.(三): 对各科室工作发展情况……进行通报): the bulletin is
    /// issued after the year's checks, not on the notice's dates.
    pub(crate) date: Option<Located<Date>>,
    pub(crate) reports: Vec<Report>,
    pub(crate) evaluation: Vec<Evaluation>,
    pub(crate) cases: Vec<Case>,
}

fn number(file: &str, name: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        Value::Float(_) => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!(
                    "字段 `{name}` 的值“{}”不是有限的数字",
                    node.raw.as_deref().unwrap_or("")
                ),
            ));
            None
        }
        _ => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!("字段 `{name}` 应为数字，实际是{}", node.kind_name()),
            ));
            None
        }
    }
}

pub(crate) fn load(file: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> OversightFile {
    let mut out = OversightFile {
        file: file.to_string(),
        ..OversightFile::default()
    };
    let Some(fields) = Fields::new(
        file,
        root,
        Pos::new(1, 1, 1),
        "oversight.yaml",
        &["date", "reports", "evaluation", "cases"],
        diags,
    ) else {
        return out;
    };
    out.date = fields.opt_date("date", diags);
    if let Some(list) = fields.node("reports") {
        for item in map_list(file, "reports", list, diags) {
            let Some(f) = Fields::new(
                file,
                item,
                item.pos,
                "reports 的一项",
                &["risk", "verified"],
                diags,
            ) else {
                continue;
            };
            let risk = f.text("risk", diags);
            let verified = match f.node("verified") {
                Some(n) => number(file, "verified", n, diags).and_then(|v| {
                    if v >= 0.0 && v.fract() == 0.0 && v < 1e6 {
                        Some(v as u32)
                    } else {
                        diags.push(Diagnostic::new(
                            Rule::InvalidValue,
                            file,
                            n.pos,
                            "verified 应为非负整数（查实的举报次数）",
                        ));
                        None
                    }
                }),
                None => {
                    f.missing("verified", diags);
                    None
                }
            };
            if let (Some(risk), Some(verified)) = (risk, verified) {
                out.reports.push(Report { risk, verified });
            }
        }
    }
    if let Some(list) = fields.node("evaluation") {
        for item in map_list(file, "evaluation", list, diags) {
            let Some(f) = Fields::new(
                file,
                item,
                item.pos,
                "evaluation 的一项",
                &["dept", "post", "score"],
                diags,
            ) else {
                continue;
            };
            let (dept, post) = (f.text("dept", diags), f.text("post", diags));
            let score = match f.node("score") {
                Some(n) => number(file, "score", n, diags),
                None => {
                    f.missing("score", diags);
                    None
                }
            };
            if let (Some(dept), Some(post), Some(score)) = (dept, post, score) {
                out.evaluation.push(Evaluation { dept, post, score });
            }
        }
    }
    if let Some(list) = fields.node("cases") {
        for item in map_list(file, "cases", list, diags) {
            let Some(f) = Fields::new(
                file,
                item,
                item.pos,
                "cases 的一项",
                &["dept", "date"],
                diags,
            ) else {
                continue;
            };
            if let (Some(dept), Some(date)) = (f.text("dept", diags), f.date("date", diags)) {
                out.cases.push(Case { dept, date });
            }
        }
    }
    out
}
