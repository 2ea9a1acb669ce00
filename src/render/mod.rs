//! Rendering: Markdown, templates, diagrams and charts, forms, the ledger and the search index.
pub mod charts;
// The escaper moved to `crate::escape`; theme.rs still names it here.
pub(crate) use crate::escape;
pub mod html_audit;
pub mod ledger;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod view;
