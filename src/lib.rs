//! gongshi (公示): turns a hospital's integrity-risk programme (风险岗位廉能管理) into a static
//! intranet notice. The pipeline is load → check → select audience → render → write.

/// mimalloc instead of glibc's allocator, for the binary and for the tests and benchmarks
/// that drive the library in-process alike: a build allocates millions of small strings from
/// both threads, and glibc's per-thread arenas spent a third of `check`'s time in malloc, free
/// and growing the arenas (`mprotect`); see BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod archive;
pub mod audience;
pub mod authoring;
pub mod build;
pub(crate) mod carry;
pub mod check;
pub mod cli;
pub(crate) mod clock;
pub mod content;
pub mod diagnostic;
pub(crate) mod diff;
pub(crate) mod escape;
pub(crate) mod export;
pub mod flow;
pub(crate) mod focus;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod install_files;
pub mod locate;
pub mod markdown_scan;
pub mod model;
pub(crate) mod output;
pub mod oversight;
pub(crate) mod progress;
pub mod render;
pub(crate) mod rules;
pub(crate) mod schema;
pub mod search;
pub mod serve;
pub(crate) mod sheet;
pub mod site;
pub mod site_files;
pub(crate) mod terminal;
pub mod timings;

use anyhow::Result;

use crate::check::Verbosity;
use crate::cli::{Cli, Command};

/// Runs one command. `Ok(true)` means content errors were found (exit 1).
pub fn run(cli: &Cli, verbosity: Verbosity) -> Result<bool> {
    match &cli.command {
        Command::Check(args) if args.fix => authoring::fix::run(cli, args, verbosity),
        Command::Check(args) => focus::run(cli, args, verbosity),
        Command::Build(args) => build::run(cli, args, verbosity),
        Command::Serve(args) => serve::run(cli, args, verbosity),
        Command::Init(args) => authoring::init::run(cli, args, verbosity),
        Command::New(args) => authoring::new::run(cli, args, verbosity),
        Command::Fmt(args) => authoring::fmt::run(cli, args, verbosity),
        Command::Archive(args) => archive::run(cli, args, verbosity),
        Command::Verify => archive::verify::run(cli, verbosity),
        Command::Diff(args) => diff::run(cli, args, verbosity),
        Command::Export(args) => export::run(cli, args, verbosity),
        Command::Carry(args) => carry::run(cli, args, verbosity),
        Command::Template(args) => sheet::template::run(cli, args, verbosity),
        Command::Import(args) => sheet::import::run(cli, args, verbosity),
        Command::Completions(args) => install_files::completions(args),
        Command::Man(args) => install_files::man(args, verbosity),
        Command::Schema => schema::run(),
    }
}
