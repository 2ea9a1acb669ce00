//! Finding the site from the folder gongshi runs in (src/locate.rs), as cargo finds
//! Cargo.toml, and what a liaison gets in a department's folder: `check` reports that
//! department (the whole year is still checked), `new risk` writes into it, `check --fix`
//! touches only its files. No `--root` in these runs: the working folder is the point.

use std::path::Path;

use crate::harness::{Gongshi, Run, Site};

const CAIWU: &str = "content/2022/caiwu";
const ZHICHU: &str = "content/2022/caiwu/zhichu.md";
const CAIGOU: &str = "content/2022/yaojike/caigou.md";

/// `gongshi ARGS` in `dir`, a folder of `site`, with no `--root`.
#[track_caller]
fn run_in(site: &Site, dir: &str, args: &[&str]) -> Run {
    Gongshi::new()
        .current_dir(site.path(dir))
        .env("GONGSHI_TODAY", "2022-06-01")
        .args(args)
        .masking(site.root())
        .run()
}

/// An error in 财务科 (declared grade milder than computed) and one in 药剂科 (an impact that
/// is not one of the plan's).
fn two_departments_with_errors() -> Site {
    Site::base()
        .replace(ZHICHU, "grade: 二级", "grade: 三级")
        .replace(CAIGOU, "impact: 严重", "impact: 很重")
}

fn files_of(run: &Run) -> Vec<String> {
    let mut files: Vec<String> = run.stdout_json().into_iter().map(|d| d.file).collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn check_in_a_department_folder_reports_that_department() {
    let site = two_departments_with_errors();
    let run = run_in(&site, CAIWU, &["check", "--format", "json"]).fails();
    assert_eq!(files_of(&run), [ZHICHU], "{run:?}");
    run.has("under-graded", crate::harness::Error, ZHICHU, 8, 8)
        .stderr_has("以上只列出财务科（content/2022/caiwu/）")
        .stderr_has("其他科室和单位另有 1 个错误、0 个警告，加 --all 可全部列出");

    // Human output too, with the department's own count of points.
    run_in(&site, CAIWU, &["check"])
        .fails()
        .stderr_has("under-graded")
        .stderr_lacks("yaojike")
        .stderr_has("检查了 3 个风险点");

    // --all lists every department, as at the site's root.
    let all = run_in(&site, CAIWU, &["check", "--all", "--format", "json"]).fails();
    assert_eq!(files_of(&all), [ZHICHU, CAIGOU]);
    let root = run_in(&site, ".", &["check", "--format", "json"]).fails();
    assert_eq!(files_of(&root), [ZHICHU, CAIGOU]);
    assert!(!root.stderr.contains("以上只列出"), "{root:?}");
}

/// The exit code follows what is listed: 药剂科 is clean when only 财务科 has an error.
#[test]
fn a_clean_department_passes_while_another_has_errors() {
    let site = Site::base().replace(ZHICHU, "grade: 二级", "grade: 三级");
    run_in(&site, "content/2022/yaojike", &["check"])
        .succeeds()
        .stderr_has("0 个错误")
        .stderr_has("其他科室和单位另有");
    // From the root, or with --dept from anywhere, the same choice can be made.
    Gongshi::new()
        .arg("--root")
        .arg(site.root())
        .args(["check", "--dept", "yaojike"])
        .run()
        .succeeds();
}

/// Errors in the year's own file concern every department: they are listed in a department's
/// report too, and fail it.
#[test]
fn the_years_file_is_listed_in_every_departments_report() {
    let site = Site::base().replace(
        "content/2022/_index.md",
        "{start: 2022-07-06, end: 2022-07-12",
        "{start: 2022-7-6, end: 2022-07-12",
    );
    let run = run_in(&site, CAIWU, &["check", "--format", "json"]).fails();
    assert!(
        files_of(&run).contains(&"content/2022/_index.md".to_string()),
        "{run:?}"
    );
}

#[test]
fn deeper_folders_and_the_year_folder_find_the_site_too() {
    let site = two_departments_with_errors();
    std::fs::create_dir_all(site.path("content/2022/caiwu/旧稿")).unwrap();
    let run = run_in(
        &site,
        "content/2022/caiwu/旧稿",
        &["check", "--format", "json"],
    )
    .fails();
    assert_eq!(files_of(&run), [ZHICHU]);
    // In the year's folder: the whole year.
    let run = run_in(&site, "content/2022", &["check", "--format", "json"]).fails();
    assert_eq!(files_of(&run), [ZHICHU, CAIGOU]);
    // In themes/ or any other folder of the site: the site, as at its root.
    std::fs::create_dir_all(site.path("themes")).unwrap();
    run_in(&site, "themes", &["check", "--format", "json"]).fails();
}

#[test]
fn check_dept_names_an_existing_folder() {
    let site = Site::base();
    site.run(["check", "--dept", "waike"])
        .exit(2)
        .stderr_has("2022 年度没有科室文件夹“waike”")
        .stderr_has("caiwu");
    site.run(["check", "--dept", "caiwu", "--all"])
        .exit(2)
        .stderr_has("--all");
}

#[test]
fn new_risk_in_a_department_folder_goes_into_that_department() {
    let site = Site::base();
    let run = run_in(&site, CAIWU, &["new", "risk", "--level", "岗位"]).succeeds();
    assert_eq!(run.stdout.trim(), "content/2022/caiwu/cw-04.md", "{run:?}");
    assert!(site.path("content/2022/caiwu/cw-04.md").is_file());
    // In unit/, the level is 单位 unless said otherwise.
    let run = run_in(&site, "content/2022/unit", &["new", "risk"]).succeeds();
    assert!(
        run.stdout.trim().starts_with("content/2022/unit/"),
        "{run:?}"
    );
    assert!(site.read(run.stdout.trim()).contains("\nlevel: 单位\n"));
    // Anywhere else, --level is still needed.
    run_in(&site, ".", &["new", "risk", "--dept", "caiwu"])
        .exit(2)
        .stderr_has("--level");
    // What is typed wins over the folder.
    let run = run_in(
        &site,
        CAIWU,
        &["new", "risk", "--dept", "yaojike", "--level", "科室"],
    )
    .succeeds();
    assert!(run.stdout.trim().starts_with("content/2022/yaojike/"));
}

/// `check --fix` in a department's folder fixes that department's files only.
#[test]
fn fix_in_a_department_folder_touches_only_its_files() {
    // 总务科's and the unit's points spell their grades as aliases (C, B, 1) in the base site.
    let site = Site::base().replace(ZHICHU, "grade: 二级", "grade: B");
    let weixiu = "content/2022/zongwu/weixiu.md";
    let before = (site.read(weixiu), site.read("content/2022/unit/renshi.md"));
    run_in(&site, CAIWU, &["check", "--fix"])
        .succeeds()
        .stderr_has("已修改 content/2022/caiwu/zhichu.md");
    assert!(site.read(ZHICHU).contains("grade: 二级"));
    assert_eq!(
        (site.read(weixiu), site.read("content/2022/unit/renshi.md")),
        before
    );
}

/// Regression: `gongshi check` in a department's folder said "找不到 site.yaml … 或运行
/// gongshi init 新建", inviting a second site inside content/. Now the site above is found;
/// and where none is (site.yaml moved away), the message never suggests init.
#[test]
fn inside_content_without_a_site_init_is_never_suggested() {
    let site = Site::base().remove("site.yaml");
    run_in(&site, CAIWU, &["check"])
        .exit(2)
        .stderr_lacks("init")
        .stderr_has("及其上级目录中都找不到 site.yaml")
        .stderr_has("content/ 文件夹");
    // Given with --root, a department folder is named as inside the site when there is one.
    let site = Site::base();
    Gongshi::new()
        .arg("--root")
        .arg(site.path(CAIWU))
        .arg("check")
        .masking(site.root())
        .run()
        .exit(2)
        .stderr_lacks("init")
        .stderr_has("站点在 [ROOT]");
}

#[test]
fn outside_any_site_the_message_says_how_to_start_one() {
    let dir = tempfile::tempdir().unwrap();
    Gongshi::new()
        .current_dir(dir.path())
        .arg("check")
        .run()
        .exit(2)
        .stderr_has("及其上级目录中都找不到 site.yaml")
        .stderr_has("gongshi init");
}

/// `init` does not make a site inside another one, and writes nothing when it refuses.
#[test]
fn init_inside_a_site_is_refused() {
    let site = Site::base();
    let before = crate::support::files::read_tree(site.root());
    run_in(&site, CAIWU, &["init"])
        .exit(2)
        .stderr_has("不能在站点里再新建站点");
    Gongshi::new()
        .current_dir(site.root())
        .args(["init", "sub"])
        .run()
        .exit(2)
        .stderr_has("不能在站点里再新建站点");
    assert_eq!(crate::support::files::read_tree(site.root()), before);
    assert!(!Path::new(&site.path(CAIWU)).join("site.yaml").exists());
}
