//! `gongshi new risk|dept|year`: one new file from a template whose every key carries a
//! Chinese comment. Values the command cannot know are left empty, so that `gongshi check`
//! points at each of them (`missing-field`); nothing existing is ever overwritten.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::authoring::templates::{self, DeptValues, People, RiskValues, YearValues};
use crate::authoring::{create_new, display_path, ids, site_config, working_year, yaml_scalar};
use crate::check::Verbosity;
use crate::cli::{Cli, NewArgs, NewDeptArgs, NewRiskArgs, NewTarget, NewYearArgs};
use crate::clock::today;
use crate::content::fields::{
    RESERVED_IDS, RESERVED_SLUGS, is_valid_id, reserved_name, windows_device_name,
};
use crate::content::site_config::RuleTables;
use crate::content::{front_matter, yaml};
use crate::model::{Date, IMPLEMENTATION_PHASE, KeyArea, Level, Term};
use crate::site::Site;

pub(crate) fn run(cli: &Cli, args: &NewArgs, verbosity: Verbosity) -> Result<bool> {
    let root = &cli.root;
    let created = match &args.target {
        NewTarget::Risk(a) => new_risk(&cli.root, a, verbosity)?,
        NewTarget::Dept(a) => new_dept(&cli.root, a, verbosity)?,
        NewTarget::Year(a) => new_year(&cli.root, a, verbosity)?,
    };
    let mut out = std::io::stdout().lock();
    for path in created {
        writeln!(out, "{}", display_path(root, &path))?;
    }
    Ok(false)
}

/// A value from the command line as YAML, or empty.
fn yaml_opt(value: Option<&String>) -> String {
    value.map(|v| yaml_scalar(v.trim())).unwrap_or_default()
}

fn say(verbosity: Verbosity, text: &str) {
    if verbosity != Verbosity::Quiet {
        eprintln!("{text}");
    }
}

fn new_risk(root: &Path, args: &NewRiskArgs, verbosity: Verbosity) -> Result<Vec<PathBuf>> {
    let Some(level) = args.level else {
        bail!(
            "请用 --level 指定风险点的层次：{}（在 unit 文件夹中运行时默认为单位）",
            Level::choices()
        );
    };
    let config = site_config(root)?;
    let year = working_year(root, args.year, config.as_ref())?;
    let year_dir = root.join("content").join(year.to_string());
    let (folder, default_prefix) = match (level, &args.dept) {
        (Level::Unit, dept) => {
            if dept.is_some() {
                say(
                    verbosity,
                    "提示：单位层次的风险点放在 unit/ 中，不属于某个科室，已忽略 --dept",
                );
            }
            (year_dir.join("unit"), ids::default_prefix(None))
        }
        (_, None) => bail!(
            "{}层次的风险点属于某个科室：请用 --dept 指定科室代号（科室文件夹名）",
            level
        ),
        (_, Some(slug)) => {
            let dir = year_dir.join(slug);
            if slug == "unit" || !is_valid_id(slug) || !dir.is_dir() {
                bail!(
                    "{year} 年度没有科室“{slug}”（{} 不存在）；现有科室：{}。新科室请先运行 gongshi new dept {slug} --name 科室名称",
                    dir.display(),
                    department_folders(&year_dir).join("、")
                );
            }
            (dir, ids::default_prefix(Some(slug)))
        }
    };
    let taken = ids::ids_in_year(&year_dir)?;
    let id = match &args.id {
        Some(id) => {
            if !is_valid_id(id) {
                bail!(
                    "编号“{id}”格式不对：由字母、数字、-、_ 组成，以字母或数字开头，最长 40 个字符，例如 CWK-03"
                );
            }
            if let Some(word) = reserved_name(id, RESERVED_IDS) {
                bail!(
                    "编号“{id}”不能用：{word} 是保留名称，风险点页面 {id}.html 会与{} {word}.html 冲突",
                    crate::content::fields::reserved_id_page(word)
                );
            }
            if let Some(device) = windows_device_name(id) {
                bail!(
                    "编号“{id}”不能用：{device} 是 Windows 的设备保留名，风险点页面 {id}.html 在 Windows 上无法写入"
                );
            }
            if taken.contains(&id.to_uppercase()) {
                bail!("编号 {id} 在 {year} 年度已被使用，请换一个（不写 --id 则自动取下一个编号）");
            }
            id.clone()
        }
        None => ids::next_id(
            &ids::ids_in_folder(&folder)?,
            &ids::taken_for(&year_dir, &folder)?,
            &default_prefix,
        ),
    };
    let path = folder.join(format!("{}.md", id.to_lowercase()));

    let rules = config.map(|c| c.rules).unwrap_or_default();
    let site = Site::load(root, Some(year)).ok();
    let people = people_of(
        site.as_ref(),
        args.dept.as_deref().filter(|_| level != Level::Unit),
    );
    let submitted = submitted_on(today()?, year, &YearDates::read(root, year));
    let text = risk_text(
        &id,
        level,
        args.title.as_deref(),
        &rules,
        &people,
        &submitted,
    )?;
    create_new(&path, &text)?;
    say(
        verbosity,
        &format!(
            "已新建{}层次风险点 {id}：请填写空着的字段（每个字段上方有说明），然后运行 gongshi check",
            level
        ),
    );
    if let Some(note) = &submitted.note {
        say(verbosity, note);
    }
    Ok(vec![path])
}

/// What a new point says about the day it was submitted (`review.submitted`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Submitted {
    /// The date written, or empty for the clerk to fill in.
    pub(crate) date: Option<Date>,
    /// The comment's addition: the window the date belongs in.
    pub(crate) hint: String,
    /// Why the date was left empty, for the terminal.
    pub(crate) note: Option<String>,
}

/// The dates of a year that `submitted` is measured against, read leniently from the year's
/// `_index.md`: a year fresh from `new year` has its phases and notice, though its leaders are
/// still empty (so that it does not load whole yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct YearDates {
    /// The 组织实施 phase (SPEC section 3), start and end.
    pub(crate) implementation: Option<(Date, Date)>,
    pub(crate) notice_start: Option<Date>,
}

impl YearDates {
    pub(crate) fn read(root: &Path, year: u16) -> YearDates {
        let path = root
            .join("content")
            .join(year.to_string())
            .join("_index.md");
        let Ok(text) = std::fs::read_to_string(&path) else {
            return YearDates::default();
        };
        let Some(front) = front_matter::split(&text)
            .ok()
            .and_then(|s| yaml::parse(s.yaml, s.yaml_line_offset).ok())
        else {
            return YearDates::default();
        };
        let get = |node: &yaml::Node, key: &str| -> Option<yaml::Node> {
            node.as_map()?
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(_, v)| v.clone())
        };
        let date = |node: &yaml::Node, key: &str| {
            get(node, key)
                .and_then(|v| v.as_text())
                .and_then(|t| Date::parse(&t))
        };
        let implementation = match get(&front, "phases").map(|p| p.value) {
            Some(yaml::Value::Seq(phases)) => phases.iter().find_map(|phase| {
                let name = get(phase, "name").and_then(|n| n.as_text())?;
                (name.trim() == IMPLEMENTATION_PHASE)
                    .then(|| Some((date(phase, "start")?, date(phase, "end")?)))
                    .flatten()
            }),
            _ => None,
        };
        YearDates {
            implementation,
            notice_start: get(&front, "notice").and_then(|n| date(&n, "start")),
        }
    }
}

/// Today, if it lies inside the year's 组织实施 phase (实施方案 六.(二): risk points are found
/// and reported in that phase, and `late` measures against its end); otherwise nothing, so the
/// clerk writes the real date. Today's date in another year would fail `review-order` against
/// that year's notice, and a date made up inside the phase would be a false record of when
/// the point was submitted. Without a readable 组织实施 phase, today if it is in the year and
/// not after the notice starts.
pub(crate) fn submitted_on(today: Date, year: u16, dates: &YearDates) -> Submitted {
    if let Some((start, end)) = dates.implementation {
        let hint = format!("（在 {year} 年度组织实施阶段 {start} 至 {end} 之内）");
        if (start..=end).contains(&today) {
            return Submitted {
                date: Some(today),
                hint,
                note: None,
            };
        }
        return Submitted {
            date: None,
            hint,
            note: Some(format!(
                "提示：今天（{today}）不在 {year} 年度组织实施阶段（{start} 至 {end}）之内，review.submitted 留空：请填写实际的填报日期（晚于 {end} 的会有 late 警告）"
            )),
        };
    }
    if today.year == year && dates.notice_start.is_none_or(|start| today <= start) {
        return Submitted {
            date: Some(today),
            hint: String::new(),
            note: None,
        };
    }
    Submitted {
        date: None,
        hint: format!("（{year} 年度内，不晚于公示开始日）"),
        note: Some(format!(
            "提示：今天（{today}）不在 {year} 年度的填报期内，review.submitted 留空：请填写实际的填报日期"
        )),
    }
}

/// The text of a new point: every key, the id, level and `submitted` (see [`submitted_on`]);
/// the rest empty.
pub(crate) fn risk_text(
    id: &str,
    level: Level,
    title: Option<&str>,
    rules: &RuleTables,
    people: &People,
    submitted: &Submitted,
) -> Result<String> {
    let mut values = RiskValues {
        id: yaml_scalar(id),
        title: title.map(|t| yaml_scalar(t.trim())).unwrap_or_default(),
        submitted: submitted.date.map(|d| d.to_string()).unwrap_or_default(),
        submitted_hint: submitted.hint.clone(),
        body: templates::RISK_BODY.to_string(),
        ..RiskValues::default()
    };
    values.hints(level, rules, people);
    templates::render("risk.md", templates::RISK, &values)
}

/// The principal, and the department's deputy and head, as far as the year's files say.
fn people_of(site: Option<&Site>, dept: Option<&str>) -> People {
    let Some(site) = site else {
        return People::default();
    };
    let info = site.year.info.as_ref();
    People {
        principal: info.map(|i| i.leaders.principal.value.clone()),
        deputy: dept
            .and_then(|d| info.and_then(|i| i.deputy_of(d)))
            .map(|d| d.name.value.clone()),
        head: dept
            .and_then(|d| site.year.department(d))
            .map(|d| d.head.value.clone()),
    }
}

fn department_folders(year_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(year_dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n != "unit" && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        names.push("（无）".into());
    }
    names
}

fn new_dept(root: &Path, args: &NewDeptArgs, verbosity: Verbosity) -> Result<Vec<PathBuf>> {
    let slug = &args.slug;
    if !is_valid_id(slug) {
        bail!(
            "科室代号“{slug}”不能用：用字母、数字、-、_，以字母或数字开头，最长 40 个字符（建议英文小写或拼音，例如 caiwu）"
        );
    }
    if let Some(word) = reserved_name(slug, RESERVED_SLUGS) {
        bail!(
            "科室代号“{slug}”不能用：{word} 是保留名称，公示网站自己的 {word}/ 文件夹会与该科室的页面冲突；保留名称（大小写不同也算同名）：{}",
            RESERVED_SLUGS.join("、")
        );
    }
    if let Some(device) = windows_device_name(slug) {
        bail!(
            "科室代号“{slug}”不能用：{device} 是 Windows 的设备保留名，这个文件夹在 Windows 上无法建立"
        );
    }
    if let Some(area) = &args.key_area
        && KeyArea::parse(area).is_none()
    {
        bail!("重点领域“{area}”不在可选范围内：{}", KeyArea::choices());
    }
    let config = site_config(root)?;
    let year = working_year(root, args.year, config.as_ref())?;
    let path = root
        .join("content")
        .join(year.to_string())
        .join(slug)
        .join("_index.md");
    let values = DeptValues {
        name: yaml_scalar(args.name.trim()),
        head: yaml_opt(args.head.as_ref()),
        liaison: yaml_opt(args.liaison.as_ref()),
        key_area: yaml_opt(args.key_area.as_ref()),
        duties: Vec::new(),
        body: templates::DEPT_BODY.to_string(),
    };
    let text = templates::render("dept.md", templates::DEPT, &values)?;
    create_new(&path, &text)?;
    let overseen = Site::load(root, Some(year))
        .ok()
        .and_then(|s| s.year.info.map(|i| i.deputy_of(slug).is_some()));
    if overseen == Some(false) {
        say(
            verbosity,
            &format!(
                "提示：请在 content/{year}/_index.md 的 leaders.deputies 中，把 {slug} 加到分管该科室的领导的 oversees 列表里（一级、二级风险的责任认定要用）"
            ),
        );
    }
    Ok(vec![path])
}

/// The year's `_index.md` as a skeleton (`new year`) or filled with the sample of `init`.
pub(crate) fn year_text(year: u16, sample: Option<YearValues>) -> Result<String> {
    let (start, end) = templates::notice(year);
    let values = YearValues {
        year,
        notice_start: start,
        notice_end: end,
        phases: templates::phases(year),
        ..sample.unwrap_or_else(|| YearValues {
            body: templates::YEAR_BODY.to_string(),
            ..YearValues::default()
        })
    };
    templates::render("year.md", templates::YEAR, &values)
}

fn new_year(root: &Path, args: &NewYearArgs, verbosity: Verbosity) -> Result<Vec<PathBuf>> {
    let year = args.year;
    if !(1900..=9999).contains(&year) {
        bail!("年度“{year}”不是四位数的年份");
    }
    let config = site_config(root)?;
    let dir = root.join("content").join(year.to_string());
    let index = dir.join("_index.md");
    create_new(&index, &year_text(year, None)?)?;
    let unit = dir.join("unit");
    std::fs::create_dir_all(&unit)
        .map_err(|e| anyhow::anyhow!("无法创建目录 {}：{e}", unit.display()))?;
    say(
        verbosity,
        &format!(
            "已新建 {year} 年度：请在 _index.md 中填写主要领导、分管领导及其分管科室，核对各阶段日期和公示期；\n科室用 gongshi new dept 新建，风险点用 gongshi new risk 新建"
        ),
    );
    if let Some(current) = config.and_then(|c| c.current_year)
        && current != year
    {
        say(
            verbosity,
            &format!(
                "提示：site.yaml 的 current_year 是 {current}；要公示 {year} 年度，请把它改为 {year}"
            ),
        );
    }
    Ok(vec![index, unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// Without the year's file (or its 组织实施 phase), today is written only in its own year.
    #[test]
    fn without_a_phase_today_is_written_in_its_own_year_only() {
        let none = YearDates::default();
        let same = submitted_on(date("2025-03-01"), 2025, &none);
        assert_eq!(same.date, Some(date("2025-03-01")));
        assert_eq!(same.note, None);
        let other = submitted_on(date("2025-03-01"), 2023, &none);
        assert_eq!(other.date, None);
        assert!(other.note.unwrap().contains("2023 年度"));
        // After the notice has started, a new point's submission cannot be dated today.
        let after = YearDates {
            implementation: None,
            notice_start: Some(date("2025-07-06")),
        };
        assert_eq!(submitted_on(date("2025-07-07"), 2025, &after).date, None);
        assert_eq!(
            submitted_on(date("2025-07-06"), 2025, &after).date,
            Some(date("2025-07-06"))
        );
    }
}
