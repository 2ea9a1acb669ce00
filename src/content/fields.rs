//! Reading a YAML mapping field by field into domain values, with a diagnostic for every key
//! that is unknown, missing, or holds a value of the wrong kind.
//!
//! Each loader (risk point, department, year, site, oversight) names its known keys and asks
//! for each one with the getter of the type it wants; problems are collected, never fatal.

use crate::content::yaml::{Key, Node, Value};
use crate::diagnostic::Pos;
use crate::diagnostic::{Diagnostic, Edit, Rule};
use crate::model::{Date, Located, Term};

/// Chinese words a clerk may type as a key, and the key they mean.
const CHINESE_KEYS: &[(&str, &str)] = &[
    ("编号", "id"),
    ("标题", "title"),
    ("名称", "name"),
    ("层次", "level"),
    ("级别", "level"),
    ("岗位", "post"),
    ("在岗人员", "holder"),
    ("姓名", "holder"),
    ("类别", "category"),
    ("风险类别", "category"),
    ("发生机率", "likelihood"),
    ("发生概率", "likelihood"),
    ("危害程度", "impact"),
    ("等级", "grade"),
    ("风险等级", "grade"),
    ("责任人", "owner"),
    ("负责人", "head"),
    ("监督人", "supervisor"),
    ("三重一大", "sanzhong_yida"),
    ("措施", "measures"),
    ("防控措施", "measures"),
    ("公示范围", "scope"),
    ("范围", "scope"),
    ("审批", "review"),
    ("审核", "review"),
    ("联络员", "liaison"),
    ("一岗双责", "duties"),
    ("职责", "duties"),
    ("岗位职责", "post"),
    ("廉政职责", "integrity"),
    ("备案", "filed"),
    ("纪检", "discipline"),
    ("通报日期", "date"),
    ("日期", "date"),
];

/// The known key nearest to `unknown`, if one is near enough to be a likely typo.
pub(crate) fn nearest_key<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some((_, english)) = CHINESE_KEYS.iter().find(|(zh, _)| *zh == unknown.trim())
        && let Some(k) = known.iter().find(|k| *k == english)
    {
        return Some(k);
    }
    let lower = unknown.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3) && *distance < k.len())
        .min()
        .map(|(_, k)| k)
}

/// `context` and the rest of a message: with a space after a Latin word or an id
/// ("oversight.yaml 中没有字段", "风险点 CW-03 缺少必填字段"), none after Chinese
/// ("风险点缺少必填字段", "measures（防控措施）中没有字段").
pub(crate) fn phrase(context: &str, rest: &str) -> String {
    match context.chars().last() {
        Some(c) if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '`') => {
            format!("{context} {rest}")
        }
        _ => format!("{context}{rest}"),
    }
}

/// One mapping being read: reports unknown keys up front, then hands out values by key.
pub(crate) struct Fields<'a> {
    pub(crate) file: &'a str,
    entries: &'a [(Key, Node)],
    /// Where to point when a key is missing: the mapping's own key, or the front matter's `---`.
    anchor: Pos,
    /// How the mapping is named in messages ("front matter", "notice", "measures"…).
    context: &'a str,
    /// The known keys that the unknown keys were taken for (`grdae` → `grade`).
    misspelt: Vec<String>,
}

impl<'a> Fields<'a> {
    /// Starts reading `node` as a mapping with the given known keys. Returns `None` (and reports
    /// `invalid-value`) when it is not a mapping.
    pub(crate) fn new(
        file: &'a str,
        node: &'a Node,
        anchor: Pos,
        context: &'a str,
        known: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Fields<'a>> {
        let entries: &'a [(Key, Node)] = match &node.value {
            Value::Null => &[],
            _ => match node.as_map() {
                Some(entries) => entries,
                None => {
                    let message = phrase(
                        context,
                        &format!("应为键值表（key: value），实际是{}", node.kind_name()),
                    );
                    diags.push(Diagnostic::new(Rule::InvalidValue, file, node.pos, message));
                    return None;
                }
            },
        };
        let mut misspelt = Vec::new();
        for (key, _) in entries {
            if known.contains(&key.name.as_str()) {
                continue;
            }
            let mut d = Diagnostic::new(
                Rule::UnknownField,
                file,
                key.pos,
                phrase(context, &format!("中没有字段 `{}`", key.name)),
            );
            d = match nearest_key(&key.name, known) {
                Some(k) => {
                    misspelt.push(k.to_string());
                    d.with_hint(format!("是否想写 `{k}`？"))
                }
                None => d.with_hint(format!("可用的字段：{}", known.join(", "))),
            };
            diags.push(d);
        }
        Some(Fields {
            file,
            entries,
            anchor,
            context,
            misspelt,
        })
    }

    /// The key and value of `name`, if present and not null.
    pub(crate) fn entry(&self, name: &str) -> Option<&'a (Key, Node)> {
        self.entries
            .iter()
            .find(|(k, v)| k.name == name && v.value != Value::Null)
    }

    pub(crate) fn node(&self, name: &str) -> Option<&'a Node> {
        self.entry(name).map(|(_, v)| v)
    }

    /// The value of an optional key, if one was given: an empty text (`grade: ""`) is not
    /// given, like `grade:` (docs/authoring.md: empty optional keys mean "not given").
    fn given(&self, name: &str) -> Option<&'a Node> {
        self.node(name)
            .filter(|node| !matches!(&node.value, Value::Str(s) if s.trim().is_empty()))
    }

    /// Whether the mapping gives `name` a value (not null, not empty text), readable or not.
    pub(crate) fn gives(&self, name: &str) -> bool {
        self.given(name).is_some()
    }

    /// Whether an unknown key of the mapping was reported as a misspelling of `name` (and
    /// `name` itself is absent): what the file says of `name` is in that key.
    pub(crate) fn misspelt(&self, name: &str) -> bool {
        !self.has(name) && self.misspelt.iter().any(|k| k == name)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }

    pub(crate) fn key_pos(&self, name: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(k, _)| k.pos)
    }

    /// Reports `name` missing, unless an unknown key was taken for it: that key's
    /// `unknown-field` ("是否想写 `name`？") is the one message for the one mistake.
    pub(crate) fn missing(&self, name: &str, diags: &mut Vec<Diagnostic>) {
        if self.misspelt(name) {
            return;
        }
        let pos = self.key_pos(name).unwrap_or(self.anchor);
        diags.push(Diagnostic::new(
            Rule::MissingField,
            self.file,
            pos,
            phrase(self.context, &format!("缺少必填字段 `{name}`")),
        ));
    }

    /// A required text value.
    pub(crate) fn text(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<String>> {
        let Some(node) = self.node(name) else {
            self.missing(name, diags);
            return None;
        };
        text_of(self.file, name, node, diags)
    }

    /// An optional text value; empty is not given.
    pub(crate) fn opt_text(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<String>> {
        self.given(name)
            .and_then(|node| text_of(self.file, name, node, diags))
    }

    /// A required value of one of the plan's enumerations.
    pub(crate) fn term<T: Term>(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<T>> {
        let Some(node) = self.node(name) else {
            self.missing(name, diags);
            return None;
        };
        term_of(self.file, name, node, diags)
    }

    pub(crate) fn opt_term<T: Term>(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<T>> {
        self.given(name)
            .and_then(|node| term_of(self.file, name, node, diags))
    }

    pub(crate) fn date(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Located<Date>> {
        let Some(node) = self.node(name) else {
            self.missing(name, diags);
            return None;
        };
        date_of(self.file, name, node, diags)
    }

    pub(crate) fn opt_date(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Located<Date>> {
        self.given(name)
            .and_then(|node| date_of(self.file, name, node, diags))
    }

    /// An optional list of text values (a lone text is taken as a list of one).
    pub(crate) fn text_list(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Located<String>> {
        match self.node(name) {
            None => Vec::new(),
            Some(node) => text_list_of(self.file, name, node, diags),
        }
    }

    /// Where the mapping says `name` (its key), for messages about the whole entry.
    pub(crate) fn pos_of(&self, name: &str) -> Pos {
        self.key_pos(name).unwrap_or(self.anchor)
    }
}

/// The longest title (a point's, a year's) in characters: it heads a page, a table row of the
/// forms and a search result.
pub(crate) const MAX_TITLE_CHARS: usize = 100;

/// The longest text value of any field in characters (a measure is a sentence or two).
pub(crate) const MAX_TEXT_CHARS: usize = 1000;

/// A value as a message quotes it: at most 40 characters, and how long it was when longer (a
/// 10,000-character id was echoed whole).
pub(crate) fn shorten(value: &str) -> String {
    const SHOWN: usize = 40;
    let count = value.chars().count();
    if count <= SHOWN {
        return value.to_string();
    }
    let head: String = value.chars().take(SHOWN).collect();
    format!("{head}…（共 {count} 个字符）")
}

/// `invalid-value` for a title longer than `MAX_TITLE_CHARS`.
pub(crate) fn check_title(file: &str, title: &Located<String>, diags: &mut Vec<Diagnostic>) {
    let count = title.value.chars().count();
    if count > MAX_TITLE_CHARS {
        diags.push(
            Diagnostic::new(
                Rule::InvalidValue,
                file,
                title.pos,
                format!("标题过长：{count} 个字符，最多 {MAX_TITLE_CHARS} 个"),
            )
            .with_hint("标题写风险点的名称即可；说明写在正文中"),
        );
    }
}

pub(crate) fn text_of(
    file: &str,
    name: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<String>> {
    match node.as_text() {
        Some(text) if text.chars().count() > MAX_TEXT_CHARS => {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    node.pos,
                    format!(
                        "字段 `{name}` 的值过长：{} 个字符，最多 {MAX_TEXT_CHARS} 个",
                        text.chars().count()
                    ),
                )
                .with_hint("较长的说明请写在正文中"),
            );
            None
        }
        Some(text) if !text.trim().is_empty() => {
            Some(Located::new(text.trim().to_string(), node.pos))
        }
        Some(_) => {
            diags.push(Diagnostic::new(
                Rule::MissingField,
                file,
                node.pos,
                format!("字段 `{name}` 的值为空"),
            ));
            None
        }
        None => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!("字段 `{name}` 应为文本，实际是{}", node.kind_name()),
            ));
            None
        }
    }
}

pub(crate) fn term_of<T: Term>(
    file: &str,
    name: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<T>> {
    let text = text_of(file, name, node, diags)?;
    match T::parse(&text.value) {
        Some(v) => Some(Located::new(v, text.pos)),
        None => {
            diags.push(
                Diagnostic::new(
                    Rule::InvalidValue,
                    file,
                    text.pos,
                    format!("字段 `{name}` 的值“{}”不在可选范围内", shorten(&text.value)),
                )
                .with_hint(format!("可选值：{}", T::choices())),
            );
            None
        }
    }
}

pub(crate) fn date_of(
    file: &str,
    name: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<Located<Date>> {
    let text = text_of(file, name, node, diags)?;
    if let Some(d) = Date::parse(&text.value) {
        return Some(Located::new(d, text.pos));
    }
    diags.push(malformed_date(file, name, node, &text));
    None
}

/// The `invalid-value` of a date that does not parse. A date typed with full-width digits
/// (２０２２-06-20) has the caret on the first of them; one whose intended day is plain
/// (2026-6-20, 2022/06/20, 2022年6月20日) is repaired by `check --fix`.
fn malformed_date(file: &str, name: &str, node: &Node, text: &Located<String>) -> Diagnostic {
    let written = node.as_text().unwrap_or_default();
    let meant = meant_date(&written);
    // The column of the written text's first character: after the quote of a quoted value.
    let count = written.chars().count();
    let start = match node.pos.len {
        len if len == count => Some(node.pos.column),
        len if len == count + 2 => Some(node.pos.column + 1),
        _ => None,
    };
    let full_width = written.chars().position(is_full_width_in_date);
    let (pos, message) = match (full_width, start) {
        (Some(i), Some(start)) => {
            let c = written.chars().nth(i).unwrap_or(' ');
            (
                Pos::new(text.pos.line, start + i, 1),
                format!(
                    "字段 `{name}` 的日期“{}”中有全角字符“{c}”",
                    shorten(&text.value)
                ),
            )
        }
        _ => (
            text.pos,
            format!(
                "字段 `{name}` 的日期“{}”格式不对或不存在",
                shorten(&text.value)
            ),
        ),
    };
    let d = Diagnostic::new(Rule::InvalidValue, file, pos, message);
    let how = match full_width {
        Some(_) => "日期只用半角（英文）数字和“-”，写成 YYYY-MM-DD",
        None => "日期写成 YYYY-MM-DD（月、日各两位）",
    };
    match (meant, start) {
        (Some(meant), Some(start)) => d
            .with_hint(format!("{how}：{meant}（gongshi check --fix 可自动改正）"))
            .with_fix(vec![Edit {
                line: text.pos.line,
                column: start,
                expected: written,
                replacement: meant.to_string(),
            }]),
        (Some(meant), None) => d.with_hint(format!("{how}：{meant}")),
        (None, _) => d.with_hint("日期写成 YYYY-MM-DD，例如 2022-05-25"),
    }
}

/// A character of a date typed in full width: a digit, or a separator.
fn is_full_width_in_date(c: char) -> bool {
    matches!(c, '０'..='９' | '－' | '／' | '．')
}

/// The date a malformed date text plainly means: year, month and day in that order, in
/// digits of either width, separated by `-`, `/`, `.` (of either width) or written 年月日;
/// month and day may have one digit. `None` when it means no date, or none plainly.
fn meant_date(text: &str) -> Option<Date> {
    let ascii: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '－' | '／' | '．' | '/' | '.' | '年' | '月' => '-',
            c => c,
        })
        .collect();
    let ascii = ascii.strip_suffix('日').unwrap_or(&ascii);
    let mut parts = ascii.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, most: usize| {
        !s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    Date::parse(&format!("{y}-{m:0>2}-{d:0>2}"))
}

pub(crate) fn text_list_of(
    file: &str,
    name: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Located<String>> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| text_of(file, name, item, diags))
            .collect(),
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            text_of(file, name, node, diags).into_iter().collect()
        }
        _ => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!("字段 `{name}` 应为列表，实际是{}", node.kind_name()),
            ));
            Vec::new()
        }
    }
}

/// A list of mappings (phases, deputies, oversight entries): each item with its node.
pub(crate) fn map_list<'n>(
    file: &str,
    name: &str,
    node: &'n Node,
    diags: &mut Vec<Diagnostic>,
) -> Vec<&'n Node> {
    match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => {
            diags.push(Diagnostic::new(
                Rule::InvalidValue,
                file,
                node.pos,
                format!("字段 `{name}` 应为列表，实际是{}", node.kind_name()),
            ));
            Vec::new()
        }
    }
}

/// Checks that `id` (an id or a slug) has the form SPEC section 1 gives.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 40
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
}

/// Folder names that the notice of a year uses itself (src/render/pages.rs, src/render/view.rs,
/// src/build/, src/search/): a department folder of one of these names would write its pages
/// into the notice's own folder, or have them overwritten. `unit` is the hospital level's folder.
pub const RESERVED_SLUGS: &[&str] = &[
    "departments",
    "forms",
    "grade",
    "matrix",
    "search",
    "static",
    "unit",
];

/// Ids that would name a generated page: a point's page is `<folder>/<id>.html`, and
/// `<folder>/index.html` is the department's (or the unit's) own page, `<folder>/print.html`
/// its print page in the office's build.
pub(crate) const RESERVED_IDS: &[&str] = &["index", "print"];

/// The page a reserved id names, for messages.
pub(crate) fn reserved_id_page(word: &str) -> &'static str {
    match word {
        "print" => "科室的打印页（办公室内部工作版）",
        _ => "科室或单位的首页",
    }
}

/// The device name of Windows that `name` is, upper-cased: CON, PRN, AUX, NUL, COM1–COM9,
/// LPT1–LPT9, in any case. Windows keeps these for devices: no file or folder of that name, with
/// any extension, can be made there (writing `CON.html` writes to the console or fails). A point
/// id names its page (`<id>.html`) and a slug its folder, so either would break a build on the
/// office's Windows PCs and any copy of a notice on a Windows share.
pub(crate) fn windows_device_name(name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    let device = match upper.as_bytes() {
        [b'C', b'O', b'N'] | [b'P', b'R', b'N'] | [b'A', b'U', b'X'] | [b'N', b'U', b'L'] => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => (b'1'..=b'9').contains(d),
        _ => false,
    };
    device.then_some(upper)
}

/// The reserved name among `reserved` that `name` would collide with. Compared without case:
/// on a case-insensitive file system (Windows, macOS by default), where the notice is often
/// copied or opened, `Forms/` and `forms/` are one folder and `INDEX.html` is `index.html`.
pub(crate) fn reserved_name(name: &str, reserved: &[&'static str]) -> Option<&'static str> {
    reserved
        .iter()
        .copied()
        .find(|word| word.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_key() {
        let known = ["id", "title", "grade", "owner", "supervisor", "likelihood"];
        assert_eq!(nearest_key("grdae", &known), Some("grade"));
        assert_eq!(nearest_key("supervsor", &known), Some("supervisor"));
        assert_eq!(nearest_key("Title", &known), Some("title"));
        assert_eq!(nearest_key("等级", &known), Some("grade"));
        assert_eq!(nearest_key("zzzzzz", &known), None);
        assert_eq!(nearest_key("ix", &known), Some("id"));
        assert_eq!(nearest_key("body", &known), None);
    }

    #[test]
    fn context_and_message_are_joined_without_a_stray_space() {
        assert_eq!(
            phrase("风险点", "缺少必填字段 `id`"),
            "风险点缺少必填字段 `id`"
        );
        assert_eq!(
            phrase("风险点 CW-03", "中没有字段 `x`"),
            "风险点 CW-03 中没有字段 `x`"
        );
        assert_eq!(
            phrase("oversight.yaml", "中没有字段 `x`"),
            "oversight.yaml 中没有字段 `x`"
        );
        assert_eq!(
            phrase("review（审批）", "中没有字段 `x`"),
            "review（审批）中没有字段 `x`"
        );
    }

    #[test]
    fn dates_are_read_as_plainly_meant() {
        for (text, meant) in [
            ("２０２２-06-20", Some("2022-06-20")),
            ("２０２２－０６－２０", Some("2022-06-20")),
            ("2026-6-20", Some("2026-06-20")),
            ("2022/6/2", Some("2022-06-02")),
            ("2022年6月20日", Some("2022-06-20")),
            ("2022.06.20", Some("2022-06-20")),
            ("2022-02-30", None),
            ("22-6-20", None),
            ("6/20/2022", None),
            ("2022-06-20-1", None),
        ] {
            assert_eq!(
                meant_date(text).map(|d| d.to_string()).as_deref(),
                meant,
                "{text}"
            );
        }
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("CWK-03"));
        assert!(is_valid_id("a_b"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("财务"));
        assert!(!is_valid_id(&"a".repeat(41)));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn windows_device_names() {
        for name in [
            "CON", "con", "Nul", "aux", "PRN", "COM1", "com9", "LPT1", "lpt5",
        ] {
            assert!(windows_device_name(name).is_some(), "{name}");
        }
        for name in [
            "CON-01", "COM0", "COM10", "LPT", "CONS", "NULL", "caiwu", "",
        ] {
            assert_eq!(windows_device_name(name), None, "{name}");
        }
        assert_eq!(windows_device_name("com3").as_deref(), Some("COM3"));
    }

    #[test]
    fn reserved_names_ignore_case() {
        assert_eq!(reserved_name("Forms", RESERVED_SLUGS), Some("forms"));
        assert_eq!(reserved_name("UNIT", RESERVED_SLUGS), Some("unit"));
        assert_eq!(reserved_name("forms2", RESERVED_SLUGS), None);
        assert_eq!(reserved_name("Index", RESERVED_IDS), Some("index"));
        assert_eq!(reserved_name("CWK-01", RESERVED_IDS), None);
    }
}
