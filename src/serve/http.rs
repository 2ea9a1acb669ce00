//! Answering requests from the generation in memory: GET and HEAD only, paths resolved by
//! `paths::resolve` and looked up in the site map, never on disk; HTML pages get the reload
//! script (and the error overlay) on the way out; every response says `no-store`.
//!
//! Headers carry only what the server chose: a `Location` is always the base path followed by
//! the percent-encoded key of a file that exists.

use std::io::{Cursor, Read};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use crate::serve::events;
use crate::serve::mime;
use crate::serve::overlay::{self, PageState};
use crate::serve::paths::{self, INTERNAL_DIR, Target};
use crate::serve::state::{Generation, Store};

/// What every request handler shares.
pub struct Handler {
    pub store: Arc<Store>,
    /// Changes with every server start, so open pages can tell a restart.
    pub instance: String,
    /// Open event streams.
    pub streams: Arc<AtomicUsize>,
}

type Body = Box<dyn Read + Send>;

/// A window onto shared bytes, so large files are sent without copying.
struct Shared(Arc<Vec<u8>>, Range<usize>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0[self.1.clone()]
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static ASCII header")
}

fn response(status: u16, content_type: &str, body: Body, len: usize) -> Response<Body> {
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", content_type),
            header("Cache-Control", "no-store"),
            header("X-Content-Type-Options", "nosniff"),
            header("Server", "gongshi"),
        ],
        body,
        Some(len),
        None,
    )
    .with_chunked_threshold(usize::MAX)
}

fn text(status: u16, message: &str) -> Response<Body> {
    let bytes = message.as_bytes().to_vec();
    let len = bytes.len();
    response(
        status,
        "text/plain; charset=utf-8",
        Box::new(Cursor::new(bytes)),
        len,
    )
}

fn html(status: u16, page: Vec<u8>) -> Response<Body> {
    let len = page.len();
    response(
        status,
        "text/html; charset=utf-8",
        Box::new(Cursor::new(page)),
        len,
    )
}

fn redirect(location: &str) -> Response<Body> {
    text(302, "").with_header(header("Location", location))
}

impl Handler {
    pub fn handle(&self, request: Request) {
        let method = request.method().clone();
        if method != Method::Get && method != Method::Head {
            let reply =
                text(405, "只支持 GET 和 HEAD 请求\n").with_header(header("Allow", "GET, HEAD"));
            request.respond(reply).ok();
            return;
        }
        let generation = self.store.current();
        let base = generation.base.as_str();
        let reply = match paths::resolve(request.url(), base) {
            Target::Refused => self.not_found(&generation, ""),
            Target::Base => redirect(base),
            Target::Internal(name) => match name.as_str() {
                "events" if method == Method::Get => {
                    events::stream(request, &self.store, &self.instance, &self.streams);
                    return;
                }
                "events" => response(200, "text/event-stream", Box::new(std::io::empty()), 0),
                "status" => self.status(&generation),
                _ => self.not_found(&generation, ""),
            },
            Target::OutsideBase(key) => {
                if generation.files.contains_key(key.as_str()) {
                    redirect(&format!("{base}{}", paths::encode(&key)))
                } else {
                    self.not_found(&generation, "")
                }
            }
            Target::File(key) => self.file(&generation, &key),
        };
        request.respond(reply).ok();
    }

    fn file(&self, generation: &Generation, key: &str) -> Response<Body> {
        let base = generation.base.as_str();
        let Some(bytes) = generation.files.get(key) else {
            // A folder asked for without its slash: send the browser to the slash form, so that
            // the page's relative links resolve as they do from disk.
            let index = format!("{key}/index.html");
            if generation.files.contains_key(index.as_str()) {
                return redirect(&format!("{base}{}/", paths::encode(key)));
            }
            return self.not_found(generation, key);
        };
        let content_type = mime::content_type(key);
        if !mime::is_html(key) {
            let len = bytes.len();
            return response(
                200,
                content_type,
                Box::new(Cursor::new(Shared(Arc::clone(bytes), 0..len))),
                len,
            );
        }
        let block = self.injection(generation, key);
        html(200, overlay::inject(bytes, &block))
    }

    fn injection(&self, generation: &Generation, page: &str) -> String {
        let events = format!("{}{INTERNAL_DIR}/events", generation.base);
        overlay::injection(
            &PageState {
                generation: generation.number,
                instance: &self.instance,
                page,
                events: &events,
            },
            generation.problem.as_deref(),
        )
    }

    fn not_found(&self, generation: &Generation, key: &str) -> Response<Body> {
        let page = overlay::not_found_page(&generation.base);
        let block = self.injection(generation, key);
        html(404, overlay::inject(page.as_bytes(), &block))
    }

    fn status(&self, generation: &Generation) -> Response<Body> {
        let (rebuilds, building) = self.store.activity();
        let body = serde_json::json!({
            "rebuilds": rebuilds,
            "building": building,
            "generation": generation.number,
            "instance": self.instance,
            "base_path": generation.base,
            "files": generation.files.len(),
            "problem": generation.problem.as_ref().map(|p| p.title.clone()),
            "event_streams": self.streams.load(Ordering::Relaxed),
        })
        .to_string();
        let len = body.len();
        response(
            200,
            "application/json",
            Box::new(Cursor::new(body.into_bytes())),
            len,
        )
    }
}
