//! What the notice's pages say, checked against the plan's own words (implementation plan,
//! SPEC sections 5 and 6): the approvals a point's page lists, the 好 rating, key posts, the
//! matrix's grades, the forms and their order, dates and labels.

use std::collections::BTreeMap;

use crate::build::{ExampleSite, read_tree};
use crate::harness::Site;
use crate::support::dom::{strip_tags, texts_of_class};

fn example_tree() -> BTreeMap<String, Vec<u8>> {
    let site = ExampleSite::copy();
    read_tree(&site.build(&[]))
}

fn page(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let bytes = tree.get(path).unwrap_or_else(|| panic!("no page {path}"));
    String::from_utf8_lossy(bytes).into_owned()
}

/// The office step, named by both of the plan's words for it (六.(二).2 and 六.(三).4.(2)).
const OFFICE: &str = "领导小组办公室审定（党政组织审核）";

/// Regression: every point's 审批 listed all four steps, so a 岗位 point showed 领导小组办公室
/// and 班子会议 as pending and a 单位 point 科室集体审定; a point's level needs only its own
/// (SPEC section 5, "Publication requires").
#[test]
fn approvals_list_only_the_steps_the_points_level_needs() {
    let tree = example_tree();
    let steps = |path: &str| texts_of_class(&page(&tree, path), "step");
    // 岗位: 科室集体审定 only.
    assert_eq!(steps("2022/caiwu/CWK-01.html"), ["填报", "科室集体审定"]);
    // 科室: also the office.
    assert_eq!(
        steps("2022/caiwu/CWK-03.html"),
        ["填报", "科室集体审定", OFFICE]
    );
    // 单位: the board; the office too, as DW-01 has its date (an optional step with a date).
    assert_eq!(
        steps("2022/unit/DW-01.html"),
        ["填报", OFFICE, "班子会议审定"]
    );
    // A published point has every step it needs, so none of its pages shows one pending.
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if text.contains("<ol class=\"approvals\">") {
            assert!(
                !text.contains("class=\"todo\""),
                "{path} shows a pending step"
            );
        }
    }
}

/// Regression: the office step was "领导小组办公室审定" alone, though the plan has the point
/// 报医院党政组织审核 (六.(二).2) and SPEC's `office` names both; every built file now names
/// both, the ledger's column too.
#[test]
fn the_office_step_is_named_by_both_of_the_plans_words_everywhere() {
    let tree = example_tree();
    let ledger = page(&tree, "2022/ledger.csv");
    let header = ledger.lines().next().unwrap();
    assert!(header.contains(OFFICE), "{header}");
    assert!(header.contains("填报日期"), "{header}");
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(
            text.matches("领导小组办公室审定").count(),
            text.matches(OFFICE).count(),
            "{path} names the office step without 党政组织审核"
        );
    }
}

/// A 一级 post point of the finance department (owner 陈副院长, supervisor 刘院长).
fn grade_one_post(id: &str, title: &str, post: &str, scope: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nlevel: 岗位\npost: {post}\nholder: 郑某某\ncategory: 岗位职责风险\nlikelihood: 高\nimpact: 严重\nowner: 陈副院长\nsupervisor: 刘院长\nmeasures:\n  前期预防: [甲]\n  中期监控: [乙]\n  后期处置: [丙]\nscope: {scope}\nreview: {{submitted: 2022-05-25, dept: 2022-05-28}}\n---\n"
    )
}

/// The oversight fixture with two 一级 post points that no notice may show: one the only point
/// of a key post (保险柜管理员), one a second 一级 point of the key post 收费员.
fn oversight_with_hidden_key_points() -> Site {
    Site::fixture("oversight")
        .file(
            "content/2022/caiwu/baoxiangui.md",
            &grade_one_post("CW-18", "金丝雀保险柜钥匙", "保险柜管理员", "不公示"),
        )
        .file(
            "content/2022/caiwu/shoufei-yincang.md",
            &grade_one_post("CW-19", "金丝雀收费隐藏点", "收费员", "不公示"),
        )
}

/// The rows of the key posts' table, each as its cells' text.
fn key_post_rows(html: &str) -> Vec<Vec<String>> {
    let Some(start) = html.find("<table class=\"list key-posts\">") else {
        return Vec::new();
    };
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("<td>")
                .skip(1)
                .map(|cell| strip_tags(cell).trim().to_string())
                .collect()
        })
        .collect()
}

/// Regression: key posts (风险重点防范岗位) were computed but never published, though plan
/// 七.(三) says 将风险重点岗位情况及工作流程一定范围内公开. The oversight page lists those this
/// audience may see, with their 一级 points linked; a post that is key only by a hidden point,
/// and a hidden point of a key post, appear nowhere.
#[test]
fn key_posts_are_published_from_the_points_the_audience_may_see() {
    let site = oversight_with_hidden_key_points();
    site.check().succeeds();
    // The finance department's own notice shows its 科室-scope post points.
    site.run(["build", "--scope", "科室:caiwu"]).succeeds();
    let tree = read_tree(&site.path("output"));
    let oversight = page(&tree, "2022/oversight.html");
    // Both posts have a yellow card: the bulletin names the 科室·岗位, not the holders
    // (site.yaml `oversight.show_names`, tests/fidelity.rs).
    assert_eq!(
        key_post_rows(&oversight),
        [
            vec!["财务科", "出纳 黄牌警告", "—", "CW-01 现金收付不入账"],
            vec!["财务科", "收费员 黄牌警告", "—", "CW-11 收费员截留现金"],
        ]
    );
    assert!(oversight.contains("href=\"caiwu/CW-11.html\""));
    assert!(oversight.contains("href=\"caiwu/index.html\""));
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        for hidden in ["保险柜管理员", "金丝雀", "CW-18", "CW-19"] {
            assert!(!text.contains(hidden), "{path} reveals {hidden}");
        }
    }
    // The hospital-wide notice shows no post point of the fixture: no key post either.
    site.run(["build"]).succeeds();
    let oversight = site.read("output/2022/oversight.html");
    assert!(key_post_rows(&oversight).is_empty());
    assert!(oversight.contains("本范围内没有公示的风险重点防范岗位"));
    assert!(!oversight.contains("出纳"));
}

const NOT_GOOD: &str = "该科室负责人及个人在党风廉政建设责任制考核不能评为“好”等次，并要按照《关于实行党政领导问责的暂行规定》对有关责任人实行问责";

/// Regression: the department page said 本科室本年度不能评为“好”等次, the oversight page's
/// heading named 科室, and the quoted basis left out 问责; plan 七.(三) names 该科室负责人及个人
/// and the 问责. The case's date read 2022-09-12 where every other date reads 2022年7月6日.
#[test]
fn the_good_rating_names_the_head_and_staff_and_the_accountability_in_the_plans_words() {
    let site = Site::fixture("oversight");
    site.run(["build"]).succeeds();
    let oversight = site.read("output/2022/oversight.html");
    assert!(oversight.contains("<h2>科室负责人及个人不能评为“好”等次</h2>"));
    // Quoted in the basis, and said of each department.
    assert_eq!(oversight.matches(NOT_GOOD).count(), 1 + 3, "{oversight}");
    assert!(oversight.contains("<strong>总务科</strong>：2022年9月12日出现违规违纪案件，"));
    let zongwu = site.read("output/2022/zongwu/index.html");
    assert!(
        zongwu.contains("本科室2022年9月12日出现违规违纪案件"),
        "{zongwu}"
    );
    assert!(zongwu.contains(NOT_GOOD));
    for (path, bytes) in read_tree(&site.path("output")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("本年度不能评为"), "{path}");
        if path.ends_with(".html") {
            assert!(!text.contains("2022-09-12"), "{path} shows an ISO date");
        }
    }
}

/// Regression: a matrix cell's list said 按实施方案六.(二).4 定为二级 and listed CWK-05, declared
/// 一级 (SPEC `over-graded`), and the home page's 一级 card counted one more point than the
/// matrix's 一级 cells, unexplained. A cell is the computed grade; a point declared graver is
/// marked 提级管理, named in the cell's note and counted on the home page.
#[test]
fn matrix_cells_are_computed_grades_and_name_the_points_graded_more_strictly() {
    let tree = example_tree();
    let cell = page(&tree, "2022/matrix/3-2.html");
    assert!(
        cell.contains("按实施方案六.(二).4 计算为二级，共 8 个风险点。其中 1 个提级管理，所定等级严于计算等级：CWK-05（定为一级）。"),
        "{cell}"
    );
    // Every row of every cell is of the cell's grade, or marked.
    for (path, bytes) in tree.iter().filter(|(p, _)| p.starts_with("2022/matrix/")) {
        let text = String::from_utf8_lossy(bytes);
        // matrix/L-I.html: the likelihood's and the impact's grades; the graver is computed.
        let name = path
            .trim_start_matches("2022/matrix/")
            .trim_end_matches(".html");
        let (l, i) = name.split_once('-').unwrap();
        let computed = l.parse::<u8>().unwrap().min(i.parse().unwrap());
        assert!(
            !text.contains(" 定为"),
            "{path}: a cell is computed, not declared"
        );
        for row in text.split("<tr><td class=\"n grade-").skip(1) {
            let declared = row[..1].parse::<u8>().unwrap();
            assert!(
                declared == computed || (declared < computed && row.contains("· 提级管理")),
                "{path}: {row}"
            );
        }
    }
    let point = page(&tree, "2022/caiwu/CWK-05.html");
    assert!(point.contains("<div><dt>计算等级</dt><dd>二级（提级管理）</dd></div>"));
    let home = page(&tree, "2022/index.html");
    assert!(
        home.contains(
            "上方统计按所定等级计数：1 个风险点提级管理、定为一级，在矩阵中计入计算等级较轻的格。"
        ),
        "{home}"
    );
}

/// Regression: every point's page said 直接负责管理落实 of its owner; plan 六.(三).5 says it of
/// 一级 only: 二级 直接管理落实, 三级 直接落实.
#[test]
fn the_owner_is_labelled_as_the_plan_says_it_of_the_grade() {
    let tree = example_tree();
    for (id, grade, role) in [
        ("CWK-01", "一级", "直接负责管理落实"),
        ("CWK-03", "二级", "直接管理落实"),
        ("CWK-07", "三级", "直接落实"),
    ] {
        let point = page(&tree, &format!("2022/caiwu/{id}.html"));
        assert!(
            point.contains(&format!("\">{grade}</span>")),
            "{id} is not {grade}"
        );
        assert!(point.contains(&format!("<dt>{role}</dt>")), "{id}");
        let dept = page(&tree, "2022/caiwu/index.html");
        let card = &dept[dept.find(&format!("id=\"{id}\"")).unwrap()..];
        let card = &card[..card.find("</article>").unwrap()];
        assert!(card.contains(&format!("<dt>{role}</dt>")), "{id}'s card");
    }
}

/// The texts of the `<li>`s of the list `<ol class="CLASS">`.
fn list_items(html: &str, class: &str) -> Vec<String> {
    let start = html
        .find(&format!("<ol class=\"{class}\">"))
        .unwrap_or_else(|| panic!("no list {class}"));
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|li| strip_tags(li).trim().to_string())
        .collect()
}

/// Regression: 附表5 listed the department's and its posts' risk points, but its 风险防范举措
/// only the department-level points' measures (HLB-01 was listed without its measures). Each
/// point listed has its measures, in the same order.
#[test]
fn the_department_pledge_gives_the_measures_of_every_point_it_lists() {
    let tree = example_tree();
    let pledge = page(&tree, "2022/forms/dept-pledge-huli.html");
    let points = list_items(&pledge, "pledge-points");
    let measures = list_items(&pledge, "pledge-measures");
    let id = |item: &String| item.split([' ', '：']).next().unwrap().to_string();
    assert!(
        points.iter().any(|p| p.starts_with("HLB-01 ")),
        "{points:?}"
    );
    assert_eq!(
        points.iter().map(id).collect::<Vec<_>>(),
        measures.iter().map(id).collect::<Vec<_>>()
    );
    let hlb01 = page(&tree, "2022/huli/HLB-01.html");
    let defence = &hlb01[hlb01.find("<section class=\"line line-1\">").unwrap()..];
    let first = defence.split("<li>").nth(1).unwrap();
    let first = &first[..first.find("</li>").unwrap()];
    let listed = measures.iter().find(|m| m.starts_with("HLB-01：")).unwrap();
    assert!(listed.contains(first), "{listed} lacks {first}");
}

/// The plan's notes 1–4, common to 附表1, 附表2 and 附表3 (注 2's 不说法行为 is the plan's text
/// garbled: 不廉洁行为).
const FORM_NOTES: [&str; 4] = [
    "部门指单位或者科室；岗位职责指个人所在岗位的职权及承担的工作任务；廉政职责指个人立足岗位落实党风廉政建设责任制的责任和义务。",
    "从岗位职责、业务流程、制度机制、外部环境等四个方面入手，查找可能引起个人不廉洁行为的因素，确定和填报风险点。",
    "针对廉政风险，提出自我防控的措施。",
    "风险评估，是针对每一个岗位查找出来的岗位职责风险、业务流程风险、制度机制风险和外部环境风险，按发生机率大小、可能造成的危害程度评定等级，具体分为A 级、B 级、C 级三个风险等级。",
];

/// Regression: the forms' index listed 附表3, then 2 and 5, then 1 and 4; 附表3's title said
/// 单位风险岗位廉能识别防控表 and 附表2's dropped 科（室）, names the plan does not give them; and
/// 附表2's and 附表3's notes were rewritten (注 1 dropped, 注 4 shortened, 附表3's 注 5 changed).
#[test]
fn the_forms_are_listed_in_order_under_the_plans_names_with_the_plans_notes() {
    let tree = example_tree();
    let index = page(&tree, "2022/forms/index.html");
    let headings: Vec<String> = index
        .split("<h2>")
        .skip(1)
        .map(|h| h[..h.find("</h2>").unwrap()].to_string())
        .collect();
    assert_eq!(
        headings,
        [
            "附表1 赣州市第五人民医院个人风险岗位廉能识别防控表",
            "附表2 赣州市第五人民医院科（室）风险岗位廉能识别防控表",
            "附表3 赣州市第五人民医院风险岗位廉能识别防控表",
            "附表4 个人风险岗位廉能防范承诺书",
            "附表5 科室风险岗位廉能监管防范承诺书",
        ]
    );
    let title = |path: &str| {
        let html = page(&tree, path);
        html[html.find("<title>").unwrap() + 7..html.find(" · ").unwrap()].to_string()
    };
    assert_eq!(
        title("2022/forms/unit.html"),
        "附表3 风险岗位廉能识别防控表"
    );
    assert_eq!(
        title("2022/forms/dept-caiwu.html"),
        "附表2 财务科 科（室）风险岗位廉能识别防控表"
    );
    assert_eq!(
        title("2022/forms/dept-pledge-caiwu.html"),
        "附表5 财务科 科室风险岗位廉能监管防范承诺书"
    );
    for (path, fifth) in [
        (
            "2022/forms/dept-caiwu.html",
            "本表一式四份，一份用于公示、一份科室留存，一份单位留存，一份于 7 月 5 日前上报市局领导小组。",
        ),
        (
            "2022/forms/unit.html",
            "本表一式三份，一份用于公示、一份科室留存，一份单位留存，一份于 7 月 20 日前上报市局领导小组。",
        ),
    ] {
        let notes = list_items(&page(&tree, path), "form-notes");
        let mut expected: Vec<&str> = FORM_NOTES.to_vec();
        expected.push(fifth);
        assert_eq!(notes, expected, "{path}");
        assert!(
            page(&tree, path).contains("为公示系统所加"),
            "{path}: added columns unexplained"
        );
    }
}
