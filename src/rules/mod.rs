//! The programme's rules (SPEC section 5), one module per family. Each family looks at the
//! loaded year and returns diagnostics; `check` runs them all.

mod bodies;
mod grading;
mod identity;
mod measures;
mod references;
mod responsibility;
pub mod review;

use rayon::prelude::*;

use crate::content::LoadedYear;
use crate::content::site_config::RuleTables;
use crate::diagnostic::Diagnostic;

/// Everything a rule may look at.
pub struct Context<'a> {
    pub year: &'a LoadedYear,
    pub rules: &'a RuleTables,
}

/// A family of rules: reads the context, adds its diagnostics.
type Family = fn(&Context, &mut Vec<Diagnostic>);

pub fn check(year: &LoadedYear, rules: &RuleTables) -> Vec<Diagnostic> {
    let cx = Context { year, rules };
    let families: [Family; 7] = [
        identity::check,
        grading::check,
        responsibility::check,
        measures::check,
        review::check,
        references::check,
        bodies::check,
    ];
    // The families are independent: they run in parallel (a 10,000-point year kept the main
    // thread busy ~20 ms with them), and their diagnostics are joined in this order.
    let found: Vec<Vec<Diagnostic>> = families
        .par_iter()
        .map(|family| {
            let mut out = Vec::new();
            family(&cx, &mut out);
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}
