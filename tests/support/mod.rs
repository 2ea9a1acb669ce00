//! Helpers shared by the integration tests (and, through `#[path]`, the benchmarks): a headless
//! Chromium driver, a harness year folder for search, realistic and synthetic risk points, and
//! the files of a test site (copies of the example, trees read back, fresh builds).

pub mod chromium;
pub mod dom;
pub mod files;
pub mod harness;
pub mod index;
pub mod risk_docs;
pub mod synthetic;
