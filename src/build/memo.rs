//! The one seam between a run that starts from nothing and the preview, which keeps what it
//! made from one rebuild to the next. Every stage of the pipeline asks a `Memo` for its
//! result: `NoMemo` (`check`, `build`, `archive` and the other commands) makes each one
//! afresh, through the default methods below; the preview's memo (src/serve/memo/) returns
//! what it kept when the inputs are as before and falls back to the same functions otherwise.
//! So each stage is written once, and what the preview serves is what `build` writes.
//!
//! In: what each stage reads. Out: what each stage makes (a year, its diagnostics, the view's
//! records, bodies, pages, the ledger, the search index, the archived years' files).

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::audience::Readers;
use crate::build::bodies::{Bodies, BodySource, RenderedBody, search_docs};
use crate::build::sink::{SharedFiles, Sink};
use crate::content::site_config::RuleTables;
use crate::content::{self, LoadedYear};
use crate::diagnostic::Diagnostic;
use crate::diff::notice::{self, ChangesView};
use crate::model::RiskPoint;
use crate::render::ledger;
use crate::render::pages::{self, Page};
use crate::render::view::{self, PointView, Records, YearView};
use crate::site::{CheckedYear, Site};

/// Renders one body (the stage's own function; the memo decides whether to call it).
pub(crate) type RenderBody<'a> = dyn Fn(&BodySource) -> RenderedBody + Sync + 'a;

/// The pages of a year that must be drawn, and those kept from the last run.
#[derive(Default)]
pub(crate) struct PagePlan {
    /// Pages kept as they were drawn last time.
    pub(crate) kept: SharedFiles,
    /// Pages to draw, in groups; the files of `groups[i]` go back to `Memo::drawn_pages` as
    /// its `i`th list, in the group's order.
    pub(crate) groups: Vec<Vec<Page>>,
}

/// What a run may keep from the last one; the default methods keep nothing.
pub(crate) trait Memo: Sync {
    /// Loads a year folder (`content::load_year`).
    fn load_year(&mut self, root: &Path, number: u16) -> Result<LoadedYear> {
        content::load_year(root, number).with_context(|| format!("无法读取 {number} 年度的内容"))
    }

    /// Runs every rule on the year (`rules::check`).
    fn check(&mut self, year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
        crate::rules::check(year, rules)
    }

    /// The year before the one built, loaded and checked, for the 较上年变化 page.
    fn previous_year(
        &mut self,
        root: &Path,
        number: u16,
        rules: &RuleTables,
    ) -> Result<Arc<CheckedYear>> {
        let year = content::load_year(root, number)
            .with_context(|| format!("无法读取 {number} 年度的内容"))?;
        Ok(Arc::new(CheckedYear::check(year, rules)))
    }

    /// Makes the view's records (`view::fresh_records`).
    fn records<'a>(
        &'a self,
        year: &'a LoadedYear,
        rules: &'a RuleTables,
        readers: &'a Readers,
    ) -> Box<dyn Records + 'a> {
        Box::new(view::fresh_records(year, rules, readers))
    }

    /// The 较上年变化 page's data for `readers`, when the site has the year before.
    fn changes(&self, site: &Site, readers: &Readers) -> Option<ChangesView> {
        let rules = &site.config.rules;
        let previous = site.previous.as_deref()?;
        Some(notice::changes_between(site, previous, readers, &|p, c| {
            crate::diff::changes(p, c, rules)
        }))
    }

    /// Renders the bodies of `sources`, in order, in parallel.
    fn bodies(
        &self,
        _kind: Bodies,
        sources: &[BodySource],
        render: &RenderBody,
    ) -> Vec<RenderedBody> {
        sources.par_iter().map(render).collect()
    }

    /// The templates' value `v` of the view. The preview takes the view's records out for a
    /// moment (it makes their values one by one) and puts them back.
    fn view_value(&self, view: &mut YearView) -> tera::Value {
        tera::Value::from_serializable(&*view)
    }

    /// Sees the values every page reads besides `v` (the preview compares them with last
    /// time's, to know which pages they change).
    fn see_globals(&self, _globals: &tera::Context) {}

    /// The pages of the year to draw: every one, each a group of its own.
    fn plan_pages(&self, view: &YearView, extra: Vec<Page>) -> PagePlan {
        let mut all = pages::year_pages(view);
        all.extend(extra);
        PagePlan {
            kept: Vec::new(),
            groups: all.into_iter().map(|page| vec![page]).collect(),
        }
    }

    /// Whether `drawn_pages` wants the pages drawn (else each is dropped once handed on).
    fn keeps_pages(&self) -> bool {
        false
    }

    /// The pages drawn from `plan_pages`'s groups, by group.
    fn drawn_pages(&self, _drawn: Vec<SharedFiles>) {}

    /// `ledger.csv` of the `visible` points; `row` makes a point's row.
    fn ledger(
        &self,
        _year: &LoadedYear,
        _rules: &RuleTables,
        visible: &[&RiskPoint],
        row: &(dyn Fn(&RiskPoint) -> Vec<String> + Sync),
    ) -> Arc<Vec<u8>> {
        let rows: Vec<Vec<String>> = visible.iter().map(|p| row(p)).collect();
        Arc::new(ledger::to_csv(ledger::HEADER, &rows))
    }

    /// The search index's files (paths relative to the year folder) for the view's points
    /// and their bodies' plain text.
    fn search_index(&self, points: &[Arc<PointView>], texts: &[Arc<str>]) -> SharedFiles {
        crate::search::build_index(&search_docs(points, texts))
            .into_iter()
            .map(|f| (Arc::from(f.path), Arc::new(f.bytes)))
            .collect()
    }

    /// Hands every file of the archived years other than the site's own on to `sink`.
    fn archives(&self, site: &Site, sink: &dyn Sink) -> Result<()> {
        crate::build::emit::archived_files(site, &mut |path, bytes| sink.put(path, Arc::new(bytes)))
    }
}

/// Keeps nothing: every stage made afresh.
pub(crate) struct NoMemo;

impl Memo for NoMemo {}
