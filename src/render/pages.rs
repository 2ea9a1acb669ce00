//! The pages of one year's notice: which files exist, which template draws each, and with what
//! context. Shared data (the year's view) sits in the templates' global context once; a page's
//! own context holds only indexes and its rendered body, so rendering stays linear in pages.

use tera::Context;

use crate::render::view::{Cell, DeptView, PersonView, PointView, YearView};

/// A page to render: output path relative to the site root, template, and what its own
/// context holds. The context is made only when the page is drawn (`context`): the preview
/// decides from the rest whether a page kept from an earlier build can stand.
pub(crate) struct Page {
    pub(crate) path: String,
    pub(crate) template: &'static str,
    pub(crate) title: String,
    pub(crate) nav: &'static str,
    pub(crate) own: Own,
}

/// What a page's own context holds besides its place, title and navigation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Own {
    /// Nothing: the page reads the view as a whole.
    Nothing,
    /// A department's page: `dept_index` and its body (`body_html`).
    Department(usize),
    /// A department's form or pledge: `dept_index`.
    DepartmentForm(usize),
    /// A department's print page (the office's build): `dept_index`, and every form of the
    /// department drawn into `body_html` (src/build/print.rs).
    DepartmentPrint(usize),
    /// A person's form or pledge: `person_index`.
    Person(usize),
    /// A list of points: `indexes` into `v.points` and a note.
    List { indexes: Vec<usize>, note: String },
    /// A point's page: `point_index` and its body (`body_html`).
    Point(usize),
}

/// The relative path from a file at `path` (relative to the site root) back to the site root.
pub(crate) fn to_site_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

impl Page {
    /// The page's own context. `point_bodies[i]` is the HTML body of `v.points[i]`,
    /// `dept_bodies[i]` that of `v.departments[i]`.
    pub(crate) fn context(
        &self,
        point_bodies: &[tera::Value],
        dept_bodies: &[tera::Value],
    ) -> Context {
        let rel = self
            .path
            .split_once('/')
            .map_or(self.path.as_str(), |(_, rel)| rel);
        let mut context = Context::new();
        context.insert("root", &"../".repeat(rel.matches('/').count()));
        context.insert("site_root", &to_site_root(&self.path));
        context.insert("page_title", &self.title);
        context.insert("nav", self.nav);
        context.insert("page_path", rel);
        if ends_with_signoff(self.template) {
            context.insert("signoff", &true);
        }
        let body = |bodies: &[tera::Value], i: usize| {
            bodies
                .get(i)
                .cloned()
                .unwrap_or_else(|| tera::Value::from(""))
        };
        match &self.own {
            Own::Nothing => {}
            Own::Department(i) => {
                context.insert("dept_index", i);
                context.insert_value("body_html", body(dept_bodies, *i));
            }
            Own::DepartmentForm(i) | Own::DepartmentPrint(i) => context.insert("dept_index", i),
            Own::Person(i) => context.insert("person_index", i),
            Own::List { indexes, note } => {
                context.insert("indexes", indexes);
                context.insert("list_note", note);
            }
            Own::Point(i) => {
                context.insert("point_index", i);
                context.insert_value("body_html", body(point_bodies, *i));
            }
        }
        context
    }
}

/// Whether the page's template ends, in print, with the issuing body and the date (落款): the
/// notice itself and the forms (附表1–3) the office files.
pub(crate) fn ends_with_signoff(template: &str) -> bool {
    matches!(
        template,
        "year.html" | "form_person.html" | "form_dept.html" | "form_unit.html"
    )
}

fn page(year: u16, rel: &str, template: &'static str, title: &str, nav: &'static str) -> Page {
    Page {
        path: format!("{year}/{rel}"),
        template,
        title: title.to_string(),
        nav,
        own: Own::Nothing,
    }
}

fn with(mut page: Page, own: Own) -> Page {
    page.own = own;
    page
}

/// Every page of the year for this view.
pub(crate) fn year_pages(view: &YearView) -> Vec<Page> {
    let y = view.number;
    let mut pages = Vec::with_capacity(view.points.len() * 2 + 64);
    pages.extend(whole_view_pages(y));
    for (i, d) in view.departments.iter().enumerate() {
        pages.extend(department_pages(y, i, d, view.office));
    }
    for (i, person) in view.persons.iter().enumerate() {
        pages.extend(person_pages(y, i, person));
    }
    pages.extend(list_pages(view));
    for (i, point) in view.points.iter().enumerate() {
        pages.push(point_page(y, i, point));
    }
    pages
}

/// The pages that read the view as a whole: the home page, the lists of departments and of
/// unit points, the oversight page, the index of forms and 附表3. The forms' titles are the
/// plan's names of its 附表 without the hospital's name (which the layout adds).
pub(crate) fn whole_view_pages(y: u16) -> Vec<Page> {
    vec![
        page(y, "index.html", "year.html", "首页", "home"),
        page(
            y,
            "departments/index.html",
            "departments.html",
            "科室",
            "departments",
        ),
        page(
            y,
            "unit/index.html",
            "unit.html",
            "单位风险点（三重一大）",
            "unit",
        ),
        page(
            y,
            "oversight.html",
            "oversight.html",
            "监督通报",
            "oversight",
        ),
        page(
            y,
            "forms/index.html",
            "forms.html",
            "防控表与承诺书",
            "forms",
        ),
        page(
            y,
            "forms/unit.html",
            "form_unit.html",
            "附表3 风险岗位廉能识别防控表",
            "forms",
        ),
    ]
}

/// The `i`th department's page, its 附表2 and its 附表5, and in the office's build its print
/// page.
pub(crate) fn department_pages(y: u16, i: usize, d: &DeptView, office: bool) -> Vec<Page> {
    let mut pages = vec![
        with(
            page(y, &d.url, "department.html", &d.name, "departments"),
            Own::Department(i),
        ),
        dept_form_page(y, i, d),
        dept_pledge_page(y, i, d),
    ];
    if office {
        pages.push(with(
            page(
                y,
                &d.print_url,
                "print_dept.html",
                &format!("{} 防控表与承诺书（打印）", d.name),
                "forms",
            ),
            Own::DepartmentPrint(i),
        ));
    }
    pages
}

/// The `i`th department's 附表2.
pub(crate) fn dept_form_page(y: u16, i: usize, d: &DeptView) -> Page {
    with(
        page(
            y,
            &d.form_url,
            "form_dept.html",
            &format!("附表2 {} 科（室）风险岗位廉能识别防控表", d.name),
            "forms",
        ),
        Own::DepartmentForm(i),
    )
}

/// The `i`th department's 附表5.
pub(crate) fn dept_pledge_page(y: u16, i: usize, d: &DeptView) -> Page {
    with(
        page(
            y,
            &d.pledge_url,
            "pledge_dept.html",
            &format!("附表5 {} 科室风险岗位廉能监管防范承诺书", d.name),
            "forms",
        ),
        Own::DepartmentForm(i),
    )
}

/// The `i`th person's 附表1 and 附表4.
pub(crate) fn person_pages(y: u16, i: usize, person: &PersonView) -> [Page; 2] {
    [
        with(
            page(
                y,
                &person.form_url,
                "form_person.html",
                &format!("附表1 {} 个人风险岗位廉能识别防控表", person.name),
                "forms",
            ),
            Own::Person(i),
        ),
        with(
            page(
                y,
                &person.pledge_url,
                "pledge_person.html",
                &format!("附表4 {} 个人风险岗位廉能防范承诺书", person.name),
                "forms",
            ),
            Own::Person(i),
        ),
    ]
}

/// The lists of points: each cell of the matrix, each grade.
pub(crate) fn list_pages(view: &YearView) -> Vec<Page> {
    let y = view.number;
    let mut pages = Vec::new();
    for cell in &view.matrix {
        pages.push(with(
            page(
                y,
                &cell.url,
                "list.html",
                &format!("发生机率{}、危害程度{}", cell.likelihood, cell.impact),
                "home",
            ),
            Own::List {
                indexes: cell.points.clone(),
                note: cell_note(view, cell),
            },
        ));
    }
    for (term, n, _) in &view.stats.by_grade {
        let indexes: Vec<usize> = view
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.grade_n == *n)
            .map(|(i, _)| i)
            .collect();
        pages.push(with(
            page(
                y,
                &format!("grade/{n}.html"),
                "list.html",
                &format!("{term}风险点"),
                "home",
            ),
            Own::List {
                indexes,
                note: String::new(),
            },
        ));
    }
    pages
}

/// What a cell's list says of its grade: the cell is the grade computed by plan 六.(二).4; a
/// point declared graver (提级管理, SPEC `over-graded`) is listed in it and named.
fn cell_note(view: &YearView, cell: &Cell) -> String {
    let computed = ["一级", "二级", "三级"][usize::from(cell.grade_n) - 1];
    let mut note = format!(
        "按实施方案六.(二).4 计算为{computed}，共 {} 个风险点。",
        cell.points.len()
    );
    let raised: Vec<String> = cell
        .points
        .iter()
        .map(|i| &view.points[*i])
        .filter(|p| p.raised)
        .map(|p| format!("{}（定为{}）", p.id, p.grade))
        .collect();
    if !raised.is_empty() {
        note.push_str(&format!(
            "其中 {} 个提级管理，所定等级严于计算等级：{}。",
            raised.len(),
            raised.join("、")
        ));
    }
    note
}

/// The `i`th point's page.
pub(crate) fn point_page(y: u16, i: usize, point: &PointView) -> Page {
    with(
        page(
            y,
            &point.url,
            "point.html",
            &format!("{} {}", point.id, point.title),
            if point.level == "单位" {
                "unit"
            } else {
                "departments"
            },
        ),
        Own::Point(i),
    )
}

/// The 较上年变化 page (src/diff/notice.rs); the build adds it when there is an earlier year.
pub(crate) fn changes_page(year: u16) -> Page {
    page(year, "changes.html", "changes.html", "较上年变化", "home")
}

/// The office's progress board (src/progress.rs); only its build has it.
pub(crate) fn progress_page(year: u16) -> Page {
    page(
        year,
        "progress.html",
        "progress.html",
        "工作进度",
        "progress",
    )
}
