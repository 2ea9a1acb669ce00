//! A tiny driver for Debian's headless `chromium`, for browser tests and the search benchmark.
//!
//! `load` opens a URL, lets the page's scripts run (`--virtual-time-budget`), and returns the
//! DOM as Chromium serialises it (`--dump-dom`), the console messages Chromium logged
//! (`--enable-logging=stderr`) and the requests the page made to anything outside an allowed
//! prefix (`--log-net-log`). `screenshot` saves a PNG. Every run gets a fresh profile.
//!
//! When Chromium is not installed, `chromium()` returns `None` and tests print
//! "skipped: chromium not installed" and return, except under CI (env `CI` set), where a
//! missing browser is a failure: CI installs it.

#![allow(
    dead_code,
    reason = "each test and bench uses a different part of the driver"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long scripts may run (in virtual time) before the DOM is dumped.
const VIRTUAL_TIME_BUDGET_MS: u32 = 10_000;
/// A browser that has not exited after this long is killed and the test fails.
const WALL_CLOCK_LIMIT: Duration = Duration::from_secs(120);

/// What a page looked like after its scripts ran.
#[derive(Debug)]
pub struct Loaded {
    /// The serialised DOM.
    pub dom: String,
    /// Every console message, with its source. Chromium's stderr log does not tell
    /// `console.error` from `console.log` (both are INFO), so any message counts: gongshi's
    /// scripts log nothing, and uncaught exceptions land here too.
    pub console_errors: Vec<String>,
    /// URLs the page requested that do not start with the allowed prefix.
    pub foreign_requests: Vec<String>,
}

/// The Chromium binary, if installed. Panics when it is missing and env `CI` is set.
pub fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"]
        .iter()
        .find_map(|name| find_in_path(name));
    if found.is_none() && std::env::var_os("CI").is_some() {
        panic!(
            "chromium is not installed, and CI must run the browser tests (apt-get install -y chromium)"
        );
    }
    found
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Opens `url`, runs its scripts and returns the DOM, console messages and foreign requests.
/// Panics (failing the test) when Chromium is missing or cannot run.
pub fn load(url: &str, allowed_prefix: &str) -> Loaded {
    load_with(url, allowed_prefix, &[])
}

/// As `load`, with file:// pages allowed to read each other: for a probe page that measures a
/// site page in an `<iframe>` of a given size (headless Chromium's window is at least 500 px
/// wide, so a phone's 390 px needs a frame). Only for probes: the site itself must work
/// without it.
pub fn load_with_file_access(url: &str, allowed_prefix: &str) -> Loaded {
    load_with(url, allowed_prefix, &["--allow-file-access-from-files"])
}

fn load_with(url: &str, allowed_prefix: &str, extra: &[&str]) -> Loaded {
    let profile = tempfile::tempdir().expect("a temporary profile folder");
    let net_log = profile.path().join("net-log.json");
    let mut args: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
    args.extend([
        "--enable-logging=stderr".to_string(),
        "--v=0".to_string(),
        format!("--log-net-log={}", net_log.display()),
        format!("--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}"),
        "--dump-dom".to_string(),
        url.to_string(),
    ]);
    let run = run_chromium(profile.path(), &args);
    let net_log = fs::read_to_string(&net_log).unwrap_or_default();
    Loaded {
        dom: run.stdout,
        console_errors: console_messages(&run.stderr),
        foreign_requests: page_requests(&net_log)
            .into_iter()
            .filter(|u| !u.starts_with(allowed_prefix))
            .collect(),
    }
}

/// Saves a PNG of `url` at `width`×`height` CSS pixels to `out`, creating its folder.
pub fn screenshot(url: &str, out: &Path, width: u32, height: u32) {
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).expect("the screenshot folder");
    }
    let profile = tempfile::tempdir().expect("a temporary profile folder");
    run_chromium(
        profile.path(),
        &[
            format!("--screenshot={}", out.display()),
            format!("--window-size={width},{height}"),
            "--hide-scrollbars".to_string(),
            format!("--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}"),
            url.to_string(),
        ],
    );
    assert!(
        out.is_file(),
        "chromium wrote no screenshot to {}",
        out.display()
    );
}

/// Where screenshots go: `target/screenshots/` of the build's target folder.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("screenshots")
}

/// A `file://` URL for a local path, with `query` (already encoded, may be empty) appended.
pub fn file_url(path: &Path, query: &str) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(byte))
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Percent-encodes a query parameter value (UTF-8), as a form would.
pub fn encode_param(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Runs Chromium headless on `args` with a fresh profile, to its end (e.g. `--print-to-pdf`).
pub fn run_headless(args: &[String]) {
    let profile = tempfile::tempdir().expect("a temporary profile folder");
    run_chromium(profile.path(), args);
}

struct Run {
    stdout: String,
    stderr: String,
}

fn run_chromium(profile: &Path, args: &[String]) -> Run {
    let binary = chromium().expect("chromium is installed (check chromium() before loading pages)");
    let stdout_path = profile.join("stdout.txt");
    let stderr_path = profile.join("stderr.txt");
    let mut child = Command::new(&binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-default-browser-check",
            "--mute-audio",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.join("profile").display()
        ))
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout_path).expect("a file for chromium's stdout"))
        .stderr(fs::File::create(&stderr_path).expect("a file for chromium's stderr"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > WALL_CLOCK_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within {WALL_CLOCK_LIMIT:?}: {args:?}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => panic!("waiting for chromium: {e}"),
        }
    }
    Run {
        stdout: fs::read_to_string(&stdout_path).unwrap_or_default(),
        stderr: fs::read_to_string(&stderr_path).unwrap_or_default(),
    }
}

/// The console messages in Chromium's stderr log, e.g.
/// `[..:INFO:CONSOLE:8] "Uncaught ReferenceError: x is not defined", source: file:///a.html (8)`.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            let at = line.find(":CONSOLE")?;
            let message = line[at..]
                .split_once("] ")
                .map_or(line, |(_, message)| message);
            Some(message.to_string())
        })
        .collect()
}

/// URLs of the requests the page made, from a net log. Chromium's own background requests
/// (time, update and account checks, which its switches do not all silence) carry the
/// initiator "not an origin"; a page's requests carry the page's origin (`null` for file://).
fn page_requests(net_log: &str) -> Vec<String> {
    let value = match serde_json::from_str::<serde_json::Value>(net_log) {
        Ok(value) => value,
        // A log cut short when the browser exits lacks its closing brackets.
        Err(_) => serde_json::from_str(&format!("{}]}}", net_log.trim_end().trim_end_matches(',')))
            .unwrap_or_default(),
    };
    let mut urls = Vec::new();
    for event in value["events"].as_array().into_iter().flatten() {
        let params = &event["params"];
        let (Some(url), Some(initiator)) = (params["url"].as_str(), params["initiator"].as_str())
        else {
            continue;
        };
        if initiator != "not an origin" && !urls.iter().any(|u| u == url) {
            urls.push(url.to_string());
        }
    }
    urls
}

// Paths are spelled out rather than imported: the benchmark compiles this file with cfg(test)
// but without the test harness, where the #[test] functions (and so any import) vanish.
#[cfg(test)]
mod tests {
    #[test]
    fn console_lines_are_picked_out() {
        let stderr = "[1:1:1128/074914.95:INFO:CONSOLE:4] \"hello\", source: file:///a.html (4)\n\
                      [1:2:1128/074914.21:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n";
        assert_eq!(
            super::console_messages(stderr),
            ["\"hello\", source: file:///a.html (4)"]
        );
    }

    #[test]
    fn browser_requests_are_not_the_page_s() {
        let log = r#"{"constants":{},"events":[
            {"params":{"url":"http://clients2.google.com/time","initiator":"not an origin"}},
            {"params":{"url":"http://example.invalid/x.png","initiator":"null"}},"#;
        assert_eq!(super::page_requests(log), ["http://example.invalid/x.png"]);
    }

    #[test]
    fn file_urls_are_encoded() {
        let page = std::path::Path::new("/tmp/a b/页.html");
        assert_eq!(
            super::file_url(page, "q=x"),
            "file:///tmp/a%20b/%E9%A1%B5.html?q=x"
        );
        assert_eq!(
            super::encode_param("药品 回扣"),
            "%E8%8D%AF%E5%93%81%20%E5%9B%9E%E6%89%A3"
        );
    }

    /// The driver can fail a test: a page that logs and reaches out to another host is caught.
    #[test]
    fn load_reports_console_messages_and_foreign_requests() {
        if super::chromium().is_none() {
            eprintln!("skipped: chromium not installed");
            return;
        }
        let dir = tempfile::tempdir().expect("a temporary folder");
        let page = dir.path().join("leaky.html");
        let html = r#"<!DOCTYPE html><meta charset="utf-8"><p id="p">静态</p>
<img src="http://example.invalid/pixel.png" alt="">
<script>console.log("自检"); document.getElementById("p").textContent = "脚本已运行";</script>"#;
        std::fs::write(&page, html).expect("the test page");
        let loaded = super::load(
            &super::file_url(&page, ""),
            &super::file_url(dir.path(), ""),
        );
        assert!(loaded.dom.contains("脚本已运行"), "{}", loaded.dom);
        assert!(
            loaded.console_errors.iter().any(|m| m.contains("自检")),
            "{:?}",
            loaded.console_errors
        );
        assert_eq!(
            loaded.foreign_requests,
            ["http://example.invalid/pixel.png"]
        );
    }
}
