//! 黄牌警告 (SPEC section 6, plan 七.(三)). Fixture `oversight` adds key posts 收费员 (caiwu,
//! two points) and 库管员 (yaojike) to the base's 出纳 and 采购员, and an oversight file:
//!
//! - reports: 收费员's two points 1 + 1 verified (a card), 采购员 1 (none), 会计 5 (not a
//!   key post: none);
//! - evaluation: 库管员 65, 收费员 70, 出纳 71.5, 采购员 95 among the key posts (the three
//!   lowest get a card), and 会计 50, which is not a key post and so not ranked;
//! - a case in zongwu, which has no card.

use gongshi::oversight::{CardReason, Ineligibility, KeyPost};

use crate::harness::{Site, base};

fn key(dept: &str, post: &str) -> KeyPost {
    KeyPost {
        dept: dept.to_string(),
        post: post.to_string(),
    }
}

#[test]
fn oversight_fixture_is_clean_content() {
    Site::fixture("oversight").check().succeeds().clean();
}

#[test]
fn key_posts_are_the_posts_with_a_grade_one_point() {
    // 采购员's YJ-01 declares no grade: computed 一级. 会计 (三级) is not a key post.
    let site = Site::fixture("oversight").load();
    assert_eq!(
        site.oversight.key_posts,
        [
            key("caiwu", "出纳"),
            key("caiwu", "收费员"),
            key("yaojike", "库管员"),
            key("yaojike", "采购员"),
        ]
    );
}

#[test]
fn yellow_cards_for_reports_and_the_three_lowest_scores() {
    let site = Site::fixture("oversight").load();
    // Computed again from the loaded year: the public entry point gives the same answer.
    let o = gongshi::oversight::compute(
        &site.year.points,
        &site.year.oversight,
        &site.config.rules,
        &site.config.oversight,
    );
    assert_eq!(o, site.oversight);
    let cards: Vec<(KeyPost, Vec<CardReason>)> = o
        .yellow_cards
        .iter()
        .map(|c| (c.post.clone(), c.reasons.clone()))
        .collect();
    assert_eq!(
        cards,
        [
            (
                key("caiwu", "出纳"),
                vec![CardReason::Evaluation {
                    score: 71.5,
                    rank_from_bottom: 3
                }]
            ),
            (
                key("caiwu", "收费员"),
                vec![
                    CardReason::Reports { verified: 2 },
                    CardReason::Evaluation {
                        score: 70.0,
                        rank_from_bottom: 2
                    }
                ]
            ),
            (
                key("yaojike", "库管员"),
                vec![CardReason::Evaluation {
                    score: 65.0,
                    rank_from_bottom: 1
                }]
            ),
        ]
    );
}

#[test]
fn departments_with_a_case_or_a_card_cannot_be_rated_good() {
    let o = Site::fixture("oversight").load().oversight;
    let not_eligible: Vec<(&str, &Vec<Ineligibility>)> = o
        .not_eligible
        .iter()
        .map(|(d, why)| (d.as_str(), why))
        .collect();
    assert_eq!(
        not_eligible,
        [
            (
                "caiwu",
                &vec![
                    Ineligibility::YellowCard {
                        post: "出纳".into()
                    },
                    Ineligibility::YellowCard {
                        post: "收费员".into()
                    },
                ]
            ),
            (
                "yaojike",
                &vec![Ineligibility::YellowCard {
                    post: "库管员".into()
                }]
            ),
            (
                "zongwu",
                &vec![Ineligibility::Case {
                    date: "2022-09-12".into()
                }]
            ),
        ]
    );
}

#[test]
fn verbose_check_prints_the_cards_in_the_plans_words() {
    Site::fixture("oversight")
        .run(["-v", "check"])
        .succeeds()
        .stderr_has(
            "风险重点防范岗位 4 个：财务科·出纳、财务科·收费员、药剂科·库管员、药剂科·采购员",
        )
        .stderr_has(
            "风险岗位黄牌警告：财务科·收费员（群众举报查实 2 次；民主评议 70 分，排倒数第 2 位）",
        )
        .stderr_has("风险岗位黄牌警告：财务科·出纳（民主评议 71.5 分，排倒数第 3 位）")
        .stderr_has("风险岗位黄牌警告：药剂科·库管员（民主评议 65 分，排倒数第 1 位）")
        .stderr_lacks("风险岗位黄牌警告：药剂科·采购员")
        .stderr_lacks("会计（")
        .stderr_has("财务科 科室负责人及个人本年度党风廉政建设责任制考核不能评为“好”等次：出纳 岗位被黄牌警告；收费员 岗位被黄牌警告")
        .stderr_has("总务科 科室负责人及个人本年度党风廉政建设责任制考核不能评为“好”等次：2022-09-12 发生违规违纪案件");
}

#[test]
fn check_without_verbose_does_not_print_the_cards() {
    Site::fixture("oversight")
        .check_human()
        .succeeds()
        .stderr_lacks("黄牌警告");
}

#[test]
fn one_verified_report_is_no_card() {
    let o = Site::base()
        .file(
            base::OVERSIGHT,
            "reports:\n  - {risk: CW-01, verified: 1}\n",
        )
        .load()
        .oversight;
    assert!(o.yellow_cards.is_empty(), "{o:?}");
    assert!(o.not_eligible.is_empty(), "{o:?}");
}

#[test]
fn two_verified_reports_on_one_point_are_a_card() {
    let o = Site::base()
        .file(
            base::OVERSIGHT,
            "reports:\n  - {risk: CW-01, verified: 2}\n",
        )
        .load()
        .oversight;
    assert_eq!(o.yellow_cards.len(), 1, "{o:?}");
    assert_eq!(o.yellow_cards[0].post, key("caiwu", "出纳"));
    assert_eq!(
        o.yellow_cards[0].reasons,
        [CardReason::Reports { verified: 2 }]
    );
}

#[test]
fn ties_at_the_third_lowest_score_all_get_a_card() {
    let site = Site::fixture("oversight").file(
        base::OVERSIGHT,
        "evaluation:\n  - {dept: caiwu, post: 出纳, score: 60}\n  - {dept: caiwu, post: 收费员, score: 70}\n  - {dept: yaojike, post: 库管员, score: 80}\n  - {dept: yaojike, post: 采购员, score: 80}\n",
    );
    let o = site.load().oversight;
    let carded: Vec<(&str, &CardReason)> = o
        .yellow_cards
        .iter()
        .map(|c| (c.post.post.as_str(), &c.reasons[0]))
        .collect();
    assert_eq!(carded.len(), 4, "{carded:?}");
    assert!(carded.contains(&(
        "采购员",
        &CardReason::Evaluation {
            score: 80.0,
            rank_from_bottom: 3
        }
    )));
}

#[test]
fn with_fewer_than_three_evaluated_every_one_is_among_the_lowest_three() {
    let o = Site::base()
        .file(
            base::OVERSIGHT,
            "evaluation:\n  - {dept: caiwu, post: 出纳, score: 99}\n  - {dept: yaojike, post: 采购员, score: 98}\n",
        )
        .load()
        .oversight;
    assert_eq!(o.yellow_cards.len(), 2, "{o:?}");
}

#[test]
fn case_and_card_in_one_department_are_both_reasons() {
    let o = Site::base()
        .file(
            base::OVERSIGHT,
            "reports:\n  - {risk: CW-01, verified: 3}\ncases:\n  - {dept: caiwu, date: 2022-10-01}\n",
        )
        .load()
        .oversight;
    assert_eq!(
        o.not_eligible.get("caiwu"),
        Some(&vec![
            Ineligibility::Case {
                date: "2022-10-01".into()
            },
            Ineligibility::YellowCard {
                post: "出纳".into()
            },
        ])
    );
}
