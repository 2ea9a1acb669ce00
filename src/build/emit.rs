//! The emit stage: draw the pages the memo did not keep, make the ledger and the search
//! index beside them, and hand every file of the year to the sink, then the pages of the
//! site's root and the archived years.
//!
//! In: a prepared year, the theme, the memo, a sink. Out: files in the sink.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use crate::build::memo::{Memo, PagePlan};
use crate::build::prepare::Prepared;
use crate::build::sink::{SharedFiles, Sink};
use crate::model::RiskPoint;
use crate::render::ledger;
use crate::render::pages::{Own, Page};
use crate::render::theme::Theme;
use crate::site::Site;

/// Sites with at least this many pages to draw show a progress bar (on a terminal).
const PROGRESS_FROM: usize = 2_000;

/// Draws the year's pages (those of `plan` not kept) and makes its data files, handing each
/// file to `sink` as soon as it is made.
pub(crate) fn year(
    prepared: &Prepared,
    plan: PagePlan,
    theme: &Theme,
    memo: &dyn Memo,
    sink: &dyn Sink,
    progress: bool,
) -> Result<()> {
    let site = prepared.site;
    let (year, rules) = (&site.year, &site.config.rules);
    let ledger_row = |p: &RiskPoint| ledger::row(p, rules, year);
    // The ledger and the search index are made beside the pages (the ledger is one
    // single-threaded pass; the index is parallel itself and fills the gaps).
    let (pages, (ledger_csv, index)) = rayon::join(
        || draw_pages(prepared, plan, theme, memo, sink, progress),
        || {
            rayon::join(
                || {
                    let csv = memo.ledger(year, rules, &prepared.visible, &ledger_row);
                    crate::timings::phase("台账已生成");
                    csv
                },
                || {
                    let index = memo.search_index(&prepared.view.points, &prepared.point_texts);
                    crate::timings::phase("搜索索引已生成");
                    index
                },
            )
        },
    );
    pages?;
    crate::timings::phase("页面、台账与搜索索引已生成");
    let in_year = |path: &str| -> Arc<str> { Arc::from(format!("{}/{path}", year.number)) };
    sink.put(in_year("ledger.csv"), ledger_csv)?;
    for (path, bytes) in index {
        sink.put(in_year(&path), bytes)?;
    }
    for (name, bytes) in &theme.statics {
        sink.put(in_year(&format!("static/{name}")), Arc::clone(bytes))?;
    }
    Ok(())
}

/// Hands the kept pages to `sink` and draws the others in parallel, each handed on as soon as
/// it is drawn; the memo gets the drawn pages back when it keeps them.
fn draw_pages(
    prepared: &Prepared,
    plan: PagePlan,
    theme: &Theme,
    memo: &dyn Memo,
    sink: &dyn Sink,
    progress: bool,
) -> Result<()> {
    for (path, bytes) in plan.kept {
        sink.put(path, bytes)?;
    }
    let count: usize = plan.groups.iter().map(Vec::len).sum();
    // Only for sites large enough to take a noticeable time.
    let bar = (progress && count >= PROGRESS_FROM).then(|| {
        let bar = indicatif::ProgressBar::new(count as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("生成页面 {bar:40} {pos}/{len}")
        {
            bar.set_style(style);
        }
        bar
    });
    let keep = memo.keeps_pages();
    let drawn: Vec<SharedFiles> = plan
        .groups
        .into_par_iter()
        .map(|group| {
            let mut files = Vec::new();
            for page in group {
                let bytes = Arc::new(draw(prepared, theme, &page)?);
                let path: Arc<str> = Arc::from(page.path);
                if keep {
                    files.push((Arc::clone(&path), Arc::clone(&bytes)));
                }
                // Each page is handed on and, when nothing keeps it, dropped with its context.
                sink.put(path, bytes)?;
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            }
            Ok(files)
        })
        .collect::<Result<_>>()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    crate::timings::phase("页面已写出");
    if keep {
        memo.drawn_pages(drawn);
    }
    Ok(())
}

/// One page: its template with its own context and the year's globals.
fn draw(prepared: &Prepared, theme: &Theme, page: &Page) -> Result<Vec<u8>> {
    let started = crate::timings::enabled().then(Instant::now);
    let mut context = page.context(&prepared.point_html, &prepared.dept_html);
    context.extend(prepared.globals.clone());
    if let Own::DepartmentPrint(i) = page.own {
        context.insert(
            "body_html",
            &crate::build::print::forms_html(prepared, theme, i)?,
        );
    }
    let html = theme
        .render_bytes(page.template, &context)
        .map_err(|e| e.context(format!("生成 {} 时出错", page.path)));
    if let Some(started) = started {
        crate::timings::template(page.template, started.elapsed());
    }
    html
}

#[derive(Serialize)]
struct YearLink {
    year: u16,
    url: String,
    live: bool,
}

/// The pages at the site root: the home that leads to the current year, and the list of years
/// (drawn with the year's globals, as the year's pages are).
pub(crate) fn root_pages(prepared: &Prepared, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    let site = prepared.site;
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
    let mut context = prepared.globals.clone();
    context.insert("years", &years);
    context.insert("site_root", "");
    context.insert("root", &format!("{}/", site.year.number));
    context.insert("current_url", &format!("{}/index.html", site.year.number));
    for (path, template) in [
        ("index.html", "root_index.html"),
        ("years.html", "years.html"),
    ] {
        let page = theme.render(template, &context)?.into_bytes();
        sink.put(Arc::from(path), Arc::new(page))?;
    }
    Ok(())
}

/// Years frozen under `archive/` (each a folder with its `index.html`), oldest first.
pub(crate) fn archived_years(root: &Path) -> Vec<u16> {
    let mut years: Vec<u16> = std::fs::read_dir(root.join("archive"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .filter(|n| n.len() == 4)
                .and_then(|n| n.parse::<u16>().ok())
        })
        .collect();
    years.sort_unstable();
    years
}

/// Every file of the archived years other than the site's own year, as
/// (`YEAR/relative/path`, bytes), in a stable order. Archived years are included verbatim,
/// never re-rendered (the annual cycle), and only once they verify against their manifests:
/// no link, no unlisted file, every hash as listed (issue 15). A year that does not verify
/// refuses the build, and the preview, by name (`archive::verify::read_verified`).
pub(crate) fn archived_files(
    site: &Site,
    put: &mut dyn FnMut(Arc<str>, Vec<u8>) -> Result<()>,
) -> Result<()> {
    for year in archived_years(&site.root) {
        if year != site.year.number {
            let dir = site.root.join("archive").join(year.to_string());
            crate::archive::verify::read_verified(&dir, &mut |rel, bytes| {
                put(Arc::from(format!("{year}/{rel}")), bytes)
            })?;
        }
    }
    Ok(())
}
