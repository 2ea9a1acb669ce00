//! Normalising a Markdown body: comrak parses it and writes it back as CommonMark (GFM tables,
//! strikethrough, task lists and footnotes kept), with only the backslash escapes the text
//! needs. Flow diagrams (```` ```flow ```` / ```` ```mermaid ```` blocks) are copied byte for byte.
//!
//! The result is accepted only when it is a fixed point (formatting it again changes nothing)
//! and when gongshi's own renderer turns it into exactly the HTML and text the original gave:
//! comrak and pulldown-cmark are two parsers, and a formatter must never change what a
//! notice says. Otherwise the caller keeps the body as it was, with the reason.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

use crate::render::markdown;

/// Why a body was left as it was.
pub(crate) type Reason = String;

fn options() -> Options<'static> {
    let mut options = Options::default();
    // The extensions gongshi's renderer enables (render/markdown.rs), and no others: an
    // extension only one side knows (autolinks, superscript) would change what text means.
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options
}

fn is_flow_info(info: &str) -> bool {
    matches!(info.split_whitespace().next(), Some("flow" | "mermaid"))
}

/// A marker that does not occur in `body`, to stand in for flow blocks while comrak writes.
fn marker_base(body: &str) -> String {
    let mut base = String::from("GONGSHI-FLOW-PLACEHOLDER");
    while body.contains(&base) {
        base.push('X');
    }
    base
}

/// Byte offsets where each line of `text` starts (1-based line n starts at `starts[n - 1]`).
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// One formatting pass, with only the escapes the text needs.
fn format_once(body: &str) -> Result<String, Reason> {
    let formatted = format_raw(body)?;
    Ok(minimize_escapes(&formatted))
}

/// Drops the backslashes comrak adds out of caution (`2022\[23\]号`): clerks read these
/// files. A backslash goes when formatting the text without it gives the same text back, so
/// the text means the same. (comrak's own `experimental_minimize_commonmark` does this too,
/// but re-parses without the footnote and flow handling of [`format_raw`].)
fn minimize_escapes(formatted: &str) -> String {
    let mut text = formatted.to_string();
    let mut from = 0;
    while let Some(found) = text[from..].find('\\') {
        let at = from + found;
        let mut candidate = text.clone();
        candidate.remove(at);
        if format_raw(&candidate).is_ok_and(|again| again == formatted) {
            text = candidate;
            from = at;
        } else {
            from = at + 1;
        }
    }
    text
}

/// One formatting pass as comrak writes it, footnotes in place, flow blocks copied verbatim.
fn format_raw(body: &str) -> Result<String, Reason> {
    if body.trim().is_empty() {
        return Ok(String::new());
    }
    let options = options();
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, body, &options);
    put_footnotes_back_in_place(root);
    let base = marker_base(body);
    let starts = line_starts(body);
    let mut originals: Vec<(String, String)> = Vec::new();
    for node in root.descendants() {
        let mut ast = node.data_mut();
        let sourcepos = ast.sourcepos;
        let NodeValue::CodeBlock(block) = &mut ast.value else {
            continue;
        };
        if !block.fenced || !is_flow_info(&block.info) {
            continue;
        }
        if !is_top_level(node) {
            return Err(
                "正文的流程图位于列表或引用之中，为保证流程图一字不改，正文保持原样".into(),
            );
        }
        if !block.closed {
            return Err("正文的流程图代码块没有结束的 ``` 行，正文保持原样".into());
        }
        let start = sourcepos
            .start
            .line
            .checked_sub(1)
            .and_then(|i| starts.get(i).copied());
        let end = starts
            .get(sourcepos.end.line)
            .copied()
            .unwrap_or(body.len());
        let Some(original) = start.and_then(|s| body.get(s..end)) else {
            return Err("无法定位流程图的原文，正文保持原样".into());
        };
        let marker = format!("{base}-{}", originals.len());
        originals.push((marker.clone(), original.trim_end_matches('\n').to_string()));
        block.literal = format!("{marker}\n");
    }
    let mut out = String::new();
    comrak::format_commonmark(root, &options, &mut out)
        .map_err(|_| Reason::from("comrak 无法输出正文"))?;
    for (marker, original) in &originals {
        out = put_back(&out, marker, original)
            .ok_or_else(|| Reason::from("无法放回流程图原文，正文保持原样"))?;
    }
    Ok(out)
}

/// comrak gathers footnote definitions at the end of the document; gongshi's renderer shows
/// each where it was written. Put each back before the first block that followed it.
fn put_footnotes_back_in_place<'a>(root: &'a AstNode<'a>) {
    let definitions: Vec<&'a AstNode<'a>> = root
        .children()
        .filter(|n| matches!(n.data().value, NodeValue::FootnoteDefinition(_)))
        .collect();
    for definition in definitions {
        let line = definition.data().sourcepos.start.line;
        definition.detach();
        let next = root.children().find(|n| {
            !matches!(n.data().value, NodeValue::FootnoteDefinition(_))
                && n.data().sourcepos.start.line > line
        });
        match next {
            Some(next) => next.insert_before(definition),
            None => root.append(definition),
        }
    }
}

fn is_top_level<'a>(node: &'a AstNode<'a>) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.data().value, NodeValue::Document))
}

/// Replaces the fenced block holding `marker` (fence, marker, fence) by the original lines.
fn put_back(out: &str, marker: &str, original: &str) -> Option<String> {
    let lines: Vec<&str> = out.split('\n').collect();
    let at = lines.iter().position(|l| *l == marker)?;
    if lines.iter().filter(|l| **l == marker).count() != 1 {
        return None;
    }
    let is_fence = |l: &str| l.starts_with("```") || l.starts_with("~~~");
    if at == 0 || !is_fence(lines[at - 1]) || !lines.get(at + 1).is_some_and(|l| is_fence(l)) {
        return None;
    }
    let mut result: Vec<&str> = lines[..at - 1].to_vec();
    result.push(original);
    result.extend(&lines[at + 2..]);
    Some(result.join("\n"))
}

/// What a body means to gongshi: the HTML and plain text its renderer makes (flow diagrams by
/// their source). Blank lines between HTML blocks mean nothing (comrak's `<!-- end list -->`,
/// which keeps two lists apart, leaves one after sanitising); inside `<pre>` they count.
fn meaning(body: &str) -> (String, String) {
    let rendered = markdown::render(body, 1, "", &mut |block, _| {
        format!("<flow>{:?}</flow>", block.source)
    });
    let mut html = String::with_capacity(rendered.html.len());
    let mut in_pre = false;
    for line in rendered.html.split_inclusive('\n') {
        if in_pre || !line.trim().is_empty() {
            html.push_str(line);
        }
        in_pre = (in_pre || line.contains("<pre")) && !line.contains("</pre>")
            || line.rfind("<pre") > line.rfind("</pre>");
    }
    (html, rendered.text)
}

/// The normalised body, or why it is left as it was. `body` has `\n` line ends.
pub(crate) fn format_body(body: &str) -> Result<String, Reason> {
    // `check` refuses such a body (body-too-large, body-nesting), and comparing its meaning
    // would sanitise it: the quadratic work those rules exist to avoid.
    if crate::markdown_scan::past_limits(body) {
        return Err(
            "正文过大或嵌套过深（见 gongshi check 的 body-too-large、body-nesting），正文保持原样"
                .into(),
        );
    }
    let first = format_once(body)?;
    let second = format_once(&first)?;
    let fixed = if second == first {
        first
    } else if format_once(&second)? == second {
        second
    } else {
        return Err("comrak 的输出不稳定（再次格式化仍有变化），正文保持原样".into());
    };
    if meaning(body) != meaning(&fixed) {
        return Err(
            "格式化会改变正文的显示效果（comrak 与 gongshi 的渲染器对某处写法理解不同），正文保持原样"
                .into(),
        );
    }
    Ok(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_keeps_meaning() {
        let body = "标题\n===\n\n* 一\n* 二\n\n赣市卫 2022[23]号\n";
        let out = format_body(body).unwrap();
        assert_eq!(out, "# 标题\n\n- 一\n- 二\n\n赣市卫 2022[23]号\n");
        assert_eq!(format_body(&out).unwrap(), out);
    }

    #[test]
    fn flow_blocks_are_copied_byte_for_byte() {
        let body =
            "前文\n~~~~  flow   \nflowchart TD\n  A[开始] -->  B{判断 *x*}\n\n\n~~~~\n后文\n";
        let out = format_body(body).unwrap();
        assert!(
            out.contains("~~~~  flow   \nflowchart TD\n  A[开始] -->  B{判断 *x*}\n\n\n~~~~\n"),
            "{out}"
        );
        assert_eq!(format_body(&out).unwrap(), out);
    }

    #[test]
    fn nested_flow_blocks_leave_the_body_alone() {
        let body = "- 步骤\n\n  ```flow\n  flowchart TD\n  A --> B\n  ```\n";
        assert!(format_body(body).is_err());
    }

    #[test]
    fn tables_task_lists_strikethrough_and_footnotes_survive() {
        let body = "| 岗位 | 等级 |\n|:--|--:|\n| 出纳 | 一级 |\n\n- [x] 已完成\n- [ ] 未完成\n\n~~删去~~ 注释[^1]\n\n[^1]: 说明\n";
        let out = format_body(body).unwrap();
        assert_eq!(meaning(body), meaning(&out));
        assert_eq!(format_body(&out).unwrap(), out);
    }

    #[test]
    fn empty_bodies() {
        assert_eq!(format_body("").unwrap(), "");
        assert_eq!(format_body("\n\n").unwrap(), "");
    }
}
