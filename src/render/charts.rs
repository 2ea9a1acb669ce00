//! Charts drawn at build time as inline SVG (no JavaScript): the likelihood × impact matrix,
//! bars by grade, level and category, and the phase timeline. Labels are escaped; colours
//! match the theme's grade colours, and every bar and cell also says its value in text.

use std::fmt::Write as _;

use crate::model::{Impact, Term, YearInfo};
use crate::render::view::YearView;

pub(crate) const GRADE_STROKE: [&str; 3] = ["#c0392b", "#d35400", "#b7950b"];
pub(crate) const GRADE_FILL: [&str; 3] = ["#fdecea", "#fdf0e6", "#fef9e7"];
const FONT: &str = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Source Han Sans SC, sans-serif";

// Labels are escaped as the diagrams' are (XML-safe, control characters dropped).
use crate::escape::xml_string as escape;

/// The 3 × 3 heat map (plan 六.(二).4): rows likelihood 高/较高/较小, columns impact
/// 严重/较为严重/一般影响或一定经济损失, each cell coloured by its grade, with its count, linking to its list.
/// `root` is the relative path from the page to the year folder.
pub(crate) fn matrix(view: &YearView, root: &str) -> String {
    let (cell_w, cell_h, left, top) = (120, 64, 92, 40);
    let width = left + cell_w * 3 + 8;
    let height = top + cell_h * 3 + 34;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart matrix\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" role=\"img\" aria-labelledby=\"matrix-title\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{FONT}\"><title id=\"matrix-title\">风险矩阵：发生机率 × 危害程度，共 {} 个风险点</title>",
        view.stats.total
    );
    // The impact as the plan words it (六.(二).4), not the value 较重, which read beside
    // "一级较重" (plan 四) as the gravest grade. A long wording takes two lines, broken before
    // 或 (一般影响 / 或一定经济损失), so that it stays within its column.
    for (c, impact) in Impact::ALL.iter().enumerate() {
        let x = left + cell_w * c + cell_w / 2;
        let label = impact.wording();
        match label.find('或').filter(|_| label.chars().count() > 6) {
            Some(at) => {
                let _ = write!(
                    s,
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#333\"><tspan x=\"{x}\">{}</tspan><tspan x=\"{x}\" dy=\"15\">{}</tspan></text>",
                    top - 24,
                    &label[..at],
                    &label[at..]
                );
            }
            None => {
                let _ = write!(
                    s,
                    "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" fill=\"#333\">{label}</text>",
                    top - 12
                );
            }
        }
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" fill=\"#555\">危害程度 →</text>",
        left + cell_w * 3 / 2,
        height - 10
    );
    for (r, label) in ["高", "较高", "较小"].iter().enumerate() {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" fill=\"#333\">{label}</text>",
            left - 10,
            top + cell_h * r + cell_h / 2 + 5
        );
    }
    let _ = write!(
        s,
        "<text x=\"14\" y=\"{}\" font-size=\"13\" fill=\"#555\" transform=\"rotate(-90 14 {})\" text-anchor=\"middle\">发生机率 →</text>",
        top + cell_h * 3 / 2,
        top + cell_h * 3 / 2
    );
    for (n, cell) in view.matrix.iter().enumerate() {
        let (r, c) = (n / 3, n % 3);
        let g = usize::from(cell.grade_n) - 1;
        let (x, y) = (left + cell_w * c, top + cell_h * r);
        let grade = ["一级", "二级", "三级"][g];
        let _ = write!(
            s,
            "<a href=\"{root}{}\"><title>发生机率{}、危害程度{}：{grade}，{} 个风险点</title><rect x=\"{x}\" y=\"{y}\" width=\"{cell_w}\" height=\"{cell_h}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"3\"/><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"24\" font-weight=\"bold\" fill=\"#222\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">{grade}</text></a>",
            escape(&cell.url),
            cell.likelihood,
            cell.impact,
            cell.count,
            GRADE_FILL[g],
            x + 3,
            y + 3,
            cell_w - 6,
            cell_h - 6,
            GRADE_STROKE[g],
            x + cell_w / 2,
            y + 34,
            cell.count,
            x + cell_w / 2,
            y + 52,
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars with their values written at the end. `colours` gives each bar's colour.
pub(crate) fn bars(title: &str, rows: &[(String, usize, &str)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (110, 260, 28);
    let width = label_w + bar_w + 50;
    let height = row_h * rows.len() + 8;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart bars\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{FONT}\"><title>{}</title>",
        escape(title)
    );
    for (i, (label, value, colour)) in rows.iter().enumerate() {
        let y = 4 + row_h * i;
        let w = (bar_w * value)
            .div_ceil(max)
            .max(if *value > 0 { 2 } else { 0 });
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#333\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{colour}\" rx=\"2\"/><text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#222\">{value}</text>",
            label_w - 8,
            y + 18,
            escape(label),
            y + 4,
            row_h - 10,
            label_w + w + 6,
            y + 18,
        );
    }
    s.push_str("</svg>");
    s
}

/// The phases (方法步骤) on a time axis, with the notice period marked. Today's position is
/// not drawn at build time (two builds must be identical, and a notice is read for months):
/// the bar carries the axis in data attributes and the theme's script places a marker.
///
/// Two drawings of the same rows: a wide one (names left of the bars, dates after them) and a
/// narrow one (name and dates above each bar) that the theme shows instead on a phone, where
/// the wide one would shrink its labels to ~5 px.
pub(crate) fn timeline(info: &YearInfo) -> String {
    let mut rows: Vec<(&str, i64, i64, String, &str)> = info
        .phases
        .iter()
        .map(|p| {
            (
                p.name.value.as_str(),
                p.start.value.days(),
                p.end.value.days(),
                format!("{}–{}", short(p.start.value), short(p.end.value)),
                "phase",
            )
        })
        .collect();
    rows.push((
        "公示期",
        info.notice.start.value.days(),
        info.notice.end.value.days(),
        format!(
            "{}–{}",
            short(info.notice.start.value),
            short(info.notice.end.value)
        ),
        "notice",
    ));
    let first = rows.iter().map(|r| r.1.min(r.2)).min().unwrap_or(0);
    let last = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0);
    let axis = Axis { first, last };
    let mut s = timeline_wide(&rows, axis);
    s.push_str(&timeline_narrow(&rows, axis));
    s
}

/// The first and last day a timeline shows.
#[derive(Clone, Copy)]
struct Axis {
    first: i64,
    last: i64,
}

impl Axis {
    /// Where day `d` starts on a bar `width` long that begins at `left`.
    fn x(self, d: i64, left: f64, width: f64) -> f64 {
        let span = (self.last - self.first + 1).max(1) as f64;
        left + width * ((d - self.first) as f64 / span)
    }

    /// How wide the days `a..=b` are (at least 3, so a one-day phase shows).
    fn w(self, a: i64, b: i64, width: f64) -> f64 {
        let span = (self.last - self.first + 1).max(1) as f64;
        (width * ((b - a + 1) as f64 / span)).max(3.0)
    }

    /// A timeline's opening tag, `view_width` × `height` units, with the attributes the theme's
    /// script reads to place today's marker on bars `width` long from `left`.
    fn open(self, class: &str, view_width: f64, height: f64, left: f64, width: f64) -> String {
        format!(
            "<svg class=\"chart timeline {class}\" viewBox=\"0 0 {view_width} {height}\" width=\"100%\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"{FONT}\" data-first-day=\"{}\" data-last-day=\"{}\" data-left=\"{left}\" data-width=\"{width}\"><title>工作阶段时间表</title>",
            self.first, self.last
        )
    }
}

/// Ends a timeline with today's marker, `length` long, hidden until the theme's script places it.
fn close_with_today(mut s: String, length: f64) -> String {
    let _ = write!(
        s,
        "<line class=\"today\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"{length:.1}\" stroke=\"#c0392b\" stroke-width=\"2\" visibility=\"hidden\"/></svg>"
    );
    s
}

type TimelineRow<'a> = (&'a str, i64, i64, String, &'a str);

fn timeline_wide(rows: &[TimelineRow], axis: Axis) -> String {
    let (left, width, row_h) = (110.0, 520.0, 26.0);
    let height = row_h * rows.len() as f64 + 30.0;
    let mut s = axis.open("timeline-wide", left + width + 110.0, height, left, width);
    for (i, (name, a, b, label, class)) in rows.iter().enumerate() {
        let y = 6.0 + row_h * i as f64;
        let (x, w) = (axis.x(*a, left, width), axis.w(*a, *b, width));
        let _ = write!(
            s,
            "<g class=\"{class}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#333\">{}</text><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{}\" rx=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#333\">{}</text></g>",
            left - 8.0,
            y + 16.0,
            escape(name),
            row_h - 10.0,
            x + w + 6.0,
            y + 15.0,
            escape(label)
        );
    }
    close_with_today(s, height - 24.0)
}

/// The phone's drawing: 340 units wide, drawn at about its own size on a 390 px screen, so
/// its 13-unit labels stay about 13 px. Each row is a line of text (name, dates) over its bar.
fn timeline_narrow(rows: &[TimelineRow], axis: Axis) -> String {
    let (left, width, row_h) = (2.0, 336.0, 38.0);
    let height = row_h * rows.len() as f64 + 6.0;
    let mut s = axis.open("timeline-narrow", left + width + 2.0, height, left, width);
    for (i, (name, a, b, label, class)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let (x, w) = (axis.x(*a, left, width), axis.w(*a, *b, width));
        let _ = write!(
            s,
            "<g class=\"{class}\"><text x=\"{left}\" y=\"{:.1}\" font-size=\"13\" fill=\"#333\">{}<tspan dx=\"8\" fill=\"#555\">{}</tspan></text><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"12\" rx=\"3\"/></g>",
            y + 14.0,
            escape(name),
            escape(label),
            y + 20.0,
        );
    }
    close_with_today(s, height - 2.0)
}

fn short(d: crate::model::Date) -> String {
    format!("{}月{}日", d.month, d.day)
}
