//! The inverted index: for every term, the documents that hold it and the best field it
//! appears in, which is all the ranking in search.js needs (title hits first, then measures,
//! then the other details, then the body).
//!
//! Documents come in as `SearchDoc`s, numbered by their position; out come the terms, sorted,
//! each with its postings (`encoding.rs` writes them as text).
//!
//! A 10,000-point site has some four million postings, so no string is made per posting: a CJK
//! term is a number (its one or two characters packed into a `u64`), and only words (ids,
//! numbers, Latin) are kept as strings, which are few. Ranges of documents are inverted in
//! parallel and their lists appended in document order.

use rayon::prelude::*;

use super::SearchDoc;
use super::fnv::FnvMap;
use super::tokenize::{Term, scan};

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

/// Documents per parallel range: large enough that merging the ranges' maps costs little.
const RANGE: usize = 512;

/// Hashes a `cjk_key` in a few instructions (FNV hashes eight bytes one at a time): the
/// splitmix64 finaliser, which spreads both characters over every bit. Fixed, not random:
/// the order of the map never shows in the output, which is sorted.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b) ^ (self.0 >> 56);
        }
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

type KeyMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// The postings of one range of documents (or, merged, of all).
#[derive(Default)]
struct Inverted {
    /// CJK terms by `cjk_key`.
    cjk: KeyMap<Vec<Posting>>,
    words: FnvMap<String, Vec<Posting>>,
}

impl Inverted {
    /// Adds every term of `doc`, numbered `number`; documents come in ascending order.
    fn add(&mut self, number: u32, doc: &SearchDoc) {
        for (field, text) in fields_of(doc) {
            scan(text, |term| {
                let list = match term {
                    Term::Bigram(a, b) => self.cjk.entry(cjk_key(a, Some(b))).or_default(),
                    Term::Last(c) => self.cjk.entry(cjk_key(c, None)).or_default(),
                    Term::Word(word) => match self.words.get_mut(word) {
                        Some(list) => list,
                        None => self.words.entry(word.to_string()).or_default(),
                    },
                };
                note(list, number, field);
            });
        }
    }

    /// Appends `later`, whose documents all come after this one's.
    fn append(&mut self, later: Inverted) {
        for (key, list) in later.cjk {
            self.cjk.entry(key).or_default().extend(list);
        }
        for (word, list) in later.words {
            self.words.entry(word).or_default().extend(list);
        }
    }
}

/// Records that document `doc` holds a term in `field`: once per document, with its best field.
fn note(list: &mut Vec<Posting>, doc: u32, field: Field) {
    match list.last_mut() {
        Some(last) if last.doc == doc => last.field = last.field.min(field),
        _ => list.push(Posting { doc, field }),
    }
}

/// A CJK term as a number: the first character in the high bits, the second (or zero, which
/// is no CJK character) in the low 21.
fn cjk_key(first: char, second: Option<char>) -> u64 {
    (u64::from(first) << 21) | second.map_or(0, u64::from)
}

/// The term a `cjk_key` stands for.
fn cjk_term(key: u64) -> String {
    let char_at = |bits: u64| char::from_u32(bits as u32).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut term = String::with_capacity(6);
    term.push(char_at(key >> 21));
    if key & 0x1F_FFFF != 0 {
        term.push(char_at(key & 0x1F_FFFF));
    }
    term
}

/// Every term of `docs` with its postings, sorted by term; each list in ascending document
/// order, one posting per document.
pub(crate) fn invert(docs: &[SearchDoc]) -> Vec<(String, Vec<Posting>)> {
    let ranges: Vec<Inverted> = docs
        .par_chunks(RANGE)
        .enumerate()
        .map(|(n, range)| {
            let mut inverted = Inverted::default();
            for (offset, doc) in range.iter().enumerate() {
                // Document numbers are u32 in the index format (docs/search.md).
                inverted.add((n * RANGE + offset) as u32, doc);
            }
            inverted
        })
        .collect();
    let mut all = Inverted::default();
    for range in ranges {
        if all.cjk.is_empty() && all.words.is_empty() {
            all = range;
        } else {
            all.append(range);
        }
    }
    let mut terms: Vec<(String, Vec<Posting>)> = all
        .cjk
        .into_iter()
        .map(|(key, list)| (cjk_term(key), list))
        .chain(all.words)
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
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

    fn field_of(index: &[(String, Vec<Posting>)], term: &str, doc: u32) -> Option<Field> {
        postings_of(index, term)?
            .iter()
            .find(|p| p.doc == doc)
            .map(|p| p.field)
    }

    fn postings_of<'a>(index: &'a [(String, Vec<Posting>)], term: &str) -> Option<&'a [Posting]> {
        index
            .iter()
            .find(|(t, _)| t == term)
            .map(|(_, list)| list.as_slice())
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
        let docs_of: Vec<u32> = postings_of(&index, "回扣")
            .unwrap_or_default()
            .iter()
            .map(|p| p.doc)
            .collect();
        assert_eq!(docs_of, [0, 2]);
    }
}
