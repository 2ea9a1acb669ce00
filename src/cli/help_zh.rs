//! Chinese help for clap's command. clap has no translations: its words (`Usage:`, `Options:`,
//! `Print help`, `[default: …]`, `[possible values: …]`) are fixed in its help renderer. So
//! every one of them is either replaced through clap's own settings or hidden and said in
//! Chinese in the argument's help text:
//!
//! - a help template that says 用法 instead of `Usage:` (`help_template`);
//! - headings by `help_heading`: 参数 (positionals), 选项 (a command's own options) and
//!   全局选项 (`--root`, `-q`, `-v`, `--color`, `-h`, `-V`, which every command takes), and
//!   命令 for the list of commands;
//! - `-h/--help` and `-V/--version` as gongshi's own arguments with Chinese help, in place of
//!   clap's (`disable_help_flag`, `disable_version_flag`);
//! - default and allowed values hidden from clap (`hide_default_value`,
//!   `hide_possible_values`) and appended to the help text in Chinese, so the man pages
//!   (clap_mangen, which honours both) say them in Chinese too;
//! - for the terminal only ([`for_terminal`]): each command's usage with 选项 for `[OPTIONS]`
//!   (`override_usage`), and the `help` command described in Chinese.
//!
//! Widths are measured by clap's `unicode` feature, so help aligns after `<名称>`.
//!
//! In: the command derived from src/cli.rs. Out: the same command, localized.

use std::fmt::Write as _;

use anstyle::Style;
use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, Command};
use unicode_width::UnicodeWidthStr as _;

pub(super) const ARGUMENTS: &str = "参数";
pub(super) const OPTIONS: &str = "选项";
pub(super) const GLOBAL_OPTIONS: &str = "全局选项";
pub(super) const COMMANDS: &str = "命令";
/// What `[OPTIONS]` and `<COMMAND>` read as in a usage line.
const OPTIONS_PLACEHOLDER: &str = "[选项]";
const COMMAND_PLACEHOLDER: &str = "命令";

/// clap's default template, with 用法 in the style clap gives `Usage:`.
fn template() -> String {
    let usage = Style::new().bold().underline();
    format!(
        "{{before-help}}{{about-with-newline}}\n{}用法：{}{{usage}}\n\n{{all-args}}{{after-help}}",
        usage.render(),
        usage.render_reset()
    )
}

/// Where the help is read: the terminal (`--help`, `-h`) or a man page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reader {
    Terminal,
    /// clap_mangen lists the allowed values itself, one per line (under a heading that
    /// src/install_files.rs puts in Chinese), so they are left to it.
    ManPage,
}

/// The whole command tree with Chinese headings, help flags and value lists.
pub(super) fn localize(cmd: Command, reader: Reader) -> Command {
    localize_command(cmd, reader)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help_heading(GLOBAL_OPTIONS)
                .help("显示帮助（--help 显示详细说明）")
                .long_help("显示帮助（-h 只显示简要说明）"),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading(GLOBAL_OPTIONS)
                .help("显示版本（及构建所用的提交）"),
        )
}

fn localize_command(cmd: Command, reader: Reader) -> Command {
    cmd.help_template(template())
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name(COMMAND_PLACEHOLDER)
        .mut_args(|arg| localize_arg(arg, reader))
        .mut_subcommands(|sub| localize_command(sub, reader))
}

/// One argument under its heading, with its default and allowed values said in Chinese.
fn localize_arg(arg: Arg, reader: Reader) -> Arg {
    let heading = if arg.is_positional() {
        ARGUMENTS
    } else if arg.is_global_set() {
        GLOBAL_OPTIONS
    } else {
        OPTIONS
    };
    let arg = arg.help_heading(heading);
    if !arg.get_action().takes_values() {
        return arg;
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let values: Vec<PossibleValue> = match reader {
        Reader::Terminal => arg
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect(),
        Reader::ManPage => Vec::new(),
    };
    if defaults.is_empty() && values.is_empty() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    let long = arg.get_long_help().map(ToString::to_string);
    let mut notes = Vec::new();
    if !defaults.is_empty() {
        notes.push(format!("默认：{}", defaults.join(" ")));
    }
    let explained = values.iter().any(|v| v.get_help().is_some());
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        notes.push(format!("可选：{}", names.join(" | ")));
    }
    let short = format!("{help}（{}）", notes.join("；"));
    let mut long_help = format!(
        "{}（{}）",
        long.as_deref().unwrap_or(&help),
        notes.join("；")
    );
    if explained {
        // The values one per line, their explanations aligned (as clap's "Possible values:").
        let widest = values
            .iter()
            .map(|v| v.get_name().width())
            .max()
            .unwrap_or(0);
        long_help.push_str("\n\n可选值：");
        for value in &values {
            let name = value.get_name();
            let _ = write!(long_help, "\n- {name}");
            if let Some(help) = value.get_help() {
                let pad = widest - name.width();
                let _ = write!(long_help, "：{:pad$}{help}", "");
            }
        }
    }
    let arg = arg
        .hide_default_value(true)
        .hide_possible_values(reader == Reader::Terminal)
        .help(short);
    if explained || long.is_some() {
        arg.long_help(long_help)
    } else {
        arg
    }
}

/// The command as the terminal shows it: built, with each usage line saying 选项 and the
/// `help` command described in Chinese. (The man pages keep clap_mangen's own synopsis, which
/// lists every option.)
pub(super) fn for_terminal(mut cmd: Command) -> Command {
    cmd.build();
    finish(&mut cmd);
    cmd
}

fn finish(cmd: &mut Command) {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .strip_prefix("Usage:")
        .unwrap_or(&usage)
        .trim()
        .replace("[OPTIONS]", OPTIONS_PLACEHOLDER);
    let mut done = std::mem::take(cmd).override_usage(usage);
    if done.get_subcommands().any(|s| s.get_name() == "help") {
        done = done.mut_subcommand("help", describe_help_command);
    }
    *cmd = done;
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() != "help" {
            finish(sub);
        }
    }
}

/// clap's generated `help` command (and the copies of it inside it), in Chinese.
fn describe_help_command(help: Command) -> Command {
    let help = help.about("显示本说明，或某个命令的说明（例如 gongshi help check）");
    let help = if help.get_arguments().any(|a| a.get_id() == "subcommand") {
        help.mut_arg("subcommand", |a| {
            a.value_name(COMMAND_PLACEHOLDER)
                .help("要查看说明的命令")
                .help_heading(ARGUMENTS)
        })
    } else {
        help
    };
    if help.get_subcommands().any(|s| s.get_name() == "help") {
        help.mut_subcommand("help", describe_help_command)
    } else {
        help
    }
}
