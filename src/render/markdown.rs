//! Markdown bodies to safe HTML: pulldown-cmark renders (tables, footnotes, strikethrough,
//! task lists, heading ids), ammonia sanitises, and every removal of raw HTML or of a
//! dangerous link is an `unsafe-html` warning at its line. Fenced `flow`/`mermaid` blocks are
//! handed to the caller, which draws them as inline SVG after sanitising.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use crate::markdown_scan::html_audit::SANITIZER;
use crate::markdown_scan::nesting::{self, DepthMeter, Excess};
use crate::markdown_scan::{
    FlowBlock, HtmlWarnings, Lines, excess_diagnostic, is_flow_info, is_plain, options,
    without_placeholder_marks,
};

pub struct Rendered {
    pub html: String,
    /// Plain text of the body (for search and summaries).
    pub text: String,
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "check reports unsafe-html (rules/bodies.rs); the renderer's own findings are held to it by its tests"
        )
    )]
    pub(crate) warnings: Vec<Diagnostic>,
}

/// A heading id from its text: lower-case, spaces to dashes, CJK kept; unique within the body.
fn heading_id(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let mut id: String = text
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() || c == '-' || c == '_' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    if id.is_empty() {
        id = "section".into();
    }
    let n = seen.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        format!("{id}-{}", *n - 1)
    } else {
        id
    }
}

/// Whether pulldown-cmark's HTML for a body is already exactly what the sanitiser would give
/// back, so the sanitiser (an HTML parse and re-serialisation: half of rendering a body) can be
/// skipped. Only for the plainest Markdown: no raw HTML, links or images (`is_plain`), no
/// character the two write differently (`&` entities, no-break space, CR, control characters),
/// and no element the sanitiser rewrites (see `is_safe_as_written`). Held to the sanitiser's
/// output by a property test and on every body of the example site (the tests below).
fn is_plain_text(body: &str) -> bool {
    is_plain(body)
        && !body
            .chars()
            .any(|c| c == '&' || c == '\u{a0}' || (c.is_control() && c != '\n' && c != '\t'))
}

/// Events whose HTML the sanitiser keeps byte for byte: paragraphs, headings without custom
/// attributes, lists, tables, quotes, emphasis, code and text. Not `<hr />`, `<br />` or task
/// list `<input />` (re-serialised as `<hr>`…), nor anything carrying a URL.
fn is_safe_as_written(event: &Event) -> bool {
    let simple_attribute = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'))
    };
    match event {
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => classes.is_empty() && attrs.is_empty() && id.as_deref().is_none_or(simple_attribute),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            info.split_whitespace().next().is_none_or(simple_attribute)
        }
        Event::Start(
            Tag::Paragraph
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(CodeBlockKind::Indented)
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough,
        )
        | Event::End(_)
        | Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak => true,
        _ => false,
    }
}

/// The placeholder for the n-th flow block: private-use characters that user text cannot hold
/// (they are removed from bodies before rendering) and that ammonia keeps as text.
fn placeholder(n: usize) -> String {
    format!("\u{E000}gongshi-flow-{n}\u{E000}")
}

/// What a body's events come to before they are written out: the events to write (flow
/// blocks replaced by placeholders, headings given ids), the flow blocks, the plain text and
/// the `unsafe-html` warnings, and the body's nesting so far.
struct Collected<'b> {
    body: &'b str,
    lines: Lines,
    file: &'b str,
    events: Vec<Event<'b>>,
    flows: Vec<FlowBlock>,
    in_flow: Option<FlowBlock>,
    /// A heading being read: its level, inner events and plain text.
    heading: Option<(HeadingLevel, Vec<Event<'b>>, String)>,
    seen_ids: HashMap<String, usize>,
    text: String,
    finder: HtmlWarnings,
    warnings: Vec<Diagnostic>,
    meter: DepthMeter,
}

impl<'b> Collected<'b> {
    fn new(body: &'b str, body_line: usize, file: &'b str) -> Collected<'b> {
        Collected {
            body,
            lines: Lines::new(body, body_line),
            file,
            events: Vec::new(),
            flows: Vec::new(),
            in_flow: None,
            heading: None,
            seen_ids: HashMap::new(),
            text: String::new(),
            finder: HtmlWarnings::default(),
            warnings: Vec::new(),
            meter: DepthMeter::default(),
        }
    }

    /// Takes the next event, found at `offset` in the body.
    fn take(&mut self, event: Event<'b>, offset: usize) {
        self.meter.event(&event, offset);
        if let Some(block) = self.in_flow.as_mut() {
            match event {
                Event::Text(t) => block.push_text(&t, offset, self.body, &self.lines),
                Event::End(TagEnd::CodeBlock) => {
                    let block = self.in_flow.take().unwrap_or_else(|| FlowBlock::new(0));
                    self.events.push(Event::Html(CowStr::from(format!(
                        "<div class=\"flow\">{}</div>\n",
                        placeholder(self.flows.len())
                    ))));
                    self.flows.push(block);
                }
                _ => {}
            }
            return;
        }
        let mut found = Vec::new();
        self.finder.event(&event, offset, &mut found);
        for (offset, len, message) in found {
            let pos = Pos::new(
                self.lines.line_of(offset),
                self.lines.column_of(self.body, offset),
                len,
            );
            self.warnings
                .push(Diagnostic::new(Rule::UnsafeHtml, self.file, pos, message));
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_flow_info(info) => {
                self.in_flow = Some(FlowBlock::new(self.lines.line_of(offset) + 1));
                return;
            }
            Event::Text(t) | Event::Code(t) => self.text.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => self.text.push(' '),
            _ => {}
        }
        self.push(event);
    }

    /// Adds an event to write; headings get ids from their text (unless the author gave one
    /// with `{#id}`).
    fn push(&mut self, event: Event<'b>) {
        match event {
            Event::Start(Tag::Heading {
                level, id: None, ..
            }) => self.heading = Some((level, Vec::new(), String::new())),
            Event::End(TagEnd::Heading(_)) if self.heading.is_some() => {
                if let Some((level, inner, plain)) = self.heading.take() {
                    let id = heading_id(&plain, &mut self.seen_ids);
                    self.events.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                    self.events.extend(inner);
                    self.events.push(Event::End(TagEnd::Heading(level)));
                }
            }
            other => match self.heading.as_mut() {
                Some((_, inner, plain)) => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        plain.push_str(t);
                    }
                    inner.push(other);
                }
                None => self.events.push(other),
            },
        }
    }
}

/// What `render` gives for a body past the limits (which `check` refuses, so no build ever
/// shows it): a line saying so, never the sanitiser's work.
fn refused(excess: Excess, body: &str, body_line: usize, file: &str) -> Rendered {
    Rendered {
        html: "<p>（正文过大或嵌套过深，未显示）</p>\n".to_string(),
        text: String::new(),
        warnings: vec![excess_diagnostic(excess, body, body_line, file)],
    }
}

/// Renders a body. `draw_flow(block, index)` returns the SVG (or fallback HTML) for each flow
/// block; it is inserted after sanitising, so it must be safe HTML itself. A body larger or
/// nested deeper than the limits (src/markdown_scan/nesting.rs) is not rendered.
pub fn render(
    body: &str,
    body_line: usize,
    file: &str,
    draw_flow: &mut dyn FnMut(&FlowBlock, usize) -> String,
) -> Rendered {
    render_with(body, body_line, file, draw_flow, Sanitise::WhenNeeded).0
}

/// Whether rendering may skip the sanitiser for a body whose HTML it is already (see
/// `is_plain_text`); `Always` is for the tests that hold the two equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sanitise {
    WhenNeeded,
    #[cfg(test)]
    Always,
}

/// `render`, telling also whether the sanitiser ran (a body past the limits is refused
/// without it).
fn render_with(
    body: &str,
    body_line: usize,
    file: &str,
    draw_flow: &mut dyn FnMut(&FlowBlock, usize) -> String,
    sanitise: Sanitise,
) -> (Rendered, bool) {
    let body = &*without_placeholder_marks(body);
    if let Some(excess) = nesting::too_large(body) {
        return (refused(excess, body, body_line, file), false);
    }
    let parsed: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let joined = cjk_joined_breaks(&parsed);
    let mut collected = Collected::new(body, body_line, file);
    for (i, (event, range)) in parsed.into_iter().enumerate() {
        if !joined[i] {
            collected.take(event, range.start);
        }
    }
    if let Some(excess) = collected.meter.excess() {
        return (refused(excess, body, body_line, file), false);
    }
    let Collected {
        events,
        flows,
        text,
        warnings,
        ..
    } = collected;
    let already_safe = sanitise == Sanitise::WhenNeeded
        && flows.is_empty()
        && is_plain_text(body)
        && events.iter().all(is_safe_as_written);
    let mut raw = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    let mut html = if already_safe {
        raw
    } else {
        SANITIZER.clean(&raw).to_string()
    };
    for (n, block) in flows.iter().enumerate() {
        html = html.replacen(&placeholder(n), &draw_flow(block, n), 1);
    }
    let rendered = Rendered {
        html,
        text: collapse_whitespace(&text),
        warnings,
    };
    (rendered, !already_safe)
}

/// Whether a character is written without spaces between words: Han ideographs, kana, CJK
/// and full-width punctuation (Hangul is not: Korean puts spaces between words).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'   // radicals
        | '\u{3000}'..='\u{303F}' // CJK symbols and punctuation: 、。「」《》…
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3100}'..='\u{312F}' // bopomofo
        | '\u{31C0}'..='\u{31FF}' // strokes, katakana extensions
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}' // compatibility forms
        | '\u{FF01}'..='\u{FF60}' // full-width forms: ，：；（）！？
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Punctuation of ambiguous width that Chinese text uses as its own (“”‘’…—·): it joins a
/// line to a CJK character on the other side, but two of them alone do not.
fn is_cjk_ambiguous(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Whether a line break between `before` and `after` is no space at all, as the CSS Text
/// spec's segment break transformation has it for East Asian text: a Chinese paragraph
/// wrapped in the source must not show a space where the author broke the line.
fn joins_without_space(before: char, after: char) -> bool {
    (is_cjk(before) && (is_cjk(after) || is_cjk_ambiguous(after)))
        || (is_cjk_ambiguous(before) && is_cjk(after))
}

/// Which events are soft breaks that join their lines without a space (`true` at their index):
/// those between two CJK characters. The characters either side are looked for across inline
/// markup (`**`, links, `~~`), never across anything else (an image, raw HTML, a hard break).
fn cjk_joined_breaks(events: &[(Event, std::ops::Range<usize>)]) -> Vec<bool> {
    let inline_markup = |e: &Event| {
        matches!(
            e,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                )
        )
    };
    // The first or last character of a text event (`last`), without copying the text.
    let edge = |e: &Event, last: bool| match e {
        Event::Text(t) | Event::Code(t) if last => t.chars().next_back(),
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    };
    let mut joined = vec![false; events.len()];
    for (i, (event, _)) in events.iter().enumerate() {
        if !matches!(event, Event::SoftBreak) {
            continue;
        }
        let before = events[..i]
            .iter()
            .rev()
            .map(|(e, _)| e)
            .find(|e| !inline_markup(e))
            .and_then(|e| edge(e, true));
        let after = events[i + 1..]
            .iter()
            .map(|(e, _)| e)
            .find(|e| !inline_markup(e))
            .and_then(|e| edge(e, false));
        joined[i] = matches!((before, after), (Some(b), Some(a)) if joins_without_space(b, a));
    }
    joined
}

/// `text` with each run of whitespace made one space and none at either end (as
/// `split_whitespace().join(" ")`, without the vector of pieces).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown_scan::past_limits;

    #[test]
    fn whitespace_collapses_as_split_and_join() {
        for text in ["", "  ", " a  b\n\tc ", "药品\u{3000}采购  回扣", "a"] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
    }

    fn plain(body: &str) -> Rendered {
        render(body, 10, "a.md", &mut |b, _| {
            format!("<svg data-lines=\"{}\"></svg>", b.source.lines().count())
        })
    }

    #[test]
    fn renders_gfm() {
        let r = plain(
            "## 表现形式\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n\n- [x] 完成\n\n~~删除~~[^1]\n\n[^1]: 注\n",
        );
        assert!(
            r.html.contains("<h2 id=\"表现形式\">表现形式</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("style=\"text-align: center\""));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<del>删除</del>"));
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn script_and_handlers_are_removed_with_warnings_at_their_lines() {
        let r = plain(
            "正文\n\n<script>alert(1)</script>\n\n<p onclick=\"x()\">点</p>\n\n[链接](javascript:alert(1))\n",
        );
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        let lines: Vec<usize> = r.warnings.iter().map(|w| w.pos.line).collect();
        assert_eq!(lines, [12, 14, 16], "{:?}", r.warnings);
        assert!(r.warnings.iter().all(|w| w.rule == Rule::UnsafeHtml));
    }

    #[test]
    fn external_images_are_dropped() {
        let r =
            plain("![x](http://example.com/a.png)\n\n<img src=\"https://cdn.example/b.png\">\n");
        assert!(!r.html.contains("example"), "{}", r.html);
        // Regression: the raw `<img>` was dropped without a warning.
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    }

    #[test]
    fn flow_blocks_become_svg_after_sanitising() {
        let r = plain("前言\n\n```flow\nflowchart TD\nA[开始] --> B[结束]\n```\n");
        assert!(
            r.html.contains("<svg data-lines=\"2\"></svg>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn placeholder_cannot_be_forged() {
        let r = plain("\u{E000}gongshi-flow-0\u{E000}\n\n```flow\nA\n```\n");
        assert_eq!(r.html.matches("<svg").count(), 1);
    }

    /// A body rendered as `render` does and with the sanitiser forced: (the first, whether it
    /// ran the sanitiser, the second).
    fn both_ways(body: &str) -> (Rendered, bool, Rendered) {
        let mut draw =
            |b: &FlowBlock, _: usize| format!("<svg data-lines=\"{}\"></svg>", b.source.len());
        let (fast, sanitised) = render_with(body, 10, "a.md", &mut draw, Sanitise::WhenNeeded);
        let (slow, always) = render_with(body, 10, "a.md", &mut draw, Sanitise::Always);
        assert!(always);
        (fast, sanitised, slow)
    }

    /// Bodies that skip the sanitiser render to exactly what the sanitiser would return. The
    /// bodies are written to come close to what it changes (quotes, `>`, `#`, heading
    /// attributes, code fences with odd info strings, tables). At least 30 % of them must take
    /// the fast path, so that the comparison is never vacuous: 38–42 % did when measured (five
    /// runs of 400).
    #[test]
    fn skipping_the_sanitiser_changes_no_byte() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let bodies = (
            proptest::collection::vec(
                "(## |### |- |1. |3. |> |    |\\* |)(风险点|a|\"|'|>|#|\\*\\*|\\*|_|~~|`|\\||\\{#x1\\}|\\{\\.c\\}|\\{#a\"b\\}| |---|\t|1\\)){0,8}( {2}|\\\\)?",
                0..12,
            ),
            proptest::bool::ANY,
            "(```|~~~)(rust|c\\+\\+|a\"b|风险|)",
        )
            .prop_map(|(lines, table, fence)| {
                let mut body = lines.join("\n");
                if table {
                    body.push_str("\n\n| 环节 | 责任人 |\n|:-:|---|\n| 审批 | a \\| b |\n");
                }
                body.push_str(&format!("\n{fence}\nif a > b {{ \"q\" }}\n```\n"));
                body
            });
        let mut runner = TestRunner::new(Config {
            cases: 400,
            source_file: Some(file!()),
            ..Config::default()
        });
        let (cases, skipped) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        let result = runner.run(&bodies, |body| {
            let (fast, sanitised, slow) = both_ways(&body);
            prop_assert!(!fast.html.is_empty());
            prop_assert_eq!(&fast.html, &slow.html, "body:\n{}", body);
            cases.set(cases.get() + 1);
            skipped.set(skipped.get() + usize::from(!sanitised));
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
        let (cases, skipped) = (cases.get(), skipped.get());
        assert!(
            skipped * 10 >= cases * 3,
            "only {skipped} of {cases} bodies skipped the sanitiser: the property tests little"
        );
    }

    /// The same, on the bodies of the example site: real text, most of it on the fast path (73
    /// of 77 bodies when written).
    #[test]
    fn example_bodies_render_the_same_with_the_sanitiser() {
        fn markdown_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    markdown_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "md") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        markdown_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &mut files,
        );
        let (mut skipped, mut bodies) = (0, 0);
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let Some((_, body)) = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---\n"))
            else {
                continue;
            };
            let (fast, sanitised, slow) = both_ways(body);
            assert_eq!(fast.html, slow.html, "{}", file.display());
            bodies += 1;
            skipped += usize::from(!sanitised);
        }
        assert!(bodies >= 40, "only {bodies} bodies found under content/");
        assert!(
            skipped * 2 >= bodies,
            "{skipped} of {bodies} example bodies skipped the sanitiser"
        );
    }

    #[test]
    fn the_sanitiser_is_skipped_only_for_plain_bodies() {
        assert!(is_plain_text(
            "## 表现形式\n\n- 收受回扣；\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        ));
        for body in [
            "a<b",
            "[a](b)",
            "a &nbsp; b",
            "a\u{a0}b",
            "a\r\nb",
            "a\u{1}b",
        ] {
            assert!(!is_plain_text(body), "{body:?}");
        }
        let rule = Parser::new_ext("a\n\n---\n", options()).any(|e| !is_safe_as_written(&e));
        assert!(rule, "<hr /> is re-serialised as <hr>: must be sanitised");
    }

    /// Regression: a line break inside a Chinese paragraph showed as a space on the page and
    /// in the search text ("理论引入 惩治和预防", "岗位 和关键环节").
    #[test]
    fn line_breaks_between_cjk_characters_join_without_a_space() {
        let r =
            plain("将风险管理理论引入\n惩治和预防腐败体系，\n**廉政**\n风险；“三重一大”\n事项\n");
        assert_eq!(
            r.html,
            "<p>将风险管理理论引入惩治和预防腐败体系，<strong>廉政</strong>风险；“三重一大”事项</p>\n"
        );
        assert_eq!(
            r.text,
            "将风险管理理论引入惩治和预防腐败体系，廉政风险；“三重一大”事项"
        );
    }

    #[test]
    fn line_breaks_next_to_latin_text_stay_spaces() {
        let r = plain("使用 HIS\n系统；按照\nISO 9001\nand more\n“a”\n“b”\n");
        assert_eq!(
            r.html,
            "<p>使用 HIS\n系统；按照\nISO 9001\nand more\n“a”\n“b”</p>\n"
        );
        assert_eq!(r.text, "使用 HIS 系统；按照 ISO 9001 and more “a” “b”");
    }

    /// `check` refuses such bodies; `render` does not sanitise one either, whoever calls it.
    #[test]
    fn bodies_past_the_limits_are_not_rendered() {
        for body in [
            format!("{}x\n", "- ".repeat(5_000)),
            format!("{}x\n", "<div>".repeat(5_000)),
            "风".repeat(nesting::MAX_BODY_BYTES),
        ] {
            let r = plain(&body);
            assert_eq!(r.html, "<p>（正文过大或嵌套过深，未显示）</p>\n");
            assert!(r.text.is_empty());
            assert!(past_limits(&body));
        }
        assert!(!past_limits(&format!("{}x\n", "- ".repeat(16))));
        assert!(past_limits(&format!("{}x\n", "- ".repeat(17))));
    }

    #[test]
    fn plain_text_for_search() {
        let r = plain("## 标题\n\n收受**回扣**。\n");
        assert_eq!(r.text, "标题 收受回扣。");
    }
}
