//! The fuzz targets' checked-in corpus, replayed with the targets' own checks
//! (src/fuzzing.rs), so that every input the fuzzers kept — the seeds, and each one that once
//! found a defect — is checked by `cargo test` on every change, without running a fuzzer in CI.
//! Running the fuzzers: docs/security.md.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8]) -> Result<(), String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    inputs.sort();
    assert!(inputs.len() > 50, "{target}: the corpus is missing");
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|path| {
            let data = std::fs::read(path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            let why = match outcome {
                Ok(Ok(())) => return None,
                Ok(Err(why)) => why,
                Err(_) => "panicked".to_string(),
            };
            Some(format!("{}: {why}", path.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_yaml_fast_paths_corpus_agrees_with_serde_saphyr() {
    replay("yaml_fast", gongshi::fuzzing::yaml);
}

#[test]
fn the_markdown_corpus_renders_within_the_limits_and_sanitised() {
    replay("markdown", gongshi::fuzzing::markdown);
}
