//! Where a build puts its files. A `Sink` takes each file as soon as it is drawn: `build`
//! and `archive` write it into a staging folder that replaces the output only at the end
//! (src/output.rs), so that a 10,000-point notice never sits in memory whole; the preview
//! keeps the files in memory and serves them (`Files`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Result, bail};

use crate::output::Staging;

/// A file of the site: its path relative to the output (`2022/index.html`) and its bytes,
/// both shared (the preview keeps a page from one rebuild to the next without copying it).
pub(crate) type SharedFile = (Arc<str>, Arc<Vec<u8>>);
pub(crate) type SharedFiles = Vec<SharedFile>;

/// Takes the files of a build, from any thread.
pub(crate) trait Sink: Sync {
    fn put(&self, path: Arc<str>, bytes: Arc<Vec<u8>>) -> Result<()>;
}

/// Files written into a staging folder, counted. With `within`, every path must lie in that
/// folder of the site and is written without it (an archive holds one year's folder).
pub(crate) struct Folder<'s> {
    staging: &'s Staging,
    within: Option<String>,
    pages: AtomicUsize,
    files: AtomicUsize,
}

impl<'s> Folder<'s> {
    pub(crate) fn new(staging: &'s Staging) -> Folder<'s> {
        Folder {
            staging,
            within: None,
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
        }
    }

    /// Writes the files of the folder `dir` (`2022`) of the site, without that prefix.
    pub(crate) fn within(staging: &'s Staging, dir: &str) -> Folder<'s> {
        Folder {
            within: Some(format!("{dir}/")),
            ..Folder::new(staging)
        }
    }

    /// (pages, files) written.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.pages.load(Ordering::Relaxed),
            self.files.load(Ordering::Relaxed),
        )
    }
}

impl Sink for Folder<'_> {
    fn put(&self, path: Arc<str>, bytes: Arc<Vec<u8>>) -> Result<()> {
        let rel = match &self.within {
            Some(prefix) => match path.strip_prefix(prefix.as_str()) {
                Some(rel) => rel,
                None => bail!("内部错误：文件 {path} 不在 {prefix} 下"),
            },
            None => &path,
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        if rel.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.staging.write(rel, &bytes)
    }
}

/// Files kept in memory, in the order they came.
#[derive(Default)]
pub(crate) struct Files(Mutex<SharedFiles>);

impl Files {
    pub(crate) fn into_inner(self) -> SharedFiles {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Files {
    fn put(&self, path: Arc<str>, bytes: Arc<Vec<u8>>) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
        Ok(())
    }
}
