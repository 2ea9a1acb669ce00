//! Where a point stands and what it may carry: `duplicate-id`, `level-location`,
//! `level-field`. Fixture `identity` adds one file per case to the valid base.

use crate::harness::{Error, Site, base};

const DUP: &str = "content/2022/yaojike/dup.md";
const UNIT_IN_DEPT: &str = "content/2022/caiwu/unit-in-dept.md";
const POST_IN_UNIT: &str = "content/2022/unit/post-in-unit.md";
const DEPT_IN_UNIT: &str = "content/2022/unit/dept-in-unit.md";
const STRAY: &str = "content/2022/stray.md";
const POST_ON_DEPT: &str = "content/2022/caiwu/post-on-dept.md";
const ETHICS_ON_DEPT: &str = "content/2022/caiwu/ethics-on-dept.md";
const SANZHONG_ON_POST: &str = "content/2022/caiwu/sanzhong-on-post.md";

#[test]
fn identity_fixture_reports_exactly_its_cases() {
    // ethics-on-post.md (思想道德风险 on a 岗位 point) is the one file that is right.
    Site::fixture("identity").check().fails().only(&[
        ("duplicate-id", base::CHUNA, 2, 5),
        ("duplicate-id", DUP, 2, 5),
        ("level-location", UNIT_IN_DEPT, 4, 8),
        ("level-location", POST_IN_UNIT, 4, 8),
        ("level-location", DEPT_IN_UNIT, 4, 8),
        ("level-location", STRAY, 4, 8),
        ("level-field", POST_ON_DEPT, 5, 7),
        ("level-field", POST_ON_DEPT, 6, 9),
        ("level-field", ETHICS_ON_DEPT, 5, 11),
        ("level-field", SANZHONG_ON_POST, 12, 16),
    ]);
}

#[test]
fn duplicate_id_names_both_files() {
    let run = Site::fixture("identity").check();
    let first = run.diag("duplicate-id", Error, base::CHUNA, 2, 5);
    let second = run.diag("duplicate-id", Error, DUP, 2, 5);
    assert!(first.message.contains(&format!("{DUP}:2")), "{first}");
    assert!(
        second.message.contains(&format!("{}:2", base::CHUNA)),
        "{second}"
    );
    assert!(second.message.contains("CW-01"), "{second}");
}

/// Regression: `cw-01` beside `CW-01` passed, though their pages are one file on Windows and
/// macOS file systems. Ids are compared without case.
#[test]
fn ids_that_differ_only_in_case_are_duplicates() {
    let run = Site::fixture("identity")
        .replace(DUP, "id: CW-01", "id: cw-01")
        .check();
    let d = run.diag("duplicate-id", Error, DUP, 2, 5);
    assert!(d.message.contains("仅大小写不同"), "{d}");
    assert!(d.message.contains("CW-01"), "{d}");
    run.diag("duplicate-id", Error, base::CHUNA, 2, 5);
}

#[test]
fn unit_point_outside_unit_folder() {
    let d = Site::fixture("identity")
        .check()
        .diag("level-location", Error, UNIT_IN_DEPT, 4, 8);
    assert!(d.message.contains("unit/"), "{d}");
}

#[test]
fn post_and_department_points_inside_unit_folder() {
    let run = Site::fixture("identity").check();
    for file in [POST_IN_UNIT, DEPT_IN_UNIT] {
        let d = run.diag("level-location", Error, file, 4, 8);
        assert!(d.message.contains("不能放在 unit/"), "{d}");
    }
}

#[test]
fn post_point_outside_any_department() {
    let d = Site::fixture("identity")
        .check()
        .diag("level-location", Error, STRAY, 4, 8);
    assert!(d.message.contains("所属科室"), "{d}");
}

#[test]
fn post_and_holder_on_a_department_point() {
    let run = Site::fixture("identity").check();
    let post = run.diag("level-field", Error, POST_ON_DEPT, 5, 7);
    let holder = run.diag("level-field", Error, POST_ON_DEPT, 6, 9);
    assert!(post.message.contains("`post`"), "{post}");
    assert!(holder.message.contains("`holder`"), "{holder}");
}

#[test]
fn post_on_a_unit_point() {
    Site::base()
        .replace(
            base::RENSHI,
            "level: 单位\n",
            "level: 单位\npost: 人事干事\n",
        )
        .check()
        .fails()
        .only(&[("level-field", base::RENSHI, 5, 7)]);
}

/// Regression: a 单位 point with `scope: 科室` belongs to no department, so no build could
/// ever publish it, and nothing said so. Plan 六.(二).3: 在全院范围内进行公示.
#[test]
fn department_scope_on_a_unit_point() {
    let d = Site::base()
        .replace(
            base::RENSHI,
            "sanzhong_yida: 重要人事任免\n",
            "sanzhong_yida: 重要人事任免\nscope: 科室\n",
        )
        .check()
        .fails()
        .only(&[("level-field", base::RENSHI, 12, 8)])
        .diag("level-field", Error, base::RENSHI, 12, 8);
    assert!(d.message.contains("全院"), "{d}");
}

#[test]
fn ethics_category_on_a_department_point() {
    let d = Site::fixture("identity")
        .check()
        .diag("level-field", Error, ETHICS_ON_DEPT, 5, 11);
    assert!(d.message.contains("思想道德风险"), "{d}");
}

#[test]
fn ethics_category_on_a_unit_point() {
    Site::base()
        .replace(
            base::RENSHI,
            "category: 业务流程风险",
            "category: 思想道德风险",
        )
        .check()
        .fails()
        .only(&[("level-field", base::RENSHI, 5, 11)]);
}

#[test]
fn sanzhong_yida_on_a_post_point() {
    let d = Site::fixture("identity")
        .check()
        .diag("level-field", Error, SANZHONG_ON_POST, 12, 16);
    assert!(d.message.contains("sanzhong_yida"), "{d}");
}

#[test]
fn sanzhong_yida_on_a_department_point() {
    Site::base()
        .replace(
            base::ZHICHU,
            "scope: 全院\n",
            "scope: 全院\nsanzhong_yida: 大额资金使用\n",
        )
        .check()
        .fails()
        .only(&[("level-field", base::ZHICHU, 15, 16)]);
}

/// Regression: a department folder named like a folder of the notice (`forms`, `static`…)
/// silently overwrote that page or had its own pages overwritten. Each is `invalid-value` at
/// the folder, like a folder name that is not a slug; case does not matter.
#[test]
fn department_folders_named_like_the_notices_own_folders_are_refused() {
    let dept = "---\nname: 表单科\nhead: 某某\nliaison: 某某\n---\n";
    for folder in [
        "forms",
        "departments",
        "grade",
        "matrix",
        "search",
        "static",
        "Unit",
        "Forms",
    ] {
        let rel = format!("content/2022/{folder}");
        let run = Site::base().file(&format!("{rel}/_index.md"), dept).check();
        let d = run.diag("invalid-value", Error, &rel, 1, 1);
        assert!(d.message.contains("保留名称"), "{d}");
        assert!(
            d.message.contains(&format!("{}/", folder.to_lowercase())),
            "{d}"
        );
        run.fails().only(&[("invalid-value", rel.as_str(), 1, 1)]);
    }
}

/// Regression: `id: index` made `caiwu/index.html` the point's page instead of the department's
/// (and `unit/index.html` for a unit point). `invalid-value` at the id's value.
#[test]
fn point_id_index_is_refused() {
    for (file, id) in [(base::KUAIJI, "index"), (base::RENSHI, "Index")] {
        let text = Site::base().read(file);
        let old_id = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .expect("an id line")
            .to_string();
        let run = Site::base()
            .replace(file, &format!("id: {old_id}\n"), &format!("id: {id}\n"))
            .check();
        let d = run.diag("invalid-value", Error, file, 2, 5);
        assert!(d.message.contains("保留名称"), "{d}");
        assert!(d.message.contains("index.html"), "{d}");
    }
}

/// The reserved names are every folder a year's notice has besides its departments: a new
/// folder in the renderer must be added to `RESERVED_SLUGS`, or this fails.
#[test]
fn reserved_slugs_cover_every_folder_of_the_notice() {
    let site = Site::base();
    site.run(["build", "-q"]).succeeds();
    let slugs: Vec<String> = site.load().year.dept_folders.clone();
    let mut generated: Vec<String> = std::fs::read_dir(site.path("output/2022"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| !slugs.contains(name))
        .collect();
    generated.sort();
    let mut reserved: Vec<String> = gongshi::content::fields::RESERVED_SLUGS
        .iter()
        .map(|s| s.to_string())
        .collect();
    reserved.sort();
    assert_eq!(generated, reserved);
}
