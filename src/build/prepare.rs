//! The prepare stage: everything the pages of one year are drawn from, for one audience. The
//! audience's points (src/audience.rs) make the view (src/render/view.rs); from the view come
//! the bodies (Markdown and flow diagrams), the year's information, the charts and the
//! 较上年变化 data. Nothing the audience may not see gets in, so nothing of it can reach a page.
//!
//! In: a loaded and checked site, its readers, the memo. Out: `Prepared`, whose `globals` are
//! what every page reads besides its own context.

use std::sync::Arc;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::audience::Readers;
use crate::build::bodies::{Bodies, BodyRenderer, BodySource, FlowMarks, point_sources};
use crate::build::memo::Memo;
use crate::model::{RiskPoint, YearInfo};
use crate::render::charts;
use crate::render::pages::{self, Page};
use crate::render::view::{self, YearView};
use crate::site::Site;

/// One year's notice for one audience, ready to be drawn.
pub(crate) struct Prepared<'s> {
    pub(crate) site: &'s Site,
    /// The audience's points, in the year's order: the ledger's rows.
    pub(crate) visible: Vec<&'s RiskPoint>,
    pub(crate) view: YearView,
    /// The HTML of the body of `view.points[i]` and of `view.departments[i]`.
    pub(crate) point_html: Vec<tera::Value>,
    pub(crate) dept_html: Vec<tera::Value>,
    /// The plain text of the body of `view.points[i]`, for the search index.
    pub(crate) point_texts: Vec<Arc<str>>,
    /// Whether the year has a 较上年变化 page (there is a year before it).
    pub(crate) has_changes: bool,
    /// What every page reads besides its own context: `v` (the view), `info`, `changes`,
    /// the charts, `has_search`, and in the office's build `progress_board`.
    pub(crate) globals: tera::Context,
}

/// The year's own information as the templates read it (`info`).
#[derive(Serialize)]
struct InfoView {
    site_name: String,
    year: u16,
    title: String,
    basis: Option<String>,
    notice_start: String,
    notice_end: String,
    contact: Option<String>,
    phases: Vec<(String, String, String)>,
    principal: String,
    deputies: Vec<(String, Vec<String>)>,
    members: Vec<String>,
    office_director: Option<String>,
    office_staff: Vec<String>,
    preamble_html: String,
    audience: String,
    audience_dept: Option<String>,
    /// 文号 (`notice.number`), under the notice's title.
    notice_number: Option<String>,
    /// The banner of a build that is not public (`Readers::internal_banner`).
    internal: Option<&'static str>,
    /// The office's build: its navigation leads to the progress board.
    office: bool,
}

/// Prepares the year of `site` for `readers`.
pub(crate) fn prepare<'s>(
    site: &'s Site,
    readers: &Readers,
    memo: &dyn Memo,
) -> Result<Prepared<'s>> {
    let year = &site.year;
    let Some(info) = &year.info else {
        bail!("{} 年度的 _index.md 有错误，无法生成公示", year.number)
    };
    let rules = &site.config.rules;
    let visible: Vec<&RiskPoint> = readers.select(&year.points, rules);
    let (mut view, sorted) = view::build_with(
        year,
        readers,
        &visible,
        &site.oversight,
        &*memo.records(year, rules, readers),
    );
    let changes = memo.changes(site, readers);
    crate::timings::phase("视图已建立");

    let marks = FlowMarks::new(&visible, &year.points);
    let bodies = BodyRenderer {
        marks: &marks,
        memo,
    };
    // Converting the view into the templates' value is one single-threaded pass over every
    // point, so it runs beside the rendering of the bodies.
    let (point_bodies, v) = rayon::join(
        || {
            let bodies = bodies.render(Bodies::Points, &point_sources(&sorted));
            crate::timings::phase("正文已转换");
            bodies
        },
        || {
            let v = memo.view_value(&mut view);
            crate::timings::phase("模板数据已转换");
            v
        },
    );
    let dept_html = bodies
        .render(Bodies::Departments, &dept_sources(site, &view))
        .into_iter()
        .map(|b| b.html)
        .collect();
    let preamble = bodies
        .render(
            Bodies::Year,
            &[BodySource {
                file: &info.file,
                line: info.body_line,
                body: &info.body,
                page: "year",
                root: "",
            }],
        )
        .into_iter()
        .next()
        .and_then(|b| b.html.as_str().map(str::to_string))
        .unwrap_or_default();

    let mut globals = tera::Context::new();
    globals.insert_value("v", v);
    globals.insert("has_search", &true);
    globals.insert("info", &info_view(site, info, readers, preamble));
    globals.insert("changes", &changes);
    for (name, svg) in charts(info, &view) {
        globals.insert(name, &svg);
    }
    if view.office {
        let today = crate::clock::today()?;
        globals.insert("progress_board", &crate::progress::of_year(year, today));
    }
    memo.see_globals(&globals);
    let (point_html, point_texts) = point_bodies.into_iter().map(|b| (b.html, b.text)).unzip();
    crate::timings::phase("正文已转换，模板数据已就绪");
    Ok(Prepared {
        site,
        visible,
        view,
        point_html,
        dept_html,
        point_texts,
        has_changes: changes.is_some(),
        globals,
    })
}

impl Prepared<'_> {
    /// The pages the view's own pages do not cover: the 较上年变化 page, when there is one,
    /// and the office's progress board.
    pub(crate) fn extra_pages(&self) -> Vec<Page> {
        let year = self.site.year.number;
        let changes = self.has_changes.then(|| pages::changes_page(year));
        let progress = self.view.office.then(|| pages::progress_page(year));
        changes.into_iter().chain(progress).collect()
    }
}

/// The department bodies, in the order of `view.departments`.
fn dept_sources<'s>(site: &'s Site, view: &YearView) -> Vec<BodySource<'s>> {
    view.departments
        .iter()
        .map(|dv| match site.year.department(&dv.slug) {
            Some(d) => BodySource {
                file: &d.file,
                line: d.body_line,
                body: &d.body,
                page: &d.slug,
                root: "../",
            },
            None => BodySource {
                file: "",
                line: 0,
                body: "",
                page: "",
                root: "../",
            },
        })
        .collect()
}

fn info_view(site: &Site, info: &YearInfo, readers: &Readers, preamble_html: String) -> InfoView {
    let year = &site.year;
    let values = |list: &[crate::model::Located<String>]| -> Vec<String> {
        list.iter().map(|m| m.value.clone()).collect()
    };
    InfoView {
        site_name: site.config.name.clone(),
        year: year.number,
        title: info.title.value.clone(),
        basis: info.basis.as_ref().map(|b| b.value.clone()),
        notice_start: info.notice.start.value.chinese(),
        notice_end: info.notice.end.value.chinese(),
        contact: info.notice.contact.as_ref().map(|c| c.value.clone()),
        phases: info
            .phases
            .iter()
            .map(|p| {
                (
                    p.name.value.clone(),
                    p.start.value.chinese(),
                    p.end.value.chinese(),
                )
            })
            .collect(),
        principal: info.leaders.principal.value.clone(),
        deputies: info
            .leaders
            .deputies
            .iter()
            .map(|d| {
                let names = d.oversees.iter().map(|s| year.dept_name(&s.value));
                (d.name.value.clone(), names.collect())
            })
            .collect(),
        members: values(&info.group.members),
        office_director: info.group.office_director.as_ref().map(|m| m.value.clone()),
        office_staff: values(&info.group.office_staff),
        preamble_html,
        audience: readers.audience.label(),
        audience_dept: readers.dept_name.clone(),
        notice_number: info.notice.number.as_ref().map(|n| n.value.clone()),
        internal: readers.internal_banner(),
        office: readers.audience == crate::audience::Audience::Office,
    }
}

/// The home page's charts, by the name the templates read them by.
fn charts(info: &YearInfo, view: &YearView) -> [(&'static str, String); 5] {
    let stats = &view.stats;
    let counts = |list: &[(&'static str, usize)], colour: &'static str| {
        list.iter()
            .map(|(t, c)| (t.to_string(), *c, colour))
            .collect::<Vec<_>>()
    };
    let by_grade: Vec<(String, usize, &str)> = stats
        .by_grade
        .iter()
        .map(|(t, n, c)| (t.to_string(), *c, charts::GRADE_STROKE[usize::from(*n) - 1]))
        .collect();
    [
        ("matrix_svg", charts::matrix(view, "")),
        ("timeline_svg", charts::timeline(info)),
        ("grade_svg", charts::bars("按风险等级", &by_grade)),
        (
            "level_svg",
            charts::bars("按层次", &counts(&stats.by_level, "#1f3a5f")),
        ),
        (
            "category_svg",
            charts::bars("按风险类别", &counts(&stats.by_category, "#5d7ea6")),
        ),
    ]
}
