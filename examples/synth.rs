//! A synthetic hospital for benchmarks and scale tests, written to a folder: a complete gongshi
//! site of N valid risk points, deterministic for a seed (the generator is
//! `tests/support/hospital.rs`, which the tests share).
//!
//! ```text
//! cargo run --release --example synth -- --points N --out DIR [--seed S]
//! ```

use std::path::PathBuf;

#[path = "../tests/support/hospital.rs"]
mod hospital;

fn usage() -> ! {
    eprintln!("usage: synth --points N --out DIR [--seed S]");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut points, mut out, mut seed) = (None, None, 20_220_520u64);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--points" => points = value.parse::<usize>().ok().filter(|n| *n > 0),
            "--out" => out = Some(PathBuf::from(value)),
            "--seed" => seed = value.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let (Some(points), Some(out)) = (points, out) else {
        usage()
    };
    let files = hospital::generate(points, seed);
    if let Err(err) = hospital::write(&out, &files) {
        eprintln!("synth: {err}");
        std::process::exit(2);
    }
    let md: Vec<&(String, String)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".md") && !p.ends_with("_index.md"))
        .collect();
    let bytes: usize = md.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "synth: {} risk points in {} departments, {bytes} bytes of point Markdown ({} B/file) -> {}",
        md.len(),
        hospital::department_count(),
        bytes / md.len().max(1),
        out.display()
    );
}
