//! Which version of each file a load read: a number that stays the same exactly as long as the
//! file's text does, so that `gongshi serve` can keep what it made from a file (its rule
//! results, its record in the view, its ledger row, its rendered body) without comparing the
//! file's content again.
//!
//! Versions come from a `LoadCache` (src/content/mod.rs): a file read again gets a new number
//! unless its text is the same as before. Numbers are never reused, so an equal version means
//! equal text, hence an equal parse. A load without a cache numbers the files too; nothing
//! reads them there.

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Default)]
pub(crate) struct FileVersions {
    /// By path relative to the root (`RiskPoint::file`).
    by_file: FxHashMap<String, u64>,
    /// Which load of which cache these are: `LoadCache::refresh_year` patches only the year it
    /// produced itself.
    pub(crate) token: u64,
}

impl FileVersions {
    /// The version of a file that was read; 0 for a file that was not (no version is 0).
    pub(crate) fn get(&self, file: &str) -> u64 {
        self.by_file.get(file).copied().unwrap_or(0)
    }

    pub(crate) fn set(&mut self, file: &str, version: u64) {
        match self.by_file.get_mut(file) {
            Some(v) => *v = version,
            None => {
                self.by_file.insert(file.to_string(), version);
            }
        }
    }

    /// Every file the load found, read or not.
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        self.by_file.keys().map(String::as_str)
    }
}
