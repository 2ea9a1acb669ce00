//! Front matter as a sequence of top-level key blocks, so that keys can be put in order (and a
//! key inserted) by moving lines, never by re-serialising YAML: comments, quoting, flow style
//! and blank lines stay exactly as the clerk wrote them.
//!
//! A block is a top-level key line, the lines that continue its value (indented, or list items,
//! or blank), and the comment lines directly above the key at the key's own indentation. Lines
//! before the first block (a header comment set off by a blank line) and comment or blank lines
//! after the last value stay where they are. Blank lines between blocks stay in place too, so
//! the visual grouping of the file survives a reorder.
//!
//! In: the YAML text of the front matter (with `\n` line ends) and its parsed tree.
//! Out: the blocks with their byte ranges; [`reorder`]; [`same_data`] to prove nothing changed.

use std::ops::Range;

use crate::content::yaml::{Node, Value};

/// One top-level key and the lines that belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyBlock {
    pub(crate) key: String,
    /// Bytes of the block: leading comments, the key line, continuation lines; without the
    /// blank lines that follow it.
    pub(crate) range: Range<usize>,
    /// Blank lines after the block (they belong to the position, not the block).
    pub(crate) gap: Range<usize>,
}

/// The front matter cut into a preamble, key blocks and a postamble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) preamble: Range<usize>,
    pub(crate) blocks: Vec<KeyBlock>,
    pub(crate) postamble: Range<usize>,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_comment_at(line: &str, indent: usize) -> bool {
    indent_of(line) == indent && line.trim_start().starts_with('#')
}

/// Cuts `yaml` into blocks. `root` is its parsed tree and `line_offset` the number of file lines
/// before the YAML (as given to `yaml::parse`). `None` when the front matter is not a block
/// mapping with one key per line at a common indentation: such a file is left as it is.
pub(crate) fn layout(yaml: &str, root: &Node, line_offset: usize) -> Option<Layout> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let lines: Vec<(usize, &str)> = yaml
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .collect();
    // Key lines, as 0-based indexes into `lines`, strictly increasing.
    let mut key_lines = Vec::with_capacity(entries.len());
    let indent = entries
        .first()
        .map(|(k, _)| k.pos.column.checked_sub(1))??;
    for (key, _) in entries {
        let index = key.pos.line.checked_sub(line_offset + 1)?;
        let (_, line) = lines.get(index)?;
        // Block style only: the key must be the first thing on its line, at the common indent.
        if key.pos.column != indent + 1 || indent_of(line) != indent {
            return None;
        }
        if key_lines.last().is_some_and(|last| *last >= index) {
            return None;
        }
        key_lines.push(index);
    }
    if key_lines.is_empty() {
        return None;
    }
    // The first line of each block: its key line, pulled up over the comments directly above.
    let starts: Vec<usize> = key_lines
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let floor = if i == 0 { 0 } else { key_lines[i - 1] + 1 };
            let mut s = k;
            while s > floor && is_comment_at(lines[s - 1].1, indent) {
                s -= 1;
            }
            s
        })
        .collect();
    // The last block ends before the trailing comments and blank lines at the key indent.
    let mut tail = lines.len();
    let last_key = *key_lines.last()?;
    while tail > last_key + 1
        && (is_blank(lines[tail - 1].1) || is_comment_at(lines[tail - 1].1, indent))
    {
        tail -= 1;
    }
    // …but blank lines right after the last value are its gap, not the postamble.
    let byte = |index: usize| lines.get(index).map_or(yaml.len(), |(o, _)| *o);
    let mut blocks = Vec::with_capacity(entries.len());
    for (i, (key, _)) in entries.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(tail);
        let mut content_end = end;
        while content_end > key_lines[i] + 1 && is_blank(lines[content_end - 1].1) {
            content_end -= 1;
        }
        blocks.push(KeyBlock {
            key: key.name.clone(),
            range: byte(starts[i])..byte(content_end),
            gap: byte(content_end)..byte(end),
        });
    }
    Some(Layout {
        preamble: 0..byte(starts[0]),
        blocks,
        postamble: byte(tail)..yaml.len(),
    })
}

/// The blocks sorted by `order` (unknown keys last, in their own order), each position keeping
/// its own gap of blank lines. Returns the new YAML text.
pub(crate) fn reorder(yaml: &str, layout: &Layout, order: &[&str]) -> String {
    let rank = |key: &str| order.iter().position(|k| *k == key).unwrap_or(order.len());
    let mut sorted: Vec<&KeyBlock> = layout.blocks.iter().collect();
    sorted.sort_by_key(|b| rank(&b.key));
    let mut out = String::with_capacity(yaml.len() + 1);
    out.push_str(&yaml[layout.preamble.clone()]);
    for (position, block) in layout.blocks.iter().zip(&sorted) {
        let text = &yaml[block.range.clone()];
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&yaml[position.gap.clone()]);
    }
    out.push_str(&yaml[layout.postamble.clone()]);
    out
}

/// Whether two trees hold the same data, ignoring positions and the order of mapping keys.
/// Numbers compare by their written text too (`id: 007` is not `id: 7`).
pub(crate) fn same_data(a: &Node, b: &Node) -> bool {
    if a.raw != b.raw {
        return false;
    }
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_data(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| k2.name == k.name)
                        .is_some_and(|(_, v2)| same_data(v, v2))
                })
        }
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits() || x == y,
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn order(text: &str, keys: &[&str]) -> Option<String> {
        let root = yaml::parse(text, 1).ok()?;
        let layout = layout(text, &root, 1)?;
        Some(reorder(text, &layout, keys))
    }

    #[test]
    fn comments_travel_with_their_key_and_blank_lines_stay() {
        let text = "# header\n\n# the title\ntitle: T\n\nid: A # inline\nmeasures:\n  前期预防:\n    - x\n  # indented note\n# trailing\n";
        let out = order(text, &["id", "title", "measures"]).unwrap();
        assert_eq!(
            out,
            "# header\n\nid: A # inline\n\n# the title\ntitle: T\nmeasures:\n  前期预防:\n    - x\n  # indented note\n# trailing\n"
        );
        assert_eq!(order(&out, &["id", "title", "measures"]).unwrap(), out);
    }

    #[test]
    fn unknown_keys_go_last_in_their_own_order() {
        let out = order("zz: 1\nid: A\naa: 2\n", &["id"]).unwrap();
        assert_eq!(out, "id: A\nzz: 1\naa: 2\n");
    }

    #[test]
    fn flow_mappings_and_sequences_at_column_zero() {
        assert!(order("{id: A, title: B}\n", &["title", "id"]).is_none());
        let out = order("list:\n- a\n- b\nid: A\n", &["id", "list"]).unwrap();
        assert_eq!(out, "id: A\nlist:\n- a\n- b\n");
    }

    #[test]
    fn same_data_ignores_positions_and_key_order() {
        let a = yaml::parse("a: 1\nb: [x, y]\n", 0).unwrap();
        let b = yaml::parse("\n\nb:\n  - x\n  - y\na: 1\n", 3).unwrap();
        let c = yaml::parse("a: 1\nb: [y, x]\n", 0).unwrap();
        assert!(same_data(&a, &b));
        assert!(!same_data(&a, &c));
    }
}
