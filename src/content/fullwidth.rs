//! Full-width characters where YAML syntax is expected: the slips of a Chinese input method.
//!
//! A liaison typing in Chinese writes `impact：较重` (the full-width colon), indents with the
//! full-width space U+3000, separates `[甲，乙]` with `，`, brackets a list with `【】` or `［］`,
//! quotes with `“”`, starts a list item with `－`. YAML reads none of these as syntax: the
//! parser fails somewhere after the slip, with a message about something else (`impact：较重`
//! was "键后缺少“: ”" with the caret on column 1; `  前期预防：` was blamed on the next line),
//! or reads something that was not meant (`[甲，乙]` is one item, `【甲, 乙】` one text).
//!
//! In: the YAML text (a front matter or a `.yaml` file), its first line's number in the file,
//! and what the parser made of it. Out: one `yaml-syntax` diagnostic per slip, with the caret
//! on the character, naming it, and the repair `check --fix` makes.
//!
//! A character is a slip only where YAML syntax stands: a key's colon, the indent, the
//! brackets and commas of a `[…]` list, the quotes around a whole value. In the text of a value
//! it is the writer's own (`title: 注意：大额资金`, `- 加强教育，签订承诺书`). Where a text
//! could be either, it is a slip only when the parser failed on or just after its line
//! (`- name：动员部署` above `    start: …`, a value in `“…”` that holds `: `).

use crate::content::yaml::{Node, Value};
use crate::diagnostic::{Diagnostic, Edit, Pos, Rule};

const IDEOGRAPHIC_SPACE: char = '\u{3000}';
const FULL_COLON: char = '：';
const FULL_COMMA: char = '，';
const FULL_HYPHEN: char = '－';

/// What the parser made of the text.
#[derive(Clone, Copy)]
pub(crate) enum Parsed<'n> {
    Tree(&'n Node),
    /// It failed at this line of the file.
    FailedAt(usize),
}

/// The kinds of slip, each with its message and hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Colon,
    SpaceAfterColon,
    Indent,
    Dash,
    SpaceAfterDash,
    Bracket(char, char),
    Comma,
    Quote(char, char),
}

impl Kind {
    fn message(self) -> String {
        let what = match self {
            Kind::Colon => "键后是中文冒号“：”".to_string(),
            Kind::SpaceAfterColon => "冒号后是全角空格“　”".to_string(),
            Kind::Indent => "缩进用了全角空格“　”".to_string(),
            Kind::Dash => "列表项开头是全角减号“－”".to_string(),
            Kind::SpaceAfterDash => "列表项的“-”后是全角空格“　”".to_string(),
            Kind::Bracket('【', _) => "列表用了中文方括号“【】”".to_string(),
            Kind::Bracket('｛', _) => "键值表用了全角花括号“｛｝”".to_string(),
            Kind::Bracket(open, close) => format!("列表用了全角方括号“{open}{close}”"),
            Kind::Comma => "列表项之间用了中文逗号“，”".to_string(),
            Kind::Quote(open, close) => format!("值用中文引号 {open}…{close} 括起"),
        };
        format!("YAML 语法错误：{what}")
    }

    fn hint(self, fixable: bool) -> String {
        let how = match self {
            Kind::Colon => "把中文冒号“：”改为英文冒号加空格“: ”".to_string(),
            Kind::SpaceAfterColon => "把冒号后的全角空格改为一个半角（英文）空格".to_string(),
            Kind::Indent => {
                "缩进只能用半角（英文）空格：每个全角空格换成两个半角空格".to_string()
            }
            Kind::Dash => "列表项以英文减号加空格“- ”开头".to_string(),
            Kind::SpaceAfterDash => "把“-”后的全角空格改为一个半角（英文）空格".to_string(),
            Kind::Bracket(open, close) => {
                let (a, b) = if open == '｛' { ('{', '}') } else { ('[', ']') };
                format!(
                    "把“{open}{close}”改为英文括号“{a}{b}”，各项以英文逗号加空格分隔，例如 [甲, 乙]"
                )
            }
            Kind::Comma => "列表各项以英文逗号加空格“, ”分隔；若“，”是某一项文字中的标点，请用英文引号把这一项括起来，例如 [\"甲，乙\", 丙]".to_string(),
            Kind::Quote(..) => {
                "YAML 的引号须是英文引号：把整个值写在 \"…\" 或 '…' 之中".to_string()
            }
        };
        if fixable {
            format!("{how}（gongshi check --fix 可自动改正）")
        } else {
            how
        }
    }
}

/// One slip: where (file line, 1-based character column, length), what, and the repair.
#[derive(Debug, Clone)]
struct Slip {
    line: usize,
    column: usize,
    len: usize,
    /// For a slip of a key's colon, the column where the key starts; 0 in a flow mapping.
    key_column: usize,
    kind: Kind,
    /// Reported only when the parser failed on or just after its line.
    weak: bool,
    fix: Option<Edit>,
}

/// The slips of `yaml` (whose first line is file line `line_offset + 1`), as diagnostics of
/// `file`, in file order. `parsed` says what the parser made of the text: a slip that could
/// be the writer's own text is reported only near the line the parser failed on.
pub(crate) fn slips(file: &str, yaml: &str, line_offset: usize, parsed: Parsed) -> Vec<Diagnostic> {
    // Almost every front matter has full-width punctuation only in the text of its values:
    // a quick look at the lines that hold one (`may_slip`) settles that, and the lines are
    // gathered only then.
    if !any_line_may_slip(yaml) {
        return Vec::new();
    }
    let lines = content_lines(yaml, line_offset);
    let mut found: Vec<Slip> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if may_slip(line.text) {
            scan_line(line, lines.get(i + 1), &mut found);
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let kept: Vec<Slip> = match parsed {
        Parsed::Tree(root) => {
            // The text parsed: a key-like start of a line is a slip only where a value node
            // starts (not inside a text that runs over several lines), and nothing is weak.
            let starts = value_starts(root);
            found
                .into_iter()
                .filter(|s| !s.weak)
                .filter(|s| match s.kind {
                    Kind::Colon | Kind::SpaceAfterColon if s.key_column > 0 => {
                        line_start_of(&lines, s.line) != Some(s.key_column)
                            || starts.contains(&(s.line, s.key_column))
                    }
                    _ => true,
                })
                .collect()
        }
        Parsed::FailedAt(error_line) => {
            let (strong, weak): (Vec<Slip>, Vec<Slip>) = found.into_iter().partition(|s| !s.weak);
            let explained = strong.iter().any(|s| s.line <= error_line);
            let before = lines.iter().rev().map(|l| l.no).find(|no| *no < error_line);
            let near = (!explained)
                .then(|| {
                    weak.into_iter()
                        .filter(|s| s.line == error_line || Some(s.line) == before)
                        .max_by_key(|s| (s.line, std::cmp::Reverse(s.column)))
                })
                .flatten();
            strong.into_iter().chain(near).collect()
        }
    };
    let mut diags: Vec<Diagnostic> = kept
        .into_iter()
        .map(|s| {
            let d = Diagnostic::new(
                Rule::YamlSyntax,
                file,
                Pos::new(s.line, s.column, s.len),
                s.kind.message(),
            )
            .with_hint(s.kind.hint(s.fix.is_some()));
            match s.fix {
                Some(edit) => d.with_fix(vec![edit]),
                None => d,
            }
        })
        .collect();
    diags.sort_by_key(|d| (d.pos.line, d.pos.column));
    diags
}

/// The first byte, in UTF-8, of every character `may_slip` looks for: “ ‘ (0xE2), `　` and 【
/// (0xE3), ： ， － ［ ｛ (0xEF). Chinese characters themselves start with 0xE4–0xE9.
const SUSPECT_LEADS: [u8; 3] = [0xE2, 0xE3, 0xEF];

/// Whether any line of `yaml` may hold a slip (`may_slip`): only the lines that hold a suspect
/// lead byte are looked at, each once, found by one SIMD scan of the whole text.
fn any_line_may_slip(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    let [a, b, c] = SUSPECT_LEADS;
    // Hits before this byte are on a line already looked at.
    let mut looked_to = 0;
    for hit in memchr::memchr3_iter(a, b, c, bytes) {
        if hit < looked_to {
            continue;
        }
        // `\n` is one byte, so both ends are character boundaries.
        let start = memchr::memrchr(b'\n', &bytes[..hit]).map_or(0, |at| at + 1);
        let end = memchr::memchr(b'\n', &bytes[hit..]).map_or(bytes.len(), |at| hit + at);
        if may_slip(&yaml[start..end]) {
            return true;
        }
        looked_to = end;
    }
    false
}

/// Whether a line may hold a slip where `scan_line` looks: a full-width space or hyphen
/// where its content starts, a `：` before its first `:`, a full-width bracket or quote where
/// its value starts, a `，` or `：` in a line whose value is a flow collection. Byte searches
/// only: this runs on every line of every file.
fn may_slip(line: &str) -> bool {
    // Most lines of Chinese values hold none of the lead bytes: one byte scan settles them.
    let [a, b, c] = SUSPECT_LEADS;
    if memchr::memchr3(a, b, c, line.as_bytes()).is_none() {
        return false;
    }
    let content = line.trim_start_matches(' ');
    if content.starts_with([IDEOGRAPHIC_SPACE, FULL_HYPHEN]) || content.starts_with("-\u{3000}") {
        return true;
    }
    // The key: up to the first `:`.
    let colon = line.find(':');
    let key_part = &line[..colon.unwrap_or(line.len())];
    if key_part.contains(FULL_COLON) {
        return true;
    }
    // The value: after `: ` or `- `.
    let value = match colon {
        Some(at) => &line[at + 1..],
        None => content.strip_prefix('-').unwrap_or(content),
    }
    .trim_start_matches([' ', IDEOGRAPHIC_SPACE]);
    value.starts_with(['【', '［', '｛', '“', '‘'])
        || (value.starts_with(['[', '{'])
            && (value.contains(FULL_COMMA) || value.contains(FULL_COLON)))
        || line[colon.map_or(0, |at| at + 1)..].starts_with(IDEOGRAPHIC_SPACE)
}

/// One line of the text that may hold syntax.
#[derive(Debug)]
struct Line<'t> {
    /// Its number in the file.
    no: usize,
    /// Without the line ending.
    text: &'t str,
    /// Leading spaces and full-width spaces, in characters.
    indent: usize,
}

/// The lines that are not blank, not comments and not inside a block scalar (`|`, `>`),
/// whose text is the writer's own.
fn content_lines(yaml: &str, line_offset: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut block_at: Option<usize> = None;
    for (i, raw) in yaml.split('\n').enumerate() {
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let rest = text.trim_start_matches([' ', IDEOGRAPHIC_SPACE]);
        let indent = text[..text.len() - rest.len()].chars().count();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(parent) = block_at {
            if indent > parent {
                continue;
            }
            block_at = None;
        }
        if opens_block_scalar(rest) {
            block_at = Some(indent);
        }
        out.push(Line {
            no: i + 1 + line_offset,
            text,
            indent,
        });
    }
    out
}

/// Whether a line ends with a block scalar's indicator (`key: |`, `- >-`).
fn opens_block_scalar(content: &str) -> bool {
    let without_comment = content.split(" #").next().unwrap_or(content).trim_end();
    let last = without_comment
        .rsplit([' ', '\t'])
        .next()
        .unwrap_or(without_comment);
    let before = &without_comment[..without_comment.len() - last.len()];
    (before.ends_with(": ") || before.ends_with("- "))
        && last.starts_with(['|', '>'])
        && last[1..]
            .chars()
            .all(|c| matches!(c, '-' | '+' | '1'..='9'))
}

/// The column (1-based, characters) where the content of file line `no` starts.
fn line_start_of(lines: &[Line], no: usize) -> Option<usize> {
    lines.iter().find(|l| l.no == no).map(|l| l.indent + 1)
}

/// The positions (file line, column) where a text value of a mapping, or the whole document,
/// starts: there a key-like `word：` is the start of a value, not text running on from the line
/// before.
fn value_starts(root: &Node) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if matches!(root.value, Value::Str(_)) {
        out.push((root.pos.line, root.pos.column));
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for (_, value) in entries {
                    if matches!(value.value, Value::Str(_)) {
                        out.push((value.pos.line, value.pos.column));
                    }
                    stack.push(value);
                }
            }
            Value::Seq(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// The 1-based character column of byte `byte` of `text`.
fn column(text: &str, byte: usize) -> usize {
    text[..byte].chars().count() + 1
}

/// The byte just after the run of `chars` that starts at `byte`.
fn run_end(text: &str, byte: usize, chars: &[char]) -> usize {
    byte + text[byte..].len() - text[byte..].trim_start_matches(chars).len()
}

/// Keys that hold one text: a value in brackets there is the writer's text (`title: 【重要】`).
const TEXT_KEYS: &[&str] = &[
    "id",
    "title",
    "level",
    "post",
    "holder",
    "category",
    "likelihood",
    "impact",
    "grade",
    "owner",
    "supervisor",
    "sanzhong_yida",
    "scope",
    "name",
    "head",
    "liaison",
    "key_area",
    "basis",
    "contact",
    "principal",
    "office_director",
    "theme",
    "base_path",
];

/// Whether `key` looks like a key (a short word, no space, no prose punctuation, not the start
/// of a quoted or flow value).
fn key_like(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= 30
        && !key.starts_with([
            '"', '\'', '[', '{', '#', '&', '*', '!', '|', '>', '%', '@', '`', '“', '‘', '【', '［',
            '｛', '-',
        ])
        && !key.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '，' | '。' | '；' | '！' | '？' | '、' | '（' | '）' | '“' | '”'
                )
        })
}

/// Looks at one line; `next` is the line after it, for a list item that opens a mapping.
fn scan_line(line: &Line, next: Option<&Line>, found: &mut Vec<Slip>) {
    let content_at = scan_indent(line, found);
    let (at, item) = match scan_dash(line, content_at, found) {
        Some(after_dash) => (after_dash, true),
        None => (content_at, false),
    };
    let (key, value_at) = scan_key(line, next, at, item, found);
    if let Some(value_at) = value_at
        && value_at < line.text.len()
    {
        scan_value(line, value_at, key, item, found);
    }
}

/// The indent: spaces, and any full-width space among them. Returns where the content starts.
fn scan_indent(line: &Line, found: &mut Vec<Slip>) -> usize {
    let text = line.text;
    let content_at = run_end(text, 0, &[' ', IDEOGRAPHIC_SPACE]);
    let indent = &text[..content_at];
    if let Some(first) = indent.find(IDEOGRAPHIC_SPACE) {
        let run = run_end(text, first, &[IDEOGRAPHIC_SPACE]);
        found.push(Slip {
            line: line.no,
            column: column(text, first),
            len: text[first..run].chars().count(),
            key_column: 0,
            kind: Kind::Indent,
            weak: false,
            fix: Some(Edit {
                line: line.no,
                column: 1,
                expected: indent.to_string(),
                replacement: indent.replace(IDEOGRAPHIC_SPACE, "  "),
            }),
        });
    }
    content_at
}

/// A list item at `at`: `- `, or `－` / `-　` typed for it. Returns where the item's content
/// starts (after the dash and its spaces), or `None` when the line is not an item.
fn scan_dash(line: &Line, mut at: usize, found: &mut Vec<Slip>) -> Option<usize> {
    let text = line.text;
    let rest = &text[at..];
    if let Some(after) = rest.strip_prefix(FULL_HYPHEN)
        && (after.is_empty() || after.starts_with([' ', IDEOGRAPHIC_SPACE]))
    {
        found.push(slip_at(line, at, 1, Kind::Dash, "－", "-"));
        at += FULL_HYPHEN.len_utf8();
    } else if let Some(after) = rest.strip_prefix('-')
        && (after.is_empty() || after.starts_with([' ', IDEOGRAPHIC_SPACE]))
    {
        at += 1;
    } else {
        return None;
    }
    if text[at..].starts_with(IDEOGRAPHIC_SPACE) {
        let run = run_end(text, at, &[IDEOGRAPHIC_SPACE]);
        found.push(slip_at(
            line,
            at,
            text[at..run].chars().count(),
            Kind::SpaceAfterDash,
            &text[at..run],
            " ",
        ));
    }
    Some(run_end(text, at, &[' ', IDEOGRAPHIC_SPACE]))
}

/// A key at `at`: the text up to the first colon that ends a key (`: `, `:` at the end, `:　`),
/// or up to a full-width colon. Returns the key, if any, and where the value starts (`None`
/// for a line without a key that is not an item: the text of a value running on).
fn scan_key<'t>(
    line: &Line<'t>,
    next: Option<&Line>,
    at: usize,
    item: bool,
    found: &mut Vec<Slip>,
) -> (Option<&'t str>, Option<usize>) {
    let text = line.text;
    let rest = &text[at..];
    let separator = rest.char_indices().find(|&(i, c)| {
        c == FULL_COLON
            || (c == ':'
                && rest[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == IDEOGRAPHIC_SPACE))
    });
    // Spaces typed between the key and a full-width colon (`impact ：较重`) go with the colon.
    let key_text = |i: usize, c: char| match c {
        FULL_COLON => rest[..i].trim_end_matches([' ', IDEOGRAPHIC_SPACE]),
        _ => &rest[..i],
    };
    let Some((i, c)) = separator.filter(|&(i, c)| key_like(key_text(i, c))) else {
        return (None, if item { Some(at) } else { None });
    };
    let key_len = key_text(i, c).len();
    let colon = at + i;
    let after = colon + c.len_utf8();
    let key_column = column(text, at);
    if c == FULL_COLON {
        // The colon, with any spaces around it, becomes `: ` (`:` before a space or the
        // end of the line).
        let gap = at + key_len;
        let run = run_end(text, after, &[IDEOGRAPHIC_SPACE]);
        let replacement = if run == text.len() || text[run..].starts_with(' ') {
            ":"
        } else {
            ": "
        };
        let mut slip = slip_at(line, gap, 1, Kind::Colon, &text[gap..run], replacement);
        slip.column = column(text, colon);
        slip.key_column = key_column;
        // An item's `name：…` may be the item's text; it is a key when the next line lines
        // up under it as the mapping's next key.
        slip.weak = item && !next_is_sibling_key(line, next, key_column);
        found.push(slip);
    } else if text[after..].starts_with(IDEOGRAPHIC_SPACE) {
        let run = run_end(text, after, &[IDEOGRAPHIC_SPACE]);
        let mut slip = slip_at(
            line,
            after,
            text[after..run].chars().count(),
            Kind::SpaceAfterColon,
            &text[after..run],
            " ",
        );
        slip.key_column = key_column;
        slip.weak = item && !next_is_sibling_key(line, next, key_column);
        found.push(slip);
    }
    (
        Some(&rest[..key_len]),
        Some(run_end(text, after, &[' ', IDEOGRAPHIC_SPACE])),
    )
}

/// Whether `next` is a key at `key_column`: the item's first line opened a mapping.
fn next_is_sibling_key(line: &Line, next: Option<&Line>, key_column: usize) -> bool {
    next.is_some_and(|n| {
        n.indent + 1 == key_column && n.no == line.no + 1 && {
            let content = n.text.trim_start_matches([' ', IDEOGRAPHIC_SPACE]);
            content
                .split_once([':', FULL_COLON])
                .is_some_and(|(k, _)| key_like(k))
        }
    })
}

/// A slip of `len` characters at byte `byte` of the line, repaired by replacing `expected`
/// (which starts there) with `replacement`.
fn slip_at(
    line: &Line,
    byte: usize,
    len: usize,
    kind: Kind,
    expected: &str,
    replacement: &str,
) -> Slip {
    Slip {
        line: line.no,
        column: column(line.text, byte),
        len,
        key_column: 0,
        kind,
        weak: false,
        fix: Some(Edit {
            line: line.no,
            column: column(line.text, byte),
            expected: expected.to_string(),
            replacement: replacement.to_string(),
        }),
    }
}

/// Looks at a value that starts at byte `at`: brackets, quotes, and the commas of a flow list.
fn scan_value(line: &Line, at: usize, key: Option<&str>, item: bool, found: &mut Vec<Slip>) {
    let text = line.text;
    let value = strip_comment(&text[at..]);
    let Some(first) = value.chars().next() else {
        return;
    };
    match first {
        '[' | '{' => flow_commas(line, at, value, found),
        '【' | '［' | '｛' => {
            let close = match first {
                '【' => '】',
                '［' => '］',
                _ => '｝',
            };
            let text_key = key.is_some_and(|k| TEXT_KEYS.contains(&k));
            if !value.ends_with(close) || text_key || (key.is_none() && item) {
                return;
            }
            let inner = &value[first.len_utf8()..value.len() - close.len_utf8()];
            let (open_ascii, close_ascii) = if first == '｛' {
                ('{', '}')
            } else {
                ('[', ']')
            };
            let mut replacement = String::new();
            replacement.push(open_ascii);
            replacement.push_str(&ascii_separators(inner, first == '｛'));
            replacement.push(close_ascii);
            let mut slip = slip_at(
                line,
                at,
                1,
                Kind::Bracket(first, close),
                value,
                &replacement,
            );
            slip.len = 1;
            found.push(slip);
        }
        '“' | '‘' => {
            let close = if first == '“' { '”' } else { '’' };
            if value.chars().count() < 2 || !value.ends_with(close) {
                return;
            }
            let inner = &value[first.len_utf8()..value.len() - close.len_utf8()];
            let replacement = if !inner.contains(['"', '\\']) {
                Some(format!("\"{inner}\""))
            } else if !inner.contains('\'') {
                Some(format!("'{inner}'"))
            } else {
                None
            };
            let mut slip = slip_at(line, at, 1, Kind::Quote(first, close), value, "");
            slip.fix = replacement.map(|replacement| Edit {
                line: line.no,
                column: column(text, at),
                expected: value.to_string(),
                replacement,
            });
            // The writer's own quotation marks unless the parser failed here.
            slip.weak = true;
            found.push(slip);
        }
        _ => {}
    }
}

/// The value without a trailing comment (` # …`) and trailing spaces.
fn strip_comment(value: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == IDEOGRAPHIC_SPACE) => {
                return value[..i].trim_end_matches([' ', IDEOGRAPHIC_SPACE]);
            }
            None => {}
        }
        prev = c;
    }
    value.trim_end_matches([' ', IDEOGRAPHIC_SPACE])
}

/// Inside a bracketed list typed in full width: its `，` (and in `｛｝`, its `：`) as the ASCII
/// separators they stand for.
fn ascii_separators(inner: &str, mapping: bool) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            FULL_COMMA => {
                out.push_str(", ");
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            FULL_COLON if mapping => {
                out.push_str(": ");
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The `，` between the items of a flow collection that opens at byte `at` and closes on the
/// same line (outside quotes), and the `：` after a key of a flow mapping.
fn flow_commas(line: &Line, at: usize, value: &str, found: &mut Vec<Slip>) {
    let text = line.text;
    let mut slips = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut closed = false;
    // Where the current entry of a flow mapping starts (after `{` or `,`), if in one.
    let mut open: Vec<char> = Vec::new();
    let mut entry_start: Option<usize> = None;
    for (i, c) in value.char_indices() {
        let byte = at + i;
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => {
                depth += 1;
                open.push(c);
                entry_start = (c == '{').then_some(i + 1);
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                open.pop();
                entry_start = None;
                if depth == 0 {
                    closed = i + c.len_utf8() == value.len();
                    break;
                }
            }
            ',' => {
                entry_start = (open.last() == Some(&'{')).then_some(i + 1);
            }
            ':' => entry_start = None,
            FULL_COMMA => {
                let after = &text[byte + c.len_utf8()..];
                // In a mapping a value is text (`contact: 院纪检办，电话 …`): the comma is a
                // separator only when a key follows it.
                let in_mapping = open.last() == Some(&'{');
                let key_follows = after
                    .trim_start_matches([' ', IDEOGRAPHIC_SPACE])
                    .split_once([':', FULL_COLON])
                    .is_some_and(|(k, _)| key_like(k));
                if !in_mapping || key_follows {
                    let replacement = if after.starts_with(' ') { "," } else { ", " };
                    slips.push(slip_at(line, byte, 1, Kind::Comma, "，", replacement));
                    entry_start = in_mapping.then_some(i + c.len_utf8());
                }
            }
            FULL_COLON => {
                if let Some(start) = entry_start.take()
                    && key_like(value[start..i].trim_start())
                {
                    let after = &text[byte + c.len_utf8()..];
                    let replacement = if after.starts_with(' ') { ":" } else { ": " };
                    slips.push(slip_at(line, byte, 1, Kind::Colon, "：", replacement));
                }
            }
            _ => {}
        }
    }
    if closed {
        found.extend(slips);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    /// The slips of a front matter (`yaml` starts on file line 2), as (line, column, message
    /// tail, text after `--fix`).
    fn slips_of(yaml: &str) -> Vec<(usize, usize, String)> {
        let parsed = yaml::parse(yaml, 1);
        let found = match &parsed {
            Ok(node) => slips("a.md", yaml, 1, Parsed::Tree(node)),
            Err(e) => slips("a.md", yaml, 1, Parsed::FailedAt(e.line)),
        };
        found
            .into_iter()
            .map(|d| (d.pos.line, d.pos.column, d.message))
            .collect()
    }

    #[test]
    fn a_full_width_colon_after_a_key() {
        assert_eq!(
            slips_of("id: A\nimpact：较重\n"),
            [(3, 7, "YAML 语法错误：键后是中文冒号“：”".to_string())]
        );
        assert_eq!(
            slips_of("measures:\n  前期预防：\n    - 甲\n  中期监控: [乙]\n")[0].0,
            3
        );
    }

    /// `may_slip`'s first test drops a line without these bytes: each character it looks for
    /// must start with one.
    #[test]
    fn every_character_looked_for_starts_with_a_suspect_lead() {
        for c in [
            FULL_COLON,
            IDEOGRAPHIC_SPACE,
            FULL_COMMA,
            FULL_HYPHEN,
            '【',
            '［',
            '｛',
            '“',
            '‘',
        ] {
            let mut buf = [0; 4];
            let first = c.encode_utf8(&mut buf).as_bytes()[0];
            assert!(SUSPECT_LEADS.contains(&first), "{c}");
        }
    }

    /// The scan for lead bytes finds a line wherever it is: first, last, after CRLF, alone.
    #[test]
    fn any_line_may_slip_agrees_with_each_line() {
        for yaml in [
            "impact：较重",
            "id: A\r\nimpact：较重\r\n",
            "title: 注意：大额\nimpact：较重\n",
            "title: 注意：大额，“甲”\n",
            "a: 甲\n\u{3000}b: 乙",
            "a: [甲，乙]\nb: 丙",
            "",
            "a: b\n",
        ] {
            assert_eq!(
                any_line_may_slip(yaml),
                yaml.split('\n').any(may_slip),
                "{yaml:?}"
            );
        }
    }

    #[test]
    fn text_of_values_is_left_alone() {
        for yaml in [
            "title: 注意：大额资金\n",
            "measures:\n  前期预防:\n    - 原则：双人复核\n    - 加强教育，签订承诺书\n",
            "title: “三重一大”事项\n",
            "title: 【重要】\n",
            "a: [\"甲，乙\", 丙]\n",
            "title: 很长的标题\n  续行：后面\n",
            "b: |\n  说明：\n  　缩进\n",
            "notice: {start: 2022-07-06, contact: 院纪检办，电话 0797}\n",
        ] {
            assert_eq!(slips_of(yaml), [], "{yaml}");
        }
    }

    #[test]
    fn each_kind_is_found_at_its_character() {
        let cases: &[(&str, (usize, usize))] = &[
            ("measures:\n　前期预防: [甲]\n", (3, 1)),
            ("a:\n  -　甲\n", (3, 4)),
            ("a:\n  － 甲\n", (3, 3)),
            ("a: [甲，乙]\n", (2, 6)),
            ("a: 【甲, 乙】\n", (2, 4)),
            ("a: ［甲］\n", (2, 4)),
            ("a: {start：2022-07-06, end: 2022-07-12}\n", (2, 10)),
            ("title: “公章: 管理”\n", (2, 8)),
            ("review:\n  submitted：2022-05-25\n", (3, 12)),
            ("impact:　较重\n", (2, 8)),
            ("impact ：较重\n", (2, 8)),
            ("notice: {start: 2022-07-06，end: 2022-07-12}\n", (2, 27)),
        ];
        for (yaml, at) in cases {
            let found = slips_of(yaml);
            assert_eq!(found.len(), 1, "{yaml}: {found:?}");
            assert_eq!((found[0].0, found[0].1), *at, "{yaml}");
        }
    }
}
