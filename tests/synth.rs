//! The synthetic hospital of `tests/support/hospital.rs` (the benchmark corpus that
//! `examples/synth.rs` writes) is a valid site: every rule of SPEC section 5 holds, so `check`
//! finds no error, and the same seed gives the same files. If a rule changes, the generator must follow, or the benchmarks measure error paths.

use gongshi::audience::Audience;
use gongshi::build::BuildOptions;
use gongshi::model::{Level, Term};
use gongshi::site::Site;

use crate::support::hospital;

#[test]
fn synthetic_hospital_passes_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let files = hospital::generate(200, 7);
    hospital::write(dir.path(), &files).unwrap();
    let site = Site::load(dir.path(), None).unwrap();
    let errors: Vec<String> = site
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            format!(
                "{}:{}: [{}] {}",
                d.file,
                d.pos.line,
                d.rule.name(),
                d.message
            )
        })
        .collect();
    assert_eq!(site.error_count(), 0, "errors:\n{}", errors.join("\n"));
    // What the benchmark relies on: all three levels, every department, flows, oversight.
    let points = &site.year.points;
    assert_eq!(points.len(), 200);
    for level in Level::ALL {
        assert!(points.iter().any(|p| p.level.value == *level), "no {level}");
    }
    assert_eq!(site.year.departments.len(), hospital::department_count());
    assert!(
        site.year
            .departments
            .iter()
            .any(|d| d.body.contains("```flow"))
    );
    assert!(!site.oversight.key_posts.is_empty());
    // Warnings are only the few points still waiting for an approval.
    assert!(
        site.diagnostics
            .iter()
            .all(|d| d.is_error() || d.rule.name() == "not-approved"),
        "unexpected warnings"
    );
}

/// The build renders every published point.
#[test]
fn synthetic_hospital_builds() {
    let dir = tempfile::tempdir().unwrap();
    hospital::write(dir.path(), &hospital::generate(120, 11)).unwrap();
    let site = Site::load_notice(dir.path(), None).unwrap();
    let output = dir.path().join("output");
    let options = BuildOptions {
        readers: Audience::Hospital.resolve(&site.year).unwrap(),
        output: output.clone(),
        progress: false,
    };
    let report = gongshi::build::build(&site, &options).unwrap();
    let published: Vec<_> = site
        .year
        .points
        .iter()
        .filter(|p| Audience::Hospital.may_see(p, &site.config.rules))
        .collect();
    assert!(published.len() > 60, "{} published", published.len());
    assert!(report.pages > published.len());
    for p in published {
        let folder = p.dept.as_deref().unwrap_or("unit");
        let page = output.join(format!("2022/{folder}/{}.html", p.id.value));
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.contains(&p.title.value), "{}", page.display());
    }
}

#[test]
fn same_seed_same_hospital() {
    assert_eq!(hospital::generate(60, 3), hospital::generate(60, 3));
    assert_ne!(hospital::generate(60, 3), hospital::generate(60, 4));
}
