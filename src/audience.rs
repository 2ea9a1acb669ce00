//! Who may see what: the one place that decides which points an audience's notice contains.
//! Every page, chart, form, ledger and search index is made from its answer, so a point that
//! is `不公示`, unapproved, or scoped to another department appears nowhere, by construction.
//!
//! Two internal readers see more than a public notice: the programme office (`--scope 办公室`,
//! plan 三: the 领导小组办公室 研究、组织、协调、监督 the whole programme, so it files every
//! point), and a liaison previewing drafts (`--drafts`). Both are `Readers` whose `drafts` is
//! set: they see every point, and `Readers::withheld` says of each point that the public
//! notice leaves out why it does (the records carry it as a visible mark).

use std::fmt;

use anyhow::{Result, bail};

use crate::content::LoadedYear;
use crate::content::fields::is_valid_id;
use crate::content::site_config::RuleTables;
use crate::model::{Approval, RiskPoint, Scope};

/// The readers of one build (SPEC section 8: `--scope 全院` or `--scope 科室:SLUG`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Audience {
    /// All staff of the hospital.
    #[default]
    Hospital,
    /// The staff of one department: the hospital-wide points plus its own 科室-scope points.
    Department(String),
    /// The programme office (领导小组办公室, plan 三): an internal build of every point, each
    /// that the hospital's notice leaves out marked with why. Its public notice is the
    /// hospital's.
    Office,
}

/// An audience resolved against the year it reads: the department it names is one of the
/// year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readers {
    pub(crate) audience: Audience,
    /// The department's name (`科室:caiwu` reads 财务科); `None` for 全院.
    pub(crate) dept_name: Option<String>,
    /// Every point of the year is shown, beyond the audience's public notice, each it leaves
    /// out with why (`--drafts`; always for the office). Such a build is never public.
    pub(crate) drafts: bool,
}

/// Why a point is not in an audience's public notice (the mark the internal builds show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Withheld {
    /// Approvals its level needs before publication are missing (SPEC section 5).
    Unapproved(Vec<Approval>),
    /// `scope: 科室`: only this department's own notice shows it, and the audience is not that
    /// department.
    DepartmentOnly(String),
    /// `scope: 不公示`.
    Hidden,
}

impl Audience {
    /// Reads `--scope` (clap's `value_parser`): 全院, 科室:SLUG (also 科室：SLUG, dept:SLUG), or
    /// 办公室 (office).
    pub fn parse(text: &str) -> Result<Audience, String> {
        let text = text.trim();
        if text == "全院" || text.eq_ignore_ascii_case("hospital") {
            return Ok(Audience::Hospital);
        }
        if text == "办公室" || text.eq_ignore_ascii_case("office") {
            return Ok(Audience::Office);
        }
        let slug = text
            .strip_prefix("科室:")
            .or_else(|| text.strip_prefix("科室："))
            .or_else(|| text.strip_prefix("dept:"));
        match slug {
            Some(slug) if is_valid_id(slug.trim()) => {
                Ok(Audience::Department(slug.trim().to_string()))
            }
            _ => Err(format!(
                "无法识别的公示范围“{text}”：应为 全院、科室:科室代号（例如 科室:caiwu）或 办公室（内部工作版）"
            )),
        }
    }

    /// Resolves the audience against the year it is to read: `科室:SLUG` must name one of
    /// the year's department folders. Every command that builds for an audience resolves it
    /// here, once, with this one message. The office sees drafts (`Readers::drafts`).
    pub fn resolve(&self, year: &LoadedYear) -> Result<Readers> {
        let dept_name = match self {
            Audience::Hospital | Audience::Office => None,
            Audience::Department(slug) => {
                if !year.dept_folders.iter().any(|d| d == slug) {
                    bail!(
                        "没有科室“{slug}”：--scope 科室:SLUG 中的 SLUG 应为 content/{}/ 下的科室文件夹名",
                        year.number
                    );
                }
                Some(year.dept_name(slug))
            }
        };
        Ok(Readers {
            audience: self.clone(),
            dept_name,
            drafts: *self == Audience::Office,
        })
    }

    /// The point's effective scope under the rule tables.
    pub(crate) fn scope_of(point: &RiskPoint, rules: &RuleTables) -> Scope {
        point
            .scope
            .as_ref()
            .map_or_else(|| rules.default_scope(point.level.value), |s| s.value)
    }

    /// Whether the point is in this audience's public notice: approved, and in scope. The
    /// office's public notice is the hospital's (what it reads beyond it is `Readers`'s).
    ///
    /// Approved first (plan 六.(二).4: 须经逐级严格评定审核……并在一定范围内公示;
    /// `Level::required_approvals`). Then the scope: hospital-level points and their
    /// measures are 在全院范围内公示 (plan 六.(二).3, 六.(三).4.(3)); department measures are
    /// published 在一定范围内 (plan 六.(三).4.(2)), which `scope` and `default_scope` decide;
    /// `不公示` keeps a point out of every notice.
    pub fn may_see(&self, point: &RiskPoint, rules: &RuleTables) -> bool {
        self.withheld(point, rules).is_empty()
    }

    /// Why the point is not in this audience's public notice: empty when it is. Every reason
    /// that holds is given (an unapproved 不公示 point is both).
    pub(crate) fn withheld(&self, point: &RiskPoint, rules: &RuleTables) -> Vec<Withheld> {
        let mut why = Vec::new();
        let missing = point.missing_approvals();
        if !missing.is_empty() {
            why.push(Withheld::Unapproved(missing));
        }
        match (Audience::scope_of(point, rules), self) {
            (Scope::Hidden, _) => why.push(Withheld::Hidden),
            (Scope::Hospital, _) => {}
            (Scope::Department, Audience::Department(slug))
                if point.dept.as_deref() == Some(slug.as_str()) => {}
            (Scope::Department, _) => {
                why.push(Withheld::DepartmentOnly(
                    point.dept.clone().unwrap_or_default(),
                ));
            }
        }
        why
    }

    /// "全院", "科室:caiwu" or "办公室".
    pub(crate) fn label(&self) -> String {
        self.to_string()
    }
}

impl Readers {
    /// Whether these readers see the point: it is in their audience's public notice, or they
    /// see drafts.
    pub(crate) fn may_see(&self, point: &RiskPoint, rules: &RuleTables) -> bool {
        self.drafts || self.audience.may_see(point, rules)
    }

    /// The points these readers see, in the order given.
    pub(crate) fn select<'p>(
        &self,
        points: &'p [RiskPoint],
        rules: &RuleTables,
    ) -> Vec<&'p RiskPoint> {
        points.iter().filter(|p| self.may_see(p, rules)).collect()
    }

    /// These readers, seeing drafts too when `drafts` (`--drafts`).
    pub(crate) fn with_drafts(mut self, drafts: bool) -> Readers {
        self.drafts |= drafts;
        self
    }

    /// The mark a point these readers see carries when their audience's public notice leaves
    /// it out, in the words of the pages: "未公示：缺科室集体审定", "仅科室公示（财务科）",
    /// "不公示", joined by "；" when several hold. `None` for a published point, and always for
    /// readers who do not see drafts (they see published points only). `dept_name` names a
    /// department by its slug.
    pub(crate) fn withheld(
        &self,
        point: &RiskPoint,
        rules: &RuleTables,
        dept_name: &dyn Fn(&str) -> String,
    ) -> Option<String> {
        if !self.drafts {
            return None;
        }
        let why = self.audience.withheld(point, rules);
        (!why.is_empty()).then(|| {
            why.iter()
                .map(|w| match w {
                    Withheld::Unapproved(steps) => format!(
                        "未公示：缺{}",
                        steps
                            .iter()
                            .map(|s| s.name())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    Withheld::DepartmentOnly(slug) => {
                        format!("仅科室公示（{}）", dept_name(slug))
                    }
                    Withheld::Hidden => "不公示".to_string(),
                })
                .collect::<Vec<_>>()
                .join("；")
        })
    }

    /// The banner of a build that is not public (every page shows it), `None` for a public
    /// notice.
    pub(crate) fn internal_banner(&self) -> Option<&'static str> {
        match (&self.audience, self.drafts) {
            (Audience::Office, _) => Some("内部工作版，不得公开"),
            (_, true) => Some("内部工作版，不得公开：草稿预览，含未公示的风险点"),
            (_, false) => None,
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Hospital => f.write_str("全院"),
            Audience::Department(slug) => write!(f, "科室:{slug}"),
            Audience::Office => f.write_str("办公室"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scopes() {
        assert_eq!(Audience::parse("全院").unwrap(), Audience::Hospital);
        assert_eq!(
            Audience::parse("科室:caiwu").unwrap(),
            Audience::Department("caiwu".into())
        );
        assert_eq!(
            Audience::parse("科室：caiwu").unwrap(),
            Audience::Department("caiwu".into())
        );
        assert!(Audience::parse("科室:").is_err());
        assert!(Audience::parse("科室:../x").is_err());
        assert!(Audience::parse("外部").is_err());
        assert_eq!(Audience::parse("办公室").unwrap(), Audience::Office);
        assert_eq!(Audience::parse("office").unwrap(), Audience::Office);
    }
}
