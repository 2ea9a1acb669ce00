//! Rules on Markdown bodies: `unsafe-html` (raw HTML or links the build will remove), for the
//! points, the departments and the year, so `check` says what `build` would strip.

use crate::diagnostic::Diagnostic;
use crate::render::markdown;
use crate::rules::Context;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let year = cx.year;
    let bodies = year
        .points
        .iter()
        .map(|p| (&p.file, &p.body, p.body_line))
        .chain(
            year.departments
                .iter()
                .map(|d| (&d.file, &d.body, d.body_line)),
        )
        .chain(year.info.iter().map(|i| (&i.file, &i.body, i.body_line)));
    for (file, body, line) in bodies {
        out.extend(markdown::scan(body, line, file));
    }
}
