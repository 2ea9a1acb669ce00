//! `gongshi build`: scope, sanitising, relative links, atomicity, determinism, and a snapshot.

use crate::harness::{Gongshi, Run};
use crate::support::files::example_site;
pub use crate::support::files::read_tree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A temporary copy of the repository's example site.
pub struct ExampleSite {
    pub dir: tempfile::TempDir,
}

impl ExampleSite {
    pub fn copy() -> ExampleSite {
        ExampleSite {
            dir: example_site(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `gongshi --root <site> ARGS`, through the harness's runner.
    #[track_caller]
    pub fn gongshi(&self, args: &[&str]) -> Run {
        Gongshi::new()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .run()
    }

    /// Builds into `output/` of the site and asserts success.
    #[track_caller]
    pub fn build(&self, args: &[&str]) -> PathBuf {
        self.gongshi(&[&["build"], args].concat()).succeeds();
        self.root().join("output")
    }
}

/// A valid 三级 point of the finance department (head 陈某平).
pub fn point(id: &str, title: &str, level: &str, extra: &str, review: &str) -> String {
    point_of("陈某平", id, title, level, extra, review)
}

pub fn point_of(
    head: &str,
    id: &str,
    title: &str,
    level: &str,
    extra: &str,
    review: &str,
) -> String {
    let (post, owner, supervisor) = match level {
        "岗位" => ("post: 出纳\nholder: 马某燕\n", "马某燕", head),
        _ => ("", "胡某涛", head),
    };
    format!(
        "---\nid: {id}\ntitle: {title}\nlevel: {level}\n{post}category: 业务流程风险\nlikelihood: 较小\nimpact: 一般\ngrade: 三级\nowner: {owner}\nsupervisor: {supervisor}\nmeasures:\n  前期预防: [{title}的措施]\n{extra}review: {review}\n---\n{title}的正文。\n"
    )
}

/// What only the internal builds (the office's, `--drafts`) show: their banner, the marks of
/// unpublished points, the progress board and the print pages. None of it may reach a public
/// notice, its search index or its ledger.
pub const INTERNAL_CANARIES: &[&str] = &[
    "内部工作版",
    "不得公开",
    "未公示：",
    "仅科室公示",
    "工作进度",
    "progress.html",
    "print.html",
    "一次打印",
    "noindex",
];

/// Adds three points that must never appear in a hospital-wide notice, and one that only the
/// finance department's own notice may show.
pub fn add_canaries(site: &ExampleSite) {
    let approved = "{submitted: 2022-06-01, dept: 2022-06-05, office: 2022-06-20}";
    site.write(
        "content/2022/caiwu/zz-1.md",
        &point(
            "ZZ-1",
            "金丝雀不公示甲",
            "科室",
            "scope: 不公示\n",
            approved,
        ),
    );
    site.write(
        "content/2022/caiwu/zz-2.md",
        &point(
            "ZZ-2",
            "金丝雀未审批乙",
            "科室",
            "",
            "{submitted: 2022-06-01, dept: 2022-06-05}",
        ),
    );
    site.write(
        "content/2022/caiwu/zz-3.md",
        &point(
            "ZZ-3",
            "金丝雀科室范围丙",
            "岗位",
            "scope: 科室\n",
            approved,
        ),
    );
    site.write(
        "content/2022/caiwu/zz-4.md",
        &point("ZZ-4", "金丝雀全院丁", "岗位", "scope: 全院\n", approved),
    );
}

/// Adds a department-scope point of 人事科, which only 人事科's own notice may show.
pub fn add_other_department_canary(site: &ExampleSite) {
    site.write(
        "content/2022/renshi/zz-5.md",
        &point_of(
            "孙某红",
            "ZZ-5",
            "金丝雀别科室戊",
            "科室",
            "scope: 科室\n",
            "{submitted: 2022-06-01, dept: 2022-06-05, office: 2022-06-20}",
        ),
    );
}

pub fn files_containing(tree: &BTreeMap<String, Vec<u8>>, needle: &str) -> Vec<String> {
    tree.iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path.clone())
        .collect()
}

#[test]
fn hospital_notice_contains_only_approved_hospital_scope_points() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    let tree = read_tree(&site.build(&[]));
    for hidden in [
        "金丝雀不公示甲",
        "金丝雀未审批乙",
        "金丝雀科室范围丙",
        "ZZ-1",
        "ZZ-2",
        "ZZ-3",
    ]
    .iter()
    .chain(INTERNAL_CANARIES)
    {
        assert_eq!(
            files_containing(&tree, hidden),
            Vec::<String>::new(),
            "{hidden} leaked"
        );
    }
    assert!(!files_containing(&tree, "金丝雀全院丁").is_empty());
    assert!(tree.contains_key("2022/caiwu/ZZ-4.html"));
    assert!(
        files_containing(&tree, "金丝雀全院丁")
            .iter()
            .any(|f| f == "2022/ledger.csv")
    );
}

#[test]
fn department_notice_adds_its_own_department_scope_points_only() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    // Another department's department-scope post point must stay out of the finance build.
    add_other_department_canary(&site);
    let tree = read_tree(&site.build(&["--scope", "科室:caiwu"]));
    assert!(tree.contains_key("2022/caiwu/ZZ-3.html"));
    assert!(!files_containing(&tree, "金丝雀科室范围丙").is_empty());
    for hidden in ["金丝雀不公示甲", "金丝雀未审批乙", "金丝雀别科室戊", "ZZ-5"]
        .iter()
        .chain(INTERNAL_CANARIES)
    {
        assert_eq!(
            files_containing(&tree, hidden),
            Vec::<String>::new(),
            "{hidden} leaked"
        );
    }
}

#[test]
fn flow_diagrams_are_checked_and_drawn_as_inline_svg() {
    let site = ExampleSite::copy();
    let index = site.root().join("content/2022/caiwu/_index.md");
    let original = std::fs::read_to_string(&index).unwrap();
    let lines = original.lines().count();
    std::fs::write(
        &index,
        format!("{original}\n```flow\nflowchart TD\nA[开始] --> B[@NOPE-1 审批]\nB -->> C\n```\n"),
    )
    .unwrap();
    let out = site.gongshi(&["check", "--format", "json"]).fails();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let found: Vec<(String, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "content/2022/caiwu/_index.md")
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // The fence opens on line lines + 2; its content starts on the next line.
    assert!(
        found.contains(&("flow-syntax".to_string(), lines as u64 + 5)),
        "{found:?}"
    );
    std::fs::write(
        &index,
        format!("{original}\n```flow\nflowchart TD\nA[开始] --> B[@NOPE-1 审批]\n```\n"),
    )
    .unwrap();
    let out = site.gongshi(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "unknown-reference"
                && d["line"].as_u64() == Some(lines as u64 + 4)),
        "{json}"
    );
    std::fs::write(&index, &original).unwrap();
    let tree = read_tree(&site.build(&[]));
    let page = String::from_utf8_lossy(&tree["2022/caiwu/index.html"]).to_string();
    assert!(
        page.contains("<svg") && page.contains("CWK-03.html"),
        "the payment diagram is not drawn with its links"
    );
    for svg in page.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        assert!(
            !svg.contains("<script") && !svg.contains(" on"),
            "diagrams must not carry scripts"
        );
    }
}

#[test]
fn unknown_department_scope_is_a_usage_error() {
    let site = ExampleSite::copy();
    site.gongshi(&["build", "--scope", "科室:nosuch"])
        .exit(2)
        .stderr_has("nosuch");
    assert!(!site.root().join("output").exists());
}

#[test]
fn raw_html_is_sanitised_and_reported() {
    let site = ExampleSite::copy();
    let approved = "{submitted: 2022-06-01, dept: 2022-06-05, office: 2022-06-20}";
    let mut text = point("ZZ-6", "脚本测试", "科室", "scope: 全院\n", approved);
    text.push_str("\n<script>alert('x')</script>\n\n<p onmouseover=\"steal()\">悬停</p>\n\n[点我](javascript:alert(1))\n\n<iframe src=\"http://evil.example/\"></iframe>\n");
    site.write("content/2022/caiwu/zz-6.md", &text);
    let check = site.gongshi(&["check"]);
    let stderr = &check.stderr;
    assert_eq!(stderr.matches("警告[unsafe-html]").count(), 4, "{stderr}");
    assert!(
        stderr.contains("content/2022/caiwu/zz-6.md:18:1"),
        "{stderr}"
    );
    let tree = read_tree(&site.build(&[]));
    let page = String::from_utf8_lossy(&tree["2022/caiwu/ZZ-6.html"]).to_string();
    assert!(page.contains("悬停"));
    for bad in [
        "<script>alert",
        "onmouseover",
        "javascript:",
        "<iframe",
        "evil.example",
    ] {
        assert!(!page.contains(bad), "{bad} survived");
    }
}

/// Every `href`/`src` in every page: relative, no other host, and pointing at a file that exists.
#[test]
fn links_are_relative_and_resolve() {
    let site = ExampleSite::copy();
    let out = site.build(&[]);
    let tree = read_tree(&out);
    let mut checked = 0;
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\"", "url="] {
            for (i, _) in html.match_indices(attr) {
                let rest = &html[i + attr.len()..];
                let url = &rest[..rest.find(['"', '>']).unwrap_or(rest.len())];
                if url.starts_with('#')
                    || url.starts_with("mailto:")
                    || url.starts_with("tel:")
                    || url.is_empty()
                    // The empty icon (below): inline, no request.
                    || url == "data:,"
                {
                    continue;
                }
                assert!(
                    !url.starts_with('/') && !url.contains("://"),
                    "{path}: non-relative link {url}"
                );
                let target = url.split(['#', '?']).next().unwrap();
                let resolved = Path::new(path).parent().unwrap().join(target);
                let mut parts: Vec<String> = Vec::new();
                for c in resolved.components() {
                    match c.as_os_str().to_string_lossy().as_ref() {
                        ".." => {
                            assert!(parts.pop().is_some(), "{path}: link {url} leaves the site");
                        }
                        "." => {}
                        part => parts.push(part.to_string()),
                    }
                }
                let key = parts.join("/");
                assert!(
                    tree.contains_key(&key) || (key.starts_with("2022/search/")),
                    "{path}: broken link {url} → {key}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

/// Regression: pages named no icon, so browsers asked the host's root for /favicon.ico (a
/// 404, and a request outside the site folder when the site is served from a sub-path).
/// Every page names an inline, empty one in its head.
#[test]
fn every_page_names_an_icon_that_needs_no_request() {
    let site = ExampleSite::copy();
    let out = site.build(&[]);
    let tree = read_tree(&out);
    let pages: Vec<&String> = tree.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 100, "only {} pages", pages.len());
    for path in pages {
        let html = String::from_utf8_lossy(&tree[path]);
        let head = html.split("</head>").next().unwrap_or_default();
        assert!(
            head.contains("<link rel=\"icon\" href=\"data:,\">"),
            "{path}: no inline icon in <head>"
        );
    }
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = ExampleSite::copy();
    let out = site.build(&[]);
    let before = read_tree(&out);
    // A content error: exit 1, nothing written.
    site.write(
        "content/2022/caiwu/cwk-02.md",
        "---\nid: CWK-02\ntitle: [unclosed\n---\n",
    );
    site.gongshi(&["build"]).fails();
    assert_eq!(read_tree(&out), before);
    // A template error in a theme override: exit 2, nothing written.
    let site2 = ExampleSite::copy();
    let out2 = site2.build(&[]);
    let before2 = read_tree(&out2);
    site2.write(
        "themes/default/templates/point.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope.deep }}{% endblock main %}",
    );
    site2
        .gongshi(&["build"])
        .exit(2)
        .stderr_has("point.html:1:");
    assert_eq!(read_tree(&out2), before2);
    let leftovers: Vec<_> = std::fs::read_dir(site2.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("building"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = ExampleSite::copy();
    let first = read_tree(&site.build(&[]));
    let second_dir = site.root().join("second");
    site.gongshi(&["build", "--output", second_dir.to_str().unwrap()])
        .succeeds();
    let second = read_tree(&second_dir);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

#[test]
fn search_docs_without_pages_give_the_built_index() {
    // `year_search_docs` is what the search benchmark measures the example site with: it must
    // be what `build` indexes, for the hospital and for a department's own notice.
    let site = ExampleSite::copy();
    for scope in ["全院", "科室:caiwu"] {
        let out = site.root().join(format!("out-{}", scope.len()));
        site.gongshi(&["build", "--scope", scope, "--output", out.to_str().unwrap()])
            .succeeds();
        let loaded = gongshi::site::Site::load(site.root(), None).unwrap();
        let audience = gongshi::audience::Audience::parse(scope).unwrap();
        let docs = gongshi::build::year_search_docs(&loaded, &audience).unwrap();
        assert!(docs.len() >= 40 || scope != "全院", "{} points", docs.len());
        let tree = read_tree(&out);
        let files = gongshi::search::build_index(&docs);
        for file in &files {
            let path = format!("2022/{}", file.path);
            assert!(tree.get(&path) == Some(&file.bytes), "{path} differs");
        }
        let written = tree
            .keys()
            .filter(|p| p.starts_with("2022/search/"))
            .count();
        assert_eq!(written, files.len(), "{scope}");
    }
}

#[test]
fn every_published_point_has_a_page_named_by_its_id() {
    let site = ExampleSite::copy();
    let tree = read_tree(&site.build(&[]));
    for id in ["CWK-03", "DW-01", "YJK-01"] {
        assert!(
            tree.keys().any(|k| k.ends_with(&format!("/{id}.html"))),
            "no page for {id}"
        );
    }
    let root = String::from_utf8_lossy(&tree["index.html"]).to_string();
    assert!(root.contains("2022/index.html"));
    let csv = &tree["2022/ledger.csv"];
    assert!(
        csv.starts_with(&[0xEF, 0xBB, 0xBF]),
        "the ledger needs a BOM for Excel"
    );
}

#[test]
fn grade_lists_link_every_point_of_their_grade_once() {
    let site = ExampleSite::copy();
    let tree = read_tree(&site.build(&[]));
    for n in 1..=3 {
        // The point pages of grade n, as links from the list (one folder down from 2022/).
        let mut expected: Vec<String> = tree
            .iter()
            .filter(|(_, bytes)| {
                String::from_utf8_lossy(bytes)
                    .contains(&format!("<article class=\"point grade-{n}\">"))
            })
            .map(|(path, _)| format!("../{}", path.trim_start_matches("2022/")))
            .collect();
        expected.sort();
        let list = String::from_utf8_lossy(&tree[&format!("2022/grade/{n}.html")]).to_string();
        let mut linked: Vec<String> = list
            .split("<tr><td class=\"n grade-")
            .skip(1)
            .map(|row| {
                assert!(
                    row.starts_with(&format!("{n}\"")),
                    "a row of another grade: {row}"
                );
                let href = row.split("<a href=\"").nth(1).unwrap_or_default();
                href[..href.find('"').unwrap_or(0)].to_string()
            })
            .collect();
        linked.sort();
        assert!(!expected.is_empty(), "no point of grade {n} in the example");
        assert_eq!(linked, expected, "grade {n}");
        assert!(list.contains(&format!("共 {} 个风险点", expected.len())));
    }
}

#[test]
fn point_page_snapshot() {
    let site = ExampleSite::copy();
    let tree = read_tree(&site.build(&[]));
    let page = String::from_utf8_lossy(&tree["2022/caiwu/CWK-03.html"]).to_string();
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    insta::assert_snapshot!("point_page_cwk03", main);
}
