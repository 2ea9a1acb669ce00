//! `gongshi serve`: a preview on an ephemeral loopback port over a temporary copy of the example
//! site, fetched with a minimal HTTP client over `TcpStream`. Every wait is bounded.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongshi::audience::Audience;
use gongshi::check::Verbosity;
use gongshi::serve::overlay;
use gongshi::serve::{Running, ServeOptions};
use serde_json::Value;

use crate::support::files;

const BASE: &str = "/lianneng/";
const WAIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------- the site and the server

/// A temporary copy of the repository's example: site.yaml, content/ and themes/.
fn example_site() -> tempfile::TempDir {
    let dir = files::example_site();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    files::copy_tree(&repo.join("themes"), &dir.path().join("themes"));
    dir
}

fn serve(root: &Path) -> Running {
    serve_with(root, false)
}

fn serve_with(root: &Path, poll: bool) -> Running {
    gongshi::serve::start(&ServeOptions {
        root: root.to_path_buf(),
        year: None,
        audience: Audience::Hospital,
        drafts: false,
        bind: "127.0.0.1".parse().unwrap(),
        allow_hosts: Vec::new(),
        port: 0,
        poll,
        verbosity: Verbosity::Quiet,
        color: false,
    })
    .expect("the preview starts")
}

fn point_file(root: &Path, rel: &str) -> PathBuf {
    root.join("content/2022").join(rel)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---------------------------------------------------------------- a minimal HTTP client

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method target` as written (no normalisation) and reads the whole reply.
fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse_reply(&raw, method == "HEAD")
}

fn parse_reply(raw: &[u8], head: bool) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head_text = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head_text.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let reply = Reply {
        status,
        headers,
        body,
    };
    if !head && let Some(len) = reply.header("Content-Length") {
        assert_eq!(
            len.parse::<usize>().unwrap(),
            reply.body.len(),
            "Content-Length"
        );
    }
    reply
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

fn status(addr: SocketAddr) -> Value {
    let reply = get(addr, &format!("{BASE}__gongshi/status"));
    assert_eq!(reply.status, 200);
    serde_json::from_slice(&reply.body).unwrap()
}

/// Waits until the preview has finished every rebuild and stayed idle for a moment.
fn wait_quiet(addr: SocketAddr, since: u64) {
    let deadline = Instant::now() + WAIT;
    let mut quiet_since: Option<(Instant, u64)> = None;
    // Let the watcher deliver the events of the last write (debounce + settle).
    std::thread::sleep(Duration::from_millis(80));
    loop {
        let s = status(addr);
        assert!(
            Instant::now() < deadline,
            "the preview never became quiet: {s}"
        );
        let rebuilds = s["rebuilds"].as_u64().unwrap();
        let busy = s["building"].as_bool().unwrap();
        if rebuilds > since && !busy {
            match quiet_since {
                Some((t, n)) if n == rebuilds && t.elapsed() > Duration::from_millis(150) => return,
                Some((_, n)) if n == rebuilds => {}
                _ => quiet_since = Some((Instant::now(), rebuilds)),
            }
        } else {
            quiet_since = None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn rebuilds(addr: SocketAddr) -> u64 {
    status(addr)["rebuilds"].as_u64().unwrap()
}

/// A reload event stream, read line by line with a deadline.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(
            stream,
            "GET {BASE}__gongshi/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.get_ref().set_read_timeout(Some(WAIT)).unwrap();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut events = Events { reader };
        loop {
            line.clear();
            events.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if line.to_ascii_lowercase().starts_with("content-type") {
                assert!(line.contains("text/event-stream"), "{line}");
            }
        }
        let hello = events.next(WAIT).expect("a hello event");
        assert_eq!(hello["hello"], true);
        events
    }

    /// The next reload event, or `None` when none comes within `within` (keep-alive comments
    /// do not count).
    fn next(&mut self, within: Duration) -> Option<Value> {
        let deadline = Instant::now() + within;
        let mut line = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(e) => panic!("{e}"),
            }
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                return Some(serde_json::from_str(data).unwrap());
            }
        }
    }

    /// Waits for the next event that is not a hello.
    fn change(&mut self) -> Value {
        loop {
            let event = self.next(WAIT).expect("a reload event");
            if event["hello"] != true {
                return event;
            }
        }
    }
}

/// Asserts that the preview serves exactly `built` (HTML minus the injected block), and that
/// its pages carry the error overlay or not.
fn assert_serves(addr: SocketAddr, built: &BTreeMap<String, Vec<u8>>, overlay: bool) {
    assert_eq!(
        status(addr)["files"].as_u64().unwrap() as usize,
        built.len(),
        "the preview serves as many files as build writes"
    );
    for (path, bytes) in built {
        assert!(
            !String::from_utf8_lossy(bytes).contains("__gongshi"),
            "build never writes the preview's script: {path}"
        );
        let reply = get(addr, &format!("{BASE}{path}"));
        assert_eq!(reply.status, 200, "{path}");
        if path.ends_with(".html") {
            let text = reply.text();
            assert_eq!(
                text.contains("id=\"gongshi-overlay\""),
                overlay,
                "overlay on {path}"
            );
            assert!(
                overlay::strip(&text).as_bytes() == bytes.as_slice(),
                "{path} differs from build"
            );
        } else {
            assert!(reply.body == *bytes, "{path} differs from build");
        }
    }
}

// ---------------------------------------------------------------- tests

#[test]
fn the_site_is_served_under_its_base_path_with_types_and_no_store() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();

    let root = get(addr, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some(BASE));
    assert_eq!(get(addr, "/lianneng").header("Location"), Some(BASE));

    let home = get(addr, BASE);
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    let text = home.text();
    assert!(
        text.contains("__gongshi/events"),
        "the reload script is injected"
    );
    assert!(text.find(overlay::MARK_START).unwrap() < text.rfind("</body>").unwrap());

    let css = get(addr, &format!("{BASE}2022/static/style.css"));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("gongshi-overlay"));
    let js = get(addr, &format!("{BASE}2022/static/timeline.js"));
    assert_eq!(
        js.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    let csv = get(addr, &format!("{BASE}2022/ledger.csv"));
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));

    // A folder without its slash goes to the slash form, so relative links keep working.
    let folder = get(addr, &format!("{BASE}2022/caiwu"));
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("Location"), Some("/lianneng/2022/caiwu/"));
    assert_eq!(get(addr, &format!("{BASE}2022/caiwu/")).status, 200);
    // Forgetting the base path leads to the page under it.
    let outside = get(addr, "/2022/caiwu/CWK-03.html");
    assert_eq!(outside.status, 302);
    assert_eq!(
        outside.header("Location"),
        Some("/lianneng/2022/caiwu/CWK-03.html")
    );
    // Unknown pages are 404 — with the reload script, so they come back when created.
    let missing = get(addr, &format!("{BASE}2022/caiwu/CWK-99.html"));
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("__gongshi/events"));
    assert_eq!(get(addr, "/elsewhere/x.html").status, 404);

    let head = request(addr, "HEAD", BASE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for method in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let reply = request(addr, method, BASE);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("Allow"), Some("GET, HEAD"));
    }
    // Nothing of `build` is read from disk: there is no output/ at all.
    assert!(!site.path().join("output").exists());
}

/// Regression: `serve --scope 科室:nosuch` served an empty notice under an overlay, where
/// `build` says the department does not exist and exits 2. The preview now refuses to start.
#[test]
fn an_unknown_department_scope_is_refused_as_build_refuses_it() {
    let site = example_site();
    let started = gongshi::serve::start(&ServeOptions {
        root: site.path().to_path_buf(),
        year: None,
        audience: Audience::Department("nosuch".into()),
        drafts: false,
        bind: "127.0.0.1".parse().unwrap(),
        allow_hosts: Vec::new(),
        port: 0,
        poll: false,
        verbosity: Verbosity::Quiet,
        color: false,
    });
    let error = started
        .err()
        .expect("the preview refuses an unknown department");
    assert!(format!("{error}").contains("没有科室“nosuch”"), "{error}");
}

#[test]
fn traversal_and_malformed_paths_get_404_and_nothing_is_echoed() {
    let site = example_site();
    std::fs::write(site.path().join("secret.txt"), "秘密").unwrap();
    let server = serve(site.path());
    let addr = server.addr();
    for target in [
        "/lianneng/../site.yaml",
        "/lianneng/../../../../etc/passwd",
        "/lianneng/%2e%2e/site.yaml",
        "/lianneng/%2E%2E/%2e%2e/etc/passwd",
        "/lianneng/2022/%2e%2e/%2e%2e/secret.txt",
        "/lianneng/..%2fsite.yaml",
        "/lianneng/2022%2fcaiwu%2findex.html",
        "/lianneng/2022%5ccaiwu%5cindex.html",
        "/lianneng/2022\\caiwu\\index.html",
        "/lianneng/index.html%00.css",
        "/lianneng//etc/passwd",
        "/lianneng/./index.html",
        "/../site.yaml",
        "/secret.txt",
        "/lianneng/secret.txt",
        "/lianneng/content/2022/_index.md",
        "/lianneng/%ff%fe",
        "/lianneng/2022/caiwu/%0d%0aSet-Cookie:%20x=1",
    ] {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!reply.text().contains("秘密"), "{target}");
        for (name, value) in &reply.headers {
            assert!(!name.eq_ignore_ascii_case("Set-Cookie"), "{target}");
            assert!(
                !value.contains("passwd") && !value.contains("site.yaml"),
                "{target}"
            );
        }
    }
    // No directory listing: a folder without index.html is not found.
    assert_eq!(get(addr, "/lianneng/2022/static/").status, 404);
}

#[test]
fn an_edit_is_rebuilt_swapped_and_announced_for_the_pages_it_changed() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let page = format!("{BASE}2022/caiwu/CWK-03.html");
    assert!(get(addr, &page).text().contains("大额资金支付审批把关不严"));

    edit(
        &point_file(site.path(), "caiwu/cwk-03.md"),
        "title: 大额资金支付审批把关不严",
        "title: 大额资金支付审批把关不严（已修订）",
    );
    let change = events.change();
    assert_eq!(change["all"], false);
    let pages: Vec<&str> = change["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(pages.contains(&"2022/caiwu/CWK-03.html"), "{pages:?}");
    assert!(pages.contains(&"2022/caiwu/index.html"), "{pages:?}");
    assert!(
        !pages.contains(&"2022/oversight.html"),
        "an untouched page is not reloaded: {pages:?}"
    );
    // The event comes after the swap: the new page is already there.
    assert!(get(addr, &page).text().contains("（已修订）"));
    assert_eq!(change["to"].as_u64(), status(addr)["generation"].as_u64());

    // Saving without a change rebuilds but announces nothing.
    let before = rebuilds(addr);
    let file = point_file(site.path(), "caiwu/cwk-03.md");
    let text = std::fs::read(&file).unwrap();
    std::fs::write(&file, text).unwrap();
    wait_quiet(addr, before);
    assert_eq!(events.next(Duration::from_millis(300)), None);
}

#[test]
fn a_file_written_in_two_goes_is_rebuilt_once_it_is_closed() {
    // A slow writer: all but the last line, a pause, the last line. A rebuild at the pause
    // would show the page without it (and reload it again a moment later).
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let file = point_file(site.path(), "caiwu/cwk-03.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("院长办公会集体研究", "院长办公会集体研究决定");
    let last = text.trim_end().rfind('\n').unwrap() + 1;
    {
        use std::io::Write as _;
        let mut out = std::fs::File::create(&file).unwrap();
        out.write_all(&text.as_bytes()[..last]).unwrap();
        std::thread::sleep(Duration::from_millis(180));
        out.write_all(&text.as_bytes()[last..]).unwrap();
    }
    events.change();
    assert!(
        get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"))
            .text()
            .contains("院长办公会集体研究决定"),
        "the first reload shows the whole file"
    );
    assert_eq!(events.next(Duration::from_millis(300)), None);
}

#[test]
fn a_save_by_rename_is_seen_as_editors_do_it() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let file = point_file(site.path(), "caiwu/cwk-03.md");
    // vim: write a new file, move the old one to a backup, rename the new one into place.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("大额资金支付审批把关不严", "经 vim 保存的标题");
    let dir = file.parent().unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(".cwk-03.md.swp"), "swap").unwrap();
    std::fs::rename(&file, dir.join("cwk-03.md~")).unwrap();
    std::fs::write(dir.join("cwk-03.md.tmp"), &text).unwrap();
    std::fs::rename(dir.join("cwk-03.md.tmp"), &file).unwrap();
    std::fs::remove_file(dir.join("cwk-03.md~")).unwrap();
    events.change();
    assert!(
        get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"))
            .text()
            .contains("经 vim 保存的标题")
    );
    // The file is replaced twice more in the same way; each save is seen.
    for n in 1..=2 {
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace("经 vim 保存的标题", &format!("第 {n} 次另存的标题"))
            .replace(
                &format!("第 {} 次另存的标题", n - 1),
                &format!("第 {n} 次另存的标题"),
            );
        std::fs::write(dir.join(".goutputstream-X1"), &text).unwrap();
        std::fs::rename(dir.join(".goutputstream-X1"), &file).unwrap();
        events.change();
        assert!(
            get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"))
                .text()
                .contains(&format!("第 {n} 次另存的标题"))
        );
    }
}

#[test]
fn errors_show_over_the_last_good_page_and_clear_by_themselves() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let page = format!("{BASE}2022/caiwu/CWK-03.html");
    let good = overlay::strip(&get(addr, &page).text());
    let file = point_file(site.path(), "caiwu/cwk-03.md");

    edit(&file, "grade: 二级", "grade: 四级");
    let change = events.change();
    assert_eq!(change["all"], true, "every page gets the overlay");
    for target in [
        page.clone(),
        format!("{BASE}2022/index.html"),
        BASE.to_string(),
    ] {
        let reply = get(addr, &target);
        assert_eq!(reply.status, 200);
        let text = reply.text();
        assert!(text.contains("id=\"gongshi-overlay\""), "{target}");
        assert!(text.contains("内容有 1 个错误"), "{target}");
        assert!(text.contains("错误[invalid-value]"), "{target}");
        assert!(
            text.contains("content/2022/caiwu/cwk-03.md:8:8"),
            "file:line:column in {target}"
        );
        assert!(
            text.contains("8 | grade: 四级"),
            "the source line in {target}"
        );
    }
    assert_eq!(
        overlay::strip(&get(addr, &page).text()),
        good,
        "the last good page"
    );
    assert!(status(addr)["problem"].is_string());

    edit(&file, "grade: 四级", "grade: 二级");
    let change = events.change();
    assert_eq!(change["all"], true);
    let text = get(addr, &page).text();
    assert!(!text.contains("gongshi-overlay"));
    assert_eq!(overlay::strip(&text), good);
    assert!(status(addr)["problem"].is_null());
}

#[test]
fn a_template_error_is_shown_too_and_the_server_lives_on() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let template = site.path().join("themes/default/templates/point.html");
    edit(&template, "{{ p.title }}</h1>", "{{ p.title </h1>");
    events.change();
    let text = get(addr, &format!("{BASE}2022/caiwu/CWK-03.html")).text();
    assert!(text.contains("id=\"gongshi-overlay\""));
    assert!(
        text.contains("模板错误"),
        "{}",
        &text[..text.len().min(3000)]
    );
    // Escaped: the template source shown cannot become markup.
    assert!(!text.contains("{{ p.title </h1>"));

    edit(&template, "{{ p.title </h1>", "{{ p.title }}</h1>");
    events.change();
    assert!(
        !get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"))
            .text()
            .contains("gongshi-overlay")
    );
}

#[test]
fn a_burst_of_five_hundred_files_gives_one_reload() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let mut events = Events::open(addr);
    let template = std::fs::read_to_string(point_file(site.path(), "caiwu/cwk-03.md")).unwrap();
    let dir = point_file(site.path(), "caiwu");
    // Like a checkout: 500 new points written as fast as the disk takes them.
    for i in 0..500 {
        let text = template
            .replace("id: CWK-03", &format!("id: BURST-{i:03}"))
            .replace("大额资金支付审批把关不严", &format!("突发风险点 {i}"));
        std::fs::write(dir.join(format!("burst-{i:03}.md")), text).unwrap();
    }
    let change = events.change();
    assert_eq!(
        events.next(Duration::from_millis(1500)),
        None,
        "a second reload after {change}"
    );
    assert!(status(addr)["problem"].is_null());
    for i in [0, 250, 499] {
        let reply = get(addr, &format!("{BASE}2022/caiwu/BURST-{i:03}.html"));
        assert_eq!(reply.status, 200, "BURST-{i:03}");
    }
}

#[test]
fn eight_clients_times_five_hundred_requests_all_succeed_while_rebuilding() {
    let site = example_site();
    let server = serve(site.path());
    let addr = server.addr();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = std::sync::Arc::clone(&stop);
        let file = point_file(site.path(), "caiwu/cwk-03.md");
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let text = std::fs::read_to_string(&file).unwrap();
                let title = text
                    .lines()
                    .find(|l| l.starts_with("title: "))
                    .unwrap()
                    .to_string();
                std::fs::write(
                    &file,
                    text.replace(&title, &format!("title: 标题第 {n} 版")),
                )
                .unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
            n
        })
    };
    let targets = [
        BASE.to_string(),
        format!("{BASE}2022/index.html"),
        format!("{BASE}2022/caiwu/CWK-03.html"),
        format!("{BASE}2022/caiwu/index.html"),
        format!("{BASE}2022/static/style.css"),
        format!("{BASE}2022/ledger.csv"),
    ];
    // Each client makes 500 requests, and goes on until it has seen pages of three
    // generations: the requests overlap the rebuilds and swaps.
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let targets = targets.clone();
            std::thread::spawn(move || {
                let deadline = Instant::now() + WAIT;
                let mut generations = std::collections::BTreeSet::new();
                let mut i = 0;
                while i < 500 || generations.len() < 3 {
                    assert!(Instant::now() < deadline, "saw only {generations:?}");
                    let target = &targets[(c + i) % targets.len()];
                    let reply = get(addr, target);
                    assert_eq!(reply.status, 200, "{target}");
                    if target.ends_with(".html") || target.ends_with('/') {
                        let text = reply.text();
                        assert!(text.contains("</html>"), "a whole page: {target}");
                        let generation = text
                            .split("{\"gen\":")
                            .nth(1)
                            .and_then(|t| t.split(',').next())
                            .and_then(|n| n.parse::<u64>().ok())
                            .expect("the page's generation");
                        generations.insert(generation);
                    }
                    i += 1;
                }
                i
            })
        })
        .collect();
    let mut requests = 0;
    for client in clients {
        requests += client.join().expect("a client failed");
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(editor.join().unwrap() > 1);
    assert!(requests >= 8 * 500);
}

/// A tiny deterministic generator for the random edits.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn after_random_edits_the_served_site_is_what_build_writes() {
    let site = example_site();
    let root = site.path().to_path_buf();
    let server = serve(&root);
    let addr = server.addr();
    let mut built = files::fresh_build(&root, &Audience::Hospital).expect("the example builds");
    assert_serves(addr, &built, false);

    let mut points: Vec<PathBuf> = Vec::new();
    for dept in ["caiwu", "huli", "renshi", "unit", "yaojike", "zongwu"] {
        for entry in std::fs::read_dir(point_file(&root, dept)).unwrap() {
            let path = entry.unwrap().path();
            if !path.ends_with("_index.md") {
                points.push(path);
            }
        }
    }
    points.sort();
    let posts: Vec<PathBuf> = points
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.contains("level: 岗位") && text.contains("scope: 全院")
        })
        .cloned()
        .collect();
    assert!(posts.len() >= 3);
    let mut rng = Lcg(20220706);
    let mut added = 0;
    let mut broken: Vec<PathBuf> = Vec::new();
    let mut checked = [0, 0];
    // Every kind of edit comes up; files and extra edits are random.
    for round in 0..10 {
        let before = rebuilds(addr);
        for k in 0..1 + rng.below(3) {
            // Every other edit hits a post point published to the whole hospital: its holder's
            // forms (附表1, 附表4) show it too.
            let file = if k == 0 && round % 2 == 0 {
                &posts[rng.below(posts.len())]
            } else {
                &points[rng.below(points.len())]
            };
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            let new = match (round + k * 3) % 7 {
                // A body edit.
                0 => format!("{text}\n第 {round} 轮补充的说明。\n"),
                // A title edit (shown on lists, forms and the point page).
                1 => text.replacen("title: ", &format!("title: 第{round}轮 "), 1),
                // A measure added (shown on the point page, cards and forms, in no page title).
                2 => text.replacen(
                    "  前期预防:\n",
                    &format!("  前期预防:\n    - 第{round}轮新增的预防措施\n"),
                    1,
                ),
                // Withdrawn from publication, or back.
                3 if text.contains("scope: 全院") => {
                    text.replacen("scope: 全院", "scope: 不公示", 1)
                }
                3 => text.replacen("scope: 不公示", "scope: 全院", 1),
                // An error, which the round of the next kind fixes.
                4 => {
                    broken.push(file.clone());
                    text.replacen("likelihood: ", "likelihood: 很", 1)
                }
                5 => {
                    for path in broken.drain(..) {
                        edit(&path, "likelihood: 很", "likelihood: ");
                    }
                    continue;
                }
                // A new point.
                _ => {
                    added += 1;
                    let copy = text
                        .replacen("id: ", &format!("id: NEW{added}-"), 1)
                        .replacen("title: ", "title: 新增 ", 1);
                    let path = file.with_file_name(format!("new-{added}.md"));
                    for _ in copy.matches("likelihood: 很") {
                        broken.push(path.clone());
                    }
                    std::fs::write(&path, copy).unwrap();
                    continue;
                }
            };
            std::fs::write(file, new).unwrap();
        }
        wait_quiet(addr, before);
        match files::fresh_build(&root, &Audience::Hospital) {
            Some(files) => {
                assert_serves(addr, &files, false);
                built = files;
                checked[0] += 1;
            }
            // Errors: the last good site, under the overlay.
            None => {
                assert_serves(addr, &built, true);
                checked[1] += 1;
            }
        }
    }
    assert!(
        checked[0] >= 5 && checked[1] >= 1,
        "good and broken rounds: {checked:?}"
    );
}

/// Compares what a cached load read with what a fresh load reads.
fn assert_same_load(root: &Path, cache: &mut gongshi::content::LoadCache) {
    let cached = gongshi::content::load_year_cached(root, 2022, cache).unwrap();
    let fresh = gongshi::content::load_year(root, 2022).unwrap();
    let ids = |y: &gongshi::content::LoadedYear| {
        y.points
            .iter()
            .map(|p| p.id.value.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&cached), ids(&fresh));
    assert!(cached.points == fresh.points, "points as read");
    assert!(cached.departments == fresh.departments, "departments");
    assert!(cached.info == fresh.info, "the year");
    assert_eq!(cached.dept_folders, fresh.dept_folders);
    assert!(cached.sources == fresh.sources, "sources");
    assert!(cached.diagnostics == fresh.diagnostics, "diagnostics");
}

#[test]
fn a_cached_load_reads_what_a_fresh_load_reads_when_told_what_changed() {
    let site = example_site();
    let root = site.path();
    // Files older than the racy window, so that the cache trusts them.
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let file = std::fs::File::options().write(true).open(&path).unwrap();
                file.set_modified(old).unwrap();
            }
        }
    }
    let mut cache = gongshi::content::LoadCache::default();
    assert_same_load(root, &mut cache);

    // A change to a known file: the walk is reused, the file read again.
    let file = point_file(root, "caiwu/cwk-03.md");
    edit(&file, "likelihood: 较高", "likelihood: 较小");
    cache.forget(&file);
    assert_same_load(root, &mut cache);
    // A new file and a new department.
    let new = point_file(root, "caiwu/cwk-99.md");
    std::fs::write(
        &new,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("id: CWK-03", "id: CWK-99"),
    )
    .unwrap();
    cache.forget(&new);
    std::fs::create_dir(point_file(root, "newdept")).unwrap();
    cache.forget(&point_file(root, "newdept"));
    assert_same_load(root, &mut cache);
    // A removed file, and a department renamed.
    std::fs::remove_file(&new).unwrap();
    cache.forget(&new);
    std::fs::rename(point_file(root, "huli"), point_file(root, "huli2")).unwrap();
    cache.forget(&point_file(root, "huli"));
    cache.forget(&point_file(root, "huli2"));
    assert_same_load(root, &mut cache);
    // A change nobody announced is still caught by its file stamp whenever the folder is
    // walked again (here because of a new file that was announced). The file is old enough
    // to be trusted, and keeps its size.
    let set_mtime = |path: &Path, t: std::time::SystemTime| {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(t).unwrap();
    };
    set_mtime(&file, old + Duration::from_secs(1));
    cache.forget(&file);
    assert_same_load(root, &mut cache);
    edit(&file, "likelihood: 较小", "likelihood: 较高");
    set_mtime(&file, old + Duration::from_secs(2));
    let newer = point_file(root, "caiwu/cwk-98.md");
    std::fs::write(
        &newer,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("id: CWK-03", "id: CWK-98"),
    )
    .unwrap();
    cache.forget(&newer);
    assert_same_load(root, &mut cache);
    // Lost events: clear.
    edit(&file, "likelihood: 较高", "likelihood: 较小");
    cache.clear();
    assert_same_load(root, &mut cache);
}

#[test]
fn polling_sees_a_save_in_the_same_second_as_the_last_one() {
    // PollWatcher compares whole-second mtimes: this edit, made the second the files were
    // copied, is seen only because recently saved files are read again two seconds later.
    let site = example_site();
    let server = serve_with(site.path(), true);
    let addr = server.addr();
    let mut events = Events::open(addr);
    edit(
        &point_file(site.path(), "caiwu/cwk-03.md"),
        "title: 大额资金支付审批把关不严",
        "title: 轮询看到的标题",
    );
    events.change();
    assert!(
        get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"))
            .text()
            .contains("轮询看到的标题")
    );
}

#[test]
fn a_site_broken_from_the_start_is_served_with_its_errors_until_fixed() {
    let site = example_site();
    let file = point_file(site.path(), "caiwu/cwk-03.md");
    edit(&file, "grade: 二级", "grade: 四级");
    let server = serve(site.path());
    let addr = server.addr();
    // No good build yet: every page is the not-found page under the overlay.
    let page = get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"));
    assert_eq!(page.status, 404);
    let text = page.text();
    assert!(text.contains("id=\"gongshi-overlay\""));
    assert!(text.contains("content/2022/caiwu/cwk-03.md:8:8"));
    assert!(
        text.contains("__gongshi/events"),
        "so that it reloads when fixed"
    );
    let mut events = Events::open(addr);
    edit(&file, "grade: 四级", "grade: 二级");
    assert_eq!(events.change()["all"], true);
    let page = get(addr, &format!("{BASE}2022/caiwu/CWK-03.html"));
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("gongshi-overlay"));
}
