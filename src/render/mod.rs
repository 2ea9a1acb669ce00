//! Rendering: Markdown, templates, diagrams and charts, forms, the ledger and the search index.
pub mod charts;
pub mod ledger;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod view;
