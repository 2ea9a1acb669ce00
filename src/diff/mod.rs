//! Comparing two years' risk points (`gongshi diff Y1 Y2`, and the notice's 较上年变化 page).
//!
//! In: two loaded years. Out: the points added and removed, and for each point present in both
//! (matched by id, or by title when its id changed) what changed: id, title, level, grade (up or
//! down), scope, owner, supervisor, measures. Every point of both years takes part, published or
//! not; src/diff/notice.rs narrows the result to what one audience may see.

pub(crate) mod notice;
pub(crate) mod print;

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use serde::Serialize;

use crate::audience::Audience;
use crate::check::{self, Verbosity};
use crate::cli::{Cli, DiffArgs, DiffFormat, Format};
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::{Defence, Grade, RiskPoint, Scope, Term};
use crate::site::Site;

/// Whether a grade change makes the point more severe (一级 is the most severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// More severe: 三级 → 二级, 二级 → 一级 (升级).
    Up,
    /// Less severe (降级).
    Down,
}

/// One measure, with its line of defence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct MeasureRef {
    pub(crate) line: &'static str,
    pub(crate) text: String,
}

/// One thing that changed about a point between the two years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub(crate) enum Change {
    Id {
        from: String,
        to: String,
    },
    Title {
        from: String,
        to: String,
    },
    Level {
        from: &'static str,
        to: &'static str,
    },
    Grade {
        from: &'static str,
        to: &'static str,
        direction: Direction,
    },
    Scope {
        from: &'static str,
        to: &'static str,
    },
    Owner {
        from: String,
        to: String,
    },
    Supervisor {
        from: String,
        to: String,
    },
    Measures {
        added: Vec<MeasureRef>,
        removed: Vec<MeasureRef>,
    },
}

impl Change {
    /// One line of Chinese, as the human report and the notice print it.
    pub(crate) fn describe(&self) -> String {
        match self {
            Change::Id { from, to } => format!("编号：{from} → {to}"),
            Change::Title { from, to } => format!("名称：{from} → {to}"),
            Change::Level { from, to } => format!("层次：{from} → {to}"),
            Change::Grade {
                from,
                to,
                direction,
            } => format!(
                "风险等级：{from} → {to}（{}）",
                match direction {
                    Direction::Up => "升级",
                    Direction::Down => "降级",
                }
            ),
            Change::Scope { from, to } => format!("公示范围：{from} → {to}"),
            Change::Owner { from, to } => format!("直接负责管理落实：{from} → {to}"),
            Change::Supervisor { from, to } => format!("负责监督：{from} → {to}"),
            Change::Measures { added, removed } => {
                let mut parts: Vec<String> = added
                    .iter()
                    .map(|m| format!("{}增加“{}”", m.line, m.text))
                    .collect();
                parts.extend(
                    removed
                        .iter()
                        .map(|m| format!("{}删去“{}”", m.line, m.text)),
                );
                format!("防控措施：{}", parts.join("；"))
            }
        }
    }
}

/// How a point of the later year was paired with one of the earlier year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum MatchedBy {
    Id,
    Title,
}

/// A point present in both years.
#[derive(Debug, Clone)]
pub(crate) struct Pair<'a> {
    pub(crate) prev: &'a RiskPoint,
    pub(crate) cur: &'a RiskPoint,
    pub(crate) matched_by: MatchedBy,
    pub(crate) changes: Vec<Change>,
}

/// The two years' points paired up.
#[derive(Debug, Clone, Default)]
pub(crate) struct Matching<'a> {
    /// In the later year only.
    pub(crate) added: Vec<&'a RiskPoint>,
    /// In the earlier year only.
    pub(crate) removed: Vec<&'a RiskPoint>,
    pub(crate) pairs: Vec<Pair<'a>>,
}

fn effective_scope(p: &RiskPoint, rules: &RuleTables) -> Scope {
    Audience::scope_of(p, rules)
}

fn measure_set(p: &RiskPoint) -> BTreeSet<(Defence, &str)> {
    p.measures
        .value
        .lines
        .iter()
        .flat_map(|(d, items)| items.iter().map(move |m| (*d, m.value.trim())))
        .collect()
}

/// What changed from `prev` to `cur` (one point in two years).
pub(crate) fn changes(prev: &RiskPoint, cur: &RiskPoint, rules: &RuleTables) -> Vec<Change> {
    let mut out = Vec::new();
    if prev.id.value != cur.id.value {
        out.push(Change::Id {
            from: prev.id.value.clone(),
            to: cur.id.value.clone(),
        });
    }
    if prev.title.value.trim() != cur.title.value.trim() {
        out.push(Change::Title {
            from: prev.title.value.clone(),
            to: cur.title.value.clone(),
        });
    }
    if prev.level.value != cur.level.value {
        out.push(Change::Level {
            from: prev.level.value.term(),
            to: cur.level.value.term(),
        });
    }
    let (g0, g1): (Grade, Grade) = (prev.grade(), cur.grade());
    if g0 != g1 {
        out.push(Change::Grade {
            from: g0.term(),
            to: g1.term(),
            direction: if g1 < g0 {
                Direction::Up
            } else {
                Direction::Down
            },
        });
    }
    let (s0, s1) = (effective_scope(prev, rules), effective_scope(cur, rules));
    if s0 != s1 {
        out.push(Change::Scope {
            from: s0.term(),
            to: s1.term(),
        });
    }
    if prev.owner.value.trim() != cur.owner.value.trim() {
        out.push(Change::Owner {
            from: prev.owner.value.clone(),
            to: cur.owner.value.clone(),
        });
    }
    if prev.supervisor.value.trim() != cur.supervisor.value.trim() {
        out.push(Change::Supervisor {
            from: prev.supervisor.value.clone(),
            to: cur.supervisor.value.clone(),
        });
    }
    let (m0, m1) = (measure_set(prev), measure_set(cur));
    let refs = |set: &BTreeSet<(Defence, &str)>, other: &BTreeSet<(Defence, &str)>| {
        set.difference(other)
            .map(|(d, text)| MeasureRef {
                line: d.term(),
                text: (*text).to_string(),
            })
            .collect::<Vec<_>>()
    };
    let (added, removed) = (refs(&m1, &m0), refs(&m0, &m1));
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Measures { added, removed });
    }
    out
}

/// Pairs the points of two years: by id first, then, among the rest, by title when a title is
/// unique on both sides (a point renumbered between years keeps its title).
pub(crate) fn match_points<'a>(
    prev: &'a [RiskPoint],
    cur: &'a [RiskPoint],
    rules: &RuleTables,
) -> Matching<'a> {
    match_points_with(prev, cur, &|p, c| changes(p, c, rules))
}

/// As `match_points`, with each pair's changes from `changes_of` (the preview keeps them).
pub(crate) fn match_points_with<'a>(
    prev: &'a [RiskPoint],
    cur: &'a [RiskPoint],
    changes_of: &dyn Fn(&RiskPoint, &RiskPoint) -> Vec<Change>,
) -> Matching<'a> {
    let mut prev_by_id: HashMap<&str, usize> = HashMap::new();
    for (i, p) in prev.iter().enumerate() {
        prev_by_id.entry(p.id.value.as_str()).or_insert(i);
    }
    let mut prev_taken = vec![false; prev.len()];
    let mut cur_match: Vec<Option<(usize, MatchedBy)>> = vec![None; cur.len()];
    for (j, c) in cur.iter().enumerate() {
        if let Some(&i) = prev_by_id.get(c.id.value.as_str())
            && !prev_taken[i]
        {
            prev_taken[i] = true;
            cur_match[j] = Some((i, MatchedBy::Id));
        }
    }
    let unique_titles = |titles: Vec<(usize, &'a str)>| {
        let mut by_title: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, t) in titles {
            by_title.entry(t).or_default().push(i);
        }
        by_title
            .into_iter()
            .filter_map(|(t, v)| (v.len() == 1).then(|| (t, v[0])))
            .collect::<HashMap<_, _>>()
    };
    let prev_titles = unique_titles(
        prev.iter()
            .enumerate()
            .filter(|(i, _)| !prev_taken[*i])
            .map(|(i, p)| (i, p.title.value.trim()))
            .collect(),
    );
    let cur_titles = unique_titles(
        cur.iter()
            .enumerate()
            .filter(|(j, _)| cur_match[*j].is_none())
            .map(|(j, p)| (j, p.title.value.trim()))
            .collect(),
    );
    for (title, j) in &cur_titles {
        if let Some(&i) = prev_titles.get(title) {
            prev_taken[i] = true;
            cur_match[*j] = Some((i, MatchedBy::Title));
        }
    }
    let mut matching = Matching::default();
    for (j, c) in cur.iter().enumerate() {
        match cur_match[j] {
            Some((i, matched_by)) => matching.pairs.push(Pair {
                prev: &prev[i],
                cur: c,
                matched_by,
                changes: changes_of(&prev[i], c),
            }),
            None => matching.added.push(c),
        }
    }
    matching.removed = prev
        .iter()
        .enumerate()
        .filter(|(i, _)| !prev_taken[*i])
        .map(|(_, p)| p)
        .collect();
    matching.added.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    matching.removed.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    matching
        .pairs
        .sort_by(|a, b| a.cur.id.value.cmp(&b.cur.id.value));
    matching
}

/// A point as the diff reports it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PointSummary {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) level: &'static str,
    /// The department's slug; `null` for 单位 points.
    pub(crate) dept: Option<String>,
    pub(crate) dept_name: String,
    pub(crate) grade: &'static str,
    pub(crate) scope: &'static str,
    /// Approved and not `不公示`: shown in that year's notice.
    pub(crate) published: bool,
}

/// A point present in both years that changed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangedPoint {
    /// The point as it is in the later year.
    #[serde(flatten)]
    pub(crate) point: PointSummary,
    pub(crate) matched_by: MatchedBy,
    pub(crate) changes: Vec<Change>,
}

/// `gongshi diff --format json`: documented in docs/annual.md.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct YearDiff {
    pub(crate) from: u16,
    pub(crate) to: u16,
    pub(crate) added: Vec<PointSummary>,
    pub(crate) removed: Vec<PointSummary>,
    pub(crate) changed: Vec<ChangedPoint>,
    /// Points present in both years with nothing changed.
    pub(crate) unchanged: usize,
}

fn summary(year: &LoadedYear, p: &RiskPoint, rules: &RuleTables) -> PointSummary {
    let scope = effective_scope(p, rules);
    PointSummary {
        id: p.id.value.clone(),
        title: p.title.value.clone(),
        level: p.level.value.term(),
        dept: p.dept.clone(),
        dept_name: year.point_dept_name(p),
        grade: p.grade().term(),
        scope: scope.term(),
        published: p.is_approved() && scope != Scope::Hidden,
    }
}

/// The full comparison of two years, every point included.
pub(crate) fn compare(prev: &LoadedYear, cur: &LoadedYear, rules: &RuleTables) -> YearDiff {
    let matching = match_points(&prev.points, &cur.points, rules);
    let unchanged = matching
        .pairs
        .iter()
        .filter(|p| p.changes.is_empty())
        .count();
    YearDiff {
        from: prev.number,
        to: cur.number,
        added: matching
            .added
            .iter()
            .map(|p| summary(cur, p, rules))
            .collect(),
        removed: matching
            .removed
            .iter()
            .map(|p| summary(prev, p, rules))
            .collect(),
        changed: matching
            .pairs
            .into_iter()
            .filter(|p| !p.changes.is_empty())
            .map(|p| ChangedPoint {
                point: summary(cur, p.cur, rules),
                matched_by: p.matched_by,
                changes: p.changes,
            })
            .collect(),
        unchanged,
    }
}

/// `gongshi diff Y1 Y2`. Both years must load without content errors: a file that fails to load
/// yields no point, and the comparison would report it as removed or added, which is false.
pub(crate) fn run(cli: &Cli, args: &DiffArgs, verbosity: Verbosity) -> Result<bool> {
    let prev = Site::load(&cli.root, Some(args.from))?;
    let cur = Site::load(&cli.root, Some(args.to))?;
    let mut refused = false;
    for site in [&prev, &cur] {
        if site.error_count() > 0 {
            if verbosity == Verbosity::Verbose {
                check::print_diagnostics(site, Format::Human, verbosity)?;
            }
            eprintln!(
                "{} 年度有 {} 个错误（运行 gongshi check --year {} 查看）。出错的文件读不出风险点，\
                 比较会把它们误报为删除或新增，因此不比较；请先改正。",
                site.year.number,
                site.error_count(),
                site.year.number
            );
            refused = true;
        }
    }
    if refused {
        return Ok(true);
    }
    let diff = compare(&prev.year, &cur.year, &cur.config.rules);
    let text = match args.format {
        DiffFormat::Json => serde_json::to_string_pretty(&diff)? + "\n",
        DiffFormat::Human => print::human(&diff),
    };
    crate::output::write_stdout(text.as_bytes())?;
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_direction_follows_severity() {
        assert!(Grade::One < Grade::Two, "一级 is the most severe");
        let up = Change::Grade {
            from: "二级",
            to: "一级",
            direction: Direction::Up,
        };
        assert_eq!(up.describe(), "风险等级：二级 → 一级（升级）");
        let json = serde_json::to_string(&up).unwrap();
        assert_eq!(
            json,
            r#"{"field":"grade","from":"二级","to":"一级","direction":"up"}"#
        );
    }
}
