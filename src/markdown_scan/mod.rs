//! Reading a Markdown body without rendering it: the Markdown options, the flow diagrams it
//! holds, and what `check` says of it — `unsafe-html` (what the sanitiser will remove,
//! `html_audit.rs`), `body-too-large` and `body-nesting` (`nesting.rs`). The rules
//! (src/rules/bodies.rs) and the renderer (src/render/markdown.rs) both read bodies through
//! this module, which depends on neither, so that `check` and `build` see one structure.

pub(crate) mod html_audit;
pub mod nesting;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Rule};
use nesting::{DepthMeter, Excess};

/// A fenced flow diagram in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowBlock {
    pub source: String,
    /// The file line of the block's first content line (the one after the fence).
    pub(crate) first_line: usize,
    /// For each line of `source`: its file line, and how many characters stand before it on
    /// that line (a list item's indent, a block quote's `> `, which the diagram does not see).
    pub(crate) lines: Vec<(usize, usize)>,
}

impl FlowBlock {
    pub(crate) fn new(first_line: usize) -> FlowBlock {
        FlowBlock {
            source: String::new(),
            first_line,
            lines: Vec::new(),
        }
    }

    /// The file line and column of a line and column of `source` (1-based, as the diagram
    /// parser counts them).
    pub(crate) fn file_pos(&self, line: usize, column: usize) -> (usize, usize) {
        match line.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some(&(file_line, before)) => (file_line, before + column),
            // After the last line (an error at the end of the text): the lines follow on.
            None => match self.lines.last() {
                Some(&(last, _)) => (last + line - self.lines.len(), column),
                None => (self.first_line + line.saturating_sub(1), column),
            },
        }
    }

    /// Appends a piece of the block's text that pulldown-cmark found at `start` in `body`,
    /// noting where each of its lines begins in the file.
    pub(crate) fn push_text(&mut self, text: &str, start: usize, body: &str, lines: &Lines) {
        // Container prefixes are not part of the text, but each piece is the body's own bytes;
        // one that is not (a tab expanded to spaces) is placed at its start.
        let exact = body.get(start..start + text.len()) == Some(text);
        let mut at_line_start = self.source.is_empty() || self.source.ends_with('\n');
        let mut offset = 0;
        for piece in text.split_inclusive('\n') {
            if at_line_start {
                let here = if exact || offset == 0 {
                    let at = if exact { start + offset } else { start };
                    (lines.line_of(at), lines.column_of(body, at) - 1)
                } else {
                    (self.lines.last().map_or(self.first_line, |l| l.0 + 1), 0)
                };
                self.lines.push(here);
            }
            at_line_start = piece.ends_with('\n');
            offset += piece.len();
        }
        self.source.push_str(text);
    }
}

/// The Markdown the bodies are written in: CommonMark with GitHub's tables, footnotes,
/// strikethrough and task lists, and heading attributes.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a fenced block's info string makes it a flow diagram.
pub(crate) fn is_flow_info(info: &str) -> bool {
    matches!(info.split_whitespace().next(), Some("flow" | "mermaid"))
}

/// Maps byte offsets of the body to file lines.
pub(crate) struct Lines {
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines {
    pub(crate) fn new(body: &str, first_line: usize) -> Lines {
        let mut starts = vec![0];
        starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, first_line }
    }

    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.first_line
            + self
                .starts
                .partition_point(|s| *s <= offset)
                .saturating_sub(1)
    }

    pub(crate) fn column_of(&self, body: &str, offset: usize) -> usize {
        let start = self.starts[self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1)];
        body.get(start..offset).map_or(1, |s| s.chars().count() + 1)
    }
}

/// The flow blocks of a body, for `check` (which parses them without rendering the page).
pub(crate) fn flow_blocks(body: &str, body_line: usize) -> Vec<FlowBlock> {
    let body = &*without_placeholder_marks(body);
    let lines = Lines::new(body, body_line);
    let mut blocks = Vec::new();
    let mut current: Option<FlowBlock> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_flow_info(&info) => {
                current = Some(FlowBlock::new(lines.line_of(range.start) + 1));
            }
            Event::Text(text) if current.is_some() => {
                if let Some(block) = current.as_mut() {
                    block.push_text(&text, range.start, body, &lines);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = current.take() {
                    blocks.push(block);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Finds the `unsafe-html` warnings of a body's events, in order: what the sanitiser will
/// remove from raw HTML (an HTML block is read whole, its lines being separate events) and
/// from link and picture addresses (html_audit.rs).
#[derive(Default)]
pub(crate) struct HtmlWarnings {
    /// The lines of the HTML block being read, with their offsets in the body.
    block: Option<Vec<(usize, String)>>,
}

/// A warning: (offset in the body, length for the caret, message).
pub(crate) type Warning = (usize, usize, String);

impl HtmlWarnings {
    pub(crate) fn event(&mut self, event: &Event, offset: usize, out: &mut Vec<Warning>) {
        let caret = |html: &str| html.trim_end().chars().count().clamp(1, 80);
        match event {
            Event::Start(Tag::HtmlBlock) => self.block = Some(Vec::new()),
            Event::Html(html) if self.block.is_some() => {
                if let Some(block) = self.block.as_mut() {
                    block.push((offset, html.to_string()));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = self.block.take().unwrap_or_default();
                let pieces: Vec<&str> = block.iter().map(|(_, h)| h.as_str()).collect();
                for (i, message) in html_audit::html_removals(&pieces) {
                    let (at, html) = &block[i];
                    out.push((*at, caret(html), message));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (_, message) in html_audit::html_removals(&[html]) {
                    out.push((offset, caret(html), message));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(message) = html_audit::address_removal("a", dest_url) {
                    out.push((offset, 1, message));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(message) = html_audit::address_removal("img", dest_url) {
                    out.push((offset, 1, message));
                }
            }
            _ => {}
        }
    }
}

/// Whether a body cannot hold anything `scan` warns about: raw HTML and autolinks need `<`,
/// links and images (inline, reference or footnote) need `]`. Most bodies have neither, and
/// this byte search is far cheaper than parsing them.
pub(crate) fn is_plain(body: &str) -> bool {
    let bytes = body.as_bytes();
    !bytes.contains(&b'<') && !bytes.contains(&b']')
}

/// The body as `render` reads it: without the private-use character of the flow placeholders
/// (`placeholder`), which user text may not hold. `check` reads it so too, so that both see
/// the same structure (`-\u{E000} ` is text, but a list marker once the mark is gone).
pub(crate) fn without_placeholder_marks(body: &str) -> std::borrow::Cow<'_, str> {
    if body.contains('\u{E000}') {
        std::borrow::Cow::Owned(body.replace('\u{E000}', ""))
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// Whether a body is larger or nested deeper than the renderer takes (nesting.rs):
/// what `check` refuses and `render` does not sanitise.
pub fn past_limits(body: &str) -> bool {
    nesting::excess(&without_placeholder_marks(body), options()).is_some()
}

/// The diagnostics of a body without rendering it (for `check`): `body-too-large` and
/// `body-nesting` (nesting.rs), and the `unsafe-html` warnings.
pub(crate) fn scan(body: &str, body_line: usize, file: &str) -> Vec<Diagnostic> {
    let body = &*without_placeholder_marks(body);
    if let Some(excess) = nesting::too_large(body) {
        return vec![excess_diagnostic(excess, body, body_line, file)];
    }
    if is_plain(body) && nesting::quick_bound(body) <= nesting::MAX_DEPTH {
        return Vec::new();
    }
    scan_parsed(body, body_line, file)
}

fn scan_parsed(body: &str, body_line: usize, file: &str) -> Vec<Diagnostic> {
    let lines = Lines::new(body, body_line);
    let mut finder = HtmlWarnings::default();
    let mut meter = DepthMeter::default();
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        finder.event(&event, range.start, &mut found);
        meter.event(&event, range.start);
    }
    let mut out: Vec<Diagnostic> = found
        .into_iter()
        .map(|(offset, len, message)| {
            let pos = Pos::new(lines.line_of(offset), lines.column_of(body, offset), len);
            Diagnostic::new(Rule::UnsafeHtml, file, pos, message)
        })
        .collect();
    if let Some(excess) = meter.excess() {
        out.push(excess_diagnostic(excess, body, body_line, file));
    }
    out
}

/// The `body-too-large` or `body-nesting` error of a body past the limits.
pub(crate) fn excess_diagnostic(
    excess: Excess,
    body: &str,
    body_line: usize,
    file: &str,
) -> Diagnostic {
    match excess {
        Excess::TooLarge { bytes } => Diagnostic::new(
            Rule::BodyTooLarge,
            file,
            Pos::new(body_line, 1, 1),
            format!(
                "正文过大：{} KB，超过 {} KB 的上限，不会生成页面",
                bytes.div_ceil(1024),
                nesting::MAX_BODY_BYTES / 1024
            ),
        )
        .with_hint("正文只需写表现形式、说明和流程图；请删去粘贴进来的大段内容，或把资料另行存放"),
        Excess::TooDeep { offset } => {
            let lines = Lines::new(body, body_line);
            let pos = Pos::new(lines.line_of(offset), lines.column_of(body, offset), 1);
            Diagnostic::new(
                Rule::BodyNesting,
                file,
                pos,
                format!(
                    "正文嵌套过深：列表、引用、强调或 HTML 元素一层套一层超过 {} 层，不会生成页面",
                    nesting::MAX_DEPTH
                ),
            )
            .with_hint(
                "减少嵌套的层数；行首成串的“- ”“> ”“1. ”会被当作一层套一层的列表或引用，若是正文文字，请在前面加 \\",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_blocks_are_found_at_their_lines() {
        let blocks = flow_blocks("前言\n\n```flow\nflowchart TD\nA --> B\n```\n", 10);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].first_line, 13);
        assert_eq!(blocks[0].source, "flowchart TD\nA --> B\n");
    }

    proptest::proptest! {
        /// `scan` skips parsing bodies without `<` and `]`: parsing them never warns.
        #[test]
        fn bodies_without_angle_or_bracket_never_warn(
            body in "([a-z:/.()!\\[*_`&#|\\-]|javascript|data|http|\n| |风险){0,60}"
        ) {
            proptest::prop_assume!(is_plain(&body));
            let warnings = scan_parsed(&body, 1, "a.md");
            proptest::prop_assert!(warnings.iter().all(|d| d.rule != Rule::UnsafeHtml));
        }
    }
}
