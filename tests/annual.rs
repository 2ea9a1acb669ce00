//! The annual cycle: archive, verify, carry, diff, the 较上年变化 page and the ledger export,
//! each run through the real binary on a temporary copy of the example site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};
use serde_json::Value;

use crate::harness::{Gongshi, Run};

/// A temporary copy of the repository's example site (`site.yaml` + `content/`).
struct TempSite {
    dir: tempfile::TempDir,
}

impl TempSite {
    fn example() -> TempSite {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        gongshi::build::copy_dir(&repo.join("content"), &dir.path().join("content")).unwrap();
        TempSite { dir }
    }

    /// A copy of this site (with whatever has been done to it), to tamper with separately.
    fn copy(&self) -> TempSite {
        let dir = tempfile::tempdir().unwrap();
        gongshi::build::copy_dir(self.root(), dir.path()).unwrap();
        TempSite { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// `gongshi --root <site> ARGS`, through the harness's runner.
    #[track_caller]
    fn run(&self, args: &[&str]) -> Run {
        Gongshi::new()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .run()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces `from` (which must be present) by `to` in a file.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Every file under `rel`, by relative path, with its bytes.
    fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        crate::support::files::read_tree(&self.path(rel))
    }
}

/// A site whose 2022 notice is archived.
fn archived() -> TempSite {
    let site = TempSite::example();
    site.run(&["archive", "2022"]).succeeds();
    site
}

const POINTS_2022: usize = 67;

#[test]
fn archive_writes_the_years_build_with_a_manifest_and_verify_passes() {
    let site = archived();
    let archive = site.tree("archive/2022");

    // The archive is what a build writes under output/2022, plus archive.json and the manifest.
    site.run(&["build", "--year", "2022", "-q"]).succeeds();
    let mut built = site.tree("output/2022");
    let mut frozen = archive.clone();
    let info: Value = serde_json::from_slice(&frozen.remove("archive.json").unwrap()).unwrap();
    let manifest = String::from_utf8(frozen.remove("MANIFEST.sha256").unwrap()).unwrap();
    assert_eq!(
        frozen.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &frozen {
        assert!(
            built.remove(path).as_ref() == Some(bytes),
            "{path} differs from the build"
        );
    }

    assert_eq!(info["year"], 2022);
    assert_eq!(info["scope"], "全院");
    assert_eq!(info["gongshi_version"], env!("CARGO_PKG_VERSION"));
    let pages = archive.keys().filter(|p| p.ends_with(".html")).count();
    assert_eq!(info["pages"], pages);
    assert_eq!(info["files"], archive.len() - 1);
    let date = info["archived_on"].as_str().unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{date}"
    );

    // Manifest: every file but itself, sorted, `HASH  path`, archive.json included.
    let paths: Vec<&str> = manifest
        .lines()
        .map(|l| {
            let (hash, path) = l.split_once("  ").unwrap();
            assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
            path
        })
        .collect();
    let mut expected: Vec<&str> = archive
        .keys()
        .map(String::as_str)
        .filter(|p| *p != "MANIFEST.sha256")
        .collect();
    expected.sort_unstable();
    assert_eq!(paths, expected);
    assert!(paths.contains(&"archive.json"));

    let run = site.run(&["verify"]).succeeds();
    assert!(run.stdout.contains("archive/2022：完好"), "{run:?}");
}

#[test]
fn verify_names_a_changed_a_removed_and_an_added_file() {
    let site = archived();
    type Tamper = fn(&TempSite);
    let cases: [(&str, Tamper, &str); 4] = [
        (
            "one changed byte",
            |s| {
                let path = s.path("archive/2022/caiwu/CWK-01.html");
                let mut bytes = std::fs::read(&path).unwrap();
                let i = bytes.len() / 2;
                bytes[i] ^= 0x01;
                std::fs::write(path, bytes).unwrap();
            },
            "改动  archive/2022/caiwu/CWK-01.html",
        ),
        (
            "a removed file",
            |s| std::fs::remove_file(s.path("archive/2022/ledger.csv")).unwrap(),
            "缺失  archive/2022/ledger.csv",
        ),
        (
            "an added file",
            |s| s.write("archive/2022/forms/extra.html", "<p>后加的</p>"),
            "多出  archive/2022/forms/extra.html",
        ),
        (
            "a changed archive.json",
            |s| {
                s.edit(
                    "archive/2022/archive.json",
                    "\"year\": 2022",
                    "\"year\": 2021",
                )
            },
            "改动  archive/2022/archive.json",
        ),
    ];
    for (what, tamper, expected) in cases {
        let copy = site.copy();
        tamper(&copy);
        let run = copy.run(&["verify"]);
        assert_eq!(run.code, Some(1), "{what}: {run:?}");
        assert!(run.stdout.contains(expected), "{what}: {run:?}");
        assert_eq!(
            run.stdout.lines().filter(|l| l.starts_with("  ")).count(),
            1,
            "{what}: only the one file is named\n{}",
            run.stdout
        );
    }
}

#[test]
fn verify_fails_without_a_manifest() {
    let site = archived();
    std::fs::remove_file(site.path("archive/2022/MANIFEST.sha256")).unwrap();
    let run = site.run(&["verify"]).exit(1);
    assert!(run.stdout.contains("缺少 MANIFEST.sha256"), "{run:?}");
}

/// Regression: verify stopped at the first archive with an unreadable file (exit 2) and never
/// reported the others. Each archive is reported, the unreadable file by name, and verify
/// exits 1. As root nothing is unreadable by permission, so the unreadable file is a link that
/// points nowhere and the unreadable manifest a folder and such a link (links in an archive
/// are never followed: issue 15).
#[test]
fn verify_reports_unreadable_files_and_goes_on_with_the_other_archives() {
    let site = archived();
    for year in ["2019", "2020", "2021"] {
        gongshi::build::copy_dir(
            &site.path("archive/2022"),
            &site.path(&format!("archive/{year}")),
        )
        .unwrap();
    }
    std::fs::remove_file(site.path("archive/2019/MANIFEST.sha256")).unwrap();
    std::fs::create_dir(site.path("archive/2019/MANIFEST.sha256")).unwrap();
    std::fs::remove_file(site.path("archive/2020/MANIFEST.sha256")).unwrap();
    std::os::unix::fs::symlink("nowhere", site.path("archive/2020/MANIFEST.sha256")).unwrap();
    std::fs::remove_file(site.path("archive/2021/ledger.csv")).unwrap();
    std::os::unix::fs::symlink("nowhere", site.path("archive/2021/ledger.csv")).unwrap();
    let run = site.run(&["verify"]).exit(1);
    let out = format!("{}{}", run.stdout, run.stderr);
    for expected in [
        "archive/2019：与清单不一致\n  MANIFEST.sha256 不是文件",
        "archive/2020：与清单不一致\n  MANIFEST.sha256 是符号链接，未读取",
        "archive/2021：与清单不一致\n  无法读取  archive/2021/ledger.csv",
        "archive/2022：完好",
        "核对了 4 个归档：3 个与清单不一致",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    assert!(!out.contains("缺失  archive/2021/ledger.csv"), "{out}");
}

/// Regression: `diff --help` described `--format` with check's values (a JSON array of
/// `{rule…}` diagnostics), which is not what diff prints.
#[test]
fn diff_help_describes_diffs_own_formats() {
    let site = TempSite::example();
    let help = site.run(&["diff", "--help"]).succeeds().stdout;
    assert!(
        help.contains("JSON 对象：{from, to, added, removed, changed, unchanged}"),
        "{help}"
    );
    assert!(help.contains("每项变化一行"), "{help}");
    assert!(!help.contains("rule"), "{help}");
    let check_help = site.run(&["check", "--help"]).succeeds().stdout;
    assert!(check_help.contains("{rule, severity"), "{check_help}");
}

#[test]
fn sha256sum_accepts_the_manifest() {
    let available = Command::new("sha256sum")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("sha256sum not installed: skipping the external check");
        return;
    }
    let site = archived();
    let check = |site: &TempSite| {
        Command::new("sha256sum")
            .args(["-c", "--strict", "--quiet", "MANIFEST.sha256"])
            .current_dir(site.path("archive/2022"))
            .output()
            .unwrap()
    };
    let out = check(&site);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    site.edit("archive/2022/index.html", "<h1>", "<h1>改");
    let out = check(&site);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("index.html: FAILED"));
}

#[test]
fn archiving_twice_without_force_refuses_and_keeps_the_archive() {
    let site = archived();
    let before = site.tree("archive/2022");
    // A content change that would show in a new archive.
    site.edit(
        "content/2022/caiwu/cwk-01.md",
        "title: 利用保管资金便利挪用公款",
        "title: 利用保管资金便利挪用公款（修订）",
    );
    let run = site.run(&["archive", "2022"]).exit(2);
    assert!(
        run.stderr.contains("archive/2022/ 已存在") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert!(
        site.tree("archive/2022") == before,
        "the archive was touched"
    );

    site.run(&["archive", "2022", "--force"]).succeeds();
    let after = site.read("archive/2022/caiwu/CWK-01.html");
    assert!(after.contains("（修订）"));
    site.run(&["verify"]).succeeds();
}

#[test]
fn archive_refuses_a_year_with_content_errors() {
    let site = TempSite::example();
    site.edit("content/2022/caiwu/cwk-01.md", "grade: 一级", "grade: 五级");
    let run = site.run(&["archive", "2022"]).exit(1);
    assert!(run.stderr.contains("未归档"), "{}", run.stderr);
    assert!(!site.path("archive/2022").exists());
}

#[test]
fn archived_pages_stay_byte_identical_after_the_templates_change() {
    let site = archived();
    site.run(&["carry", "2023"]).succeeds();
    // A site-level override of the default theme's base template.
    let base = include_str!("../themes/default/templates/base.html");
    let marker = "<!-- 新模板 2023 -->";
    assert!(base.contains("<body"));
    site.write(
        "themes/default/templates/base.html",
        &base.replacen("<body", &format!("{marker}\n<body"), 1),
    );
    site.run(&["build", "--year", "2023", "-q"]).succeeds();

    assert!(site.read("output/2023/index.html").contains(marker));
    let archive = site.tree("archive/2022");
    let published = site.tree("output/2022");
    assert!(!String::from_utf8_lossy(&published["index.html"]).contains(marker));
    assert_eq!(archive.len(), published.len());
    for (path, bytes) in &archive {
        assert!(
            published.get(path) == Some(bytes),
            "output/2022/{path} differs"
        );
    }

    // The archive index lists the live year first, then the archived one, both linked.
    let years = site.read("output/years.html");
    let (live, old) = (
        years.find("href=\"2023/index.html\"").expect("2023 linked"),
        years.find("href=\"2022/index.html\"").expect("2022 linked"),
    );
    assert!(live < old, "live year first:\n{years}");
    assert_eq!(
        years
            .matches("<span class=\"tag archived\">已归档</span>")
            .count(),
        1
    );
    site.run(&["verify"]).succeeds();
}

/// The example's 2022 carried into 2023, then edited by hand: one point regraded up (with the
/// owner and supervisor its new grade needs), one removed, one added, one new owner, one
/// re-scoped, one renamed, one renumbered (matched by title), one with a new measure.
fn carried_and_edited() -> TempSite {
    let site = TempSite::example();
    site.run(&["carry", "2023"]).succeeds();
    let y = "content/2023";
    let bgs03 = format!("{y}/bangong/bgs-03.md");
    site.edit(&bgs03, "likelihood: 较小", "likelihood: 较高");
    site.edit(&bgs03, "grade: 三级", "grade: 二级");
    site.edit(&bgs03, "owner: 潘某宇", "owner: 范某娟");
    site.edit(&bgs03, "supervisor: 范某娟", "supervisor: 李某华");
    std::fs::remove_file(site.path(&format!("{y}/caiwu/cwk-07.md"))).unwrap();
    site.write(
        &format!("{y}/caiwu/cwk-08.md"),
        "---\nid: CWK-08\ntitle: 电子票据作废审核不严\nlevel: 科室\ncategory: 业务流程风险\n\
         likelihood: 较小\nimpact: 一般\nowner: 胡某涛\nsupervisor: 陈某平\nmeasures:\n  \
         前期预防: [电子票据作废须经科室负责人审批]\n---\n",
    );
    site.edit(
        &format!("{y}/jijian/jjb-07.md"),
        "owner: 何某杰",
        "owner: 罗某新",
    );
    site.edit(
        &format!("{y}/renshi/rsk-03.md"),
        "scope: 全院",
        "scope: 科室",
    );
    site.edit(
        &format!("{y}/xinxi/xxk-02.md"),
        "title: 信息化项目需求论证及验收不严",
        "title: 信息化项目需求论证、招标及验收不严",
    );
    site.edit(&format!("{y}/zongwu/zwk-07.md"), "id: ZWK-07", "id: ZWK-17");
    site.edit(
        &format!("{y}/yiwu/ywk-04.md"),
        "    - 说情打招呼事项一律登记报告\n",
        "    - 说情打招呼事项一律登记报告\n    - 纪检办每年抽查考核评分记录\n",
    );
    site
}

#[test]
fn diff_reports_what_was_edited_after_carry() {
    let site = carried_and_edited();
    site.run(&["check", "--year", "2023"]).succeeds();
    let run = site
        .run(&["diff", "2022", "2023", "--format", "json"])
        .succeeds();
    let diff: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(diff["from"], 2022);
    assert_eq!(diff["to"], 2023);
    let ids = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("added"), ["CWK-08"]);
    assert_eq!(ids("removed"), ["CWK-07"]);
    assert_eq!(diff["added"][0]["published"], false, "no review yet");
    assert_eq!(
        diff["removed"][0]["title"],
        "往来款项清理不及时，形成账外资金"
    );

    let changed: BTreeMap<String, (String, Vec<Value>)> = diff["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                (
                    c["matched_by"].as_str().unwrap().to_string(),
                    c["changes"].as_array().unwrap().clone(),
                ),
            )
        })
        .collect();
    let expected: BTreeMap<String, (String, Vec<Value>)> = [
        (
            "BGS-03",
            "id",
            serde_json::json!([
                {"field": "grade", "from": "三级", "to": "二级", "direction": "up"},
                {"field": "owner", "from": "潘某宇", "to": "范某娟"},
                {"field": "supervisor", "from": "范某娟", "to": "李某华"},
            ]),
        ),
        (
            "JJB-07",
            "id",
            serde_json::json!([{"field": "owner", "from": "何某杰", "to": "罗某新"}]),
        ),
        (
            "RSK-03",
            "id",
            serde_json::json!([{"field": "scope", "from": "全院", "to": "科室"}]),
        ),
        (
            "XXK-02",
            "id",
            serde_json::json!([{
                "field": "title",
                "from": "信息化项目需求论证及验收不严",
                "to": "信息化项目需求论证、招标及验收不严",
            }]),
        ),
        (
            "YWK-04",
            "id",
            serde_json::json!([{
                "field": "measures",
                "added": [{"line": "中期监控", "text": "纪检办每年抽查考核评分记录"}],
                "removed": [],
            }]),
        ),
        (
            "ZWK-17",
            "title",
            serde_json::json!([{"field": "id", "from": "ZWK-07", "to": "ZWK-17"}]),
        ),
    ]
    .into_iter()
    .map(|(id, by, changes)| {
        (
            id.to_string(),
            (by.to_string(), changes.as_array().unwrap().clone()),
        )
    })
    .collect();
    assert_eq!(changed, expected);
    assert_eq!(diff["unchanged"], POINTS_2022 - 1 - 6);

    // The same, for people.
    let human = site.run(&["diff", "2022", "2023"]).succeeds().stdout;
    for line in [
        "新增 1、删除 1、调整 6、未变 60",
        "  + CWK-08 电子票据作废审核不严（财务科 · 科室 · 三级，未公示）",
        "  - CWK-07 往来款项清理不及时，形成账外资金（财务科 · 科室 · 三级）",
        "      风险等级：三级 → 二级（升级）",
        "      公示范围：全院 → 科室",
        "      编号：ZWK-07 → ZWK-17",
        "      防控措施：中期监控增加“纪检办每年抽查考核评分记录”",
    ] {
        assert!(human.contains(line), "missing {line:?} in\n{human}");
    }
    insta::assert_snapshot!("diff_2022_2023_human", human);
}

#[test]
fn diff_refuses_a_year_with_content_errors() {
    let site = TempSite::example();
    site.run(&["carry", "2023"]).succeeds();
    site.edit("content/2023/caiwu/cwk-01.md", "level: 岗位", "level: 部门");
    let run = site.run(&["diff", "2022", "2023"]).exit(1);
    assert!(
        // The broken point only: the payment diagram's @CWK-01 still names a point, one whose
        // file did not load (it was counted as a second error, unknown-reference, before).
        run.stderr.contains("2023 年度有 1 个错误"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

/// 2022 copied to 2023 with its approvals, then edited so that the changes page has something
/// to show, and points that must not be shown.
fn next_year_with_canaries() -> TempSite {
    let site = TempSite::example();
    gongshi::build::copy_dir(&site.path("content/2022"), &site.path("content/2023")).unwrap();
    let y = "content/2023";
    // Published in 2022, hidden in 2023 and renamed: neither title may appear.
    site.edit(
        &format!("{y}/xinxi/xxk-02.md"),
        "scope: 全院",
        "scope: 不公示",
    );
    site.edit(
        &format!("{y}/xinxi/xxk-02.md"),
        "title: 信息化项目需求论证及验收不严",
        "title: 金丝雀甲",
    );
    // Published in 2022, not yet approved in 2023.
    site.edit(
        &format!("{y}/zongwu/zwk-07.md"),
        "review:\n  submitted: 2022-06-02\n  dept: 2022-06-10\n  office: 2022-06-28\n",
        "",
    );
    // New and unapproved.
    site.write(
        &format!("{y}/caiwu/cwk-09.md"),
        "---\nid: CWK-09\ntitle: 金丝雀乙\nlevel: 科室\ncategory: 业务流程风险\nlikelihood: 较小\n\
         impact: 一般\nowner: 胡某涛\nsupervisor: 陈某平\nmeasures:\n  前期预防: [甲]\n---\n",
    );
    // New, approved, for the department only.
    site.write(
        &format!("{y}/caiwu/cwk-10.md"),
        "---\nid: CWK-10\ntitle: 金丝雀丙\nlevel: 科室\ncategory: 业务流程风险\nlikelihood: 较小\n\
         impact: 一般\nowner: 胡某涛\nsupervisor: 陈某平\nmeasures:\n  前期预防: [乙]\nscope: 科室\n\
         review: {submitted: 2022-06-01, dept: 2022-06-02, office: 2022-06-03}\n---\n",
    );
    // Hidden in 2022, published in 2023 under a new title: nothing of 2022's version is shown.
    site.edit(
        &format!("{y}/xinxi/xxk-04.md"),
        "scope: 不公示",
        "scope: 全院",
    );
    let xxk04 = site.read(&format!("{y}/xinxi/xxk-04.md"));
    let old_title = xxk04
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_string();
    site.edit(
        &format!("{y}/xinxi/xxk-04.md"),
        &format!("title: {old_title}"),
        "title: 网络安全等级保护测评走过场",
    );
    site.write("xxk04-old-title", &old_title);
    // Visible changes, the page's positive controls.
    site.edit(
        &format!("{y}/jijian/jjb-07.md"),
        "owner: 何某杰",
        "owner: 罗某新",
    );
    site
}

#[test]
fn changes_page_never_shows_an_unpublished_point() {
    let site = next_year_with_canaries();
    site.run(&["build", "--year", "2023", "-q"]).succeeds();
    let page = site.read("output/2023/changes.html");
    let old_hidden_title = site.read("xxk04-old-title");

    // What the hospital may see is there.
    assert!(page.contains("JJB-07") && page.contains("直接负责管理落实：何某杰 → 罗某新"));
    assert!(
        page.contains("网络安全等级保护测评走过场"),
        "newly published"
    );
    assert!(page.contains("本年度起公示"));
    assert!(
        site.read("output/2023/index.html")
            .contains("href=\"changes.html\"")
    );

    // What it may not see is nowhere in the year's notice, not even by title.
    for canary in ["金丝雀甲", "金丝雀乙", "金丝雀丙"] {
        for (path, bytes) in site.tree("output/2023") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(canary),
                "{canary} leaked into output/2023/{path}"
            );
        }
    }
    // Last year's versions of points unpublished now are not listed as removed either, and a
    // point hidden last year says nothing of last year's version.
    for title in [
        "信息化项目需求论证及验收不严",
        "公务用车使用管理不规范",
        old_hidden_title.as_str(),
    ] {
        assert!(!page.contains(title), "{title} appears on the changes page");
    }
    assert!(!page.contains("ZWK-07") && !page.contains("XXK-02"));

    // The department's own notice does show its department-scope point (the canary can fail).
    site.run(&["build", "--year", "2023", "--scope", "科室:caiwu", "-q"])
        .succeeds();
    let page = site.read("output/2023/changes.html");
    assert!(page.contains("金丝雀丙"));
    assert!(!page.contains("金丝雀乙"));

    // The office's diff, by contrast, sees everything.
    let all = site.run(&["diff", "2022", "2023"]).succeeds().stdout;
    for canary in ["金丝雀甲", "金丝雀乙", "金丝雀丙"] {
        assert!(
            all.contains(canary),
            "{canary} missing from gongshi diff\n{all}"
        );
    }
}

#[test]
fn the_first_year_has_no_changes_page() {
    let site = TempSite::example();
    site.run(&["build", "-q"]).succeeds();
    assert!(!site.path("output/2022/changes.html").exists());
    assert!(!site.read("output/2022/index.html").contains("changes.html"));
}

/// The review block of a risk point's front matter, as the example writes it.
fn without_review(text: &str) -> String {
    let mut out = String::new();
    let mut in_review = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("review:") {
            in_review = true;
            continue;
        }
        if in_review && line.starts_with("  ") {
            continue;
        }
        in_review = false;
        out.push_str(line);
    }
    out
}

#[test]
fn carry_copies_the_year_clears_approvals_and_shifts_dates() {
    let site = TempSite::example();
    let run = site.run(&["carry", "2023"]).succeeds();
    assert!(
        run.stderr.contains("current_year 仍为 2022"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("第 3 行：basis: 赣市卫 2022[23]号"));
    let old = site.tree("content/2022");
    let new = site.tree("content/2023");

    let mut expected_files: Vec<&String> = old.keys().filter(|k| *k != "oversight.yaml").collect();
    expected_files.sort();
    assert_eq!(new.keys().collect::<Vec<_>>(), expected_files);

    let mut cleared = 0;
    for (path, bytes) in &new {
        let before = String::from_utf8(old[path].clone()).unwrap();
        let after = String::from_utf8(bytes.clone()).unwrap();
        if path == "_index.md" {
            continue;
        }
        if path.ends_with("/_index.md") {
            assert_eq!(after, before, "{path} is kept byte for byte");
        } else {
            assert!(before.contains("\nreview:"), "{path}");
            assert_eq!(after, without_review(&before), "{path}");
            cleared += 1;
        }
    }
    assert_eq!(cleared, POINTS_2022);

    let index = site.read("content/2023/_index.md");
    let before = site.read("content/2022/_index.md");
    let expected = before
        .replacen("title: 2022年度", "title: 2023年度", 1)
        .replace("start: 2022-", "start: 2023-")
        .replace("end: 2022-", "end: 2023-");
    assert_eq!(index, expected);
    assert!(
        index.contains("basis: 赣市卫 2022[23]号"),
        "the directive stays"
    );

    // The new year loads cleanly and nothing in it is published yet.
    site.run(&["check", "--year", "2023"]).succeeds();
    let ledger: Value = serde_json::from_str(
        &site
            .run(&["export", "--year", "2023", "--format", "json"])
            .succeeds()
            .stdout,
    )
    .unwrap();
    let points = ledger["points"].as_array().unwrap();
    assert_eq!(points.len(), POINTS_2022);
    assert!(points.iter().all(|p| p["published"] == false));
}

#[test]
fn carry_refuses_an_existing_year_and_honours_from() {
    let site = TempSite::example();
    site.run(&["carry", "2023"]).succeeds();
    site.write("content/2023/caiwu/note.md.txt", "mine");
    let run = site.run(&["carry", "2023"]).exit(2);
    assert!(
        run.stderr.contains("content/2023/ 已存在"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/2023/caiwu/note.md.txt"), "mine");

    site.run(&["carry", "2025", "--from", "2022"]).succeeds();
    let index = site.read("content/2025/_index.md");
    assert!(index.contains("start: 2025-07-06") && index.contains("end: 2025-07-12"));
    assert!(index.contains("{name: 组织实施, start: 2025-05-21, end: 2025-06-25}"));
    assert!(index.contains("title: 2025年度"));
    site.run(&["carry", "2026", "--from", "2026"]).exit(2);
}

fn ledger_json(site: &TempSite) -> Value {
    serde_json::from_str(&site.run(&["export", "--format", "json"]).succeeds().stdout).unwrap()
}

#[test]
fn export_json_lists_every_point_with_every_field() {
    let site = TempSite::example();
    let ledger = ledger_json(&site);
    assert_eq!(ledger["format"], "gongshi-ledger");
    assert_eq!(ledger["format_version"], 1);
    assert_eq!(ledger["site"], "赣州市第五人民医院");
    assert_eq!(ledger["year"], 2022);
    let points = ledger["points"].as_array().unwrap();
    assert_eq!(points.len(), POINTS_2022);
    let keys: Vec<&str> = points[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "id",
        "title",
        "level",
        "dept",
        "dept_name",
        "post",
        "holder",
        "category",
        "likelihood",
        "impact",
        "grade",
        "declared_grade",
        "computed_grade",
        "owner",
        "supervisor",
        "sanzhong_yida",
        "measures",
        "scope",
        "review",
        "approved",
        "published",
        "status",
        "file",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);

    let by_id = |id: &str| points.iter().find(|p| p["id"] == id).unwrap();
    let cwk01 = by_id("CWK-01");
    assert_eq!(cwk01["post"], "出纳");
    assert_eq!(cwk01["grade"], "一级");
    assert_eq!(cwk01["measures"]["后期处置"].as_array().unwrap().len(), 2);
    assert_eq!(cwk01["review"]["dept"], "2022-06-02");
    assert_eq!(cwk01["review"]["board"], Value::Null);
    assert_eq!(cwk01["status"], "已公示（全院）");
    // Unpublished points are in the ledger, with the reason.
    let zwk06 = by_id("ZWK-06");
    assert_eq!(zwk06["published"], false);
    assert_eq!(zwk06["status"], "未公示（缺科室集体审定）");
    let xxk04 = by_id("XXK-04");
    assert_eq!(
        (&xxk04["approved"], &xxk04["published"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    assert_eq!(xxk04["status"], "不公示");
    let unpublished = points.iter().filter(|p| p["published"] == false).count();
    assert_eq!(unpublished, 5);
}

#[test]
fn export_csv_has_a_bom_the_ledger_header_and_one_row_per_point() {
    let site = TempSite::example();
    let run = site.run(&["export", "--format", "csv"]).succeeds();
    let text = run
        .stdout
        .strip_prefix('\u{feff}')
        .expect("UTF-8 BOM for Excel");
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines[0], gongshi::render::ledger::HEADER.join(","));
    assert_eq!(lines.len(), 1 + POINTS_2022);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ZWK-06,") && l.contains("未公示（缺科室集体审定）"))
    );

    // -o writes the same bytes to a file.
    let file = site.path("台帐.csv");
    site.run(&[
        "export",
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
        "-q",
    ])
    .succeeds();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), run.stdout);

    // Regression: -o onto a symbolic link replaced the link by a file; it writes through.
    let shared = tempfile::tempdir().unwrap();
    let target = shared.path().join("台帐.csv");
    std::fs::write(&target, "old").unwrap();
    let link = site.path("linked.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    site.run(&[
        "export",
        "--format",
        "csv",
        "-o",
        link.to_str().unwrap(),
        "-q",
    ])
    .succeeds();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), run.stdout);
}

#[test]
fn export_xlsx_opens_with_one_sheet_per_level_and_a_summary() {
    let site = TempSite::example();
    site.run(&["export", "--format", "xlsx"]).exit(2);
    let file = site.path("ledger.xlsx");
    site.run(&["export", "--format", "xlsx", "-o", file.to_str().unwrap()])
        .succeeds();
    let ledger = ledger_json(&site);
    let points = ledger["points"].as_array().unwrap();

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["汇总", "岗位", "科室", "单位", "进度"]);
    let header = gongshi::render::ledger::HEADER;
    for level in ["岗位", "科室", "单位"] {
        let range = book.worksheet_range(level).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(rows[0], header, "{level}");
        let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        let expected: Vec<&str> = points
            .iter()
            .filter(|p| p["level"] == level)
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, expected, "{level}");
    }
    let posts = book.worksheet_range("岗位").unwrap();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let cwk01 = posts.rows().find(|r| r[0] == "CWK-01").unwrap();
    assert_eq!(cwk01[col("风险等级")].to_string(), "一级");
    assert_eq!(cwk01[col("在岗人员")].to_string(), "马某燕");
    assert_eq!(cwk01[col("公示状态")].to_string(), "已公示（全院）");

    let summary: Vec<Vec<String>> = book
        .worksheet_range("汇总")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    let row = |label: &str| {
        summary
            .iter()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no row {label}"))
            .clone()
    };
    let count = |level: &str, grade: &str| {
        points
            .iter()
            .filter(|p| p["level"] == level && p["grade"] == grade)
            .count()
            .to_string()
    };
    let posts_row = row("岗位");
    assert_eq!(
        posts_row[1..4],
        [
            count("岗位", "一级"),
            count("岗位", "二级"),
            count("岗位", "三级")
        ]
    );
    assert_eq!(row("合计")[4], POINTS_2022.to_string());
    // 财务科: seven points, all published; 总务科: one unapproved.
    assert_eq!(row("财务科")[4..7], ["7", "7", "0"]);
    assert_eq!(row("总务科")[6], "1");

    // Styles are not read by calamine: look at the workbook's XML when `unzip` is there.
    let part = |name: &str| {
        Command::new("unzip")
            .arg("-p")
            .arg(&file)
            .arg(name)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let Some(styles) = part("xl/styles.xml") else {
        eprintln!("unzip not installed: skipping the style checks");
        return;
    };
    for rgb in ["FFC0392B", "FFD35400", "FFB7950B"] {
        assert!(
            styles.contains(&format!("rgb=\"{rgb}\"")),
            "grade fill {rgb}"
        );
    }
    for sheet in 2..=4 {
        let xml = part(&format!("xl/worksheets/sheet{sheet}.xml")).unwrap();
        assert!(xml.contains("state=\"frozen\""), "sheet {sheet} frozen");
        assert!(
            xml.contains("<autoFilter ref=\"A1:X"),
            "sheet {sheet} autofilter"
        );
    }
}

#[test]
fn export_refuses_a_year_with_content_errors() {
    let site = TempSite::example();
    site.edit(
        "content/2022/caiwu/cwk-01.md",
        "likelihood: 较小",
        "likelihood: 很小",
    );
    let run = site.run(&["export", "--format", "csv"]).exit(1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("未导出"), "{}", run.stderr);
}
