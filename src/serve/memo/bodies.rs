//! Markdown bodies, kept by file: a body is rendered again only when its text or line changed,
//! or when it may hold a flow diagram (which shows other points). Each body kept has a version
//! that changes whenever its HTML or plain text does; the pages that show a body depend on it.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::build::bodies::{Bodies, BodySource, RenderedBody};
use crate::build::memo::RenderBody;
use crate::serve::memo::RenderMemo;

struct Body {
    line: usize,
    source: String,
    /// Without a diagram: the same text gives the same body.
    plain: bool,
    rendered: RenderedBody,
    version: u64,
    round: u64,
}

#[derive(Default)]
pub(super) struct Kept {
    /// By file, and which kind of body (a file holds one).
    bodies: FxHashMap<String, Body>,
    /// This build's versions of the points' and the departments' bodies, by index.
    pub(super) points: Vec<u64>,
    pub(super) departments: Vec<u64>,
}

impl Kept {
    pub(super) fn retain(&mut self, round: u64) {
        self.bodies.retain(|_, b| b.round == round);
    }
}

/// Whether a body cannot hold a diagram (a ```flow or ```mermaid block).
fn is_plain(body: &str) -> bool {
    !body.contains("flow") && !body.contains("mermaid")
}

impl RenderMemo {
    /// The rendered `sources`, in order: kept, or `render`ed (in parallel) and kept.
    pub(super) fn bodies(
        &self,
        kind: Bodies,
        sources: &[BodySource],
        render: &RenderBody,
    ) -> Vec<RenderedBody> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let round = inner.round;
        let mut found: Vec<Option<(RenderedBody, u64)>> = sources
            .iter()
            .map(|s| {
                let kept = inner.bodies.bodies.get_mut(s.file)?;
                (kept.plain && kept.line == s.line && kept.source == s.body && kept.round != round)
                    .then(|| {
                        kept.round = round;
                        (kept.rendered.clone(), kept.version)
                    })
            })
            .collect();
        drop(guard);
        let misses: Vec<usize> = (0..sources.len()).filter(|i| found[*i].is_none()).collect();
        let rendered: Vec<RenderedBody> = misses.par_iter().map(|i| render(&sources[*i])).collect();
        let mut guard = self.lock();
        let inner = &mut *guard;
        for (i, body) in misses.into_iter().zip(rendered) {
            let source = &sources[i];
            // A body with no file (a department without its `_index.md`) is not kept.
            if source.file.is_empty() {
                let version = inner.bump();
                found[i] = Some((body, version));
                continue;
            }
            let version = match inner.bodies.bodies.get(source.file) {
                Some(kept)
                    if kept.rendered.html == body.html && kept.rendered.text == body.text =>
                {
                    kept.version
                }
                _ => inner.bump(),
            };
            inner.bodies.bodies.insert(
                source.file.to_string(),
                Body {
                    line: source.line,
                    source: source.body.to_string(),
                    plain: is_plain(source.body),
                    rendered: body.clone(),
                    version,
                    round,
                },
            );
            found[i] = Some((body, version));
        }
        let (bodies, versions): (Vec<RenderedBody>, Vec<u64>) = found.into_iter().flatten().unzip();
        match kind {
            Bodies::Points => inner.bodies.points = versions,
            Bodies::Departments => inner.bodies.departments = versions,
            Bodies::Year => {}
        }
        bodies
    }
}
