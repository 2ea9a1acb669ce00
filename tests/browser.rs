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
