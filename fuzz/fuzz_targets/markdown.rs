//! The Markdown renderer: no panic, `check` and `render` agree on the limits, and the sanitised
//! HTML holds nothing the sanitiser removes (src/fuzzing.rs, `markdown`). Run with a timeout so
//! that a slow body is a failure: `cargo fuzz run markdown -- -timeout=2` (docs/security.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = gongshi::fuzzing::markdown(data) {
        panic!("{problem}");
    }
});
