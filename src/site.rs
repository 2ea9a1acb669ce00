//! The orchestrator: `Site::load` loads and checks a year, `Site::build` renders its notice.
//! Each stage is one call, so this file reads as the pipeline: load → check → select the
//! audience → prepare → pages → emit. The stages live in src/build/; each asks a `Memo`
//! (src/build/memo.rs) for what the preview kept, and `NoMemo` makes everything afresh.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, bail};

use crate::audience::{Audience, Readers};
use crate::build::emit;
use crate::build::memo::{Memo, NoMemo};
use crate::build::prepare::{self, Prepared};
use crate::build::sink::Sink;
use crate::content::site_config::{RuleTables, SiteConfig};
use crate::content::{self, LoadedYear};
use crate::diagnostic::{self, Diagnostic};
use crate::oversight::{self, Oversight};
use crate::render::theme::Theme;

pub struct Site {
    pub(crate) root: PathBuf,
    pub config: SiteConfig,
    /// The year being checked or built.
    pub year: LoadedYear,
    pub oversight: Oversight,
    /// Every diagnostic of loading and checking, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The year before `year`, loaded and checked, when the site was loaded for its notice
    /// (whose 较上年变化 page compares the two) and there is one.
    pub(crate) previous: Option<Arc<CheckedYear>>,
    /// What the site was loaded for: only a site loaded for its notice is built.
    pub(crate) purpose: Purpose,
}

/// What a site is loaded for: checking it, or building its notice, which also needs the year
/// before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Check,
    Notice,
}

/// A year's content, loaded and checked on its own (the year before the one built).
pub(crate) struct CheckedYear {
    pub(crate) year: LoadedYear,
    /// The diagnostics of loading and checking it (not sorted).
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl CheckedYear {
    /// Checks a loaded year with `rules`.
    pub(crate) fn check(mut year: LoadedYear, rules: &RuleTables) -> CheckedYear {
        let mut diagnostics = std::mem::take(&mut year.diagnostics);
        diagnostics.extend(crate::rules::check(&year, rules));
        CheckedYear { year, diagnostics }
    }

    pub(crate) fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// What a build is asked to draw.
pub(crate) struct BuildJob<'a> {
    /// The audience, resolved against the year (`Audience::resolve`).
    pub(crate) readers: &'a Readers,
    pub(crate) theme: &'a Theme,
    /// Show a progress bar (a terminal, not `-q`, and a large site).
    pub(crate) progress: bool,
}

const SITE_FILE: &str = "site.yaml";

fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<(SiteConfig, Option<String>)> {
    let path = root.join(SITE_FILE);
    if !path.is_file() {
        return Err(crate::locate::not_a_site(root));
    }
    // A site.yaml that cannot be read: its rule tables are not known (src/content/site_config.rs).
    let fallback = |text: Option<&str>| SiteConfig {
        name: String::new(),
        base_path: "/".into(),
        current_year: None,
        theme: "default".into(),
        rules: RuleTables::fallback(text),
        oversight: Default::default(),
    };
    let text = match content::read_text(&path, SITE_FILE)? {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return Ok((fallback(None), None));
        }
    };
    let config = content::parse_yaml_file(SITE_FILE, &text, diags)
        .and_then(|node| content::site_config::load(SITE_FILE, &node, diags))
        .unwrap_or_else(|| fallback(Some(&text)));
    Ok((config, Some(text)))
}

/// Picks the year (SPEC section 2): the one asked for (`--year`), else `current_year` of
/// site.yaml, else the newest year folder that is not archived (else the newest). `check`,
/// `build` and the authoring commands all choose with this, so `new` writes into the year that
/// `check` then checks.
pub(crate) fn choose_year(
    root: &Path,
    years: &[u16],
    current_year: Option<u16>,
    asked: Option<u16>,
) -> Result<u16> {
    let Some(&newest) = years.last() else {
        bail!(
            "{} 下没有年度文件夹（例如 content/2022/；可用 gongshi new year 年份 新建）",
            root.join("content").display()
        );
    };
    let existing = || {
        years
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join("、")
    };
    if let Some(y) = asked {
        if years.contains(&y) {
            return Ok(y);
        }
        bail!(
            "没有 {y} 年度：content/{y}/ 不存在（现有年度：{}）",
            existing()
        );
    }
    if let Some(y) = current_year {
        if years.contains(&y) {
            return Ok(y);
        }
        bail!(
            "{SITE_FILE} 的 current_year 是 {y}，但没有 {y} 年度：content/{y}/ 不存在（现有年度：{}）。请改正 {SITE_FILE} 的 current_year，或用 gongshi new year {y} 新建该年度",
            existing()
        );
    }
    let live = years
        .iter()
        .rev()
        .find(|y| !root.join("archive").join(y.to_string()).is_dir());
    Ok(*live.unwrap_or(&newest))
}

impl Site {
    /// Loads `site.yaml` and one year's content, then checks every rule. Only I/O failures and
    /// a missing site are errors; everything wrong with the content is a diagnostic.
    pub fn load(root: &Path, year: Option<u16>) -> Result<Site> {
        Site::load_for(root, year, Purpose::Check, &mut NoMemo)
    }

    /// As `load`, with the year before: a site to build (`Site::build`).
    pub fn load_notice(root: &Path, year: Option<u16>) -> Result<Site> {
        Site::load_for(root, year, Purpose::Notice, &mut NoMemo)
    }

    /// As `load`, for `purpose`, through `memo` (the preview's keeps what it loaded and
    /// checked; `NoMemo` reads everything).
    pub(crate) fn load_for(
        root: &Path,
        year: Option<u16>,
        purpose: Purpose,
        memo: &mut dyn Memo,
    ) -> Result<Site> {
        let mut diagnostics = Vec::new();
        let (config, site_text) = load_config(root, &mut diagnostics)?;
        let years = content::year_folders(root)?;
        let number = choose_year(root, &years, config.current_year, year)?;
        let mut loaded = memo.load_year(root, number)?;
        match site_text {
            Some(text) => {
                loaded.sources.insert(SITE_FILE.to_string(), text);
            }
            None => {
                loaded.sources.remove(SITE_FILE);
            }
        }
        crate::timings::phase("内容已读取");
        diagnostics.append(&mut loaded.diagnostics);
        diagnostics.extend(memo.check(&loaded, &config.rules));
        diagnostic::sort(&mut diagnostics);
        let oversight = oversight::compute(
            &loaded.points,
            &loaded.oversight,
            &config.rules,
            &config.oversight,
        );
        crate::timings::phase("规则已检查");
        let before = years.iter().rev().copied().find(|y| *y < number);
        let previous = match (purpose, before) {
            (Purpose::Notice, Some(before)) => {
                Some(memo.previous_year(root, before, &config.rules)?)
            }
            _ => None,
        };
        Ok(Site {
            root: root.to_path_buf(),
            config,
            year: loaded,
            oversight,
            diagnostics,
            previous,
            purpose,
        })
    }

    /// Renders the year's notice for `job.readers` into `sink`, then the pages of the site's
    /// root and the archived years. The caller has checked that the site has no errors.
    pub(crate) fn build(&self, job: &BuildJob, memo: &dyn Memo, sink: &dyn Sink) -> Result<()> {
        let year = self.build_year(job, memo, sink)?;
        emit::root_pages(&year, job.theme, sink)?;
        memo.archives(self, sink)
    }

    /// Renders the year's notice alone (`YEAR/…`): what `archive` freezes. Returns what the
    /// year was drawn from.
    pub(crate) fn build_year<'s>(
        &'s self,
        job: &BuildJob,
        memo: &dyn Memo,
        sink: &dyn Sink,
    ) -> Result<Prepared<'s>> {
        if self.purpose != Purpose::Notice {
            bail!(
                "内部错误：站点只为检查而载入，缺少上一年度，不能生成公示（应使用 Site::load_notice）"
            );
        }
        let prepared = prepare::prepare(self, job.readers, memo)?;
        let plan = memo.plan_pages(&prepared.view, prepared.extra_pages());
        emit::year(&prepared, plan, job.theme, memo, sink, job.progress)?;
        Ok(prepared)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// `check --scope`: holds the free text against `audience` alone (`hidden-mention` for the
    /// bodies its notice shows, src/rules/mentions.rs) instead of every audience that reads
    /// each body. `None` leaves the diagnostics as they are. An audience that names no
    /// department of the year is an error (as for `build`). The office's internal build shows
    /// every point (`Readers::drafts`), so no free text names a point hidden from it.
    pub(crate) fn narrow_mentions(&mut self, audience: Option<&Audience>) -> Result<()> {
        let Some(audience) = audience else {
            return Ok(());
        };
        let readers = audience.resolve(&self.year)?;
        self.diagnostics
            .retain(|d| d.rule != diagnostic::Rule::HiddenMention);
        if readers.drafts {
            return Ok(());
        }
        self.diagnostics.extend(crate::rules::mentions::find(
            &self.year,
            &self.config.rules,
            crate::rules::mentions::Readers::One(audience),
        ));
        diagnostic::sort(&mut self.diagnostics);
        Ok(())
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The text of a file that was read, for printing source lines.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.year.sources.get(file).map(String::as_str)
    }
}
