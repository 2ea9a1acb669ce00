//! A department's print page (`YEAR/SLUG/print.html`, the office's build only): every form the
//! department files, in the plan's order (附表1 of each person, 附表2, 附表4 of each person,
//! 附表5), one after another with a page break between them, so that the clerk prints a
//! department in one go.
//!
//! Each form is drawn by its own page's template, as a fragment (`fragment` in the context:
//! the base template then gives the page's main block alone, and its 落款), so a form reads the
//! same on its own page and here.
//!
//! In: the prepared year, the theme, the department's index. Out: the forms' HTML, for the
//! print page's `body_html`.

use anyhow::Result;

use crate::build::prepare::Prepared;
use crate::render::pages::{self, Page};
use crate::render::theme::Theme;

/// The form pages of the `i`th department, in the order they are printed.
pub(crate) fn form_pages(prepared: &Prepared, i: usize) -> Vec<Page> {
    let view = &prepared.view;
    let y = view.number;
    let Some(d) = view.departments.get(i) else {
        return Vec::new();
    };
    let (forms, pledges): (Vec<Page>, Vec<Page>) = d
        .persons
        .iter()
        .filter_map(|p| view.persons.get(*p).map(|person| (*p, person)))
        .map(|(p, person)| {
            let [form, pledge] = pages::person_pages(y, p, person);
            (form, pledge)
        })
        .unzip();
    forms
        .into_iter()
        .chain([pages::dept_form_page(y, i, d)])
        .chain(pledges)
        .chain([pages::dept_pledge_page(y, i, d)])
        .collect()
}

/// The forms of the `i`th department, each drawn as a fragment in a section of its own.
pub(crate) fn forms_html(prepared: &Prepared, theme: &Theme, i: usize) -> Result<String> {
    let mut html = String::new();
    for form in form_pages(prepared, i) {
        let mut context = form.context(&prepared.point_html, &prepared.dept_html);
        context.extend(prepared.globals.clone());
        context.insert("fragment", &true);
        let drawn = theme
            .render(form.template, &context)
            .map_err(|e| e.context(format!("生成打印页中的 {} 时出错", form.path)))?;
        html.push_str("<section class=\"print-form\">\n");
        html.push_str(&drawn);
        html.push_str("</section>\n");
    }
    Ok(html)
}
