//! The ledger (台帐, plan 六.(二).5 建立台帐) as CSV: one row per point, every field. UTF-8 with
//! a BOM so that Excel opens the Chinese text correctly.

use crate::audience::Audience;
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::{Defence, RiskPoint, Term};

pub const HEADER: &[&str] = &[
    "编号",
    "标题",
    "层次",
    "科室",
    "岗位",
    "在岗人员",
    "风险类别",
    "发生机率",
    "危害程度",
    "风险等级",
    "计算等级",
    "直接负责管理落实",
    "负责监督",
    "三重一大",
    "前期预防",
    "中期监控",
    "后期处置",
    "公示范围",
    "填报日期",
    "科室集体审定",
    crate::model::OFFICE_STEP,
    "班子会议审定",
    "公示状态",
    "文件",
];

/// "已公示（全院）", "不公示" or "未公示（缺科室集体审定）": the 公示状态 column.
pub fn publication_status(p: &RiskPoint, rules: &RuleTables) -> String {
    let scope = Audience::scope_of(p, rules);
    let missing = p.missing_approvals();
    if !missing.is_empty() {
        format!(
            "未公示（缺{}）",
            missing
                .iter()
                .map(|step| step.name())
                .collect::<Vec<_>>()
                .join("、")
        )
    } else if scope == crate::model::Scope::Hidden {
        "不公示".to_string()
    } else {
        format!("已公示（{scope}）")
    }
}

/// One ledger row; `year` names the point's department.
pub fn row(p: &RiskPoint, rules: &RuleTables, year: &LoadedYear) -> Vec<String> {
    let opt = |x: &Option<crate::model::Located<String>>| {
        x.as_ref().map(|v| v.value.clone()).unwrap_or_default()
    };
    let date = |x: &Option<crate::model::Located<crate::model::Date>>| {
        x.as_ref().map(|v| v.value.to_string()).unwrap_or_default()
    };
    let measures = |d: Defence| {
        p.measures
            .value
            .of(d)
            .iter()
            .map(|m| m.value.as_str())
            .collect::<Vec<_>>()
            .join("；")
    };
    let scope = Audience::scope_of(p, rules);
    let status = publication_status(p, rules);
    vec![
        p.id.value.clone(),
        p.title.value.clone(),
        p.level.value.term().into(),
        year.point_dept_name(p),
        opt(&p.post),
        opt(&p.holder),
        p.category.value.term().into(),
        p.likelihood.value.term().into(),
        p.impact.value.term().into(),
        p.grade().term().into(),
        p.computed_grade().term().into(),
        p.owner.value.clone(),
        p.supervisor.value.clone(),
        p.sanzhong_yida
            .as_ref()
            .map(|s| s.value.term().to_string())
            .unwrap_or_default(),
        measures(Defence::Prevention),
        measures(Defence::Monitoring),
        measures(Defence::Disposal),
        scope.term().into(),
        date(&p.review.submitted),
        date(&p.review.dept),
        date(&p.review.office),
        date(&p.review.board),
        status,
        p.file.clone(),
    ]
}

fn csv_field(field: &str) -> String {
    // A leading = + - @ would be read by a spreadsheet as a formula: neutralise it.
    let field = if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// CSV text with a BOM and CRLF line ends (what Excel expects).
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv_start(header);
    for row in rows {
        out.push_str(&csv_line(row));
    }
    out.into_bytes()
}

/// The start of a CSV file: the BOM and the header line.
pub fn csv_start(header: &[&str]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    out
}

/// One row of a CSV file, with its line end.
pub fn csv_line(row: &[String]) -> String {
    let mut line = row
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        let bytes = to_csv(
            &["a", "b"],
            &[
                vec!["x,y".into(), "=1+1".into()],
                vec!["他说\"好\"".into(), "".into()],
            ],
        );
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}a,b\r\n\"x,y\",'=1+1\r\n\"他说\"\"好\"\"\",\r\n"
        );
    }
}
