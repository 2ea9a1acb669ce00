//! The bodies of a year's pages: Markdown rendered to HTML with its flow diagrams drawn for the
//! audience (a point it may not see is marked without id, title or link), and the plain text
//! the search index is made of. The prepare stage renders them through `BodyRenderer`, which
//! asks the memo first.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::build::memo::Memo;
use crate::flow::{self, RiskMark};
use crate::markdown_scan::FlowBlock;
use crate::model::RiskPoint;
use crate::render::markdown;
use crate::render::view;
use crate::search::SearchDoc;

/// Which bodies a call renders (the preview keeps this build's versions of each kind by
/// their index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bodies {
    /// The points', in the order of `v.points`.
    Points,
    /// The departments', in the order of `v.departments`.
    Departments,
    /// The year's preamble.
    Year,
}

/// What the flow diagrams of one build may show: the audience's points by id, and every point
/// of the year (to tell a hidden point from a missing one). The maps are made the first time
/// a diagram asks (most builds of the preview draw none).
pub(super) struct FlowMarks<'a> {
    visible: &'a [&'a RiskPoint],
    year: &'a [RiskPoint],
    by_id: OnceLock<(HashMap<&'a str, &'a RiskPoint>, HashSet<&'a str>)>,
}

impl<'a> FlowMarks<'a> {
    pub(super) fn new(visible: &'a [&'a RiskPoint], year: &'a [RiskPoint]) -> FlowMarks<'a> {
        FlowMarks {
            visible,
            year,
            by_id: OnceLock::new(),
        }
    }

    /// The mark of `@id` on a page whose path back to the year folder is `root`. A point the
    /// audience may not see is marked without its id, grade, title or link.
    fn mark(&self, id: &str, root: &str) -> RiskMark {
        // Maps, not a search per point: a search made this quadratic (10,000 points: some 30
        // million id comparisons).
        let (visible, all) = self.by_id.get_or_init(|| {
            (
                self.visible
                    .iter()
                    .map(|p| (p.id.value.as_str(), *p))
                    .collect(),
                self.year.iter().map(|p| p.id.value.as_str()).collect(),
            )
        });
        match visible.get(id) {
            Some(p) => RiskMark::Visible {
                grade: p.grade().number(),
                href: format!("{root}{}", view::point_url(p)),
                title: p.title.value.clone(),
            },
            None if all.contains(id) => RiskMark::Hidden,
            None => RiskMark::Unknown,
        }
    }

    /// Draws a flow block as inline SVG; a block that does not parse (check reported it) shows
    /// its source.
    fn draw(&self, block: &FlowBlock, diagram_id: &str, root: &str) -> String {
        match flow::parse(&block.source) {
            Ok(chart) => flow::render_svg(&chart, diagram_id, &|id| self.mark(id, root)),
            Err(_) => format!(
                "<pre class=\"flow-source\">{}</pre>",
                crate::escape::xml_string(&block.source)
            ),
        }
    }

    /// A body's HTML and its plain text (for the search index).
    fn render(&self, source: &BodySource) -> RenderedBody {
        let rendered = markdown::render(source.body, source.line, source.file, &mut |block, n| {
            self.draw(block, &format!("flow-{}-{n}", source.page), source.root)
        });
        RenderedBody {
            html: tera::Value::from(rendered.html),
            text: Arc::from(rendered.text),
        }
    }
}

/// A Markdown body to render: where it comes from, and the page it goes on (`page` names the
/// page for unique diagram ids; `root` is the page's path back to the year folder).
pub(crate) struct BodySource<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: usize,
    pub(crate) body: &'a str,
    pub(crate) page: &'a str,
    pub(crate) root: &'static str,
}

/// A body as rendered: its HTML as a template value (shared by reference count, never copied
/// into a page), and its plain text for the search index.
#[derive(Clone)]
pub(crate) struct RenderedBody {
    pub(crate) html: tera::Value,
    pub(crate) text: Arc<str>,
}

/// Renders bodies, in parallel, unless the memo kept them.
pub(super) struct BodyRenderer<'a> {
    pub(super) marks: &'a FlowMarks<'a>,
    pub(super) memo: &'a dyn Memo,
}

impl BodyRenderer<'_> {
    pub(super) fn render(&self, kind: Bodies, sources: &[BodySource]) -> Vec<RenderedBody> {
        self.memo
            .bodies(kind, sources, &|source| self.marks.render(source))
    }
}

/// The search index's records: exactly the points of the view, nothing else.
pub(crate) fn search_docs(points: &[Arc<view::PointView>], texts: &[Arc<str>]) -> Vec<SearchDoc> {
    points
        .iter()
        .zip(texts)
        .map(|(p, body_text)| SearchDoc {
            url: p.url.clone(),
            id: p.id.clone(),
            title: p.title.clone(),
            dept_slug: p.dept_slug.clone(),
            dept_name: p.dept_name.clone(),
            level: p.level.to_string(),
            post: p.post.clone(),
            category: p.category.to_string(),
            grade: p.grade_n,
            owner: p.owner.clone(),
            supervisor: p.supervisor.clone(),
            measures: p
                .measures
                .iter()
                .flat_map(|l| l.items.iter().cloned())
                .collect(),
            body_text: body_text.to_string(),
        })
        .collect()
}

/// The bodies of the points of a page list, in its order, as they are rendered on their pages.
pub(super) fn point_sources<'p>(sorted: &[&'p RiskPoint]) -> Vec<BodySource<'p>> {
    sorted
        .iter()
        .map(|p| BodySource {
            file: &p.file,
            line: p.body_line,
            body: &p.body,
            page: &p.id.value,
            root: "../",
        })
        .collect()
}
