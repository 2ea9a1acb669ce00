//! One rebuild of the preview: load and check the year, and when there are no errors, render
//! every file `gongshi build` would write — in memory. The pipeline is the build's own
//! (`Site::load_for`, `Site::build`), so what is served is what is built; only the memo
//! differs (`PreviewMemo`, see src/serve/memo/ and `docs/serve.md`), and the theme is kept.
//!
//! Nothing here may end the server: content errors, a template error, an I/O error and even a
//! panic all become a `Problem` shown over the last good pages.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audience::Audience;
use crate::build::sink::{Files, SharedFiles};
use crate::diagnostic::{self, Diagnostic};
use crate::render::theme::{self, Theme};
use crate::search::{SearchFile, build_index};
use crate::serve::memo::{MemoStats, PreviewMemo, SearchJob};
use crate::serve::paths;
use crate::serve::rebuilds::Pending;
use crate::serve::state::{Outcome, Problem};
use crate::site::{BuildJob, Purpose, Site};

/// At most this many diagnostics are drawn in the overlay.
const MAX_SHOWN: usize = 30;

/// The inputs a rebuild needs and what it keeps between rebuilds.
pub(crate) struct Builder {
    root: PathBuf,
    year: Option<u16>,
    audience: Audience,
    /// `--drafts`: the readers see every point (`Readers::drafts`).
    drafts: bool,
    /// The site loaded last; its year goes back to the memo to be brought up to date.
    site: Option<Site>,
    /// What was loaded, checked and rendered, reused while its inputs are unchanged.
    memo: PreviewMemo,
    /// The theme (by name) and whether its templates are the default ones, until a file under
    /// `themes/` or `site.yaml` changes.
    theme: Option<(String, Theme, bool)>,
    /// The search index the last rebuild left to build, not yet handed out.
    deferred: Option<IndexJob>,
    /// The job whose index may still be accepted (a later rebuild makes it stale).
    wanted: Option<u64>,
    jobs: u64,
}

/// A memo that leaves a changed search index to be built after the pages are published.
fn preview_memo() -> PreviewMemo {
    let memo = PreviewMemo::default();
    memo.render.set_defer_search(true);
    memo
}

/// A search index to build off the rebuild thread.
pub(crate) struct IndexJob {
    token: u64,
    year: u16,
    search: SearchJob,
}

impl IndexJob {
    /// Builds the index (the slow part, its records too); `None` if that panicked.
    pub(crate) fn run(self) -> Option<BuiltIndex> {
        let files = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            build_index(&self.search.docs())
        }))
        .ok()?;
        Some(BuiltIndex { job: self, files })
    }
}

/// A search index built by an `IndexJob`.
pub(crate) struct BuiltIndex {
    job: IndexJob,
    files: Vec<SearchFile>,
}

/// What one rebuild found, for the terminal.
pub(crate) struct Report {
    /// The year's diagnostics, rendered for the terminal (with colour when asked).
    pub(crate) diagnostics: Vec<(Diagnostic, String)>,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    /// Why the site could not be built other than content errors (a template error, I/O).
    pub(crate) failure: Option<String>,
    /// Loading and checking; rendering; the whole rebuild.
    pub(crate) load: Duration,
    pub(crate) render: Duration,
    pub(crate) elapsed: Duration,
    /// Pages rendered and reused.
    pub(crate) pages: MemoStats,
}

impl Builder {
    pub(crate) fn new(root: &Path, year: Option<u16>, audience: Audience, drafts: bool) -> Builder {
        Builder {
            root: root.to_path_buf(),
            year,
            audience,
            drafts,
            site: None,
            memo: preview_memo(),
            theme: None,
            deferred: None,
            wanted: None,
            jobs: 0,
        }
    }

    /// The usage error of a `--scope 科室:SLUG` whose department the loaded year does not have,
    /// as `build` gives it: the preview would otherwise serve an empty notice.
    pub(crate) fn unknown_scope(&self) -> Option<String> {
        let site = self.site.as_ref()?;
        self.audience
            .resolve(&site.year)
            .err()
            .map(|e| format!("{e:#}"))
    }

    /// Whether the last rebuild read files saved too recently to be sure they are final.
    pub(crate) fn has_recent_files(&self) -> bool {
        self.memo.load.has_recent_files()
    }

    /// What the last rebuild left to do after publishing: the search index, when the points'
    /// searchable text changed. Building it can take longer than the pages (seconds for
    /// thousands of points), so the pages are published and reloaded first and the index is
    /// built on another thread (`IndexJob::run`); `index_built` turns it into a patch.
    pub(crate) fn index_job(&mut self) -> Option<IndexJob> {
        self.deferred.take()
    }

    /// The patch that serves a built index, unless a later rebuild made it stale.
    pub(crate) fn index_built(&mut self, built: BuiltIndex) -> Option<Outcome> {
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
        let old = self.memo.render.accept_search(built.job.search, &files);
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
    pub(crate) fn rebuild(&mut self, pending: &Pending, color: bool) -> (Outcome, Report) {
        if let Some(site) = self.site.take() {
            self.memo.load.recycle(site.year);
        }
        if pending.rescan {
            self.memo.load.clear();
            self.memo.render.forget_pages();
            self.theme = None;
        }
        let themes = self.root.join("themes");
        for path in &pending.paths {
            self.memo.load.forget(&self.root, path);
            if path.starts_with(&themes) || themes.starts_with(path) || path.ends_with("site.yaml")
            {
                self.memo.render.forget_pages();
                self.theme = None;
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
                self.site = None;
                self.theme = None;
                self.memo = preview_memo();
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
        let site = Site::load_for(&self.root, self.year, Purpose::Notice, &mut self.memo)?;
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
        let readers = self.audience.resolve(&site.year)?.with_drafts(self.drafts);
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
        let memo = &self.memo;
        memo.render.set_precise(*precise);
        memo.render.begin();
        let files = Files::default();
        let job = BuildJob {
            readers: &readers,
            theme,
            progress: false,
        };
        let built = site.build(&job, memo, &files);
        report.pages = memo.render.finish();
        // A render that left its index to build makes any earlier job stale; one that did not
        // (the index is as it was) too.
        self.deferred = memo.render.take_deferred_search().map(|search| {
            self.jobs += 1;
            IndexJob {
                token: self.jobs,
                year: site.year.number,
                search,
            }
        });
        self.wanted = self.deferred.as_ref().map(|job| job.token);
        built?;
        report.render = start.elapsed();
        Ok(Outcome::Site {
            base: paths::normalise_base(&site.config.base_path),
            files: files.into_inner(),
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
