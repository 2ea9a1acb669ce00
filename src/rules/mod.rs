//! The programme's rules (SPEC section 5), one module per family. Each family looks at the
//! loaded year and returns diagnostics; `check` runs them all.

mod bodies;
mod grading;
mod identity;
mod measures;
mod references;
mod responsibility;
pub mod review;

use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::diagnostic::Diagnostic;

/// Everything a rule may look at.
pub struct Context<'a> {
    pub year: &'a LoadedYear,
    pub rules: &'a RuleTables,
}

pub fn check(year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
    let cx = Context { year, rules };
    let mut out = Vec::new();
    identity::check(&cx, &mut out);
    grading::check(&cx, &mut out);
    responsibility::check(&cx, &mut out);
    measures::check(&cx, &mut out);
    review::check(&cx, &mut out);
    references::check(&cx, &mut out);
    bodies::check(&cx, &mut out);
    out
}
