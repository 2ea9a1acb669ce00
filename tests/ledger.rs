//! The ledger (台帐, `ledger.csv`) as Excel on a hospital PC opens it: UTF-8 with a BOM, CRLF
//! line ends, fields quoted only where they must be, and nothing a spreadsheet would run as a
//! formula. The example site's ledger is pinned byte for byte (BOM and line ends shown), so a
//! change of the CSV writer cannot change a ledger unnoticed.

use crate::build::ExampleSite;
use crate::harness::{Site, base};

/// The bytes of a CSV as text with its invisible parts spelled out: the BOM as `<BOM>`, each
/// carriage return as `\r`, each tab as `\t`.
fn visible(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec())
        .expect("the ledger is UTF-8")
        .replace('\u{feff}', "<BOM>")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

#[test]
fn example_ledger_is_byte_for_byte_as_pinned() {
    let site = ExampleSite::copy();
    let output = site.build(&["-q"]);
    let bytes = std::fs::read(output.join("2022/ledger.csv")).expect("the ledger");
    assert!(bytes.starts_with("\u{feff}编号,标题,".as_bytes()));
    assert!(bytes.ends_with(b"\r\n"));
    insta::assert_snapshot!("example_ledger_csv", visible(&bytes));
}

/// A point whose fields hold what CSV must quote (a comma, quotes) and what a spreadsheet would
/// take for a formula: a leading `=` or `@`, also behind a tab or carriage return (the loader
/// trims those; the writer would neutralise them too, see src/render/ledger.rs).
#[test]
fn formulas_are_neutralised_and_odd_fields_quoted() {
    let site = Site::base().replace(
        base::ZHICHU,
        "measures:\n  前期预防: [大额支付须经集体研究]\n  中期监控: [每月核对支付台账]\n",
        "measures:\n  前期预防: [\"=HYPERLINK(\\\"http://x\\\",\\\"点我\\\")\", \"双人复核,逐笔登记\"]\n  中期监控: [\"\\t=1+1\"]\n  后期处置: [\"\\r@SUM(A1)\"]\n",
    );
    site.run(["build", "-q"]).succeeds();
    let ledger = visible(&std::fs::read(site.path("output/2022/ledger.csv")).unwrap());
    let row = ledger
        .lines()
        .find(|line| line.starts_with("CW-02,"))
        .unwrap_or_else(|| panic!("no CW-02 row in\n{ledger}"));
    let measures = row
        .split_once(",二级,二级,周科长,陈副院长,,")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{row}"));
    assert!(
        measures.starts_with(
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")；双人复核,逐笔登记\",'=1+1,'@SUM(A1),全院,"
        ),
        "{row}"
    );
}
