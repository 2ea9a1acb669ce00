//! The reload event stream: server-sent events, written on the connection's own thread
//! (src/serve/connection.rs), one thread per stream.
//!
//! Why SSE and not long polling: browsers allow six connections per host, and either way a
//! waiting tab holds one. The injected script (reload.js) therefore lets a single tab per
//! browser hold the stream and relay it to the others, which SSE makes simple — one
//! connection, reconnected by the browser itself (`retry`), events in order. A stream starts
//! with a `hello` carrying the current generation, so a page that loaded just before a swap
//! still learns of it; every later event is sent only after its generation was swapped in.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use crate::serve::state::{Change, Store};

/// More open streams than this are refused (503); a browser needs one.
pub(crate) const MAX_STREAMS: usize = 64;
/// A comment line this often finds dead connections and keeps proxies from closing live ones.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// One event as the script reads it.
pub(crate) fn event_json(change: &Change, instance: &str, hello: bool) -> String {
    serde_json::json!({
        "instance": instance,
        "from": change.from,
        "to": change.to,
        "all": change.all,
        "pages": change.pages,
        "hello": hello,
    })
    .to_string()
}

fn frame(data: &str) -> String {
    format!("event: reload\ndata: {data}\n\n")
}

/// Counts an open stream; uncounts it when dropped.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Takes over the connection and streams reload events until the client goes away or the
/// server stops.
pub(crate) fn stream(
    mut out: TcpStream,
    store: &Store,
    instance: &str,
    streams: &Arc<AtomicUsize>,
) {
    if streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        streams.fetch_sub(1, Ordering::SeqCst);
        let body = "太多打开的预览连接\n";
        let reply = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        out.write_all(reply.as_bytes()).ok();
        return;
    }
    let _slot = Slot(Arc::clone(streams));
    // Subscribe before reading the current generation: a swap in between is then both in the
    // hello and in the channel, and the script ignores what it has already seen.
    let changes = store.subscribe();
    let now = store.current().number;
    let hello = Change {
        from: now,
        to: now,
        all: false,
        pages: Vec::new(),
    };
    let hello = frame(&event_json(&hello, instance, true));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Server: gongshi\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if out.write_all(head.as_bytes()).is_err()
        || out.write_all(hello.as_bytes()).is_err()
        || out.flush().is_err()
    {
        return;
    }
    loop {
        let text = match changes.recv_timeout(KEEP_ALIVE) {
            Ok(change) if change.to <= now => continue,
            Ok(change) => frame(&event_json(&change, instance, false)),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out.write_all(text.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
    }
}
