//! A YAML tree that remembers where every key and value stood.
//!
//! Front matter and the `.yaml` files are parsed by serde-saphyr into this small tree rather
//! than straight into structs, so that the checker can report unknown keys with a suggestion,
//! wrong types without giving up on the rest of the file, and missing keys next to their
//! neighbours, each at the key's or value's own line and column in the whole file.

use std::fmt;

mod fast;
mod messages;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diagnostic::Pos;

/// A YAML node and where it stands.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub(crate) pos: Pos,
    /// For a number, its text as written (`id: 007` is the text "007", not the number 7).
    pub(crate) raw: Option<String>,
    /// Byte range of the node in the parsed text, when known (used to recover `raw`).
    bytes: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key: its text (scalars of any type are read as text) and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub(crate) pos: Pos,
}

/// Nodes are equal when their values, positions and written text are (the byte range is
/// bookkeeping of the parser that produced them).
impl PartialEq for Node {
    fn eq(&self, other: &Node) -> bool {
        self.value == other.value && self.pos == other.pos && self.raw == other.raw
    }
}

impl Node {
    pub(crate) fn new(value: Value, pos: Pos) -> Node {
        Node {
            value,
            pos,
            raw: None,
            bytes: None,
        }
    }

    /// A plain scalar; a number keeps the text it was written as.
    pub(crate) fn scalar(value: Value, pos: Pos, written: &str) -> Node {
        let raw =
            matches!(value, Value::Int(_) | Value::Float(_)).then(|| written.trim().to_string());
        Node {
            value,
            pos,
            raw,
            bytes: None,
        }
    }

    /// The node's scalar as text, when it is a string or a number (`id: 2022`, `grade: 1`).
    pub(crate) fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) if self.raw.is_some() => self.raw.clone(),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }

    /// The entries of a mapping, or `None` for any other kind of node.
    pub(crate) fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A short Chinese name of what this node is, for "expected X, found Y" messages.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "空值",
            Value::Bool(_) => "布尔值",
            Value::Int(_) | Value::Float(_) => "数字",
            Value::Str(_) => "文本",
            Value::Seq(_) => "列表",
            Value::Map(_) => "键值表",
        }
    }
}

/// A YAML syntax error (or a breached budget) at a position of the parsed text.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// In Chinese (src/content/yaml/messages.rs).
    pub(crate) message: String,
    /// What to do about it, in Chinese; for an error without a Chinese wording, the parser's
    /// own words.
    pub(crate) hint: Option<String>,
}

/// Parses `text` into a tree. Positions are shifted by `line_offset` lines so that they count
/// in the whole file (front matter starts on the file's second line). Budgets keep alias bombs
/// and absurd nesting to an error in milliseconds.
pub fn parse(text: &str, line_offset: usize) -> Result<Node, SyntaxError> {
    // Plain front matter takes the fast path; anything else, and every error, is serde-saphyr's.
    if let Some(node) = fast::parse(text, line_offset) {
        debug_assert_eq!(
            parse_full(text, line_offset).ok().as_ref(),
            Some(&node),
            "the YAML fast path differs from serde-saphyr on:\n{text}"
        );
        return Ok(node);
    }
    parse_full(text, line_offset)
}

/// Whether the fast path agrees with serde-saphyr on `text`: when it gives a tree, the full
/// parser must give the same one (for the fuzz target and its corpus, src/fuzzing.rs).
pub(crate) fn fast_path_agrees(text: &str, line_offset: usize) -> Result<(), String> {
    let Some(fast) = fast::parse(text, line_offset) else {
        return Ok(());
    };
    match parse_full(text, line_offset) {
        Ok(full) if full == fast => Ok(()),
        Ok(full) => Err(format!(
            "the fast path's tree differs from serde-saphyr's\nfast: {fast:?}\nfull: {full:?}"
        )),
        Err(err) => Err(format!(
            "the fast path took what serde-saphyr refuses: {}",
            err.message
        )),
    }
}

fn parse_full(text: &str, line_offset: usize) -> Result<Node, SyntaxError> {
    let mut budget = serde_saphyr::Budget::default();
    // Front matter is a handful of levels deep (a year's `leaders.deputies[].oversees`: 4).
    // Each level is a frame of serde's recursion; 48 levels of explicit keys (`? - ? -`)
    // overflowed a 2 MiB thread stack in a debug build (found by the fuzzer), so 24.
    budget.max_depth = 24;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_nodes = 20_000;
    budget.max_events = 60_000;
    // The parser buffers the comment lines after a key without a value while it looks for
    // what the value is; past 32 (the default) it gave up ("too many buffered comments",
    // shown as YAML 格式有误) where the fast path, rightly, read the value as empty (found by
    // the fuzzer, issue 15). A file has at most 1 MB (`MAX_FILE_BYTES`), which bounds them.
    budget.max_buffered_comment_events = 1_000_000;
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: Some(budget),
        // `1e999` and `.nan` are values, not syntax: the loader that wants a number says at the
        // value that it is not a finite one, and goes on with the rest of the file.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<Value>>>(text, options) {
        Ok(Some(root)) => {
            let mut node = spanned_node(root);
            shift(&mut node, line_offset, text);
            Ok(node)
        }
        Ok(None) => Ok(Node {
            value: Value::Null,
            pos: Pos::new(line_offset + 1, 1, 1),
            raw: None,
            bytes: None,
        }),
        Err(err) => {
            let (line, column) = err
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            let english = plain_message(&err);
            let explained = messages::explain(&english);
            // A tab is reported where the scalar or block it spoils begins: point at the tab.
            let (line, column) = match explained.about_tab {
                true => messages::next_tab(text, line.max(1), column.max(1)),
                false => (line.max(1), column.max(1)),
            };
            Err(SyntaxError {
                line: line + line_offset,
                column,
                message: explained.message,
                hint: explained.hint,
            })
        }
    }
}

/// The parser's own words without the snippet and the trailing location (we print our own).
fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let message = match first.find(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    message.to_string()
}

/// Moves positions into whole-file lines and keeps the written text of numbers.
fn shift(node: &mut Node, by: usize, text: &str) {
    node.pos.line += by;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by, text)),
        Value::Map(entries) => {
            for (k, v) in entries {
                k.pos.line += by;
                shift(v, by, text);
            }
        }
        Value::Int(_) | Value::Float(_) => {
            node.raw = node
                .bytes
                .and_then(|(start, len)| text.get(start..start + len))
                .map(|raw| raw.trim().to_string())
                .filter(|raw| !raw.is_empty() && !raw.starts_with(['*', '&', '!']));
        }
        _ => {}
    }
}

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    let loc = s.referenced;
    Pos::new(
        loc.line() as usize,
        loc.column() as usize,
        loc.span().len() as usize,
    )
}

fn spanned_node(s: Spanned<Value>) -> Node {
    let pos = pos_of(&s);
    let span = s.referenced.span();
    let bytes = span
        .byte_offset()
        .zip(span.byte_len())
        .map(|(o, l)| (o as usize, l as usize));
    Node {
        value: s.value,
        pos,
        raw: None,
        bytes,
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(spanned_node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<Value>>()?;
            let pos = pos_of(&key);
            entries.push((
                Key {
                    name: key.value.0,
                    pos,
                },
                spanned_node(value),
            ));
        }
        Ok(Value::Map(entries))
    }
}

/// A mapping key read as text whatever its scalar type.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Str(s) => Ok(KeyText(s)),
            Value::Int(i) => Ok(KeyText(i.to_string())),
            Value::Float(f) => Ok(KeyText(f.to_string())),
            Value::Bool(b) => Ok(KeyText(b.to_string())),
            Value::Null => Ok(KeyText("~".to_string())),
            Value::Seq(_) | Value::Map(_) => {
                Err(de::Error::custom("a mapping key must be a scalar"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(node: &Node) -> &[(Key, Node)] {
        node.as_map().expect("a mapping")
    }

    #[test]
    fn keys_and_values_carry_their_positions() {
        let node = parse(
            "id: CWK-03\ntitle: 大额资金\nmeasures:\n  前期预防: [双人复核, 轮岗]\n",
            1,
        )
        .unwrap();
        let entries = map_of(&node);
        assert_eq!(entries[0].0.name, "id");
        assert_eq!(entries[0].0.pos, Pos::new(2, 1, 2));
        assert_eq!(entries[0].1.pos.line, 2);
        assert_eq!(entries[0].1.pos.column, 5);
        assert_eq!(entries[1].1.as_text().as_deref(), Some("大额资金"));
        assert_eq!(entries[1].1.pos.column, 8);
        let measures = map_of(&entries[2].1);
        assert_eq!(measures[0].0.name, "前期预防");
        assert_eq!(measures[0].0.pos.line, 5);
        assert_eq!(measures[0].0.pos.column, 3);
        match &measures[0].1.value {
            Value::Seq(items) => {
                assert_eq!(items[1].as_text().as_deref(), Some("轮岗"));
                assert_eq!(items[1].pos.line, 5);
            }
            other => panic!("expected a list, got {other:?}"),
        }
    }

    #[test]
    fn strict_booleans_keep_yes_as_text() {
        let node = parse("a: yes\nb: true\n", 0).unwrap();
        let entries = map_of(&node);
        assert_eq!(entries[0].1.value, Value::Str("yes".into()));
        assert_eq!(entries[1].1.value, Value::Bool(true));
    }

    #[test]
    fn numbers_keep_their_written_text() {
        let node = parse("id: 007\nx: 1e3\ny: 2\n", 1).unwrap();
        let texts: Vec<Option<String>> = map_of(&node).iter().map(|(_, v)| v.as_text()).collect();
        assert_eq!(
            texts,
            [Some("007".into()), Some("1e3".into()), Some("2".into())]
        );
    }

    #[test]
    fn dates_stay_text() {
        let node = parse("d: 2022-05-25\n", 0).unwrap();
        assert_eq!(map_of(&node)[0].1.value, Value::Str("2022-05-25".into()));
    }

    #[test]
    fn syntax_errors_have_a_shifted_position() {
        let err = parse("a: 1\nb: [1, 2\n", 1).unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n", 1).unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for c in 'b'..='z' {
            text.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = c;
        }
        let start = std::time::Instant::now();
        let err = parse(&text, 0).unwrap_err();
        assert!(err.message.contains("安全限制"), "{err:?}");
        // Not a speed target: a hang would show up here as minutes, not milliseconds.
        assert!(start.elapsed().as_secs() < 10);
    }

    /// Regression (found by the fuzzer): a key without a value followed by more than 32
    /// comment lines was a syntax error for serde-saphyr ("too many buffered comments") and an
    /// empty value for the fast path.
    #[test]
    fn many_comment_lines_after_an_empty_value_are_read() {
        let text = format!("review:\n{}title: 风险\n", "# 说明\n".repeat(100));
        let node = parse_full(&text, 1).expect("read");
        assert_eq!(map_of(&node)[0].1.value, Value::Null);
        assert_eq!(fast_path_agrees(&text, 1), Ok(()));
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let text = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&text, 0).is_err());
        let block: String = (0..100_000)
            .map(|i| format!("{}- \n", " ".repeat(i % 200)))
            .collect();
        let _ = parse(&block, 0);
    }
}
