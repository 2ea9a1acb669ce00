//! Printing: a department's print page of the office's build comes out of Chromium as one A4
//! page per form, and a printed form keeps its right border.

use std::path::Path;

use crate::build::ExampleSite;
use crate::support::chromium::{self, file_url};
use crate::support::pdf::{self, Gray};

/// The office's build of the example, when Chromium is there.
fn office_build() -> Option<(ExampleSite, std::path::PathBuf)> {
    if chromium::chromium().is_none() {
        eprintln!("skipped: chromium not installed");
        return None;
    }
    let site = ExampleSite::copy();
    site.gongshi(&["build", "-q", "--scope", "办公室"])
        .succeeds();
    let out = site.root().join("output-office");
    Some((site, out))
}

#[test]
fn a_departments_print_page_prints_one_a4_page_per_form() {
    let Some((site, out)) = office_build() else {
        return;
    };
    let page = out.join("2022/caiwu/print.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let forms = html.matches("<section class=\"print-form\">").count();
    // 财务科: 附表1 and 附表4 of each of its three post holders, 附表2 and 附表5.
    assert_eq!(forms, 8, "the forms of the print page");
    let order: Vec<usize> = ["附表 1：", "附表 2：", "附表 4：", "附表 5："]
        .iter()
        .map(|no| html.find(no).unwrap_or_else(|| panic!("no {no}")))
        .collect();
    assert!(order.is_sorted(), "the forms are not in the plan's order");
    let pdf_path = site.root().join("caiwu.pdf");
    pdf::print_to_pdf(&file_url(&page, ""), &pdf_path);
    let bytes = std::fs::read(&pdf_path).unwrap();
    assert_eq!(
        pdf::page_count(&bytes),
        forms,
        "each form on a page of its own"
    );
}

/// The table's edges on a printed page: the first and last rows and the left and right ends
/// of its longest horizontal rule.
fn table_box(page: &Gray) -> (usize, usize, usize, usize) {
    let dark = |v: u8| v < 128;
    let mut rules = Vec::new();
    for y in 0..page.height {
        let row: Vec<usize> = (0..page.width).filter(|x| dark(page.at(*x, y))).collect();
        if row.len() > page.width / 2 {
            rules.push((y, row[0], row[row.len() - 1]));
        }
    }
    assert!(rules.len() >= 4, "no table found on the printed page");
    let top = rules[0].0;
    let bottom = rules[rules.len() - 1].0;
    let left = rules.iter().map(|r| r.1).min().unwrap();
    let right = rules.iter().map(|r| r.2).max().unwrap();
    (top, bottom, left, right)
}

/// How many rows between `top` and `bottom` are dark in a column within two pixels of `x`.
fn vertical_line(page: &Gray, x: usize, top: usize, bottom: usize) -> f64 {
    let columns = x.saturating_sub(2)..=(x + 2).min(page.width - 1);
    let dark = (top..=bottom)
        .filter(|y| columns.clone().any(|c| page.at(c, *y) < 160))
        .count();
    dark as f64 / (bottom - top + 1) as f64
}

/// Regression: printed on A4 (at 150 dpi, as the office scans its copies) every form lost its
/// right border: the table was exactly as wide as the printable area, and the half of its
/// collapsed border outside the table's box fell past the page's edge.
#[test]
fn a_printed_form_has_its_right_border_at_a4_width() {
    if chromium::chromium().is_none() {
        eprintln!("skipped: chromium not installed");
        return;
    }
    // The notice's own forms (the office's add a banner above them, whose box would be taken
    // for the table's edge here; they share the stylesheet).
    let site = ExampleSite::copy();
    let out = site.build(&["-q"]);
    for form in [
        "2022/forms/dept-caiwu.html",
        "2022/forms/person-CWK-01.html",
        "2022/forms/unit.html",
        "2022/forms/dept-pledge-caiwu.html",
    ] {
        let pdf_path = site.root().join("form.pdf");
        pdf::print_to_pdf(&file_url(&out.join(form), ""), &pdf_path);
        let Some(page) = pdf::raster(&pdf_path, 1, 150) else {
            eprintln!("skipped: pdftoppm not installed");
            return;
        };
        // A4 at 150 dpi.
        assert_eq!((page.width, page.height), (1240, 1754), "{form}: not A4");
        let (top, bottom, left, right) = table_box(&page);
        assert!(
            right < page.width - 60,
            "{form}: the table runs off the page"
        );
        let at_left = vertical_line(&page, left, top, bottom);
        let at_right = vertical_line(&page, right, top, bottom);
        assert!(at_left > 0.95, "{form}: left border {at_left:.2}");
        assert!(
            at_right > 0.95,
            "{form}: the right border is drawn over {:.0}% of the table's height",
            at_right * 100.0
        );
        std::fs::copy(
            &pdf_path,
            chromium::screenshot_dir().join(format!(
                "print-{}.pdf",
                Path::new(form).file_stem().unwrap().to_string_lossy()
            )),
        )
        .ok();
    }
}
