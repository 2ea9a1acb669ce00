//! `unsafe-html`: a warning exactly when the sanitiser removes something from a body (an
//! element, an attribute, a link's or picture's address), at the line where it was written,
//! and never for text that only looks dangerous. Bodies are appended to the base's 科室 point
//! 支出 (published to 全院), whose body starts on line 20.

use crate::harness::{Site, Warning, base};

/// The base site with `body` after 支出's own body (which ends on line 21), built.
fn with_body(body: &str) -> (Site, crate::harness::Run) {
    let site = Site::base().replace(
        base::ZHICHU,
        "未按规定程序审批即支付大额资金。\n",
        &format!("未按规定程序审批即支付大额资金。\n\n{body}"),
    );
    let run = site.check();
    (site, run)
}

fn page(site: &Site) -> String {
    let out = site.path("out");
    site.run(["build", "--output", out.to_str().unwrap_or_default()])
        .succeeds();
    std::fs::read_to_string(out.join("2022/caiwu/CW-02.html")).unwrap_or_default()
}

/// Regression: raw HTML was searched for words (`javascript:`, `data:`, `expression(`), so
/// plain text holding them was warned "已移除" while the page kept it.
#[test]
fn text_that_looks_dangerous_is_not_warned_and_is_kept() {
    let (site, run) = with_body(
        "<p>javascript: 是一种语言</p>\n\n<p>metadata: 元数据</p>\n\n<table><tr><td>expression(1)</td></tr></table>\n",
    );
    run.succeeds().clean();
    let page = page(&site);
    for text in [
        "javascript: 是一种语言",
        "metadata: 元数据",
        "expression(1)",
    ] {
        assert!(page.contains(text), "{text} missing from the page");
    }
}

/// Regression: addresses written with character references or a tab inside the scheme, and
/// pictures from other hosts in raw HTML, were removed without a warning.
#[test]
fn encoded_schemes_and_external_pictures_are_warned() {
    let (site, run) = with_body(concat!(
        "<a href=\"&#x6A;avascript:alert(1)\">e1</a>\n\n",
        "<a href=\"java&#x09;script:alert(1)\">e2</a>\n\n",
        "<a href=\"&#106;avascript:alert(1)\">e3</a>\n\n",
        "<img src=\"http://evil.example/x.png\">\n",
    ));
    let run = run.succeeds().only(&[
        ("unsafe-html", base::ZHICHU, 23, 1),
        ("unsafe-html", base::ZHICHU, 25, 1),
        ("unsafe-html", base::ZHICHU, 27, 1),
        ("unsafe-html", base::ZHICHU, 29, 1),
    ]);
    let d = run.diag("unsafe-html", Warning, base::ZHICHU, 25, 1);
    assert!(d.message.contains("java\\tscript:"), "{d}");
    let d = run.diag("unsafe-html", Warning, base::ZHICHU, 29, 1);
    assert!(d.message.contains("外部图片"), "{d}");
    let page = page(&site);
    assert!(!page.contains("evil.example"));
    assert!(!page.contains("script:alert"));
}

/// Regression: `[m2](java%0ascript:…)` was warned 已移除, but the page keeps it: `%` cannot
/// be part of a scheme (browsers do not decode it there), so it is a harmless relative address.
#[test]
fn percent_encoded_scheme_is_a_relative_address_and_kept() {
    let (site, run) = with_body("[m2](java%0ascript:alert(1))\n");
    run.succeeds().clean();
    assert!(page(&site).contains("href=\"java%0ascript:alert(1)\""));
}

#[test]
fn removed_elements_and_attributes_are_named() {
    let (_, run) = with_body(concat!(
        "<script>alert(1)</script>\n\n",
        "<div\n  onclick=\"x()\">多行标签</div>\n\n",
        "<font color=red>红</font>\n",
    ));
    let run = run.succeeds().only(&[
        ("unsafe-html", base::ZHICHU, 23, 1),
        ("unsafe-html", base::ZHICHU, 26, 1),
        ("unsafe-html", base::ZHICHU, 28, 1),
    ]);
    assert!(
        run.diag("unsafe-html", Warning, base::ZHICHU, 23, 1)
            .message
            .contains("<script>")
    );
    assert!(
        run.diag("unsafe-html", Warning, base::ZHICHU, 26, 1)
            .message
            .contains("onclick")
    );
    assert!(
        run.diag("unsafe-html", Warning, base::ZHICHU, 28, 1)
            .message
            .contains("<font>")
    );
}
