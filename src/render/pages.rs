//! The pages of one year's notice: which files exist, which template draws each, and with what
//! context. Shared data (the year's view) sits in the templates' global context once; a page's
//! own context holds only indexes and its rendered body, so rendering stays linear in pages.

use crate::render::view::YearView;

/// A page to render: output path relative to the site root, template, and its own context.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// The relative path from a file at `path` (relative to the site root) back to the site root.
pub fn to_site_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page(year: u16, rel: &str, template: &'static str, title: &str, nav: &str) -> Page {
    let path = format!("{year}/{rel}");
    let depth = rel.matches('/').count();
    let mut context = tera::Context::new();
    context.insert("root", &"../".repeat(depth));
    context.insert("site_root", &to_site_root(&path));
    context.insert("page_title", title);
    context.insert("nav", nav);
    context.insert("page_path", rel);
    Page {
        path,
        template,
        context,
    }
}

/// Every page of the year for this view. `point_bodies[i]` is the HTML body of `view.points[i]`,
/// `dept_bodies[i]` that of `view.departments[i]`.
pub fn year_pages(
    view: &YearView,
    point_bodies: Vec<String>,
    dept_bodies: Vec<String>,
) -> Vec<Page> {
    let y = view.number;
    let mut pages = Vec::with_capacity(view.points.len() * 2 + 64);
    pages.push(page(y, "index.html", "year.html", "首页", "home"));
    pages.push(page(
        y,
        "departments/index.html",
        "departments.html",
        "科室",
        "departments",
    ));
    pages.push(page(
        y,
        "unit/index.html",
        "unit.html",
        "单位风险点（三重一大）",
        "unit",
    ));
    pages.push(page(
        y,
        "oversight.html",
        "oversight.html",
        "监督通报",
        "oversight",
    ));
    pages.push(page(
        y,
        "forms/index.html",
        "forms.html",
        "防控表与承诺书",
        "forms",
    ));
    pages.push(page(
        y,
        "forms/unit.html",
        "form_unit.html",
        "附表3 单位风险岗位廉能识别防控表",
        "forms",
    ));

    for (i, body) in dept_bodies.into_iter().enumerate() {
        let d = &view.departments[i];
        let mut p = page(y, &d.url, "department.html", &d.name, "departments");
        p.context.insert("dept_index", &i);
        p.context.insert("body_html", &body);
        pages.push(p);
        let mut f = page(
            y,
            &d.form_url,
            "form_dept.html",
            &format!("附表2 {} 风险岗位廉能识别防控表", d.name),
            "forms",
        );
        f.context.insert("dept_index", &i);
        pages.push(f);
        let mut f = page(
            y,
            &d.pledge_url,
            "pledge_dept.html",
            &format!("附表5 {} 风险岗位廉能监管防范承诺书", d.name),
            "forms",
        );
        f.context.insert("dept_index", &i);
        pages.push(f);
    }
    for (i, person) in view.persons.iter().enumerate() {
        let mut f = page(
            y,
            &person.form_url,
            "form_person.html",
            &format!("附表1 {} 个人风险岗位廉能识别防控表", person.name),
            "forms",
        );
        f.context.insert("person_index", &i);
        pages.push(f);
        let mut f = page(
            y,
            &person.pledge_url,
            "pledge_person.html",
            &format!("附表4 {} 个人风险岗位廉能防范承诺书", person.name),
            "forms",
        );
        f.context.insert("person_index", &i);
        pages.push(f);
    }
    for cell in &view.matrix {
        let mut p = page(
            y,
            &cell.url,
            "list.html",
            &format!("发生机率{}、危害程度{}", cell.likelihood, cell.impact),
            "home",
        );
        p.context.insert("indexes", &cell.points);
        p.context.insert(
            "list_note",
            &format!(
                "按实施方案六.(二).4 定为{}",
                ["一级", "二级", "三级"][usize::from(cell.grade_n) - 1]
            ),
        );
        pages.push(p);
    }
    for (term, n, _) in &view.stats.by_grade {
        let indexes: Vec<usize> = view
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.grade_n == *n)
            .map(|(i, _)| i)
            .collect();
        let mut p = page(
            y,
            &format!("grade/{n}.html"),
            "list.html",
            &format!("{term}风险点"),
            "home",
        );
        p.context.insert("indexes", &indexes);
        p.context.insert("list_note", "");
        pages.push(p);
    }
    for (i, body) in point_bodies.into_iter().enumerate() {
        let point = &view.points[i];
        let mut p = page(
            y,
            &point.url,
            "point.html",
            &format!("{} {}", point.id, point.title),
            if point.level == "单位" {
                "unit"
            } else {
                "departments"
            },
        );
        p.context.insert("point_index", &i);
        p.context.insert("body_html", &body);
        pages.push(p);
    }
    pages
}

/// The 较上年变化 page (src/diff/notice.rs); the build adds it when there is an earlier year.
pub fn changes_page(year: u16) -> Page {
    page(year, "changes.html", "changes.html", "较上年变化", "home")
}
