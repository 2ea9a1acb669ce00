//! Hostile YAML: an alias bomb ("billion laughs") and 100,000-deep nesting in one file give a
//! `yaml-syntax` diagnostic on that file — not a hang, a crash or a stack overflow — and every
//! other file is still checked. The harness kills a run after 60 s and calls it a hang.

use std::time::Duration;

use crate::harness::{Error, Run, Site, base};

const HOSTILE: &str = "content/2022/caiwu/hostile.md";

/// Nine-fold aliases, 26 levels deep: 9^26 strings if expanded.
fn alias_bomb() -> String {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='z' {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{c}: &{c} [{refs}]\n"));
        prev = c;
    }
    yaml
}

/// Runs check on the base site with `hostile` as a point file and an unknown field in the
/// 会计 point, and asserts both are reported and nothing else.
fn check_hostile_point(front_matter: &str) -> Run {
    let run = Site::base()
        .file(HOSTILE, &format!("---\nid: CW-99\n{front_matter}\n---\n"))
        .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
        .check()
        .fails();
    let hostile = run.in_file(HOSTILE);
    assert_eq!(hostile.len(), 1, "{run:?}");
    assert_eq!(hostile[0].rule, "yaml-syntax", "{run:?}");
    assert_eq!(hostile[0].severity, Error);
    let others: Vec<_> = run
        .stdout_json()
        .into_iter()
        .filter(|d| d.file != HOSTILE)
        .map(|d| (d.rule, d.file, d.line, d.column))
        .collect();
    assert_eq!(
        others,
        [("unknown-field".to_string(), base::KUAIJI.to_string(), 10, 1)],
        "the other files must still be checked"
    );
    // Not a speed target: a hang or an exponential expansion would take minutes.
    assert!(run.elapsed < Duration::from_secs(20), "{:?}", run.elapsed);
    run
}

#[test]
fn alias_bomb_in_a_point_is_a_yaml_syntax_error() {
    let run = check_hostile_point(&alias_bomb());
    let d = &run.in_file(HOSTILE)[0];
    assert!(d.message.contains("安全限制"), "{d}");
}

#[test]
fn deep_flow_sequence_in_a_point_is_a_yaml_syntax_error() {
    let deep = format!("title: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    check_hostile_point(&deep);
}

#[test]
fn deep_flow_mapping_in_a_point_is_a_yaml_syntax_error() {
    let deep = format!("title: {}x{}", "{a: ".repeat(100_000), "}".repeat(100_000));
    check_hostile_point(&deep);
}

#[test]
fn deep_block_sequence_on_one_line_is_a_yaml_syntax_error() {
    let deep = format!("measures:\n  前期预防: {}x", "- ".repeat(100_000));
    check_hostile_point(&deep);
}

#[test]
fn unclosed_deep_nesting_is_a_yaml_syntax_error() {
    check_hostile_point(&format!("title: {}", "[".repeat(100_000)));
}

#[test]
fn hostile_oversight_yaml() {
    for text in [
        alias_bomb(),
        format!("reports: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        let run = Site::base()
            .file(base::OVERSIGHT, &text)
            .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
            .check()
            .fails();
        let mut rules: Vec<(String, String)> = run
            .stdout_json()
            .into_iter()
            .map(|d| (d.rule, d.file))
            .collect();
        rules.sort();
        let expected = [
            ("unknown-field", base::KUAIJI),
            ("yaml-syntax", base::OVERSIGHT),
        ]
        .map(|(r, f)| (r.to_string(), f.to_string()));
        assert_eq!(rules, expected, "{run:?}");
    }
}

#[test]
fn hostile_site_yaml_still_checks_the_content() {
    let run = Site::base()
        .file(base::SITE, &format!("name: 医院\n{}", alias_bomb()))
        .replace(base::KUAIJI, "grade: 三级", "grdae: 三级")
        .check()
        .fails();
    assert_eq!(run.in_file(base::SITE)[0].rule, "yaml-syntax", "{run:?}");
    assert_eq!(
        run.in_file(base::KUAIJI)[0].rule,
        "unknown-field",
        "{run:?}"
    );
}
