//! Search documents for the index tests and the search benchmark: the points the synthetic
//! hospital (`hospital.rs`, the generator of `examples/synth.rs`) publishes hospital-wide, read
//! by the library as `build` reads them, so the index is measured on what a build of the
//! benchmark site indexes: about 2 KB of Chinese per point, deterministic for a seed.

#![allow(dead_code, reason = "used by the benchmark, not by every test")]

use gongshi::audience::Audience;
use gongshi::search::SearchDoc;

use super::hospital;

/// The search documents of a `points`-point synthetic hospital: the points its hospital-wide
/// notice shows (about three in four: the others are for their department only, not yet
/// approved, or 不公示), the same for the same seed.
pub fn synthetic_docs(points: usize, seed: u64) -> Vec<SearchDoc> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    hospital::write(dir.path(), &hospital::generate(points, seed))
        .expect("the synthetic hospital is written");
    let site = gongshi::site::Site::load(dir.path(), None).expect("the synthetic hospital loads");
    gongshi::build::year_search_docs(&site, &Audience::Hospital)
        .expect("the synthetic hospital's points")
}

/// The bytes of text a document puts in the index: what the index size is measured against.
pub fn text_bytes(doc: &SearchDoc) -> usize {
    [
        &doc.title,
        &doc.id,
        &doc.dept_slug,
        &doc.dept_name,
        &doc.level,
        &doc.category,
        &doc.owner,
        &doc.supervisor,
        &doc.body_text,
    ]
    .iter()
    .map(|s| s.len())
    .sum::<usize>()
        + doc.post.as_ref().map_or(0, String::len)
        + doc.measures.iter().map(String::len).sum::<usize>()
}
