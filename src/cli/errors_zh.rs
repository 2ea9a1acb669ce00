//! clap's usage errors in Chinese. clap renders its errors in English (`error: invalid value
//! 'x' for '--format <FORMAT>'`, `tip: a similar argument exists`); it also keeps what went
//! wrong as an [`ErrorKind`] with its context (the argument, the value, the valid values, the
//! suggestion, the usage line). [`ChineseErrors`] is a clap [`ErrorFormatter`] that says the
//! same from that context in Chinese: `Error::apply::<ChineseErrors>()` and then clap's own
//! `print` and `exit_code` (2 for a usage error, 0 for `--help` and `--version`, whose text
//! is the localized help of src/cli/help_zh.rs).
//!
//! The few English texts clap puts into the context itself (its tips, and the messages of the
//! standard library's number and address parsers) are translated by their known wording
//! ([`tip`], [`reason`]); anything else is shown as it is, never hidden.
//!
//! In: a clap error. Out: its message, styled as clap styles its own.

use std::error::Error as _;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};

/// Formats clap's errors in Chinese (see the module's comment).
pub struct ChineseErrors;

const ERROR: Style = AnsiColor::Red.on_default().bold();
const INVALID: Style = AnsiColor::Yellow.on_default().bold();
const VALID: Style = AnsiColor::Green.on_default().bold();
const LITERAL: Style = Style::new().bold();
const USAGE: Style = Style::new().bold().underline();

/// `text` in `style`, between Chinese quotation marks.
fn quoted(style: Style, text: &str) -> String {
    format!("“{}{text}{}”", style.render(), style.render_reset())
}

fn string(error: &clap::error::Error<ChineseErrors>, kind: ContextKind) -> Option<&str> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s),
        _ => None,
    }
}

fn strings(error: &clap::error::Error<ChineseErrors>, kind: ContextKind) -> Vec<&str> {
    match error.get(kind) {
        Some(ContextValue::Strings(list)) => list.iter().map(String::as_str).collect(),
        Some(ContextValue::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    }
}

fn number(error: &clap::error::Error<ChineseErrors>, kind: ContextKind) -> Option<isize> {
    match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    }
}

impl ErrorFormatter for ChineseErrors {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let mut out = StyledStr::new();
        let _ = write!(out, "{}错误：{}", ERROR.render(), ERROR.render_reset());
        out.push_str(&message(error));
        let mut tips = Vec::new();
        // clap lists the likeliest last.
        let mut subs = strings(error, ContextKind::SuggestedSubcommand);
        subs.reverse();
        match subs.as_slice() {
            [] => {}
            [sub] => tips.push(format!("是否想用命令{}？", quoted(VALID, sub))),
            subs => tips.push(format!(
                "相近的命令有{}",
                subs.iter()
                    .map(|s| quoted(VALID, s))
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        }
        for arg in strings(error, ContextKind::SuggestedArg) {
            tips.push(format!("有相近的参数{}", quoted(VALID, arg)));
        }
        for value in strings(error, ContextKind::SuggestedValue) {
            tips.push(format!("是否想写{}？", quoted(VALID, value)));
        }
        if let Some(ContextValue::StyledStrs(suggestions)) = error.get(ContextKind::Suggested) {
            tips.extend(suggestions.iter().map(|s| tip(&s.to_string())));
        }
        if !tips.is_empty() {
            out.push_str("\n");
        }
        for text in tips {
            let _ = write!(
                out,
                "\n  {}提示：{}{text}",
                VALID.render(),
                VALID.render_reset()
            );
        }
        let usage = match error.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(usage)) => Some(usage.to_string()),
            _ => None,
        };
        let usage = usage.map(|u| u.strip_prefix("Usage:").unwrap_or(&u).trim().to_string());
        if let Some(usage) = &usage {
            let _ = write!(
                out,
                "\n\n{}用法：{}{usage}",
                USAGE.render(),
                USAGE.render_reset()
            );
        }
        let command = usage.as_deref().map(command_of).unwrap_or("gongshi".into());
        let _ = write!(
            out,
            "\n\n说明请运行 {}{command} --help{}\n",
            LITERAL.render(),
            LITERAL.render_reset()
        );
        out
    }
}

/// The command a usage line is for: its words before the first option or argument
/// (`gongshi new dept [选项] --name <名称> <SLUG>` → `gongshi new dept`).
fn command_of(usage: &str) -> String {
    usage
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line of the message: what was wrong, by the error's kind.
fn message(error: &clap::error::Error<ChineseErrors>) -> String {
    let arg = string(error, ContextKind::InvalidArg);
    let value = string(error, ContextKind::InvalidValue);
    match (error.kind(), arg, value) {
        (ErrorKind::InvalidValue, Some(arg), Some("")) => {
            format!("{}需要一个值，但没有给出", quoted(LITERAL, arg))
        }
        (ErrorKind::InvalidValue, Some(arg), Some(value)) => invalid_value(error, arg, value),
        (ErrorKind::ValueValidation, Some(arg), Some(value)) => rejected_value(error, arg, value),
        (ErrorKind::UnknownArgument, Some(arg), _) => {
            format!("没有参数{}", quoted(INVALID, arg))
        }
        (ErrorKind::InvalidSubcommand, _, _) => {
            match string(error, ContextKind::InvalidSubcommand) {
                Some(sub) => format!("没有命令{}", quoted(INVALID, sub)),
                None => "没有这个命令".into(),
            }
        }
        (ErrorKind::MissingRequiredArgument, _, _) => missing_arguments(error),
        (ErrorKind::MissingSubcommand, _, _) => missing_subcommand(error),
        (ErrorKind::ArgumentConflict, Some(arg), _) => conflict(error, arg),
        (ErrorKind::NoEquals, Some(arg), _) => {
            format!("给{}赋值时要写等号（例如 {arg}=值）", quoted(LITERAL, arg))
        }
        (ErrorKind::TooManyValues, Some(arg), Some(value)) => format!(
            "多出了值{}：{}不再接受更多的值",
            quoted(INVALID, value),
            quoted(LITERAL, arg)
        ),
        (ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues, Some(arg), _) => {
            wrong_number_of_values(error, arg)
        }
        (ErrorKind::InvalidUtf8, _, _) => "参数中有不是 UTF-8 编码的字符".into(),
        (ErrorKind::Io, _, _) | (ErrorKind::Format, _, _) => match error.source() {
            Some(source) => format!("无法输出：{source}"),
            None => "无法输出".into(),
        },
        _ => "命令行参数有误".into(),
    }
}

/// Values the user may choose from, each coloured as valid, joined with 、.
fn valid_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("{}{v}{}", VALID.render(), VALID.render_reset()))
        .collect::<Vec<_>>()
        .join("、")
}

/// A value outside a fixed list (`InvalidValue`), with the values that would do.
fn invalid_value(error: &clap::error::Error<ChineseErrors>, arg: &str, value: &str) -> String {
    let valid = strings(error, ContextKind::ValidValue);
    let mut text = format!(
        "{}不是{}可用的值",
        quoted(INVALID, value),
        quoted(LITERAL, arg)
    );
    if !valid.is_empty() {
        let _ = write!(text, "\n  可选的值：{}", valid_list(&valid));
    }
    text
}

/// A value a parser turned down (`ValueValidation`), with the parser's reason.
fn rejected_value(error: &clap::error::Error<ChineseErrors>, arg: &str, value: &str) -> String {
    let mut text = format!(
        "{}不是{}可用的值",
        quoted(INVALID, value),
        quoted(LITERAL, arg)
    );
    if let Some(source) = error.source() {
        let _ = write!(text, "：{}", reason(&source.to_string()));
    }
    text
}

/// Required arguments left out, one a line.
fn missing_arguments(error: &clap::error::Error<ChineseErrors>) -> String {
    let mut text = String::from("缺少必须提供的参数：");
    for missing in strings(error, ContextKind::InvalidArg) {
        let _ = write!(
            text,
            "\n  {}{missing}{}",
            VALID.render(),
            VALID.render_reset()
        );
    }
    text
}

/// A command group typed without its command, with the commands it has.
fn missing_subcommand(error: &clap::error::Error<ChineseErrors>) -> String {
    let parent = string(error, ContextKind::InvalidSubcommand).unwrap_or("gongshi");
    let mut text = format!("{}后面还要写一个命令", quoted(LITERAL, parent));
    let subs = strings(error, ContextKind::ValidSubcommand);
    if !subs.is_empty() {
        let _ = write!(text, "\n  可用的命令：{}", valid_list(&subs));
    }
    text
}

/// An argument given twice, or with arguments it excludes.
fn conflict(error: &clap::error::Error<ChineseErrors>, arg: &str) -> String {
    let prior = strings(error, ContextKind::PriorArg);
    if prior == [arg] {
        format!("参数{}只能写一次", quoted(INVALID, arg))
    } else if prior.is_empty() {
        format!("参数{}不能与其他参数同时使用", quoted(INVALID, arg))
    } else {
        let others: Vec<String> = prior.iter().map(|p| quoted(INVALID, p)).collect();
        format!(
            "参数{}不能与{}同时使用",
            quoted(INVALID, arg),
            others.join("、")
        )
    }
}

/// Too few values (or the wrong number) for an argument.
fn wrong_number_of_values(error: &clap::error::Error<ChineseErrors>, arg: &str) -> String {
    let expected = number(error, ContextKind::MinValues)
        .or_else(|| number(error, ContextKind::ExpectedNumValues));
    let actual = number(error, ContextKind::ActualNumValues);
    match (expected, actual) {
        (Some(expected), Some(actual)) => format!(
            "{}需要 {expected} 个值，只给了 {actual} 个",
            quoted(LITERAL, arg)
        ),
        _ => format!("{}的值的个数不对", quoted(LITERAL, arg)),
    }
}

/// clap's tips (the `Suggested` context), in Chinese by their wording; another tip as it is.
fn tip(text: &str) -> String {
    let between = |text: &str, start: &str, end: &str| -> Option<String> {
        text.strip_prefix(start)?
            .strip_suffix(end)
            .map(str::to_string)
    };
    // "to pass '-x' as a value, use '-- -x'"
    if let Some(rest) = text.strip_prefix("to pass '")
        && let Some((what, how)) = rest.split_once("' as a value, use '")
        && let Some(how) = how.strip_suffix('\'')
    {
        return format!(
            "要把{}当作值，请写成{}",
            quoted(INVALID, what),
            quoted(VALID, how)
        );
    }
    // "'check --fix' exists": the option belongs to a command.
    if let Some(exists) = between(text, "'", "' exists") {
        return match exists.rsplit_once(' ') {
            Some((sub, flag)) => format!(
                "{}是 {sub} 命令的选项，请写在 {sub} 后面：{}",
                quoted(VALID, flag),
                quoted(VALID, &format!("gongshi {sub} {flag}"))
            ),
            None => format!("有{}", quoted(VALID, &exists)),
        };
    }
    // "subcommand 'check' exists; to use it, remove the '--' before it"
    if let Some(sub) = between(
        text,
        "subcommand '",
        "' exists; to use it, remove the '--' before it",
    ) {
        return format!("有命令{}：要用它，请去掉前面的“--”", quoted(VALID, &sub));
    }
    text.to_string()
}

/// Why a value was refused, from its parser's message: gongshi's own parsers speak Chinese;
/// the standard library's number and address parsers and clap's range check are translated.
fn reason(message: &str) -> String {
    match message {
        "invalid digit found in string" => "应为数字".into(),
        "cannot parse integer from empty string" => "不能为空".into(),
        "number too large to fit in target type" => "数字太大".into(),
        "number too small to fit in target type" => "数字太小".into(),
        "invalid IP address syntax" => "不是有效的 IP 地址（例如 127.0.0.1）".into(),
        "value was not a boolean" => "应为 true 或 false".into(),
        other => match other.split_once(" is not in ") {
            // "70000 is not in 0..=65535"
            Some((_, range)) => match range.split_once("..=") {
                Some((low, high)) => format!("应在 {low} 到 {high} 之间"),
                None => format!("应在 {range} 之内"),
            },
            None => other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_of_a_usage_line() {
        assert_eq!(
            command_of("gongshi new dept [选项] --name <名称> <SLUG>"),
            "gongshi new dept"
        );
        assert_eq!(command_of("gongshi [选项] <命令>"), "gongshi");
    }

    #[test]
    fn clap_tips_and_parser_messages_in_chinese() {
        let plain = |s: String| {
            s.replace(&VALID.render().to_string(), "")
                .replace(&INVALID.render().to_string(), "")
                .replace(&VALID.render_reset().to_string(), "")
        };
        assert_eq!(
            plain(tip("to pass '-x' as a value, use '-- -x'")),
            "要把“-x”当作值，请写成“-- -x”"
        );
        assert_eq!(
            plain(tip("'check --fix' exists")),
            "“--fix”是 check 命令的选项，请写在 check 后面：“gongshi check --fix”"
        );
        assert_eq!(
            plain(tip(
                "subcommand 'check' exists; to use it, remove the '--' before it"
            )),
            "有命令“check”：要用它，请去掉前面的“--”"
        );
        assert_eq!(tip("something new"), "something new");
        assert_eq!(reason("invalid digit found in string"), "应为数字");
        assert_eq!(reason("70000 is not in 0..=65535"), "应在 0 到 65535 之间");
        assert_eq!(
            reason("层次应为 岗位 | 科室 | 单位"),
            "层次应为 岗位 | 科室 | 单位"
        );
    }
}
