//! The notice's view of one year for one audience: serialisable records that templates, forms,
//! charts, the ledger and the search index are all made from. Built once per build from the
//! audience's selection (src/audience.rs), so nothing outside it can reach a page.

use std::collections::hash_map::Entry;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::audience::{Audience, Readers};
use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::model::{
    Approval, Category, Date, Defence, Grade, Impact, Level, Likelihood, PostDuties, RiskPoint,
    SanzhongYida, Term,
};
use crate::oversight::{CardReason, Ineligibility, Oversight};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct MeasureLine {
    pub(crate) name: &'static str,
    pub(crate) items: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ReviewStep {
    pub(crate) name: &'static str,
    pub(crate) date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PointView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) level: &'static str,
    pub(crate) post: Option<String>,
    pub(crate) holder: Option<String>,
    pub(crate) category: &'static str,
    pub(crate) likelihood: &'static str,
    pub(crate) impact: &'static str,
    pub(crate) grade: &'static str,
    pub(crate) grade_n: u8,
    pub(crate) grade_letter: &'static str,
    pub(crate) grade_colour: &'static str,
    /// The grade computed from likelihood and impact (plan 六.(二).4): the matrix cell's.
    pub(crate) computed_grade: &'static str,
    /// Declared graver than computed (SPEC `over-graded`): 提级管理.
    pub(crate) raised: bool,
    /// Who answers for it as the plan says it of its grade (六.(三).5): 直接负责管理落实 (一级),
    /// 直接管理落实 (二级), 直接落实 (三级).
    pub(crate) owner_role: &'static str,
    pub(crate) owner: String,
    pub(crate) supervisor: String,
    pub(crate) sanzhong_yida: Option<&'static str>,
    pub(crate) measures: Vec<MeasureLine>,
    /// "前期预防：a；b。中期监控：c。" for the printed forms.
    pub(crate) measures_text: String,
    pub(crate) scope: &'static str,
    pub(crate) review: Vec<ReviewStep>,
    /// A 单位 point's 报市卫生局纪检组备案 date (plan 六.(三).4.(3)), in Chinese.
    pub(crate) filed: Option<String>,
    /// A leader's own point (a 单位 point with a `holder`, plan 六.(二)): the leader's part
    /// (主要领导, 分管领导, 纪检负责人).
    pub(crate) leader_role: Option<&'static str>,
    pub(crate) dept_slug: String,
    pub(crate) dept_name: String,
    /// Relative to the year folder: `caiwu/CWK-03.html`.
    pub(crate) url: String,
    /// The folder of the page: `caiwu` or `unit`.
    pub(crate) folder: String,
    /// Why the audience's public notice leaves the point out, when the readers see it all the
    /// same (the office, `--drafts`): "未公示：缺科室集体审定", "仅科室公示（财务科）", "不公示"
    /// (`Readers::withheld`). Every place that shows the point shows it.
    pub(crate) unpublished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PersonView {
    pub(crate) name: String,
    pub(crate) posts: Vec<String>,
    pub(crate) dept_slug: String,
    pub(crate) dept_name: String,
    /// Indexes into `YearView::points`.
    pub(crate) points: Vec<usize>,
    /// The points by category, the four of 附表1 always, 思想道德 when the person has one.
    pub(crate) by_category: Vec<CategoryRows>,
    /// 一岗双责 (附表1): the duties the department's file gives the person's posts.
    pub(crate) duties: PersonDuties,
    /// `forms/person-CWK-01.html` (附表1) and `forms/pledge-CWK-01.html` (附表4).
    pub(crate) form_url: String,
    pub(crate) pledge_url: String,
}

/// A person's 岗位职责 and 廉政职责 (附表1's 一岗双责 rows), from the department's `duties`
/// for each of the person's posts; with more than one post, each is named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct PersonDuties {
    pub(crate) post: Option<String>,
    pub(crate) integrity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CategoryRows {
    pub(crate) category: &'static str,
    pub(crate) points: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DeptView {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) head: String,
    pub(crate) liaison: String,
    pub(crate) deputy: Option<String>,
    pub(crate) key_area: Option<&'static str>,
    pub(crate) url: String,
    pub(crate) form_url: String,
    pub(crate) pledge_url: String,
    /// `caiwu/print.html`: every form of the department on one page (the office's build).
    pub(crate) print_url: String,
    /// Points of this department, 科室 level first, then 岗位, by grade then id.
    pub(crate) dept_points: Vec<usize>,
    pub(crate) post_points: Vec<usize>,
    pub(crate) counts: [usize; 3],
    pub(crate) persons: Vec<usize>,
    pub(crate) not_eligible: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    pub(crate) likelihood: &'static str,
    pub(crate) impact: &'static str,
    pub(crate) grade_n: u8,
    pub(crate) count: usize,
    pub(crate) url: String,
    pub(crate) points: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardView {
    pub(crate) dept_name: String,
    pub(crate) dept_slug: String,
    /// The post, when this audience may see one of its points; otherwise hidden.
    pub(crate) post: Option<String>,
    pub(crate) reasons: Vec<String>,
}

/// A key post (风险重点防范岗位, SPEC section 6) as this audience may see it: a post with at
/// least one 一级 岗位 point in the audience's selection, and those points. The links are
/// copied here (not indexes into the points) so that the oversight page reads this part alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct KeyPostView {
    pub(crate) dept_name: String,
    pub(crate) dept_slug: String,
    /// `caiwu/index.html`: the department's page, with its flow diagrams (工作流程).
    pub(crate) dept_url: String,
    pub(crate) post: String,
    /// The holders; none when the post has a yellow card and the site does not name people
    /// beside one (`names_withheld`).
    pub(crate) holders: Vec<String>,
    pub(crate) points: Vec<PointLink>,
    /// The post has a yellow card this year.
    pub(crate) yellow_card: bool,
    /// The holders are not named: the post has a yellow card and site.yaml's
    /// `oversight.show_names` is not set.
    pub(crate) names_withheld: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PointLink {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// The point's mark (`PointView::unpublished`).
    pub(crate) unpublished: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct IneligibleView {
    pub(crate) dept_name: String,
    pub(crate) reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stats {
    pub(crate) total: usize,
    pub(crate) by_level: Vec<(&'static str, usize)>,
    pub(crate) by_grade: Vec<(&'static str, u8, usize)>,
    pub(crate) by_category: Vec<(&'static str, usize)>,
    /// By grade as `by_grade`: how many of its points are 提级管理, declared graver than
    /// computed, and so counted in a milder cell of the matrix (which shows computed grades).
    pub(crate) raised: Vec<(&'static str, u8, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SanzhongGroup {
    pub(crate) item: &'static str,
    pub(crate) points: Vec<usize>,
}

/// A leader's own risk points (领导班子成员, plan 六.(二)) that this audience may see, listed
/// under the 领导小组 on the home page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LeaderView {
    pub(crate) name: String,
    /// 主要领导, 分管领导 or 纪检负责人.
    pub(crate) role: &'static str,
    pub(crate) points: Vec<LeaderPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LeaderPoint {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) grade: &'static str,
    pub(crate) grade_n: u8,
}

/// Everything the notice of one year shows to one audience.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct YearView {
    pub(crate) number: u16,
    pub(crate) audience: String,
    /// The office's build (`--scope 办公室`): it also has the progress board and a print page
    /// per department.
    pub(crate) office: bool,
    /// Shared: the preview keeps each point's record from one build to the next.
    pub(crate) points: Vec<Arc<PointView>>,
    pub(crate) departments: Vec<DeptView>,
    /// Shared, like the points.
    pub(crate) persons: Vec<Arc<PersonView>>,
    pub(crate) unit_points: Vec<usize>,
    pub(crate) sanzhong: Vec<SanzhongGroup>,
    pub(crate) matrix: Vec<Cell>,
    pub(crate) stats: Stats,
    pub(crate) key_posts: Vec<KeyPostView>,
    /// The site's rule for key posts, as the oversight page states it ("一级岗位风险点").
    pub(crate) key_post_rule: String,
    /// `oversight.show_names`: the key posts' table names the holders of a carded post too.
    pub(crate) show_names: bool,
    pub(crate) yellow_cards: Vec<CardView>,
    pub(crate) not_eligible: Vec<IneligibleView>,
    /// The 监督通报's own date (oversight.yaml `date`), in Chinese.
    pub(crate) oversight_date: Option<String>,
    /// The leaders' own points, by leader in the roster's order.
    pub(crate) leaders: Vec<LeaderView>,
}

/// Department, level, grade, id: the order of the notice. Borrowed, so sorting allocates
/// nothing (cloning the strings per comparison was a third of building the view).
fn notice_order(p: &RiskPoint) -> (&str, Level, Grade, &str) {
    (
        p.dept.as_deref().unwrap_or_default(),
        p.level.value,
        p.grade(),
        p.id.value.as_str(),
    )
}

pub(crate) fn point_url(point: &RiskPoint) -> String {
    format!(
        "{}/{}.html",
        point.dept.as_deref().unwrap_or("unit"),
        point.id.value
    )
}

pub(crate) fn cell_url(l: Likelihood, i: Impact) -> String {
    format!("matrix/{}-{}.html", l.grade().number(), i.grade().number())
}

/// A point's record. Reads the point, the departments' names, the rule tables (its scope) and
/// the readers (its mark).
pub(crate) fn point_view(
    p: &RiskPoint,
    year: &LoadedYear,
    rules: &RuleTables,
    readers: &Readers,
) -> PointView {
    let grade = p.grade();
    let dept_name = year.point_dept_name(p);
    PointView {
        id: p.id.value.clone(),
        title: p.title.value.clone(),
        level: p.level.value.term(),
        post: p.post.as_ref().map(|x| x.value.clone()),
        holder: p.holder.as_ref().map(|x| x.value.clone()),
        category: p.category.value.term(),
        likelihood: p.likelihood.value.term(),
        impact: p.impact.value.wording(),
        grade: grade.term(),
        grade_n: grade.number(),
        grade_letter: grade.letter(),
        grade_colour: grade.colour_name(),
        computed_grade: p.computed_grade().term(),
        raised: p.raised(),
        owner_role: owner_role(grade),
        owner: p.owner.value.clone(),
        supervisor: p.supervisor.value.clone(),
        sanzhong_yida: p.sanzhong_yida.as_ref().map(|s| s.value.term()),
        measures: Defence::ALL
            .iter()
            .map(|d| MeasureLine {
                name: d.term(),
                items: p
                    .measures
                    .value
                    .of(*d)
                    .iter()
                    .map(|m| m.value.clone())
                    .collect(),
            })
            .collect(),
        measures_text: p
            .measures
            .value
            .lines
            .iter()
            .map(|(d, items)| {
                format!(
                    "{}：{}。",
                    d.term(),
                    items
                        .iter()
                        .map(|m| m.value.as_str())
                        .collect::<Vec<_>>()
                        .join("；")
                )
            })
            .collect(),
        scope: Audience::scope_of(p, rules).term(),
        review: review_steps(p),
        filed: p
            .review
            .filed
            .as_ref()
            .filter(|_| p.level.value == Level::Unit)
            .map(|d| d.value.chinese()),
        leader_role: p.leader().and_then(|holder| {
            year.info
                .as_ref()
                .and_then(|info| info.leaders.role_of(&holder.value))
        }),
        dept_slug: p.dept.clone().unwrap_or_default(),
        dept_name,
        url: point_url(p),
        folder: p.dept.clone().unwrap_or_else(|| "unit".into()),
        unpublished: readers.withheld(p, rules, &|slug| year.dept_name(slug)),
    }
}

/// A point's approval steps as its page shows them: 填报, the steps its level needs before it
/// may be published (SPEC section 5), and any other step that has a date. A step the level does
/// not need is not shown as pending: a 岗位 point is never put before the board.
fn review_steps(p: &RiskPoint) -> Vec<ReviewStep> {
    let required = p.level.value.required_approvals();
    p.review
        .steps()
        .iter()
        .filter(|(step, date)| {
            *step == Approval::Submitted || required.contains(step) || date.is_some()
        })
        .map(|(step, date)| ReviewStep {
            name: step.name(),
            date: date.map(|d| d.value.chinese()),
        })
        .collect()
}

/// The owner's part by grade, in the plan's words (六.(三).5): 一级风险，由分管领导直接负责管理
/// 落实; 二级风险由科室负责人直接管理落实; 三级风险由所在岗位个人直接落实.
pub(crate) fn owner_role(grade: Grade) -> &'static str {
    match grade {
        Grade::One => "直接负责管理落实",
        Grade::Two => "直接管理落实",
        Grade::Three => "直接落实",
    }
}

/// Makes the view's records. `build` makes every one; the preview keeps them from one build
/// to the next (src/render/memo/records.rs).
pub(crate) trait Records: Sync {
    /// The records of points given in the notice's order.
    fn points(&self, sorted: &[&RiskPoint]) -> Vec<Arc<PointView>>;
    /// A person's record, made by `make` from what `person` says.
    fn person(&self, person: &Person, make: &dyn Fn() -> PersonView) -> Arc<PersonView>;
}

/// A holder of post points in a department: what their record is made from, which is the
/// records of their points (`points[i]` for `i` in `indexes`, in the view's order).
pub(crate) struct Person<'a> {
    pub(crate) dept: &'a str,
    pub(crate) holder: &'a str,
    pub(crate) indexes: Vec<usize>,
    pub(crate) points: &'a [Arc<PointView>],
    /// The duties of the person's posts, from the department's file (not a point's).
    pub(crate) duties: PersonDuties,
}

/// Makes every record afresh.
struct Fresh<'a> {
    year: &'a LoadedYear,
    rules: &'a RuleTables,
    readers: &'a Readers,
}

/// Records made afresh, as `build` makes them.
pub(crate) fn fresh_records<'a>(
    year: &'a LoadedYear,
    rules: &'a RuleTables,
    readers: &'a Readers,
) -> impl Records + 'a {
    Fresh {
        year,
        rules,
        readers,
    }
}

impl Records for Fresh<'_> {
    fn points(&self, sorted: &[&RiskPoint]) -> Vec<Arc<PointView>> {
        sorted
            .par_iter()
            .map(|p| Arc::new(point_view(p, self.year, self.rules, self.readers)))
            .collect()
    }

    fn person(&self, _: &Person, make: &dyn Fn() -> PersonView) -> Arc<PersonView> {
        Arc::new(make())
    }
}

/// A person's record, from the records of their points.
fn person_view(person: &Person, sorted: &[&RiskPoint]) -> PersonView {
    let points = &person.indexes;
    let mut posts: Vec<String> = Vec::new();
    for i in points {
        let post = sorted[*i]
            .post
            .as_ref()
            .map(|x| x.value.clone())
            .unwrap_or_default();
        if !posts.contains(&post) {
            posts.push(post);
        }
    }
    let first = sorted[points[0]];
    PersonView {
        name: person.holder.to_string(),
        posts,
        dept_slug: person.dept.to_string(),
        dept_name: person.points[points[0]].dept_name.clone(),
        points: points.clone(),
        by_category: Category::ALL
            .iter()
            .map(|c| CategoryRows {
                category: c.term(),
                points: points
                    .iter()
                    .copied()
                    .filter(|i| sorted[*i].category.value == *c)
                    .collect(),
            })
            .filter(|row| row.category != Category::Ethics.term() || !row.points.is_empty())
            .collect(),
        duties: person.duties.clone(),
        form_url: format!("forms/person-{}.html", first.id.value),
        pledge_url: format!("forms/pledge-{}.html", first.id.value),
    }
}

/// Builds the view of `visible` (the readers' selection, already filtered), with the
/// records made by `records`; also returns the points in the view's order, `view.points[i]`
/// being made from the `i`th.
pub(crate) fn build_with<'p>(
    year: &LoadedYear,
    readers: &Readers,
    visible: &[&'p RiskPoint],
    oversight: &Oversight,
    records: &dyn Records,
) -> (YearView, Vec<&'p RiskPoint>) {
    let mut sorted: Vec<&RiskPoint> = visible.to_vec();
    sorted.sort_by(|a, b| notice_order(a).cmp(&notice_order(b)));
    let points = records.points(&sorted);
    let mut people = people(&sorted, &points);
    for person in &mut people {
        person.duties = person_duties(year, person, &sorted);
    }
    let persons: Vec<Arc<PersonView>> = people
        .iter()
        .map(|person| records.person(person, &|| person_view(person, &sorted)))
        .collect();
    let departments = department_views(year, &sorted, &points, &persons, oversight);
    let unit_points: Vec<usize> = sorted
        .iter()
        .enumerate()
        .filter(|(_, p)| p.level.value == Level::Unit)
        .map(|(i, _)| i)
        .collect();
    let dept_name = |slug: &str| year.dept_name(slug);
    let view = YearView {
        number: year.number,
        audience: readers.audience.label(),
        office: readers.audience == Audience::Office,
        sanzhong: sanzhong_groups(&sorted, &unit_points),
        matrix: matrix(&sorted),
        stats: stats(&sorted),
        key_posts: key_posts(&sorted, &points, oversight, &dept_name),
        key_post_rule: oversight.key_post_rule.clone(),
        show_names: oversight.show_names,
        yellow_cards: yellow_cards(&sorted, oversight, &dept_name),
        not_eligible: not_eligible(&sorted, oversight, &dept_name),
        oversight_date: year.oversight.date.as_ref().map(|d| d.value.chinese()),
        leaders: leader_views(year, &sorted, &points),
        points,
        departments,
        persons,
        unit_points,
    };
    (view, sorted)
}

/// The holders of visible post points, per department, in the view's order. The index finds
/// a person without scanning everyone met so far (that scan was quadratic in the points).
fn people<'a>(sorted: &[&'a RiskPoint], points: &'a [Arc<PointView>]) -> Vec<Person<'a>> {
    let mut people: Vec<Person> = Vec::new();
    let mut person_index: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    for (i, p) in sorted.iter().enumerate() {
        let (Some(dept), Some(holder)) = (&p.dept, &p.holder) else {
            continue;
        };
        if p.level.value != Level::Post {
            continue;
        }
        match person_index.entry((dept.as_str(), holder.value.as_str())) {
            Entry::Occupied(at) => people[*at.get()].indexes.push(i),
            Entry::Vacant(slot) => {
                slot.insert(people.len());
                people.push(Person {
                    dept,
                    holder: &holder.value,
                    indexes: vec![i],
                    points,
                    duties: PersonDuties::default(),
                });
            }
        }
    }
    people
}

/// A person's 一岗双责 (附表1, plan 七.(一)): the duties the department's file gives each of
/// their posts, in the order of the posts; with more than one post, each is named.
fn person_duties(year: &LoadedYear, person: &Person, sorted: &[&RiskPoint]) -> PersonDuties {
    let Some(dept) = year.department(person.dept) else {
        return PersonDuties::default();
    };
    let mut posts: Vec<&str> = Vec::new();
    for i in &person.indexes {
        if let Some(post) = &sorted[*i].post
            && !posts.contains(&post.value.as_str())
        {
            posts.push(&post.value);
        }
    }
    let several = posts.len() > 1;
    let join = |pick: &dyn Fn(&PostDuties) -> Option<&str>| {
        let parts: Vec<String> = posts
            .iter()
            .filter_map(|post| {
                let text = dept.duties_of(post).and_then(pick)?;
                Some(if several {
                    format!("{post}：{text}")
                } else {
                    text.to_string()
                })
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join("；"))
    };
    PersonDuties {
        post: join(&|d| d.duty.as_ref().map(|t| t.value.as_str())),
        integrity: join(&|d| d.integrity.as_ref().map(|t| t.value.as_str())),
    }
}

/// The leaders' own points this audience may see (plan 六.(二): 按……领导班子成员排查岗位风险),
/// by leader in the roster's order (the principal, the deputies, the discipline lead).
fn leader_views(
    year: &LoadedYear,
    sorted: &[&RiskPoint],
    records: &[Arc<PointView>],
) -> Vec<LeaderView> {
    let Some(info) = &year.info else {
        return Vec::new();
    };
    let leaders = &info.leaders;
    let mut names: Vec<&str> = vec![&leaders.principal.value];
    names.extend(leaders.deputies.iter().map(|d| d.name.value.as_str()));
    names.extend(leaders.discipline.iter().map(|d| d.value.as_str()));
    let mut views: Vec<LeaderView> = Vec::new();
    for name in names {
        if views.iter().any(|v| v.name == name) {
            continue;
        }
        let points: Vec<LeaderPoint> = sorted
            .iter()
            .zip(records)
            .filter(|(p, _)| p.leader().is_some_and(|h| h.value == name))
            .map(|(_, r)| LeaderPoint {
                id: r.id.clone(),
                title: r.title.clone(),
                url: r.url.clone(),
                grade: r.grade,
                grade_n: r.grade_n,
            })
            .collect();
        if let (false, Some(role)) = (points.is_empty(), leaders.role_of(name)) {
            views.push(LeaderView {
                name: name.to_string(),
                role,
                points,
            });
        }
    }
    views
}

/// Each department's record: its points and persons, found in one pass over each (a pass per
/// department made this quadratic in the departments and points).
fn department_views(
    year: &LoadedYear,
    sorted: &[&RiskPoint],
    points: &[Arc<PointView>],
    persons: &[Arc<PersonView>],
    oversight: &Oversight,
) -> Vec<DeptView> {
    let slot: FxHashMap<&str, usize> = year
        .departments
        .iter()
        .enumerate()
        .map(|(k, d)| (d.slug.as_str(), k))
        .collect();
    let mut by_dept: Vec<(Vec<usize>, Vec<usize>, Vec<usize>)> =
        vec![Default::default(); year.departments.len()];
    for (i, p) in sorted.iter().enumerate() {
        if let Some(&k) = p.dept.as_deref().and_then(|d| slot.get(d)) {
            match p.level.value {
                Level::Department => by_dept[k].0.push(i),
                Level::Post => by_dept[k].1.push(i),
                Level::Unit => {}
            }
        }
    }
    for (i, person) in persons.iter().enumerate() {
        if let Some(&k) = slot.get(person.dept_slug.as_str()) {
            by_dept[k].2.push(i);
        }
    }
    year.departments
        .iter()
        .zip(by_dept)
        .map(|(d, (dept_points, post_points, dept_persons))| {
            let mut counts = [0; 3];
            for i in dept_points.iter().chain(&post_points) {
                counts[usize::from(points[*i].grade_n) - 1] += 1;
            }
            DeptView {
                slug: d.slug.clone(),
                name: d.name.value.clone(),
                head: d.head.value.clone(),
                liaison: d.liaison.value.clone(),
                deputy: year
                    .info
                    .as_ref()
                    .and_then(|info| info.deputy_of(&d.slug))
                    .map(|x| x.name.value.clone()),
                key_area: d.key_area.as_ref().map(|k| k.value.term()),
                url: format!("{}/index.html", d.slug),
                form_url: format!("forms/dept-{}.html", d.slug),
                pledge_url: format!("forms/dept-pledge-{}.html", d.slug),
                print_url: format!("{}/print.html", d.slug),
                dept_points,
                post_points,
                counts,
                persons: dept_persons,
                not_eligible: oversight
                    .not_eligible
                    .get(&d.slug)
                    .map(|w| {
                        w.iter()
                            .map(|x| ineligibility_text(x, audience_sees_post(sorted, &d.slug, x)))
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The unit points by 三重一大 item, and those of none under 其他单位风险.
fn sanzhong_groups(sorted: &[&RiskPoint], unit_points: &[usize]) -> Vec<SanzhongGroup> {
    let mut sanzhong: Vec<SanzhongGroup> = SanzhongYida::ALL
        .iter()
        .map(|item| SanzhongGroup {
            item: item.term(),
            points: unit_points
                .iter()
                .copied()
                .filter(|i| {
                    sorted[*i]
                        .sanzhong_yida
                        .as_ref()
                        .is_some_and(|s| s.value == *item)
                })
                .collect(),
        })
        .collect();
    let other: Vec<usize> = unit_points
        .iter()
        .copied()
        .filter(|i| sorted[*i].sanzhong_yida.is_none())
        .collect();
    if !other.is_empty() {
        sanzhong.push(SanzhongGroup {
            item: "其他单位风险",
            points: other,
        });
    }
    sanzhong
}

/// The 3×3 matrix of likelihood and impact, each cell with its computed grade and points.
fn matrix(sorted: &[&RiskPoint]) -> Vec<Cell> {
    let cell_of = |l: Likelihood, im: Impact| {
        let row = Likelihood::ALL
            .iter()
            .position(|x| *x == l)
            .unwrap_or_default();
        let column = Impact::ALL
            .iter()
            .position(|x| *x == im)
            .unwrap_or_default();
        row * Impact::ALL.len() + column
    };
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); Likelihood::ALL.len() * Impact::ALL.len()];
    for (i, p) in sorted.iter().enumerate() {
        cells[cell_of(p.likelihood.value, p.impact.value)].push(i);
    }
    let mut matrix = Vec::new();
    for l in Likelihood::ALL {
        for im in Impact::ALL {
            let pts = std::mem::take(&mut cells[cell_of(*l, *im)]);
            matrix.push(Cell {
                likelihood: l.term(),
                impact: im.wording(),
                grade_n: Grade::computed(*l, *im).number(),
                count: pts.len(),
                url: cell_url(*l, *im),
                points: pts,
            });
        }
    }
    matrix
}

/// The counts of the home page.
fn stats(sorted: &[&RiskPoint]) -> Stats {
    let count = |keep: &dyn Fn(&RiskPoint) -> bool| sorted.iter().filter(|p| keep(p)).count();
    Stats {
        total: sorted.len(),
        by_level: Level::ALL
            .iter()
            .map(|l| (l.term(), count(&|p| p.level.value == *l)))
            .collect(),
        by_grade: Grade::ALL
            .iter()
            .map(|g| (g.term(), g.number(), count(&|p| p.grade() == *g)))
            .collect(),
        by_category: Category::ALL
            .iter()
            .map(|c| (c.term(), count(&|p| p.category.value == *c)))
            .collect(),
        raised: Grade::ALL
            .iter()
            .map(|g| {
                let raised = count(&|p| p.grade() == *g && p.raised());
                (g.term(), g.number(), raised)
            })
            .filter(|(_, _, n)| *n > 0)
            .collect(),
    }
}

/// The yellow cards (风险岗位黄牌警告); a post this audience may not see is not named.
fn yellow_cards(
    sorted: &[&RiskPoint],
    oversight: &Oversight,
    dept_name: &dyn Fn(&str) -> String,
) -> Vec<CardView> {
    oversight
        .yellow_cards
        .iter()
        .map(|card| {
            let visible_post = sorted.iter().any(|p| {
                p.dept.as_deref() == Some(&card.post.dept)
                    && p.post.as_ref().is_some_and(|x| x.value == card.post.post)
            });
            CardView {
                dept_name: dept_name(&card.post.dept),
                dept_slug: card.post.dept.clone(),
                post: visible_post.then(|| card.post.post.clone()),
                reasons: card
                    .reasons
                    .iter()
                    .map(|r| match r {
                        CardReason::Reports { verified } => {
                            format!("群众举报两次以上且查实（查实 {verified} 次）")
                        }
                        CardReason::Evaluation {
                            rank_from_bottom, ..
                        } => format!("民主评议排在后三位（倒数第 {rank_from_bottom} 位）"),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The departments that cannot be rated 好 this year, and why.
fn not_eligible(
    sorted: &[&RiskPoint],
    oversight: &Oversight,
    dept_name: &dyn Fn(&str) -> String,
) -> Vec<IneligibleView> {
    oversight
        .not_eligible
        .iter()
        .map(|(slug, why)| IneligibleView {
            dept_name: dept_name(slug),
            reasons: why
                .iter()
                .map(|w| ineligibility_text(w, audience_sees_post(sorted, slug, w)))
                .collect(),
        })
        .collect()
}

/// The key posts this audience may see (plan 七.(三): 将风险重点岗位情况及工作流程一定范围内
/// 公开). Made from the audience's points only: a post that is key by a point it may not see is
/// not named, and no hidden point is linked or counted.
fn key_posts(
    sorted: &[&RiskPoint],
    records: &[Arc<PointView>],
    oversight: &Oversight,
    dept_name: &dyn Fn(&str) -> String,
) -> Vec<KeyPostView> {
    let mut posts: Vec<KeyPostView> = Vec::new();
    for (p, record) in sorted.iter().zip(records) {
        if p.level.value != Level::Post || p.grade() > oversight.key_post {
            continue;
        }
        let (Some(dept), Some(post)) = (&p.dept, &p.post) else {
            continue;
        };
        let at = match posts
            .iter()
            .position(|k| &k.dept_slug == dept && k.post == post.value)
        {
            Some(at) => at,
            None => {
                let yellow_card = oversight
                    .yellow_cards
                    .iter()
                    .any(|c| &c.post.dept == dept && c.post.post == post.value);
                posts.push(KeyPostView {
                    dept_name: dept_name(dept),
                    dept_slug: dept.clone(),
                    dept_url: format!("{dept}/index.html"),
                    post: post.value.clone(),
                    holders: Vec::new(),
                    points: Vec::new(),
                    yellow_card,
                    names_withheld: yellow_card && !oversight.show_names,
                });
                posts.len() - 1
            }
        };
        let key = &mut posts[at];
        // Plan 七.(三) cards the post (赋予“风险岗位黄牌警告”) and 对该岗位负责人实行重点监督:
        // the bulletin names the 科室·岗位, not the person, unless the site says otherwise.
        if let Some(holder) = &record.holder
            && !key.names_withheld
            && !key.holders.contains(holder)
        {
            key.holders.push(holder.clone());
        }
        key.points.push(PointLink {
            id: record.id.clone(),
            title: record.title.clone(),
            url: record.url.clone(),
            unpublished: record.unpublished.clone(),
        });
    }
    posts
}

fn audience_sees_post(visible: &[&RiskPoint], dept: &str, why: &Ineligibility) -> bool {
    match why {
        Ineligibility::YellowCard { post } => visible.iter().any(|p| {
            p.dept.as_deref() == Some(dept) && p.post.as_ref().is_some_and(|x| &x.value == post)
        }),
        Ineligibility::Case { .. } => true,
    }
}

/// The plan's words (七.(三)); a post this audience may not see is not named.
fn ineligibility_text(why: &Ineligibility, post_visible: bool) -> String {
    match why {
        Ineligibility::Case { date } => format!(
            "{}出现违规违纪案件",
            Date::parse(date).map_or_else(|| date.clone(), Date::chinese)
        ),
        Ineligibility::YellowCard { post } if post_visible => {
            format!("{post}岗位被给予“风险岗位黄牌警告”")
        }
        Ineligibility::YellowCard { .. } => "有岗位被给予“风险岗位黄牌警告”".to_string(),
    }
}
