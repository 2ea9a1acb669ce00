//! `gongshi check`: print every diagnostic and a one-line summary; say whether errors were found.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;

use crate::cli::{CheckArgs, Format};
use crate::diagnostic;
use crate::model::{Grade, Level, Term};
use crate::oversight::{CardReason, Ineligibility};
use crate::site::Site;

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Colour on stderr as `--color` says; with `auto`, on a terminal, never under `NO_COLOR` or a
/// pipe (src/cli/color.rs).
pub(crate) fn use_color() -> bool {
    crate::cli::color::stderr()
}

/// Prints the diagnostics of a loaded site to stderr (human) or stdout (JSON).
pub(crate) fn print_diagnostics(site: &Site, format: Format, verbosity: Verbosity) -> Result<()> {
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", diagnostic::to_json(&site.diagnostics))?;
        }
        Format::Human => {
            // Warnings first (many of one rule folded), errors last (src/terminal.rs).
            let color = use_color();
            let mut err = std::io::stderr().lock();
            let blocks = crate::terminal::render_diagnostics(
                &site.diagnostics,
                |file| site.source(file),
                color,
                verbosity,
            );
            for block in blocks {
                writeln!(err, "{block}")?;
            }
        }
    }
    Ok(())
}

/// "检查了 58 个风险点（岗位 30、科室 20、单位 8；一级 9、二级 20、三级 29）：0 个错误，4 个警告；3 个风险点未完成审批，不予公示"
pub(crate) fn summary(site: &Site) -> String {
    let points = &site.year.points;
    let count_level = |l: Level| points.iter().filter(|p| p.level.value == l).count();
    let count_grade = |g: Grade| points.iter().filter(|p| p.grade() == g).count();
    let levels: Vec<String> = Level::ALL
        .iter()
        .map(|l| format!("{l} {}", count_level(*l)))
        .collect();
    let grades: Vec<String> = Grade::ALL
        .iter()
        .map(|g| format!("{g} {}", count_grade(*g)))
        .collect();
    let unapproved = points.iter().filter(|p| !p.is_approved()).count();
    format!(
        "{} 年度：检查了 {} 个风险点（{}；{}）：{} 个错误，{} 个警告；{} 个风险点未完成审批，不予公示",
        site.year.number,
        points.len(),
        levels.join("、"),
        grades.join("、"),
        site.error_count(),
        site.warning_count(),
        unapproved
    )
}

/// The oversight outcome (SPEC section 6), for `check -v`.
pub(crate) fn oversight_summary(site: &Site) -> String {
    let o = &site.oversight;
    let dept_name = |slug: &str| site.year.dept_name(slug);
    let mut lines = vec![format!(
        "风险重点防范岗位 {} 个：{}",
        o.key_posts.len(),
        o.key_posts
            .iter()
            .map(|k| format!("{}·{}", dept_name(&k.dept), k.post))
            .collect::<Vec<_>>()
            .join("、")
    )];
    for card in &o.yellow_cards {
        let reasons: Vec<String> = card
            .reasons
            .iter()
            .map(|r| match r {
                CardReason::Reports { verified } => format!("群众举报查实 {verified} 次"),
                CardReason::Evaluation {
                    score,
                    rank_from_bottom,
                } => format!("民主评议 {score} 分，排倒数第 {rank_from_bottom} 位"),
            })
            .collect();
        lines.push(format!(
            "风险岗位黄牌警告：{}·{}（{}）",
            dept_name(&card.post.dept),
            card.post.post,
            reasons.join("；")
        ));
    }
    let mut grouped: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (dept, why) in &o.not_eligible {
        for w in why {
            grouped.entry(dept).or_default().push(match w {
                Ineligibility::Case { date } => format!("{date} 发生违规违纪案件"),
                Ineligibility::YellowCard { post } => format!("{post} 岗位被黄牌警告"),
            });
        }
    }
    for (dept, why) in grouped {
        lines.push(format!(
            "{} 科室负责人及个人本年度党风廉政建设责任制考核不能评为“好”等次：{}",
            dept_name(dept),
            why.join("；")
        ));
    }
    lines.join("\n")
}

/// Runs `check`; returns whether errors were found.
pub(crate) fn run(site: &Site, args: &CheckArgs, verbosity: Verbosity) -> Result<bool> {
    print_diagnostics(site, args.format, verbosity)?;
    if verbosity != Verbosity::Quiet {
        let mut err = std::io::stderr().lock();
        writeln!(err, "{}", summary(site))?;
        if verbosity == Verbosity::Verbose {
            writeln!(err, "{}", oversight_summary(site))?;
            if let Some(progress) = crate::progress::of_year(&site.year, crate::clock::today()?) {
                writeln!(err, "{}", progress.to_text())?;
            }
        }
    }
    Ok(site.error_count() > 0)
}
