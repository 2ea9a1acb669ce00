//! Offline Chinese search for the notice: the index is built here at build time and written as
//! plain JavaScript files, which `themes/default/static/search.js` loads with `<script>` tags,
//! so search works from an intranet server and from `file://` alike, with no request to any
//! other host.
//!
//! In: the `SearchDoc`s of the points the audience may see (the caller decides visibility;
//! nothing here does). Out: `SearchFile`s relative to the year folder:
//!
//! - `search/index.js`, the manifest: filter tables, one facet code per document, the shard
//!   and block counts. A small site's terms and records are inlined here and nothing else is
//!   written.
//! - `search/shard-NN.js`, the terms whose first character falls in shard NN (`shards.rs`),
//!   loaded when a query needs them;
//! - `search/docs-NN.js`, the records of a block of documents, loaded when one is shown.
//!
//! Each file assigns into `window.GONGSHI_SEARCH`; docs/search.md describes the format and
//! the measured sizes.

mod catalogue;
mod encoding;
mod fnv;
mod postings;
mod shards;
mod tokenize;

use std::hash::Hasher;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

pub use tokenize::tokenize;

use catalogue::Catalogue;

/// Format version of the emitted files; search.js refuses an index of another version.
const FORMAT_VERSION: u32 = 1;

/// One published risk point, as the audience may see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Page URL relative to the year folder, e.g. `caiwu/CWK-03.html`.
    pub url: String,
    pub id: String,
    pub title: String,
    /// Empty for 单位 points.
    pub dept_slug: String,
    /// `医院（单位）` for 单位 points.
    pub dept_name: String,
    /// 岗位 | 科室 | 单位.
    pub level: String,
    pub post: Option<String>,
    pub category: String,
    /// 1, 2 or 3.
    pub grade: u8,
    pub owner: String,
    pub supervisor: String,
    /// All lines of defence, flattened.
    pub measures: Vec<String>,
    /// Plain text of the Markdown body.
    pub body_text: String,
}

/// A file to write, relative to the year folder, e.g. `search/index.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// How the index is cut into files. The defaults suit a notice read over an intranet or from
/// disk; tests shrink them to exercise the sharded path with a few documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexLayout {
    /// Up to this many bytes of terms and records, everything goes into `search/index.js`.
    pub inline_limit: usize,
    /// Target size of a term shard, in bytes.
    pub shard_bytes: usize,
    /// Target size of a block of document records, in bytes.
    pub block_bytes: usize,
}

impl Default for IndexLayout {
    fn default() -> Self {
        IndexLayout {
            inline_limit: 96 * 1024,
            shard_bytes: 64 * 1024,
            block_bytes: 64 * 1024,
        }
    }
}

/// The search files for `docs`, with the default layout.
pub fn build_index(docs: &[SearchDoc]) -> Vec<SearchFile> {
    build_index_with(docs, IndexLayout::default())
}

/// The search files for `docs`, cut as `layout` says.
pub fn build_index_with(docs: &[SearchDoc], layout: IndexLayout) -> Vec<SearchFile> {
    let index = postings::invert(docs);
    crate::timings::phase("搜索：倒排完成");
    let terms: Vec<(&str, String)> = index
        .par_iter()
        .map(|(term, list)| (term.as_str(), encoding::encode(list)))
        .collect();
    crate::timings::phase("搜索：倒排表已编码");
    let catalogue = Catalogue::of(docs);
    let cut = Cut::plan(&terms, &catalogue, layout);

    let shards: Vec<Value> = shards::cut(
        terms.iter().map(|(term, list)| (*term, list.as_str())),
        cut.shard_count,
    )
    .into_iter()
    .map(|shard| json!({ "t": shard.terms, "p": shard.postings }))
    .collect();
    let blocks: Vec<Value> = catalogue
        .records
        .chunks(cut.block_len)
        .map(|block| Value::from(block.to_vec()))
        .collect();

    crate::timings::phase("搜索：分片已切分");
    let mut files = Vec::new();
    let (inline_shards, inline_blocks) = if cut.inline {
        (numbered(shards), numbered(blocks))
    } else {
        for (n, shard) in shards.iter().enumerate() {
            files.push(script_file(
                format!("search/shard-{n:02}.js"),
                &format!("GONGSHI_SEARCH.shards[{n}]"),
                shard,
            ));
        }
        for (n, block) in blocks.iter().enumerate() {
            files.push(script_file(
                format!("search/docs-{n:02}.js"),
                &format!("GONGSHI_SEARCH.docs[{n}]"),
                block,
            ));
        }
        (Map::new(), Map::new())
    };
    let manifest = json!({
        "v": FORMAT_VERSION,
        "h": content_hash(&files),
        "n": docs.len(),
        "ts": cut.shard_count,
        "db": cut.block_len,
        "depts": catalogue.depts.iter().map(|(slug, name)| json!([slug, name])).collect::<Vec<_>>(),
        "cats": catalogue.categories,
        "levels": catalogue.levels,
        "grades": catalogue.grades,
        "dirs": catalogue.dirs,
        "fw": catalogue.facet_width,
        "f": catalogue.facets,
        "shards": inline_shards,
        "docs": inline_blocks,
    });
    files.insert(
        0,
        script_file(
            "search/index.js".to_string(),
            "window.GONGSHI_SEARCH",
            &manifest,
        ),
    );
    files
}

/// How many files the index takes.
struct Cut {
    /// Everything goes into the manifest.
    inline: bool,
    shard_count: usize,
    /// Records per block.
    block_len: usize,
}

impl Cut {
    fn plan(terms: &[(&str, String)], catalogue: &Catalogue, layout: IndexLayout) -> Cut {
        let docs = catalogue.records.len();
        let term_bytes: usize = terms
            .iter()
            .map(|(term, list)| term.len() + list.len() + 2)
            .sum();
        let record_bytes: usize = catalogue
            .records
            .iter()
            .map(|record| record.to_string().len() + 1)
            .sum();
        if term_bytes + record_bytes <= layout.inline_limit {
            return Cut {
                inline: true,
                shard_count: 1,
                block_len: docs.max(1),
            };
        }
        let average_record = record_bytes.div_ceil(docs.max(1)).max(1);
        Cut {
            inline: false,
            shard_count: term_bytes.div_ceil(layout.shard_bytes.max(1)).max(1),
            block_len: (layout.block_bytes / average_record).max(1),
        }
    }
}

fn numbered(values: Vec<Value>) -> Map<String, Value> {
    values
        .into_iter()
        .enumerate()
        .map(|(n, value)| (n.to_string(), value))
        .collect()
}

/// A script that assigns `value` to `target`. It starts with a byte order mark, so browsers
/// read it as UTF-8 whatever the page's encoding, and escapes U+2028/U+2029, which JSON allows
/// in strings but older JavaScript engines do not.
fn script_file(path: String, target: &str, value: &Value) -> SearchFile {
    let json = value
        .to_string()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let text = format!("\u{FEFF}{target}={json};\n");
    SearchFile {
        path,
        bytes: text.into_bytes(),
    }
}

/// A hash of the shard and block files. search.js appends it to their URLs, so a browser
/// that cached one build's shards never mixes them with the next build's manifest.
fn content_hash(files: &[SearchFile]) -> String {
    let mut hash = fnv::Fnv::default();
    for file in files {
        hash.write(file.path.as_bytes());
        hash.write(&file.bytes);
    }
    format!("{:016x}", hash.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(n: usize) -> SearchDoc {
        SearchDoc {
            url: format!("caiwu/CWK-{n:02}.html"),
            id: format!("CWK-{n:02}"),
            title: format!("第{n}号风险点：药品采购收受回扣"),
            dept_slug: "caiwu".into(),
            dept_name: "财务科".into(),
            level: "科室".into(),
            category: "业务流程风险".into(),
            grade: 2,
            measures: vec!["落实资金支付双人复核".into()],
            body_text: "经办人员在药品采购环节可能收受回扣。".repeat(n % 7 + 1),
            ..SearchDoc::default()
        }
    }

    fn text(file: &SearchFile) -> &str {
        std::str::from_utf8(&file.bytes).unwrap_or_default()
    }

    #[test]
    fn a_small_site_is_one_file() {
        let files = build_index(&[doc(1), doc(2)]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "search/index.js");
        assert!(text(&files[0]).starts_with("\u{FEFF}window.GONGSHI_SEARCH={"));
        assert!(text(&files[0]).contains("第1号风险点：药品采购收受回扣"));
    }

    #[test]
    fn a_large_site_is_sharded() {
        let docs: Vec<SearchDoc> = (0..60).map(doc).collect();
        let layout = IndexLayout {
            inline_limit: 1024,
            shard_bytes: 512,
            block_bytes: 1024,
        };
        let files = build_index_with(&docs, layout);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths[0], "search/index.js");
        assert!(paths.contains(&"search/shard-00.js"));
        assert!(paths.contains(&"search/docs-00.js"));
        let shard = files
            .iter()
            .find(|f| f.path == "search/shard-00.js")
            .map(text)
            .unwrap_or_default();
        assert!(
            shard.starts_with("\u{FEFF}GONGSHI_SEARCH.shards[0]={\"p\":"),
            "{shard}"
        );
        // Every record is in exactly one block.
        let records = files
            .iter()
            .filter(|f| f.path.starts_with("search/docs-"))
            .map(|f| text(f).matches("\"CWK-").count());
        assert_eq!(records.sum::<usize>(), 60);
    }

    #[test]
    fn line_separators_are_escaped() {
        let mut d = doc(1);
        d.title = "甲\u{2028}乙".into();
        let files = build_index(&[d]);
        assert!(!text(&files[0]).contains('\u{2028}'));
        assert!(text(&files[0]).contains("甲\\u2028乙"));
    }

    #[test]
    fn no_documents_still_make_a_manifest() {
        let files = build_index(&[]);
        assert_eq!(files.len(), 1);
        assert!(text(&files[0]).contains("\"n\":0"));
    }
}
