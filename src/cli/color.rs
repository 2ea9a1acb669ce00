//! `--color auto|always|never`, beside `NO_COLOR`: one choice for every printer.
//!
//! The choice is kept where the terminal crates of the Rust ecosystem look for it, the global
//! of `anstream` (the `colorchoice` crate that clap's own output reads too), so clap's help and
//! errors, and gongshi's printers through [`stderr`] (`check::use_color`: diagnostics, the
//! preview's terminal, `template` and `import`), all follow the same flag.
//!
//! In: the arguments (read before clap parses them, so that a usage error is coloured as asked)
//! and then the parsed `--color`. Out: whether to colour stderr.

use std::ffi::OsString;
use std::io::IsTerminal as _;

use anstream::ColorChoice;

use crate::cli::ColorWhen;

/// The last `--color WHEN` or `--color=WHEN` before a `--`, as clap will read it; `auto` when
/// there is none or its value is not one of the three (clap then reports it).
pub(crate) fn when_in_args(args: &[OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = match word.strip_prefix("--color") {
            Some("") => words.next().map(|w| w.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        when = match value.as_deref() {
            Some("always") => ColorWhen::Always,
            Some("never") => ColorWhen::Never,
            Some("auto") => ColorWhen::Auto,
            _ => when,
        };
    }
    when
}

/// Makes `when` the choice of every printer of this process.
pub(crate) fn set(when: ColorWhen) {
    let choice = match when {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    choice.write_global();
}

/// `when` for clap's own help and error output.
pub(crate) fn for_clap(when: ColorWhen) -> clap::ColorChoice {
    match when {
        ColorWhen::Auto => clap::ColorChoice::Auto,
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
    }
}

/// Whether to colour what goes to stderr: `--color always` or `never` as said; with `auto`
/// (the default), on a terminal unless `NO_COLOR` is set to anything but the empty text
/// (no-color.org).
pub(crate) fn stderr() -> bool {
    match ColorChoice::global() {
        ColorChoice::Always | ColorChoice::AlwaysAnsi => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(args: &[&str]) -> ColorWhen {
        let args: Vec<OsString> = std::iter::once("gongshi")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        when_in_args(&args)
    }

    #[test]
    fn the_last_color_before_a_double_dash_counts() {
        assert_eq!(when(&["check"]), ColorWhen::Auto);
        assert_eq!(when(&["--color", "never", "check"]), ColorWhen::Never);
        assert_eq!(when(&["check", "--color=always"]), ColorWhen::Always);
        assert_eq!(
            when(&["--color", "never", "check", "--color", "always"]),
            ColorWhen::Always
        );
        assert_eq!(when(&["fmt", "--", "--color=always"]), ColorWhen::Auto);
        // A value clap will refuse leaves the choice as it was.
        assert_eq!(when(&["--color", "sometimes"]), ColorWhen::Auto);
        assert_eq!(when(&["--colour=never"]), ColorWhen::Auto);
    }
}
