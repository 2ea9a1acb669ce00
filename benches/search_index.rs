//! Search index benchmark (plain `std::time`, `harness = false`): index size and build time for
//! the twenty realistic points of the tests, the example site (`content/`), and the points that
//! synthetic hospitals of 100, 1,000 and 10,000 points publish hospital-wide (about 2 KB of
//! Chinese each; `tests/support/hospital.rs`, the corpus of `examples/synth.rs`); then, when
//! Chromium is installed, the time from a query to its first result for the 10,000-point
//! hospital's index opened from `file://`.
//!
//! Run with `cargo bench --bench search_index` (`-- --sizes` for the sizes only); figures are recorded in docs/search.md.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code, reason = "the benchmark uses only part of the test support")]
mod support;

use std::time::Instant;

use gongshi::search::{IndexLayout, SearchDoc, SearchFile, build_index};

use support::chromium::{self, chromium};
use support::dom::{form_attr, result_ids};
use support::harness::Harness;
use support::index::terms_of;
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
    report("example site", &example_docs());
    for count in [100, 1_000, 10_000] {
        report(
            &format!("hospital of {count}"),
            &synthetic_docs(count, 20220520),
        );
    }
    // `-- --sizes`: the table above only, without the browser.
    if !std::env::args().any(|a| a == "--sizes") {
        query_times(&synthetic_docs(10_000, 20220520));
    }
}

/// The points of the example site (`content/`) that the hospital-wide notice indexes.
fn example_docs() -> Vec<SearchDoc> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = gongshi::site::Site::load(root, None).expect("the example site loads");
    gongshi::build::year_search_docs(&site, &gongshi::audience::Audience::Hospital)
        .expect("the example site's points")
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
        "{:<22} shards {} B, records {} B, {} distinct terms",
        "",
        size("search/shard-"),
        size("search/docs-"),
        terms_of(&files).len()
    );
}

/// Typing into an idle page: keeps the document loading (a chain of empty script loads, so
/// that `--dump-dom` waits), focuses the box after half a second, and half a second later puts
/// the query in it as an IME commits it, then waits for the results. The search box records the time in `data-search-ms`.
const TYPING: &str = r#"<script>
(function () {
  var query = new URLSearchParams(location.search).get("typed");
  if (query === null) return;
  var finished = false;
  var loads = 0;
  (function keepLoading() {
    if (finished) return;
    var script = document.createElement("script");
    script.src = "../static/keepalive.js?" + loads++;
    script.onload = keepLoading;
    document.head.appendChild(script);
  })();
  var form = document.querySelector("form.gs-search");
  var input = form.querySelector("input");
  setTimeout(function () { input.focus(); }, 500);
  setTimeout(function () {
    input.value = query;
    input.dispatchEvent(new Event("input"));
    (function poll() {
      if (form.getAttribute("data-search-state") === "done") finished = true;
      else setTimeout(poll, 5);
    })();
  }, 1000);
})();
</script>"#;

const RUNS: usize = 3;

/// Opens the 10,000-point hospital's index in headless Chromium and reads how long the search box took
/// from the query to showing its results (`data-search-ms`, `performance.now()` in the page),
/// loading the shards and record blocks the query needs. Two cases: the query arrives with
/// the page (`?q=`, while the browser is still starting), and the query is typed into an
/// idle page. Each is run three times; the table gives the fastest and the slowest.
fn query_times(docs: &[SearchDoc]) {
    if chromium().is_none() {
        println!("query times: skipped: chromium not installed");
        return;
    }
    let harness = Harness::new(docs, IndexLayout::default());
    if let Some(keep) = std::env::var_os("GONGSHI_BENCH_KEEP") {
        // For profiling by hand: a copy of the year folder that outlives the benchmark.
        support::files::copy_tree(harness.root(), std::path::Path::new(&keep));
    }
    let typed_page = harness.write_page("departments/typed.html", TYPING);
    std::fs::write(harness.root().join("static/keepalive.js"), "").expect("the keep-alive script");

    println!(
        "\nquery to results, the 10,000-point hospital, headless Chromium from file:// (ms, best–worst of {RUNS})"
    );
    println!(
        "{:<14} {:>8} {:>10} {:>6} {:>15} {:>13}",
        "query", "results", "first", "files", "with page load", "typed, idle"
    );
    for query in ["采购", "回扣", "药品 回扣", "医保基金使用", "审", "cwk-009"] {
        let (mut with_load, mut typed) = (Vec::new(), Vec::new());
        let (mut total, mut first, mut files) = (String::new(), String::new(), String::new());
        for _ in 0..RUNS {
            let loaded = chromium::load(&harness.search_url(query, ""), &harness.allowed_prefix());
            with_load.push(ms(&loaded.dom));
            total = form_attr(&loaded.dom, "data-search-total").unwrap_or_default();
            first = result_ids(&loaded.dom).first().cloned().unwrap_or_default();
            let url = chromium::file_url(
                &typed_page,
                &format!("typed={}", chromium::encode_param(query)),
            );
            let loaded = chromium::load(&url, &harness.allowed_prefix());
            typed.push(ms(&loaded.dom));
            files = (loaded.dom.matches("search/shard-").count()
                + loaded.dom.matches("search/docs-").count())
            .to_string();
            if !loaded.console_errors.is_empty() || !loaded.foreign_requests.is_empty() {
                println!(
                    "  console {:?} foreign {:?}",
                    loaded.console_errors, loaded.foreign_requests
                );
            }
        }
        println!(
            "{query:<14} {total:>8} {first:>10} {files:>6} {:>15} {:>13}",
            range(&with_load),
            range(&typed)
        );
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average after the run (1, 5, 15 min): {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

fn ms(dom: &str) -> f64 {
    form_attr(dom, "data-search-ms")
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(f64::NAN)
}

fn range(times: &[f64]) -> String {
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    let worst = times.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{best:.0}–{worst:.0}")
}
