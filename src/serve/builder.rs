//! One rebuild of the preview: load and check the year, and when there are no errors, render
//! every file `gongshi build` would write — in memory. The pipeline is the build's own
//! (`Site::load`, `build::render_year`, `build::root_pages`), so what is served is what is
//! built; only the caches differ (see `docs/serve.md`): the site loaded last (brought up to
//! date in place), each point's rule findings, the render memo, the theme, the archived years.
//!
//! Nothing here may end the server: content errors, a template error, an I/O error and even a
//! panic all become a `Problem` shown over the last good pages.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audience::Audience;
use crate::build::{self, SharedFiles};
use crate::content::LoadCache;
use crate::diagnostic::{self, Diagnostic};
use crate::render::memo::{MemoStats, RenderMemo, SearchJob};
use crate::render::theme::{self, Theme};
use crate::rules::memo::RulesMemo;
use crate::search::{SearchFile, build_index};
use crate::serve::paths;
use crate::serve::rebuilds::Pending;
use crate::serve::state::{Outcome, Problem};
use crate::site::Site;

/// At most this many diagnostics are drawn in the overlay.
const MAX_SHOWN: usize = 30;

/// The inputs a rebuild needs and what it keeps between rebuilds.
pub struct Builder {
    root: PathBuf,
    year: Option<u16>,
    audience: Audience,
    /// Parsed content files, reused while unchanged.
    loaded: LoadCache,
    /// The site loaded last, brought up to date in place by the next load.
    site: Option<Site>,
    /// Each point's own rule findings.
    rules: RulesMemo,
    /// Bodies, view records and pages, reused while their inputs are unchanged.
    memo: RenderMemo,
    /// The theme (by name) and whether its templates are the default ones, until a file under
    /// `themes/` or `site.yaml` changes.
    theme: Option<(String, Theme, bool)>,
    /// The archived years' files, until a file under `archive/` changes.
    archives: Option<(u16, SharedFiles)>,
    /// The year before, for the 较上年变化 page.
    previous: PreviousYear,
    /// The search index the last rebuild left to build, not yet handed out.
    deferred: Option<IndexJob>,
    /// The job whose index may still be accepted (a later rebuild makes it stale).
    wanted: Option<u64>,
    jobs: u64,
}

/// The year before the one previewed, for its 较上年变化 page: loaded with a cache of its own,
/// and loaded again only when one of its files (or `site.yaml`) changed.
#[derive(Default)]
struct PreviousYear {
    cache: LoadCache,
    rules: RulesMemo,
    site: Option<Arc<Site>>,
    stale: bool,
}

impl PreviousYear {
    /// The previous year's site, loaded and checked; `None` in the first year.
    fn load(&mut self, root: &Path, number: Option<u16>) -> Result<Option<Arc<Site>>> {
        let Some(number) = number else {
            self.site = None;
            return Ok(None);
        };
        if let Some(site) = &self.site
            && !self.stale
            && site.year.number == number
        {
            return Ok(Some(Arc::clone(site)));
        }
        let previous = self.site.take().and_then(|s| Arc::try_unwrap(s).ok());
        let site = Arc::new(Site::load_incremental(
            root,
            Some(number),
            &mut self.cache,
            previous,
            &mut self.rules,
        )?);
        self.stale = false;
        self.site = Some(Arc::clone(&site));
        Ok(Some(site))
    }
}

/// Whether a change at `path` can concern the folder `dir` (`None`: not known yet): a file
/// in it, or a folder above it (replaced with everything in it).
fn concerns(path: &Path, dir: Option<&PathBuf>) -> bool {
    dir.is_none_or(|dir| path.starts_with(dir) || dir.starts_with(path))
}

/// A search index to build off the rebuild thread.
pub struct IndexJob {
    token: u64,
    year: u16,
    search: SearchJob,
}

impl IndexJob {
    /// Builds the index (the slow part, its records too); `None` if that panicked.
    pub fn run(self) -> Option<BuiltIndex> {
        let files = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build_index(&self.search.docs())
        }))
        .ok()?;
        Some(BuiltIndex { job: self, files })
    }
}

/// A search index built by an `IndexJob`.
pub struct BuiltIndex {
    job: IndexJob,
    files: Vec<SearchFile>,
}

/// What one rebuild found, for the terminal.
pub struct Report {
    /// The year's diagnostics, rendered for the terminal (with colour when asked).
    pub diagnostics: Vec<(Diagnostic, String)>,
    pub errors: usize,
    pub warnings: usize,
    /// Why the site could not be built other than content errors (a template error, I/O).
    pub failure: Option<String>,
    /// Loading and checking; rendering; the whole rebuild.
    pub load: Duration,
    pub render: Duration,
    pub elapsed: Duration,
    /// Pages rendered and reused.
    pub pages: MemoStats,
}

impl Builder {
    pub fn new(root: &Path, year: Option<u16>, audience: Audience) -> Builder {
        Builder {
            root: root.to_path_buf(),
            year,
            audience,
            loaded: LoadCache::default(),
            site: None,
            rules: RulesMemo::default(),
            theme: None,
            archives: None,
            previous: PreviousYear::default(),
            memo: {
                let memo = RenderMemo::default();
                memo.set_defer_search(true);
                memo
            },
            deferred: None,
            wanted: None,
            jobs: 0,
        }
    }

    /// The usage error of a `--scope 科室:SLUG` whose department the loaded year does not have,
    /// as `build` gives it: the preview would otherwise serve an empty notice.
    pub fn unknown_scope(&self) -> Option<String> {
        let (Audience::Department(slug), Some(site)) = (&self.audience, &self.site) else {
            return None;
        };
        (!site.year.dept_folders.iter().any(|d| d == slug))
            .then(|| crate::build::unknown_department(slug, site))
    }

    /// Whether the last rebuild read files saved too recently to be sure they are final.
    pub fn has_recent_files(&self) -> bool {
        self.loaded.has_untrusted()
    }

    /// What the last rebuild left to do after publishing: the search index, when the points'
    /// searchable text changed. Building it can take longer than the pages (seconds for
    /// thousands of points), so the pages are published and reloaded first and the index is
    /// built on another thread (`IndexJob::run`); `index_built` turns it into a patch.
    pub fn index_job(&mut self) -> Option<IndexJob> {
        self.deferred.take()
    }

    /// The patch that serves a built index, unless a later rebuild made it stale.
    pub fn index_built(&mut self, built: BuiltIndex) -> Option<Outcome> {
        if self.wanted != Some(built.job.token) {
            return None;
        }
        self.wanted = None;
        let year = built.job.year;
        let files: SharedFiles = built
            .files
            .into_iter()
            .map(|f| (Arc::from(f.path), Arc::new(f.bytes)))
            .collect();
        let old = self.memo.accept_search(built.job.search, &files);
        let path = |p: &str| format!("{year}/{p}");
        Some(Outcome::Patch {
            remove: old.iter().map(|p| path(p)).collect(),
            files: files
                .into_iter()
                .map(|(p, bytes)| (Arc::from(path(&p)), bytes))
                .collect(),
        })
    }

    /// Rebuilds the site after the `pending` changes. `color` is for the terminal copy of the
    /// diagnostics only.
    pub fn rebuild(&mut self, pending: &Pending, color: bool) -> (Outcome, Report) {
        let (content, themes, archive) = (
            self.root.join("content"),
            self.root.join("themes"),
            self.root.join("archive"),
        );
        if pending.rescan {
            self.loaded.clear();
            self.memo.forget_pages();
            self.theme = None;
            self.archives = None;
            self.previous.cache.clear();
            self.previous.stale = true;
        }
        let year_dir = |site: &Option<Site>| site.as_ref().map(|s| self.root.join(&s.year.dir));
        let (current, before) = (
            year_dir(&self.site),
            self.previous
                .site
                .as_ref()
                .map(|s| self.root.join(&s.year.dir)),
        );
        for path in &pending.paths {
            // Each cache loads one year folder; a path above it (the root, `content/`
            // itself) may have replaced it. Until the year is known, anything under
            // `content/` may be in it.
            if concerns(path, current.as_ref()) && concerns(path, Some(&content)) {
                self.loaded.forget(path);
            }
            if concerns(path, before.as_ref()) && concerns(path, Some(&content)) {
                self.previous.cache.forget(path);
                self.previous.stale = true;
            }
            if path.ends_with("site.yaml") {
                self.previous.stale = true;
            }
            if path.starts_with(&themes) || themes.starts_with(path) || path.ends_with("site.yaml")
            {
                self.memo.forget_pages();
                self.theme = None;
            }
            if path.starts_with(&archive) || archive.starts_with(path) {
                self.archives = None;
            }
        }
        let start = Instant::now();
        let mut report = Report {
            diagnostics: Vec::new(),
            errors: 0,
            warnings: 0,
            failure: None,
            load: Duration::ZERO,
            render: Duration::ZERO,
            elapsed: Duration::ZERO,
            pages: MemoStats::default(),
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.try_rebuild(color, &mut report)
        }));
        let outcome = match run {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(err)) => {
                report.failure = Some(format!("{err:#}"));
                Outcome::Problem(Problem {
                    title: "无法生成公示".into(),
                    details: vec![format!("{err:#}")],
                    omitted: 0,
                    base: None,
                })
            }
            Err(panic) => {
                // Whatever the caches hold now may be half-updated.
                self.loaded.clear();
                self.site = None;
                self.rules = RulesMemo::default();
                self.theme = None;
                self.archives = None;
                self.previous = PreviousYear::default();
                self.memo = RenderMemo::default();
                self.memo.set_defer_search(true);
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("未知错误");
                let message = format!(
                    "生成时发生内部错误：{what}\n这是 gongshi 的缺陷，请连同出错的文件报告给维护者。"
                );
                report.failure = Some(message.clone());
                Outcome::Problem(Problem {
                    title: "gongshi 内部错误".into(),
                    details: vec![message],
                    omitted: 0,
                    base: None,
                })
            }
        };
        report.elapsed = start.elapsed();
        (outcome, report)
    }

    fn try_rebuild(&mut self, color: bool, report: &mut Report) -> Result<Outcome> {
        let start = Instant::now();
        let previous = self.site.take();
        let site = Site::load_incremental(
            &self.root,
            self.year,
            &mut self.loaded,
            previous,
            &mut self.rules,
        )?;
        report.load = start.elapsed();
        let outcome = self.render(&site, color, report);
        self.site = Some(site);
        outcome
    }

    /// Everything after loading: the diagnostics, and the site's files when there are no
    /// errors.
    fn render(&mut self, site: &Site, color: bool, report: &mut Report) -> Result<Outcome> {
        report.errors = site.error_count();
        report.warnings = site.warning_count();
        report.diagnostics = site
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.clone(),
                    diagnostic::render_human(d, site.source(&d.file), color),
                )
            })
            .collect();
        if site.error_count() > 0 {
            return Ok(Outcome::Problem(content_problem(site)));
        }
        if let Audience::Department(slug) = &self.audience
            && !site.year.departments.iter().any(|d| &d.slug == slug)
        {
            anyhow::bail!(
                "没有科室“{slug}”：--scope 科室:{slug} 中的科室代号应为 content/{}/ 下的科室文件夹名",
                site.year.number
            );
        }
        let start = Instant::now();
        let name = &site.config.theme;
        let (_, theme, precise) = match self.theme.take() {
            Some(kept) if kept.0 == *name => self.theme.insert(kept),
            _ => {
                let theme = Theme::load(&site.root, name)?;
                let precise = theme_is_default(&site.root, name);
                self.theme.insert((name.clone(), theme, precise))
            }
        };
        self.memo.set_precise(*precise);
        // The memo lets go of the previous year first, so that it can be refreshed in place.
        self.memo.set_previous_year(None);
        let previous = self
            .previous
            .load(&self.root, crate::diff::notice::previous_year(site))?;
        self.memo.set_previous_year(previous);
        self.memo.begin();
        let rendered =
            build::render_year_memo(site, theme, &self.audience, false, Some(&self.memo));
        report.pages = self.memo.finish();
        // A render that left its index to build makes any earlier job stale; one that did not
        // (the index is as it was) too.
        self.deferred = self.memo.take_deferred_search().map(|search| {
            self.jobs += 1;
            IndexJob {
                token: self.jobs,
                year: site.year.number,
                search,
            }
        });
        self.wanted = self.deferred.as_ref().map(|job| job.token);
        let mut files = rendered?;
        files.extend(
            build::root_pages(site, theme)?
                .into_iter()
                .map(|(path, bytes)| (Arc::from(path), Arc::new(bytes))),
        );
        let archives = match self.archives.take() {
            Some(kept) if kept.0 == site.year.number => self.archives.insert(kept),
            _ => {
                let mut archived = Vec::new();
                for year in build::archived_years(&site.root) {
                    if year != site.year.number {
                        let dir = site.root.join("archive").join(year.to_string());
                        read_tree(&dir, &year.to_string(), &mut archived)?;
                    }
                }
                self.archives.insert((site.year.number, archived))
            }
        };
        files.extend(archives.1.iter().cloned());
        report.render = start.elapsed();
        Ok(Outcome::Site {
            base: paths::normalise_base(&site.config.base_path),
            files,
        })
    }
}

/// Whether the theme's templates are the default theme's, whose pages read the view only
/// through their own indexes (see src/render/memo/pages.rs).
fn theme_is_default(root: &Path, name: &str) -> bool {
    let dir = root.join("themes").join(name).join("templates");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return name == "default";
    };
    name == "default"
        && entries.flatten().all(|entry| {
            let file = entry.file_name().to_string_lossy().into_owned();
            match theme::TEMPLATES.iter().find(|(n, _)| *n == file) {
                Some((_, text)) => std::fs::read_to_string(entry.path()).is_ok_and(|t| t == *text),
                // A template the default theme does not have is included by none of its pages.
                None => true,
            }
        })
}

/// The overlay's account of content errors: each as `gongshi check` prints it, without colour.
fn content_problem(site: &Site) -> Problem {
    let errors: Vec<&Diagnostic> = site.diagnostics.iter().filter(|d| d.is_error()).collect();
    Problem {
        title: format!("内容有 {} 个错误，公示未更新", errors.len()),
        details: errors
            .iter()
            .take(MAX_SHOWN)
            .map(|d| diagnostic::render_human(d, site.source(&d.file), false))
            .collect(),
        omitted: errors.len().saturating_sub(MAX_SHOWN),
        base: Some(paths::normalise_base(&site.config.base_path)),
    }
}

/// Reads every file under `dir` as `prefix/relative/path` (an archived year, served as frozen),
/// once the year verifies against its manifest, as a build copies it (issue 15).
fn read_tree(dir: &Path, prefix: &str, out: &mut SharedFiles) -> Result<()> {
    crate::archive::verify::read_verified(dir, &mut |rel, bytes| {
        out.push((Arc::from(format!("{prefix}/{rel}")), Arc::new(bytes)));
        Ok(())
    })
}
