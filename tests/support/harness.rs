//! A year folder in a temporary directory, holding what search needs and nothing else: a
//! departments page carrying the search form exactly as the renderer writes it (root `../`),
//! the emitted index, and the theme's search.js and search.css. Browser tests and the
//! benchmark open it over `file://`.

#![allow(dead_code, reason = "not every test module uses every helper")]

use std::fs;
use std::path::{Path, PathBuf};

use gongshi::search::{IndexLayout, SearchDoc, SearchFile, build_index_with};

use super::chromium::{encode_param, file_url};

const THEME_STATIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static");

pub struct Harness {
    dir: tempfile::TempDir,
    pub files: Vec<SearchFile>,
}

impl Harness {
    /// A year folder with the index of `docs`, cut as `layout` says.
    pub fn new(docs: &[SearchDoc], layout: IndexLayout) -> Harness {
        let dir = tempfile::tempdir().expect("a temporary year folder");
        let files = build_index_with(docs, layout);
        for file in &files {
            write(&dir.path().join(&file.path), &file.bytes);
        }
        for asset in ["search.js", "search.css"] {
            let bytes =
                fs::read(Path::new(THEME_STATIC).join(asset)).expect("the theme's search assets");
            write(&dir.path().join("static").join(asset), &bytes);
        }
        let harness = Harness { dir, files };
        harness.write_page("departments/index.html", "");
        harness
    }

    /// The year folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a page at `path` (relative to the year folder) with the search form, the
    /// scripts of the contract, and `extra` HTML at the end of the body.
    pub fn write_page(&self, path: &str, extra: &str) -> PathBuf {
        let depth = path.matches('/').count();
        let root = if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        };
        let html = format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>科室列表 - 2022年度风险岗位廉能管理工作公示</title>
<link rel="stylesheet" href="{root}static/search.css">
<style>
body {{ margin: 0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; background: #fff; }}
header {{ padding: 1rem 1.5rem; border-bottom: 3px solid #1f3a5f; }}
header h1 {{ margin: 0 0 0.75rem; font-size: 1.25rem; color: #1f3a5f; }}
main {{ padding: 1rem 1.5rem; }}
</style>
</head>
<body>
<header>
<h1>赣州市第五人民医院 2022年度风险岗位廉能管理工作公示</h1>
<form class="gs-search" role="search" action="{root}departments/index.html" method="get" data-root="{root}">
  <input type="search" name="q" placeholder="搜索风险点、措施、岗位…" aria-label="搜索" autocomplete="off">
  <div class="gs-search-results" hidden></div>
</form>
</header>
<main>
<h2>科室列表</h2>
<p>财务科、药剂科、设备科、基建办、人事科、总务科、医务科。</p>
</main>
{extra}
<script src="{root}search/index.js" defer></script>
<script src="{root}static/search.js" defer></script>
</body>
</html>
"#
        );
        let at = self.dir.path().join(path);
        write(&at, html.as_bytes());
        at
    }

    /// The `file://` URL of the departments page with `?q=query` (and `extra` parameters,
    /// already encoded, such as `grade=1`).
    pub fn search_url(&self, query: &str, extra: &str) -> String {
        let mut params = format!("q={}", encode_param(query));
        if !extra.is_empty() {
            params.push('&');
            params.push_str(extra);
        }
        file_url(&self.dir.path().join("departments/index.html"), &params)
    }

    /// The prefix every request of these pages must start with.
    pub fn allowed_prefix(&self) -> String {
        file_url(self.dir.path(), "")
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("a folder in the harness");
    }
    fs::write(path, bytes).expect("a harness file");
}
