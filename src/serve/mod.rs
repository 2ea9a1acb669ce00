//! `gongshi serve`: the live preview. Builds the notice in memory, serves it on loopback under
//! the site's `base_path`, watches `content/`, `themes/`, `archive/` and `site.yaml`, rebuilds
//! what changed and reloads the open pages once the new site is swapped in; while the content
//! has errors, every page shows them over the last good version.
//!
//! The pieces, in the order a change travels: `watcher` (file events) → `rebuilds` (settle,
//! rebuild, supersede) → `builder` (the build pipeline with caches) → `state` (swap a
//! generation, tell subscribers) → `events` (SSE to the browser) → `http` (answer requests,
//! via `paths` and `mime`, with `overlay` injected into pages).

mod builder;
mod connection;
mod events;
mod hosts;
mod http;
pub(crate) mod memo;
mod mime;
pub mod overlay;
pub(crate) mod paths;
mod rebuilds;
mod state;
mod watcher;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::audience::Audience;
use crate::check::Verbosity;
use crate::cli::{Cli, ServeArgs};
use crate::serve::builder::Builder;
use crate::serve::rebuilds::Terminal;
use crate::serve::state::Store;
use crate::serve::watcher::{Signal, Watcher};

/// What to preview and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub year: Option<u16>,
    pub audience: Audience,
    /// Show drafts too (`--drafts`): every point, each one the notice leaves out marked.
    pub drafts: bool,
    pub bind: IpAddr,
    /// Host names or addresses, besides loopback and `bind`, that requests may name
    /// (`--allow-host`; src/serve/hosts.rs).
    pub allow_hosts: Vec<String>,
    /// 0: any free port (the bound one is in `Running::addr`).
    pub port: u16,
    /// Poll the files instead of waiting for change events (network shares).
    pub poll: bool,
    pub verbosity: Verbosity,
    /// Colour in the terminal copy of diagnostics.
    pub color: bool,
}

/// A running preview; stops when dropped.
pub struct Running {
    addr: SocketAddr,
    store: Arc<Store>,
    stop: Arc<AtomicBool>,
    signals: Sender<Signal>,
    /// The thread accepting connections.
    acceptor: Option<JoinHandle<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl Running {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address: `http://127.0.0.1:1111/lianneng/`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.store.current().base)
    }

    /// Stops watching and serving and waits for the threads to end.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The acceptor sees `stop` once a connection wakes it; if none can be made, it is left
        // to end with the process rather than waited for.
        let woke = connection::wake(self.addr);
        if let Some(acceptor) = self.acceptor.take()
            && woke
        {
            acceptor.join().ok();
        }
        self.signals.send(Signal::Stop).ok();
        self.store.close_subscribers();
        for thread in self.threads.drain(..) {
            thread.join().ok();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A nonce for this server process.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", nanos, std::process::id())
}

fn bind(addr: IpAddr, port: u16) -> Result<TcpListener> {
    TcpListener::bind((addr, port)).map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            anyhow!("端口 {port} 已被占用（也许另一个 gongshi serve 正在运行）：用 --port 换一个端口，或 --port 0 任选空闲端口")
        } else {
            anyhow!("无法在 {addr}:{port} 上监听：{err}")
        }
    })
}

/// Builds, starts the server and the watcher, and returns once the first build is served.
/// Content errors do not stop it (they are shown in the pages); a missing site, a bad
/// `--scope`, a port in use or a watcher that cannot start do.
pub fn start(options: &ServeOptions) -> Result<Running> {
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("找不到站点目录 {}", options.root.display()))?;
    if !root.join("site.yaml").is_file() {
        return Err(crate::locate::not_a_site(&root));
    }
    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr().context("无法读取监听地址")?;
    let out = Arc::new(Terminal::new(options.verbosity, options.color));
    let store = Arc::new(Store::new());
    // Watch before the first build: a save made while it runs is then rebuilt right after.
    let (tx, rx) = channel();
    let mut watcher = Watcher::start(&root, options.poll, tx.clone())?;
    let mut builder = Builder::new(
        &root,
        options.year,
        options.audience.clone(),
        options.drafts,
    );
    rebuilds::first(&mut builder, &store, &out);
    if let Some(problem) = builder.unknown_scope() {
        bail!("{problem}");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let handler = Arc::new(http::Handler {
        store: Arc::clone(&store),
        instance: instance_id(),
        streams: Arc::new(AtomicUsize::new(0)),
        hosts: hosts::AllowedHosts::new(options.bind, &options.allow_hosts),
    });
    let acceptor = Some(connection::accept(listener, handler, Arc::clone(&stop)));
    let mut threads = Vec::new();
    let poll = options.poll;
    let loop_store = Arc::clone(&store);
    let loop_out = Arc::clone(&out);
    threads.push(std::thread::spawn(move || {
        rebuilds::run(
            &rx,
            &mut builder,
            &loop_store,
            &mut watcher,
            &loop_out,
            poll,
        );
    }));
    Ok(Running {
        addr,
        store,
        stop,
        signals: tx,
        acceptor,
        threads,
    })
}

/// Opens the address in the desktop's browser, if there is a way to.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("无法自动打开浏览器（找不到 {opener}）：请手动打开 {url}");
    }
}

/// `gongshi serve`: runs until interrupted.
pub(crate) fn run(cli: &Cli, args: &ServeArgs, verbosity: Verbosity) -> Result<bool> {
    let options = ServeOptions {
        root: cli.root.clone(),
        year: args.year,
        audience: args.scope.clone(),
        drafts: args.drafts,
        bind: args.bind,
        allow_hosts: args.allow_host.clone(),
        port: args.port,
        poll: args.poll,
        verbosity,
        color: crate::check::use_color(),
    };
    let running = start(&options)?;
    let url = running.url();
    if !running.addr().ip().is_loopback() {
        eprintln!(
            "警告：正在 {} 上监听，局域网内任何人都能打开这个预览，读到尚未公示的草稿（包括错误提示中的源文件内容）。只在本机预览时请去掉 --bind。",
            running.addr().ip()
        );
        if running.addr().ip().is_unspecified() && args.allow_host.is_empty() {
            eprintln!(
                "提示：其他电脑用本机的地址或名称访问时，请用 --allow-host 地址 允许它（例如 --allow-host 192.168.1.5），否则只回答 localhost 的请求"
            );
        }
    }
    println!("预览地址：{url}（Ctrl+C 停止）");
    if options.poll && verbosity != Verbosity::Quiet {
        eprintln!(
            "以轮询方式监视文件（每 {} 毫秒检查一次）",
            watcher::POLL_INTERVAL.as_millis()
        );
    }
    if args.open {
        open_browser(&url);
    }
    // Serve until the process is interrupted; the threads do the work.
    loop {
        std::thread::park();
    }
}

/// What `gongshi serve` does after files change, in this process, without a server or a
/// watcher: for the tests and the benchmark that compare the preview with `gongshi build`
/// after edits. The search index, which the preview builds after publishing the pages, is
/// built before `rebuild` returns.
#[doc(hidden)]
pub struct Previewer {
    builder: Builder,
    store: Store,
}

/// What a `Previewer` serves: every file (the last good ones while there are errors), and the
/// problem shown over them.
#[doc(hidden)]
pub struct Preview {
    pub files: std::collections::HashMap<String, Arc<Vec<u8>>>,
    pub problem: Option<String>,
    /// Pages rendered and reused by the last rebuild.
    pub rendered: usize,
    pub reused: usize,
}

impl Previewer {
    /// Builds the site at `root` (absolute) for `audience`.
    pub fn new(root: &std::path::Path, audience: Audience) -> Previewer {
        Previewer::with_drafts(root, audience, false)
    }

    /// As `new`, showing drafts too when `drafts` (`serve --drafts`).
    pub(crate) fn with_drafts(
        root: &std::path::Path,
        audience: Audience,
        drafts: bool,
    ) -> Previewer {
        let mut previewer = Previewer {
            builder: Builder::new(root, None, audience, drafts),
            store: Store::new(),
        };
        previewer.rebuild(&[], true);
        previewer
    }

    /// Rebuilds after the files or folders at `changed` (absolute) changed; `rescan`: as after
    /// lost events.
    pub fn rebuild(&mut self, changed: &[PathBuf], rescan: bool) -> Preview {
        let pending = rebuilds::Pending {
            paths: changed.iter().cloned().collect(),
            rescan,
            ..rebuilds::Pending::default()
        };
        let (outcome, report) = self.builder.rebuild(&pending, false);
        self.store.publish(outcome);
        while let Some(job) = self.builder.index_job() {
            if let Some(built) = job.run()
                && let Some(patch) = self.builder.index_built(built)
            {
                self.store.publish(patch);
            }
        }
        let now = self.store.current();
        Preview {
            files: now
                .files
                .iter()
                .map(|(path, bytes)| (path.to_string(), Arc::clone(bytes)))
                .collect(),
            problem: now
                .problem
                .as_ref()
                .map(|p| format!("{}\n{}", p.title, p.details.join("\n"))),
            rendered: report.pages.rendered,
            reused: report.pages.reused,
        }
    }
}
