//! Term shards: the inverted index cut into pieces that search.js loads only when a query
//! needs them, and the compact text form of each piece.
//!
//! A term lives in shard `code point of its first character % shard count`, so all terms
//! that start with one character (all bigrams of 药, all ids starting with `c`) share a shard
//! and a one-character or prefix query reads a single shard. A shard is two strings:
//!
//! - `t`, its terms grouped by first character, groups separated by a space. A CJK group is the
//!   first character, then `.` if the character alone is a term, then the second character of
//!   each bigram (`药.品剂` = 药, 药品, 药剂). Any other group is the first character followed
//!   by `,` and the rest of each word (`c,wk-03,wk-04` = cwk-03, cwk-04; `a,` = a).
//! - `p`, the posting list of each term in the same order (see `encoding.rs`), separated
//!   by spaces.
//!
//! Terms never contain spaces, commas or dots (see `tokenize`), so the format is unambiguous.

use super::tokenize::is_cjk;

/// One shard in its text form.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Shard {
    pub(crate) terms: String,
    pub(crate) postings: String,
}

/// The shard that holds `term`, among `count`.
pub(crate) fn shard_of(term: &str, count: usize) -> usize {
    let first = term.chars().next().map_or(0, u32::from) as usize;
    first % count.max(1)
}

/// Cuts `(term, encoded postings)` pairs, sorted by term, into `count` shards.
pub(crate) fn cut<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
    count: usize,
) -> Vec<Shard> {
    struct Builder<'a> {
        terms: String,
        group: Option<char>,
        postings: Vec<&'a str>,
    }
    let mut builders: Vec<Builder> = (0..count.max(1))
        .map(|_| Builder {
            terms: String::new(),
            group: None,
            postings: Vec::new(),
        })
        .collect();
    for (term, postings) in entries {
        let mut chars = term.chars();
        let Some(first) = chars.next() else { continue };
        let rest = chars.as_str();
        let at = shard_of(term, builders.len());
        let shard = &mut builders[at];
        if shard.group != Some(first) {
            if shard.group.is_some() {
                shard.terms.push(' ');
            }
            shard.terms.push(first);
            shard.group = Some(first);
        }
        if is_cjk(first) {
            shard
                .terms
                .push_str(if rest.is_empty() { "." } else { rest });
        } else {
            shard.terms.push(',');
            shard.terms.push_str(rest);
        }
        shard.postings.push(postings);
    }
    builders
        .into_iter()
        .map(|b| Shard {
            terms: b.terms,
            postings: b.postings.join(" "),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_first_character() {
        let entries = [
            ("cwk-03", "A"),
            ("cwk-04", "B"),
            ("x", "C"),
            ("药", "D"),
            ("药剂", "E"),
            ("药品", "F"),
        ];
        let shards = cut(entries, 1);
        assert_eq!(shards[0].terms, "c,wk-03,wk-04 x, 药.剂品");
        assert_eq!(shards[0].postings, "A B C D E F");
    }

    #[test]
    fn every_term_lands_in_its_shard() {
        let entries = [("药品", "A"), ("采购", "B"), ("回扣", "C"), ("a", "D")];
        let shards = cut(entries, 4);
        for (term, postings) in entries {
            let shard = &shards[shard_of(term, 4)];
            assert!(
                shard.postings.split(' ').any(|p| p == postings),
                "{term} not in its shard"
            );
        }
        let terms: usize = shards
            .iter()
            .map(|s| s.postings.split(' ').filter(|p| !p.is_empty()).count())
            .sum();
        assert_eq!(terms, entries.len());
    }

    #[test]
    fn a_shard_starting_with_a_unigram_keeps_postings_aligned() {
        let shards = cut([("药", "A"), ("药品", "B")], 1);
        assert_eq!(shards[0].terms, "药.品");
        assert_eq!(shards[0].postings, "A B");
    }
}
