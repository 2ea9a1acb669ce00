//! Helpers shared by the integration tests (and, through `#[path]`, the benchmarks): a headless
//! Chromium driver, a harness year folder for search, realistic and synthetic risk points.

pub mod chromium;
pub mod dom;
pub mod harness;
pub mod index;
pub mod risk_docs;
pub mod synthetic;
