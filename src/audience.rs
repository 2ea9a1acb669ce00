//! Who may see what: the one place that decides which points an audience's notice contains.
//! Every page, chart, form, ledger and search index is made from its answer, so a point that
//! is `不公示`, unapproved, or scoped to another department appears nowhere, by construction.

use std::fmt;

use anyhow::{Result, bail};

use crate::content::LoadedYear;
use crate::content::fields::is_valid_id;
use crate::content::site_config::RuleTables;
use crate::model::{RiskPoint, Scope};

/// The readers of one build (SPEC section 8: `--scope 全院` or `--scope 科室:SLUG`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Audience {
    /// All staff of the hospital.
    #[default]
    Hospital,
    /// The staff of one department: the hospital-wide points plus its own 科室-scope points.
    Department(String),
}

/// An audience resolved against the year it reads: the department it names is one of the
/// year's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readers {
    pub audience: Audience,
    /// The department's name (`科室:caiwu` reads 财务科); `None` for 全院.
    pub dept_name: Option<String>,
}

impl Audience {
    /// Reads `--scope` (clap's `value_parser`): 全院, or 科室:SLUG (also 科室：SLUG, dept:SLUG).
    pub fn parse(text: &str) -> Result<Audience, String> {
        let text = text.trim();
        if text == "全院" || text.eq_ignore_ascii_case("hospital") {
            return Ok(Audience::Hospital);
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
                "无法识别的公示范围“{text}”：应为 全院 或 科室:科室代号（例如 科室:caiwu）"
            )),
        }
    }

    /// Resolves the audience against the year it is to read: `科室:SLUG` must name one of
    /// the year's department folders. Every command that builds for an audience resolves it
    /// here, once, with this one message.
    pub fn resolve(&self, year: &LoadedYear) -> Result<Readers> {
        let dept_name = match self {
            Audience::Hospital => None,
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
        })
    }

    /// The point's effective scope under the rule tables.
    pub fn scope_of(point: &RiskPoint, rules: &RuleTables) -> Scope {
        point
            .scope
            .as_ref()
            .map_or_else(|| rules.default_scope(point.level.value), |s| s.value)
    }

    /// Whether this audience may see the point: approved, and in scope.
    ///
    /// Approved first (plan 六.(二).4: 须经逐级严格评定审核……并在一定范围内公示;
    /// `Level::required_approvals`). Then the scope: hospital-level points and their
    /// measures are 在全院范围内公示 (plan 六.(二).3, 六.(三).4.(3)); department measures are
    /// published 在一定范围内 (plan 六.(三).4.(2)), which `scope` and `default_scope` decide;
    /// `不公示` keeps a point out of every notice.
    pub fn may_see(&self, point: &RiskPoint, rules: &RuleTables) -> bool {
        if !point.is_approved() {
            return false;
        }
        match (Audience::scope_of(point, rules), self) {
            (Scope::Hidden, _) => false,
            (Scope::Hospital, _) => true,
            (Scope::Department, Audience::Hospital) => false,
            (Scope::Department, Audience::Department(slug)) => {
                point.dept.as_deref() == Some(slug.as_str())
            }
        }
    }

    /// The points this audience may see, in the order given.
    pub fn select<'p>(&self, points: &'p [RiskPoint], rules: &RuleTables) -> Vec<&'p RiskPoint> {
        points.iter().filter(|p| self.may_see(p, rules)).collect()
    }

    /// "全院" or "科室:caiwu".
    pub fn label(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Hospital => f.write_str("全院"),
            Audience::Department(slug) => write!(f, "科室:{slug}"),
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
    }
}
