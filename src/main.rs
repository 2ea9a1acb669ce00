//! The `gongshi` binary: parse arguments, call the library, map the result to an exit code
//! (0 ok, 1 content errors, 2 usage or I/O failure).

use std::process::ExitCode;

use gongshi::check::Verbosity;
use gongshi::cli::Cli;

fn main() -> ExitCode {
    gongshi::timings::begin();
    // Help, version and usage errors are printed by clap, in Chinese (src/cli/errors_zh.rs).
    let cli = match Cli::parse_args() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    let outcome = cli.locate().and_then(|cli| gongshi::run(&cli, verbosity));
    match outcome {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(2)
        }
    }
}
