//! Rules on Markdown bodies: `unsafe-html` (raw HTML or links the build will remove), for the
//! points, the departments and the year, so `check` says what `build` would strip.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::render::markdown;
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    let bodies: Vec<(&String, &String, usize)> = year
        .points
        .iter()
        .map(|p| (&p.file, &p.body, p.body_line))
        .chain(
            year.departments
                .iter()
                .map(|d| (&d.file, &d.body, d.body_line)),
        )
        .chain(year.info.iter().map(|i| (&i.file, &i.body, i.body_line)))
        .collect();
    // Each body is parsed on its own, so they are scanned in parallel (in order, so the
    // diagnostics come out as before); serially this was a tenth of `check`.
    let found: Vec<Vec<Diagnostic>> = bodies
        .par_iter()
        .map(|(file, body, line)| markdown::scan(body, *line, file))
        .collect();
    out.extend(found.into_iter().flatten());
}
