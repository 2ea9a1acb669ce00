//! Offline search: what the index holds and leaves out, and the search box as a reader meets it
//! in Chromium from `file://` (ranking, highlighting, filters, keyboard, no foreign request).

use gongshi::search::{IndexLayout, SearchDoc, build_index, build_index_with, tokenize};
use serde_json::{Value, json};

use crate::support::chromium::{self, chromium, encode_param, screenshot, screenshot_dir};
use crate::support::dom::{form_attr, result_ids, texts_of_class, unescape};
use crate::support::harness::Harness;
use crate::support::index::terms_of;
use crate::support::risk_docs::risk_docs;
use crate::support::synthetic::{synthetic_docs, text_bytes};

/// Cuts the twenty risk points into several shards and blocks, so that the browser loads
/// them on demand as it would for a large site.
const SHARDED: IndexLayout = IndexLayout {
    inline_limit: 0,
    shard_bytes: 1024,
    block_bytes: 512,
};

fn all_text(files: &[gongshi::search::SearchFile]) -> String {
    files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect()
}

fn skip_without_chromium() -> bool {
    if chromium().is_none() {
        eprintln!("skipped: chromium not installed");
        return true;
    }
    false
}

#[test]
fn index_holds_every_title_and_no_text_it_was_not_given() {
    let docs = risk_docs();
    let canary = "金丝雀机密风险点 CANARY-77";
    let canary_terms = ["金丝", "丝雀", "canary-77"];
    for layout in [IndexLayout::default(), SHARDED] {
        let files = build_index_with(&docs, layout);
        let text = all_text(&files);
        for doc in &docs {
            assert!(
                text.contains(&doc.title),
                "title {:?} missing from the index",
                doc.title
            );
        }
        assert!(!text.contains(canary) && !text.contains("CANARY-77"));
        let terms = terms_of(&files);
        assert!(
            terms.contains("回扣") && terms.contains("cwk-03"),
            "the terms read back"
        );
        for term in canary_terms {
            assert!(!terms.contains(term), "{term} is in the index ({layout:?})");
        }
    }
    // The same checks can fail: give the canary to a point and both its title and terms show.
    let mut with_canary = docs.clone();
    with_canary[3].title = canary.to_string();
    let files = build_index_with(&with_canary, SHARDED);
    assert!(all_text(&files).contains(canary));
    let terms = terms_of(&files);
    assert!(canary_terms.iter().all(|t| terms.contains(*t)), "{terms:?}");
}

#[test]
fn search_assets_and_index_name_no_other_host() {
    let theme = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/");
    for asset in ["search.js", "search.css"] {
        let text = std::fs::read_to_string(format!("{theme}{asset}")).expect("theme asset");
        for scheme in [
            "http:",
            "https:",
            "url(",
            "@import",
            "fetch(",
            "XMLHttpRequest",
            "innerHTML",
        ] {
            assert!(!text.contains(scheme), "{asset} contains {scheme:?}");
        }
    }
    let mut docs = risk_docs();
    docs[0].body_text.push_str(" 参见 http://example.com/规定");
    let files = build_index_with(&docs, SHARDED);
    for file in &files {
        assert!(
            file.path.starts_with("search/") && file.path.ends_with(".js"),
            "{}",
            file.path
        );
    }
}

#[test]
fn index_of_realistic_text_stays_within_budget() {
    // ~2 KB of Chinese per point, like a real notice: the index must stay under 30% of it.
    let docs = synthetic_docs(300, 7);
    let text: usize = docs.iter().map(text_bytes).sum();
    let index: usize = build_index(&docs).iter().map(|f| f.bytes.len()).sum();
    let ratio = index as f64 / text as f64;
    assert!(
        ratio < 0.30,
        "index is {index} bytes for {text} bytes of text ({ratio:.2})"
    );
}

#[test]
fn a_large_index_is_split_and_the_manifest_stays_small() {
    let docs = synthetic_docs(2000, 11);
    let files = build_index(&docs);
    let manifest = files
        .iter()
        .find(|f| f.path == "search/index.js")
        .expect("a manifest");
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    assert!(files.iter().any(|f| f.path == "search/shard-00.js"));
    assert!(
        manifest.bytes.len() * 50 < total,
        "manifest {} of {total} bytes",
        manifest.bytes.len()
    );
    let largest = files.iter().map(|f| f.bytes.len()).max().unwrap_or(0);
    assert!(
        largest < 400 * 1024,
        "a file of {largest} bytes is too much to load for one query"
    );
}

#[test]
fn nothing_panics_on_odd_documents() {
    let odd = SearchDoc {
        url: String::new(),
        id: "\u{0}".repeat(3),
        title: "\u{2028}\"\\</script>".into(),
        dept_name: "，，，".into(),
        grade: 200,
        measures: vec![String::new(), "ＡＢＣ".into()],
        body_text: "a".repeat(10_000) + &"字".repeat(5_000),
        ..SearchDoc::default()
    };
    for layout in [
        IndexLayout::default(),
        SHARDED,
        IndexLayout {
            inline_limit: 0,
            shard_bytes: 0,
            block_bytes: 0,
        },
    ] {
        let files = build_index_with(&[odd.clone(), SearchDoc::default()], layout);
        assert!(!files.is_empty());
    }
    assert!(tokenize("\u{0}\u{FFFF}\u{10FFFF}").is_empty());
}

/// Opens the harness with `?q=query`, waits for the search to finish and checks that nothing
/// went wrong on the way: no console message, no request outside the year folder.
fn search_in_browser(harness: &Harness, query: &str, extra: &str) -> String {
    let loaded = chromium::load(&harness.search_url(query, extra), &harness.allowed_prefix());
    assert_eq!(
        form_attr(&loaded.dom, "data-search-state").as_deref(),
        Some("done"),
        "{query}: search did not finish"
    );
    assert!(
        loaded.console_errors.is_empty(),
        "{query}: console: {:?}",
        loaded.console_errors
    );
    assert!(
        loaded.foreign_requests.is_empty(),
        "{query}: foreign requests: {:?}",
        loaded.foreign_requests
    );
    loaded.dom
}

#[test]
fn browser_finds_chinese_ids_and_two_words_from_file_urls() {
    if skip_without_chromium() {
        return;
    }
    let docs = risk_docs();
    for layout in [IndexLayout::default(), SHARDED] {
        let harness = Harness::new(&docs, layout);
        for (query, first) in [
            ("采购", "YJK-01"),
            ("回扣", "SBK-02"),
            ("CWK-03", "CWK-03"),
            ("药品 回扣", "YJK-02"),
            ("ＣＷＫ－０３", "CWK-03"),
        ] {
            let dom = search_in_browser(&harness, query, "");
            let ids = result_ids(&dom);
            assert_eq!(
                ids.first().map(String::as_str),
                Some(first),
                "{query} ({layout:?}): {ids:?}"
            );
        }
    }
}

#[test]
fn browser_result_lines_show_grade_department_and_highlight() {
    if skip_without_chromium() {
        return;
    }
    let harness = Harness::new(&risk_docs(), IndexLayout::default());
    let dom = search_in_browser(&harness, "回扣", "");
    // SBK-02 (一级) and YJK-02 (二级) have 回扣 in their titles: both first, graver first.
    assert_eq!(&result_ids(&dom)[..2], ["SBK-02", "YJK-02"]);
    assert_eq!(&texts_of_class(&dom, "gs-grade grade-1")[..1], ["一级"]);
    assert_eq!(
        texts_of_class(&dom, "gs-result-dept")[..2],
        ["设备科", "药剂科"]
    );
    assert!(
        dom.contains("医用耗材验收环节收受<mark>回扣</mark>"),
        "no highlight in {dom}"
    );
    assert!(
        dom.contains(r#"href="../shebeike/SBK-02.html""#),
        "links are relative to the year folder"
    );
    let ms: f64 = form_attr(&dom, "data-search-ms")
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(f64::MAX);
    assert!(ms < 1000.0, "search took {ms} ms");
}

#[test]
fn browser_filters_from_the_url_narrow_the_results() {
    if skip_without_chromium() {
        return;
    }
    let harness = Harness::new(&risk_docs(), IndexLayout::default());
    let dom = search_in_browser(&harness, "采购", "grade=2");
    let grades = texts_of_class(&dom, "gs-grade grade-2");
    assert_eq!(result_ids(&dom).len(), grades.len(), "only 二级 results");
    assert_eq!(result_ids(&dom).first().map(String::as_str), Some("YJK-02"));
    // A filter alone lists its points; the department is named by slug.
    let dom = search_in_browser(
        &harness,
        "",
        &format!("dept=jijianban&level={}", encode_param("科室")),
    );
    assert_eq!(result_ids(&dom), ["JJB-01", "JJB-03"]);
}

#[test]
fn browser_without_an_index_leaves_the_form_working() {
    if skip_without_chromium() {
        return;
    }
    let harness = Harness::new(&risk_docs(), IndexLayout::default());
    std::fs::remove_file(harness.root().join("search/index.js")).expect("the manifest to remove");
    let loaded = chromium::load(&harness.search_url("采购", ""), &harness.allowed_prefix());
    assert!(loaded.dom.contains("搜索索引未能加载"), "{}", loaded.dom);
    // The missing file itself is reported; the script adds nothing of its own.
    assert!(
        loaded
            .console_errors
            .iter()
            .all(|e| !e.contains("Uncaught")),
        "{:?}",
        loaded.console_errors
    );
}

/// Runs the search API and the keyboard in one page; returns what the page wrote to #out.
fn run_api_page(harness: &Harness, inputs: &[String], queries: &Value) -> Value {
    let script = format!(
        r#"<pre id="out"></pre>
<script>
window.addEventListener("load", function () {{
  var out = {{}};
  function done(value) {{ document.getElementById("out").textContent = JSON.stringify(value); }}
  function settled(form) {{
    return new Promise(function (resolve) {{
      (function poll() {{ form.getAttribute("data-search-state") === "done" ? resolve() : setTimeout(poll, 10); }})();
    }});
  }}
  function keyboard() {{
    var form = document.querySelector("form.gs-search");
    var input = form.querySelector("input");
    var panel = form.querySelector(".gs-search-results");
    input.value = "采购";
    input.dispatchEvent(new Event("input"));
    return settled(form).then(function () {{
      var steps = [];
      ["ArrowDown", "ArrowDown", "ArrowUp", "Escape", "Escape"].forEach(function (key) {{
        input.dispatchEvent(new KeyboardEvent("keydown", {{ key: key, bubbles: true }}));
        steps.push([key, (input.getAttribute("aria-activedescendant") || "").replace(/^.*-/, ""), panel.hidden, input.value]);
      }});
      // While an input method composes, pinyin is not searched and arrows are left to it.
      input.value = "caigou";
      input.dispatchEvent(new InputEvent("input", {{ isComposing: true }}));
      input.dispatchEvent(new KeyboardEvent("keydown", {{ key: "ArrowDown", isComposing: true, bubbles: true }}));
      steps.push(["composing", form.getAttribute("data-search-state"), panel.hidden, input.value]);
      input.value = "采购";
      input.dispatchEvent(new CompositionEvent("compositionend", {{ data: "采购" }}));
      steps.push(["committed", form.getAttribute("data-search-state"), panel.hidden, input.value]);
      return steps;
    }});
  }}
  out.tokens = {inputs}.map(gongshiSearch.tokenize);
  Promise.all({queries}.map(function (q) {{ return gongshiSearch.query(q[0], q[1]); }}))
    .then(function (results) {{
      out.results = results.map(function (list) {{
        return list.map(function (r) {{ return [r.id, r.fields, r.grade]; }});
      }});
      return keyboard();
    }})
    .then(function (steps) {{ out.keyboard = steps; done(out); }})
    .catch(function (e) {{ done({{ error: String(e) }}); }});
}});
</script>"#,
        inputs = serde_json::to_string(inputs).unwrap_or_default(),
        queries = queries,
    );
    let page = harness.write_page("api.html", &script);
    let loaded = chromium::load(&chromium::file_url(&page, ""), &harness.allowed_prefix());
    assert!(
        loaded.console_errors.is_empty(),
        "console: {:?}",
        loaded.console_errors
    );
    let start = loaded
        .dom
        .find("<pre id=\"out\">")
        .map(|at| at + "<pre id=\"out\">".len())
        .unwrap_or(0);
    let end = loaded.dom[start..]
        .find("</pre>")
        .map_or(start, |at| start + at);
    serde_json::from_str(&unescape(&loaded.dom[start..end]))
        .unwrap_or_else(|e| panic!("page output: {e}: {}", loaded.dom))
}

/// Strings that exercise every rule of the tokeniser, plus a few hundred random ones.
fn tokenizer_inputs() -> Vec<String> {
    let mut inputs: Vec<String> = [
        "药品采购",
        "收受回扣，虚报冒领。",
        "ＣＷＫ－０３ 与 cwk-03",
        "HIS系统2022年5月",
        "Ärzte ΣΑΣ İstanbul",
        "a--b -x- cwk-药 dept_01",
        "𠀀𠀁 々〆〇 ひらがな 한국어",
        "“三重一大”事项，《药品管理法》",
        "0797-0000000 ①② Ⅻ x² ﾊﾝｶｸ",
        "",
        "　，。！",
    ]
    .map(String::from)
    .to_vec();
    inputs.push("a".repeat(60) + "-b");
    let pool: Vec<char> = "药品采购回扣出纳基建，。、！ＡＢＣａｂｃ０１２－＿　abcXYZ019-_ .,;'\"\\/ÄöΣİ①Ⅻ²𠀀ひﾊ한\u{3000}\u{2028}\t\n"
        .chars()
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let mut s = String::new();
        for _ in 0..(state % 16) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push(pool[(state % pool.len() as u64) as usize]);
        }
        state = state.wrapping_add(0x9e37_79b9);
        inputs.push(s);
    }
    inputs
}

#[test]
fn browser_tokenizer_matches_rust_and_ranking_follows_fields() {
    if skip_without_chromium() {
        return;
    }
    let harness = Harness::new(&risk_docs(), SHARDED);
    let inputs = tokenizer_inputs();
    let queries = json!([
        ["采购", {}],
        ["回扣", {}],
        ["cwk", {}],
        ["ＣＷＫ－０３", {}],
        ["药", {}],
        ["出纳", {}],
        ["招标", {}],
        ["一级", {}],
        ["火箭", {}],
        ["采购", {"grade": 2}],
        ["审计", {"category": "制度机制风险"}],
    ]);
    let out = run_api_page(&harness, &inputs, &queries);
    assert!(out.get("error").is_none(), "{out}");

    for (input, js) in inputs
        .iter()
        .zip(out["tokens"].as_array().into_iter().flatten())
    {
        assert_eq!(
            &json!(tokenize(input)),
            js,
            "tokenize({input:?}) differs between Rust and search.js"
        );
    }

    let results = &out["results"];
    let ids = |n: usize| -> Vec<String> {
        results[n]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r[0].as_str().map(String::from))
            .collect()
    };
    let best_fields = |n: usize| -> Vec<u64> {
        results[n]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r[1][0].as_u64())
            .collect()
    };

    // 采购: every title hit before any other; among title hits, 一级 first.
    assert_eq!(ids(0)[..3], ["YJK-01", "YJK-02", "ZWK-01"]);
    assert!(
        best_fields(0).is_sorted(),
        "title, then measures, then the rest: {:?}",
        results[0]
    );
    assert!(
        ids(0).contains(&"DW-02".to_string()),
        "body hits are found too"
    );
    assert_eq!(ids(1)[..2], ["SBK-02", "YJK-02"]);
    // A prefix finds every id that starts with it, and only those.
    assert_eq!(ids(2), ["CWK-01", "CWK-03", "CWK-02", "CWK-04"]);
    assert_eq!(ids(3)[0], "CWK-03");
    // One character: everything holding 药, wherever it stands in a run.
    let yao = ids(4);
    for id in ["YJK-01", "YJK-02", "YJK-03", "YJK-04", "DW-02"] {
        assert!(
            yao.contains(&id.to_string()),
            "药 should find {id}: {yao:?}"
        );
    }
    assert!(!yao.contains(&"CWK-01".to_string()));
    // The post 出纳 is a detail; the title 出纳岗位… wins anyway.
    assert_eq!(ids(5)[0], "CWK-01");
    // 招标: SBK-01 has it in its title, JJB-01 in its measures, ZWK-01 only in its body.
    let zhaobiao = ids(6);
    let at = |id: &str| zhaobiao.iter().position(|x| x == id).unwrap_or(usize::MAX);
    assert!(
        at("SBK-01") < at("JJB-01") && at("JJB-01") < at("ZWK-01"),
        "{zhaobiao:?}"
    );
    // The grade is searchable as the notice writes it.
    for id in ["YJK-01", "SBK-01", "SBK-02", "JJB-01", "DW-01"] {
        assert!(ids(7).contains(&id.to_string()), "一级 should find {id}");
    }
    assert!(ids(8).is_empty());
    assert!(
        results[9]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r[2] == 2),
        "{:?}",
        results[9]
    );
    assert_eq!(ids(10), ["JJB-03", "DW-02"]);

    // ↓↓ selects the second result, ↑ the first; Esc closes, Esc again clears; an input
    // method's pinyin is not searched, what it commits is.
    assert_eq!(
        out["keyboard"],
        json!([
            ["ArrowDown", "r0", false, "采购"],
            ["ArrowDown", "r1", false, "采购"],
            ["ArrowUp", "r0", false, "采购"],
            ["Escape", "", true, "采购"],
            ["Escape", "", true, ""],
            ["composing", "done", true, "caigou"],
            ["committed", "loading", false, "采购"]
        ])
    );
}

/// The colours a result list shows, from search.css: each grade's badge and the highlight of
/// the query in a title.
const BADGE_COLOURS: [(&str, [u8; 3]); 3] = [
    ("gs-grade grade-1", [0xc0, 0x39, 0x2b]),
    ("gs-grade grade-2", [0xd3, 0x54, 0x00]),
    ("gs-grade grade-3", [0xb7, 0x95, 0x0b]),
];
const MARK_COLOUR: [u8; 3] = [0xff, 0xf1, 0xa8];

/// How many pixels of a PNG have exactly the colour `rgb`; with the image's width and height.
fn pixels_of(png_file: &std::path::Path, rgb: [u8; 3]) -> (usize, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).expect("the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![
        0;
        reader
            .output_buffer_size()
            .expect("a PNG of a sensible size")
    ];
    let info = reader
        .next_frame(&mut buf)
        .expect("the screenshot's pixels");
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("a screenshot in {other:?}"),
    };
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let count = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .filter(|px| px[..3] == rgb)
        .count();
    (count, info.width, info.height)
}

/// What the screenshots are for: the result list as a reader sees it, on a desktop and on a
/// phone. The DOM of the same page says which results are listed; the pixels say they are
/// drawn inside the shot: each listed grade's badge in its colour and the query highlighted.
#[test]
fn browser_screenshot_of_results() {
    if skip_without_chromium() {
        return;
    }
    let harness = Harness::new(&risk_docs(), IndexLayout::default());
    let dir = screenshot_dir();
    for (query, name, width, height) in [
        ("采购", "search.png", 1000, 760),
        ("回扣", "search-phone.png", 390, 800),
    ] {
        let dom = search_in_browser(&harness, query, "");
        let ids = result_ids(&dom);
        assert!(ids.len() >= 2, "{query}: {ids:?}");
        let file = dir.join(name);
        screenshot(&harness.search_url(query, ""), &file, width, height);
        let (marks, w, h) = pixels_of(&file, MARK_COLOUR);
        assert_eq!((w, h), (width, height), "{name}: size of the shot");
        assert!(marks >= 50, "{name}: {marks} pixels of highlighted query");
        for (class, rgb) in BADGE_COLOURS {
            let listed = texts_of_class(&dom, class).len();
            let (drawn, _, _) = pixels_of(&file, rgb);
            if listed > 0 {
                assert!(
                    drawn >= 50,
                    "{name}: {listed} {class} listed but {drawn} pixels of its colour"
                );
            }
        }
    }
}
