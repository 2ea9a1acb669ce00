//! The inverted index: for every term, the documents that hold it and the best field it
//! appears in, which is all the ranking in search.js needs (title hits first, then measures,
//! then the other details, then the body).
//!
//! Documents come in as `SearchDoc`s, numbered by their position; out comes a sorted map from
//! term to postings (`encoding.rs` writes them as text).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::SearchDoc;
use super::fnv::FnvMap;
use super::tokenize::for_each_term;

/// Where in a document a term appears; the smaller, the better it ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
    /// The title and the id.
    Title = 0,
    /// The prevention measures, all lines of defence.
    Measures = 1,
    /// Department, post, category, grade, level, owner and supervisor.
    Details = 2,
    /// The body text.
    Body = 3,
}

/// One document holding a term: its number and the best field the term appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub(crate) doc: u32,
    pub(crate) field: Field,
}

/// Every term of `docs` with its postings, documents in ascending order. Documents are
/// tokenised in parallel; the merge keeps their order.
pub(crate) fn invert(docs: &[SearchDoc]) -> BTreeMap<String, Vec<Posting>> {
    let per_doc: Vec<FnvMap<String, Field>> = docs.par_iter().map(best_fields).collect();
    // A hash map takes the millions of postings of a large site faster than a sorted map.
    let mut index: FnvMap<String, Vec<Posting>> = FnvMap::default();
    for (doc, terms) in (0u32..).zip(per_doc) {
        for (term, field) in terms {
            index.entry(term).or_default().push(Posting { doc, field });
        }
    }
    index.into_iter().collect()
}

/// The terms of one document, each with the best field it appears in.
fn best_fields(doc: &SearchDoc) -> FnvMap<String, Field> {
    let mut best: FnvMap<String, Field> = FnvMap::default();
    for (field, text) in fields_of(doc) {
        for_each_term(text, |term| match best.get_mut(term) {
            Some(seen) => *seen = (*seen).min(field),
            None => {
                best.insert(term.to_string(), field);
            }
        });
    }
    best
}

/// The texts of a document, each with the field it counts for.
fn fields_of(doc: &SearchDoc) -> Vec<(Field, &str)> {
    let mut fields = vec![
        (Field::Title, doc.title.as_str()),
        (Field::Title, doc.id.as_str()),
    ];
    fields.extend(doc.measures.iter().map(|m| (Field::Measures, m.as_str())));
    let details = [
        doc.dept_name.as_str(),
        doc.dept_slug.as_str(),
        doc.level.as_str(),
        doc.post.as_deref().unwrap_or(""),
        doc.category.as_str(),
        grade_label(doc.grade),
        doc.owner.as_str(),
        doc.supervisor.as_str(),
    ];
    fields.extend(details.into_iter().map(|text| (Field::Details, text)));
    fields.push((Field::Body, doc.body_text.as_str()));
    fields
}

/// The grade as the notice writes it, so that a search for 一级 finds the grade-1 points.
fn grade_label(grade: u8) -> &'static str {
    match grade {
        1 => "一级",
        2 => "二级",
        3 => "三级",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, measures: &[&str], post: Option<&str>, body: &str) -> SearchDoc {
        SearchDoc {
            id: "X-1".into(),
            title: title.into(),
            measures: measures.iter().map(|m| m.to_string()).collect(),
            post: post.map(str::to_string),
            body_text: body.into(),
            grade: 2,
            ..SearchDoc::default()
        }
    }

    fn field_of(index: &BTreeMap<String, Vec<Posting>>, term: &str, doc: u32) -> Option<Field> {
        index
            .get(term)?
            .iter()
            .find(|p| p.doc == doc)
            .map(|p| p.field)
    }

    #[test]
    fn a_term_counts_for_its_best_field() {
        let docs = [
            doc("药品采购回扣", &["采购公开招标"], None, "采购回扣"),
            doc("出纳管理", &["双人复核采购"], Some("出纳"), "采购"),
            doc("基建工程", &[], None, "工程采购"),
        ];
        let index = invert(&docs);
        assert_eq!(field_of(&index, "采购", 0), Some(Field::Title));
        assert_eq!(field_of(&index, "采购", 1), Some(Field::Measures));
        assert_eq!(field_of(&index, "采购", 2), Some(Field::Body));
        assert_eq!(field_of(&index, "出纳", 1), Some(Field::Title));
        // 纳 ends a run only in the post (出纳), not in the title (出纳管理).
        assert_eq!(field_of(&index, "纳", 1), Some(Field::Details));
        assert_eq!(field_of(&index, "二级", 2), Some(Field::Details));
        assert_eq!(field_of(&index, "x-1", 0), Some(Field::Title));
    }

    #[test]
    fn postings_are_ascending_and_unique_per_document() {
        let docs = [
            doc("回扣回扣", &["回扣"], None, "回扣"),
            doc("无关", &[], None, ""),
            doc("", &[], None, "回扣"),
        ];
        let index = invert(&docs);
        let docs_of: Vec<u32> = index["回扣"].iter().map(|p| p.doc).collect();
        assert_eq!(docs_of, [0, 2]);
    }
}
