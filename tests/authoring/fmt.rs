//! `gongshi fmt`: meaning, comments, flow blocks, BOM and line ends kept; idempotent;
//! `--check` exit codes; files that do not parse are never rewritten.

use std::path::Path;

use gongshi::content::risk::KEYS as RISK_KEYS;
use gongshi::site::Site;
use tempfile::TempDir;

use super::*;

/// Removes `Pos { … }` and `body_line: N` from a Debug dump: formatting may move lines.
fn without_positions(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Pos {") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').map_or(rest.len(), |j| i + j + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    let mut cleaned = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("body_line: ") {
        cleaned.push_str(&rest[..i]);
        rest = rest[i + "body_line: ".len()..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    cleaned.push_str(rest);
    cleaned
}

/// A body as gongshi publishes it. Blank lines between HTML blocks are dropped (outside
/// `<pre>`): comrak separates two lists with `<!-- end list -->`, which sanitising removes.
fn published(body: &str) -> String {
    let rendered = gongshi::render::markdown::render(body, 1, "", &mut |block, _| {
        format!("<flow>{:?}</flow>", block.source)
    });
    let mut html = String::new();
    let mut in_pre = false;
    for line in rendered.html.lines() {
        if in_pre || !line.trim().is_empty() {
            html.push_str(line);
            html.push('\n');
        }
        in_pre = (in_pre || line.contains("<pre")) && !line.contains("</pre>");
    }
    format!("{html}\n{}", rendered.text)
}

/// Everything a year means, loaded by gongshi itself: points, departments and year (data via
/// the loaders, bodies as published HTML) and which rules fire on which files.
fn meaning(root: &Path, year: u16) -> Vec<String> {
    let site = Site::load(root, Some(year)).unwrap();
    let mut out = Vec::new();
    for point in &site.year.points {
        let mut data = point.clone();
        let body = std::mem::take(&mut data.body);
        out.push(format!(
            "{} {}",
            point.file,
            without_positions(&format!("{data:?}"))
        ));
        out.push(format!("{} body {}", point.file, published(&body)));
    }
    for dept in &site.year.departments {
        let mut data = dept.clone();
        let body = std::mem::take(&mut data.body);
        out.push(format!(
            "{} {}",
            dept.file,
            without_positions(&format!("{data:?}"))
        ));
        out.push(format!("{} body {}", dept.file, published(&body)));
    }
    if let Some(info) = &site.year.info {
        let mut data = info.clone();
        let body = std::mem::take(&mut data.body);
        out.push(without_positions(&format!("{data:?}")));
        out.push(format!("year body {}", published(&body)));
    }
    for d in &site.diagnostics {
        out.push(format!("{} {}", d.rule.name(), d.file));
    }
    out.sort();
    out
}

/// The fenced flow blocks of a file, fence lines included, with their line ends.
fn flow_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        match &mut current {
            None => {
                let fence: String = trimmed
                    .chars()
                    .take_while(|c| *c == '`' || *c == '~')
                    .collect();
                let info = trimmed[fence.len()..].trim();
                if fence.len() >= 3 && (info.starts_with("flow") || info.starts_with("mermaid")) {
                    current = Some((fence, line.to_string()));
                }
            }
            Some((fence, block)) => {
                block.push_str(line);
                if trimmed.starts_with(fence.as_str())
                    && trimmed.trim_matches(|c| c == '`' || c == '~').is_empty()
                {
                    blocks.push(block.clone());
                    current = None;
                }
            }
        }
    }
    blocks
}

/// The lines of a file's front matter, sorted: moving key blocks must keep them all.
fn front_matter_lines(text: &str) -> Vec<String> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut lines: Vec<String> = text
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Compares two meanings and names the first difference (the whole dump is too long to read).
fn assert_same_meaning(after: &[String], before: &[String]) {
    for (a, b) in after.iter().zip(before) {
        assert_eq!(a, b, "meaning changed");
    }
    assert_eq!(after.len(), before.len(), "meaning changed: {after:?}");
}

fn bom_crlf(text: &str) -> String {
    format!("\u{feff}{}", crlf(text))
}

/// The example site plus every fixture, in LF, CRLF and BOM+CRLF, where its role puts it.
fn site_with_fixtures() -> TempDir {
    let site = example_site();
    let root = site.path();
    let point = fixture("messy-point.md");
    let caiwu = root.join("content/2022/caiwu");
    write(&caiwu.join("fmt-01.md"), &point);
    write(
        &caiwu.join("fmt-11.md"),
        &crlf(&point.replace("id: FMT-01", "id: FMT-11")),
    );
    write(
        &caiwu.join("fmt-21.md"),
        &bom_crlf(&point.replace("id: FMT-01", "id: FMT-21")),
    );
    write(&caiwu.join("fmt-02.md"), &fixture("anchors.md"));
    let y2023 = root.join("content/2023");
    write(&y2023.join("_index.md"), &crlf(&fixture("messy-year.md")));
    write(&y2023.join("caiwu/_index.md"), &fixture("messy-dept.md"));
    write(&y2023.join("caiwu/fmt-01.md"), &format!("\u{feff}{point}"));
    write(&y2023.join("unit/.keep"), "");
    site
}

#[test]
fn fmt_keeps_meaning_comments_and_flow_blocks_and_is_idempotent() {
    let site = site_with_fixtures();
    let root = site.path();
    let before_meaning = [meaning(root, 2022), meaning(root, 2023)];
    let before = files(&root.join("content"));

    gongshi(root, &["fmt", "--check"]).exit(1);
    assert_eq!(
        files(&root.join("content")),
        before,
        "--check writes nothing"
    );
    gongshi(root, &["fmt"]).exit(0);
    let once = files(&root.join("content"));
    assert_same_meaning(
        &[meaning(root, 2022), meaning(root, 2023)].concat(),
        &before_meaning.concat(),
    );

    gongshi(root, &["fmt"]).exit(0);
    assert_eq!(
        files(&root.join("content")),
        once,
        "formatting twice changes nothing"
    );
    gongshi(root, &["fmt", "--check"]).exit(0);

    for (file, old) in &before {
        let old = String::from_utf8(old.clone()).unwrap();
        let new = String::from_utf8(once[file].clone()).unwrap();
        if !file.ends_with(".md") {
            assert_eq!(old, new, "{file}");
            continue;
        }
        for block in flow_blocks(&old) {
            assert!(
                new.contains(&block),
                "{file}: flow block kept byte for byte:\n{block}"
            );
        }
        assert_eq!(
            front_matter_lines(&old),
            front_matter_lines(&new),
            "{file}: every front matter line kept"
        );
        assert_eq!(
            old.starts_with('\u{feff}'),
            new.starts_with('\u{feff}'),
            "{file}: BOM kept"
        );
        assert_eq!(
            old.contains("\r\n"),
            new.contains("\r\n"),
            "{file}: line ends kept"
        );
        if old.contains("\r\n") {
            assert_eq!(
                new.matches('\n').count(),
                new.matches("\r\n").count(),
                "{file}: all CRLF"
            );
        }
    }
    // The fixtures did change: keys now in SPEC order, the body normalised.
    let formatted = String::from_utf8(once["2022/caiwu/fmt-21.md"].clone()).unwrap();
    let keys: Vec<&str> = formatted
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .filter(|k| RISK_KEYS.contains(k))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by_key(|k| RISK_KEYS.iter().position(|x| x == k));
    assert_eq!(keys, sorted);
    assert!(
        formatted.starts_with("\u{feff}---\r\n# 本文件故意写得杂乱"),
        "{formatted}"
    );
    assert!(
        formatted.contains("\r\n# 表现形式\r\n"),
        "setext heading to ATX"
    );
    assert!(
        formatted.contains("赣市卫 2022[23]号"),
        "no needless escapes"
    );
    assert_ne!(before["2023/_index.md"], once["2023/_index.md"]);
    assert_ne!(before["2023/caiwu/_index.md"], once["2023/caiwu/_index.md"]);
    let year = String::from_utf8(once["2023/_index.md"].clone()).unwrap();
    assert!(
        year.starts_with("---\r\ntitle: 2023年度风险岗位廉能管理工作公示   # 标题\r\nnotice:"),
        "{year}"
    );
}

#[test]
fn fmt_check_lists_files_and_exits_1_and_broken_files_are_never_rewritten() {
    let (_tmp, root) = init_site();
    gongshi(&root, &["fmt", "--check"]).exit(0);
    let point = root.join("content/2025/caiwu/cwk-01.md");
    let text = read(&point);
    let swapped = text.replacen("id: CWK-01\n", "", 1).replacen(
        "level: 岗位\n",
        "level: 岗位\nid: CWK-01\n",
        1,
    );
    std::fs::write(&point, &swapped).unwrap();

    let run = gongshi(&root, &["fmt", "--check"]);
    let run = run.exit(1);
    assert_eq!(run.stdout.trim(), "content/2025/caiwu/cwk-01.md");
    assert_eq!(read(&point), swapped, "--check writes nothing");

    let broken = root.join("content/2025/caiwu/fmt-03.md");
    write(&broken, &fixture("broken.md"));
    gongshi(&root, &["fmt"])
        .exit(1)
        .stderr_has("跳过 content/2025/caiwu/fmt-03.md");
    assert_eq!(
        read(&broken),
        fixture("broken.md"),
        "a file that does not parse is not touched"
    );
    // The rest was formatted: `id` is first again (the header comments, now directly above
    // `title`, travel with it).
    let expected = format!(
        "---\nid: CWK-01\n{}",
        &text.replacen("id: CWK-01\n", "", 1)[4..]
    );
    assert_eq!(read(&point), expected);
    gongshi(&root, &["fmt", "--check"])
        .exit(1)
        .stderr_has("无法解析");
    std::fs::remove_file(&broken).unwrap();
    gongshi(&root, &["fmt", "--check"]).exit(0);

    // A PATH limits the run to that file.
    std::fs::write(&point, &swapped).unwrap();
    let other = root.join("content/2025/caiwu/cwk-02.md");
    let other_text = read(&other).replacen("id: CWK-02\n", "", 1).replacen(
        "level: 科室\n",
        "level: 科室\nid: CWK-02\n",
        1,
    );
    std::fs::write(&other, &other_text).unwrap();
    gongshi(&root, &["fmt", "content/2025/caiwu/cwk-02.md"]).exit(0);
    assert_eq!(read(&point), swapped);
    assert_ne!(read(&other), other_text);
}

/// Pieces of Markdown that clerks write and that the two parsers (comrak, pulldown-cmark) are
/// most likely to disagree on: CJK punctuation next to emphasis, brackets, escapes, lists
/// with different bullets, tables, footnotes, HTML, flow blocks.
const BODY_PIECES: &[&str] = &[
    "## 表现形式",
    "标题\n====",
    "- 第一条；\n- 第二条。",
    "* 星号列表\n+ 加号列表",
    "1. 第一\n2. 第二",
    "1) 括号编号",
    "**三个层次**：岗位、科室、单位",
    "“*强调*”与_下划线_和 __粗体__",
    "赣市卫 2022[23]号，[链接](http://intranet/a)与 [^1]",
    "[^1]: 脚注内容",
    "反斜杠 \\* 与 \\_ 与 \\\\ 与 a\\b",
    "| 岗位 | 等级 |\n|:--|--:|\n| 出纳 | 一级 |",
    "- [ ] 待办\n- [x] 已办",
    "~~删去~~ 与 ~单波浪~",
    "<!-- 备注 -->",
    "<span>行内 HTML</span>",
    "    缩进代码",
    "```\n普通代码 *不是强调*\n```",
    "```flow\nflowchart TD\n  A[开始] --> B{判断 @CWK-01}\n```",
    "~~~ mermaid\ngraph LR\n  A --- B\n~~~",
    "> 引用\n> 第二行",
    "行末两个空格  \n硬换行",
    "---",
    "第一行\n第二行紧接",
    "",
];

#[test]
fn fmt_never_changes_meaning_and_is_idempotent_on_random_files() {
    use gongshi::authoring::fmt::{Role, format_text};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let keys = [
        "id: RND-01",
        "title: 随机",
        "level: 岗位",
        "post: 出纳",
        "grade: B # 别名",
        "# 独立的注释\nowner: 张某",
        "measures:\n  前期预防:\n    - 双人复核\n  # 缩进注释\n  中期监控: [抽查]",
        "review: {submitted: 2022-05-25}",
        "zz_unknown: 1",
    ];
    let strategy = (
        Just(keys.to_vec()).prop_shuffle(),
        proptest::collection::vec(proptest::sample::select(BODY_PIECES), 0..8),
        proptest::sample::select(&["\n\n", "\n"][..]),
        any::<bool>(),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    runner
        .run(&strategy, |(keys, pieces, joiner, crlf_ends, bom)| {
            let mut text = format!("---\n{}\n---\n{}\n", keys.join("\n"), pieces.join(joiner));
            if crlf_ends {
                text = crlf(&text);
            }
            if bom {
                text.insert(0, '\u{feff}');
            }
            let once = format_text(&text, Role::Point).expect("a valid file formats");
            let twice = format_text(&once.text, Role::Point).expect("formats again");
            prop_assert_eq!(&twice.text, &once.text, "idempotent");
            prop_assert_eq!(front_matter_lines(&text), front_matter_lines(&once.text));
            let body = |t: &str| {
                let t = t.trim_start_matches('\u{feff}').replace("\r\n", "\n");
                t.splitn(3, "---\n").nth(2).unwrap_or("").to_string()
            };
            prop_assert_eq!(published(&body(&text)), published(&body(&once.text)));
            prop_assert_eq!(
                text.starts_with('\u{feff}'),
                once.text.starts_with('\u{feff}')
            );
            prop_assert_eq!(
                once.text.matches('\n').count() == once.text.matches("\r\n").count(),
                crlf_ends
            );
            Ok(())
        })
        .unwrap();
}

/// Regression: `fmt` named the files it formatted on stderr (`已格式化 …`) although paths a
/// command changes go to stdout, one per line, as `new` and `fmt --check` print them; and it
/// replaced a symlinked content file by a regular file. The sentence stays on stderr.
#[test]
fn fmt_prints_changed_paths_on_stdout_and_writes_through_links() {
    let (_tmp, root) = init_site();
    let point = fixture("messy-point.md");
    let caiwu = root.join("content/2025/caiwu");
    write(&caiwu.join("fmt-01.md"), &point);
    let shared = root.join("shared");
    write(
        &shared.join("fmt-02.md"),
        &point.replace("id: FMT-01", "id: FMT-02"),
    );
    std::os::unix::fs::symlink(shared.join("fmt-02.md"), caiwu.join("fmt-02.md")).unwrap();
    let expected = [
        "content/2025/caiwu/fmt-01.md",
        "content/2025/caiwu/fmt-02.md",
    ];

    let run = gongshi(&root, &["fmt", "--check"]);
    let run = run.exit(1);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);

    let run = gongshi(&root, &["fmt"]);
    let run = run.exit(0).stderr_has("2 个已格式化");
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), expected);
    assert!(!run.stderr.contains("fmt-01.md"), "{}", run.stderr);

    let link = caiwu.join("fmt-02.md");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(
        read(&shared.join("fmt-02.md")),
        read(&caiwu.join("fmt-01.md")).replace("id: FMT-01", "id: FMT-02")
    );
    assert_eq!(
        std::fs::read_dir(&shared).unwrap().count(),
        1,
        "nothing left beside the target"
    );
    let run = gongshi(&root, &["fmt", "-q"]);
    let run = run.exit(0);
    assert_eq!(run.stdout, "", "a second run changes nothing");
}
