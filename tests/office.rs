//! The office's internal build (`--scope 办公室`) and drafts (`--drafts`): every point shown,
//! each one the public notice leaves out marked with why, a banner on every page, never
//! written to `output/`; the progress board against `check -v`; the plan's deadlines and the
//! `late` rule; 落款 and 文号; the print CSS's faces. The public builds' side of it (none of
//! this leaks) is in tests/build.rs (`INTERNAL_CANARIES`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use gongshi::audience::Audience;
use gongshi::check::Verbosity;
use gongshi::serve::ServeOptions;

use crate::build::{
    ExampleSite, add_canaries, add_other_department_canary, files_containing, read_tree,
};
use crate::harness::{Site, Warning, base};

fn text(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    match tree.get(path) {
        Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        None => panic!("no {path} in the build"),
    }
}

/// The canaries' marks (tests/build.rs `add_canaries`): ZZ-1 is 不公示, ZZ-2 lacks the
/// office's approval, ZZ-3 is scoped to its department; ZZ-4 is published.
const MARKS: [(&str, &str); 3] = [
    ("ZZ-1", "不公示"),
    ("ZZ-2", "未公示：缺领导小组办公室审定（党政组织审核）"),
    ("ZZ-3", "仅科室公示（财务科）"),
];

fn mark_span(mark: &str) -> String {
    format!("<span class=\"unpublished-mark\">{mark}</span>")
}

#[test]
fn the_office_build_shows_every_point_and_marks_each_one_not_public() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    site.gongshi(&["build", "--scope", "办公室"])
        .succeeds()
        .stderr_has("内部工作版，不得公开")
        .stderr_has("output-office");
    assert!(
        !site.root().join("output").exists(),
        "the office's build wrote into output/"
    );
    let tree = read_tree(&site.root().join("output-office"));
    // Every point of the year has its page, published or not.
    let loaded = gongshi::site::Site::load(site.root(), None).unwrap();
    assert!(loaded.year.points.len() >= 70);
    for p in &loaded.year.points {
        let folder = p.dept.as_deref().unwrap_or("unit");
        let path = format!("2022/{folder}/{}.html", p.id.value);
        assert!(tree.contains_key(&path), "no page {path}");
        assert!(
            text(&tree, "2022/ledger.csv").contains(&p.id.value),
            "{} is not in the office's ledger",
            p.id.value
        );
    }
    // Each point the hospital's notice leaves out says why: on its page, its card, its list
    // row and its form row.
    for (id, mark) in MARKS {
        let page = text(&tree, &format!("2022/caiwu/{id}.html"));
        assert!(
            page.contains(&format!(
                "<p class=\"unpublished\" role=\"note\"><strong>{mark}</strong>"
            )),
            "{id}: no banner {mark}"
        );
        for listed in ["2022/caiwu/index.html", "2022/grade/3.html"] {
            assert!(
                text(&tree, listed).contains(&mark_span(mark)),
                "{listed}: no mark {mark} for {id}"
            );
        }
    }
    for (form, id) in [
        ("2022/forms/dept-caiwu.html", "ZZ-1"),
        ("2022/forms/dept-caiwu.html", "ZZ-2"),
    ] {
        let mark = MARKS.iter().find(|(i, _)| *i == id).unwrap().1;
        assert!(text(&tree, form).contains(&mark_span(mark)), "{form}: {id}");
    }
    let person_form = files_containing(&tree, "金丝雀科室范围丙")
        .into_iter()
        .find(|f| f.starts_with("2022/forms/person-"))
        .expect("the 岗位 canary is on a person's 附表1");
    assert!(text(&tree, &person_form).contains(&mark_span("仅科室公示（财务科）")));
    // A published point carries no mark.
    let published = text(&tree, "2022/caiwu/ZZ-4.html");
    assert!(!published.contains("unpublished"), "ZZ-4 is published");
    // Every page says what it is.
    let pages: Vec<&String> = tree.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 150);
    for path in pages {
        let html = text(&tree, path);
        assert!(
            html.contains(
                "<div class=\"internal-banner\" role=\"note\">内部工作版，不得公开</div>"
            ),
            "{path}: no internal banner"
        );
        assert!(html.contains("noindex"), "{path}: indexable");
    }
    // The office has its board and a print page per department, and its navigation leads to
    // the board.
    assert!(tree.contains_key("2022/progress.html"));
    assert!(text(&tree, "2022/index.html").contains("progress.html\">工作进度</a>"));
    for d in &loaded.year.departments {
        assert!(
            tree.contains_key(&format!("2022/{}/print.html", d.slug)),
            "no print page for {}",
            d.slug
        );
    }
}

#[test]
fn drafts_are_marked_on_the_chosen_notice_and_never_written_to_output() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    add_other_department_canary(&site);
    let public = read_tree(&site.build(&[]));
    // The public output is refused as the drafts' output, however it is named.
    for output in ["output", "./output"] {
        let dir = site.root().join(output);
        site.gongshi(&["build", "--drafts", "--output", dir.to_str().unwrap()])
            .exit(2)
            .stderr_has("不能把内部工作版输出到");
    }
    site.gongshi(&[
        "build",
        "--scope",
        "办公室",
        "-o",
        site.root().join("output").to_str().unwrap(),
    ])
    .exit(2);
    // The department's drafts: its own 科室-scope point is in its notice, another's is not.
    site.gongshi(&["build", "--drafts", "--scope", "科室:caiwu"])
        .succeeds()
        .stderr_has("output-drafts");
    assert_eq!(
        read_tree(&site.root().join("output")),
        public,
        "output/ changed"
    );
    let drafts = read_tree(&site.root().join("output-drafts"));
    let own = text(&drafts, "2022/caiwu/ZZ-3.html");
    assert!(
        !own.contains("class=\"unpublished\""),
        "ZZ-3 is in caiwu's notice"
    );
    let other = text(&drafts, "2022/renshi/ZZ-5.html");
    assert!(
        other.contains("<strong>仅科室公示（人事科）</strong>"),
        "ZZ-5 is not marked"
    );
    let hidden = text(&drafts, "2022/caiwu/ZZ-1.html");
    assert!(hidden.contains("<strong>不公示</strong>"));
    assert!(
        text(&drafts, "2022/index.html").contains("草稿预览"),
        "the drafts' banner"
    );
    // Drafts are not the office's: no board, no print pages.
    assert!(!drafts.contains_key("2022/progress.html"));
    assert!(!drafts.keys().any(|k| k.ends_with("/print.html")));
}

// ------------------------------------------------------------------ the preview with drafts

/// `GET target` on the preview: the status and the body.
fn get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a reply");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_string())
}

fn serve(site: &ExampleSite, audience: Audience, drafts: bool) -> gongshi::serve::Running {
    gongshi::serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        year: None,
        audience,
        drafts,
        bind: "127.0.0.1".parse().unwrap(),
        allow_hosts: Vec::new(),
        port: 0,
        poll: false,
        verbosity: Verbosity::Quiet,
        color: false,
    })
    .expect("the preview starts")
}

#[test]
fn serve_drafts_shows_a_draft_with_its_banner_and_without_drafts_it_is_a_404() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    let draft = "/lianneng/2022/caiwu/ZZ-2.html";
    let with = serve(&site, Audience::Hospital, true);
    let (status, body) = get(with.addr(), draft);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<strong>未公示：缺领导小组办公室审定（党政组织审核）</strong>"),
        "no banner: {body}"
    );
    assert!(body.contains("金丝雀未审批乙"));
    with.stop();
    let without = serve(&site, Audience::Hospital, false);
    let (status, body) = get(without.addr(), draft);
    assert_eq!(status, 404);
    assert!(!body.contains("金丝雀未审批乙"));
    // The published point is served by both.
    assert_eq!(get(without.addr(), "/lianneng/2022/caiwu/ZZ-4.html").0, 200);
    without.stop();
    // The office's preview has its board.
    let office = serve(&site, Audience::Office, false);
    let (status, body) = get(office.addr(), "/lianneng/2022/progress.html");
    assert_eq!(status, 200);
    assert!(body.contains("工作进度") && body.contains("财务科"));
    office.stop();
}

// ------------------------------------------------------------------------ the progress board

/// The rows of the board: (department, liaison, the ten numbers, late), from its table.
fn board_rows(html: &str) -> Vec<(String, String, Vec<usize>)> {
    let body = html
        .split_once("<tbody>")
        .and_then(|(_, rest)| rest.split_once("</tbody>"))
        .map(|(body, _)| body)
        .expect("the board's table");
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
                    crate::support::dom::unescape(&strip(inner))
                })
                .collect();
            let numbers = cells[2..].iter().map(|n| n.parse().unwrap()).collect();
            (cells[0].clone(), cells[1].clone(), numbers)
        })
        .collect()
}

fn strip(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The rows of `check -v`'s progress: "  财务科（联络员 赵某琳）：7 个（岗位 4、科室 3、单位 0）；
/// 填报 0、科室审定 0、办公室审定 0、班子审定 0、已审定 7；逾期 0".
fn check_rows(stderr: &str) -> Vec<(String, String, Vec<usize>)> {
    let start = stderr
        .find("工作进度（截至")
        .expect("check -v shows the progress");
    stderr[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.trim_start().starts_with("合计"))
        .map(|line| {
            let (who, rest) = line.trim().split_once('：').unwrap();
            let (name, liaison) = match who.split_once("（联络员 ") {
                Some((name, l)) => (name.to_string(), l.trim_end_matches('）').to_string()),
                None => (who.to_string(), "—".to_string()),
            };
            let numbers: Vec<usize> = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            // total, three levels, five steps, late → the board's order: levels, total, steps, late
            let mut ordered = numbers[1..4].to_vec();
            ordered.push(numbers[0]);
            ordered.extend(&numbers[4..]);
            (name, liaison, ordered)
        })
        .collect()
}

#[test]
fn the_progress_board_lists_every_department_with_the_counts_of_check_v() {
    let site = ExampleSite::copy();
    add_canaries(&site);
    for today in ["2022-07-01", "2022-08-01"] {
        let built = crate::harness::Gongshi::new()
            .args(["--root", site.root().to_str().unwrap()])
            .args(["build", "-q", "--scope", "办公室"])
            .env("GONGSHI_TODAY", today)
            .run()
            .succeeds();
        drop(built);
        let tree = read_tree(&site.root().join("output-office"));
        let html = text(&tree, "2022/progress.html");
        let board = board_rows(&html);
        let check = crate::harness::Gongshi::new()
            .args(["--root", site.root().to_str().unwrap(), "check", "-v"])
            .env("GONGSHI_TODAY", today)
            .run()
            .succeeds();
        assert_eq!(board, check_rows(&check.stderr), "{today}");
        // Every department, then the hospital's own points; each point counted once.
        let loaded = gongshi::site::Site::load(site.root(), None).unwrap();
        let mut names: Vec<String> = loaded
            .year
            .departments
            .iter()
            .map(|d| d.name.value.clone())
            .collect();
        names.push("医院（单位）".into());
        assert_eq!(board.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), names);
        let total: usize = board.iter().map(|r| r.2[3]).sum();
        assert_eq!(total, loaded.year.points.len());
        for (name, _, n) in &board {
            assert_eq!(n[4..9].iter().sum::<usize>(), n[3], "{name}: steps");
        }
        let row = |name: &str| board.iter().find(|r| r.0 == name).unwrap().2.clone();
        // 财务科: ZZ-2 waits for the office; 总务科: ZWK-06 for 科室集体审定.
        assert_eq!(row("财务科")[6], 1);
        assert_eq!(row("总务科")[5], 1);
        assert_eq!(board.iter().find(|r| r.0 == "财务科").unwrap().1, "赵某琳");
        // On 7月1日 only RSK-06 is late (filed after 6月25日); a month later every point still
        // waiting for an approval its form needed by 7月5日 (附表1, 附表2) is late too.
        let late = |name: &str| row(name)[9];
        assert_eq!(late("人事科"), 1, "{today}");
        let expected_caiwu = if today == "2022-07-01" { 0 } else { 1 };
        assert_eq!(late("财务科"), expected_caiwu, "{today}");
        assert!(html.contains(&format!(
            "截至 {}",
            gongshi::model::Date::parse(today).unwrap().chinese()
        )));
    }
}

// ------------------------------------------------------------------ deadlines and `late`

#[test]
fn the_example_is_late_against_the_implementation_phase_as_before() {
    let site = ExampleSite::copy();
    let run = site.gongshi(&["check", "--format", "json"]).succeeds();
    let late: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"late\""))
        .collect();
    assert_eq!(late.len(), 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("填报日期 2022-06-28 晚于组织实施阶段的截止日 2022-06-25")
    );
}

fn with_deadlines(deadlines: &str) -> Site {
    Site::base().replace(
        base::YEAR,
        "office_staff: [孙干事]}\n",
        &format!("office_staff: [孙干事]}}\n{deadlines}\n"),
    )
}

#[test]
fn late_is_measured_against_the_year_files_submit_deadline() {
    let run = with_deadlines("deadlines: {submit: 2022-06-01}").check();
    let d = run.diag("late", Warning, "content/2022/unit/jijian.md", 17, 14);
    assert_eq!(
        d.message,
        "填报日期 2022-06-10 晚于填报截止日 2022-06-01（年度 _index.md 的 deadlines）"
    );
    run.succeeds().only(&[
        ("late", "content/2022/unit/jijian.md", 17, 14),
        ("late", "content/2022/unit/renshi.md", 16, 14),
        ("late", "content/2022/unit/yinzhang.md", 13, 14),
        ("late", "content/2022/zongwu/weixiu.md", 14, 14),
    ]);
}

#[test]
fn an_approval_after_its_forms_deadline_is_late() {
    // 附表1 (岗位) by 5月29日: 会计 (科室集体审定 5月30日) and 采购员 (6月5日) are late; 附表3
    // (单位) by 7月2日: 印章 (班子会议审定 7月6日, the notice's first day) is late.
    let run = with_deadlines("deadlines:\n  form1: 2022-05-29\n  form3: 2022-07-02").check();
    let d = run.diag("late", Warning, base::KUAIJI, 17, 9);
    assert_eq!(
        d.message,
        "科室集体审定日期 2022-05-30 晚于附表1 报市局的截止日 2022-05-29（年度 _index.md 的 deadlines）"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("附表1 报市局前须完成审定；截止日可在年度 _index.md 的 deadlines.form1 中设定")
    );
    run.succeeds().only(&[
        ("late", base::KUAIJI, 17, 9),
        ("late", base::CAIGOU, 18, 9),
        ("late", base::YINZHANG, 14, 10),
    ]);
}

#[test]
fn deadlines_are_checked_like_every_other_date() {
    with_deadlines("deadlines: {submit: 2022-5-20}")
        .check()
        .fails()
        .has("invalid-value", crate::harness::Error, base::YEAR, 16, 21);
    let run = with_deadlines("deadlines: {sumbit: 2022-05-20}")
        .check()
        .fails();
    let d = run.diag("unknown-field", crate::harness::Error, base::YEAR, 16, 13);
    assert!(d.hint.clone().unwrap_or_default().contains("submit"), "{d}");
}

#[test]
fn an_id_named_print_is_reserved() {
    let run = Site::base()
        .replace(base::KUAIJI, "id: CW-03\n", "id: Print\n")
        .check()
        .fails();
    let d = run.diag("invalid-value", crate::harness::Error, base::KUAIJI, 2, 5);
    assert!(d.message.contains("print.html"), "{d}");
}

// ----------------------------------------------------------------------------- 落款 and 文号

#[test]
fn the_notice_and_the_forms_end_with_the_office_and_the_date_and_show_the_number() {
    let site = ExampleSite::copy();
    let index = site.root().join("content/2022/_index.md");
    let year = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        year.replacen("  contact: ", "  number: 院纪办〔2022〕5号\n  contact: ", 1),
    )
    .unwrap();
    let tree = read_tree(&site.build(&[]));
    let signoff = "<div class=\"signoff\"><p>赣州市第五人民医院风险岗位廉能管理工作领导小组办公室</p><p>2022年7月6日</p></div>";
    let home = text(&tree, "2022/index.html");
    assert!(home.contains(signoff), "the notice has no 落款");
    let title = home
        .find("<h1>2022年度风险岗位廉能管理工作公示</h1>")
        .unwrap();
    let number = home
        .find("<p class=\"doc-number\">院纪办〔2022〕5号</p>")
        .expect("the 文号");
    assert!(number > title, "the 文号 is under the title");
    for form in [
        "2022/forms/unit.html",
        "2022/forms/dept-caiwu.html",
        "2022/forms/person-CWK-01.html",
    ] {
        assert!(text(&tree, form).contains(signoff), "{form} has no 落款");
    }
    // The pledges are signed by those who make them.
    assert!(!text(&tree, "2022/forms/pledge-CWK-01.html").contains("signoff"));
}

#[test]
fn the_print_css_names_the_official_faces_by_local_name_only() {
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .unwrap();
    for face in ["仿宋", "宋体", "方正小标宋简体"] {
        assert!(css.contains(&format!("\"{face}")), "no {face}");
    }
    assert!(
        !css.contains("@font-face") && !css.contains("url("),
        "a web font"
    );
    let print = &css[css.find("@media print {").unwrap()..];
    for rule in [
        "font-family: var(--font-fangsong)",
        "font-family: var(--font-title)",
        "font-family: var(--font-song)",
    ] {
        assert!(print.contains(rule), "print CSS lacks {rule}");
    }
    for var in ["--font-fangsong:", "--font-song:", "--font-title:"] {
        let at = css.find(var).unwrap();
        let list = &css[at..at + css[at..].find(';').unwrap()];
        assert!(
            list.ends_with("serif"),
            "{var} does not fall back to a serif"
        );
    }
}

#[test]
fn the_exports_progress_sheet_has_the_counts_of_check_v() {
    use calamine::{Reader, Xlsx, open_workbook};
    let site = ExampleSite::copy();
    add_canaries(&site);
    let root = site.root().to_str().unwrap();
    let file = site.root().join("台帐.xlsx");
    crate::harness::Gongshi::new()
        .args(["--root", root, "export", "--format", "xlsx", "-o"])
        .arg(&file)
        .env("GONGSHI_TODAY", "2022-08-01")
        .run()
        .succeeds();
    let check = crate::harness::Gongshi::new()
        .args(["--root", root, "check", "-v"])
        .env("GONGSHI_TODAY", "2022-08-01")
        .run()
        .succeeds();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let rows: Vec<Vec<String>> = book
        .worksheet_range("进度")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert!(rows[0][0].contains("截至 2022年8月1日"), "{:?}", rows[0]);
    let header = rows
        .iter()
        .position(|r| r[0] == "科室")
        .expect("the board's header");
    let sheet: Vec<(String, String, Vec<usize>)> = rows[header + 1..]
        .iter()
        .take_while(|r| r[0] != "合计")
        .map(|r| {
            let liaison = if r[1].is_empty() {
                "—".to_string()
            } else {
                r[1].clone()
            };
            (
                r[0].clone(),
                liaison,
                r[2..12].iter().map(|n| n.parse().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(sheet, check_rows(&check.stderr));
    assert!(
        rows.iter()
            .any(|r| r[0].starts_with("ZZ-2 ") && r[1] == "财务科"),
        "the late points are listed"
    );
}
