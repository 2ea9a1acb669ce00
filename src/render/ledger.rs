//! The ledger (台帐, plan 六.(二).5 建立台帐) as CSV: one row per point, every field. UTF-8 with
//! a BOM so that Excel opens the Chinese text correctly.

use std::borrow::Cow;

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
pub(crate) fn publication_status(p: &RiskPoint, rules: &RuleTables) -> String {
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
pub(crate) fn row(p: &RiskPoint, rules: &RuleTables, year: &LoadedYear) -> Vec<String> {
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

/// A field as the ledger writes it: one that a spreadsheet would take for a formula (leading
/// `=`, `+`, `-` or `@`, or a tab or carriage return before one) gets a leading `'`, which
/// Excel and LibreOffice show as text.
fn neutralised(field: &str) -> Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// Records as CSV: fields quoted only where they hold a `,`, `"`, CR or LF (quotes doubled),
/// CRLF line ends (what Excel expects), each field neutralised.
fn csv_records<'a, R>(records: impl IntoIterator<Item = R>) -> Vec<u8>
where
    R: IntoIterator<Item = &'a str>,
{
    let mut out = Vec::new();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .flexible(true)
        .from_writer(&mut out);
    for record in records {
        // Into memory, and records of any length allowed: nothing can fail.
        for field in record {
            let _ = writer.write_field(neutralised(field).as_bytes());
        }
        let _ = writer.write_record(None::<&[u8]>);
    }
    // Dropping the writer flushes what it holds into `out`.
    drop(writer);
    out
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// CSV text with a BOM and CRLF line ends (what Excel expects).
pub(crate) fn to_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv_start(header).into_bytes();
    out.extend(csv_records(
        rows.iter().map(|row| row.iter().map(String::as_str)),
    ));
    out
}

/// The start of a CSV file: the BOM and the header line.
pub(crate) fn csv_start(header: &[&str]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&utf8(csv_records([header.iter().copied()])));
    out
}

/// One row of a CSV file, with its line end.
pub(crate) fn csv_line(row: &[String]) -> String {
    utf8(csv_records([row.iter().map(String::as_str)]))
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

    /// A spreadsheet also starts a formula after a leading tab or carriage return (OWASP's CSV
    /// injection list): those are neutralised too, and a field with a CR is quoted.
    #[test]
    fn a_leading_tab_or_carriage_return_is_neutralised() {
        let row =
            |fields: &[&str]| csv_line(&fields.iter().map(|f| f.to_string()).collect::<Vec<_>>());
        assert_eq!(row(&["\t=1+1", "x"]), "'\t=1+1,x\r\n");
        assert_eq!(row(&["\r=1+1", "x"]), "\"'\r=1+1\",x\r\n");
        assert_eq!(
            row(&["+86 0797", "-5", "@SUM(A1)", "a=b"]),
            "'+86 0797,'-5,'@SUM(A1),a=b\r\n"
        );
        // Only at the start of a field.
        assert_eq!(row(&["a\tb", " =1"]), "a\tb, =1\r\n");
    }

    /// The writer this module had before it used the `csv` crate, kept as the reference for
    /// the bytes: quoting, doubled quotes, the formula guard, CRLF.
    fn csv_line_before(row: &[String]) -> String {
        let field = |field: &str| {
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
        };
        let mut line = row.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
        line.push_str("\r\n");
        line
    }

    proptest::proptest! {
        /// Every row whose fields do not start with a tab or CR (the guard's new cases) is
        /// written byte for byte as before.
        #[test]
        fn rows_are_written_as_before(
            row in proptest::collection::vec(r#"[=+\-@'",;\r\n\t a-z0-9风险“”]{0,8}|\PC{0,12}"#, 2..6)
        ) {
            proptest::prop_assume!(!row.iter().any(|f| f.starts_with(['\t', '\r'])));
            proptest::prop_assert_eq!(csv_line(&row), csv_line_before(&row));
        }
    }
}
