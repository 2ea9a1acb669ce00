//! Escaping text for the HTML and the SVG that gongshi writes: the one place that knows the
//! entities. In: text. Out: the text with `&`, `<`, `>`, `"` and `'` written as `&amp;`,
//! `&lt;`, `&gt;`, `&quot;` and `&#39;` (tera's default escaper's five characters and
//! entities), fit for element content and quoted attribute values alike.
//!
//! Two forms, for three kinds of caller:
//! - [`html`] and [`html_string`] leave every other character as it is: the templates (tera's
//!   escape function, writing to its buffer) and the preview's error overlay, whose `<pre>`
//!   keeps the line breaks of a message.
//! - [`xml_string`] is for SVG, which is XML: flow diagrams and charts. A tab, line feed or
//!   carriage return becomes a space (a label is one line) and the characters XML 1.0 cannot
//!   hold (the other C0 controls, U+FFFE, U+FFFF) are dropped, so that no label can make a
//!   drawing a malformed document.
//!
//! Runs of ordinary text are copied in one write. tera 2.4's default escaper (without its
//! `fast_escape` feature, which would also stop escaping `'`) writes byte by byte through
//! `dyn Write`: on 10,000 risk points that was about an eighth of a build's instructions
//! (BENCHMARKS.md).

use std::convert::Infallible;
use std::io::{self, Write};

/// Writes `input` to `out`, escaped for HTML text and quoted attribute values. The signature
/// is tera's `set_escape_fn`.
pub(crate) fn html(input: &str, out: &mut dyn Write) -> io::Result<()> {
    escape(input, Controls::Keep, |piece| {
        out.write_all(piece.as_bytes())
    })
}

/// [`html`], as a new string.
pub(crate) fn html_string(input: &str) -> String {
    to_string(input, Controls::Keep)
}

/// `input` escaped for SVG text and attribute values: [`html`]'s entities, with tab, line feed
/// and carriage return made spaces and the characters XML 1.0 forbids left out.
pub(crate) fn xml_string(input: &str) -> String {
    to_string(input, Controls::ForXml)
}

/// What becomes of control characters (and the noncharacters U+FFFE and U+FFFF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Controls {
    /// Kept as they are, as HTML allows.
    Keep,
    /// Tab, line feed and carriage return become spaces; the others are dropped.
    ForXml,
}

fn to_string(input: &str, controls: Controls) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let Ok(()) = escape(input, controls, |piece| {
        out.push_str(piece);
        Ok::<(), Infallible>(())
    });
    out
}

/// Calls `write` with the escaped text, piece by piece: the runs that need nothing, and the
/// replacement of each character that does.
fn escape<E>(
    input: &str,
    controls: Controls,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let xml = controls == Controls::ForXml;
    let bytes = input.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\t' | b'\n' | b'\r' if xml => (" ", 1),
            0..0x20 if xml => ("", 1),
            // U+FFFE and U+FFFF: EF BF BE and EF BF BF in UTF-8.
            0xEF if xml && matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        // Every byte matched above is ASCII or starts a character: both slices are whole text.
        write(&input[run..i])?;
        write(replacement)?;
        i += len;
        run = i;
    }
    write(&input[run..])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn ours(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        super::html(s, &mut out).unwrap();
        out
    }

    fn tera_default(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        tera::escape_html(s, &mut out).unwrap();
        out
    }

    /// The escaper src/flow/svg.rs had of its own (charts used it too), kept here as the
    /// reference its callers' bytes are held to.
    fn flow_svg_before(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                '\t' | '\n' | '\r' => out.push(' '),
                c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// The escaper src/serve/overlay.rs had of its own.
    fn overlay_before(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }

    const SAMPLES: &[&str] = &[
        "",
        "风险点",
        "<script>alert('x')</script>",
        "a & b \"c\" 'd' <e> &amp;",
        "&&&",
        "结尾<",
        "行一\n行二\r\n\t缩进",
        "\u{0}\u{1}\u{1f}\u{7f}\u{85}",
        "\u{fffe}\u{ffff}\u{fffd}\u{fffc}\u{efbf}",
    ];

    #[test]
    fn escapes_like_tera() {
        for s in SAMPLES {
            assert_eq!(ours(s), tera_default(s), "{s:?}");
            assert_eq!(super::html_string(s).into_bytes(), tera_default(s), "{s:?}");
        }
    }

    #[test]
    fn xml_makes_line_breaks_spaces_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            super::xml_string("<a href=\"x\">'&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(super::xml_string("甲\n乙\r\t丙"), "甲 乙  丙");
        assert_eq!(
            super::xml_string("a\u{fffe}b\u{ffff}c\u{fffd}"),
            "abc\u{fffd}"
        );
        // DEL and C1 controls are allowed in XML 1.0 and kept, as before.
        assert_eq!(super::xml_string("\u{7f}\u{85}"), "\u{7f}\u{85}");
        for s in SAMPLES {
            assert_eq!(super::xml_string(s), flow_svg_before(s), "{s:?}");
        }
    }

    #[test]
    fn html_keeps_line_breaks_and_controls() {
        assert_eq!(
            super::html_string("<pre>\n\t\u{1}</pre>"),
            "&lt;pre&gt;\n\t\u{1}&lt;/pre&gt;"
        );
    }

    proptest! {
        #[test]
        fn same_bytes_as_before_for_any_text(
            s in r#"[a-z<>&"' 风险\n\r\t\x00\x01\x1f\x7f\x{85}\x{efbf}\x{fffd}\x{fffe}\x{ffff}]{0,40}|\PC{0,40}|.{0,40}"#
        ) {
            prop_assert_eq!(ours(&s), tera_default(&s));
            prop_assert_eq!(super::html_string(&s), overlay_before(&s));
            prop_assert_eq!(super::xml_string(&s), flow_svg_before(&s));
        }
    }
}
