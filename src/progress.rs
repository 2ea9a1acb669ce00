//! The programme's progress, department by department, for the office that runs it (plan 三:
//! the 领导小组办公室 研究、组织、协调、监督 the work; 各科室确定一位联络员): how many points each
//! department has at each level, at which approval step each point stands (填报 → 科室集体审定
//! → 领导小组办公室审定 → 班子会议审定, plan 六.(三).4), and how many are late against the
//! plan's deadlines (`YearInfo::deadline`: 填报, and 附表1–3 报市局).
//!
//! In: a loaded year and today's date. Out: `Progress`, one row per department and one for the
//! hospital's own (单位) points. The office build's `progress.html`, `check -v` and the XLSX
//! export's 进度 sheet all show this one table, so their counts agree.

use serde::Serialize;

use crate::content::{LoadedYear, UNIT_NAME};
use crate::model::{Approval, Date, Deadline, DeadlineSource, Level, RiskPoint, Term, YearInfo};
use crate::render::view::point_url;

/// The steps a point stands at, in order: the first it has not passed (the last, 已审定, once
/// every approval its level needs is dated).
pub(crate) const STEPS: [&str; 5] = ["填报", "科室审定", "办公室审定", "班子审定", "已审定"];

/// One row of the board: a department, or the hospital's own points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ProgressRow {
    /// The department's name, or 医院（单位）.
    pub(crate) name: String,
    /// The department's folder; `None` for the hospital's row and the total.
    pub(crate) slug: Option<String>,
    /// 联络员 (plan 三); `None` for the hospital's row and the total.
    pub(crate) liaison: Option<String>,
    /// Points by level: 岗位, 科室, 单位.
    pub(crate) by_level: [usize; 3],
    pub(crate) total: usize,
    /// Points by the step they stand at (`STEPS`).
    pub(crate) at_step: [usize; 5],
    /// Points late against a deadline (`Progress::late`).
    pub(crate) late: usize,
}

/// A late point, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct LatePoint {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) dept_name: String,
    /// Relative to the year folder (`caiwu/CWK-03.html`).
    pub(crate) url: String,
    /// "填报日期 2022-06-28 晚于截止日 2022-06-25", "尚未填报，截止日 2022-06-25 已过".
    pub(crate) why: String,
    pub(crate) file: String,
}

/// A deadline as the board states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DeadlineRow {
    pub(crate) name: &'static str,
    /// "2022年6月25日", or 未设定.
    pub(crate) date: String,
    /// Where the date comes from, in words.
    pub(crate) source: &'static str,
}

/// The board of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Progress {
    /// The day lateness is measured on: an approval not given by a deadline that has passed is
    /// late. "2022年7月1日".
    pub(crate) as_of: String,
    pub(crate) deadlines: Vec<DeadlineRow>,
    /// One row per department (in the year's order), then the hospital's own points.
    pub(crate) rows: Vec<ProgressRow>,
    pub(crate) total: ProgressRow,
    pub(crate) late: Vec<LatePoint>,
    pub(crate) steps: [&'static str; 5],
}

/// Where a deadline's date comes from, in the board's words.
fn source_words(source: DeadlineSource) -> &'static str {
    match source {
        DeadlineSource::File(_) => "年度文件 deadlines",
        DeadlineSource::ImplementationPhase => "组织实施阶段结束日",
        DeadlineSource::Plan => "实施方案",
    }
}

/// The step a point stands at: an index into `STEPS`.
pub(crate) fn step_of(point: &RiskPoint) -> usize {
    if point.review.submitted.is_none() {
        return 0;
    }
    match point.missing_approvals().first() {
        Some(Approval::Submitted) => 0,
        Some(Approval::Dept) => 1,
        Some(Approval::Office) => 2,
        Some(Approval::Board) => 3,
        None => 4,
    }
}

/// Why a point is late on `today`, if it is: filed after the 填报 deadline or not filed when it
/// has passed; or an approval its form needs (附表1 岗位, 附表2 科室, 附表3 单位) dated after
/// that form's deadline, or missing when it has passed.
pub(crate) fn lateness(info: &YearInfo, point: &RiskPoint, today: Date) -> Option<String> {
    if let Some((submit_by, _)) = info.deadline(Deadline::Submit) {
        match &point.review.submitted {
            Some(d) if d.value > submit_by => {
                return Some(format!("填报日期 {} 晚于截止日 {submit_by}", d.value));
            }
            None if today > submit_by => {
                return Some(format!("尚未填报，截止日 {submit_by} 已过"));
            }
            _ => {}
        }
    }
    let form = Deadline::of_level(point.level.value);
    let (due, _) = info.deadline(form)?;
    let required = point.level.value.required_approvals();
    for (step, date) in point.review.steps() {
        if !required.contains(&step) {
            continue;
        }
        match date {
            Some(d) if d.value > due => {
                return Some(format!(
                    "{}日期 {} 晚于{}截止日 {due}",
                    step.name(),
                    d.value,
                    form.name()
                ));
            }
            None if today > due => {
                return Some(format!(
                    "尚未{}，{}截止日 {due} 已过",
                    step.name(),
                    form.name()
                ));
            }
            _ => {}
        }
    }
    None
}

fn level_index(level: Level) -> usize {
    Level::ALL.iter().position(|l| *l == level).unwrap_or(0)
}

impl ProgressRow {
    fn empty(name: String, slug: Option<String>, liaison: Option<String>) -> ProgressRow {
        ProgressRow {
            name,
            slug,
            liaison,
            by_level: [0; 3],
            total: 0,
            at_step: [0; 5],
            late: 0,
        }
    }

    fn count(&mut self, point: &RiskPoint, late: bool) {
        self.by_level[level_index(point.level.value)] += 1;
        self.total += 1;
        self.at_step[step_of(point)] += 1;
        self.late += usize::from(late);
    }
}

/// The board of `year` on `today`; `None` when the year file did not load (its deadlines are
/// unknown).
pub(crate) fn of_year(year: &LoadedYear, today: Date) -> Option<Progress> {
    let info = year.info.as_ref()?;
    let mut rows: Vec<ProgressRow> = year
        .departments
        .iter()
        .map(|d| {
            ProgressRow::empty(
                d.name.value.clone(),
                Some(d.slug.clone()),
                Some(d.liaison.value.clone()),
            )
        })
        .collect();
    let unit_row = rows.len();
    rows.push(ProgressRow::empty(UNIT_NAME.to_string(), None, None));
    let mut total = ProgressRow::empty("合计".to_string(), None, None);
    let mut late = Vec::new();
    for point in &year.points {
        let why = lateness(info, point, today);
        let row = match &point.dept {
            Some(slug) => rows
                .iter()
                .position(|r| r.slug.as_deref() == Some(slug.as_str())),
            None => Some(unit_row),
        };
        // A point of a department whose `_index.md` did not load counts in the total only.
        if let Some(row) = row {
            rows[row].count(point, why.is_some());
        }
        total.count(point, why.is_some());
        if let Some(why) = why {
            late.push(LatePoint {
                id: point.id.value.clone(),
                title: point.title.value.clone(),
                dept_name: year.point_dept_name(point),
                url: point_url(point),
                why,
                file: point.file.clone(),
            });
        }
    }
    let deadlines = Deadline::ALL
        .iter()
        .map(|d| match info.deadline(*d) {
            Some((date, source)) => DeadlineRow {
                name: d.name(),
                date: date.chinese(),
                source: source_words(source),
            },
            None => DeadlineRow {
                name: d.name(),
                date: "未设定".to_string(),
                source: "年度文件没有 deadlines.submit，也没有名为“组织实施”的阶段",
            },
        })
        .collect();
    Some(Progress {
        as_of: today.chinese(),
        deadlines,
        rows,
        total,
        late,
        steps: STEPS,
    })
}

impl Progress {
    /// The board as text, for `check -v`: one line per department.
    pub(crate) fn to_text(&self) -> String {
        let mut lines = vec![format!(
            "工作进度（截至 {}；截止日：{}）：",
            self.as_of,
            self.deadlines
                .iter()
                .map(|d| format!("{} {}", d.name, d.date))
                .collect::<Vec<_>>()
                .join("，")
        )];
        for row in self.rows.iter().chain(std::iter::once(&self.total)) {
            let levels: Vec<String> = Level::ALL
                .iter()
                .zip(row.by_level)
                .map(|(l, n)| format!("{} {n}", l.term()))
                .collect();
            let steps: Vec<String> = STEPS
                .iter()
                .zip(row.at_step)
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            let liaison = row
                .liaison
                .as_ref()
                .map(|l| format!("（联络员 {l}）"))
                .unwrap_or_default();
            lines.push(format!(
                "  {}{liaison}：{} 个（{}）；{}；逾期 {}",
                row.name,
                row.total,
                levels.join("、"),
                steps.join("、"),
                row.late
            ));
        }
        lines.join("\n")
    }
}
