//! The notice as the plan words it (issue 18, "Fidelity to the plan", "The public notice", "Free
//! text cannot leak"). One fixture per rule under `tests/fixtures/fidelity/`, each laid over the
//! valid base site:
//!
//! - `leader-points`: a leader's own 单位 points (plan 六.(二)) and who supervises them (七.(一));
//! - `unit-scope`: a 单位 point may not be 不公示 (六.(二).3);
//! - `filed`: `review.filed`, the filing with the city bureau (六.(三).4.(3));
//! - `key-post-flow`: key posts and their 工作流程 diagrams (七.(三));
//! - `hidden-mention`: free text naming points its readers may not see.
//!
//! Then what the built notice shows: the leaders under the 领导小组, 附表1's duties, 附表3's
//! filing dates, the 通报's date, names beside a yellow card, the key-post rule, the cards'
//! lines of defence and the plan's wording of the impact.

use std::collections::BTreeMap;

use crate::harness::{Error, Site, Warning, base};
use crate::support::dom::strip_tags;
use crate::support::files::read_tree;

fn fixture(name: &str) -> Site {
    Site::fixture(&format!("fidelity/{name}"))
}

fn built(site: &Site, args: &[&str]) -> BTreeMap<String, String> {
    site.run([&["build"], args].concat()).succeeds();
    read_tree(&site.path("output"))
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

/// The office's internal build (`--scope 办公室`, issue 18 part A), written to `output-office/`.
fn built_office(site: &Site) -> BTreeMap<String, String> {
    site.run(["build", "--scope", "办公室"]).succeeds();
    read_tree(&site.path("output-office"))
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

fn page<'t>(tree: &'t BTreeMap<String, String>, path: &str) -> &'t str {
    tree.get(path)
        .unwrap_or_else(|| panic!("no page {path}"))
        .as_str()
}

/// The part of `html` from `start` to the first `end` after it.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in the page"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |at| at + end.len())]
}

// ---------------------------------------------------------------------------------------------
// Leaders' own points (plan 六.(二)) and their supervisor (plan 七.(一)).

const OWN_PRINCIPAL: &str = "content/2022/unit/own-principal.md";
const OWN_PRINCIPAL_OK: &str = "content/2022/unit/own-principal-ok.md";
const OWN_DEPUTY: &str = "content/2022/unit/own-deputy.md";
const NOT_A_LEADER: &str = "content/2022/unit/not-a-leader.md";

#[test]
fn leader_points_fixture_reports_exactly_its_cases() {
    // own-principal-ok.md (the principal's point, supervised by the discipline lead) is right.
    let run = fixture("leader-points").check().fails().only(&[
        ("level-field", NOT_A_LEADER, 5, 9),
        ("responsibility", OWN_DEPUTY, 11, 13),
        ("responsibility", OWN_PRINCIPAL, 11, 13),
    ]);
    let d = run.diag("responsibility", Error, OWN_PRINCIPAL, 11, 13);
    assert!(d.message.contains("纪检负责人 纪书记"), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("七.(一)"), "{d}");
    let d = run.diag("responsibility", Error, OWN_DEPUTY, 11, 13);
    assert!(d.message.contains("不能由本人负责监督"), "{d}");
    let d = run.diag("level-field", Error, NOT_A_LEADER, 5, 9);
    assert!(d.message.contains("不是领导班子成员"), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("纪书记"), "{d}");
}

/// The principal's own point needs 纪检 (`leaders.discipline`) to supervise it: without one in
/// the year, even a supervisor who is not the principal is an error that says what to add.
#[test]
fn principals_point_without_a_discipline_lead_says_to_name_one() {
    let d = fixture("leader-points")
        .delete_line(base::YEAR, "  discipline: 纪书记")
        .check()
        .fails()
        .diag("responsibility", Error, OWN_PRINCIPAL_OK, 11, 13);
    assert!(d.message.contains("discipline"), "{d}");
}

/// Regression: `holder` on a 单位 point was a `level-field` error whatever it named, so a
/// leader's own risk points (plan 六.(二): 按岗位、科室、单位、领导班子成员排查) had no place.
#[test]
fn a_leaders_own_point_is_listed_under_the_leading_group() {
    let site = fixture("leader-points")
        .remove(OWN_PRINCIPAL)
        .remove(OWN_DEPUTY)
        .remove(NOT_A_LEADER);
    site.check().succeeds().clean();
    let tree = built(&site, &[]);
    let home = page(&tree, "2022/index.html");
    let group = between(home, "<h2>领导小组</h2>", "</section>");
    assert!(group.contains("领导班子成员本人风险点"), "{group}");
    assert!(
        group.contains("href=\"unit/DW-12.html\"") && group.contains("DW-12 主要领导个人说了算"),
        "{group}"
    );
    assert!(strip_tags(group).contains("刘院长主要领导"), "{group}");
    let point = page(&tree, "2022/unit/DW-12.html");
    assert!(
        point.contains("<dt>领导班子成员</dt><dd>刘院长（主要领导）</dd>"),
        "{point}"
    );
    let form = page(&tree, "2022/forms/unit.html");
    assert!(form.contains("主要领导个人说了算（主要领导刘院长本人）"));
    // No leader point, no list.
    let tree = built(&Site::base(), &[]);
    assert!(!page(&tree, "2022/index.html").contains("领导班子成员本人风险点"));
}

// ---------------------------------------------------------------------------------------------
// 单位 points are published 全院 (plan 六.(二).3).

/// Regression: `scope: 不公示` on a 单位 point was accepted, though the plan has the board
/// publish hospital points 在全院范围内 (六.(二).3) and their measures 在全院范围内公示
/// (六.(三).4.(3)).
#[test]
fn a_unit_point_may_not_be_hidden() {
    let d = fixture("unit-scope")
        .check()
        .fails()
        .only(&[("level-field", "content/2022/unit/hidden.md", 15, 8)])
        .diag("level-field", Error, "content/2022/unit/hidden.md", 15, 8);
    assert!(d.message.contains("不公示"), "{d}");
    // Nor by the site's default.
    Site::base()
        .file(
            base::SITE,
            "name: 赣州市第五人民医院\ncurrent_year: 2022\nrules:\n  default_scope: {单位: 不公示}\n",
        )
        .check()
        .fails()
        .only(&[("level-field", base::SITE, 4, 23)]);
}

// ---------------------------------------------------------------------------------------------
// 报市卫生局纪检组备案 (plan 六.(三).4.(3)).

#[test]
fn filed_fixture_reports_exactly_its_cases() {
    // filed-ok.md is filed after the notice started: that is allowed.
    let run = fixture("filed").check().fails().only(&[
        ("level-field", "content/2022/caiwu/filed-post.md", 17, 10),
        ("review-order", "content/2022/unit/filed-early.md", 18, 10),
        (
            "not-approved",
            "content/2022/unit/filed-unapproved.md",
            15,
            1,
        ),
        (
            "review-order",
            "content/2022/unit/filed-unapproved.md",
            17,
            10,
        ),
    ]);
    let d = run.diag(
        "review-order",
        Error,
        "content/2022/unit/filed-early.md",
        18,
        10,
    );
    assert!(d.message.contains("早于班子会议审定日期"), "{d}");
}

#[test]
fn the_filing_date_is_shown_on_form_3() {
    let site = fixture("filed")
        .remove("content/2022/caiwu/filed-post.md")
        .remove("content/2022/unit/filed-early.md")
        .remove("content/2022/unit/filed-unapproved.md");
    let tree = built(&site, &[]);
    let form = page(&tree, "2022/forms/unit.html");
    let row = between(form, "<td class=\"c\">DW-18</td>", "</tr>");
    assert!(
        row.contains("（2022年7月20日报市卫生局纪检组备案）"),
        "{row}"
    );
    // A point not yet filed says nothing of it.
    let row = between(form, "<td class=\"c\">DW-01</td>", "</tr>");
    assert!(!row.contains("备案"), "{row}");
}

// ---------------------------------------------------------------------------------------------
// Key posts and their workflow (plan 七.(三)).

#[test]
fn key_post_flow_fixture_reports_the_post_without_a_diagram() {
    // 司机班长's diagram is in its point's own body; 库管员 is marked on the department's.
    let d = fixture("key-post-flow")
        .check()
        .succeeds()
        .only(&[("key-post-flow", "content/2022/zongwu/no-flow.md", 5, 7)])
        .diag(
            "key-post-flow",
            Warning,
            "content/2022/zongwu/no-flow.md",
            5,
            7,
        );
    assert!(d.message.contains("总务科·采购员"), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains("@ZW-11"), "{d}");
}

/// What makes a post key is the site's rule (`rules.key_post`): with 三级, every post is key,
/// and the oversight page says so.
#[test]
fn the_key_post_rule_is_the_sites_and_the_notice_states_it() {
    let site = Site::base();
    let tree = built(&site, &[]);
    let help = between(
        page(&tree, "2022/oversight.html"),
        "<h2>风险重点防范岗位</h2>",
        "</p>",
    )
    .to_string();
    assert!(
        help.contains("本院认定办法：有一级岗位风险点的岗位为风险重点防范岗位"),
        "{help}"
    );
    let site = site.file(
        base::SITE,
        "name: 赣州市第五人民医院\ncurrent_year: 2022\nrules:\n  key_post: 三级\n",
    );
    // 会计 (三级 only) is now a key post, and has no diagram.
    site.check()
        .succeeds()
        .only(&[("key-post-flow", base::KUAIJI, 5, 7)]);
    assert_eq!(site.load().oversight.key_posts.len(), 3);
    let tree = built(&site, &["--scope", "科室:caiwu"]);
    let oversight = page(&tree, "2022/oversight.html");
    assert!(
        oversight.contains("有岗位风险点（任何等级）的岗位为风险重点防范岗位"),
        "{oversight}"
    );
    assert!(oversight.contains("CW-03 会计凭证审核不细"));
}

// ---------------------------------------------------------------------------------------------
// Free text cannot leak.

const CAIWU_INDEX: &str = "content/2022/caiwu/_index.md";
const ZONGWU_INDEX: &str = "content/2022/zongwu/_index.md";

/// The attacks: a hidden title broken over two lines (caiwu), a hidden id in lower case inside
/// a link (zongwu), an unapproved point's id in the year's preamble, a 不公示 title in a
/// published 全院 point, another department's 科室-scope title in a 科室-scope point. Not
/// reported: an HTML comment naming a point, a diagram's `@CW-01`, `CW-011` and `XCW-01`.
#[test]
fn hidden_mention_fixture_reports_each_leak() {
    let run = fixture("hidden-mention").check().succeeds().only(&[
        ("hidden-mention", base::YEAR, 17, 33),
        ("hidden-mention", CAIWU_INDEX, 7, 27),
        ("hidden-mention", base::CHUNA, 23, 26),
        ("not-approved", "content/2022/caiwu/pending.md", 12, 1),
        ("hidden-mention", base::ZHICHU, 22, 3),
        ("hidden-mention", ZONGWU_INDEX, 6, 34),
    ]);
    let d = run.diag("hidden-mention", Warning, CAIWU_INDEX, 7, 27);
    assert!(
        d.message.contains("CW-01") && d.message.contains("全院公示看不到"),
        "{d}"
    );
    let d = run.diag("hidden-mention", Warning, base::CHUNA, 23, 26);
    assert!(
        d.message.contains("财务科（科室:caiwu）的公示看不到"),
        "{d}"
    );
    assert!(d.message.contains("YJ-01"), "{d}");
    let d = run.diag("hidden-mention", Warning, base::YEAR, 17, 33);
    assert!(d.message.contains("尚未完成审批"), "{d}");
}

/// `check --scope` holds the bodies that audience's notice shows against it alone.
#[test]
fn check_scope_holds_the_free_text_against_one_audience() {
    let site = fixture("hidden-mention");
    // 全院: CW-01's body is not on the 全院 notice, so its mention of YJ-01 is not counted.
    site.run(["check", "--format", "json", "--scope", "全院"])
        .succeeds()
        .only(&[
            ("hidden-mention", base::YEAR, 17, 33),
            ("hidden-mention", CAIWU_INDEX, 7, 27),
            ("not-approved", "content/2022/caiwu/pending.md", 12, 1),
            ("hidden-mention", base::ZHICHU, 22, 3),
            ("hidden-mention", ZONGWU_INDEX, 6, 34),
        ]);
    // 科室:caiwu sees its own CW-01, not 药剂科's YJ-01.
    site.run(["check", "--format", "json", "--scope", "科室:caiwu"])
        .succeeds()
        .only(&[
            ("hidden-mention", base::YEAR, 17, 33),
            ("hidden-mention", base::CHUNA, 23, 26),
            ("not-approved", "content/2022/caiwu/pending.md", 12, 1),
            ("hidden-mention", base::ZHICHU, 22, 3),
        ]);
    // The office's internal build shows every point: no body names one hidden from it.
    site.run(["check", "--format", "json", "--scope", "办公室"])
        .succeeds()
        .only(&[("not-approved", "content/2022/caiwu/pending.md", 12, 1)]);
    site.run(["check", "--scope", "科室:waike"])
        .exit(2)
        .stderr_has("没有科室“waike”");
}

/// The example's department overviews named 科室-scope points (XXK-03, ZWK-02, SBK-03) on the
/// 全院 notice; the example now checks with its deliberate warnings only.
#[test]
fn the_examples_free_text_names_no_hidden_point() {
    let site = crate::build::ExampleSite::copy();
    let run = site.gongshi(&["check", "--format", "json"]).succeeds();
    let rules: Vec<String> = run.stdout_json().into_iter().map(|d| d.rule).collect();
    assert!(!rules.iter().any(|r| r == "hidden-mention"), "{rules:?}");
    assert!(!rules.iter().any(|r| r == "key-post-flow"), "{rules:?}");
    assert_eq!(rules.len(), 6, "{rules:?}");
}

// ---------------------------------------------------------------------------------------------
// 一岗双责 on 附表1.

fn with_duties(duties: &str) -> Site {
    Site::base().replace(
        base::CAIWU,
        "key_area: 财务\n",
        &format!("key_area: 财务\n{duties}"),
    )
}

/// Regression: 附表1's 岗位职责 and 廉政职责 rows were always blank.
#[test]
fn duties_fill_form_1() {
    let site = with_duties(
        "duties:\n  出纳:\n    post: 办理现金收付和银行结算\n    integrity: 不挪用、不坐支资金\n",
    );
    site.check().succeeds().clean();
    let tree = built(&site, &["--scope", "科室:caiwu"]);
    let form = page(&tree, "2022/forms/person-CW-01.html");
    assert!(
        form.contains("<th>岗位职责</th><td colspan=\"4\">办理现金收付和银行结算</td>"),
        "{form}"
    );
    assert!(
        form.contains("<th>廉政职责</th><td colspan=\"4\">不挪用、不坐支资金</td>"),
        "{form}"
    );
    // 会计 has none: the rows stay blank, to be filled in by hand.
    let form = page(&tree, "2022/forms/person-CW-03.html");
    assert!(
        form.contains("<th>岗位职责</th><td colspan=\"4\" class=\"blank tall\"></td>"),
        "{form}"
    );
}

#[test]
fn malformed_duties_are_reported_where_they_stand() {
    with_duties("duties:\n  出纳:\n    post: 办理现金收付\n    职责: 不挪用\n  会计: 核算\n")
        .check()
        .fails()
        .only(&[
            ("unknown-field", base::CAIWU, 9, 5),
            ("invalid-value", base::CAIWU, 10, 7),
        ]);
    with_duties("duties: [出纳, 会计]\n")
        .check()
        .fails()
        .only(&[("invalid-value", base::CAIWU, 6, 9)]);
}

// ---------------------------------------------------------------------------------------------
// The 监督通报.

/// Regression: the key posts' table named the holders of a post beside its yellow card (given
/// for a 民主评议 rank here); the card is the post's (plan 七.(三)), so the bulletin names the
/// 科室·岗位 only, unless site.yaml says `oversight.show_names: true`.
#[test]
fn the_bulletin_names_no_holder_beside_a_yellow_card_unless_asked() {
    let site = Site::fixture("oversight");
    // 出纳 (张出纳) and 收费员 (冯收费) have cards.
    let tree = built(&site, &["--scope", "科室:caiwu"]);
    let oversight = page(&tree, "2022/oversight.html");
    for holder in ["张出纳", "冯收费"] {
        assert!(
            !oversight.contains(holder),
            "{holder} named on the bulletin"
        );
    }
    assert!(oversight.contains("只写科室和岗位，不写在岗人员姓名"));
    // 库管员 (孔库管) has a card too; 采购员 (何采购) has none, and is named.
    let tree = built(&site, &["--scope", "科室:yaojike"]);
    let oversight = page(&tree, "2022/oversight.html");
    assert!(!oversight.contains("孔库管"), "{oversight}");
    assert!(oversight.contains("<td>何采购</td>"), "{oversight}");
    let site = site.file(
        base::SITE,
        "name: 赣州市第五人民医院\ncurrent_year: 2022\noversight:\n  show_names: true\n",
    );
    site.check().succeeds().clean();
    let tree = built(&site, &["--scope", "科室:caiwu"]);
    let oversight = page(&tree, "2022/oversight.html");
    for holder in ["张出纳", "冯收费"] {
        assert!(oversight.contains(holder), "{holder} not named");
    }
    // Nor does the page then say that it withholds them.
    assert!(!oversight.contains("不写在岗人员姓名"), "{oversight}");
    site.file(
        base::SITE,
        "name: 赣州市第五人民医院\noversight:\n  show_names: 是\n",
    )
    .check()
    .fails()
    .only(&[("invalid-value", base::SITE, 3, 15)]);
}

#[test]
fn the_bulletin_has_its_own_date() {
    let site = Site::fixture("oversight");
    let tree = built(&site, &[]);
    assert!(!page(&tree, "2022/oversight.html").contains("通报日期"));
    let site = site.replace(
        base::OVERSIGHT,
        "reports:\n",
        "date: 2022-09-30\nreports:\n",
    );
    let tree = built(&site, &[]);
    assert!(
        page(&tree, "2022/oversight.html")
            .contains("<p class=\"notice-date\">通报日期：2022年9月30日</p>")
    );
    site.replace(base::OVERSIGHT, "date: 2022-09-30", "date: 2022-09-31")
        .check()
        .fails()
        .only(&[("invalid-value", base::OVERSIGHT, 2, 7)]);
}

// ---------------------------------------------------------------------------------------------
// Cards and the impact's wording.

/// Regression: a 三级 card showed "—" under 中期监控 and 后期处置, which its grade does not
/// require; a card shows the lines its point has.
#[test]
fn cards_show_only_the_lines_of_defence_the_point_has() {
    let tree = built(&Site::base(), &[]);
    let dept = page(&tree, "2022/zongwu/index.html");
    let card = between(
        dept,
        "<article class=\"card grade-3\" id=\"ZW-01\">",
        "</article>",
    );
    assert_eq!(card.matches("<section class=\"line").count(), 1, "{card}");
    assert!(card.contains("<h4>前期预防</h4>"), "{card}");
    assert!(!card.contains("—"), "{card}");
    // A 一级 card has all three.
    let dept = page(&tree, "2022/caiwu/index.html");
    let card = between(dept, "id=\"CW-02\">", "</article>");
    assert_eq!(card.matches("<section class=\"line").count(), 2, "{card}");
}

/// Regression: pages said 危害程度“较重” beside plan 四's "一级较重", as if a 二级 impact were
/// the gravest. Pages word the impact as plan 六.(二).4 does; the YAML values stay.
#[test]
fn pages_word_the_impact_as_the_plan_does() {
    let tree = built(&Site::base(), &[]);
    let point = page(&tree, "2022/caiwu/CW-02.html");
    assert!(
        point.contains("<dt>危害程度</dt><dd>较为严重</dd>"),
        "{point}"
    );
    let home = page(&tree, "2022/index.html");
    let matrix = between(home, "<svg class=\"chart matrix\"", "</svg>");
    assert!(matrix.contains(">较为严重</text>"), "{matrix}");
    assert!(matrix.contains(">一般影响</tspan>"), "{matrix}");
    assert!(matrix.contains(">或一定经济损失</tspan>"), "{matrix}");
    assert!(!matrix.contains("较重"), "{matrix}");
    let list = page(&tree, "2022/matrix/2-2.html");
    assert!(list.contains("发生机率较高、危害程度较为严重"), "{list}");
    // The plan's words are accepted in the files too.
    Site::base()
        .replace(base::ZHICHU, "impact: 较重", "impact: 较为严重")
        .replace(
            base::WEIXIU,
            "impact: 一般",
            "impact: 一般影响或一定经济损失",
        )
        .check()
        .succeeds()
        .clean();
}

// ---------------------------------------------------------------------------------------------
// The office's complete forms (issue 18 part A) carry the same rows.

/// In the office's build every form lists all its points (unpublished ones marked): 附表1
/// still has the post's duties, 附表3 the filing date and the leader's own point, and the
/// department's print page both.
#[test]
fn the_offices_complete_forms_carry_duties_filing_and_leaders() {
    let site = with_duties(
        "duties:\n  出纳:\n    post: 办理现金收付和银行结算\n    integrity: 不挪用、不坐支资金\n",
    );
    let tree = built_office(&site);
    let duties = "<th>岗位职责</th><td colspan=\"4\">办理现金收付和银行结算</td>";
    assert!(page(&tree, "2022/forms/person-CW-01.html").contains(duties));
    let print = page(&tree, "2022/caiwu/print.html");
    assert!(print.contains(duties), "{print}");
    assert!(print.contains("<th>廉政职责</th><td colspan=\"4\">不挪用、不坐支资金</td>"));

    // A filed point, a leader's own point and an unfiled, unapproved one on the office's 附表3.
    let site = fixture("leader-points")
        .remove(OWN_PRINCIPAL)
        .remove(OWN_DEPUTY)
        .remove(NOT_A_LEADER)
        .replace(
            OWN_PRINCIPAL_OK,
            "  board: 2022-07-01\n",
            "  board: 2022-07-01\n  filed: 2022-07-20\n",
        );
    site.check().succeeds().clean();
    let tree = built_office(&site);
    let form = page(&tree, "2022/forms/unit.html");
    let row = between(form, "<td class=\"c\">DW-12</td>", "</tr>");
    assert!(row.contains("（主要领导刘院长本人）"), "{row}");
    assert!(
        row.contains("（2022年7月20日报市卫生局纪检组备案）"),
        "{row}"
    );
    let group = between(
        page(&tree, "2022/index.html"),
        "<h2>领导小组</h2>",
        "</section>",
    );
    assert!(group.contains("DW-12 主要领导个人说了算"), "{group}");
}

// ---------------------------------------------------------------------------------------------
// The workbook (issue 17) carries a leader's own point and the filing date.

/// Regression: the 单位 sheet had no holder and no filing date, so `import` of the example's
/// returned workbook wrote DW-09 without its leader (then a `responsibility` error: a 一级
/// point supervised by the discipline lead) and dropped `review.filed` from every point.
#[test]
fn the_unit_workbook_keeps_the_leader_and_the_filing_date() {
    let site = crate::sheet_import::example();
    let book = crate::sheet_import::filled_template(&site, "unit");
    let dw09 = site.path("content/2022/unit/dw-09.md");
    let before = std::fs::read_to_string(&dw09).unwrap();
    assert!(before.contains("holder: 张某明") && before.contains("filed: 2022-07-15"));
    let book_arg = book.to_str().unwrap().to_string();
    // Over the files as they are: nothing to change.
    site.run(["import", &book_arg]).succeeds();
    assert_eq!(std::fs::read_to_string(&dw09).unwrap(), before);
    // Into an empty folder: the new files have the leader and the date.
    for entry in std::fs::read_dir(site.path("content/2022/unit")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    site.run(["import", &book_arg]).succeeds();
    let after = std::fs::read_to_string(&dw09).unwrap();
    assert!(after.contains("holder: 张某明"), "{after}");
    assert!(after.contains("  filed: 2022-07-15"), "{after}");
    site.check().succeeds();
}
