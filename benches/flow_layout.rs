//! How long a 200-node flow diagram takes to parse, lay out and render.
//!
//! Run with `cargo bench --bench flow_layout`. Prints the median of RUNS runs for two
//! diagrams: a long procedure (50 stages of apply → review → decide, with a loop back on each
//! rejection) and a tangled graph (a random spine with 150 extra edges, forward and back).
//!
//! Both wall-clock time and, where Linux tells it, the CPU time of this thread: on a shared
//! two-core machine other jobs inflate the first, not the second.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gongshi::flow::{RiskMark, parse, render_svg};

const RUNS: usize = 31;

fn procedure(stages: usize) -> String {
    let mut src = String::from("flowchart TD\n");
    for i in 0..stages {
        src.push_str(&format!(
            "  A{i}[第{i}环节 提交材料] --> B{i}[科室审核 @R-{i}] --> C{i}{{是否合规}}\n  C{i} -->|否| D{i}[退回修改] --> B{i}\n"
        ));
        if i + 1 < stages {
            src.push_str(&format!("  C{i} -->|是| A{}\n", i + 1));
        }
    }
    src
}

fn tangled(nodes: usize, extra: usize) -> String {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |below: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % below as u64) as usize
    };
    let mut src = String::from("flowchart TD\n");
    for v in 0..nodes {
        src.push_str(&format!("  N{v}[步骤{v} 审批 @R-{}]\n", v % 7));
    }
    for v in 1..nodes {
        let from = v - 1 - next(v.min(3));
        src.push_str(&format!("  N{from} --> N{v}\n"));
    }
    for _ in 0..extra {
        let (a, b) = (next(nodes), next(nodes));
        if next(3) == 0 {
            src.push_str(&format!("  N{a} -->|退回| N{b}\n"));
        } else {
            src.push_str(&format!("  N{a} --> N{b}\n"));
        }
    }
    src
}

fn mark(id: &str) -> RiskMark {
    match id.as_bytes().last() {
        Some(b'0') => RiskMark::Hidden,
        Some(&d) => RiskMark::Visible {
            grade: 1 + d % 3,
            href: format!("{id}.html"),
            title: "风险点".into(),
        },
        None => RiskMark::Unknown,
    }
}

/// The CPU time this thread has run for (Linux), so that time spent waiting for a core while
/// other jobs run is not counted.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn measure(name: &str, src: &str) {
    let chart = parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut parse_times = Vec::with_capacity(RUNS);
    let mut render_times = Vec::with_capacity(RUNS);
    let mut render_cpu = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let parsed = parse(black_box(src));
        parse_times.push(start.elapsed());
        black_box(parsed.is_ok());
        let cpu = thread_cpu_time();
        let start = Instant::now();
        let svg = render_svg(black_box(&chart), "flow-bench", &mark);
        render_times.push(start.elapsed());
        if let (Some(before), Some(after)) = (cpu, thread_cpu_time()) {
            render_cpu.push(after.saturating_sub(before));
        }
        bytes = svg.len();
    }
    let cpu = if render_cpu.is_empty() {
        String::new()
    } else {
        format!(" ({:.2} ms CPU)", median(render_cpu).as_secs_f64() * 1e3)
    };
    println!(
        "{name}: {} nodes, {} edges; parse {:.2} ms, layout + render {:.2} ms{cpu}, median of {RUNS}; SVG {} KB",
        chart.node_count(),
        src.matches("-->").count(),
        median(parse_times).as_secs_f64() * 1e3,
        median(render_times).as_secs_f64() * 1e3,
        bytes / 1024
    );
}

fn main() {
    println!(
        "flow_layout on {} CPUs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    measure("procedure", &procedure(50));
    measure("tangled", &tangled(200, 150));
}
