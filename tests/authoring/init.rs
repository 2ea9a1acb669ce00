//! `gongshi init`: a site that checks and builds at once; never over an existing one.

use super::*;
use tempfile::TempDir;

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

    gongshi(&root, &["check"]).exit(0).stderr_has(
        "检查了 3 个风险点（岗位 1、科室 1、单位 1；一级 1、二级 1、三级 1）：0 个错误，0 个警告",
    );
    gongshi(&root, &["build"]).exit(0);
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
    gongshi(&root, &["fmt", "--check"]).exit(0);
}

#[test]
fn init_refuses_a_folder_that_is_already_a_site() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("site.yaml"), "name: 已有站点\n");
    write(&tmp.path().join("content/README.md"), "旧说明\n");
    let before = files(tmp.path());
    gongshi(tmp.path(), &["init"])
        .exit(2)
        .stderr_has("不会覆盖");
    assert_eq!(files(tmp.path()), before);
}

#[test]
fn init_refuses_to_overwrite_any_file_and_writes_none() {
    let tmp = TempDir::new().unwrap();
    write(&tmp.path().join("content/README.md"), "我们自己的说明\n");
    let before = files(tmp.path());
    gongshi(tmp.path(), &["init"])
        .exit(2)
        .stderr_has("已经存在");
    assert_eq!(files(tmp.path()), before, "nothing written");
}
