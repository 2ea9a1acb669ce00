//! Loading and checking, remembered from one rebuild of the preview to the next: the year
//! loaded last, brought up to date in place when only files it read changed; each point's own
//! rule findings; the year before (for the 较上年变化 page) until one of its files changes; the
//! archived years' files until a file under `archive/` changes.
//!
//! The preview's builder says what changed (`forget`, `clear`); the rest follows the
//! pipeline's calls (`build::memo::Memo`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result};

use crate::build::sink::{SharedFiles, Sink};
use crate::content::site_config::RuleTables;
use crate::content::{self, LoadCache, LoadedYear};
use crate::diagnostic::Diagnostic;
use crate::rules::memo::RulesMemo;
use crate::site::{CheckedYear, Site};

/// The year before the one previewed: loaded with a cache of its own, and loaded again only
/// when one of its files (or `site.yaml`) changed.
#[derive(Default)]
struct PreviousYear {
    cache: LoadCache,
    rules: RulesMemo,
    last: Option<LoadedYear>,
    checked: Option<Arc<CheckedYear>>,
    stale: bool,
}

/// What the preview keeps of loading and checking.
#[derive(Default)]
pub(crate) struct LoadMemo {
    /// Parsed content files, reused while unchanged.
    cache: LoadCache,
    /// The year loaded last (`recycle`), brought up to date in place by the next load.
    last: Option<LoadedYear>,
    /// Each point's own rule findings.
    rules: RulesMemo,
    previous: PreviousYear,
    /// The archived years' files, for the year previewed, until `forget_archives`.
    archives: Mutex<Option<(u16, SharedFiles)>>,
}

/// Whether a change at `path` can concern the folder `dir` (`None`: not known yet): a file
/// in it, or a folder above it (replaced with everything in it).
fn concerns(path: &Path, dir: Option<&PathBuf>) -> bool {
    dir.is_none_or(|dir| path.starts_with(dir) || dir.starts_with(path))
}

impl LoadMemo {
    /// Takes back the year the last load gave, to bring it up to date in place next time.
    pub(crate) fn recycle(&mut self, year: LoadedYear) {
        self.last = Some(year);
    }

    /// Whether the last load read files saved too recently to be sure they are final.
    pub(crate) fn has_recent_files(&self) -> bool {
        self.cache.has_untrusted()
    }

    /// Forgets everything read: the folders may have changed in ways no event said.
    pub(crate) fn clear(&mut self) {
        self.cache.clear();
        self.previous.cache.clear();
        self.previous.stale = true;
        self.forget_archives();
    }

    /// Forgets what a change at `path` (under `root`) may have made stale.
    pub(crate) fn forget(&mut self, root: &Path, path: &Path) {
        let content = root.join("content");
        let dir = |year: Option<&LoadedYear>| year.map(|y| root.join(&y.dir));
        let current = dir(self.last.as_ref());
        let before = dir(self.previous.checked.as_ref().map(|c| &c.year));
        // Each cache loads one year folder; a path above it (the root, `content/` itself)
        // may have replaced it. Until the year is known, anything under `content/` may be
        // in it.
        if concerns(path, current.as_ref()) && concerns(path, Some(&content)) {
            self.cache.forget(path);
        }
        if concerns(path, before.as_ref()) && concerns(path, Some(&content)) {
            self.previous.cache.forget(path);
            self.previous.stale = true;
        }
        if path.ends_with("site.yaml") {
            self.previous.stale = true;
        }
        let archive = root.join("archive");
        if path.starts_with(&archive) || archive.starts_with(path) {
            self.forget_archives();
        }
    }

    fn forget_archives(&mut self) {
        *self.archives.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The year `number`: the one kept, brought up to date, when it can be; else loaded.
    pub(super) fn load_year(&mut self, root: &Path, number: u16) -> Result<LoadedYear> {
        load_through(root, number, &mut self.cache, self.last.take())
    }

    pub(super) fn check(&mut self, year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
        crate::rules::check_cached(year, rules, &mut self.rules)
    }

    /// The year before, checked: the one kept while none of its files (nor `site.yaml`)
    /// changed.
    pub(super) fn previous_year(
        &mut self,
        root: &Path,
        number: u16,
        rules: &RuleTables,
    ) -> Result<Arc<CheckedYear>> {
        let previous = &mut self.previous;
        if let Some(checked) = &previous.checked
            && !previous.stale
            && checked.year.number == number
        {
            return Ok(Arc::clone(checked));
        }
        // The year kept goes back to be refreshed in place, unless a page still holds it.
        if let Some(checked) = previous.checked.take()
            && let Ok(checked) = Arc::try_unwrap(checked)
        {
            previous.last = Some(checked.year);
        }
        let mut year = load_through(root, number, &mut previous.cache, previous.last.take())?;
        let mut diagnostics = std::mem::take(&mut year.diagnostics);
        diagnostics.extend(crate::rules::check_cached(
            &year,
            rules,
            &mut previous.rules,
        ));
        let checked = Arc::new(CheckedYear { year, diagnostics });
        previous.stale = false;
        previous.checked = Some(Arc::clone(&checked));
        Ok(checked)
    }

    /// The archived years' files, read once for the year previewed.
    pub(super) fn archives(&self, site: &Site, sink: &dyn Sink) -> Result<()> {
        let mut kept = self.archives.lock().unwrap_or_else(|e| e.into_inner());
        let files = match kept.take() {
            Some((year, files)) if year == site.year.number => files,
            _ => {
                let mut files = SharedFiles::new();
                crate::build::emit::archived_files(site, &mut |path, bytes| {
                    files.push((path, Arc::new(bytes)));
                    Ok(())
                })?;
                files
            }
        };
        for (path, bytes) in &files {
            sink.put(Arc::clone(path), Arc::clone(bytes))?;
        }
        *kept = Some((site.year.number, files));
        Ok(())
    }
}

/// Loads year `number` through `cache`, refreshing `last` in place when it is that year and
/// only files it read changed.
fn load_through(
    root: &Path,
    number: u16,
    cache: &mut LoadCache,
    last: Option<LoadedYear>,
) -> Result<LoadedYear> {
    let context = || format!("无法读取 {number} 年度的内容");
    if let Some(mut year) = last.filter(|y| y.number == number)
        && content::refresh_year(root, cache, &mut year).with_context(context)?
    {
        return Ok(year);
    }
    content::load_year_cached(root, number, cache).with_context(context)
}
