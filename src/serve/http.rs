//! Answering requests from the generation in memory: GET and HEAD only, paths resolved by
//! `paths::resolve` and looked up in the site map, never on disk; HTML pages get the reload
//! script (and the error overlay) on the way out; every response says `no-store`.
//!
//! Headers carry only what the server chose: a `Location` is always the base path followed by
//! the percent-encoded key of a file that exists. A request whose `Host` does not name the
//! preview is refused (403) before anything else (src/serve/hosts.rs); the connection itself,
//! with its bounds on request heads, is src/serve/connection.rs.

use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::serve::connection::{Body, Reply, Request, Response, text};
use crate::serve::events;
use crate::serve::hosts::AllowedHosts;
use crate::serve::mime;
use crate::serve::overlay::{self, PageState};
use crate::serve::paths::{self, INTERNAL_DIR, Target};
use crate::serve::state::{Generation, Store};

/// What every request handler shares.
pub(crate) struct Handler {
    pub(crate) store: Arc<Store>,
    /// Changes with every server start, so open pages can tell a restart.
    pub(crate) instance: String,
    /// Open event streams.
    pub(crate) streams: Arc<AtomicUsize>,
    /// The `Host` values the preview answers to (src/serve/hosts.rs).
    pub(crate) hosts: AllowedHosts,
}

fn response(status: u16, content_type: &'static str, body: Body) -> Response {
    Response {
        status,
        content_type,
        headers: Vec::new(),
        body,
    }
}

fn html(status: u16, page: Vec<u8>) -> Response {
    response(status, "text/html; charset=utf-8", Body::Owned(page))
}

fn redirect(location: &str) -> Response {
    let mut reply = text(302, "");
    reply.headers.push(("Location", location.to_string()));
    reply
}

impl Handler {
    pub(crate) fn handle(&self, request: &Request) -> Reply {
        // Before anything else: a page of another origin that rebinds its name to this
        // machine must not read the drafts (src/serve/hosts.rs).
        let Some(host) = request.host.as_deref() else {
            return Reply::Response(text(400, "请求缺少 Host（或有多个）\n"));
        };
        if !self.hosts.allows(host) {
            return Reply::Response(text(
                403,
                "这个预览只回答发给本机地址（localhost、127.0.0.1、[::1]）或 --bind、--allow-host 所给地址的请求\n",
            ));
        }
        let method = request.method.as_str();
        if method != "GET" && method != "HEAD" {
            let mut reply = text(405, "只支持 GET 和 HEAD 请求\n");
            reply.headers.push(("Allow", "GET, HEAD".to_string()));
            return Reply::Response(reply);
        }
        let generation = self.store.current();
        let base = generation.base.as_str();
        Reply::Response(match paths::resolve(&request.target, base) {
            Target::Refused => self.not_found(&generation, ""),
            Target::Base => redirect(base),
            Target::Internal(name) => match name.as_str() {
                "events" if method == "GET" => return Reply::Events,
                "events" => response(200, "text/event-stream", Body::Owned(Vec::new())),
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
        })
    }

    /// Turns the connection into the reload event stream.
    pub(crate) fn stream_events(&self, stream: TcpStream) {
        events::stream(stream, &self.store, &self.instance, &self.streams);
    }

    fn file(&self, generation: &Generation, key: &str) -> Response {
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
            return response(200, content_type, Body::Shared(Arc::clone(bytes)));
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

    fn not_found(&self, generation: &Generation, key: &str) -> Response {
        let page = overlay::not_found_page(&generation.base);
        let block = self.injection(generation, key);
        html(404, overlay::inject(page.as_bytes(), &block))
    }

    fn status(&self, generation: &Generation) -> Response {
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
        response(200, "application/json", Body::Owned(body.into_bytes()))
    }
}
