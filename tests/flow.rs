//! Flow diagrams through the public API, as the site build calls it: golden SVGs, error
//! messages with their positions, what hidden risk points must never reveal, and fuzzing.

use std::cell::RefCell;

use gongshi::flow::{Flowchart, RiskMark, parse, render_svg};
use proptest::prelude::*;

fn chart(src: &str) -> Flowchart {
    parse(src).unwrap_or_else(|e| panic!("should parse: {e}\n{src}"))
}

/// The marks used by the golden files: two published points of each grade, some hidden ones,
/// everything else unknown.
fn marks(id: &str) -> RiskMark {
    let visible = |grade: u8, title: &str| RiskMark::Visible {
        grade,
        href: format!("../points/{id}.html"),
        title: title.to_owned(),
    };
    match id {
        "YJK-01" | "R-0" | "R-3" => visible(1, "合同条款审核不严"),
        "YJK-02" | "CWK-03" | "R-1" | "R-4" => visible(2, "大额资金支付审批把关不严"),
        "CWK-01" | "R-2" | "R-5" => visible(3, "票据审核不细"),
        "CWK-09" | "R-6" | "R-7" => RiskMark::Hidden,
        _ => RiskMark::Unknown,
    }
}

fn svg(src: &str, id: &str) -> String {
    render_svg(&chart(src), id, &marks)
}

const LINEAR: &str = "flowchart TD
  A(开始) --> B[科室提出申请] --> C[财务审核 @CWK-01] --> D(结束)";

const BRANCHING: &str = "flowchart TD
  A[药事委员会审议] --> B{是否通过}
  B -->|是| C[招标/议价 @YJK-01]
  B -->|否| D(退回申请科室)
  C --> E[验收入库 @YJK-02]
  D --> F(结束)
  E --> F";

const LOOP_BACK: &str = "flowchart TD
  A(经办人提交支付申请) --> B[财务科审核 @CWK-03]
  B --> C{审核是否通过}
  C -- 驳回，补充材料 --> A
  C -- 通过 --> D[出纳办理支付 @CWK-09]
  D --> E(归档)";

const LEFT_RIGHT: &str = "flowchart LR
  A[提出需求] --> B{预算内?}
  B -->|是| C[采购 @YJK-01]
  B -->|否| D[追加预算审批]
  D --> C
  C --- E(归档)";

/// Ten stages of four steps: apply, review (a risk point), decide, and on 否 revise and
/// loop back to the review.
fn forty_steps() -> String {
    let mut src = String::from("flowchart TD\n");
    for i in 0..10 {
        src.push_str(&format!(
            "  A{i}[第{n}环节 提交材料] --> B{i}[审核 @R-{i}] --> C{i}{{是否合规}}\n  C{i} -->|否| D{i}[退回修改] --> B{i}\n",
            n = i + 1
        ));
        if i < 9 {
            src.push_str(&format!("  C{i} -->|是| A{}\n", i + 1));
        }
    }
    src
}

#[test]
fn golden_linear() {
    insta::assert_snapshot!("linear", svg(LINEAR, "flow-linear"));
}

#[test]
fn golden_branching() {
    insta::assert_snapshot!("branching", svg(BRANCHING, "flow-branching"));
}

#[test]
fn golden_loop_back() {
    insta::assert_snapshot!("loop_back", svg(LOOP_BACK, "flow-loop"));
}

#[test]
fn golden_left_right() {
    insta::assert_snapshot!("left_right", svg(LEFT_RIGHT, "flow-lr"));
}

#[test]
fn golden_forty_steps() {
    let src = forty_steps();
    assert_eq!(chart(&src).node_count(), 40);
    insta::assert_snapshot!("forty_steps", svg(&src, "flow-forty"));
}

/// Each bad block with its error, shown as the caller will show it: the line, a caret under
/// the column (CJK counted double width), the message and the hint.
#[test]
fn error_messages() {
    let cases = [
        "",
        "A[申请] --> B[审批]",
        "flowchart XY\nA[申请]",
        "flowchart TD\n  A[科室申请 --> B",
        "flowchart TD\n  A[科室申请] B[审批]",
        "flowchart TD\n  A --> B\n  A[申请]",
        "flowchart TD\n  A[科室申请] -- 通过 B[审批]",
        "flowchart TD\n  A[科室申请] -.-> B[审批]",
        "flowchart TD\n  A[申请] ——> B[审批]",
        "flowchart TD\n  A((申请))",
        "flowchart TD\n  A[申请] -->\n  B[审批]",
        "flowchart TD\n  A[申请]\n  A{申请}",
        "flowchart TD\n  A[申请]\n  style A fill:#f00",
        &format!("flowchart TD\n  A[合同 @{}]", "X".repeat(41)),
    ];
    let mut report = String::new();
    for src in cases {
        let Err(e) = parse(src) else {
            panic!("{src:?} should not parse");
        };
        let line = src.lines().nth(e.line - 1).unwrap_or("");
        let before: String = line.chars().take(e.column - 1).collect();
        let pad = unicode_width::UnicodeWidthStr::width(before.as_str());
        report.push_str(&format!("{e}\n  | {line}\n  | {}^\n\n", " ".repeat(pad)));
    }
    insta::assert_snapshot!("error_messages", report);
}

#[test]
fn the_svg_is_self_contained_accessible_and_scales() {
    let out = svg(BRANCHING, "flow-caiwu-1");
    assert!(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(out.ends_with("</svg>"));
    assert!(out.contains("role=\"img\""));
    assert!(out.contains("<title id=\"flow-caiwu-1-title\">流程图：6 个步骤</title>"));
    assert!(out.contains("aria-labelledby=\"flow-caiwu-1-title\""));
    assert!(out.contains("aria-describedby=\"flow-caiwu-1-desc\""));
    assert!(out.contains("width=\"100%\""));
    assert!(out.contains(" viewBox=\"0 0 "));
    assert!(out.contains("style=\"max-width:"));
    assert!(out.contains("font-family=\"'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif\""));
    assert!(!out.contains("<script"));
    assert!(!out.contains("<style"));
    assert!(!out.contains("xlink"));
    // The only URL is the namespace; the only url() is the local arrowhead.
    assert_eq!(out.matches("http").count(), 1);
    assert_eq!(
        out.matches("url(").count(),
        out.matches("url(#flow-caiwu-1-arrow)").count()
    );
    assert_well_formed(&out);
}

#[test]
fn every_id_is_prefixed_so_diagrams_can_share_a_page() {
    let first = svg(LINEAR, "flow-caiwu-1");
    let second = svg(LINEAR, "flow-caiwu-2");
    for out in [&first, &second] {
        for id in attribute_values(out, "id") {
            assert!(id.starts_with("flow-caiwu-"), "{id}");
        }
    }
    assert!(first.contains("<marker id=\"flow-caiwu-1-arrow\""));
    assert!(second.contains("<marker id=\"flow-caiwu-2-arrow\""));
    assert!(!first.contains("flow-caiwu-2"));
}

#[test]
fn an_unsafe_diagram_id_is_cleaned() {
    let out = svg(LINEAR, "x\" onload=\"alert(1)");
    assert!(!out.contains("onload=\""));
    assert!(out.contains("id=\"x__onload__alert_1_-title\""));
}

#[test]
fn a_visible_point_is_coloured_named_by_grade_linked_and_titled() {
    let out = svg(BRANCHING, "f");
    // 一级: red.
    assert!(out.contains(
        "<a href=\"../points/YJK-01.html\"><title>YJK-01 合同条款审核不严（一级风险点）</title>"
    ));
    assert!(out.contains("fill=\"#fdecea\" stroke=\"#c0392b\""));
    assert!(out.contains(">一级风险点 · YJK-01<"));
    // 二级: orange.
    assert!(out.contains("fill=\"#fdf0e6\" stroke=\"#d35400\""));
    assert!(out.contains(">二级风险点 · YJK-02<"));
    // The label itself no longer carries the @ID.
    assert!(out.contains(">招标/议价<"));
    assert!(!out.contains("@YJK"));
}

#[test]
fn the_third_grade_is_yellow() {
    let out = svg(LINEAR, "f");
    assert!(out.contains("fill=\"#fef9e7\" stroke=\"#b7950b\""));
    assert!(out.contains(">三级风险点 · CWK-01<"));
}

#[test]
fn a_hidden_point_leaves_only_the_word_risk_point() {
    let hidden = |_: &str| RiskMark::Hidden;
    let a = render_svg(
        &chart("graph TD\nA[申请] --> B[出纳支付 @SECRET-1]"),
        "f",
        &hidden,
    );
    let b = render_svg(
        &chart("graph TD\nA[申请] --> B[出纳支付 @OTHER-ID-22]"),
        "f",
        &hidden,
    );
    // Not the id, and nothing that depends on it: the two outputs are the same bytes.
    assert_eq!(a, b);
    assert!(!a.contains("SECRET"));
    assert!(a.contains(">风险点<"));
    assert!(a.contains("stroke-dasharray"));
    assert!(!a.contains("<a "));
    assert!(!a.contains("级"));
    assert!(!a.contains("#c0392b") && !a.contains("#d35400") && !a.contains("#b7950b"));
}

#[test]
fn a_node_with_a_visible_and_a_hidden_point_shows_only_the_visible_one() {
    let mark = |id: &str| match id {
        "PUB-1" => RiskMark::Visible {
            grade: 2,
            href: "p.html".into(),
            title: "公开".into(),
        },
        _ => RiskMark::Hidden,
    };
    let out = render_svg(&chart("graph TD\nA[审批 @PUB-1 @SECRET-2]"), "f", &mark);
    assert!(out.contains("PUB-1"));
    assert!(!out.contains("SECRET"));
    assert!(
        !out.contains(">风险点<"),
        "a second, hidden point is not even counted"
    );
}

#[test]
fn the_most_severe_of_several_visible_points_colours_the_node() {
    let mark = |id: &str| RiskMark::Visible {
        grade: if id == "B" { 1 } else { 3 },
        href: format!("{id}.html"),
        title: id.to_owned(),
    };
    let out = render_svg(&chart("graph TD\nN[签订合同 @A @B]"), "f", &mark);
    assert!(out.contains("flow-grade-1"));
    let first = out.find(">一级风险点 · B<").unwrap_or(usize::MAX);
    let second = out.find(">三级风险点 · A<").unwrap_or(0);
    assert!(first < second, "the most severe comes first");
    assert!(out.contains("<a href=\"A.html\">"));
    assert_well_formed(&out);
}

#[test]
fn an_unknown_point_is_drawn_plain_without_the_reference() {
    let out = render_svg(&chart("graph TD\nA[验收 @NOPE-1]"), "f", &|_| {
        RiskMark::Unknown
    });
    assert!(!out.contains("NOPE"));
    assert!(!out.contains("风险点<"));
    assert!(out.contains("stroke=\"#34495e\""));
    assert!(out.contains(">验收<"));
}

#[test]
fn the_mark_callback_is_asked_once_per_distinct_id() {
    let asked = RefCell::new(Vec::new());
    let mark = |id: &str| {
        asked.borrow_mut().push(id.to_owned());
        RiskMark::Unknown
    };
    render_svg(
        &chart("graph TD\nA[x @A1] --> B[y @A1 @B2]\nC[z @A1]"),
        "f",
        &mark,
    );
    let mut asked = asked.into_inner();
    asked.sort();
    assert_eq!(asked, ["A1", "B2"]);
}

#[test]
fn labels_are_escaped() {
    let src = "graph TD\nA[\"<script>alert('x')</script> & 审核\"] -->|a<b>&c| B[\"O'Neil 签字\"]";
    let out = render_svg(&chart(src), "f", &marks);
    assert!(!out.contains("<script"));
    assert!(out.contains("&lt;script&gt;"));
    assert!(out.contains("&amp; 审核"));
    assert!(out.contains("a&lt;b&gt;&amp;c"));
    assert_well_formed(&out);
}

#[test]
fn hrefs_and_titles_from_the_caller_are_escaped() {
    let mark = |_: &str| RiskMark::Visible {
        grade: 1,
        href: "a.html\" onclick=\"x".into(),
        title: "</title><script>".into(),
    };
    let out = render_svg(&chart("graph TD\nA[审批 @X]"), "f", &mark);
    assert!(!out.contains("onclick=\""));
    assert!(!out.contains("<script"));
    assert_well_formed(&out);
}

#[test]
fn rendering_is_deterministic() {
    let src = forty_steps();
    let first = svg(&src, "f");
    for _ in 0..3 {
        assert_eq!(svg(&src, "f"), first);
    }
}

#[test]
fn every_direction_renders() {
    for direction in ["TD", "TB", "BT", "LR", "RL"] {
        let src = LOOP_BACK.replacen("TD", direction, 1);
        let out = svg(&src, "f");
        assert_well_formed(&out);
        assert!(out.contains("驳回，补充材料"));
    }
}

#[test]
fn long_labels_wrap_into_lines_of_about_twelve_characters() {
    let out = svg(
        "graph TD\nA[药事管理与药物治疗学委员会集体审议年度药品采购计划]",
        "f",
    );
    let lines: Vec<&str> = out
        .split("<tspan")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1))
        .map(|t| t.trim_end_matches("</tspan"))
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 12), "{lines:?}");
}

/// Values of every `name="…"` attribute.
fn attribute_values<'a>(svg: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    svg.match_indices(&needle)
        .filter_map(|(at, _)| svg[at + needle.len()..].split('"').next())
        .collect()
}

/// A small well-formedness check: tags balance, no raw `<`, `>` or `&` outside tags and
/// entities, attribute values quoted and free of `<`.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "raw > in text: {text}");
        for (i, _) in text.match_indices('&') {
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| text[i..].starts_with(e)),
                "raw & in text: {text}"
            );
        }
        let after = &rest[open + 1..];
        let mut quoted = false;
        let close = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("unclosed tag: {after}"));
        let tag = &after[..close];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(closing), "mismatched </{closing}>");
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        rest = &after[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// Pieces of flowchart syntax, so that random programs often parse and reach the renderer.
fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "flowchart TD\n",
        "graph LR\n",
        "flowchart RL\n",
        "graph BT\n",
        "A",
        "B",
        "C",
        "节点",
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        "\"",
        "-->",
        "---",
        "--",
        "->",
        "|",
        "&",
        ";",
        "\n",
        " ",
        "@R-0",
        "@R-6",
        "@X",
        "@",
        "是",
        "审核",
        "%%",
        "<br>",
        "==>",
        "-.->",
        "（",
        "—",
        "\t",
        "A[申请]",
        "B{判断}",
        "C(结束)",
        " --> ",
        " -->|是| ",
        " -- 否 --> ",
        "\r\n",
    ])
}

fn program() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["flowchart TD\n", "graph LR\n", ""]),
        prop::collection::vec(token(), 0..60),
    )
        .prop_map(|(head, tokens)| format!("{head}{}", tokens.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_any_text(src in any::<String>()) {
        let _ = parse(&src);
    }

    #[test]
    fn any_label_text_renders_to_well_formed_svg(
        step in "[^\"\n]{1,80}",
        edge in "[^|\n]{1,40}",
        direction in prop::sample::select(vec!["TD", "LR", "BT", "RL"]),
    ) {
        let src = format!("flowchart {direction}\nA[\"{step}\"] -->|{edge}| B{{\"{step}\"}}\nB --> A");
        if let Ok(chart) = parse(&src) {
            assert_well_formed(&render_svg(&chart, "fuzz", &marks));
        }
    }

    #[test]
    fn parse_and_render_never_panic_on_flowchart_like_text(src in program()) {
        match parse(&src) {
            Ok(chart) => {
                let out = render_svg(&chart, "fuzz", &marks);
                assert_well_formed(&out);
                prop_assert_eq!(render_svg(&chart, "fuzz", &marks), out);
            }
            Err(e) => {
                prop_assert!(e.line >= 1 && e.column >= 1);
                prop_assert!(e.line <= src.split('\n').count());
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}
