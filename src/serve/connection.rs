//! The preview's HTTP/1.1 connections: accepting them, reading each request's head within
//! bounds, and writing the answers.
//!
//! Why not tiny_http, which the preview used before: it reads a request's head byte by byte
//! into a buffer without any bound (its issue #56, open since 2015), so one client sending an
//! endless header line or endless headers takes all the memory there is. Here the head is read
//! into a buffer of at most `MAX_HEAD_BYTES`, parsed by httparse (hyper's parser) into at most
//! `MAX_HEADERS` headers; past either bound the answer is 431 and the connection is closed. A
//! head must arrive within `HEAD_TIMEOUT` (a client trickling bytes cannot hold a thread), an
//! idle keep-alive connection is closed after `IDLE_TIMEOUT`, and at most `MAX_CONNECTIONS`
//! are served at once (one thread each; pages come from memory, so a thread is cheap).
//!
//! In: a listening socket and the request handler (src/serve/http.rs). Out: one thread per
//! connection, answering each request in order; a request with a body (there is none in GET
//! or HEAD) is answered and the connection closed, since its body is never read.

use std::io::{BufWriter, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::serve::http::Handler;

/// The most bytes a request's head (request line and headers) may have. Browsers send well
/// under 2 KB; cookies set on `localhost` by other local tools add to it.
pub(crate) const MAX_HEAD_BYTES: usize = 32 * 1024;
/// The most headers a request may have (Apache's `LimitRequestFields`).
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a request's head may take to arrive, from its first byte.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may wait for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections served at once; more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 128;
/// Each read waits at most this long, so that a connection sees the server stop.
const TICK: Duration = Duration::from_millis(250);

/// A request as the handler sees it.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    /// The `Host` header, when there is exactly one.
    pub(crate) host: Option<String>,
    /// Whether the client asked to close the connection after this request (or is HTTP/1.0).
    close: bool,
    /// Whether a body follows the head (Content-Length above 0, or Transfer-Encoding).
    has_body: bool,
}

/// The body of a response.
pub(crate) enum Body {
    Owned(Vec<u8>),
    /// Shared with the generation in memory (a large file is sent without a copy).
    Shared(Arc<Vec<u8>>),
}

impl Body {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Owned(bytes) => bytes,
            Body::Shared(bytes) => bytes,
        }
    }
}

/// A response: status, content type, any further headers, body.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
}

/// What the handler does with a request.
pub(crate) enum Reply {
    Response(Response),
    /// The connection becomes the reload event stream (src/serve/events.rs).
    Events,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// A plain-text response (refusals and errors).
pub(crate) fn text(status: u16, message: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        headers: Vec::new(),
        body: Body::Owned(message.as_bytes().to_vec()),
    }
}

/// Writes a response; without its body for HEAD. `close` adds `Connection: close`.
fn write_response(
    stream: &TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let mut out = BufWriter::new(stream);
    let body = response.body.bytes();
    write!(
        out,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nServer: gongshi\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        body.len()
    )?;
    for (name, value) in &response.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    if close {
        out.write_all(b"Connection: close\r\n")?;
    }
    out.write_all(b"\r\n")?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

/// Why no request could be read from a connection.
enum Unread {
    /// The client closed it, went quiet for too long, or the server is stopping: close
    /// without an answer.
    Gone,
    /// Answer this status, then close.
    Refuse(u16, &'static str),
}

/// Parses a complete head in `buf`, or says that more bytes are needed (`Ok(None)`).
fn parse_head(buf: &[u8]) -> Result<Option<(usize, Request)>, Unread> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let length = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Unread::Refuse(431, "请求头过多\n"));
        }
        Err(_) => return Err(Unread::Refuse(400, "请求格式不对\n")),
    };
    let version = parsed.version.unwrap_or(1);
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
            .collect::<Vec<_>>()
    };
    let hosts = header("Host");
    let connection = header("Connection").join(",").to_ascii_lowercase();
    let has_body = !header("Transfer-Encoding").is_empty()
        || header("Content-Length")
            .iter()
            .any(|l| l.parse::<u64>().map_or(true, |n| n > 0));
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        target: parsed.path.unwrap_or_default().to_string(),
        host: (hosts.len() == 1).then(|| hosts[0].clone()),
        close: version == 0 || connection.contains("close") || connection.contains("upgrade"),
        has_body,
    };
    Ok(Some((length, request)))
}

/// Reads the next request's head from `stream` into `buf` (which may already hold bytes the
/// client sent ahead), within the bounds above.
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    stop: &AtomicBool,
) -> Result<Request, Unread> {
    let idle_since = Instant::now();
    let mut head_since = (!buf.is_empty()).then(Instant::now);
    let mut chunk = [0; 4096];
    loop {
        if let Some((length, request)) = parse_head(buf)? {
            buf.drain(..length);
            return Ok(request);
        }
        if buf.len() >= MAX_HEAD_BYTES {
            return Err(Unread::Refuse(431, "请求头过大\n"));
        }
        if stop.load(Ordering::SeqCst) {
            return Err(Unread::Gone);
        }
        match head_since {
            Some(since) if since.elapsed() > HEAD_TIMEOUT => {
                return Err(Unread::Refuse(408, "请求头未在时限内发完\n"));
            }
            None if idle_since.elapsed() > IDLE_TIMEOUT => return Err(Unread::Gone),
            _ => {}
        }
        let room = (MAX_HEAD_BYTES - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(Unread::Gone),
            Ok(n) => {
                head_since.get_or_insert_with(Instant::now);
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) => {}
            Err(_) => return Err(Unread::Gone),
        }
    }
}

/// Closes a connection the client may still be writing to (a head past the bounds) so that it
/// gets the answer: closing a socket with unread bytes resets it, and the reset can overtake
/// the answer. The writing side is shut, and what still comes is read and dropped for a moment
/// (at most a second and a megabyte), as web servers do ("lingering close").
fn linger(stream: &mut TcpStream) {
    stream.shutdown(std::net::Shutdown::Write).ok();
    let start = Instant::now();
    let (mut drained, mut chunk) = (0, [0; 8192]);
    while start.elapsed() < Duration::from_secs(1) && drained < 1024 * 1024 {
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => drained += n,
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

/// Serves one connection until it closes.
fn serve_connection(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    if stream.set_read_timeout(Some(TICK)).is_err() {
        return;
    }
    stream.set_nodelay(true).ok();
    let mut buf = Vec::new();
    loop {
        let request = match read_head(&mut stream, &mut buf, stop) {
            Ok(request) => request,
            Err(Unread::Gone) => return,
            Err(Unread::Refuse(status, message)) => {
                write_response(&stream, &text(status, message), false, true).ok();
                linger(&mut stream);
                return;
            }
        };
        let close = request.close || request.has_body;
        let head_only = request.method == "HEAD";
        match handler.handle(&request) {
            Reply::Events => {
                stream.set_read_timeout(None).ok();
                handler.stream_events(stream);
                return;
            }
            Reply::Response(response) => {
                // A malformed request, or one for another host: nothing more from this client.
                let close = close || matches!(response.status, 400 | 403);
                if write_response(&stream, &response, head_only, close).is_err() {
                    return;
                }
                if close {
                    // A body may follow that is never read.
                    if request.has_body {
                        linger(&mut stream);
                    }
                    return;
                }
            }
        }
    }
}

/// Counts an open connection; uncounts it when dropped.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts connections on `listener` until `stop` is set (and a connection wakes the loop:
/// see `wake`), each served on a thread of its own.
pub(crate) fn accept(
    listener: TcpListener,
    handler: Arc<Handler>,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else {
                // Out of file descriptors and the like: breathe, then go on.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                write_response(&stream, &text(503, "打开的连接太多\n"), false, true).ok();
                continue;
            }
            let counted = Counted(Arc::clone(&open));
            let (handler, stop) = (Arc::clone(&handler), Arc::clone(&stop));
            std::thread::spawn(move || {
                let _counted = counted;
                serve_connection(stream, &handler, &stop);
            });
        }
    })
}

/// Wakes the accept loop (blocked in `accept`) so that it sees `stop`; whether a connection
/// could be made.
pub(crate) fn wake(addr: SocketAddr) -> bool {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &str) -> Result<Option<Request>, u16> {
        match parse_head(head.as_bytes()) {
            Ok(found) => Ok(found.map(|(_, r)| r)),
            Err(Unread::Refuse(status, _)) => Err(status),
            Err(Unread::Gone) => Err(0),
        }
    }

    #[test]
    fn heads_are_parsed_with_their_host_and_connection() {
        let r = parse("GET /a%20b HTTP/1.1\r\nHost: localhost:1111\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("GET", "/a%20b"));
        assert_eq!(r.host.as_deref(), Some("localhost:1111"));
        assert!(!r.close && !r.has_body);
        let r = parse("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(r.close && r.host.is_none());
        let r = parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 3\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(r.host.is_none() && r.has_body);
        assert!(parse("GET / HTTP/1.1\r\nHost: a\r\n").unwrap().is_none());
        assert_eq!(
            parse("GET / HTTP/1.1\r\nBad Header\r\n\r\n").err(),
            Some(400)
        );
    }

    #[test]
    fn too_many_headers_are_431() {
        let head = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: 1\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse(&head).err(), Some(431));
    }
}
