//! The files an installer puts beside the binary: shell completions (`gongshi completions
//! SHELL`) and man pages (`gongshi man`). Both are generated at run time from the clap
//! definition of src/cli.rs, so they always say what this binary's `--help` says (in whatever
//! language its help is written) and cannot drift from it. dist/deb.sh installs them.
//!
//! In: the parsed `completions`/`man` options. Out: the script or roff page on stdout, or, with
//! `man --dir`, one page per command written into a folder.

use std::io::Write as _;

use anyhow::{Context as _, Result};

use crate::check::Verbosity;
use crate::cli::{CompletionsArgs, ManArgs};

/// The name the completions and the pages use: the installed binary's.
const BIN_NAME: &str = "gongshi";

/// `gongshi completions SHELL`: the completion script on stdout.
pub(crate) fn completions(args: &CompletionsArgs) -> Result<bool> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut crate::cli::command(), BIN_NAME, &mut out);
    write_stdout(&out)?;
    Ok(false)
}

/// `gongshi man [--dir DIR]`: the top page on stdout, or every page into DIR.
pub(crate) fn man(args: &ManArgs, verbosity: Verbosity) -> Result<bool> {
    let pages = man_pages()?;
    match &args.dir {
        None => {
            let (_, top) = pages.last().context("生成手册页失败")?;
            write_stdout(top)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("无法创建目录 {}", dir.display()))?;
            for (name, page) in &pages {
                let path = dir.join(name);
                std::fs::write(&path, page)
                    .with_context(|| format!("无法写入 {}", path.display()))?;
            }
            if verbosity != Verbosity::Quiet {
                eprintln!("已在 {} 写入 {} 个手册页", dir.display(), pages.len());
            }
        }
    }
    Ok(false)
}

/// Every page, as `(file name, roff)`: one per visible command (gongshi-build.1,
/// gongshi-new-risk.1 …), gongshi.1 last. What `clap_mangen::generate_to` writes, each page
/// made breakable where Chinese is (`cjk_breakable`).
fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn collect(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            collect(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let mut roff = Vec::new();
        man.render(&mut roff).context("生成手册页失败")?;
        let roff = String::from_utf8(roff).context("生成手册页失败")?;
        let roff = cjk_breakable(&chinese_sections(&roff));
        out.push((man.get_filename(), roff.into_bytes()));
        Ok(())
    }
    // As clap_mangen::generate_to: built once, so that subcommands carry their display names.
    let mut cmd = crate::cli::command_for_man().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect(cmd, &mut pages)?;
    Ok(pages)
}

/// clap_mangen's section headings are English; the options' sections already carry the
/// Chinese headings of the help (参数, 选项, 全局选项, 命令), so the page is Chinese throughout
/// (the names of zh_CN man pages: 名称, 概述, 描述…).
fn chinese_sections(roff: &str) -> String {
    const SECTIONS: [(&str, &str); 6] = [
        (".SH NAME", ".SH 名称"),
        (".SH SYNOPSIS", ".SH 概述"),
        (".SH DESCRIPTION", ".SH 描述"),
        (".SH EXTRA", ".SH 附注"),
        (".SH VERSION", ".SH 版本"),
        (".SH AUTHORS", ".SH 作者"),
    ];
    roff.lines()
        .map(|line| {
            SECTIONS
                .iter()
                .find(|(english, _)| line == *english)
                .map_or(line, |(_, chinese)| chinese)
                // The list of an option's allowed values.
                .replace("\\fIPossible values:\\fR", "\\fI可选值：\\fR")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// groff breaks lines only at spaces, and Chinese has none: a sentence of help became one
/// unbreakable word, justified with wide gaps or run past the margin (`troff: warning: can't
/// break line`). This lets a line break after any CJK character (`\:`, a zero-width break
/// point), but never before closing punctuation (，。、）…), joins a text line that ends in
/// Chinese to a next one that starts in Chinese without the space groff would put there (`\c`),
/// and sets text left-adjusted after the title (`.ad l`), as a Chinese page is set. Request lines
/// (`.SH`, `.TP` …) are left as they are.
fn cjk_breakable(roff: &str) -> String {
    let is_cjk = |c: char| matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}');
    let closing = |c: char| "，。、；：！？）」』”’》〉】".contains(c);
    let is_request = |line: &str| line.starts_with('.') || line.starts_with('\'');
    let lines: Vec<&str> = roff.lines().collect();
    let mut out = String::with_capacity(roff.len() * 2);
    for (i, line) in lines.iter().enumerate() {
        if is_request(line) {
            out.push_str(line);
            out.push('\n');
            if line.starts_with(".TH ") {
                out.push_str(".ad l\n");
            }
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if is_cjk(c) && chars.peek().is_some_and(|next| !closing(*next)) {
                out.push_str("\\:");
            }
        }
        let next = lines.get(i + 1).filter(|next| !is_request(next));
        if line.chars().last().is_some_and(is_cjk)
            && next.and_then(|n| n.chars().next()).is_some_and(is_cjk)
        {
            out.push_str("\\c");
        }
        out.push('\n');
    }
    out
}

/// Writes all of `bytes` to stdout; a closed pipe (`gongshi man | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("无法写入标准输出"),
    }
}

#[cfg(test)]
mod tests {
    use super::cjk_breakable;

    #[test]
    fn chinese_text_may_break_between_characters() {
        let roff = ".TH gongshi 1\n.SH 名称\n公示：生成\\fBgongshi\\fR 网站\n";
        assert_eq!(
            cjk_breakable(roff),
            ".TH gongshi 1\n.ad l\n.SH 名称\n公\\:示：\\:生\\:成\\:\\fBgongshi\\fR 网\\:站\n"
        );
    }

    #[test]
    fn a_chinese_sentence_over_two_lines_joins_without_a_space() {
        assert_eq!(
            cjk_breakable("检查，\n并生成\n"),
            "检\\:查，\\c\n并\\:生\\:成\n"
        );
        assert_eq!(cjk_breakable("检查\n.TP\n"), "检\\:查\n.TP\n");
    }
}
