//! HTML escaping for the templates: the same five characters as tera's default escaper
//! (`&`, `<`, `>`, `"`, `'`), with the same entities, but copying the runs between them in
//! one write. tera 2.4's default (without its `fast_escape` feature, which would also stop
//! escaping `'`) writes byte by byte through `dyn Write`: on 10,000 risk points that was about
//! an eighth of a build's instructions (BENCHMARKS.md).

use std::io::{self, Write};

/// Writes `input` to `out`, escaped for HTML text and quoted attribute values.
pub fn html(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let bytes = input.as_bytes();
    let mut run = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[run..i])?;
        out.write_all(entity)?;
        run = i + 1;
    }
    out.write_all(&bytes[run..])
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

    #[test]
    fn escapes_like_tera() {
        for s in [
            "",
            "风险点",
            "<script>alert('x')</script>",
            "a & b \"c\" 'd' <e> &amp;",
            "&&&",
            "结尾<",
        ] {
            assert_eq!(ours(s), tera_default(s), "{s}");
        }
    }

    proptest! {
        #[test]
        fn same_bytes_as_tera_for_any_text(s in "[a-z<>&\"' 风险\n]{0,40}|\\PC{0,40}") {
            prop_assert_eq!(ours(&s), tera_default(&s));
        }
    }
}
