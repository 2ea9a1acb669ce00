//! How each node looks to the audience of a build: its label without `@ID`s, wrapped; its risk
//! badge lines; its colours; and the size all that needs.
//!
//! This is the one place where [`RiskMark`]s are read. A hidden point contributes the word
//! 风险点 and nothing else: its id, title, grade and link are not even copied into a
//! [`NodeLook`], so no later stage can leak them.

use std::collections::HashMap;

use super::RiskMark;
use super::geometry::Size;
use super::model::{Flowchart, Shape};
use super::parse::is_id_char;
use super::text::{text_width, wrap};

pub(crate) const FONT_SIZE: f64 = 14.0;
pub(crate) const LINE_HEIGHT: f64 = 20.0;
pub(crate) const BADGE_FONT_SIZE: f64 = 12.0;
pub(crate) const BADGE_LINE_HEIGHT: f64 = 17.0;
/// Between the label and the badges.
pub(crate) const BADGE_GAP: f64 = 3.0;
pub(crate) const EDGE_FONT_SIZE: f64 = 12.0;
pub(crate) const EDGE_LINE_HEIGHT: f64 = 16.0;

const PAD_X: f64 = 14.0;
const PAD_Y: f64 = 9.0;
const MIN_WIDTH: f64 = 80.0;
const EDGE_PAD_X: f64 = 5.0;
const EDGE_PAD_Y: f64 = 2.0;
/// Wrapping widths in em: about 12 CJK characters in a step, fewer in a diamond, whose text
/// area is half its width.
const STEP_WRAP: f64 = 12.0;
const DECISION_WRAP: f64 = 8.0;
const EDGE_WRAP: f64 = 10.0;
/// Bold badge text runs a little wider than the estimate for regular text.
const BOLD: f64 = 1.06;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Grade {
    One,
    Two,
    Three,
}

impl Grade {
    fn from_number(grade: u8) -> Grade {
        match grade {
            0 | 1 => Grade::One,
            2 => Grade::Two,
            _ => Grade::Three,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Grade::One => "一级",
            Grade::Two => "二级",
            Grade::Three => "三级",
        }
    }

    pub(crate) fn number(self) -> u8 {
        match self {
            Grade::One => 1,
            Grade::Two => 2,
            Grade::Three => 3,
        }
    }

    /// (stroke, fill): the colours the site's stylesheet uses for the grades.
    pub(crate) fn colours(self) -> (&'static str, &'static str) {
        match self {
            Grade::One => ("#c0392b", "#fdecea"),
            Grade::Two => ("#d35400", "#fdf0e6"),
            Grade::Three => ("#b7950b", "#fef9e7"),
        }
    }
}

/// A published risk point named on a node.
#[derive(Debug, Clone)]
pub(crate) struct RiskLink {
    pub(crate) id: String,
    pub(crate) grade: Grade,
    pub(crate) href: String,
    pub(crate) title: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Emphasis {
    Plain,
    /// The node's published risk points, most severe first; `links` is never empty.
    Risk {
        links: Vec<RiskLink>,
    },
    /// Only unpublished points: the node says 风险点, nothing more.
    Hidden,
}

#[derive(Debug, Clone)]
pub(crate) struct NodeLook {
    pub(crate) shape: Shape,
    /// The label without `@ID`s, as one line per paragraph (for the text description).
    pub(crate) plain: String,
    /// The label wrapped to fit the shape.
    pub(crate) lines: Vec<String>,
    /// One line per published risk point, or 风险点 for hidden ones.
    pub(crate) badges: Vec<String>,
    pub(crate) emphasis: Emphasis,
    pub(crate) size: Size,
}

impl NodeLook {
    /// The height of label and badges together.
    pub(crate) fn text_height(&self) -> f64 {
        let label = self.lines.len() as f64 * LINE_HEIGHT;
        let badges = self.badges.len() as f64 * BADGE_LINE_HEIGHT;
        let gap = if self.lines.is_empty() || self.badges.is_empty() {
            0.0
        } else {
            BADGE_GAP
        };
        label + gap + badges
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EdgeLabelLook {
    pub(crate) lines: Vec<String>,
    pub(crate) size: Size,
}

pub(crate) fn node_looks(chart: &Flowchart, mark: &dyn Fn(&str) -> RiskMark) -> Vec<NodeLook> {
    let mut marks: HashMap<&str, RiskMark> = HashMap::new();
    for node in &chart.nodes {
        for id in &node.risk_ids {
            marks.entry(id.as_str()).or_insert_with(|| mark(id));
        }
    }
    chart
        .nodes
        .iter()
        .map(|node| {
            let mut links = Vec::new();
            let mut hidden = false;
            for id in &node.risk_ids {
                match marks.get(id.as_str()) {
                    Some(RiskMark::Visible { grade, href, title }) => links.push(RiskLink {
                        id: id.clone(),
                        grade: Grade::from_number(*grade),
                        href: href.clone(),
                        title: title.clone(),
                    }),
                    Some(RiskMark::Hidden) => hidden = true,
                    Some(RiskMark::Unknown) | None => {}
                }
            }
            links.sort_by_key(|link| link.grade);
            let (emphasis, badges) = if !links.is_empty() {
                let badges = links
                    .iter()
                    .map(|l| format!("{}风险点 · {}", l.grade.name(), l.id))
                    .collect();
                (Emphasis::Risk { links }, badges)
            } else if hidden {
                (Emphasis::Hidden, vec!["风险点".to_owned()])
            } else {
                (Emphasis::Plain, Vec::new())
            };
            let plain = strip_refs(&node.text);
            let wrap_width = match node.shape {
                Shape::Decision => DECISION_WRAP,
                Shape::Step | Shape::Rounded => STEP_WRAP,
            };
            let lines = wrap(&plain, wrap_width);
            let mut look = NodeLook {
                shape: node.shape,
                plain: plain.replace('\n', " "),
                lines,
                badges,
                emphasis,
                size: Size {
                    width: 0.0,
                    height: 0.0,
                },
            };
            look.size = node_size(&look);
            look
        })
        .collect()
}

fn node_size(look: &NodeLook) -> Size {
    let label = look
        .lines
        .iter()
        .map(|l| text_width(l) * FONT_SIZE)
        .fold(0.0, f64::max);
    let badges = look
        .badges
        .iter()
        .map(|b| text_width(b) * BADGE_FONT_SIZE * BOLD)
        .fold(0.0, f64::max);
    let (width, height) = (label.max(badges), look.text_height());
    match look.shape {
        Shape::Step => Size {
            width: (width + 2.0 * PAD_X).max(MIN_WIDTH),
            height: (height + 2.0 * PAD_Y).max(36.0),
        },
        Shape::Rounded => Size {
            width: (width + 2.0 * PAD_X + 12.0).max(MIN_WIDTH),
            height: (height + 2.0 * PAD_Y).max(36.0),
        },
        // The text box fits a diamond twice its size, corner on the diamond's edge.
        Shape::Decision => Size {
            width: (2.0 * (width + 12.0)).max(MIN_WIDTH + 20.0),
            height: (2.0 * (height + 6.0)).max(48.0),
        },
    }
}

/// The label with every `@ID` removed, together with the spaces before it.
fn strip_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '@' && chars.peek().is_some_and(char::is_ascii_alphanumeric) {
            while chars.peek().is_some_and(|&n| is_id_char(n)) {
                chars.next();
            }
            let kept = out.trim_end_matches([' ', '\t', '\u{3000}']).len();
            out.truncate(kept);
            continue;
        }
        out.push(c);
    }
    out.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn edge_label(text: &str) -> EdgeLabelLook {
    let lines = wrap(text, EDGE_WRAP);
    let width = lines
        .iter()
        .map(|l| text_width(l) * EDGE_FONT_SIZE)
        .fold(0.0, f64::max);
    let size = Size {
        width: width + 2.0 * EDGE_PAD_X,
        height: lines.len() as f64 * EDGE_LINE_HEIGHT + 2.0 * EDGE_PAD_Y,
    };
    EdgeLabelLook { lines, size }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_stripped_with_the_space_before_them() {
        assert_eq!(strip_refs("合同签订 @YJK-01"), "合同签订");
        assert_eq!(strip_refs("@YJK-01 合同签订"), "合同签订");
        assert_eq!(strip_refs("合同签订@YJK-01，审核"), "合同签订，审核");
        assert_eq!(strip_refs("审核 @A @B\n复核"), "审核\n复核");
        assert_eq!(strip_refs("邮箱 a@ b"), "邮箱 a@ b");
    }

    #[test]
    fn grades_outside_one_to_three_are_clamped() {
        assert_eq!(Grade::from_number(0), Grade::One);
        assert_eq!(Grade::from_number(2), Grade::Two);
        assert_eq!(Grade::from_number(9), Grade::Three);
    }
}
