//! Writes a laid-out flowchart as one self-contained `<svg>` element.
//!
//! The output is meant to be pasted into a page as is: no script, no style sheet, no external
//! reference, no `url()` in a `style`; every id prefixed with the caller's diagram id; every
//! text escaped. It scales to the page width (`viewBox`, `width="100%"`, a `max-width` of its
//! natural size), but not below a `min-width` at which its smallest labels are still 11 px: on
//! a phone a wide diagram scrolls in its box (`.flow`) instead of shrinking unreadably. It
//! carries a `<title>` and `<desc>` for screen readers. Numbers are written with one decimal,
//! so the same input gives the same bytes.

use std::fmt::{self, Write};

use crate::escape::xml_string;

use super::RiskMark;
use super::geometry::{Point, Rect};
use super::layered::{self, EdgeSpec, Flow, Graph, Layout, NodeSpec};
use super::look::{self, EdgeLabelLook, Emphasis, NodeLook};
use super::model::{Direction, Flowchart, Shape};

const FONT_FAMILY: &str =
    "'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif";
const TEXT: &str = "#222";
const PLAIN_STROKE: &str = "#34495e";
const PLAIN_FILL: &str = "#ffffff";
const HIDDEN_STROKE: &str = "#7f8c8d";
const EDGE_STROKE: &str = "#34495e";
/// The smallest a diagram is drawn: its smallest labels (12 units) at 11 px.
const MIN_SCALE: f64 = 11.0 / look::EDGE_FONT_SIZE;

pub(crate) fn render(
    chart: &Flowchart,
    diagram_id: &str,
    mark: &dyn Fn(&str) -> RiskMark,
) -> String {
    let nodes = look::node_looks(chart, mark);
    let labels: Vec<Option<EdgeLabelLook>> = chart
        .edges
        .iter()
        .map(|e| e.label.as_deref().map(look::edge_label))
        .collect();
    let graph = Graph {
        nodes: nodes
            .iter()
            .map(|n| NodeSpec {
                size: n.size,
                diamond: n.shape == Shape::Decision,
            })
            .collect(),
        edges: chart
            .edges
            .iter()
            .zip(&labels)
            .map(|(e, label)| EdgeSpec {
                from: e.from,
                to: e.to,
                label: label.as_ref().map(|l| l.size),
            })
            .collect(),
    };
    let flow = match chart.direction {
        Direction::TopDown => Flow::Down,
        Direction::BottomUp => Flow::Up,
        Direction::LeftRight => Flow::Right,
        Direction::RightLeft => Flow::Left,
    };
    let layout = layered::layout(&graph, flow);
    let drawing = Drawing {
        chart,
        id: element_id(diagram_id),
        nodes: &nodes,
        labels: &labels,
        layout: &layout,
        flow,
    };
    let mut out = String::with_capacity(1024 + 600 * nodes.len());
    // Writing to a String cannot fail; an error here would only mean a bug in `fmt`.
    match drawing.write(&mut out) {
        Ok(()) => out,
        Err(fmt::Error) => String::new(),
    }
}

/// The caller's diagram id made safe for `id` attributes and `url(#…)`.
fn element_id(diagram_id: &str) -> String {
    let cleaned: String = diagram_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => cleaned,
        Some(_) => format!("flow-{cleaned}"),
        None => "flow".to_owned(),
    }
}

struct Drawing<'a> {
    chart: &'a Flowchart,
    id: String,
    nodes: &'a [NodeLook],
    labels: &'a [Option<EdgeLabelLook>],
    layout: &'a Layout,
    flow: Flow,
}

impl Drawing<'_> {
    fn write(&self, out: &mut String) -> fmt::Result {
        let (width, height) = (num(self.layout.size.width), num(self.layout.size.height));
        let min_width = (self.layout.size.width * MIN_SCALE).floor();
        let id = &self.id;
        write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="flow" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px;min-width:{min_width}px;height:auto" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" font-family="{FONT_FAMILY}" font-size="{}">"#,
            num(look::FONT_SIZE),
        )?;
        write!(
            out,
            "\n<title id=\"{id}-title\">流程图：{} 个步骤</title>",
            self.nodes.len()
        )?;
        write!(
            out,
            "\n<desc id=\"{id}-desc\">{}</desc>",
            xml_string(&self.description())
        )?;
        write!(
            out,
            "\n<defs><marker id=\"{id}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,1L10,5L0,9z\" fill=\"{EDGE_STROKE}\"/></marker></defs>"
        )?;
        self.write_edges(out)?;
        self.write_edge_labels(out)?;
        out.push_str("\n<g class=\"flow-nodes\">");
        for (look, rect) in self.nodes.iter().zip(&self.layout.nodes) {
            write_node(out, look, rect)?;
        }
        out.push_str("\n</g>\n</svg>");
        Ok(())
    }

    /// The diagram in words: every edge as "from → to", and the steps with no edge.
    fn description(&self) -> String {
        let name = |i: usize| -> String {
            let look = &self.nodes[i];
            match &look.emphasis {
                Emphasis::Plain => look.plain.clone(),
                Emphasis::Hidden => format!("{}（风险点）", look.plain),
                Emphasis::Risk { links } => {
                    let ids: Vec<String> = links
                        .iter()
                        .map(|l| format!("{}风险点 {}", l.grade.name(), l.id))
                        .collect();
                    format!("{}（{}）", look.plain, ids.join("、"))
                }
            }
        };
        let mut parts = Vec::new();
        let mut connected = vec![false; self.nodes.len()];
        for edge in &self.chart.edges {
            connected[edge.from] = true;
            connected[edge.to] = true;
            let link = match &edge.label {
                Some(label) => format!(" →（{}）", label.replace('\n', " ")),
                None => " → ".to_owned(),
            };
            parts.push(format!("{}{link}{}", name(edge.from), name(edge.to)));
        }
        for (i, _) in connected.iter().enumerate().filter(|(_, c)| !**c) {
            parts.push(name(i));
        }
        parts.join("；")
    }

    fn write_edges(&self, out: &mut String) -> fmt::Result {
        write!(
            out,
            "\n<g class=\"flow-edges\" fill=\"none\" stroke=\"{EDGE_STROKE}\" stroke-width=\"1.5\">"
        )?;
        for (edge, route) in self.chart.edges.iter().zip(&self.layout.edges) {
            if route.points.len() < 2 {
                continue;
            }
            write!(out, "\n<path d=\"{}\"", path_data(&route.points, self.flow))?;
            if edge.arrow {
                write!(out, " marker-end=\"url(#{}-arrow)\"", self.id)?;
            }
            out.push_str("/>");
        }
        out.push_str("\n</g>");
        Ok(())
    }

    fn write_edge_labels(&self, out: &mut String) -> fmt::Result {
        if self.labels.iter().all(Option::is_none) {
            return Ok(());
        }
        write!(
            out,
            "\n<g class=\"flow-edge-labels\" font-size=\"{}\" fill=\"{TEXT}\" text-anchor=\"middle\">",
            num(look::EDGE_FONT_SIZE)
        )?;
        for (label, route) in self.labels.iter().zip(&self.layout.edges) {
            let (Some(label), Some(rect)) = (label, route.label) else {
                continue;
            };
            write!(
                out,
                "\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\"/>",
                num(rect.left()),
                num(rect.top()),
                num(rect.size.width),
                num(rect.size.height)
            )?;
            write_lines(
                out,
                &label.lines,
                rect.center,
                look::EDGE_LINE_HEIGHT,
                look::EDGE_FONT_SIZE,
            )?;
        }
        out.push_str("\n</g>");
        Ok(())
    }
}

fn write_node(out: &mut String, look: &NodeLook, rect: &Rect) -> fmt::Result {
    let (class, stroke, fill, width, dash) = match &look.emphasis {
        Emphasis::Plain => ("flow-node".to_owned(), PLAIN_STROKE, PLAIN_FILL, "1.5", ""),
        Emphasis::Hidden => (
            "flow-node flow-risk-hidden".to_owned(),
            HIDDEN_STROKE,
            PLAIN_FILL,
            "1.5",
            " stroke-dasharray=\"5 3\"",
        ),
        Emphasis::Risk { links } => {
            let grade = links[0].grade;
            let (stroke, fill) = grade.colours();
            let class = format!("flow-node flow-risk flow-grade-{}", grade.number());
            (class, stroke, fill, "2.5", "")
        }
    };
    write!(out, "\n<g class=\"{class}\">")?;
    let links: &[look::RiskLink] = match &look.emphasis {
        Emphasis::Risk { links } => links,
        _ => &[],
    };
    if let Some(first) = links.first() {
        write_link_open(out, first)?;
    }
    let paint = format!("fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}");
    match look.shape {
        Shape::Step | Shape::Rounded => {
            let radius = match look.shape {
                Shape::Rounded => (rect.size.height / 2.0).min(18.0),
                _ => 4.0,
            };
            write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {paint}/>",
                num(rect.left()),
                num(rect.top()),
                num(rect.size.width),
                num(rect.size.height),
                num(radius)
            )?;
        }
        Shape::Decision => {
            let c = rect.center;
            write!(
                out,
                "<polygon points=\"{},{} {},{} {},{} {},{}\" {paint}/>",
                num(c.x),
                num(rect.top()),
                num(rect.right()),
                num(c.y),
                num(c.x),
                num(rect.bottom()),
                num(rect.left()),
                num(c.y)
            )?;
        }
    }
    let top = rect.center.y - look.text_height() / 2.0;
    if !look.lines.is_empty() {
        let block = look.lines.len() as f64 * look::LINE_HEIGHT;
        let center = Point::new(rect.center.x, top + block / 2.0);
        write!(out, "<text text-anchor=\"middle\" fill=\"{TEXT}\">")?;
        write_tspans(out, &look.lines, center, look::LINE_HEIGHT, look::FONT_SIZE)?;
        out.push_str("</text>");
    }
    let mut badge_top = top + look.lines.len() as f64 * look::LINE_HEIGHT;
    if !look.lines.is_empty() {
        badge_top += look::BADGE_GAP;
    }
    for (i, badge) in look.badges.iter().enumerate() {
        if i > 0
            && let Some(link) = links.get(i)
        {
            out.push_str("</a>");
            write_link_open(out, link)?;
        }
        let center = Point::new(
            rect.center.x,
            badge_top + (i as f64 + 0.5) * look::BADGE_LINE_HEIGHT,
        );
        write!(
            out,
            "<text text-anchor=\"middle\" fill=\"{TEXT}\" font-size=\"{}\" font-weight=\"bold\">",
            num(look::BADGE_FONT_SIZE)
        )?;
        write_tspans(
            out,
            std::slice::from_ref(badge),
            center,
            look::BADGE_LINE_HEIGHT,
            look::BADGE_FONT_SIZE,
        )?;
        out.push_str("</text>");
    }
    if !links.is_empty() {
        out.push_str("</a>");
    }
    out.push_str("</g>");
    Ok(())
}

fn write_link_open(out: &mut String, link: &look::RiskLink) -> fmt::Result {
    write!(
        out,
        "<a href=\"{}\"><title>{} {}（{}风险点）</title>",
        xml_string(&link.href),
        xml_string(&link.id),
        xml_string(&link.title),
        link.grade.name()
    )
}

/// A `<text>` of centred lines around `center`.
fn write_lines(
    out: &mut String,
    lines: &[String],
    center: Point,
    line_height: f64,
    font_size: f64,
) -> fmt::Result {
    out.push_str("<text>");
    write_tspans(out, lines, center, line_height, font_size)?;
    out.push_str("</text>");
    Ok(())
}

fn write_tspans(
    out: &mut String,
    lines: &[String],
    center: Point,
    line_height: f64,
    font_size: f64,
) -> fmt::Result {
    let top = center.y - lines.len() as f64 * line_height / 2.0;
    for (i, line) in lines.iter().enumerate() {
        // The baseline sits about 0.35em below the middle of the line.
        let baseline = top + (i as f64 + 0.5) * line_height + 0.35 * font_size;
        write!(
            out,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            num(center.x),
            num(baseline),
            xml_string(line)
        )?;
    }
    Ok(())
}

/// SVG path data: straight segments stay straight; a segment that changes both coordinates
/// crosses a channel between layers and becomes an S-curve along the flow, which stays inside
/// the segment's bounding box (so inside the channel).
fn path_data(points: &[Point], flow: Flow) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    d.push_str(&format!("M{},{}", num(first.x), num(first.y)));
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let straight = (a.x - b.x).abs() < 0.05 || (a.y - b.y).abs() < 0.05;
        if straight {
            d.push_str(&format!("L{},{}", num(b.x), num(b.y)));
        } else if flow.is_horizontal() {
            let mid = (a.x + b.x) / 2.0;
            d.push_str(&format!(
                "C{},{} {},{} {},{}",
                num(mid),
                num(a.y),
                num(mid),
                num(b.y),
                num(b.x),
                num(b.y)
            ));
        } else {
            let mid = (a.y + b.y) / 2.0;
            d.push_str(&format!(
                "C{},{} {},{} {},{}",
                num(a.x),
                num(mid),
                num(b.x),
                num(mid),
                num(b.x),
                num(b.y)
            ));
        }
    }
    d
}

/// A coordinate with at most one decimal, no trailing `.0`, never `-0`.
fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let tenths = (value * 10.0).round() as i64;
    let (sign, tenths) = if tenths < 0 {
        ("-", -tenths)
    } else {
        ("", tenths)
    };
    if tenths % 10 == 0 {
        format!("{sign}{}", tenths / 10)
    } else {
        format!("{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_one_decimal_and_no_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(-3.25), "-3.3");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn element_ids_are_made_safe() {
        assert_eq!(element_id("flow-caiwu-1"), "flow-caiwu-1");
        assert_eq!(element_id("财务 1"), "flow-___1");
        assert_eq!(element_id(""), "flow");
        assert_eq!(element_id("\"><script>"), "flow-___script_");
    }
}
