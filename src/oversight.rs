//! 黄牌警告 (plan 七.(三), SPEC section 6): which posts are key posts, which get a yellow card,
//! and which departments cannot be rated 好 this year.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::oversight::OversightFile;
use crate::content::site_config::{OversightSettings, RuleTables};
use crate::model::{Grade, Level, RiskPoint};

/// A key post (风险重点防范岗位): a (department, post) with at least one 一级 岗位 point, or
/// one of the grades the site's `rules.key_post` names.
///
/// Plan 七.(三) gives the yellow card to 凡确定为风险重点防范的岗位 without saying how a post
/// is so determined; SPEC section 6 takes the posts with a 一级 risk (the gravest grade, plan
/// 四 and 六.(二).4), and a site may widen it (`RuleTables::key_post`). The notice states the
/// rule it applied. Plan 五's 重点岗位 (工程管理、人事、财务、总务、药品及医疗器械采购) is a
/// department's `key_area`, not this.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct KeyPost {
    pub dept: String,
    pub post: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CardReason {
    /// 群众举报两次以上且查实.
    Reports { verified: u32 },
    /// 在民主评议中排在后三位.
    Evaluation { score: f64, rank_from_bottom: usize },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YellowCard {
    pub post: KeyPost,
    pub reasons: Vec<CardReason>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Ineligibility {
    Case { date: String },
    YellowCard { post: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Oversight {
    pub key_posts: Vec<KeyPost>,
    pub yellow_cards: Vec<YellowCard>,
    /// Departments that cannot be rated 好, with why.
    pub not_eligible: BTreeMap<String, Vec<Ineligibility>>,
    /// The mildest grade of a 岗位 point that makes its post key (`rules.key_post`).
    pub(crate) key_post: Grade,
    /// The site's rule for key posts in words ("一级岗位风险点"), for the notice.
    pub(crate) key_post_rule: String,
    /// Whether the 监督通报 names the holders of a carded post (site.yaml
    /// `oversight.show_names`).
    pub(crate) show_names: bool,
}

/// Computes the oversight outcome from every point of the year (published or not: a key post is
/// a key post whatever the notice shows) and the oversight file, under the site's rule for key
/// posts and its setting for names.
pub fn compute(
    points: &[RiskPoint],
    file: &OversightFile,
    rules: &RuleTables,
    settings: &OversightSettings,
) -> Oversight {
    let mut key_posts: Vec<KeyPost> = points
        .iter()
        .filter(|p| is_key_point(p, rules))
        .filter_map(|p| {
            Some(KeyPost {
                dept: p.dept.clone()?,
                post: p.post.as_ref()?.value.clone(),
            })
        })
        .collect();
    key_posts.sort();
    key_posts.dedup();

    let post_of = |id: &str| -> Option<KeyPost> {
        let p = points.iter().find(|p| p.id.value == id)?;
        let kp = KeyPost {
            dept: p.dept.clone()?,
            post: p.post.as_ref()?.value.clone(),
        };
        key_posts.contains(&kp).then_some(kp)
    };

    let mut reasons: BTreeMap<KeyPost, Vec<CardReason>> = BTreeMap::new();
    let mut verified: BTreeMap<KeyPost, u32> = BTreeMap::new();
    for report in &file.reports {
        if let Some(kp) = post_of(&report.risk.value) {
            *verified.entry(kp).or_default() += report.verified;
        }
    }
    for (kp, count) in verified {
        if count >= 2 {
            reasons
                .entry(kp)
                .or_default()
                .push(CardReason::Reports { verified: count });
        }
    }

    // 民主评议中排在后三位: the three lowest scores among the evaluated key posts (ties at the
    // third-lowest score are all in).
    let mut evaluated: Vec<(KeyPost, f64)> = file
        .evaluation
        .iter()
        .map(|e| {
            (
                KeyPost {
                    dept: e.dept.value.clone(),
                    post: e.post.value.clone(),
                },
                e.score,
            )
        })
        .filter(|(kp, _)| key_posts.contains(kp))
        .collect();
    evaluated.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    if let Some(threshold) = evaluated
        .get(2.min(evaluated.len().saturating_sub(1)))
        .map(|e| e.1)
    {
        for (kp, score) in &evaluated {
            if *score <= threshold {
                let rank_from_bottom = 1 + evaluated.iter().filter(|(_, s)| s < score).count();
                reasons
                    .entry(kp.clone())
                    .or_default()
                    .push(CardReason::Evaluation {
                        score: *score,
                        rank_from_bottom,
                    });
            }
        }
    }

    let yellow_cards: Vec<YellowCard> = reasons
        .into_iter()
        .map(|(post, reasons)| YellowCard { post, reasons })
        .collect();
    let mut not_eligible: BTreeMap<String, Vec<Ineligibility>> = BTreeMap::new();
    for case in &file.cases {
        not_eligible
            .entry(case.dept.value.clone())
            .or_default()
            .push(Ineligibility::Case {
                date: case.date.value.to_string(),
            });
    }
    for card in &yellow_cards {
        not_eligible
            .entry(card.post.dept.clone())
            .or_default()
            .push(Ineligibility::YellowCard {
                post: card.post.post.clone(),
            });
    }
    Oversight {
        key_posts,
        yellow_cards,
        not_eligible,
        key_post: rules.key_post,
        key_post_rule: rules.key_post_rule(),
        show_names: settings.show_names,
    }
}

/// Whether `point` makes its post a key post: a 岗位 point of a grade the site's rule names
/// (plan 七.(三) 风险重点防范的岗位; `RuleTables::key_post`).
pub(crate) fn is_key_point(point: &RiskPoint, rules: &RuleTables) -> bool {
    point.level.value == Level::Post && rules.makes_key_post(point.grade())
}
