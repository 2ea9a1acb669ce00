//! Parser tests: the accepted syntax, and every error with its line and column.

use super::*;

fn ok(src: &str) -> Flowchart {
    match parse(src) {
        Ok(chart) => chart,
        Err(e) => panic!("{src:?} should parse, got {e}"),
    }
}

/// (line, column, message) of the error `src` gives.
fn err(src: &str) -> (usize, usize, String) {
    match parse(src) {
        Ok(chart) => panic!("{src:?} should not parse, got {chart:?}"),
        Err(e) => (e.line, e.column, e.message),
    }
}

fn edges(chart: &Flowchart) -> Vec<(String, String, bool, Option<String>)> {
    chart
        .edges
        .iter()
        .map(|e| {
            (
                chart.nodes[e.from].key.clone(),
                chart.nodes[e.to].key.clone(),
                e.arrow,
                e.label.clone(),
            )
        })
        .collect()
}

fn e(
    from: &str,
    to: &str,
    arrow: bool,
    label: Option<&str>,
) -> (String, String, bool, Option<String>) {
    (from.into(), to.into(), arrow, label.map(Into::into))
}

#[test]
fn header_keywords_and_directions() {
    assert_eq!(ok("flowchart TD\nA[a]").direction, Direction::TopDown);
    assert_eq!(ok("graph TB\nA[a]").direction, Direction::TopDown);
    assert_eq!(ok("graph LR\nA[a]").direction, Direction::LeftRight);
    assert_eq!(ok("flowchart RL\nA[a]").direction, Direction::RightLeft);
    assert_eq!(ok("flowchart BT\nA[a]").direction, Direction::BottomUp);
    assert_eq!(ok("graph\nA[a]").direction, Direction::TopDown);
    assert_eq!(
        ok("\n\n%% 说明\n  flowchart lr;A[a]").direction,
        Direction::LeftRight
    );
}

#[test]
fn the_three_shapes_and_their_texts() {
    let chart = ok("flowchart TD\nA[科室申请] --> B{是否通过} --> C(结束)");
    let shapes: Vec<_> = chart
        .nodes
        .iter()
        .map(|n| (n.shape, n.text.as_str()))
        .collect();
    assert_eq!(
        shapes,
        [
            (Shape::Step, "科室申请"),
            (Shape::Decision, "是否通过"),
            (Shape::Rounded, "结束")
        ]
    );
    assert_eq!(chart.node_count(), 3);
}

#[test]
fn all_edge_forms() {
    let chart = ok("graph TD
A[a] --> B[b]
B --- C[c]
C -- 通过 --> D[d]
D -->|驳回| A
D -- 备注 --- C
A ---|线| D
A ----> C
A-->B");
    assert_eq!(
        edges(&chart),
        [
            e("A", "B", true, None),
            e("B", "C", false, None),
            e("C", "D", true, Some("通过")),
            e("D", "A", true, Some("驳回")),
            e("D", "C", false, Some("备注")),
            e("A", "D", false, Some("线")),
            e("A", "C", true, None),
            e("A", "B", true, None),
        ]
    );
}

#[test]
fn chains_and_ampersands_expand_to_every_pair() {
    let chart = ok("flowchart LR\nA[a] & B[b] --> C[c] --> D[d] & E[e]");
    assert_eq!(
        edges(&chart),
        [
            e("A", "C", true, None),
            e("B", "C", true, None),
            e("C", "D", true, None),
            e("C", "E", true, None),
        ]
    );
}

#[test]
fn semicolons_comments_and_blank_lines_separate_statements() {
    let chart = ok("graph TD;A[甲];B[乙] %% 注释\n\n%% 整行注释 A --> X\nA-->B;");
    assert_eq!(chart.node_count(), 2);
    assert_eq!(edges(&chart), [e("A", "B", true, None)]);
}

#[test]
fn bare_nodes_may_be_used_before_their_text_is_given() {
    let chart = ok("graph TD\nA --> B\nA[申请]\nB[审批]");
    assert_eq!(chart.nodes[1].text, "审批");
}

#[test]
fn a_node_may_be_repeated_with_the_same_text() {
    let chart = ok("graph TD\nA[申请] --> B[审批]\nA[申请] --> C[归档]");
    assert_eq!(chart.node_count(), 3);
}

#[test]
fn node_text_keeps_cjk_punctuation_quotes_and_line_breaks() {
    let chart = ok(
        "graph TD\nA[\"审核（含 [附件]、合同）\"] --> B[金额≥5万元？<br/>报院长]\nC(  「复核」 ) --> B",
    );
    assert_eq!(chart.nodes[0].text, "审核（含 [附件]、合同）");
    assert_eq!(chart.nodes[1].text, "金额≥5万元？\n报院长");
    assert_eq!(chart.nodes[2].text, "「复核」");
}

#[test]
fn node_keys_may_be_cjk_or_contain_inner_hyphens() {
    let chart = ok("graph TD\n申请[科室申请] --> step-2[审批]\nstep-2-->申请");
    assert_eq!(chart.nodes[1].key, "step-2");
    assert_eq!(chart.edges.len(), 2);
}

#[test]
fn risk_refs_are_reported_with_the_position_of_the_at_sign() {
    let chart = ok(
        "flowchart TD\n  A[合同签订 @YJK-01] --> B[\"验收入库 @YJK-02、@CWK_3\"]\n  C[付款@x] --> A",
    );
    let refs: Vec<_> = chart
        .risk_refs()
        .iter()
        .map(|r| (r.id.as_str(), r.line, r.column))
        .collect();
    assert_eq!(
        refs,
        [
            ("YJK-01", 2, 10),
            ("YJK-02", 2, 31),
            ("CWK_3", 2, 39),
            ("x", 3, 7)
        ]
    );
    assert_eq!(chart.nodes[1].risk_ids, ["YJK-02", "CWK_3"]);
}

#[test]
fn an_at_sign_not_followed_by_an_id_is_plain_text() {
    let chart = ok("graph TD\nA[邮件 @ 通知 @-x]");
    assert!(chart.risk_refs().is_empty());
    assert_eq!(chart.nodes[0].text, "邮件 @ 通知 @-x");
}

#[test]
fn a_forty_character_id_is_accepted() {
    let id = "A".repeat(40);
    let chart = ok(&format!("graph TD\nA[步骤 @{id}]"));
    assert_eq!(chart.risk_refs()[0].id, id);
}

#[test]
fn edge_labels_with_at_signs_are_not_risk_refs() {
    let chart = ok("graph TD\nA[a] -->|@X| B[b]");
    assert!(chart.risk_refs().is_empty());
}

#[test]
fn crlf_line_endings_and_full_width_spaces_are_accepted() {
    let chart = ok("flowchart TD\r\nA[申请]\u{3000}-->\u{3000}B[审批]\r\n");
    assert_eq!(chart.edges.len(), 1);
}

// Every error, with where it points.

#[test]
fn error_empty_diagram() {
    assert_eq!(err(""), (1, 1, "流程图为空".into()));
    assert_eq!(err("\n  %% 只有注释\n"), (3, 1, "流程图为空".into()));
}

#[test]
fn error_missing_header() {
    let (line, column, message) = err("\nA[申请] --> B[审批]");
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("\"A\""), "{message}");
    let (line, column, message) = err("[申请]");
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("\"[\""), "{message}");
}

#[test]
fn error_unsupported_direction_names_the_supported_ones() {
    let e = parse("flowchart XY\nA[a]").unwrap_err();
    assert_eq!((e.line, e.column), (1, 11));
    assert_eq!(e.message, "不支持的方向 \"XY\"");
    let hint = e.hint.unwrap_or_default();
    for d in ["TD", "TB", "BT", "LR", "RL"] {
        assert!(hint.contains(d), "{hint}");
    }
    assert_eq!(err("graph >\nA[a]"), (1, 7, "不支持的方向 \">\"".into()));
}

#[test]
fn error_text_after_the_header() {
    assert_eq!(
        err("graph TD A-->B"),
        (1, 10, "流程图声明之后应换行".into())
    );
}

#[test]
fn error_no_nodes() {
    assert_eq!(
        err("\nflowchart LR\n%% 空\n"),
        (2, 1, "流程图没有任何节点".into())
    );
}

#[test]
fn error_unclosed_node_text_points_at_the_bracket() {
    assert_eq!(
        err("graph TD\n  A[申请 --> B\n"),
        (2, 4, "节点文字缺少结尾的 \"]\"".into())
    );
    assert_eq!(
        err("graph TD\nA{判断"),
        (2, 2, "节点文字缺少结尾的 \"}\"".into())
    );
    assert_eq!(
        err("graph TD\nA(开始\nB"),
        (2, 2, "节点文字缺少结尾的 \")\"".into())
    );
}

#[test]
fn error_unclosed_quote() {
    assert_eq!(err("graph TD\nA[\"申请]"), (2, 3, "引号未闭合".into()));
}

#[test]
fn error_text_after_a_closing_quote() {
    assert_eq!(
        err("graph TD\nA[\"申请\" 额外]"),
        (2, 8, "引号之后应为 \"]\"".into())
    );
}

#[test]
fn error_empty_node_text() {
    assert_eq!(
        err("graph TD\nA[ ] --> B[b]"),
        (2, 2, "节点文字为空".into())
    );
    assert_eq!(err("graph TD\nA[\"\"]"), (2, 2, "节点文字为空".into()));
    assert_eq!(err("graph TD\nA[<br>]"), (2, 2, "节点文字为空".into()));
}

#[test]
fn error_unsupported_shapes() {
    for (src, column) in [
        ("A((圆))", 2),
        ("A([体育场])", 2),
        ("A[[子程序]]", 2),
        ("A[(数据库)]", 2),
        ("A{{六边形}}", 2),
        ("A[/平行四边形/]", 2),
    ] {
        let e = parse(&format!("graph TD\n{src}")).unwrap_err();
        assert_eq!(
            (e.line, e.column, e.message.as_str()),
            (2, column, "不支持的节点形状"),
            "{src}"
        );
        assert_eq!(e.hint.as_deref(), Some(SHAPE_HINT));
    }
}

#[test]
fn error_risk_id_too_long() {
    let id = "A".repeat(41);
    assert_eq!(
        err(&format!("graph TD\nA[步骤 @{id}]")),
        (2, 6, "风险点编号过长".into())
    );
}

#[test]
fn error_unexpected_character_after_a_node_gives_the_expected_hint() {
    let e = parse("graph TD\nA[申请] B[审批]").unwrap_err();
    assert_eq!((e.line, e.column), (2, 7));
    assert_eq!(e.message, "此处不应出现 \"B\"");
    assert_eq!(e.hint.as_deref(), Some(r#"期望 "-->"、"&" 或换行"#));
    let e = parse("graph TD\nA > B").unwrap_err();
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(
        e.hint.as_deref(),
        Some(r#"期望 "-->" 或节点形状，如 A[步骤]"#)
    );
}

#[test]
fn error_full_width_characters_get_their_own_advice() {
    let (line, column, message) = err("graph TD\nA【申请】");
    assert_eq!((line, column), (2, 2));
    assert!(message.contains("半角括号"), "{message}");
    let (line, column, message) = err("graph TD\nA[申请] ——> B[审批]");
    assert_eq!((line, column), (2, 7));
    assert!(message.contains("连线须用半角字符"), "{message}");
    let (_, column, message) = err("graph TD\nA[申请]；B[审批]");
    assert_eq!(column, 6);
    assert!(message.contains("分号"), "{message}");
    let (_, column, message) = err("graph TD\nA[a] --> 【审批】");
    assert_eq!(column, 10);
    assert!(message.contains("半角括号"), "{message}");
}

#[test]
fn error_malformed_links() {
    assert_eq!(err("graph TD\nA[a] -> B[b]"), (2, 6, "连线写法有误".into()));
    assert_eq!(
        err("graph TD\nA[a] -.-> B[b]"),
        (2, 6, "不支持虚线连线 \"-.->\"".into())
    );
    assert_eq!(
        err("graph TD\nA[a] ==> B[b]"),
        (2, 6, "不支持粗线连线 \"==>\"".into())
    );
    assert_eq!(
        err("graph TD\nA[a] <--> B[b]"),
        (2, 6, "不支持双向箭头".into())
    );
    assert_eq!(
        err("graph TD\nA[a] ~~~ B[b]"),
        (2, 6, "不支持隐形连线 \"~~~\"".into())
    );
}

#[test]
fn error_unfinished_inline_label_points_at_its_start() {
    assert_eq!(
        err("graph TD\nA[a] -- 通过 B[b]\n"),
        (2, 6, "连线文字缺少结尾的 \"-->\"".into())
    );
    // "A--B" is the usual slip for "A-->B".
    assert_eq!(
        err("graph TD\nA[a]--B[b]"),
        (2, 5, "连线文字缺少结尾的 \"-->\"".into())
    );
}

#[test]
fn error_unfinished_pipe_label() {
    assert_eq!(
        err("graph TD\nA[a] -->|通过 B[b]"),
        (2, 9, "连线文字缺少结尾的 \"|\"".into())
    );
}

#[test]
fn error_two_labels_on_one_link() {
    assert_eq!(
        err("graph TD\nA[a] -- 甲 -->|乙| B[b]"),
        (2, 14, "连线文字重复".into())
    );
}

#[test]
fn error_link_without_target() {
    assert_eq!(
        err("graph TD\nA[a] -->\nB[b]"),
        (2, 9, "连线缺少目标节点".into())
    );
    assert_eq!(
        err("graph TD\nA[a] --> %% 注释"),
        (2, 10, "连线缺少目标节点".into())
    );
    assert_eq!(
        err("graph TD\nA[a] --> ;"),
        (2, 10, "连线缺少目标节点".into())
    );
}

#[test]
fn error_target_without_a_name() {
    assert_eq!(
        err("graph TD\nA[a] --> [b]"),
        (2, 10, "节点缺少名称".into())
    );
    assert_eq!(
        err("graph TD\nA[a] & --> B"),
        (2, 8, "此处应为节点名，而不是 \"-\"".into())
    );
}

#[test]
fn error_statement_starting_with_a_symbol() {
    assert_eq!(
        err("graph TD\n--> B[b]"),
        (2, 1, "此处应为节点名，而不是 \"-\"".into())
    );
    assert_eq!(
        err("graph TD\n\u{200b}A[a]"),
        (2, 1, "此处应为节点名，而不是 U+200B".into())
    );
}

#[test]
fn error_redefinition_names_the_first_line() {
    assert_eq!(
        err("graph TD\nA[申请] --> B[审批]\n\nA{申请}"),
        (4, 1, "节点 \"A\" 已在第 2 行定义".into())
    );
}

#[test]
fn error_undefined_node_points_at_its_first_use() {
    assert_eq!(
        err("graph TD\nA[申请] --> B\nB --> C\nB[审批]"),
        (3, 7, "节点 \"C\" 未定义".into())
    );
}

#[test]
fn error_mermaid_statements_outside_the_subset() {
    for (src, word) in [
        ("subgraph 审批", "subgraph"),
        ("end", "end"),
        ("style A fill:#f9f", "style"),
        ("classDef red fill:#f00", "classDef"),
        ("class A red", "class"),
        ("linkStyle 0 stroke:#f00", "linkStyle"),
        ("click A \"http://x\"", "click"),
        ("direction LR", "direction"),
    ] {
        let e = parse(&format!("graph TD\nA[a]\n  {src}")).unwrap_err();
        assert_eq!((e.line, e.column), (3, 3), "{src}");
        assert_eq!(e.message, format!("不支持 Mermaid 的 \"{word}\" 语句"));
        assert!(e.hint.is_some());
    }
    // The same words are fine as node names.
    ok("graph TD\nend[结束] --> style[样式]\nclass --> end\nclass[班级]");
}

#[test]
fn error_too_many_nodes() {
    let mut src = String::from("graph TD\n");
    for i in 0..=MAX_NODES {
        src.push_str(&format!("N{i}[步骤{i}]\n"));
    }
    let (line, column, message) = err(&src);
    assert_eq!((line, column), (MAX_NODES + 2, 1));
    assert!(message.contains("节点过多"), "{message}");
}

#[test]
fn error_too_many_edges() {
    // 45 × 45 = 2025 edges from one statement.
    let side: Vec<String> = (0..45).map(|i| format!("N{i}[n]")).collect();
    let src = format!("graph TD\n{} --> {}", side.join(" & "), side.join(" & "));
    let (_, _, message) = err(&src);
    assert!(message.contains("连线过多"), "{message}");
}

#[test]
fn error_too_complex_to_lay_out_points_at_the_link_that_tips_it() {
    // A 500-step chain needs 999 layout vertices; each edge from the first to the last step
    // adds 997 more, so the twentieth such edge passes the budget of 20,000.
    let mut src = String::from("graph TD\n");
    for i in 0..500 {
        src.push_str(&format!("N{i}[步骤{i}]\n"));
    }
    for i in 1..500 {
        src.push_str(&format!("N{} --> N{i}\n", i - 1));
    }
    for _ in 0..19 {
        src.push_str("N0 --> N499\n");
    }
    ok(&src);
    src.push_str("N0  --> N499\n");
    let line = src.lines().count();
    assert_eq!(err(&src), (line, 5, "流程图过于复杂，无法排版".into()));
}

#[test]
fn columns_count_characters_not_bytes() {
    // "申请审批" is 4 characters (12 bytes) before the stray "B".
    assert_eq!(err("graph TD\nA[申请审批] B").1, 9);
}

#[test]
fn display_shows_position_message_and_hint() {
    let e = parse("graph TD\nA[a] -> B").unwrap_err();
    assert_eq!(
        e.to_string(),
        "2:6: 连线写法有误（期望 \"-->\" 或 \"---\"）"
    );
}
