//! The catalogue: what search.js shows and filters by, for every document, without the text.
//!
//! `SearchDoc`s come in; out come the lookup tables of the filters (departments, categories,
//! levels, grades), one fixed-width facet code per document that points into them (so the
//! filters work on every match before any document record is loaded), and the records that
//! a result line shows: title, id, post and URL.

use serde_json::{Value, json};

use super::SearchDoc;
use super::encoding::DIGITS;

/// The levels in the plan's order (岗位, 科室, 单位); any other value sorts after them.
const LEVEL_ORDER: [&str; 3] = ["岗位", "科室", "单位"];

#[derive(Debug)]
pub(crate) struct Catalogue {
    /// `[slug, name]` of each department, in order of first appearance.
    pub(crate) depts: Vec<(String, String)>,
    pub(crate) categories: Vec<String>,
    pub(crate) levels: Vec<String>,
    pub(crate) grades: Vec<u8>,
    /// URL folders (`caiwu/`) shared by many records.
    pub(crate) dirs: Vec<String>,
    /// Characters per facet code.
    pub(crate) facet_width: usize,
    /// One code per document: `((dept * categories + category) * levels + level) * grades + grade`,
    /// in base 64, most significant digit first.
    pub(crate) facets: String,
    /// `[title, id, post, url]` per document; `url` is an index into `dirs` when the URL is
    /// `dir + id + ".html"`, the URL itself otherwise.
    pub(crate) records: Vec<Value>,
}

impl Catalogue {
    pub(crate) fn of(docs: &[SearchDoc]) -> Catalogue {
        let mut depts = Vec::new();
        let mut categories = Vec::new();
        let mut levels = Vec::new();
        let mut grades = Vec::new();
        for doc in docs {
            push_new(&mut depts, (doc.dept_slug.clone(), doc.dept_name.clone()));
            push_new(&mut categories, doc.category.clone());
            push_new(&mut levels, doc.level.clone());
            push_new(&mut grades, doc.grade);
        }
        levels.sort_by_key(|level| {
            LEVEL_ORDER
                .iter()
                .position(|known| known == level)
                .unwrap_or(LEVEL_ORDER.len())
        });
        grades.sort_unstable();

        let radix =
            [depts.len(), categories.len(), levels.len(), grades.len()].map(|n| n.max(1) as u128);
        let combinations: u128 = radix.iter().product();
        let facet_width = digits_needed(combinations - 1);
        let mut facets = String::with_capacity(docs.len() * facet_width);
        let mut dirs = Vec::new();
        let mut records = Vec::with_capacity(docs.len());
        for doc in docs {
            let position = [
                index_of(&depts, &(doc.dept_slug.clone(), doc.dept_name.clone())),
                index_of(&categories, &doc.category),
                index_of(&levels, &doc.level),
                index_of(&grades, &doc.grade),
            ];
            let code = position
                .iter()
                .zip(radix)
                .fold(0u128, |code, (&at, radix)| code * radix + at as u128);
            push_fixed_width(&mut facets, code, facet_width);
            records.push(record(doc, &mut dirs));
        }
        Catalogue {
            depts,
            categories,
            levels,
            grades,
            dirs,
            facet_width,
            facets,
            records,
        }
    }
}

/// The record of one document; its URL folder is added to `dirs` when new.
fn record(doc: &SearchDoc, dirs: &mut Vec<String>) -> Value {
    let (dir, file) = match doc.url.rfind('/') {
        Some(slash) => doc.url.split_at(slash + 1),
        None => ("", doc.url.as_str()),
    };
    let url = if file.strip_suffix(".html") == Some(doc.id.as_str()) {
        push_new(dirs, dir.to_string());
        json!(index_of(dirs, &dir.to_string()))
    } else {
        json!(doc.url)
    };
    json!([doc.title, doc.id, doc.post.as_deref().unwrap_or(""), url])
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Position of an item that `push_new` put in the list. The lists are small (departments,
/// categories), so a linear search is fine.
fn index_of<T: PartialEq>(list: &[T], item: &T) -> usize {
    list.iter().position(|x| x == item).unwrap_or(0)
}

fn digits_needed(mut max: u128) -> usize {
    let mut width = 1;
    while max >= 64 {
        max /= 64;
        width += 1;
    }
    width
}

fn push_fixed_width(out: &mut String, code: u128, width: usize) {
    for place in (0..width).rev() {
        let digit = (code >> (6 * place)) & 63;
        out.push(char::from(DIGITS[digit as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, url: &str, dept: (&str, &str), level: &str, grade: u8) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            url: url.into(),
            dept_slug: dept.0.into(),
            dept_name: dept.1.into(),
            level: level.into(),
            category: "业务流程风险".into(),
            grade,
            ..SearchDoc::default()
        }
    }

    #[test]
    fn tables_and_facet_codes() {
        let caiwu = ("caiwu", "财务科");
        let unit = ("", "医院（单位）");
        let docs = [
            doc("CWK-03", "caiwu/CWK-03.html", caiwu, "科室", 2),
            doc("DW-01", "unit/DW-01.html", unit, "单位", 1),
            doc("CWK-04", "caiwu/CWK-04.html", caiwu, "岗位", 3),
        ];
        let c = Catalogue::of(&docs);
        assert_eq!(c.levels, ["岗位", "科室", "单位"]);
        assert_eq!(c.grades, [1, 2, 3]);
        assert_eq!(c.depts[1], ("".to_string(), "医院（单位）".to_string()));
        // 2 depts × 1 category × 3 levels × 3 grades = 18 codes: one digit each.
        assert_eq!(c.facet_width, 1);
        // CWK-03: dept 0, category 0, level 科室 = 1, grade 2 = 1 → 1 * 3 + 1 = 4 → "E".
        // DW-01: dept 1 → (1 * 3 + 2) * 3 + 0 = 15 → "P". CWK-04: level 0, grade 2 → 2 → "C".
        assert_eq!(c.facets, "EPC");
        assert_eq!(c.dirs, ["caiwu/", "unit/"]);
        assert_eq!(c.records[1], json!(["", "DW-01", "", 1]));
    }

    #[test]
    fn unusual_urls_are_kept_whole() {
        let docs = [doc(
            "CWK-03",
            "caiwu/point-3.html",
            ("caiwu", "财务科"),
            "科室",
            2,
        )];
        let c = Catalogue::of(&docs);
        assert_eq!(c.records[0][3], json!("caiwu/point-3.html"));
        assert!(c.dirs.is_empty());
    }

    #[test]
    fn wide_codes_take_more_digits() {
        assert_eq!(digits_needed(63), 1);
        assert_eq!(digits_needed(64), 2);
        let mut s = String::new();
        push_fixed_width(&mut s, 64 + 5, 2);
        assert_eq!(s, "BF");
    }

    #[test]
    fn no_documents() {
        let c = Catalogue::of(&[]);
        assert_eq!(c.facets, "");
        assert_eq!(c.facet_width, 1);
    }
}
