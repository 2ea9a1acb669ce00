//! The built example as a person sees it: pages opened from file:// in headless Chromium, with
//! no console message and no request outside the output folder; search queries typed through
//! the URL; screenshots of the home, a department and a form page for people to look at.

use crate::build::ExampleSite;
use crate::support::chromium::{self, file_url};
use crate::support::dom;

/// Builds the example once per test into a temp copy and returns the site and output folder.
fn built() -> Option<(ExampleSite, std::path::PathBuf)> {
    if chromium::chromium().is_none() {
        eprintln!("skipped: chromium not installed");
        return None;
    }
    let site = ExampleSite::copy();
    let out = site.build(&[]);
    Some((site, out))
}

#[test]
fn pages_load_from_file_urls_without_errors_or_foreign_requests() {
    let Some((_site, out)) = built() else { return };
    let allowed = file_url(&out, "");
    let pages = [
        "index.html",
        "2022/index.html",
        "2022/departments/index.html",
        "2022/caiwu/index.html",
        "2022/yaojike/index.html",
        "2022/caiwu/CWK-03.html",
        "2022/unit/index.html",
        "2022/oversight.html",
        "2022/forms/index.html",
        "2022/forms/dept-caiwu.html",
        "2022/forms/unit.html",
        "years.html",
    ];
    for page in pages {
        let loaded = chromium::load(&file_url(&out.join(page), ""), &allowed);
        assert!(
            loaded.console_errors.is_empty(),
            "{page}: console: {:?}",
            loaded.console_errors
        );
        assert!(
            loaded.foreign_requests.is_empty(),
            "{page}: requests outside the site: {:?}",
            loaded.foreign_requests
        );
        assert!(loaded.dom.contains("</html>"), "{page}: no document");
    }
    // The root page sends the reader on to the current year.
    let root = chromium::load(&file_url(&out.join("index.html"), ""), &allowed);
    assert!(
        root.dom.contains("2022年度风险岗位廉能管理工作公示"),
        "the root did not reach the year's home"
    );
}

#[test]
fn search_finds_chinese_words_ids_and_two_word_queries() {
    let Some((_site, out)) = built() else { return };
    let allowed = file_url(&out, "");
    let page = out.join("2022/departments/index.html");
    let search = |query: &str| {
        let loaded = chromium::load(
            &file_url(&page, &format!("q={}", chromium::encode_param(query))),
            &allowed,
        );
        assert!(
            loaded.console_errors.is_empty(),
            "{query}: console: {:?}",
            loaded.console_errors
        );
        assert!(
            loaded.foreign_requests.is_empty(),
            "{query}: {:?}",
            loaded.foreign_requests
        );
        (
            dom::result_ids(&loaded.dom),
            dom::texts_of_class(&loaded.dom, "gs-result-title"),
        )
    };
    let (ids, titles) = search("采购");
    assert!(!ids.is_empty(), "no result for 采购");
    assert!(
        titles[0].contains("采购"),
        "first result for 采购: {titles:?}"
    );
    let (_, titles) = search("回扣");
    assert!(
        titles[0].contains("回扣"),
        "first result for 回扣: {titles:?}"
    );
    let (ids, _) = search("CWK-03");
    assert_eq!(ids.first().map(String::as_str), Some("CWK-03"));
    let (ids, _) = search("药品 回扣");
    assert_eq!(
        ids.first().map(String::as_str),
        Some("YJK-02"),
        "药品 回扣: {ids:?}"
    );
    // Unpublished points are not in the index: ZWK-06 has no department approval.
    let (ids, _) = search("ZWK-06");
    assert!(
        !ids.iter().any(|i| i == "ZWK-06"),
        "an unapproved point was found: {ids:?}"
    );
}

#[test]
fn screenshots_for_people_to_look_at() {
    let Some((_site, out)) = built() else { return };
    let dir = chromium::screenshot_dir();
    for (page, name, w, h) in [
        ("2022/index.html", "home.png", 1280, 2200),
        ("2022/caiwu/index.html", "department.png", 1280, 2000),
        ("2022/forms/dept-caiwu.html", "form-dept.png", 1000, 1300),
        ("2022/index.html", "home-phone.png", 390, 1400),
    ] {
        let path = dir.join(name);
        chromium::screenshot(&file_url(&out.join(page), ""), &path, w, h);
        let size = std::fs::metadata(&path).unwrap().len();
        assert!(size > 20_000, "{name} is nearly empty ({size} bytes)");
    }
}

/// What a page measures in a phone-sized frame.
#[derive(Debug)]
struct OnPhone {
    /// The page's width and the width of its content: greater means it scrolls sideways.
    client: f64,
    scroll: f64,
    /// The smallest label, in CSS pixels, of the charts (matrix, bars, phase timeline) and
    /// the flow diagrams shown.
    smallest_label: f64,
    /// Names (people, departments, posts) and headings of lists whose text takes two lines.
    broken_cells: Vec<String>,
}

/// Where a page shows names: every cell of the departments' list, the key posts' department,
/// post and holders, a point list's grade, id and department, the forms' index, the progress
/// board's department and liaison, the first row of a form (who fills it in), the facts of a
/// card, and every heading of a list.
const NAMES: &str = "table.list th, .page-departments table.list td, table.key-posts td:nth-child(-n+3), table.points td:nth-child(-n+2), table.points td:nth-child(4), .page-forms table.list td:nth-child(-n+2), table.progress td:nth-child(-n+2), table.form tr:first-child td, .card .facts dd";

/// Whether a Chinese font is installed. Without one, Chromium draws each Chinese character as a
/// narrow box, so names that break on a phone fit here: the name checks need one (CI installs
/// fonts-wqy-microhei).
fn has_chinese_font() -> bool {
    let found = std::process::Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    if !found && std::env::var_os("CI").is_some() {
        panic!("no Chinese font: CI must install one (apt-get install -y fonts-wqy-microhei)");
    }
    found
}

/// Opens `page` (relative to `out`) in a 390 × 844 frame, as on a phone, and measures it.
/// The probe page sits beside the site and reads the frame's document, which needs file
/// access between pages (`load_with_file_access`).
fn on_phone(out: &std::path::Path, page: &str) -> OnPhone {
    let probe = out.join("__phone-probe.html");
    let script = r#"
var f = document.getElementById("f");
f.addEventListener("load", function () {
  var d = f.contentDocument, w = f.contentWindow;
  d.documentElement.style.scrollbarWidth = "none";
  setTimeout(function () {
    var smallest = 1000, broken = [];
    d.querySelectorAll("svg.chart, .flow svg").forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      if (box.width === 0 || !svg.viewBox.baseVal) return;
      var scale = box.width / svg.viewBox.baseVal.width;
      svg.querySelectorAll("text").forEach(function (t) {
        smallest = Math.min(smallest, parseFloat(w.getComputedStyle(t).fontSize) * scale);
      });
    });
    d.querySelectorAll(NAMES).forEach(function (td) {
      var range = d.createRange();
      range.selectNodeContents(td);
      var line = parseFloat(w.getComputedStyle(td).lineHeight);
      var tall = range.getBoundingClientRect().height > 1.3 * line;
      if (tall && td.querySelector("br") === null) broken.push(td.textContent.trim());
    });
    document.getElementById("out").textContent = [d.documentElement.clientWidth,
      d.documentElement.scrollWidth, smallest.toFixed(2), broken.join("|")].join(";");
  }, 100);
});"#;
    let script = script.replace("NAMES", &format!("{NAMES:?}"));
    let html = format!(
        "<!DOCTYPE html><meta charset=\"utf-8\"><body style=\"margin:0\"><iframe id=\"f\" src=\"{page}\" style=\"width:390px;height:844px;border:0\"></iframe><pre id=\"out\"></pre><script>{script}</script>"
    );
    std::fs::write(&probe, html).expect("the probe page");
    let loaded = chromium::load_with_file_access(&file_url(&probe, ""), &file_url(out, ""));
    std::fs::remove_file(&probe).expect("the probe page is removed");
    let text = loaded
        .dom
        .split_once("<pre id=\"out\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| dom::unescape(text))
        .unwrap_or_default();
    let fields: Vec<&str> = text.split(';').collect();
    assert_eq!(
        fields.len(),
        4,
        "{page}: the probe measured nothing: {text:?}"
    );
    let number = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    OnPhone {
        client: number(fields[0]),
        scroll: number(fields[1]),
        smallest_label: number(fields[2]),
        broken_cells: fields[3]
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// Regression: on a 390 px phone the printable forms pushed the whole page sideways (the
/// person form was 513 px wide), the forms index broke names mid-word (马某/燕, 财务/科), the
/// phase timeline shrank its labels to ~5 px and a `flowchart LR` to unreadable; the lists of
/// departments, key posts and points broke names (李某/华, 医院（单位/）) and the matrix and bar
/// charts drew their labels at 9 px.
#[test]
fn phone_pages_neither_scroll_sideways_nor_shrink_labels_unreadably() {
    if chromium::chromium().is_none() {
        eprintln!("skipped: chromium not installed");
        return;
    }
    let names = has_chinese_font();
    if !names {
        eprintln!("no Chinese font installed: names are not checked for breaks");
    }
    let site = ExampleSite::copy();
    // A left-to-right diagram, wider than a phone.
    let dept = site.root().join("content/2022/caiwu/_index.md");
    let text = std::fs::read_to_string(&dept).expect("the finance department's page");
    assert!(
        text.contains("flowchart TD"),
        "the example lost its diagram"
    );
    site.write(
        "content/2022/caiwu/_index.md",
        &text.replace("flowchart TD", "flowchart LR"),
    );
    let out = site.build(&[]);
    site.gongshi(&["build", "-q", "--scope", "办公室"])
        .succeeds();
    let office = site.root().join("output-office");
    let mut problems = Vec::new();
    let public = [
        "2022/index.html",
        "2022/departments/index.html",
        "2022/oversight.html",
        "2022/grade/1.html",
        "2022/caiwu/index.html",
        "2022/jijian/index.html",
        "2022/forms/index.html",
        "2022/forms/unit.html",
        "2022/forms/dept-caiwu.html",
        "2022/forms/dept-pledge-caiwu.html",
        "2022/forms/person-CWK-01.html",
        "2022/forms/pledge-CWK-01.html",
    ];
    let internal = ["2022/progress.html", "2022/caiwu/print.html"];
    let pages = public
        .iter()
        .map(|p| (&out, *p))
        .chain(internal.iter().map(|p| (&office, *p)));
    for (out, page) in pages {
        let m = on_phone(out, page);
        assert!(m.client > 300.0, "{page}: {m:?}");
        if m.scroll > m.client {
            problems.push(format!("{page} scrolls sideways: {m:?}"));
        }
        if m.smallest_label < 10.9 {
            problems.push(format!("{page}: a label is {} px: {m:?}", m.smallest_label));
        }
        if matches!(page, "2022/index.html" | "2022/caiwu/index.html") && m.smallest_label > 20.0 {
            // 1000: the probe found no timeline or diagram label at all.
            problems.push(format!("{page}: no label measured: {m:?}"));
        }
        if names && !m.broken_cells.is_empty() {
            problems.push(format!("{page}: names broken across lines: {m:?}"));
        }
    }
    assert!(problems.is_empty(), "on a phone:\n{}", problems.join("\n"));
}
