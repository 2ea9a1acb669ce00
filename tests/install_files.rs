//! `gongshi --version`, `gongshi completions SHELL` and `gongshi man`: what dist/deb.sh installs
//! beside the binary. They are generated from the clap definition at run time, so these tests
//! compare them with that definition rather than with a frozen copy: a new command or a
//! translated help text must show up in the completions and the man page by itself.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use clap::CommandFactory as _;
use gongshi::cli::Cli;

use crate::harness::Site;

/// Every command name, nested ones too (`new risk` as `risk`), hidden ones left out.
fn command_names(cmd: &clap::Command, out: &mut Vec<String>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(sub.get_name().to_string());
        command_names(sub, out);
    }
}

fn all_command_names() -> Vec<String> {
    let mut names = Vec::new();
    command_names(&Cli::command(), &mut names);
    names
}

/// The commit `build.rs` should have found: HEAD of the checkout the tests were built in, or
/// none when this is no git checkout (an unpacked archive).
fn head_commit() -> Option<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let top = Command::new("git")
        .args(["-C", dir, "rev-parse", "--show-toplevel"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let top = String::from_utf8(top.stdout).ok()?;
    if Path::new(top.trim()).canonicalize().ok()? != Path::new(dir).canonicalize().ok()? {
        return None;
    }
    let out = Command::new("git")
        .args(["-C", dir, "rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
}

#[test]
fn version_names_the_package_version_and_the_commit() {
    let run = Site::new().run(["--version"]).succeeds();
    let line = run.stdout.trim();
    let expected_start = format!("gongshi {} (", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&expected_start), "{line}");
    match head_commit() {
        // `(3f2a9c1d0e4b 2026-12-06)`: the commit and its date.
        Some(hash) => {
            let inside = line
                .strip_prefix(&expected_start)
                .and_then(|rest| rest.strip_suffix(')'))
                .unwrap_or_else(|| panic!("no `(commit date)` in {line}"));
            let (got_hash, date) = inside.split_once(' ').unwrap_or((inside, ""));
            assert_eq!(got_hash, hash, "{line}");
            assert!(
                date.len() == 10 && date.chars().filter(|c| *c == '-').count() == 2,
                "no commit date in {line}"
            );
        }
        None => assert!(line.ends_with("(commit unknown)"), "{line}"),
    }
}

#[test]
fn bash_completion_loads_and_offers_every_command() {
    let run = Site::new().run(["completions", "bash"]).succeeds();
    for name in all_command_names() {
        assert!(
            run.stdout.contains(&name),
            "the bash completion lacks `{name}`"
        );
    }
    // bash itself accepts the script and registers it for `gongshi`.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let script = dir.path().join("gongshi.bash");
    std::fs::write(&script, &run.stdout).expect("write the completion");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p gongshi",
            script.display()
        ))
        .output()
        .expect("run bash");
    let registered = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && registered.contains("_gongshi") && registered.contains("gongshi"),
        "bash did not register the completion: {registered} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_for_the_other_shells() {
    for (shell, marker) in [
        ("zsh", "#compdef gongshi"),
        ("fish", "complete -c gongshi"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = Site::new().run(["completions", shell]).succeeds();
        assert!(run.stdout.contains(marker), "{shell}: {run:?}");
        assert!(run.stdout.contains("archive"), "{shell}: {run:?}");
    }
    Site::new()
        .run(["completions", "tcsh"])
        .exit(2)
        .stderr_has("tcsh");
}

#[test]
fn man_page_says_what_help_says() {
    let run = Site::new().run(["man"]).succeeds();
    // Without the break points and joins set between Chinese characters for groff.
    let page = &run.stdout.replace("\\:", "").replace("\\c\n", "");
    let cli = Cli::command();
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(
        page.contains(&format!(
            ".TH gongshi 1  \"gongshi {}",
            env!("GONGSHI_VERSION")
        )),
        "the page does not carry the version line: {page}"
    );
    // The one-line description and each command's help, in the words of the clap definition.
    let about = cli.get_about().expect("an about line").to_string();
    assert!(page.contains(&about), "the page lacks `{about}`");
    for sub in cli.get_subcommands() {
        let about = sub.get_about().expect("every command has help").to_string();
        assert!(page.contains(&about), "the page lacks `{about}`");
        assert!(
            page.contains(&format!("gongshi\\-{}(1)", sub.get_name())),
            "the page does not refer to gongshi-{}(1)",
            sub.get_name()
        );
    }
}

#[test]
fn man_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("man1");
    Site::new()
        .run([OsStr::new("man"), OsStr::new("--dir"), out.as_os_str()])
        .succeeds()
        .stderr_has("个手册页");
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .expect("the pages' folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    for expected in [
        "gongshi.1",
        "gongshi-build.1",
        "gongshi-new-risk.1",
        "gongshi-man.1",
    ] {
        assert!(
            pages.iter().any(|p| p == expected),
            "{expected} missing: {pages:?}"
        );
    }
    let build = std::fs::read_to_string(out.join("gongshi-build.1")).expect("gongshi-build.1");
    assert!(build.contains("\\-\\-scope"), "{build}");
    // The top page of the folder is the one `gongshi man` prints.
    let top = std::fs::read_to_string(out.join("gongshi.1")).expect("gongshi.1");
    assert_eq!(top, Site::new().run(["man"]).succeeds().stdout);
    // The count printed is the count written.
    let count = pages.len();
    Site::new()
        .run([OsStr::new("man"), OsStr::new("--dir"), out.as_os_str()])
        .succeeds()
        .stderr_has(&format!("写入 {count} 个手册页"));
}
