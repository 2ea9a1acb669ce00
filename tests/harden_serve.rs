//! Issue 15, item 3: `serve` answered any `Host`, so a page of another origin could read the
//! drafts through DNS rebinding (the error overlay shows source lines of unpublished files);
//! and it read request heads without a bound (tiny_http's issue #56). It now answers 403
//! unless `Host` names the preview (loopback, `--bind`, `--allow-host`), and 431 past 100
//! headers or 32 KB of head, closing the connection rather than reading on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use gongshi::audience::Audience;
use gongshi::check::Verbosity;
use gongshi::serve::{Running, ServeOptions};

use crate::harness::{Site, base};

const WAIT: Duration = Duration::from_secs(20);

/// The base site with an error, so that every page carries the overlay with source lines.
fn preview(allow_hosts: &[&str]) -> (Site, Running) {
    let site = Site::base().replace(base::WEIXIU, "grade: C", "grade: 草稿里的机密");
    let running = gongshi::serve::start(&ServeOptions {
        root: site.root().to_path_buf(),
        year: None,
        audience: Audience::Hospital,
        drafts: false,
        bind: "127.0.0.1".parse().unwrap(),
        allow_hosts: allow_hosts.iter().map(|h| h.to_string()).collect(),
        port: 0,
        poll: false,
        verbosity: Verbosity::Quiet,
        color: false,
    })
    .expect("the preview starts");
    (site, running)
}

/// Sends `head` (a whole request head) and reads the reply until the server closes.
fn exchange(addr: SocketAddr, head: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(head).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    (status, text)
}

fn get(addr: SocketAddr, host: &str) -> (u16, String) {
    exchange(
        addr,
        format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Regression: a request naming any host got the page, overlay and drafts included.
#[test]
fn a_request_for_another_host_is_refused() {
    let (_site, running) = preview(&[]);
    let addr = running.addr();
    let port = addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        // The broken site's overlay over a "not found" page: answered.
        let (status, text) = get(addr, &host);
        assert_eq!(status, 404, "{host}: {text}");
        assert!(text.contains("gongshi-overlay"), "{host}: {text}");
    }
    let (status, page) = exchange(
        addr,
        format!(
            "GET /2022/index.html HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status, 404);
    assert!(
        page.contains("草稿里的机密"),
        "the overlay shows the draft: {page}"
    );
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("127.0.0.1.attacker.example:{port}"),
        format!("192.168.1.5:{port}"),
    ] {
        let (status, text) = exchange(
            addr,
            format!("GET /2022/index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(status, 403, "{host}: {text}");
        assert!(!text.contains("草稿里的机密"), "{host}: {text}");
    }
    // No Host at all, or two.
    assert_eq!(exchange(addr, b"GET / HTTP/1.0\r\n\r\n").0, 400);
    let two = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: x.example\r\n\r\n";
    assert_eq!(exchange(addr, two.as_bytes()).0, 400);
}

#[test]
fn allowed_hosts_are_answered() {
    let (_site, running) = preview(&["notice.hospital.lan", "10.1.2.3"]);
    let addr = running.addr();
    assert_eq!(get(addr, "notice.hospital.lan:1111").0, 404);
    assert_eq!(get(addr, "10.1.2.3").0, 404);
    assert_eq!(get(addr, "hospital.lan").0, 403);
}

/// `--allow-host` through the command line.
#[test]
fn allow_host_is_a_serve_option() {
    let site = Site::base();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongshi"))
        .args(["--root"])
        .arg(site.root())
        .args(["serve", "--port", "0", "--allow-host", "notice.lan", "-q"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let allowed = get(addr, "notice.lan").0;
    let refused = get(addr, "other.lan").0;
    child.kill().ok();
    child.wait().ok();
    assert_eq!((allowed, refused), (200, 403));
}

/// Regression: tiny_http read a request's head without a bound; 101 headers, or one header of
/// 40 KB, were read whole and answered.
#[test]
fn too_many_or_too_large_headers_are_431() {
    let (_site, running) = preview(&[]);
    let addr = running.addr();
    let many = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        (0..100)
            .map(|i| format!("X-H{i}: 1\r\n"))
            .collect::<String>()
    );
    let (status, text) = exchange(addr, many.as_bytes());
    assert_eq!(status, 431, "{text}");
    let large = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    assert_eq!(exchange(addr, large.as_bytes()).0, 431);
    // 99 headers and 30 KB are still answered.
    let fine = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nCookie: {}\r\n{}\r\n",
        "a".repeat(30 * 1024),
        (0..97)
            .map(|i| format!("X-H{i}: 1\r\n"))
            .collect::<String>()
    );
    assert_eq!(exchange(addr, fine.as_bytes()).0, 404);
}

/// An endless header line: the server answers 431 once the bound is reached and closes the
/// connection, instead of reading (and keeping) whatever the client sends.
#[test]
fn an_endless_header_line_is_cut_off() {
    let (_site, running) = preview(&[]);
    let mut stream = TcpStream::connect(running.addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Endless: ")
        .unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    // The server stops reading at 32 KB: writing on fails once it has closed (or fills the
    // socket's buffers), and what comes back is the 431.
    for _ in 0..64 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok();
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
}

/// The connection handling that replaced tiny_http's: keep-alive, pipelining, a request with a
/// body (answered, then the connection closed, its body unread).
#[test]
fn connections_are_kept_alive_and_pipelined() {
    let (_site, running) = preview(&[]);
    let mut stream = TcpStream::connect(running.addr()).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let request = "HEAD /lianneng/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
    stream
        .write_all(format!("{request}{request}").as_bytes())
        .unwrap();
    stream
        .write_all(b"GET /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert_eq!(text.matches("HTTP/1.1 ").count(), 3, "{text}");
    assert!(text.contains("Connection: close"), "{text}");
}
