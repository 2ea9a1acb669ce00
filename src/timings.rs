//! Phase timings for profiling: with `GONGSHI_TIMINGS=1` in the environment, `phase` prints
//! to stderr how long since the process started each named step ended, e.g.
//! `[timings]   312 ms  页面已生成`. Off by default; costs one relaxed atomic load when off.
//! BENCHMARKS.md uses it to say where a build's wall time goes.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<&'static Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    START
        .get_or_init(|| {
            std::env::var_os("GONGSHI_TIMINGS")
                .filter(|v| !v.is_empty() && v != "0")
                .map(|_| Instant::now())
        })
        .as_ref()
}

/// Starts the clock (call first thing); later `phase` calls measure from here.
pub fn begin() {
    let _ = start();
}

/// Reports that `name` has just ended, when timings are on.
pub(crate) fn phase(name: &str) {
    if let Some(start) = start() {
        eprintln!(
            "[timings] {:>6} ms {:>5} MiB  {name}",
            start.elapsed().as_millis(),
            resident_mib()
        );
    }
}

/// Per-template render time (like `hugo --templateMetrics`): with timings on, `template`
/// adds one render of `name` that took `took`; `report_templates` prints the totals.
pub(crate) fn template(name: &'static str, took: std::time::Duration) {
    if start().is_some() {
        let mut totals = TEMPLATES.lock().unwrap_or_else(|e| e.into_inner());
        let entry = totals.entry(name).or_default();
        entry.0 += 1;
        entry.1 += took;
    }
}

/// Whether timings are on (to skip taking the time at all when they are not).
pub(crate) fn enabled() -> bool {
    start().is_some()
}

static TEMPLATES: std::sync::Mutex<
    std::collections::BTreeMap<&'static str, (usize, std::time::Duration)>,
> = std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Prints the render time of each template, most expensive first (CPU time summed over
/// threads, so it can exceed the wall time).
pub(crate) fn report_templates() {
    if start().is_none() {
        return;
    }
    let totals = TEMPLATES.lock().unwrap_or_else(|e| e.into_inner());
    let mut rows: Vec<_> = totals.iter().collect();
    rows.sort_by_key(|(_, (_, took))| std::cmp::Reverse(*took));
    for (name, (count, took)) in rows {
        eprintln!(
            "[timings] {:>6} ms  模板 {name}（{count} 次）",
            took.as_millis()
        );
    }
}

/// The process's resident memory now (Linux: /proc/self/statm, in pages of 4 KiB); 0 elsewhere.
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4 / 1024)
}
