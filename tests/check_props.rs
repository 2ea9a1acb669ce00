//! Property tests: whatever a clerk's editor saves, `check` reports it and carries on. Random
//! front matter (known and unknown keys, scalars, lists and mappings) and random bytes, as a
//! point file or as any other file of the site, never panic the loader or the printers, never
//! fail the load, and give diagnostics whose positions exist.
//!
//! The library is called directly (`Site::load`) for speed; one property goes through the
//! binary to pin the exit code to 0 or 1. Case counts are modest so the suite stays fast.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::harness::{Site, base};

const POINT: &str = "content/2022/caiwu/random.md";

/// The keys of a risk point, as the loader knows them.
const KNOWN_KEYS: &[&str] = gongshi::content::risk::KEYS;

/// Words the checker gives meaning to, so random points often get far into the rules.
const WORDS: &[&str] = &[
    "岗位",
    "科室",
    "单位",
    "出纳",
    "张出纳",
    "岗位职责风险",
    "思想道德风险",
    "高",
    "较高",
    "较小",
    "严重",
    "较重",
    "一般",
    "一级",
    "二级",
    "三级",
    "A",
    "b",
    "3",
    "陈副院长",
    "刘院长",
    "周科长",
    "大额资金使用",
    "全院",
    "不公示",
    "前期预防",
    "中期监控",
    "后期处置",
    "2022-05-25",
    "2022-07-07",
    "2022-02-30",
    "CW-01",
    "CW-77",
    "true",
    "~",
    "null",
    "''",
    "\"\"",
    "-1",
    "1.5",
    "0x1F",
    ".inf",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        // Anything printable: often not valid YAML, which is fine.
        1 => "\\PC{0,16}",
        1 => "\"[^\"\\\\]{0,10}\"",
    ]
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => scalar(),
        1 => proptest::collection::vec(scalar(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        proptest::collection::vec((key(), inner), 0..4).prop_map(|entries| {
            let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("{{{}}}", body.join(", "))
        })
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KNOWN_KEYS).prop_map(str::to_string),
        1 => proptest::sample::select(&["submitted", "dept", "office", "board", "前期预防", "事中监控", "grdae", "等级"][..])
            .prop_map(str::to_string),
        1 => "[a-z_]{1,10}",
    ]
}

/// A front matter of `key: value` lines (keys may repeat, which YAML rejects).
fn front_matter() -> impl Strategy<Value = String> {
    proptest::collection::vec((key(), value()), 0..14).prop_map(|entries| {
        let lines: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("---\n{}\n---\n## 表现形式\n正文\n", lines.join("\n"))
    })
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        proptest::collection::vec(any::<u8>(), 0..400).prop_map(|b| {
            let mut v = b"---\n".to_vec();
            v.extend(b);
            v.extend(b"\n---\n");
            v
        }),
    ]
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Loads the site and checks what must hold whatever the input: the load succeeds, every
/// diagnostic points at an existing line (or just past the end) of a file that was read, and
/// both printers run.
fn load_and_check_invariants(site: &Site, written: &str) -> Result<(), TestCaseError> {
    let loaded = gongshi::site::Site::load(site.root(), None)
        .map_err(|e| TestCaseError::fail(format!("load failed: {e:#}")))?;
    for d in &loaded.diagnostics {
        prop_assert!(d.pos.line >= 1 && d.pos.column >= 1, "{d:?}");
        if d.file == written
            && let Some(text) = loaded.source(&d.file)
        {
            let lines = text.lines().count().max(1);
            prop_assert!(d.pos.line <= lines + 1, "{d:?} in a file of {lines} lines");
        }
        let text = gongshi::diagnostic::render_human(d, loaded.source(&d.file), false);
        prop_assert!(text.contains(d.rule.name()));
    }
    let json: serde_json::Value =
        serde_json::from_str(&gongshi::diagnostic::to_json(&loaded.diagnostics))
            .map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    prop_assert_eq!(
        json.as_array().map(Vec::len),
        Some(loaded.diagnostics.len())
    );
    Ok(())
}

#[test]
fn random_front_matter_never_breaks_check() {
    let site = Site::base();
    runner()
        .run(&front_matter(), |text| {
            std::fs::write(site.path(POINT), &text).expect("write");
            load_and_check_invariants(&site, POINT)
        })
        .unwrap();
}

#[test]
fn random_bytes_as_a_point_never_break_check() {
    let site = Site::base();
    runner()
        .run(&bytes(), |b| {
            std::fs::write(site.path(POINT), &b).expect("write");
            load_and_check_invariants(&site, POINT)
        })
        .unwrap();
}

#[test]
fn random_bytes_as_any_file_never_break_check() {
    let files = [
        base::YEAR,
        base::CAIWU,
        base::OVERSIGHT,
        base::SITE,
        base::JIJIAN,
    ];
    let site = Site::base();
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(site.path(f)).unwrap_or_default())
        .collect();
    runner()
        .run(
            &(proptest::sample::select(&[0usize, 1, 2, 3, 4][..]), bytes()),
            |(i, b)| {
                std::fs::write(site.path(files[i]), &b).expect("write");
                let result = load_and_check_invariants(&site, files[i]);
                std::fs::write(site.path(files[i]), &originals[i]).expect("restore");
                result
            },
        )
        .unwrap();
}

#[test]
fn random_front_matter_exits_zero_or_one() {
    let site = Site::base();
    let mut runner = TestRunner::new(Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&front_matter(), |text| {
            std::fs::write(site.path(POINT), &text).expect("write");
            let run = site.check();
            prop_assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
            let diags = run.stdout_json();
            // Exit 1 exactly when there is an error.
            let has_error = diags.iter().any(|d| d.severity == crate::harness::Error);
            prop_assert_eq!(run.code == Some(1), has_error, "{:?}", run);
            Ok(())
        })
        .unwrap();
}
