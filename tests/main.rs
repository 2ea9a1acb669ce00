//! gongshi's integration tests: one binary, one module per feature.

mod harness;

mod annual;
mod authoring;
mod browser;
mod build;
mod build_output;
mod check_cli;
mod check_fields;
mod check_flow;
mod check_grading;
mod check_html;
mod check_identity;
mod check_measures;
mod check_props;
mod check_references;
mod check_responsibility;
mod check_review;
mod check_rule_tables;
mod check_security;
mod check_snapshots;
mod check_syntax;
mod check_valid;
mod flow;
mod harden_archive;
mod harden_files;
mod harden_markdown;
mod harden_output;
mod harden_serve;
mod oversight;
mod pages;
mod search;
mod serve;
mod serve_rebuild;
mod support;
mod synth;
