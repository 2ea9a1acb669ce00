//! `gongshi build`: check, select the audience, render every page, write atomically.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::Serialize;

use crate::audience::Audience;
use crate::model::RiskPoint;
use crate::output::Staging;
use crate::render::memo::{Bodies, RenderMemo};
use crate::render::pages::{self, Page};
use crate::render::theme::Theme;
use crate::render::{charts, ledger, view};
use crate::search::build_index;
use crate::site::Site;

mod bodies;

use bodies::{BodyRenderer, FlowMarks, point_sources};
pub use bodies::{BodySource, RenderedBody, search_docs, year_search_docs};

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub audience: Audience,
    pub output: PathBuf,
    /// Show a progress bar (a terminal, not `-q`, and a large site).
    pub progress: bool,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub points: usize,
    pub millis: u128,
}

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
}

/// Every file of one year's notice, rendered in memory: (path relative to the output, bytes).
pub fn render_year(
    site: &Site,
    theme: &mut Theme,
    audience: &Audience,
    progress: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let files = render_year_memo(site, theme, audience, progress, None)?;
    Ok(files
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), Arc::unwrap_or_clone(bytes)))
        .collect())
}

/// As `render_year`, reusing from `memo` what an earlier build rendered from the same inputs
/// (`gongshi serve`; see src/render/memo/). The files are the same either way; their bytes
/// are shared, so that pages kept from an earlier build are not copied.
pub fn render_year_memo(
    site: &Site,
    theme: &mut Theme,
    audience: &Audience,
    progress: bool,
    memo: Option<&RenderMemo>,
) -> Result<SharedFiles> {
    render_year_with(site, theme, audience, progress, memo, None)
}

/// A rendered file: (path relative to the output, bytes), both shared by whoever keeps them.
pub type SharedFile = (Arc<str>, Arc<Vec<u8>>);
pub type SharedFiles = Vec<SharedFile>;

/// Where `render_year_with` puts a file: (path relative to the output, bytes).
pub type Writer<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

/// As `render_year_memo`; with `write` (and no memo), each file is handed to `write` as soon as
/// it is rendered and then dropped, and the returned list is empty: `build` writes a
/// 10,000-point site while it renders, without holding its ~100 MB of pages.
pub fn render_year_with(
    site: &Site,
    theme: &mut Theme,
    audience: &Audience,
    progress: bool,
    memo: Option<&RenderMemo>,
    write: Option<&Writer<'_>>,
) -> Result<SharedFiles> {
    // A memo keeps every page: it never streams.
    let write = if memo.is_some() { None } else { write };
    let year = &site.year;
    let Some(info) = &year.info else {
        bail!("{} 年度的 _index.md 有错误，无法生成公示", year.number)
    };
    let rules = &site.config.rules;
    let visible: Vec<&RiskPoint> = audience.select(&year.points, rules);
    let (mut view, sorted) = match memo {
        Some(memo) => view::build_with(
            year,
            audience,
            &visible,
            &site.oversight,
            &memo.records(year, rules),
        ),
        None => view::build_with(
            year,
            audience,
            &visible,
            &site.oversight,
            &view::fresh_records(year, rules),
        ),
    };
    let changes = match memo {
        Some(memo) => memo.changes(site, audience)?,
        None => crate::diff::notice::changes_view(site, audience)?,
    };
    crate::timings::phase("视图已建立");

    let marks = FlowMarks {
        visible: &visible,
        year: &year.points,
        by_id: OnceLock::new(),
    };
    let bodies = BodyRenderer {
        marks: &marks,
        memo,
    };
    let point_sources = point_sources(&sorted);
    let point_bodies: Vec<RenderedBody> = match memo {
        // The memo makes the view's value from the records it keeps; it needs the view to
        // itself for a moment (it serialises it without points and persons).
        Some(memo) => {
            let bodies = bodies.render(Bodies::Points, &point_sources);
            theme
                .tera
                .global_context()
                .insert_value("v", memo.view_value(&mut view));
            bodies
        }
        // The view goes into the templates' global context once (tera 2 shares it between
        // pages by reference count, no copy per render). Converting it is one single-threaded
        // pass over every point, so it runs beside the rendering of the bodies.
        None => {
            let (bodies, ()) = rayon::join(
                || {
                    let bodies = bodies.render(Bodies::Points, &point_sources);
                    crate::timings::phase("正文已转换");
                    bodies
                },
                || {
                    theme.tera.global_context().insert("v", &view);
                    crate::timings::phase("模板数据已转换");
                },
            );
            bodies
        }
    };
    let dept_sources: Vec<BodySource> = view
        .departments
        .iter()
        .map(|dv| {
            year.departments.iter().find(|d| d.slug == dv.slug).map_or(
                BodySource {
                    file: "",
                    line: 0,
                    body: "",
                    page: "",
                    root: "../",
                },
                |d| BodySource {
                    file: &d.file,
                    line: d.body_line,
                    body: &d.body,
                    page: &d.slug,
                    root: "../",
                },
            )
        })
        .collect();
    let dept_bodies: Vec<tera::Value> = bodies
        .render(Bodies::Departments, &dept_sources)
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

    let info_view = InfoView {
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
                let names = d
                    .oversees
                    .iter()
                    .map(|s| {
                        year.departments
                            .iter()
                            .find(|x| x.slug == s.value)
                            .map_or_else(|| s.value.clone(), |x| x.name.value.clone())
                    })
                    .collect();
                (d.name.value.clone(), names)
            })
            .collect(),
        members: info.group.members.iter().map(|m| m.value.clone()).collect(),
        office_director: info.group.office_director.as_ref().map(|m| m.value.clone()),
        office_staff: info
            .group
            .office_staff
            .iter()
            .map(|m| m.value.clone())
            .collect(),
        preamble_html: preamble,
        audience: audience.label(),
        audience_dept: match audience {
            Audience::Hospital => None,
            Audience::Department(slug) => Some(
                year.departments
                    .iter()
                    .find(|d| &d.slug == slug)
                    .map_or_else(|| slug.clone(), |d| d.name.value.clone()),
            ),
        },
    };
    let charts = [
        ("matrix_svg", charts::matrix(&view, "")),
        ("timeline_svg", charts::timeline(info)),
        (
            "grade_svg",
            charts::bars(
                "按风险等级",
                &view
                    .stats
                    .by_grade
                    .iter()
                    .map(|(t, n, c)| (t.to_string(), *c, charts::GRADE_STROKE[usize::from(*n) - 1]))
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "level_svg",
            charts::bars(
                "按层次",
                &view
                    .stats
                    .by_level
                    .iter()
                    .map(|(t, c)| (t.to_string(), *c, "#1f3a5f"))
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "category_svg",
            charts::bars(
                "按风险类别",
                &view
                    .stats
                    .by_category
                    .iter()
                    .map(|(t, c)| (t.to_string(), *c, "#5d7ea6"))
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    let global = theme.tera.global_context();
    global.insert("has_search", &true);
    global.insert("info", &info_view);
    global.insert("changes", &changes);
    for (name, svg) in &charts {
        global.insert(*name, svg);
    }
    if let Some(memo) = memo {
        memo.begin_pages(global);
    }

    crate::timings::phase("正文已转换，模板数据已就绪");
    let extra = || -> Vec<Page> {
        changes
            .is_some()
            .then(|| pages::changes_page(year.number))
            .into_iter()
            .collect()
    };
    // The preview's memo describes only the pages it must draw again.
    let pages: Vec<Page> = match memo {
        Some(_) => Vec::new(),
        None => {
            let mut pages = pages::year_pages(&view);
            pages.extend(extra());
            pages
        }
    };
    let (point_html, point_texts): (Vec<tera::Value>, Vec<Arc<str>>) =
        point_bodies.into_iter().map(|b| (b.html, b.text)).unzip();
    let theme = &*theme;
    // Only for sites large enough to take a noticeable time.
    let bar = (progress && pages.len() >= 2_000).then(|| {
        let bar = indicatif::ProgressBar::new(pages.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("生成页面 {bar:40} {pos}/{len}")
        {
            bar.set_style(style);
        }
        bar
    });
    let timed = crate::timings::enabled();
    let render = |p: &Page| {
        let started = timed.then(Instant::now);
        let html = theme
            .render_bytes(p.template, &p.context(&point_html, &dept_bodies))
            .map_err(|e| e.context(format!("生成 {} 时出错", p.path)));
        if let Some(started) = started {
            crate::timings::template(p.template, started.elapsed());
        }
        html
    };
    let dept_name = |slug: &str| {
        year.departments
            .iter()
            .find(|d| d.slug == slug)
            .map_or_else(|| slug.to_string(), |d| d.name.value.clone())
    };
    let ledger_row = |p: &RiskPoint| ledger::row(p, rules, &dept_name);
    // The ledger and the search index are made beside the pages (the ledger is one
    // single-threaded pass; the index is parallel itself and fills the gaps).
    let (files, (ledger_csv, index)) = rayon::join(
        || match (memo, write) {
            (Some(memo), _) => memo.year_pages(&view, extra(), &render),
            (None, Some(write)) => pages
                .into_par_iter()
                .map(|p| {
                    // Each page is written and dropped as soon as it is drawn, its context too.
                    render(&p).and_then(|html| write(&p.path, &html))?;
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    Ok(())
                })
                .collect::<Result<()>>()
                .map(|()| {
                    crate::timings::phase("页面已写出");
                    Vec::new()
                }),
            (None, None) => pages
                .par_iter()
                .map(|p| {
                    let rendered =
                        render(p).map(|html| (Arc::from(p.path.as_str()), Arc::new(html)));
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    rendered
                })
                .collect::<Result<Vec<_>>>(),
        },
        || {
            rayon::join(
                || {
                    let csv = match memo {
                        Some(memo) => memo.ledger(year, rules, &visible, &ledger_row),
                        None => {
                            let rows: Vec<Vec<String>> =
                                visible.iter().map(|p| ledger_row(p)).collect();
                            Arc::new(ledger::to_csv(ledger::HEADER, &rows))
                        }
                    };
                    crate::timings::phase("台账已生成");
                    csv
                },
                || {
                    let index = match memo {
                        Some(memo) => memo.search_index(&view.points, &point_texts, build_index),
                        None => build_index(&search_docs(&view.points, &point_texts))
                            .into_iter()
                            .map(|f| (Arc::from(f.path), Arc::new(f.bytes)))
                            .collect(),
                    };
                    crate::timings::phase("搜索索引已生成");
                    index
                },
            )
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    crate::timings::phase("页面、台账与搜索索引已生成");
    let mut files = files?;
    let mut put = |path: String, bytes: Arc<Vec<u8>>| -> Result<()> {
        match write {
            Some(write) => write(&path, &bytes),
            None => {
                files.push((Arc::from(path), bytes));
                Ok(())
            }
        }
    };
    put(format!("{}/ledger.csv", year.number), ledger_csv)?;
    for (path, bytes) in index {
        put(format!("{}/{path}", year.number), bytes)?;
    }
    for (name, bytes) in &theme.statics {
        put(format!("{}/static/{name}", year.number), Arc::clone(bytes))?;
    }
    Ok(files)
}

#[derive(Serialize)]
struct YearLink {
    year: u16,
    url: String,
    live: bool,
}

/// The pages at the site root: the home that leads to the current year, and the list of years.
pub fn root_pages(site: &Site, theme: &Theme) -> Result<Vec<(String, Vec<u8>)>> {
    let mut years: Vec<YearLink> = vec![YearLink {
        year: site.year.number,
        url: format!("{}/index.html", site.year.number),
        live: true,
    }];
    for y in archived_years(&site.root).into_iter().rev() {
        if y != site.year.number {
            years.push(YearLink {
                year: y,
                url: format!("{y}/index.html"),
                live: false,
            });
        }
    }
    let mut context = tera::Context::new();
    context.insert("years", &years);
    context.insert("site_root", "");
    context.insert("root", &format!("{}/", site.year.number));
    context.insert("current_url", &format!("{}/index.html", site.year.number));
    Ok(vec![
        (
            "index.html".to_string(),
            theme.render("root_index.html", &context)?.into_bytes(),
        ),
        (
            "years.html".to_string(),
            theme.render("years.html", &context)?.into_bytes(),
        ),
    ])
}

/// `gongshi build`: load and check; on errors print them and leave the output untouched;
/// otherwise build. Returns whether content errors were found.
pub fn run(
    cli: &crate::cli::Cli,
    args: &crate::cli::BuildArgs,
    verbosity: crate::check::Verbosity,
) -> Result<bool> {
    use crate::check::{self, Verbosity};
    let audience = Audience::parse(&args.scope)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| cli.root.join("output"));
    // Usage errors first, before a screenful of diagnostics hides them.
    crate::output::refuse_site_sources(&cli.root, &output)?;
    crate::output::recover_interrupted(&output)?;
    let site = Site::load(&cli.root, args.year)?;
    if let Audience::Department(slug) = &audience
        && !site.year.dept_folders.iter().any(|d| d == slug)
    {
        bail!("{}", unknown_department(slug, &site));
    }
    check::print_diagnostics(&site, crate::cli::Format::Human, verbosity)?;
    if site.error_count() > 0 {
        eprintln!("{}", check::summary(&site));
        eprintln!(
            "有 {} 个错误，未生成网站；原有输出保持不变。",
            site.error_count()
        );
        return Ok(true);
    }
    // After the content check, so that content errors still exit 1 whatever the output holds.
    if args.output.is_some() && !args.force {
        crate::output::refuse_foreign_output(&cli.root, &output)?;
    }
    let progress =
        verbosity != Verbosity::Quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = build(
        &site,
        &BuildOptions {
            audience: audience.clone(),
            output: output.clone(),
            progress,
        },
    )?;
    if verbosity != Verbosity::Quiet {
        eprintln!(
            "已生成 {} 年度公示（范围：{audience}）：{} 个页面、{} 个文件，用时 {} 毫秒 → {}",
            site.year.number,
            report.pages,
            report.files,
            report.millis,
            output.display()
        );
    }
    Ok(false)
}

/// Builds the site into `options.output`. The caller has checked that the site has no errors.
pub fn build(site: &Site, options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    if let Audience::Department(slug) = &options.audience
        && !site.year.departments.iter().any(|d| &d.slug == slug)
    {
        bail!("{}", unknown_department(slug, site));
    }
    // `run` has refused this already; a library caller gets the same protection.
    crate::output::refuse_site_sources(&site.root, &options.output)?;
    let mut theme = Theme::load(&site.root, &site.config.theme)?;
    // Pages are written into the staging folder as they are rendered; a failure drops the
    // staging folder and leaves the previous output as it was.
    let staging = Staging::new(&options.output)?;
    let (pages, files) = (AtomicUsize::new(0), AtomicUsize::new(0));
    {
        let write = |path: &str, bytes: &[u8]| {
            files.fetch_add(1, Ordering::Relaxed);
            if path.ends_with(".html") {
                pages.fetch_add(1, Ordering::Relaxed);
            }
            staging.write(path, bytes)
        };
        render_year_with(
            site,
            &mut theme,
            &options.audience,
            options.progress,
            None,
            Some(&write),
        )?;
        for (path, bytes) in root_pages(site, &theme)? {
            write(&path, &bytes)?;
        }
    }
    copy_archives(site, staging.path())?;
    staging.commit()?;
    crate::timings::phase("输出已替换");
    crate::timings::report_templates();
    Ok(BuildReport {
        pages: pages.into_inner(),
        files: files.into_inner(),
        points: site.year.points.len(),
        millis: start.elapsed().as_millis(),
    })
}

/// The refusal of `--scope 科室:SLUG` naming no department of the year.
pub(crate) fn unknown_department(slug: &str, site: &Site) -> String {
    format!(
        "没有科室“{slug}”：--scope 科室:SLUG 中的 SLUG 应为 content/{}/ 下的科室文件夹名",
        site.year.number
    )
}

/// Archived years are included verbatim, never re-rendered (issue: the annual cycle), and only
/// once they verify against their manifests: no link, no unlisted file (issue 15).
fn copy_archives(site: &Site, out: &Path) -> Result<()> {
    for y in archived_years(&site.root) {
        if y != site.year.number {
            let to = out.join(y.to_string());
            crate::archive::verify::read_verified(
                &site.root.join("archive").join(y.to_string()),
                &mut |rel, bytes| crate::output::write_file(&to, rel, &bytes),
            )?;
        }
    }
    Ok(())
}

/// Years frozen under `archive/` (each a folder with its `index.html`), oldest first.
pub fn archived_years(root: &Path) -> Vec<u16> {
    let mut years: Vec<u16> = std::fs::read_dir(root.join("archive"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .filter(|n| n.len() == 4)
                .and_then(|n| n.parse().ok())
        })
        .collect();
    years.sort_unstable();
    years
}

pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    use anyhow::Context;
    std::fs::create_dir_all(to).with_context(|| format!("无法创建 {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("无法读取 {}", from.display()))?
    {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).with_context(|| format!("无法复制 {}", src.display()))?;
        }
    }
    Ok(())
}
