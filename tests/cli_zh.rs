//! The command line speaks Chinese (src/cli/help_zh.rs, src/cli/errors_zh.rs): every command's
//! help, clap's own usage errors with their suggestions, exit code 2 as clap's, aligned option
//! help after Chinese value names, global options under their own heading, and `--color`.

use unicode_width::UnicodeWidthStr as _;

use crate::harness::{Gongshi, Run, Site};

/// Every command path: `[]`, `["check"]`, `["new", "risk"]`…
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands() {
            let mut next = path.clone();
            next.push(sub.get_name().to_string());
            walk(sub, next, out);
        }
    }
    let mut out = Vec::new();
    walk(&gongshi::cli::command(), Vec::new(), &mut out);
    out
}

#[track_caller]
fn gongshi(args: &[&str]) -> Run {
    Gongshi::new().args(args).run()
}

/// clap's English, as it would appear in help or an error.
const ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "[possible values:",
    "Possible values:",
    "[OPTIONS]",
    "<COMMAND>",
    "error:",
    "tip:",
    "For more information",
    "Print this message",
];

#[track_caller]
fn assert_chinese(text: &str, what: &str) {
    for english in ENGLISH {
        assert!(!text.contains(english), "{what} says `{english}`:\n{text}");
    }
}

#[test]
fn every_commands_help_is_chinese() {
    let paths = command_paths();
    assert!(paths.len() > 18, "{paths:?}");
    for path in paths {
        for flag in ["-h", "--help"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let run = gongshi(&args).succeeds();
            assert_chinese(&run.stdout, &args.join(" "));
            assert!(run.stdout.contains("用法："), "{run:?}");
            assert!(run.stdout.contains("全局选项:"), "{run:?}");
        }
    }
    let run = gongshi(&["help", "check"]).succeeds();
    assert_chinese(&run.stdout, "help check");
    assert!(run.stdout.contains("用法：gongshi check [选项]"), "{run:?}");
}

/// The options' own heading holds the command's options, the global heading the options every
/// command takes, and nothing is in both.
#[test]
fn global_options_sit_under_their_own_heading() {
    let run = gongshi(&["check", "-h"]).succeeds();
    let section = |heading: &str| -> Vec<String> {
        let text = &run.stdout;
        let start = text
            .find(&format!("\n{heading}:\n"))
            .unwrap_or_else(|| panic!("no {heading}: {text}"));
        text[start + heading.len() + 3..]
            .lines()
            .take_while(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let own = section("选项");
    let global = section("全局选项");
    for flag in ["--root", "--quiet", "--verbose", "--color", "--help"] {
        assert!(
            global.iter().any(|l| l.contains(flag)),
            "{flag}: {global:?}"
        );
        assert!(!own.iter().any(|l| l.contains(flag)), "{flag}: {own:?}");
    }
    for flag in ["--year", "--format", "--fix", "--dept", "--all"] {
        assert!(own.iter().any(|l| l.contains(flag)), "{flag}: {own:?}");
    }
    // Defaults and choices are said in Chinese.
    assert!(
        own.iter()
            .any(|l| l.contains("--format") && l.contains("（默认：human；可选：human | json）")),
        "{own:?}"
    );
}

/// Regression: after a Chinese value name (`--name <名称>`) the help started two columns
/// early, since clap counted characters, not display columns.
#[test]
fn option_help_aligns_after_chinese_value_names() {
    for args in [&["init", "-h"][..], &["new", "dept", "-h"][..]] {
        let run = gongshi(args).succeeds();
        let mut columns = Vec::new();
        for line in run
            .stdout
            .lines()
            .filter(|l| l.trim_start().starts_with('-'))
        {
            // The help starts after the option and its value name, past a gap of 2+ spaces.
            let indent = line.len() - line.trim_start().len();
            let Some(gap) = line[indent..].find("  ") else {
                continue;
            };
            let after = &line[indent + gap..];
            let help_start = indent + gap + after.len() - after.trim_start().len();
            columns.push((line[..help_start].width(), line.to_string()));
        }
        assert!(columns.len() > 3, "{run:?}");
        let first = columns[0].0;
        // Each heading aligns its own block; within `选项` (the first block) all agree.
        let own: Vec<&(usize, String)> = columns
            .iter()
            .take_while(|(_, l)| !l.contains("--root"))
            .collect();
        for (width, line) in &own {
            assert_eq!(*width, first, "misaligned: {line}\n{}", run.stdout);
        }
    }
}

#[test]
fn an_invalid_value_is_refused_in_chinese_with_exit_2() {
    let run = gongshi(&["check", "--format", "xml"]).exit(2);
    assert_chinese(&run.stderr, "invalid value");
    assert!(
        run.stderr
            .starts_with("错误：“xml”不是“--format <FORMAT>”可用的值"),
        "{run:?}"
    );
    assert!(run.stderr.contains("可选的值：human、json"), "{run:?}");
    assert_eq!(run.stdout, "");

    // A value its parser refuses: the parser's reason, in Chinese.
    let run = gongshi(&["serve", "--port", "70000"]).exit(2);
    assert_chinese(&run.stderr, "port");
    assert!(run.stderr.contains("应在 0 到 65535 之间"), "{run:?}");
    // Regression: clap gives such an error no usage line, and it ended "说明请运行 gongshi
    // --help" whatever the command.
    assert!(run.stderr.contains("用法：gongshi serve [选项]"), "{run:?}");
    assert!(
        run.stderr.contains("说明请运行 gongshi serve --help"),
        "{run:?}"
    );
    let run = gongshi(&["check", "--year", "二〇二二"]).exit(2);
    assert!(run.stderr.contains("应为数字"), "{run:?}");
    let run = gongshi(&["new", "risk", "--level", "部门"]).exit(2);
    assert!(
        run.stderr.contains("层次应为 岗位 | 科室 | 单位"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("说明请运行 gongshi new risk --help"),
        "{run:?}"
    );
}

#[test]
fn an_unknown_argument_or_command_gets_the_nearest_one() {
    let run = gongshi(&["check", "--fomat", "json"]).exit(2);
    assert_chinese(&run.stderr, "unknown argument");
    assert!(run.stderr.contains("没有参数“--fomat”"), "{run:?}");
    assert!(
        run.stderr.contains("提示：有相近的参数“--format”"),
        "{run:?}"
    );
    assert!(run.stderr.contains("用法：gongshi check [选项]"), "{run:?}");
    assert!(
        run.stderr.contains("说明请运行 gongshi check --help"),
        "{run:?}"
    );

    let run = gongshi(&["chek"]).exit(2);
    assert_chinese(&run.stderr, "unknown command");
    assert!(run.stderr.contains("没有命令“chek”"), "{run:?}");
    assert!(run.stderr.contains("“check”"), "{run:?}");

    // An option of a command written before it.
    let run = gongshi(&["--year", "2022", "check"]).exit(2);
    assert!(
        run.stderr
            .contains("“--year”是 check 命令的选项，请写在 check 后面"),
        "{run:?}"
    );
}

#[test]
fn missing_arguments_and_commands_are_named() {
    let run = gongshi(&["new", "dept"]).exit(2);
    assert_chinese(&run.stderr, "missing");
    assert!(run.stderr.contains("缺少必须提供的参数："), "{run:?}");
    assert!(run.stderr.contains("--name <名称>"), "{run:?}");
    assert!(run.stderr.contains("用法：gongshi new dept"), "{run:?}");
    // A command without its subcommand shows its help, in Chinese.
    let run = gongshi(&["new"]).exit(2);
    assert_chinese(&run.stderr, "new");
    assert!(run.stderr.contains("risk"), "{run:?}");
    let run = gongshi(&["check", "--dept", "caiwu", "--all"]).exit(2);
    assert!(run.stderr.contains("不能与"), "{run:?}");
    let run = gongshi(&["--color", "sometimes", "check"]).exit(2);
    assert!(
        run.stderr.contains("可选的值：auto、always、never"),
        "{run:?}"
    );
}

#[test]
fn version_is_printed_as_before() {
    let run = gongshi(&["-V"]).succeeds();
    assert!(run.stdout.starts_with("gongshi "), "{run:?}");
    assert_eq!(run.stdout, gongshi(&["--version"]).succeeds().stdout);
}

const ESC: char = '\u{1b}';

/// `--color` beside NO_COLOR: `always` colours even a pipe and even under NO_COLOR, `never`
/// never, and `auto` (the default) keeps the old behaviour (no colour into a pipe).
#[test]
fn color_follows_the_flag() {
    let site = Site::fixture("grading");
    let check = |args: &[&str], no_color: bool| -> Run {
        let mut g = Gongshi::new().arg("--root").arg(site.root()).args(args);
        if !no_color {
            g = g.env_remove("NO_COLOR");
        }
        g.run()
    };
    assert!(
        check(&["check", "--color", "always"], true)
            .stderr
            .contains(ESC)
    );
    assert!(
        check(&["--color=always", "check"], false)
            .stderr
            .contains(ESC)
    );
    assert!(
        !check(&["check", "--color", "never"], false)
            .stderr
            .contains(ESC)
    );
    assert!(!check(&["check"], false).stderr.contains(ESC));
    assert!(
        !check(&["check", "--color", "auto"], false)
            .stderr
            .contains(ESC)
    );
    // clap's own errors follow it too.
    let run = Gongshi::new()
        .args(["--color", "always", "check", "--fomat"])
        .run()
        .exit(2);
    assert!(run.stderr.contains(ESC), "{run:?}");
    let run = Gongshi::new()
        .env_remove("NO_COLOR")
        .args(["--color", "never", "check", "--fomat"])
        .run()
        .exit(2);
    assert!(!run.stderr.contains(ESC), "{run:?}");
}

/// The man pages and the completions are made from the localized command: no clap English in
/// any page (its section names are Chinese too), and the completions describe each option with
/// its Chinese help.
#[test]
fn man_pages_and_completions_are_chinese_too() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("man1");
    Gongshi::new()
        .arg("man")
        .arg("--dir")
        .arg(&out)
        .run()
        .succeeds();
    let mut pages = 0;
    for entry in std::fs::read_dir(&out).expect("the pages' folder") {
        let path = entry.expect("an entry").path();
        // Without the break points groff gets between Chinese characters.
        let page = std::fs::read_to_string(&path)
            .expect("a page")
            .replace("\\:", "")
            .replace("\\c\n", "");
        let name = path.display().to_string();
        for english in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH SUBCOMMANDS",
            "Possible values",
            "[default:",
            "Print help",
            "Print version",
        ] {
            assert!(!page.contains(english), "{name} says `{english}`:\n{page}");
        }
        assert!(page.contains(".SH 名称"), "{name}:\n{page}");
        assert!(page.contains(".SH 全局选项"), "{name}:\n{page}");
        pages += 1;
    }
    assert!(pages > 18, "{pages} pages");
    let page = Gongshi::new()
        .arg("man")
        .run()
        .succeeds()
        .stdout
        .replace("\\:", "");
    assert!(page.contains("可选值："), "{page}");

    let fish = Gongshi::new()
        .args(["completions", "fish"])
        .run()
        .succeeds();
    assert!(fish.stdout.contains("显示帮助"), "{}", fish.stdout);
    assert!(fish.stdout.contains("-l color"), "{}", fish.stdout);
    assert!(!fish.stdout.contains("Print help"), "{}", fish.stdout);
}
