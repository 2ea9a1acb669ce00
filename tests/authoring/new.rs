//! `gongshi new risk|dept|year`: ids, templates, placeholders that check flags, and the
//! round trip init → new → fill → check → build.

use std::path::Path;

use gongshi::content::risk::KEYS as RISK_KEYS;

use super::*;

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
    let run = run.exit(0).stderr_has("oversees");
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
        run.exit(0).stdout.trim(),
        "content/2025/bangong/bangong-01.md"
    );
    let run = gongshi(
        &root,
        &["new", "risk", "--dept", "caiwu", "--level", "岗位"],
    );
    assert_eq!(run.exit(0).stdout.trim(), "content/2025/caiwu/cwk-03.md");

    // Unfilled, check points at the placeholders.
    let run = gongshi(&root, &["check", "--format", "json"]);
    let run = run.exit(1);
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

    gongshi(&root, &["check"]).exit(0).stderr_has(
        "检查了 5 个风险点（岗位 2、科室 2、单位 1；一级 1、二级 2、三级 2）：0 个错误，0 个警告",
    );
    gongshi(&root, &["build"]).exit(0);
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
    assert_eq!(run.exit(0).stdout.trim(), "content/2022/caiwu/cwk-08.md");
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
    assert_eq!(run.exit(0).stdout.trim(), "content/2022/unit/dw-10.md");
    assert!(read(&root.join("content/2022/unit/dw-10.md")).contains("\ntitle: 新的单位风险\n"));

    gongshi_on(
        root,
        "2022-06-01",
        &["new", "dept", "waike", "--name", "外科"],
    )
    .exit(0);
    let run = gongshi_on(
        root,
        "2022-06-01",
        &["new", "risk", "--dept", "waike", "--level", "科室"],
    );
    assert_eq!(run.exit(0).stdout.trim(), "content/2022/waike/waike-01.md");

    // A folder with no department is refused with a Chinese message.
    gongshi(root, &["new", "risk", "--dept", "nope", "--level", "岗位"])
        .exit(2)
        .stderr_has("没有科室“nope”");
    gongshi(root, &["new", "risk", "--level", "科室"])
        .exit(2)
        .stderr_has("--dept");
}

#[test]
fn new_refuses_to_overwrite() {
    let site = example_site();
    let root = site.path();
    let before = files(root);
    gongshi(root, &["new", "dept", "caiwu", "--name", "财务科"])
        .exit(2)
        .stderr_has("已经存在，不会覆盖");
    gongshi(root, &["new", "year", "2022"])
        .exit(2)
        .stderr_has("已经存在，不会覆盖");
    gongshi(
        root,
        &[
            "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "CWK-03",
        ],
    )
    .exit(2)
    .stderr_has("已被使用");
    // A file that only has the id's name (it does not even parse) still holds the id.
    write(&root.join("content/2022/caiwu/cwk-42.md"), "草稿\n");
    gongshi(
        root,
        &[
            "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "cwk-42",
        ],
    )
    .exit(2)
    .stderr_has("已被使用");
    std::fs::remove_file(root.join("content/2022/caiwu/cwk-42.md")).unwrap();
    assert_eq!(files(root), before, "nothing changed");
}

#[test]
fn new_year_is_an_empty_skeleton_that_check_flags() {
    let (_tmp, root) = init_site();
    let run = gongshi(&root, &["new", "year", "2026"]);
    let run = run.exit(0);
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
    let run = run.exit(1);
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

/// Regression: `new dept forms` created a department whose pages the notice's own `forms/`
/// overwrote (and `new risk --id index` a point that replaced the department's page).
#[test]
fn new_refuses_reserved_slugs_and_ids() {
    let site = example_site();
    let root = site.path();
    let before = files(root);
    for slug in ["forms", "static", "Search"] {
        gongshi(root, &["new", "dept", slug, "--name", "某科"])
            .exit(2)
            .stderr_has("保留名称");
    }
    gongshi(
        root,
        &[
            "new", "risk", "--dept", "caiwu", "--level", "科室", "--id", "index",
        ],
    )
    .exit(2)
    .stderr_has("保留名称");
    assert_eq!(files(root), before, "nothing changed");
}

/// Regression: `new` took the newest year folder while `check` and `build` take the newest that
/// is not archived (SPEC section 2), so a new file went into a year that was never checked.
#[test]
fn new_writes_into_the_year_that_check_takes() {
    let (_tmp, root) = init_site();
    gongshi(&root, &["new", "year", "2026"]).exit(0);
    std::fs::create_dir_all(root.join("archive/2026")).unwrap();
    let checked = gongshi(&root, &["check"]);
    assert!(checked.stderr.contains("2025 年度"), "{}", checked.stderr);
    let run = gongshi(&root, &["new", "dept", "waike", "--name", "外科"]);
    assert_eq!(run.exit(0).stdout.trim(), "content/2025/waike/_index.md");
    let run = gongshi(&root, &["new", "risk", "--level", "单位"]).exit(0);
    assert!(
        run.stdout.trim().starts_with("content/2025/unit/"),
        "{}",
        run.stdout
    );
}

/// Regression: a `current_year` naming no folder said only “没有 2030 年度”, not where 2030 came
/// from. Every command that picks the year now names site.yaml and current_year.
#[test]
fn a_current_year_without_its_folder_names_site_yaml() {
    let (_tmp, root) = init_site();
    let site_yaml = root.join("site.yaml");
    let text = read(&site_yaml).replace("# current_year: 2025", "current_year: 2030");
    write(&site_yaml, &text);
    for args in [
        &["check"][..],
        &["build"][..],
        &["new", "dept", "waike", "--name", "外科"][..],
    ] {
        gongshi(&root, args)
            .exit(2)
            .stderr_has("site.yaml 的 current_year 是 2030")
            .stderr_has("content/2030/ 不存在");
    }
}

/// Regression: `new risk --year 2023` stamped today's date (in 2025) as `submitted`, which
/// failed `review-order` against 2023's notice period. A date outside the year's 组织实施
/// phase is left for the clerk to fill in, and the terminal says why.
#[test]
fn new_risk_for_another_year_leaves_submitted_empty() {
    let (_tmp, root) = init_site();
    gongshi(&root, &["new", "year", "2023"]).exit(0);
    let run = gongshi(&root, &["new", "risk", "--year", "2023", "--level", "单位"]).exit(0);
    assert_eq!(run.stdout.trim(), "content/2023/unit/dw-01.md");
    let text = read(&root.join("content/2023/unit/dw-01.md"));
    assert!(text.contains("\n  submitted:\n"), "{text}");
    // The comment names the window the date belongs in.
    assert!(
        text.contains("# 填报日期（在 2023 年度组织实施阶段 2023-05-21 至 2023-06-25 之内）"),
        "{text}"
    );
    let stderr = &run.stderr;
    assert!(
        stderr.contains(
            "今天（2025-05-30）不在 2023 年度组织实施阶段（2023-05-21 至 2023-06-25）之内"
        ),
        "{stderr}"
    );
    let run = gongshi(&root, &["check", "--year", "2023", "--format", "json"]);
    assert!(!run.stdout.contains("review-order"), "{}", run.stdout);

    // Inside this year's phase, today is written.
    let run = gongshi(&root, &["new", "risk", "--level", "单位"]).exit(0);
    let text = read(&root.join(run.stdout.trim()));
    assert!(
        text.contains(&format!("\n  submitted: {TODAY}\n")),
        "{text}"
    );
    assert!(!run.stderr.contains("留空"), "{}", run.stderr);
}

/// The last day of the phase is still inside it; the day after is not (`late` would warn).
#[test]
fn new_risk_on_the_phases_last_day_and_the_day_after() {
    let (_tmp, root) = init_site();
    let run = gongshi_on(&root, "2025-06-25", &["new", "risk", "--level", "单位"]).exit(0);
    assert!(read(&root.join(run.stdout.trim())).contains("\n  submitted: 2025-06-25\n"));
    let run = gongshi_on(&root, "2025-06-26", &["new", "risk", "--level", "单位"]).exit(0);
    assert!(read(&root.join(run.stdout.trim())).contains("\n  submitted:\n"));
    assert!(run.stderr.contains("late 警告"), "{}", run.stderr);
}
