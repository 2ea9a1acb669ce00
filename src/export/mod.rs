//! `gongshi export`: the full ledger (台帐, plan 六.(二).5 建立台帐) for the discipline office and
//! its auditors: every point of the year, published or not, with every field and its
//! publication status. Internal use only; nothing here is ever part of a built site.
//!
//! In: one loaded year without content errors (a file that fails to load would silently be
//! missing from the ledger). Out: CSV (the build's `ledger.csv` columns, UTF-8 with BOM), JSON
//! (documented in docs/annual.md) or an XLSX workbook (src/export/xlsx.rs).

mod progress_sheet;
mod xlsx;

use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::audience::Audience;
use crate::check::{self, Verbosity};
use crate::cli::{Cli, ExportArgs, Format, LedgerFormat};
use crate::model::{Defence, Located, RiskPoint, Scope, Term};
use crate::render::ledger;
use crate::site::Site;

/// The ledger of one year: its points in content order and their CSV rows.
pub(crate) struct Ledger<'s> {
    pub(crate) site: &'s Site,
    pub(crate) points: Vec<&'s RiskPoint>,
    /// `render::ledger::row` of each point, columns as `render::ledger::HEADER`.
    pub(crate) rows: Vec<Vec<String>>,
}

impl<'s> Ledger<'s> {
    pub(crate) fn new(site: &'s Site) -> Ledger<'s> {
        let points: Vec<&RiskPoint> = site.year.points.iter().collect();
        let rows = points
            .iter()
            .map(|p| ledger::row(p, &site.config.rules, &site.year))
            .collect();
        Ledger { site, points, rows }
    }

    pub(crate) fn is_published(&self, p: &RiskPoint) -> bool {
        p.is_approved() && Audience::scope_of(p, &self.site.config.rules) != Scope::Hidden
    }
}

#[derive(Serialize)]
struct JsonMeasures {
    #[serde(rename = "前期预防")]
    prevention: Vec<String>,
    #[serde(rename = "中期监控")]
    monitoring: Vec<String>,
    #[serde(rename = "后期处置")]
    disposal: Vec<String>,
}

#[derive(Serialize)]
struct JsonReview {
    submitted: Option<String>,
    dept: Option<String>,
    office: Option<String>,
    board: Option<String>,
}

#[derive(Serialize)]
struct JsonPoint {
    id: String,
    title: String,
    level: &'static str,
    dept: Option<String>,
    dept_name: String,
    post: Option<String>,
    holder: Option<String>,
    category: &'static str,
    likelihood: &'static str,
    impact: &'static str,
    grade: &'static str,
    declared_grade: Option<&'static str>,
    computed_grade: &'static str,
    owner: String,
    supervisor: String,
    sanzhong_yida: Option<&'static str>,
    measures: JsonMeasures,
    scope: &'static str,
    review: JsonReview,
    approved: bool,
    published: bool,
    status: String,
    file: String,
}

#[derive(Serialize)]
struct JsonLedger {
    format: &'static str,
    format_version: u32,
    site: String,
    year: u16,
    gongshi_version: &'static str,
    points: Vec<JsonPoint>,
}

fn json_point(ledger: &Ledger, p: &RiskPoint) -> JsonPoint {
    let rules = &ledger.site.config.rules;
    let text = |x: &Option<Located<String>>| x.as_ref().map(|v| v.value.clone());
    let date = |x: &Option<Located<crate::model::Date>>| x.as_ref().map(|d| d.value.to_string());
    let measures = |d: Defence| {
        p.measures
            .value
            .of(d)
            .iter()
            .map(|m| m.value.clone())
            .collect()
    };
    JsonPoint {
        id: p.id.value.clone(),
        title: p.title.value.clone(),
        level: p.level.value.term(),
        dept: p.dept.clone(),
        dept_name: ledger.site.year.point_dept_name(p),
        post: text(&p.post),
        holder: text(&p.holder),
        category: p.category.value.term(),
        likelihood: p.likelihood.value.term(),
        impact: p.impact.value.term(),
        grade: p.grade().term(),
        declared_grade: p.declared_grade.as_ref().map(|g| g.value.term()),
        computed_grade: p.computed_grade().term(),
        owner: p.owner.value.clone(),
        supervisor: p.supervisor.value.clone(),
        sanzhong_yida: p.sanzhong_yida.as_ref().map(|s| s.value.term()),
        measures: JsonMeasures {
            prevention: measures(Defence::Prevention),
            monitoring: measures(Defence::Monitoring),
            disposal: measures(Defence::Disposal),
        },
        scope: Audience::scope_of(p, rules).term(),
        review: JsonReview {
            submitted: date(&p.review.submitted),
            dept: date(&p.review.dept),
            office: date(&p.review.office),
            board: date(&p.review.board),
        },
        approved: p.is_approved(),
        published: ledger.is_published(p),
        status: ledger::publication_status(p, rules),
        file: p.file.clone(),
    }
}

/// The JSON ledger (docs/annual.md describes every field).
pub(crate) fn to_json(ledger: &Ledger) -> Result<Vec<u8>> {
    let doc = JsonLedger {
        format: "gongshi-ledger",
        format_version: 1,
        site: ledger.site.config.name.clone(),
        year: ledger.site.year.number,
        gongshi_version: env!("CARGO_PKG_VERSION"),
        points: ledger
            .points
            .iter()
            .map(|p| json_point(ledger, p))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&doc)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The format of `-o FILE`'s extension, if it names one.
fn format_of(path: &Path) -> Option<LedgerFormat> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(LedgerFormat::Csv),
        "xlsx" => Some(LedgerFormat::Xlsx),
        "json" => Some(LedgerFormat::Json),
        _ => None,
    }
}

fn format_name(format: LedgerFormat) -> &'static str {
    match format {
        LedgerFormat::Csv => "csv",
        LedgerFormat::Xlsx => "xlsx",
        LedgerFormat::Json => "json",
    }
}

/// `--format`, or the format `-o`'s extension names; a `--format` that another known
/// extension contradicts (`--format csv -o 台帐.xlsx`) is refused, since Excel would refuse
/// the file.
fn ledger_format(args: &ExportArgs) -> Result<LedgerFormat> {
    let inferred = args.output.as_deref().and_then(format_of);
    match (args.format, inferred) {
        (Some(asked), Some(ext)) if asked != ext => bail!(
            "--format {} 与输出文件 {} 的扩展名不符：请改用 .{} 结尾的文件名，或去掉 --format（按扩展名导出 {}）",
            format_name(asked),
            args.output
                .as_deref()
                .map(Path::display)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            format_name(asked),
            format_name(ext)
        ),
        (Some(asked), _) => Ok(asked),
        (None, Some(ext)) => Ok(ext),
        (None, None) => match &args.output {
            Some(path) => bail!(
                "无法从文件名 {} 判断台帐格式：请用 --format csv|xlsx|json 指定，或用 .csv、.xlsx、.json 结尾的文件名",
                path.display()
            ),
            None => bail!(
                "请用 --format csv|xlsx|json 指定台帐格式，或用 -o 指定 .csv、.xlsx、.json 文件"
            ),
        },
    }
}

/// `gongshi export [--year Y] [--format csv|xlsx|json] [-o FILE]`.
pub(crate) fn run(cli: &Cli, args: &ExportArgs, verbosity: Verbosity) -> Result<bool> {
    let format = ledger_format(args)?;
    if format == LedgerFormat::Xlsx && args.output.is_none() {
        bail!("XLSX 是二进制文件，不能输出到终端：请用 -o 指定文件，例如 -o 台帐.xlsx");
    }
    let site = Site::load(&cli.root, args.year)?;
    if site.error_count() > 0 {
        check::print_diagnostics(&site, Format::Human, verbosity)?;
        eprintln!("{}", check::summary(&site));
        eprintln!(
            "有 {} 个错误，未导出：出错的文件读不出风险点，台帐会缺少它们。",
            site.error_count()
        );
        return Ok(true);
    }
    let ledger = Ledger::new(&site);
    let bytes = match format {
        LedgerFormat::Csv => ledger::to_csv(ledger::HEADER, &ledger.rows),
        LedgerFormat::Json => to_json(&ledger)?,
        LedgerFormat::Xlsx => xlsx::workbook(&ledger)?,
    };
    match &args.output {
        Some(path) => {
            // Atomically, so a failed export never leaves half a file.
            crate::output::replace_file(path, &bytes)?;
            if verbosity != Verbosity::Quiet {
                let published = ledger
                    .points
                    .iter()
                    .filter(|p| ledger.is_published(p))
                    .count();
                eprintln!(
                    "已导出 {} 年度台帐：{} 个风险点（已公示 {published} 个，未公示 {} 个）→ {}",
                    site.year.number,
                    ledger.points.len(),
                    ledger.points.len() - published,
                    path.display()
                );
            }
        }
        None => crate::output::write_stdout(&bytes)?,
    }
    Ok(false)
}
