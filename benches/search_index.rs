//! Search index benchmark (plain `std::time`, `harness = false`): index size and build time for
//! the twenty realistic points of the tests and for 1,000 and 10,000 synthetic points of about
//! 2 KB of Chinese each; then, when Chromium is installed, the time from a query to its first
//! result for the 10,000-point index opened from `file://`.
//!
//! Run with `cargo bench --bench search_index`; figures are recorded in docs/search.md.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code, reason = "the benchmark uses only part of the test support")]
mod support;

use std::time::Instant;

use gongshi::search::{IndexLayout, SearchDoc, SearchFile, build_index};

use support::chromium::{self, chromium};
use support::dom::{form_attr, result_ids};
use support::harness::Harness;
use support::risk_docs::risk_docs;
use support::synthetic::{synthetic_docs, text_bytes};

fn main() {
    println!(
        "{:<22} {:>7} {:>10} {:>10} {:>6} {:>9} {:>6} {:>9} {:>9}",
        "corpus",
        "points",
        "text B",
        "index B",
        "ratio",
        "manifest",
        "files",
        "largest",
        "build ms"
    );
    report("realistic (tests)", &risk_docs());
    for count in [1_000, 10_000] {
        report(
            &format!("synthetic {count}"),
            &synthetic_docs(count, 20220520),
        );
    }
    query_times(&synthetic_docs(10_000, 20220520));
}

fn report(name: &str, docs: &[SearchDoc]) {
    let text: usize = docs.iter().map(text_bytes).sum();
    // The best of three runs: the figure least disturbed by other work on the machine.
    let mut best = f64::MAX;
    let mut files: Vec<SearchFile> = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        files = build_index(docs);
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
    }
    let size = |prefix: &str| -> usize {
        files
            .iter()
            .filter(|f| f.path.starts_with(prefix))
            .map(|f| f.bytes.len())
            .sum()
    };
    let index = size("search/");
    let largest = files.iter().map(|f| f.bytes.len()).max().unwrap_or(0);
    println!(
        "{name:<22} {:>7} {text:>10} {index:>10} {:>6.3} {:>9} {:>6} {largest:>9} {best:>9.1}",
        docs.len(),
        index as f64 / text as f64,
        size("search/index.js"),
        files.len(),
    );
    println!(
        "{:<22} shards {} B, records {} B",
        "",
        size("search/shard-"),
        size("search/docs-")
    );
}

/// Opens the 10,000-point index in headless Chromium with `?q=` and reads how long the search
/// box took from starting the query to showing the results (`data-search-ms`, measured with
/// `performance.now()` in the page; it includes loading the shards and record blocks the query
/// needs, which a first query after opening the page must do).
fn query_times(docs: &[SearchDoc]) {
    if chromium().is_none() {
        println!("query times: skipped: chromium not installed");
        return;
    }
    let harness = Harness::new(docs, IndexLayout::default());
    if let Some(keep) = std::env::var_os("GONGSHI_BENCH_KEEP") {
        // For profiling by hand: a copy of the year folder that outlives the benchmark.
        copy_dir(harness.root(), std::path::Path::new(&keep));
    }
    println!("\nfirst query after page load, 10,000 points, headless Chromium from file://");
    println!(
        "{:<16} {:>8} {:>10} {:>8}",
        "query", "results", "first", "ms"
    );
    for query in [
        "采购",
        "回扣",
        "药品 回扣",
        "药品采购",
        "医保基金使用",
        "出纳",
        "审",
        "fx-0999",
        "FX-09999",
    ] {
        let loaded = chromium::load(&harness.search_url(query, ""), &harness.allowed_prefix());
        let ids = result_ids(&loaded.dom);
        let ms = form_attr(&loaded.dom, "data-search-ms").unwrap_or_else(|| "-".into());
        let total =
            form_attr(&loaded.dom, "data-search-total").unwrap_or_else(|| ids.len().to_string());
        println!(
            "{query:<16} {total:>8} {:>10} {ms:>8}",
            ids.first().map_or("-", String::as_str)
        );
        if !loaded.console_errors.is_empty() || !loaded.foreign_requests.is_empty() {
            println!(
                "  console {:?} foreign {:?}",
                loaded.console_errors, loaded.foreign_requests
            );
        }
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            let _ = std::fs::create_dir_all(to);
            let _ = std::fs::copy(entry.path(), target);
        }
    }
}
