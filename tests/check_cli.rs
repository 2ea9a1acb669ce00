//! The command contract of `check` (SPEC section 8): `--format json` prints exactly one JSON
//! array of `{rule, severity, file, line, column, message}` on stdout; exit 0 without errors
//! (warnings allowed), 1 with content errors, 2 for usage or I/O failures.

use std::collections::BTreeSet;

use crate::harness::{Error, Site, Warning, base};

#[test]
fn json_is_one_array_of_diagnostics_with_the_contracts_keys() {
    let run = Site::fixture("grading").check().fails();
    let value: serde_json::Value =
        serde_json::from_str(&run.stdout).expect("stdout is a single JSON value");
    let items = value.as_array().expect("a JSON array");
    assert_eq!(items.len(), 3, "{run:?}");
    let required: BTreeSet<&str> = ["rule", "severity", "file", "line", "column", "message"]
        .into_iter()
        .collect();
    for item in items {
        let object = item.as_object().expect("each diagnostic is an object");
        let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        assert!(keys.is_superset(&required), "missing keys: {item}");
        // `hint` is the one documented extra.
        assert!(
            keys.difference(&required).all(|k| *k == "hint"),
            "unexpected keys: {item}"
        );
        assert!(item["line"].is_u64() && item["column"].is_u64(), "{item}");
        assert!(
            item["rule"].is_string() && item["message"].is_string(),
            "{item}"
        );
    }
    // Both severities appear, spelled as the contract says.
    run.has("under-graded", Error, "content/2022/caiwu/under.md", 8, 8)
        .has("over-graded", Warning, "content/2022/unit/over.md", 8, 8);
}

#[test]
fn json_goes_to_stdout_and_the_summary_to_stderr() {
    let run = Site::fixture("grading").check();
    assert!(run.stdout.trim_start().starts_with('['), "{run:?}");
    assert!(run.stdout.trim_end().ends_with(']'), "{run:?}");
    assert!(!run.stdout.contains("检查了"), "{run:?}");
    assert!(run.stderr.contains("检查了 11 个风险点"), "{run:?}");
}

#[test]
fn json_of_a_clean_site_is_an_empty_array() {
    let run = Site::base().check().succeeds();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(value, serde_json::json!([]));
}

#[test]
fn json_is_sorted_by_file_and_position() {
    let diags = Site::fixture("identity").check().stdout_json();
    let keys: Vec<(String, usize, usize)> = diags
        .iter()
        .map(|d| (d.file.clone(), d.line, d.column))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.len() > 5);
}

#[test]
fn human_output_goes_to_stderr_only() {
    let run = Site::fixture("grading").check_human().fails();
    assert_eq!(run.stdout, "", "{run:?}");
    assert!(run.stderr.contains("错误[under-graded]"), "{run:?}");
}

#[test]
fn no_color_means_no_escape_codes() {
    let run = Site::fixture("grading").check_human();
    assert!(!run.stderr.contains('\u{1b}'), "{run:?}");
}

#[test]
fn warnings_alone_exit_zero() {
    Site::base()
        .delete_line(base::CHUNA, "  dept: 2022-05-28")
        .check()
        .exit(0)
        .has("not-approved", Warning, base::CHUNA, 18, 1);
}

#[test]
fn errors_exit_one() {
    Site::fixture("identity").check().exit(1);
}

#[test]
fn no_site_yaml_exits_two() {
    let site = Site::base().remove(base::SITE);
    let run = site.check().exit(2).stderr_has("site.yaml");
    assert_eq!(run.stdout, "", "no partial JSON on failure: {run:?}");
}

#[test]
fn missing_root_exits_two() {
    Site::new()
        .run(["--root", "/nonexistent/gongshi-site", "check"])
        .exit(2);
}

#[test]
fn unknown_year_exits_two_and_lists_the_years() {
    Site::base()
        .run(["check", "--year", "2031"])
        .exit(2)
        .stderr_has("2031")
        .stderr_has("2022");
}

#[test]
fn site_without_year_folders_exits_two() {
    Site::new()
        .file("site.yaml", "name: 赣州市第五人民医院\n")
        .run(["check"])
        .exit(2)
        .stderr_has("content");
}

#[test]
fn bad_flags_exit_two() {
    let site = Site::base();
    site.run(["check", "--format", "xml"]).exit(2);
    site.run(["check", "--frobnicate"]).exit(2);
    site.run(["check", "--year", "二〇二二"]).exit(2);
    site.run(["chekc"]).exit(2);
}

/// The base site plus a broken 2023 year (its year file lacks everything).
fn two_years() -> Site {
    Site::base().file("content/2023/_index.md", "---\ntitle: 2023年度\n---\n")
}

#[test]
fn current_year_in_site_yaml_is_checked_by_default() {
    two_years().check().succeeds().clean();
}

#[test]
fn without_current_year_the_newest_year_is_checked() {
    two_years()
        .replace(base::SITE, "current_year: 2022\n", "")
        .check()
        .fails()
        .has("missing-field", Error, "content/2023/_index.md", 1, 1);
}

#[test]
fn archived_years_are_not_the_default() {
    two_years()
        .replace(base::SITE, "current_year: 2022\n", "")
        .file("archive/2023/manifest.sha256", "")
        .check()
        .succeeds()
        .clean();
}

#[test]
fn year_flag_checks_that_year_only() {
    two_years()
        .run(["check", "--year", "2023", "--format", "json"])
        .fails()
        .only(&[
            ("missing-field", "content/2023/_index.md", 1, 1),
            ("missing-field", "content/2023/_index.md", 1, 1),
            ("missing-field", "content/2023/_index.md", 1, 1),
        ]);
}
