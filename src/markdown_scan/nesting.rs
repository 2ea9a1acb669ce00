//! Bounds on a Markdown body (`body-too-large`, `body-nesting`), so that no body can stall a
//! build or the preview.
//!
//! Why bodies need a bound at all: pulldown-cmark parses any body in linear time, but its HTML
//! then goes through the sanitiser (ammonia), which builds a DOM with html5ever's tree builder.
//! For every start tag of an element that closes an open paragraph — `ul`, `ol`, `li`,
//! `blockquote`, `div`, `pre`, headings, `table` and more (HTML spec 13.2.6.4.7, "close a p
//! element") — the tree builder first asks whether a `p` is *in button scope*
//! (`TreeBuilder::close_p_element_in_button_scope` → `in_scope_named(button_scope, p)`): it
//! walks the stack of open elements from the top down until it meets a `p` or a scope boundary
//! (`html`, `table`, `td`, `th`, `caption`, `marquee`, `object`, `applet`, `template`,
//! `button`). Lists and quotes are no boundary, so with n elements open each such start tag
//! walks n of them: n²/2 steps for n nested lists. `- ` written 50,000 times on one line is
//! 100,000 nested `ul`/`li`, about 5·10⁹ steps: the build took 110 s (20,000: 2 s, 40,000:
//! 12 s), while `check`, which never sanitises, took 0.02 s and said the body was fine. A long
//! run of `*` is harmless (it is a thematic break); `> > >` and raw `<div><div>` are the same
//! quadratic walk. The time is proportional to the body's start tags times the depth they are
//! opened at, so bounding the depth (and the size) bounds the work; docs/security.md gives the
//! worst case measured under these limits.
//!
//! In: a body, or the events pulldown-cmark makes of it. Out: whether it is larger or nested
//! deeper than the limits, and where. `check` reports that as an error on the file
//! (src/markdown_scan/mod.rs `scan`), so `build`, `archive` and the preview never render such a
//! body; `render` refuses it again on its own, so that no caller can sanitise one by mistake.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use pulldown_cmark::{Event, Tag, TagEnd};

/// The largest body rendered, in bytes (UTF-8). A point's body is about 2 KB; a department's
/// overview with its diagrams rarely 30 KB.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The deepest nesting rendered: elements open at once (lists, items, quotes, tables, emphasis,
/// links, raw HTML elements). Four levels of nested lists with bold text in a quote are about
/// 12.
pub const MAX_DEPTH: usize = 32;

/// How a body goes past the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    /// Larger than `MAX_BODY_BYTES`.
    TooLarge { bytes: usize },
    /// Nested deeper than `MAX_DEPTH`: `offset` is the byte of the body where the nesting
    /// first goes past the limit.
    TooDeep { offset: usize },
}

/// Whether a body is too large to be looked at any further.
pub(crate) fn too_large(body: &str) -> Option<Excess> {
    (body.len() > MAX_BODY_BYTES).then_some(Excess::TooLarge { bytes: body.len() })
}

/// An upper bound of a body's nesting found from its bytes alone, so that `check` need not
/// parse the many bodies that cannot come near the limit. A block container on a line (a list
/// item, a quote) takes at least one column of the line's prefix — its marker, or the indent
/// that continues it — so no line is nested deeper than its prefix of spaces, tabs (four
/// columns), `>`, list markers and digits is wide; a paragraph continued lazily is no deeper
/// than the line that opened its containers. Inside a block (lines between blank lines)
/// emphasis and strikethrough nest at most once per delimiter (`*`, `_`, `~`); the deepest
/// leaf (a table cell: table, tbody, tr, td) adds 4. Links and raw HTML need `]` or `<`: a body
/// holding either has no bound short of parsing it (`usize::MAX`).
pub(crate) fn quick_bound(body: &str) -> usize {
    if body.bytes().any(|b| b == b'<' || b == b']') {
        return usize::MAX;
    }
    let mut widest_prefix = 0;
    let (mut delimiters, mut most_delimiters) = (0, 0);
    for line in body.split('\n') {
        if line.trim().is_empty() {
            delimiters = 0;
            continue;
        }
        let prefix: usize = line
            .bytes()
            .take_while(|b| b" \t>*+-.)0123456789".contains(b))
            .map(|b| if b == b'\t' { 4 } else { 1 })
            .sum();
        widest_prefix = widest_prefix.max(prefix);
        delimiters += line.bytes().filter(|b| b"*_~".contains(b)).count();
        most_delimiters = most_delimiters.max(delimiters);
    }
    widest_prefix + most_delimiters + 4
}

/// The elements pulldown-cmark's HTML writer opens for a tag: `<pre><code>`, `<table>` with
/// its `<thead>` or `<tbody>`, nothing for an HTML block (its raw HTML is counted as such),
/// one for every other tag.
fn elements(tag: &Tag) -> usize {
    match tag {
        Tag::CodeBlock(_) | Tag::Table(_) => 2,
        Tag::HtmlBlock => 0,
        _ => 1,
    }
}

fn elements_closed(tag: &TagEnd) -> usize {
    match tag {
        TagEnd::CodeBlock | TagEnd::Table => 2,
        TagEnd::HtmlBlock => 0,
        _ => 1,
    }
}

/// Measures the nesting of a body from its events, in order: the Markdown structure exactly,
/// and raw HTML by the elements left open (`RawStack`).
#[derive(Default)]
pub(crate) struct DepthMeter {
    markdown: usize,
    raw: Option<RawHtml>,
    over: Option<usize>,
}

impl DepthMeter {
    /// Takes the next event, found at `offset` in the body.
    pub(crate) fn event(&mut self, event: &Event, offset: usize) {
        match event {
            Event::Start(tag) => self.markdown += elements(tag),
            Event::End(tag) => self.markdown = self.markdown.saturating_sub(elements_closed(tag)),
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw.get_or_insert_with(RawHtml::new).feed(html);
            }
            _ => return,
        }
        // The deepest the raw HTML went within this piece, not only where it ended.
        let raw = self.raw.as_ref().map_or(0, RawHtml::peak);
        if self.over.is_none() && self.markdown + raw > MAX_DEPTH {
            self.over = Some(offset);
        }
    }

    /// Whether the body went past `MAX_DEPTH`, and where first.
    pub(crate) fn excess(&self) -> Option<Excess> {
        self.over.map(|offset| Excess::TooDeep { offset })
    }
}

/// The excess of a body, if it has one: too large, else too deep (parsed only when the quick
/// bound cannot rule that out).
pub(crate) fn excess(body: &str, options: pulldown_cmark::Options) -> Option<Excess> {
    if let Some(large) = too_large(body) {
        return Some(large);
    }
    if quick_bound(body) <= MAX_DEPTH {
        return None;
    }
    let mut meter = DepthMeter::default();
    for (event, range) in pulldown_cmark::Parser::new_ext(body, options).into_offset_iter() {
        meter.event(&event, range.start);
        if meter.over.is_some() {
            break;
        }
    }
    meter.excess()
}

/// Elements that take no end tag.
const VOID: [&str; 16] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source",
];

/// Formatting elements: the tree builder reopens them after an end tag closed them
/// implicitly ("reconstruct the active formatting elements"), so they stay counted until their
/// own end tag.
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements whose start tag closes an open sibling of the same name on top of the stack.
const SIBLINGS: [&str; 8] = ["li", "dt", "dd", "p", "option", "tr", "td", "th"];

/// The raw HTML elements left open, as the tokens come (one tokenizer for the whole body, so a
/// tag split over the lines of an HTML block is read whole). An over-estimate of what the tree
/// builder keeps open: an element is open from its start tag until its own end tag, which also
/// closes the non-formatting elements opened after it, as "pop until" does.
struct RawHtml {
    tokenizer: Tokenizer<OpenElements>,
    queue: BufferQueue,
}

/// The open elements (name, whether a formatting element), and the most that were open since
/// the last piece was fed.
struct OpenElements(RefCell<(Vec<(String, bool)>, usize)>);

impl TokenSink for OpenElements {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name: &str = &tag.name;
        let (open, peak) = &mut *self.0.borrow_mut();
        if tag.kind == EndTag {
            if let Some(at) = open.iter().rposition(|(n, _)| n == name) {
                let above = open.split_off(at + 1);
                open.pop();
                open.extend(above.into_iter().filter(|(_, formatting)| *formatting));
            }
            return TokenSinkResult::Continue;
        }
        debug_assert_eq!(tag.kind, StartTag);
        if VOID.contains(&name) {
            return TokenSinkResult::Continue;
        }
        if SIBLINGS.contains(&name) && open.last().is_some_and(|(n, _)| n == name) {
            open.pop();
        }
        open.push((name.to_string(), FORMATTING.contains(&name)));
        *peak = (*peak).max(open.len());
        // What follows these tags is text until their end tag, as the tree builder says.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

impl RawHtml {
    fn new() -> RawHtml {
        RawHtml {
            tokenizer: Tokenizer::new(
                OpenElements(RefCell::new((Vec::new(), 0))),
                TokenizerOpts::default(),
            ),
            queue: BufferQueue::default(),
        }
    }

    fn feed(&mut self, html: &str) {
        {
            let (open, peak) = &mut *self.tokenizer.sink.0.borrow_mut();
            *peak = open.len();
        }
        self.queue.push_back(StrTendril::from_slice(html));
        // Never asked to stop for a script (the sink never returns `Script`).
        let _ = self.tokenizer.feed(&self.queue);
    }

    /// The most elements open at once while the last piece was read.
    fn peak(&self) -> usize {
        self.tokenizer.sink.0.borrow().1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> pulldown_cmark::Options {
        pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_FOOTNOTES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
    }

    /// The exact depth of a body (its deepest point), by the meter, whatever the limit.
    fn depth(body: &str) -> usize {
        let mut meter = DepthMeter::default();
        let mut deepest = 0;
        for (event, range) in pulldown_cmark::Parser::new_ext(body, options()).into_offset_iter() {
            meter.event(&event, range.start);
            deepest = deepest.max(meter.markdown + meter.raw.as_ref().map_or(0, RawHtml::peak));
        }
        deepest
    }

    #[test]
    fn markdown_structure_is_counted_element_by_element() {
        assert_eq!(depth("text\n"), 1);
        // A tight list item holds no paragraph.
        assert_eq!(depth("- a\n"), 2);
        assert_eq!(depth("- a\n\n- b\n"), 3);
        assert_eq!(depth("- a\n  - b\n"), 4);
        assert_eq!(depth("> - **a**\n"), 4);
        assert_eq!(depth("| a |\n|---|\n| b |\n"), 4);
        assert_eq!(depth("```\ncode\n```\n"), 2);
        assert_eq!(depth(&format!("{}x\n", "- ".repeat(20))), 40);
    }

    #[test]
    fn raw_html_counts_what_stays_open() {
        assert_eq!(depth("<div><div>x</div></div>\n"), 2);
        assert_eq!(depth("<div>\n<div>\n\nx\n"), 3);
        // Void elements and closed siblings do not add up.
        assert_eq!(depth("<p>a<br>b<hr><img src=x>\n"), 1);
        assert_eq!(depth("<ul><li>a<li>b<li>c</ul>\n"), 2);
        // A formatting element closed by another's end tag is reopened by the tree builder.
        assert_eq!(depth(&"<p><b id=1></p>".repeat(10)), 11);
        // A tag split over the lines of an HTML block is read whole.
        assert_eq!(depth("<div\nclass=\"a\"><div\n>x\n"), 2);
    }

    #[test]
    fn the_quick_bound_is_never_below_the_depth() {
        for body in [
            "text\n",
            "- a\n  - b\n    - c\n",
            "> > > quote\n",
            "- - - - x\n",
            "1. 2. 3) x\n",
            "*a **b** a*\n",
            "\t- a\n\t\t- b\n",
            "- a\n\n  lazy\n  - b\n    continued\nlazy line\n",
            "| a | *b* |\n|---|---|\n| **c** | ~~d~~ |\n",
            "- > - > x\n",
        ] {
            assert!(quick_bound(body) >= depth(body), "{body:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// `check` skips parsing a body whose quick bound is within the limit: the bound must
        /// never be below the real depth, or a deep body would pass `check` and be rendered.
        #[test]
        fn quick_bound_is_an_upper_bound(
            lines in proptest::collection::vec(
                "([ \t]{0,3}([-*+>]|1[.)]) ?){0,6}(a|\\*|_|~~|\\*\\*|\\| |`| ){0,6}",
                0..12,
            ),
        ) {
            let body = lines.join("\n");
            proptest::prop_assert!(quick_bound(&body) >= depth(&body), "{:?}", body);
        }
    }

    #[test]
    fn the_issue_body_is_too_deep_at_its_seventeenth_marker() {
        let body = format!("{}x\n\n{}\n", "- ".repeat(50_000), "*".repeat(100_000));
        assert_eq!(
            excess(&body, options()),
            Some(Excess::TooDeep { offset: 32 }),
        );
        assert_eq!(excess("- a\n", options()), None);
        let large = "a".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(
            excess(&large, options()),
            Some(Excess::TooLarge {
                bytes: MAX_BODY_BYTES + 1
            })
        );
    }
}
