//! The authoring commands end to end, on temporary folders: `init`, `new risk|dept|year`,
//! `fmt` (idempotent, meaning-preserving, comments and flow diagrams untouched) and
//! `check --fix` (the alias and the missing grade, and not one byte more).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use gongshi::content::risk::KEYS as RISK_KEYS;
use gongshi::site::Site;
use tempfile::TempDir;

/// The date every command of these tests sees as today.
const TODAY: &str = "2025-05-30";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }
}

fn gongshi_on(dir: &Path, today: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .current_dir(dir)
        .env("GONGSHI_TODAY", today)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("gongshi runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn gongshi(dir: &Path, args: &[&str]) -> Run {
    gongshi_on(dir, TODAY, args)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    read(&manifest_dir().join("tests/fixtures/authoring").join(name))
}

/// A copy of the example site (content/ and site.yaml).
fn example_site() -> TempDir {
    let dir = TempDir::new().unwrap();
    copy_dir(&manifest_dir().join("content"), &dir.path().join("content"));
    std::fs::copy(
        manifest_dir().join("site.yaml"),
        dir.path().join("site.yaml"),
    )
    .unwrap();
    dir
}

/// A fresh site from `init`, in `<tmp>/site`.
fn init_site() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    gongshi(tmp.path(), &["init", "site", "--name", "测试医院"]).code(0);
    let root = tmp.path().join("site");
    (tmp, root)
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Replaces one whole line (`from`, without its line end) by `to`, which must occur once.
fn set_line(path: &Path, from: &str, to: &str) {
    let text = read(path);
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(
        lines.iter().filter(|l| **l == from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    let replaced: Vec<&str> = lines
        .iter()
        .map(|l| if *l == from { to } else { l })
        .collect();
    std::fs::write(path, replaced.join("\n")).unwrap();
}

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_creates_a_site_that_checks_clean_builds_and_is_already_formatted() {
    let (_tmp, root) = init_site();
    let year = root.join("content/2025");
    for file in [
        "_index.md",
        "caiwu/_index.md",
        "caiwu/cwk-01.md",
        "caiwu/cwk-02.md",
        "unit/dw-01.md",
    ] {
        assert!(year.join(file).is_file(), "{file}");
    }
    // The plan's phases, moved to the year of today.
    let index = read(&year.join("_index.md"));
    assert!(
        index.contains("{name: 组织实施, start: 2025-05-21, end: 2025-06-25}"),
        "{index}"
    );
    assert!(read(&root.join("site.yaml")).contains("name: 测试医院"));
    assert!(read(&root.join("content/README.md")).contains("gongshi new risk"));

    gongshi(&root, &["check"]).code(0).stderr_has(
        "检查了 3 个风险点（岗位 1、科室 1、单位 1；一级 1、二级 1、三级 1）：0 个错误，0 个警告",
    );
    gongshi(&root, &["build"]).code(0);
    let home = read(&root.join("output/index.html"));
    assert!(home.contains("测试医院"), "{home}");
    let built = files(&root.join("output"));
    let all: String = built
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for title in ["报销单据审核把关不严", "大额资金使用不经集体研究决定"] {
        assert!(all.contains(title), "{title} is published");
    }
    gongshi(&root, &["fmt", "--check"]).code(0);
}

#[test]
fn init_refuses_a_folder_that_is_already_a_site() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("site.yaml"), "name: 已有站点\n");
    write(&tmp.path().join("content/README.md"), "旧说明\n");
    let before = files(tmp.path());
    gongshi(tmp.path(), &["init"])
        .code(2)
        .stderr_has("不会覆盖");
    assert_eq!(files(tmp.path()), before);
}

#[test]
fn init_refuses_to_overwrite_any_file_and_writes_none() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("content/README.md"), "我们自己的说明\n");
    let before = files(tmp.path());
    gongshi(tmp.path(), &["init"])
        .code(2)
        .stderr_has("已经存在");
    assert_eq!(files(tmp.path()), before, "nothing written");
}

// ---------------------------------------------------------------------------------------------
// new

#[test]
fn init_new_fill_check_build_round_trip() {
    let (_tmp, root) = init_site();
    let year = root.join("content/2025");
    let run = gongshi(
        &root,
        &[
            "new",
            "dept",
            "bangong",
            "--name",
            "办公室",
            "--head",
            "孙某红",
            "--liaison",
            "钱某兰",
        ],
    );
    run.code(0).stderr_has("oversees");
    assert_eq!(run.stdout.trim(), "content/2025/bangong/_index.md");

    let run = gongshi(
        &root,
        &[
            "new",
            "risk",
            "--dept",
            "bangong",
            "--level",
            "科室",
            "--title",
            "公章使用: 登记不全",
        ],
    );
    assert_eq!(
        run.code(0).stdout.trim(),
        "content/2025/bangong/bangong-01.md"
    );
    let run = gongshi(
        &root,
        &["new", "risk", "--dept", "caiwu", "--level", "岗位"],
    );
    assert_eq!(run.code(0).stdout.trim(), "content/2025/caiwu/cwk-03.md");

    // Unfilled, check points at the placeholders.
    let run = gongshi(&root, &["check", "--format", "json"]);
    run.code(1);
    let diags: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let missing: Vec<(String, u64)> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "missing-field")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let post = read(&year.join("caiwu/cwk-03.md"));
    let line_of =
        |text: &str, key: &str| text.lines().position(|l| l.starts_with(key)).unwrap() as u64 + 1;
    for key in ["title:", "post:", "holder:", "owner:", "supervisor:"] {
        let expected = (
            "content/2025/caiwu/cwk-03.md".to_string(),
            line_of(&post, key),
        );
        assert!(missing.contains(&expected), "{key} flagged: {missing:?}");
    }
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["rule"] != "yaml-syntax" && d["rule"] != "unknown-field"),
        "templates are valid and use only known keys: {diags}"
    );

    // The clerk fills the placeholders.
    let fill = |file: &Path, values: &[(&str, &str)]| {
        for (from, to) in values {
            set_line(file, from, to);
        }
    };
    fill(
        &year.join("bangong/bangong-01.md"),
        &[
            ("category:", "category: 制度机制风险"),
            ("likelihood:", "likelihood: 较高"),
            ("impact:", "impact: 较重"),
            ("owner:", "owner: 孙某红"),
            ("supervisor:", "supervisor: 李某华"),
            ("  前期预防:", "  前期预防:\n    - 用印实行登记审批"),
            (
                "  中期监控:",
                "  中期监控:\n    - 办公室主任每月核对用印登记",
            ),
            ("  dept:", "  dept: 2025-06-02"),
            ("  office:", "  office: 2025-06-20"),
        ],
    );
    fill(
        &year.join("caiwu/cwk-03.md"),
        &[
            ("title:", "title: 票据保管不善"),
            ("post:", "post: 会计"),
            ("holder:", "holder: 吴某"),
            ("category:", "category: 岗位职责风险"),
            ("likelihood:", "likelihood: 较小"),
            ("impact:", "impact: 一般"),
            ("owner:", "owner: 吴某"),
            ("supervisor:", "supervisor: 陈某平"),
            (
                "  前期预防:",
                "  前期预防:\n    - 空白票据专柜存放、领用登记",
            ),
            ("  dept:", "  dept: 2025-06-03"),
            ("scope:", "scope: 全院"),
        ],
    );
    set_line(
        &year.join("_index.md"),
        "      oversees: [caiwu]",
        "      oversees: [caiwu, bangong]",
    );

    gongshi(&root, &["check"]).code(0).stderr_has(
        "检查了 5 个风险点（岗位 2、科室 2、单位 1；一级 1、二级 2、三级 2）：0 个错误，0 个警告",
    );
    gongshi(&root, &["build"]).code(0);
    let built: String = files(&root.join("output"))
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for title in ["公章使用: 登记不全", "票据保管不善"] {
        assert!(built.contains(title), "{title} is published");
    }
}

#[test]
fn new_risk_takes_the_next_id_of_its_folder_and_today_as_submitted() {
    let site = example_site();
    let root = site.path();
    let run = gongshi_on(
        root,
        "2022-06-01",
        &["new", "risk", "--dept", "caiwu", "--level", "岗位"],
    );
    assert_eq!(run.code(0).stdout.trim(), "content/2022/caiwu/cwk-08.md");
    let text = read(&root.join("content/2022/caiwu/cwk-08.md"));
    assert!(text.contains("\nid: CWK-08\n"));
    assert!(text.contains("\n  submitted: 2022-06-01\n"));
    assert!(text.contains("\nlevel: 岗位\n"));
    // Every key of SPEC section 4 is there, as a key or (when the level forbids it) explained.
    for key in RISK_KEYS {
        assert!(
            text.contains(&format!("\n{key}:")) || text.contains(&format!("# （{key}")),
            "{key}"
        );
    }
    // Every key line has a Chinese comment right above it.
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if RISK_KEYS.iter().any(|k| line.starts_with(&format!("{k}:"))) {
            assert!(lines[i - 1].starts_with('#'), "comment above {line}");
        }
    }

    let run = gongshi_on(
        root,
        "2022-06-01",
        &["new", "risk", "--level", "单位", "--title", "新的单位风险"],
    );
    assert_eq!(run.code(0).stdout.trim(), "content/2022/unit/dw-09.md");
    assert!(read(&root.join("content/2022/unit/dw-09.md")).contains("\ntitle: 新的单位风险\n"));

    gongshi_on(
        root,
        "2022-06-01",
        &["new", "dept", "waike", "--name", "外科"],
    )
    .code(0);
    let run = gongshi_on(
        root,
        "2022-06-01",
        &["new", "risk", "--dept", "waike", "--level", "科室"],
    );
    assert_eq!(run.code(0).stdout.trim(), "content/2022/waike/waike-01.md");

    // A folder with no department is refused with a Chinese message.
    gongshi(root, &["new", "risk", "--dept", "nope", "--level", "岗位"])
        .code(2)
        .stderr_has("没有科室“nope”");
    gongshi(root, &["new", "risk", "--level", "科室"])
        .code(2)
        .stderr_has("--dept");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = example_site();
    let root = site.path();
    let before = files(root);
    gongshi(root, &["new", "dept", "caiwu", "--name", "财务科"])
        .code(2)
        .stderr_has("已经存在，不会覆盖");
    gongshi(root, &["new", "year", "2022"])
        .code(2)
        .stderr_has("已经存在，不会覆盖");
    gongshi(
        root,
        &[
            "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "CWK-03",
        ],
    )
    .code(2)
    .stderr_has("已被使用");
    // A file that only has the id's name (it does not even parse) still holds the id.
    write(&root.join("content/2022/caiwu/cwk-42.md"), "草稿\n");
    gongshi(
        root,
        &[
            "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "cwk-42",
        ],
    )
    .code(2)
    .stderr_has("已被使用");
    std::fs::remove_file(root.join("content/2022/caiwu/cwk-42.md")).unwrap();
    assert_eq!(files(root), before, "nothing changed");
}

#[test]
fn new_year_is_an_empty_skeleton_that_check_flags() {
    let (_tmp, root) = init_site();
    let run = gongshi(&root, &["new", "year", "2026"]);
    run.code(0);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        ["content/2026/_index.md", "content/2026/unit"]
    );
    assert!(root.join("content/2026/unit").is_dir());
    let text = read(&root.join("content/2026/_index.md"));
    for expected in [
        "title: 2026年度风险岗位廉能管理工作公示",
        "start: 2026-07-06",
        "{name: 动员部署, start: 2026-05-10, end: 2026-05-20}",
        "{name: 强化评估考核, start: 2026-07-06, end: 2026-07-15}",
    ] {
        assert!(text.contains(expected), "{expected}");
    }
    assert_eq!(
        std::fs::read_dir(root.join("content/2026"))
            .unwrap()
            .count(),
        2,
        "nothing copied"
    );
    let run = gongshi(&root, &["check", "--year", "2026", "--format", "json"]);
    run.code(1);
    let diags: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.iter().all(|r| *r == "missing-field"), "{rules:?}");
    assert!(run.stdout.contains("`principal`"));
}

// ---------------------------------------------------------------------------------------------
// fmt

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

    gongshi(root, &["fmt", "--check"]).code(1);
    assert_eq!(
        files(&root.join("content")),
        before,
        "--check writes nothing"
    );
    gongshi(root, &["fmt"]).code(0);
    let once = files(&root.join("content"));
    assert_same_meaning(
        &[meaning(root, 2022), meaning(root, 2023)].concat(),
        &before_meaning.concat(),
    );

    gongshi(root, &["fmt"]).code(0);
    assert_eq!(
        files(&root.join("content")),
        once,
        "formatting twice changes nothing"
    );
    gongshi(root, &["fmt", "--check"]).code(0);

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
    gongshi(&root, &["fmt", "--check"]).code(0);
    let point = root.join("content/2025/caiwu/cwk-01.md");
    let text = read(&point);
    let swapped = text.replacen("id: CWK-01\n", "", 1).replacen(
        "level: 岗位\n",
        "level: 岗位\nid: CWK-01\n",
        1,
    );
    std::fs::write(&point, &swapped).unwrap();

    let run = gongshi(&root, &["fmt", "--check"]);
    run.code(1);
    assert_eq!(run.stdout.trim(), "content/2025/caiwu/cwk-01.md");
    assert_eq!(read(&point), swapped, "--check writes nothing");

    let broken = root.join("content/2025/caiwu/fmt-03.md");
    write(&broken, &fixture("broken.md"));
    gongshi(&root, &["fmt"])
        .code(1)
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
        .code(1)
        .stderr_has("无法解析");
    std::fs::remove_file(&broken).unwrap();
    gongshi(&root, &["fmt", "--check"]).code(0);

    // A PATH limits the run to that file.
    std::fs::write(&point, &swapped).unwrap();
    let other = root.join("content/2025/caiwu/cwk-02.md");
    let other_text = read(&other).replacen("id: CWK-02\n", "", 1).replacen(
        "level: 科室\n",
        "level: 科室\nid: CWK-02\n",
        1,
    );
    std::fs::write(&other, &other_text).unwrap();
    gongshi(&root, &["fmt", "content/2025/caiwu/cwk-02.md"]).code(0);
    assert_eq!(read(&point), swapped);
    assert_ne!(read(&other), other_text);
}

// ---------------------------------------------------------------------------------------------
// check --fix

#[test]
fn check_fix_changes_exactly_the_alias_and_the_missing_grade() {
    let (_tmp, root) = init_site();
    let year = root.join("content/2025");
    let pristine = files(&root);

    set_line(&year.join("caiwu/cwk-01.md"), "grade: 三级", "grade: C");
    set_line(&year.join("unit/dw-01.md"), "grade: 一级", "grade: \"1级\"");
    // cwk-02: no grade at all (the key and its two comment lines), and CRLF line ends.
    let cwk02 = read(&year.join("caiwu/cwk-02.md"));
    let without: String = cwk02
        .split_inclusive('\n')
        .filter(|l| {
            !l.starts_with("grade:") && !l.starts_with("# 风险等级") && !l.starts_with("# 可以从严")
        })
        .collect();
    assert_eq!(without.lines().count() + 3, cwk02.lines().count());
    std::fs::write(year.join("caiwu/cwk-02.md"), crlf(&without)).unwrap();
    let edited = files(&root);

    let run = gongshi(&root, &["check", "--fix"]);
    run.code(0)
        .stderr_has("content/2025/caiwu/cwk-01.md:22：grade: C → 三级")
        .stderr_has("content/2025/unit/dw-01.md:19：grade: \"1级\" → 一级")
        .stderr_has("content/2025/caiwu/cwk-02.md:")
        .stderr_has("补上 grade: 二级")
        .stderr_has("0 个错误，0 个警告");
    let fixed = files(&root);
    for (file, bytes) in &fixed {
        match file.as_str() {
            "content/2025/caiwu/cwk-01.md" | "content/2025/unit/dw-01.md" => {
                assert_eq!(
                    bytes, &pristine[file],
                    "{file}: back to the canonical name, nothing else"
                )
            }
            "content/2025/caiwu/cwk-02.md" => {
                let expected = crlf(&without.replacen("# 直接负责", "grade: 二级\n# 直接负责", 1));
                assert_eq!(String::from_utf8_lossy(bytes), expected);
            }
            _ => assert_eq!(bytes, &edited[file], "{file} untouched"),
        }
    }
    gongshi(&root, &["check", "--fix"])
        .code(0)
        .stderr_has("没有可以自动修改的问题");
    assert_eq!(files(&root), fixed);
}

#[test]
fn check_fix_on_the_examples_touches_only_grade_lines() {
    let site = example_site();
    let root = site.path();
    let before = files(root);
    let plain = gongshi(root, &["check"]);
    let run = gongshi(root, &["check", "--fix"]);
    run.code(plain.code)
        .stderr_has("→ 三级")
        .stderr_has("补上 grade:");
    let after = files(root);
    let mut changed = 0;
    for (file, old) in &before {
        let (old, new) = (
            String::from_utf8_lossy(old),
            String::from_utf8_lossy(&after[file]),
        );
        if old == new {
            continue;
        }
        changed += 1;
        let old_lines: Vec<&str> = old.lines().collect();
        let new_lines: Vec<&str> = new.lines().collect();
        if old_lines.len() == new_lines.len() {
            let diff: Vec<(&&str, &&str)> = old_lines
                .iter()
                .zip(&new_lines)
                .filter(|(a, b)| a != b)
                .collect();
            assert_eq!(diff.len(), 1, "{file}");
            assert!(
                diff[0].0.starts_with("grade:") && diff[0].1.starts_with("grade:"),
                "{file}: {diff:?}"
            );
        } else {
            let added: Vec<&&str> = new_lines
                .iter()
                .filter(|l| l.starts_with("grade:"))
                .collect();
            assert_eq!(added.len(), 1, "{file}");
            let without: Vec<&str> = new_lines
                .iter()
                .copied()
                .filter(|l| !l.starts_with("grade:"))
                .collect();
            assert_eq!(without, old_lines, "{file}: only the grade line added");
        }
    }
    assert!(
        changed >= 2,
        "the examples hold an alias and missing grades"
    );
    assert_eq!(files(root), after);
}
