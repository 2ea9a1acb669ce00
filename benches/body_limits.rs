//! The worst Markdown bodies within the limits of src/markdown_scan/nesting.rs (256 KB, 32 elements
//! deep), and what rendering each costs: the figures of docs/security.md.
//!
//! Run with `cargo bench --bench body_limits`. Every body is first checked to be within the
//! limits (`markdown::past_limits` is false, so `check` accepts it and `build` renders it);
//! then it is rendered RUNS times and the median and slowest wall times are printed, with the
//! size of the HTML it gives. For comparison the body (100,000 nested list elements,
//! which the limits refuse) is rendered at sizes where that still ends: 2,000 to 8,000 `- `.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gongshi::markdown_scan::nesting::{MAX_BODY_BYTES, MAX_DEPTH};
use gongshi::markdown_scan::past_limits;
use gongshi::render::markdown::render;

const RUNS: usize = 5;

/// `head`, then `unit` as often as fits in the body limit.
fn fill_after(head: &str, unit: &str) -> String {
    format!(
        "{head}{}",
        unit.repeat((MAX_BODY_BYTES - head.len()) / unit.len())
    )
}

fn fill(unit: &str) -> String {
    fill_after("", unit)
}

/// The candidates: each tries a different way to make the sanitiser's tree builder work hard.
fn bodies() -> Vec<(&'static str, String)> {
    let depth = MAX_DEPTH / 2;
    let attrs: String = (1..MAX_DEPTH).map(|i| format!("<b id=b{i}>")).collect();
    vec![
        (
            "lines of 16 nested list markers (32 elements) each",
            fill(&format!("{}x\n", "- ".repeat(depth))),
        ),
        (
            "lines of 31 nested quotes",
            fill(&format!("{}x\n", "> ".repeat(MAX_DEPTH - 1))),
        ),
        (
            "items at depth 32 (16 nested lists, then one item per line)",
            fill_after(
                &format!("{}x\n", "- ".repeat(depth - 1)),
                &format!("{}- x\n", " ".repeat(2 * (depth - 1))),
            ),
        ),
        (
            "raw <div> 32 deep, closed, repeated",
            fill(&format!(
                "{}x{}\n\n",
                "<div>".repeat(MAX_DEPTH),
                "</div>".repeat(MAX_DEPTH)
            )),
        ),
        (
            "31 unclosed formatting elements reopened in every paragraph",
            fill_after(&format!("{attrs}\n\n"), "x\n\n"),
        ),
        (
            "emphasis 31 deep, repeated",
            fill(&format!(
                "{}x{}\n\n",
                "*a ".repeat(MAX_DEPTH - 1),
                " a*".repeat(MAX_DEPTH - 1)
            )),
        ),
        ("a table of 1-character cells", {
            let header = format!("|{}\n|{}\n", "a|".repeat(1000), "-|".repeat(1000));
            fill_after(&header, "x\n")
        }),
        (
            "plain Chinese text",
            fill("风险岗位廉能管理，查找风险点并制订防控措施。\n\n"),
        ),
    ]
}

fn time(body: &str) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut html = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let rendered = render(black_box(body), 1, "bench.md", &mut |_, _| String::new());
        times.push(start.elapsed());
        html = rendered.html.len();
    }
    times.sort();
    (times[RUNS / 2], times[RUNS - 1], html)
}

fn main() {
    println!(
        "within the limits ({} KB, {MAX_DEPTH} deep):",
        MAX_BODY_BYTES / 1024
    );
    for (name, body) in bodies() {
        assert!(
            !past_limits(&body),
            "{name}: the body must be within the limits"
        );
        let (median, slowest, html) = time(&body);
        println!(
            "  {name}: {} KB → {} KB of HTML, median {median:.1?}, slowest {slowest:.1?}",
            body.len() / 1024,
            html / 1024
        );
    }
    println!("refused by the limits, rendered here by the sanitiser directly:");
    for n in [2_000, 4_000, 8_000] {
        let body = format!("{}x\n", "- ".repeat(n));
        assert!(past_limits(&body));
        let mut html = String::new();
        let events = pulldown_cmark::Parser::new(&body);
        pulldown_cmark::html::push_html(&mut html, events);
        let start = Instant::now();
        black_box(ammonia::clean(&html));
        println!(
            "  {n} × \"- \" ({} nested elements): {:.1?}",
            2 * n,
            start.elapsed()
        );
    }
}
