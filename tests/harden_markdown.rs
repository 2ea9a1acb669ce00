//! Issue 15, item 1: a small Markdown body stalled `build` and the preview for minutes while
//! `check` said it was fine. `- ` written 50,000 times on one line is 100,000 nested list
//! elements, and the sanitiser's HTML tree builder walks every open element at each of them
//! (src/markdown_scan/nesting.rs has the account). Such a body is now an error on its file
//! (`body-nesting`; a huge one `body-too-large`), and nothing renders it: not `build`, not the
//! preview, not `fmt`.

use gongshi::audience::Audience;

use crate::harness::{Error, Site, base};
use crate::support::files::read_tree;

const POINT: &str = base::KUAIJI;

/// The issue's attack: 50,000 `- `, an `x`, a blank line and 100,000 `*`.
fn issue_tail() -> String {
    format!("\n{}x\n\n{}\n", "- ".repeat(50_000), "*".repeat(100_000))
}

/// The base site with `tail` appended to the 会计 point; returns the site and the line the
/// tail's first non-blank line is on.
fn with_tail(tail: &str) -> (Site, usize) {
    let site = Site::base();
    let before = site.read(POINT);
    let line = before.lines().count() + 1 + tail.chars().take_while(|c| *c == '\n').count();
    let site = site.file(POINT, &format!("{before}{tail}"));
    (site, line)
}

/// The line the body starts on (after the closing `---`).
fn body_line(text: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| *l == "---")
        .nth(1)
        .map(|(i, _)| i + 2)
        .expect("front matter")
}

#[test]
fn the_issues_deep_list_is_a_body_nesting_error_at_its_seventeenth_marker() {
    let (site, line) = with_tail(&issue_tail());
    let run = site.check().fails();
    // 32 elements are allowed: the 17th `- ` opens the 33rd (ul, li, ul, li, …).
    let d = run.diag("body-nesting", Error, POINT, line, 33);
    assert!(d.message.contains("32"), "{d}");
    assert_eq!(run.in_file(POINT).len(), 1, "{run:?}");
}

#[test]
fn a_deep_body_is_never_built_and_the_previous_output_stays() {
    let site = Site::base();
    site.run(["build", "-q"]).succeeds();
    let built = read_tree(&site.path("output"));
    let before = site.read(POINT);
    let site = site.file(POINT, &format!("{before}{}", issue_tail()));
    site.run(["build"])
        .fails()
        .stderr_has("错误[body-nesting]")
        .stderr_has("原有输出保持不变");
    assert_eq!(read_tree(&site.path("output")), built);
}

#[test]
fn deep_quotes_and_raw_html_are_refused_too() {
    for (tail, column) in [
        (format!("\n{}x\n", "> ".repeat(40)), 65),
        (format!("\n{}x\n", "<div>".repeat(40)), 1),
        (format!("\n{}x\n", "1. ".repeat(40)), 49),
        (format!("\n{}x{}\n", "*a ".repeat(40), " a*".repeat(40)), 94),
    ] {
        let (site, line) = with_tail(&tail);
        let run = site.check().fails();
        run.diag("body-nesting", Error, POINT, line, column);
    }
}

#[test]
fn a_body_over_256_kb_is_body_too_large() {
    let site = Site::base();
    let text = site.read(POINT);
    let line = body_line(&text);
    let site = site.file(POINT, &format!("{text}\n{}\n", "风险".repeat(50_000)));
    let run = site.check().fails();
    let d = run.diag("body-too-large", Error, POINT, line, 1);
    assert!(d.message.contains("256 KB"), "{d}");
}

/// Ordinary nesting (lists four deep, a quote, bold, a table) is far inside the limits.
#[test]
fn ordinary_nesting_passes() {
    let tail = "\n> 引用\n>\n> - 一\n>   - 二\n>     - 三\n>       - **四** *五* ~~六~~\n\n\
                | a | b |\n|---|---|\n| **x** | [链接](https://example.org) |\n";
    let (site, _) = with_tail(tail);
    site.check().clean();
}

/// In the preview the body is an error in the overlay, and is never rendered (the render took
/// minutes, and every later save waited behind it).
#[test]
fn the_preview_shows_the_error_and_renders_nothing() {
    let site = Site::base();
    let root = site.root().canonicalize().unwrap();
    let mut preview = gongshi::serve::Previewer::new(&root, Audience::Hospital);
    let before = site.read(POINT);
    // Deep enough to be refused, small enough that rendering it would not hang this test.
    let site = site.file(POINT, &format!("{before}\n{}x\n", "- ".repeat(3_000)));
    let shown = preview.rebuild(&[site.path(POINT).canonicalize().unwrap()], false);
    let problem = shown.problem.expect("the error is shown");
    assert!(problem.contains("body-nesting"), "{problem}");
    assert!(problem.contains("kuaiji.md"), "{problem}");
}

/// `fmt` compared the body's rendering before and after formatting: it rendered it too.
#[test]
fn fmt_leaves_a_deep_body_alone_and_says_why() {
    let (site, _) = with_tail(&format!("\n{}x\n", "- ".repeat(3_000)));
    let before = site.read(POINT);
    site.run(["fmt", &site.path(POINT).display().to_string()])
        .stderr_has("嵌套过深");
    assert_eq!(site.read(POINT), before);
}
