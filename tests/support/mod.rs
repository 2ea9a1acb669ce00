//! Helpers shared by the integration tests (and, through `#[path]`, the benchmarks and the
//! `synth` example): a headless Chromium driver, a harness year folder for search, realistic
//! risk points, printing to PDF and reading printed pages, the synthetic hospital and the points it publishes, and the files of a test
//! site (copies of the example, trees read back, fresh builds).

pub mod chromium;
pub mod dom;
pub mod files;
pub mod harness;
pub mod hospital;
pub mod index;
pub mod pdf;
pub mod risk_docs;
pub mod synthetic;
