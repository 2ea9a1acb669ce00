//! `key-post-flow`: a key post (风险重点防范岗位) whose 工作流程 has no diagram.
//!
//! Plan 七.(三): 领导小组……将风险重点岗位情况及工作流程一定范围内公开. A post is key by the
//! site's rule (`rules.key_post`, src/oversight.rs); its workflow is a flow diagram (SPEC
//! section 7) that belongs to the post in one of two ways:
//!
//! - a diagram in its department's `_index.md` marks one of the post's points (`@ID`): the
//!   department's workflow, with the post's step on it (the way the department page shows it);
//! - the body of one of the post's own points holds a diagram: the post's own workflow.
//!
//! Any 岗位 point of the post counts, whatever its grade. A diagram that does not parse counts
//! for nothing (`flow-syntax` reports it).

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Rule};
use crate::flow;
use crate::markdown_scan::flow_blocks;
use crate::model::{Level, RiskPoint};
use crate::oversight::is_key_point;
use crate::rules::Context;

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    // The key posts, each with its first key point (where the warning points), in the year's
    // order; and every 岗位 point of each post.
    let mut first: Vec<((&str, &str), &RiskPoint)> = Vec::new();
    // One mistake, one message: a point whose grade is not settled (reported at `grade`) does
    // not make its post key here.
    for p in year
        .points
        .iter()
        .filter(|p| p.grade_is_settled() && is_key_point(p, cx.rules))
    {
        let (Some(dept), Some(post)) = (p.dept.as_deref(), p.post.as_ref()) else {
            continue;
        };
        let key = (dept, post.value.as_str());
        if !first.iter().any(|(k, _)| *k == key) {
            first.push((key, p));
        }
    }
    if first.is_empty() {
        return;
    }
    let mut of_post: FxHashMap<(&str, &str), Vec<&RiskPoint>> = FxHashMap::default();
    for p in &year.points {
        if p.level.value != Level::Post {
            continue;
        }
        if let (Some(dept), Some(post)) = (p.dept.as_deref(), p.post.as_ref()) {
            of_post
                .entry((dept, post.value.as_str()))
                .or_default()
                .push(p);
        }
    }
    // The ids each department's own diagrams mark, read once per department.
    let mut marked: FxHashMap<&str, HashSet<String>> = FxHashMap::default();
    for ((dept, post), point) in first {
        let points = of_post.get(&(dept, post)).map_or(&[][..], Vec::as_slice);
        let in_own_body = points
            .iter()
            .any(|p| !flow_blocks(&p.body, p.body_line).is_empty());
        let marks = marked.entry(dept).or_insert_with(|| {
            year.department(dept)
                .map(|d| diagram_marks(&d.body, d.body_line))
                .unwrap_or_default()
        });
        let on_dept_diagram = points.iter().any(|p| marks.contains(&p.id.value));
        if in_own_body || on_dept_diagram {
            continue;
        }
        let Some(post_pos) = point.post.as_ref().map(|p| p.pos) else {
            continue;
        };
        let dept_file = year.department(dept).map_or_else(
            || format!("{}/{dept}/_index.md", year.dir),
            |d| d.file.clone(),
        );
        out.push(
            Diagnostic::new(
                Rule::KeyPostFlow,
                &point.file,
                post_pos,
                format!(
                    "风险重点防范岗位“{}·{post}”没有工作流程图",
                    year.dept_name(dept)
                ),
            )
            .with_hint(format!(
                "实施方案七.(三)：将风险重点岗位情况及工作流程一定范围内公开。在 {dept_file} 的流程图中用 @{} 标出本岗位的环节，或在本风险点正文中画出流程图（```flow）",
                point.id.value
            )),
        );
    }
}

/// The ids the diagrams of a body mark with `@ID`.
fn diagram_marks(body: &str, line: usize) -> HashSet<String> {
    flow_blocks(body, line)
        .iter()
        .filter_map(|block| flow::parse(&block.source).ok())
        .flat_map(|chart| {
            chart
                .risk_refs()
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
        .collect()
}
