//! YAML errors in Chinese. serde-saphyr (and its scanner) words its errors in English, for
//! programmers ("duplicate mapping key: title, set DuplicateKeyPolicy in Options if
//! acceptable"); a clerk editing front matter needs to be told what is wrong in their terms and
//! what to do. In: the parser's message. Out: a Chinese message and hint. An error this table
//! does not know keeps a general message, with the parser's words as the hint.

/// A parser error as the user is told it.
pub(crate) struct Explained {
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    /// The error is about a tab character (whose position the parser gives imprecisely).
    pub(crate) about_tab: bool,
}

const QUOTE_HINT: &str = "值中含有“: ”时，请用引号把整个值括起来，例如 title: \"公章: 管理\"";
const START_HINT: &str = "以 @ ` % & * ! | > 等符号开头的值，请用引号把整个值括起来";

/// Parser messages (a part of them, compared without case) and what the user is told: the
/// message and the hint.
const WORDINGS: &[(&str, &str, &str)] = &[
    (
        "unclosed quote",
        "引号没有闭合",
        "检查该值的引号是否成对；值中本身含有引号时，换用另一种引号括起来",
    ),
    (
        "found unexpected end of stream",
        "引号没有闭合",
        "检查该值的引号是否成对",
    ),
    (
        "unclosed bracket '['",
        "方括号 [ 没有闭合",
        "列表写作 [甲, 乙]，以 ] 结束",
    ),
    (
        "unclosed bracket '{'",
        "花括号 { 没有闭合",
        "键值表写作 {start: 2022-07-06, end: 2022-07-12}，以 } 结束",
    ),
    (
        "mapping values are not allowed",
        "此处不能出现“: ”（冒号加空格）",
        QUOTE_HINT,
    ),
    ("illegal placement of ':'", "冒号的位置不对", QUOTE_HINT),
    (
        "simple key expected ':'",
        "键后缺少“: ”（冒号加空格）",
        "每行写作 键: 值，冒号后有一个空格",
    ),
    (
        "could not find expected ':'",
        "键后缺少“: ”（冒号加空格）",
        "每行写作 键: 值，冒号后有一个空格",
    ),
    (
        "did not find expected key",
        "缩进不一致：此处应是与上一个键对齐的键",
        "同一层的键须左对齐；子项比上一级多缩进两个空格",
    ),
    (
        "did not find expected '-' indicator",
        "缩进不一致：此处应是列表项（- ）",
        "同一列表的各项须左对齐，以“- ”开头",
    ),
    (
        "block sequence entries are not allowed",
        "此处不能开始列表项（- ）",
        "列表项写在键的下一行并多缩进两个空格，或写作 [甲, 乙]",
    ),
    (
        "mapping keys are not allowed",
        "此处不能写键",
        "检查缩进和括号是否成对",
    ),
    (
        "expected ',' or ']'",
        "列表中缺少“,”或“]”",
        "列表写作 [甲, 乙]，各项以逗号分隔",
    ),
    (
        "expected ',' or '}'",
        "键值表中缺少“,”或“}”",
        "键值表写作 {键: 值, 键: 值}，各项以逗号分隔",
    ),
    (
        "unknown anchor",
        "别名引用了不存在的锚点",
        "*名称 须引用前面用 &名称 定义的内容；一般不需要别名，直接写出值即可",
    ),
    (
        "invalid indentation",
        "缩进不对",
        "子项比上一级多缩进两个空格，同一层左对齐",
    ),
    (
        "did not find expected node content",
        "此处缺少值",
        "检查是否多写了逗号、冒号或括号",
    ),
    (
        "cannot start any token",
        "此处的字符不能作为值的开头",
        START_HINT,
    ),
    (
        "unexpected character",
        "此处的字符不能作为值的开头",
        START_HINT,
    ),
    (
        "plain scalar cannot start with '-'",
        "值不能以“-”加括号或逗号开头",
        START_HINT,
    ),
    (
        "invalid trailing content after",
        "引号结束后还有多余的内容",
        "整个值都应在引号之内，引号后只能是换行或注释",
    ),
    (
        "found unknown escape character",
        "双引号中有无效的转义（\\ 后的字符）",
        "双引号中的 \\ 须写作 \\\\，或改用单引号",
    ),
    (
        "multiple documents",
        "front matter 中出现了第二个 YAML 文档（---）",
        "front matter 只能有一个 --- 开始、一个 --- 结束",
    ),
    ("unexpected eof", "YAML 意外结束", "检查引号和括号是否成对"),
    (
        "unexpected end of input",
        "YAML 意外结束",
        "检查引号和括号是否成对",
    ),
    (
        "invalid boolean",
        "布尔值只能写 true 或 false",
        "表示文字时请用引号，例如 \"是\"",
    ),
];

/// The Chinese wording of a parser message.
pub(crate) fn explain(english: &str) -> Explained {
    let explained = |message: String, hint: &str| Explained {
        message,
        hint: Some(hint.to_string()),
        about_tab: false,
    };
    let lower = english.to_lowercase();
    if let Some(rest) = english.strip_prefix("duplicate mapping key") {
        let key = rest
            .trim_start_matches(':')
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or("")
            .trim();
        let message = if key.is_empty() {
            "同一层中有重复的键".to_string()
        } else {
            format!("键 `{key}` 重复出现")
        };
        return explained(
            message,
            "同一层中每个键只能写一次：删除多余的一行，或把两行合并",
        );
    }
    if lower.starts_with("budget breached")
        || lower.contains("alias replay")
        || lower.contains("alias expansion")
    {
        return explained(
            "超出安全限制（别名展开过多或嵌套过深，疑似恶意 YAML）".to_string(),
            "front matter 只需简单的键值、列表和 {…}；不要使用大量别名（*名称）或极深的嵌套",
        );
    }
    if lower.contains("a tab") || lower.starts_with("tab") || lower.contains(" tab") {
        return Explained {
            message: "此处有制表符（Tab），YAML 只能用空格缩进和分隔".to_string(),
            hint: Some("把 Tab 换成空格（子项比上一级多缩进两个空格）".to_string()),
            about_tab: true,
        };
    }
    for (english_part, message, hint) in WORDINGS {
        if lower.contains(&english_part.to_lowercase()) {
            return explained(message.to_string(), hint);
        }
    }
    Explained {
        message: "YAML 格式有误".to_string(),
        hint: Some(format!("解析器的说明（英文）：{english}")),
        about_tab: false,
    }
}

/// The line and column (1-based, in characters) of the first tab on `line` of `text` or after
/// it (the parser reports the start of the token, or the column after the indent, that the tab
/// spoils); `line`:`column` when there is none.
pub(crate) fn next_tab(text: &str, line: usize, column: usize) -> (usize, usize) {
    for (i, content) in text.lines().enumerate().skip(line - 1) {
        if let Some(at) = content.chars().position(|c| c == '\t') {
            return (i + 1, at + 1);
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errors_are_worded_in_chinese() {
        let e = explain(
            "duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable",
        );
        assert_eq!(e.message, "键 `title` 重复出现");
        for english in [
            "while scanning a plain scalar, found a tab",
            "tabs disallowed within this context (block indentation)",
        ] {
            assert!(explain(english).about_tab, "{english}");
        }
        assert_eq!(explain("unclosed quote").message, "引号没有闭合");
        let unknown = explain("something new");
        assert!(unknown.hint.unwrap_or_default().contains("something new"));
    }

    #[test]
    fn the_tab_is_found_after_the_reported_position() {
        assert_eq!(next_tab("id: X\n\ttitle: t\n", 1, 5), (2, 1));
        assert_eq!(next_tab("a:\n\tb: 1\n", 2, 2), (2, 1));
        assert_eq!(next_tab("a:\t1\n", 1, 1), (1, 3));
        assert_eq!(next_tab("a: 1\n", 1, 1), (1, 1));
    }
}
