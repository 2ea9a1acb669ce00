//! The front matter fast path against serde-saphyr: whenever the fast path gives a tree, it is
//! the full parser's (src/fuzzing.rs, `yaml`). Run: `cargo fuzz run yaml_fast` (docs/security.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = gongshi::fuzzing::yaml(data) {
        panic!("{problem}");
    }
});
