//! Node and edge label text as written between the brackets: `<br>` line breaks, trimming, and
//! the `@ID` risk references with the position of each `@`.

use super::cursor::Pos;
use crate::flow::RiskRef;

/// The longest risk id: ids match `[A-Za-z0-9][A-Za-z0-9_-]{0,39}`.
const MAX_ID_LEN: usize = 40;

/// A `@ID` that is too long to be an id, found while scanning a label.
pub(super) struct LongId {
    pub(super) at: Pos,
}

/// The risk references in a node's text, in order, each with the position of its `@`.
pub(super) fn risk_refs(chars: &[(char, Pos)]) -> Result<Vec<RiskRef>, LongId> {
    let mut refs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (c, at) = chars[i];
        let starts_id = chars
            .get(i + 1)
            .is_some_and(|&(n, _)| n.is_ascii_alphanumeric());
        if c != '@' || !starts_id {
            i += 1;
            continue;
        }
        let id: String = chars[i + 1..]
            .iter()
            .map(|&(c, _)| c)
            .take_while(|&c| is_id_char(c))
            .collect();
        if id.len() > MAX_ID_LEN {
            return Err(LongId { at });
        }
        i += 1 + id.len();
        refs.push(RiskRef {
            id,
            line: at.line,
            column: at.column,
        });
    }
    Ok(refs)
}

pub(crate) fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// The label as it will be drawn: `<br>` (also `<br/>`, `<br />`) becomes a line break, each
/// line is trimmed and blank lines are dropped. `None` when nothing is left.
pub(super) fn clean(raw: &str) -> Option<String> {
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let after = &rest[start..];
        match br_tag_len(after) {
            Some(len) => {
                text.push('\n');
                rest = &after[len..];
            }
            None => {
                text.push('<');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .filter(|line| !line.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The length in bytes of a `<br>`, `<br/>` or `<br />` tag (any case) at the start of `s`.
fn br_tag_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.len() < 4 || !bytes[1..3].eq_ignore_ascii_case(b"br") {
        return None;
    }
    let mut i = 3;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'/') {
        i += 1;
    }
    (bytes.get(i) == Some(&b'>')).then_some(i + 1)
}
