//! Rendering: Markdown, templates, diagrams and charts, forms, the ledger and the search index.
pub(crate) mod charts;
pub mod ledger;
pub mod markdown;
pub(crate) mod pages;
pub(crate) mod theme;
pub(crate) mod view;
