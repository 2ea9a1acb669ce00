//! The `gongshi` binary: parse arguments, call the library, map the result to an exit code
//! (0 ok, 1 content errors, 2 usage or I/O failure).

use std::process::ExitCode;

use clap::Parser;

use gongshi::check::Verbosity;
use gongshi::cli::Cli;

fn main() -> ExitCode {
    gongshi::timings::begin();
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    match gongshi::run(&cli, verbosity) {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(2)
        }
    }
}
