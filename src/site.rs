//! The orchestrator: load a site, check it, and (in later stages) build it. Each stage is one
//! call, so this file reads as the pipeline: load → check → select audience → render → write.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::content::site_config::{RuleTables, SiteConfig};
use crate::content::{self, LoadCache, LoadedYear};
use crate::diagnostic::{self, Diagnostic};
use crate::oversight::{self, Oversight};
use crate::rules::memo::RulesMemo;

pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Year folders found under `content/`.
    pub years: Vec<u16>,
    /// The year being checked or built.
    pub year: LoadedYear,
    pub oversight: Oversight,
    /// Every diagnostic of loading and checking, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

const SITE_FILE: &str = "site.yaml";

fn load_config(root: &Path, diags: &mut Vec<Diagnostic>) -> Result<(SiteConfig, Option<String>)> {
    let path = root.join(SITE_FILE);
    if !path.is_file() {
        bail!(
            "在 {} 找不到 {SITE_FILE}：这里不是 gongshi 站点（用 --root 指定站点目录，或运行 gongshi init 新建）",
            root.display()
        );
    }
    let fallback = SiteConfig {
        name: String::new(),
        base_path: "/".into(),
        current_year: None,
        theme: "default".into(),
        rules: RuleTables::default(),
    };
    let text = match content::read_text(&path, SITE_FILE)? {
        Ok(text) => text,
        Err(d) => {
            diags.push(d);
            return Ok((fallback, None));
        }
    };
    let config = content::parse_yaml_file(SITE_FILE, &text, diags)
        .and_then(|node| content::site_config::load(SITE_FILE, &node, diags))
        .unwrap_or(fallback);
    Ok((config, Some(text)))
}

/// Picks the year (SPEC section 2): the one asked for (`--year`), else `current_year` of
/// site.yaml, else the newest year folder that is not archived (else the newest). `check`,
/// `build` and the authoring commands all choose with this, so `new` writes into the year that
/// `check` then checks.
pub fn choose_year(
    root: &Path,
    years: &[u16],
    current_year: Option<u16>,
    asked: Option<u16>,
) -> Result<u16> {
    let Some(&newest) = years.last() else {
        bail!(
            "{} 下没有年度文件夹（例如 content/2022/；可用 gongshi new year 年份 新建）",
            root.join("content").display()
        );
    };
    let existing = || {
        years
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join("、")
    };
    if let Some(y) = asked {
        if years.contains(&y) {
            return Ok(y);
        }
        bail!(
            "没有 {y} 年度：content/{y}/ 不存在（现有年度：{}）",
            existing()
        );
    }
    if let Some(y) = current_year {
        if years.contains(&y) {
            return Ok(y);
        }
        bail!(
            "{SITE_FILE} 的 current_year 是 {y}，但没有 {y} 年度：content/{y}/ 不存在（现有年度：{}）。请改正 {SITE_FILE} 的 current_year，或用 gongshi new year {y} 新建该年度",
            existing()
        );
    }
    let live = years
        .iter()
        .rev()
        .find(|y| !root.join("archive").join(y.to_string()).is_dir());
    Ok(*live.unwrap_or(&newest))
}

impl Site {
    /// Loads `site.yaml` and one year's content, then checks every rule. Only I/O failures and
    /// a missing site are errors; everything wrong with the content is a diagnostic.
    pub fn load(root: &Path, year: Option<u16>) -> Result<Site> {
        Site::load_cached(root, year, &mut LoadCache::off())
    }

    /// As `load`, but files unchanged since they went into `cache` are not read again
    /// (`gongshi serve`); the rules still run over the whole year.
    pub fn load_cached(root: &Path, year: Option<u16>, cache: &mut LoadCache) -> Result<Site> {
        Site::load_with(root, year, cache, None, None)
    }

    /// As `load_cached`, for a preview that keeps what it loaded: `previous`, the site this
    /// cache loaded last, is brought up to date in place when only files it read changed
    /// (`content::refresh_year`), and each point's own rule findings are taken from `rules`
    /// when the point is as it was (`rules::memo`). The site is the one `load` gives.
    pub fn load_incremental(
        root: &Path,
        year: Option<u16>,
        cache: &mut LoadCache,
        previous: Option<Site>,
        rules: &mut RulesMemo,
    ) -> Result<Site> {
        Site::load_with(root, year, cache, previous, Some(rules))
    }

    fn load_with(
        root: &Path,
        year: Option<u16>,
        cache: &mut LoadCache,
        previous: Option<Site>,
        memo: Option<&mut RulesMemo>,
    ) -> Result<Site> {
        let mut diagnostics = Vec::new();
        let (config, site_text) = load_config(root, &mut diagnostics)?;
        let years = content::year_folders(root)?;
        let number = choose_year(root, &years, config.current_year, year)?;
        let refreshed = match previous {
            Some(Site {
                year: mut loaded, ..
            }) if loaded.number == number => content::refresh_year(root, cache, &mut loaded)
                .with_context(|| format!("无法读取 {number} 年度的内容"))?
                .then_some(loaded),
            _ => None,
        };
        let mut loaded = match refreshed {
            Some(loaded) => loaded,
            None => content::load_year_cached(root, number, cache)
                .with_context(|| format!("无法读取 {number} 年度的内容"))?,
        };
        match site_text {
            Some(text) => {
                loaded.sources.insert(SITE_FILE.to_string(), text);
            }
            None => {
                loaded.sources.remove(SITE_FILE);
            }
        }
        crate::timings::phase("内容已读取");
        diagnostics.append(&mut loaded.diagnostics);
        diagnostics.extend(match memo {
            Some(memo) => crate::rules::check_cached(&loaded, &config.rules, memo),
            None => crate::rules::check(&loaded, &config.rules),
        });
        diagnostic::sort(&mut diagnostics);
        let oversight = oversight::compute(&loaded.points, &loaded.oversight);
        crate::timings::phase("规则已检查");
        Ok(Site {
            root: root.to_path_buf(),
            config,
            years,
            year: loaded,
            oversight,
            diagnostics,
        })
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The text of a file that was read, for printing source lines.
    pub fn source(&self, file: &str) -> Option<&str> {
        self.year.sources.get(file).map(String::as_str)
    }
}
