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
pub fn phase(name: &str) {
    if let Some(start) = start() {
        eprintln!("[timings] {:>6} ms  {name}", start.elapsed().as_millis());
    }
}
