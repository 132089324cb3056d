//! `pactgen serve` (a live preview) and `pactgen build --watch`.
//!
//! The preview builds the whole site into a [`MemorySink`] with [`build::build_into`] — the same
//! pipeline as `build` and `check` — and serves that snapshot. A watcher (notify, debounced)
//! rebuilds on every change to `content/`, `themes/`, `templates/` or `static/` into a fresh
//! sink; only a build without errors replaces the served snapshot (one pointer swap, so no
//! request ever sees half a site). Browsers learn about rebuilds over server-sent events at
//! `/__pactgen/events`, through a small script at `/__pactgen/live.js` that is added to HTML
//! responses as they are served (templates and the built site are unchanged).

use crate::build::BuildOptions;
use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::incremental::{self, LiveSite, Outcome, Publish};
use crate::render::RenderSettings;
use crate::sink::MemorySink;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock, mpsc};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The live-reload client, served as a file so pages can run under `default-src 'self'`.
pub const LIVE_JS: &str = include_str!("serve/live.js");
/// Added before `</body>` of every HTML response.
pub const SCRIPT_TAG: &str = r#"<script src="/__pactgen/live.js" defer></script>"#;
/// Port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// Folders of the site (relative to its root) whose changes trigger a rebuild. `site.yaml`
/// lives in `content/`.
const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];
/// Editors save in one write or a write and a rename, microseconds apart: 10 ms joins them and
/// keeps the edit-to-reload time low.
const DEBOUNCE: Duration = Duration::from_millis(10);

pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// `None`: try [`DEFAULT_PORT`], then the next ports, then any free one.
    pub port: Option<u16>,
    pub open: bool,
}

/// How to talk to the terminal (mirrors the CLI's global options).
#[derive(Clone, Copy)]
pub struct Console {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Console {
    fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", diagnostics::terminal_safe(msg));
        }
    }

    fn diagnostics(&self, diags: &[Diagnostic], sources: &SourceMap) {
        eprint!(
            "{}",
            diagnostics::render_for_console(diags, sources, self.color, self.quiet, self.verbose)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots and events

/// One file as served: its bytes and, computed on its first request, its strong ETag.
struct Served {
    bytes: bytes::Bytes,
    etag: OnceLock<String>,
}

impl Served {
    fn new(bytes: bytes::Bytes) -> Arc<Self> {
        Arc::new(Served {
            bytes,
            etag: OnceLock::new(),
        })
    }

    fn etag(&self) -> &str {
        self.etag.get_or_init(|| etag_of(&self.bytes))
    }
}

/// One successful build, served as a whole. A rebuild that changed a few files makes a new
/// snapshot sharing every other file with the old one.
#[derive(Clone, Default)]
struct Snapshot {
    files: HashMap<Arc<str>, Arc<Served>>,
}

impl Snapshot {
    fn new(files: &MemorySink) -> Self {
        Snapshot {
            files: files
                .entries()
                .into_iter()
                .map(|(path, bytes)| (Arc::from(path), Served::new(bytes)))
                .collect(),
        }
    }

    fn empty() -> Self {
        Snapshot::default()
    }

    fn get(&self, path: &str) -> Option<&Arc<Served>> {
        self.files.get(path)
    }

    fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// This snapshot with the files of `delta` written over it, and the paths written. With
    /// `compare`, files whose bytes did not change are skipped (and not counted); without it
    /// (exports, tens of megabytes the browser is not told about), all are written.
    fn patched(
        &self,
        delta: &MemorySink,
        removed: &[String],
        compare: bool,
    ) -> (Snapshot, BTreeSet<String>) {
        let mut next = self.clone();
        let mut changed = BTreeSet::new();
        for path in removed {
            if next.files.remove(path.as_str()).is_some() {
                changed.insert(path.clone());
            }
        }
        for (path, bytes) in delta.entries() {
            if compare && self.get(&path).is_some_and(|old| old.bytes == bytes) {
                continue;
            }
            next.files
                .insert(Arc::from(path.as_str()), Served::new(bytes));
            changed.insert(path);
        }
        (next, changed)
    }
}

fn etag_of(bytes: &[u8]) -> String {
    // SipHash with fixed keys: stable across runs, and collisions only cost a stale page if
    // two versions of one file hash alike, which 64 bits make negligible.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), bytes.len())
}

/// What the browser is told after a rebuild.
#[derive(Clone, Debug)]
enum LiveEvent {
    Reload,
    Css,
    /// JSON: `{"diagnostics": [...], "text": "..."}`.
    Error(String),
    Ok,
}

impl LiveEvent {
    fn to_sse(&self) -> Event {
        match self {
            LiveEvent::Reload => Event::default().event("reload").data("{}"),
            LiveEvent::Css => Event::default().event("css").data("{}"),
            LiveEvent::Error(payload) => Event::default().event("error").data(payload),
            LiveEvent::Ok => Event::default().event("ok").data("{}"),
        }
    }
}

/// State shared by the HTTP handlers and the rebuild thread.
struct Shared {
    current: RwLock<Arc<Snapshot>>,
    /// The payload of the last failed build while it is unfixed, sent to new subscribers too.
    error: RwLock<Option<String>>,
    events: broadcast::Sender<LiveEvent>,
    /// Path prefix the site is built for (`/` unless `--base-url` says otherwise).
    base_path: String,
    stop: watch::Receiver<bool>,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set_snapshot(&self, snap: Snapshot) {
        let snap = Arc::new(snap);
        match self.current.write() {
            Ok(mut s) => *s = snap,
            Err(poisoned) => *poisoned.into_inner() = snap,
        }
    }

    fn set_error(&self, payload: Option<String>) -> Option<String> {
        match self.error.write() {
            Ok(mut e) => std::mem::replace(&mut *e, payload),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), payload),
        }
    }

    fn current_error(&self) -> Option<String> {
        self.error.read().ok().and_then(|e| e.clone())
    }
}

/// The `error` event's payload: the diagnostics as `check --format json` prints them and the
/// same text the terminal shows.
fn error_payload(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    let list: serde_json::Value = serde_json::from_str(&diagnostics::to_json(&errors, sources))
        .unwrap_or(serde_json::Value::Array(Vec::new()));
    let text = diagnostics::render(&errors, sources, false);
    serde_json::json!({ "diagnostics": list, "text": text }).to_string()
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Serves what a rebuild publishes: a whole site replaces the snapshot, a patch is written over
/// it. Pages are announced to the browsers (a reload, or a stylesheet swap when only
/// stylesheets changed); the exports that follow them are swapped in silently.
fn serve_published(shared: &Shared, step: Publish, written: &mut Written) {
    // A good build after a failed one: `ok` removes the overlay before the reload.
    if step.pages && shared.set_error(None).is_some() {
        let _ = shared.events.send(LiveEvent::Ok);
    }
    if step.whole {
        shared.set_snapshot(Snapshot::new(step.files));
        written.changed = step.files.len();
        let _ = shared.events.send(LiveEvent::Reload);
        return;
    }
    let (snap, changed) = shared
        .snapshot()
        .patched(step.files, step.removed, step.pages);
    if step.pages {
        written.changed += changed.len();
    } else {
        written.exports += changed.len();
    }
    if !changed.is_empty() {
        shared.set_snapshot(snap);
    }
    if step.pages {
        let css_only = !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css"));
        let _ = shared.events.send(if css_only {
            LiveEvent::Css
        } else {
            LiveEvent::Reload
        });
    }
}

/// What a rebuild changed in the served site: files whose bytes changed (pages, static files,
/// or a whole site), and export files written after them (not compared: tens of megabytes).
#[derive(Default)]
struct Written {
    changed: usize,
    exports: usize,
}

/// One rebuild of the preview: serves what it publishes and tells the browsers; on errors,
/// shows them (terminal and overlay) and keeps serving the last good build.
fn rebuild(live: &mut LiveSite, paths: &[PathBuf], shared: &Shared, console: Console) {
    let mut written = Written::default();
    let outcome = live.update(paths, &mut |step| {
        serve_published(shared, step, &mut written)
    });
    report_rebuild(live, &outcome, shared, console, &written);
}

fn report_rebuild(
    live: &LiveSite,
    outcome: &Outcome,
    shared: &Shared,
    console: Console,
    written: &Written,
) {
    console.diagnostics(&outcome.diagnostics, live.sources());
    if outcome.has_errors() {
        let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "error: {} found; still serving the last good build",
            count(errors, "error")
        );
        let payload = error_payload(&outcome.diagnostics, live.sources());
        shared.set_error(Some(payload.clone()));
        let _ = shared.events.send(LiveEvent::Error(payload));
        return;
    }
    if shared.set_error(None).is_some() {
        // Fixed by changing back to the last good text: nothing was published, and the
        // served build is right again.
        let _ = shared.events.send(LiveEvent::Ok);
        let _ = shared.events.send(LiveEvent::Reload);
    }
    let how = match outcome.method {
        incremental::Method::Whole => "whole site".to_string(),
        incremental::Method::Records => format!("{} affected", count(outcome.pages, "page")),
        incremental::Method::AllPages => format!("all {} pages from the kept site", outcome.pages),
        incremental::Method::Templates => {
            format!(
                "{} using the edited templates",
                count(outcome.pages, "page")
            )
        }
        incremental::Method::Static => "static files".to_string(),
        incremental::Method::Unchanged => {
            console.info("No change to the site");
            return;
        }
    };
    if console.verbose && !outcome.timings.is_empty() {
        let parts: Vec<String> = outcome
            .timings
            .iter()
            .map(|(step, d)| format!("{step} {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("Steps: {}", parts.join(" · "));
    }
    let exports = match written.exports {
        0 => String::new(),
        n => format!(", {} rewritten", count(n, "export file")),
    };
    console.info(&format!(
        "Rebuilt in {} ms ({how}; reload sent after {} ms): {} changed{exports}",
        outcome.elapsed.as_millis(),
        outcome.pages_elapsed.as_millis(),
        count(written.changed, "file"),
    ));
}

// ---------------------------------------------------------------------------------------------
// Watching

enum Msg {
    Changed(Vec<PathBuf>),
    Stop,
}

/// Whether a file-system event can change the site. Opening and reading files (which every
/// build does) must not trigger another build.
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether `path` (absolute, under `root`) is a source of the site rather than an editor's
/// swap file or the build's output.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let Some(first) = rel.components().next() else {
        return false;
    };
    if !WATCHED.iter().any(|w| first.as_os_str() == *w) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let editor_temp = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    !editor_temp
}

/// Watches the site's source folders and sends debounced changes to `tx`.
struct SiteWatcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// Each watched folder and the identity (device, inode) of the folder watched there: a
    /// folder deleted and made again under the same name is another folder, which the old
    /// watch does not see.
    watched: BTreeMap<PathBuf, (u64, u64)>,
}

impl SiteWatcher {
    fn start(root: &Path, tx: mpsc::Sender<Msg>) -> notify::Result<Self> {
        let root = std::fs::canonicalize(root)?;
        let filter_root = root.clone();
        let debouncer = new_debouncer(DEBOUNCE, None, move |res: DebounceEventResult| match res {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| counts(&e.kind))
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| relevant(&filter_root, p))
                    .cloned()
                    .collect();
                paths.sort();
                paths.dedup();
                if !paths.is_empty() {
                    let _ = tx.send(Msg::Changed(paths));
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
            }
        })?;
        let mut w = SiteWatcher {
            root,
            debouncer,
            watched: BTreeMap::new(),
        };
        // The root itself, not recursively: to notice a `templates/` or `static/` folder
        // appearing (the build output beside them is filtered out by `relevant`).
        let root = w.root.clone();
        w.debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        w.watch_folders()?;
        Ok(w)
    }

    /// Watches every source folder that exists and is not watched yet, and watches again a
    /// folder that was deleted and made again.
    fn watch_folders(&mut self) -> notify::Result<()> {
        for dir in WATCHED {
            let p = self.root.join(dir);
            let identity = folder_identity(&p);
            let before = self.watched.get(&p).copied();
            if identity == before {
                continue;
            }
            if before.is_some() {
                // The old watch went with the old folder; unwatching it may fail, harmlessly.
                let _ = self.debouncer.unwatch(&p);
                self.watched.remove(&p);
            }
            if let Some(id) = identity {
                self.debouncer.watch(&p, RecursiveMode::Recursive)?;
                self.watched.insert(p, id);
            }
        }
        Ok(())
    }

    fn describe(&self, paths: &[PathBuf]) -> String {
        let mut shown: Vec<String> = paths
            .iter()
            .take(3)
            .map(|p| {
                p.strip_prefix(&self.root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        if paths.len() > 3 {
            shown.push(format!("and {} more", paths.len() - 3));
        }
        shown.join(", ")
    }
}

/// A folder's (device, inode), or `None` when there is no folder at `path`.
fn folder_identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        // No inode to tell a new folder from the old: its creation time does.
        let made = meta
            .created()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Some((0, made))
    }
}

/// Runs `on_change` after every batch of changes until `Msg::Stop` arrives. Changes that arrive
/// while a build runs are folded into the next build.
fn watch_loop(
    mut watcher: SiteWatcher,
    rx: &mpsc::Receiver<Msg>,
    console: Console,
    mut on_change: impl FnMut(&[PathBuf]),
) {
    while let Ok(msg) = rx.recv() {
        let Msg::Changed(mut paths) = msg else { break };
        let mut stopping = false;
        while let Ok(more) = rx.try_recv() {
            match more {
                Msg::Changed(p) => paths.extend(p),
                Msg::Stop => stopping = true,
            }
        }
        if stopping {
            break;
        }
        paths.sort();
        paths.dedup();
        if let Err(e) = watcher.watch_folders() {
            eprintln!("warning: cannot watch a new folder: {e}");
        }
        console.info(&format!("Changed: {}", watcher.describe(&paths)));
        on_change(&paths);
    }
}

/// Sends `Msg::Stop` on Ctrl-C (and SIGTERM on Unix).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Watches the site for `pactgen build --watch`: runs `rebuild` with the changed paths after
/// every batch of changes until Ctrl-C.
pub fn watch_build(root: &Path, console: Console, rebuild: impl FnMut(&[PathBuf])) -> i32 {
    let (tx, rx) = mpsc::channel();
    let watcher = match SiteWatcher::start(root, tx.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}",
                diagnostics::terminal_safe(&root.display().to_string())
            );
            return 1;
        }
    };
    std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            rt.block_on(shutdown_signal());
            let _ = tx.send(Msg::Stop);
        }
    });
    console.info(&format!(
        "Watching {} for changes; press Ctrl-C to stop",
        root.display()
    ));
    watch_loop(watcher, &rx, console, rebuild);
    console.info("Stopped watching");
    0
}

// ---------------------------------------------------------------------------------------------
// Serving

/// `pactgen serve`. Returns the exit code.
pub fn serve(mut opts: ServeOptions, console: Console) -> i32 {
    // The preview is served from the root unless a base URL is asked for.
    let base = opts
        .build
        .base_url
        .get_or_insert_with(|| "/".into())
        .clone();
    let base_path = RenderSettings::from_base_url(&base, false).base_path;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return 1;
        }
    };

    // Bind first: a port that is taken fails fast, before a build.
    let listener = match runtime.block_on(bind(opts.bind, opts.port, console)) {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("error: {msg}");
            return 1;
        }
    };

    let mut live = LiveSite::new(opts.build.clone());
    let mut first: Option<Snapshot> = None;
    let outcome = live.build_whole(&mut |step| first = Some(Snapshot::new(step.files)));
    console.diagnostics(&outcome.diagnostics, live.sources());
    let (events, _) = broadcast::channel(64);
    let (stop_tx, stop_rx) = watch::channel(false);
    let initial_error = if outcome.has_errors() {
        let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "error: {} found; serving nothing until they are fixed",
            count(errors, "error")
        );
        Some(error_payload(&outcome.diagnostics, live.sources()))
    } else {
        console.info(&format!(
            "Built {}, {}, {} in {} ms",
            count(outcome.records, "record"),
            count(outcome.pages, "page"),
            count(outcome.files, "file"),
            outcome.elapsed.as_millis()
        ));
        None
    };
    let snap = first;
    let shared = Arc::new(Shared {
        current: RwLock::new(Arc::new(snap.unwrap_or_else(Snapshot::empty))),
        error: RwLock::new(initial_error),
        events,
        base_path: base_path.clone(),
        stop: stop_rx,
    });

    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: cannot read the server's address: {e}");
            return 1;
        }
    };
    let url = format!("http://{addr}{base_path}");
    let reach = if addr.ip().is_loopback() {
        "loopback only; use --bind 0.0.0.0 to share".to_string()
    } else if addr.ip().is_unspecified() {
        "reachable from other machines on every interface".to_string()
    } else {
        format!("reachable at {}", addr.ip())
    };
    // Always printed (even with --quiet): tests and scripts read the address from it.
    eprintln!(
        "Serving {} at {url} ({reach})",
        diagnostics::terminal_safe(&opts.build.root.display().to_string())
    );
    console.info("Watching for changes; press Ctrl-C to stop");
    if opts.open {
        open_browser(&url);
    }

    // Rebuilds run on their own thread; the server only ever swaps one pointer.
    let (tx, rx) = mpsc::channel();
    let watcher = match SiteWatcher::start(&opts.build.root, tx.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}",
                diagnostics::terminal_safe(&opts.build.root.display().to_string())
            );
            return 1;
        }
    };
    let rebuild_shared = Arc::clone(&shared);
    let rebuilder = std::thread::spawn(move || {
        watch_loop(watcher, &rx, console, |paths| {
            rebuild(&mut live, paths, &rebuild_shared, console);
        });
    });

    let app = router(Arc::clone(&shared));
    let result = runtime.block_on(async move {
        let mut stopped = shared.stop.clone();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        });
        tokio::select! {
            r = server => r,
            // Open connections get a moment to finish; then the server stops regardless.
            _ = async {
                let _ = stopped.wait_for(|s| *s).await;
                tokio::time::sleep(Duration::from_secs(2)).await;
            } => Ok(()),
        }
    });
    let _ = tx.send(Msg::Stop);
    let _ = rebuilder.join();
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => {
            console.info("Stopped");
            0
        }
        Err(e) => {
            eprintln!("error: server failed: {e}");
            1
        }
    }
}

/// Binds `ip:port`; without an explicit port, the default or the next free one.
async fn bind(
    ip: IpAddr,
    port: Option<u16>,
    console: Console,
) -> Result<tokio::net::TcpListener, String> {
    if let Some(p) = port {
        return tokio::net::TcpListener::bind(SocketAddr::new(ip, p))
            .await
            .map_err(|e| {
                format!(
                    "cannot listen on {}: {e} (try another --port, or --port 0 for any free one)",
                    SocketAddr::new(ip, p)
                )
            });
    }
    let mut last = None;
    for p in DEFAULT_PORT..DEFAULT_PORT + 20 {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => {
                if p != DEFAULT_PORT {
                    console.info(&format!(
                        "Port {DEFAULT_PORT} is in use; using port {p} instead"
                    ));
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => {
                return Err(format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)));
            }
        }
    }
    match tokio::net::TcpListener::bind(SocketAddr::new(ip, 0)).await {
        Ok(l) => {
            if let Ok(a) = l.local_addr() {
                console.info(&format!(
                    "Ports {DEFAULT_PORT}–{} are in use; using port {} instead",
                    DEFAULT_PORT + 19,
                    a.port()
                ));
            }
            Ok(l)
        }
        Err(e) => Err(format!(
            "cannot find a free port on {ip}: {e}{}",
            last.map(|l| format!(" (port {DEFAULT_PORT}: {l})"))
                .unwrap_or_default()
        )),
    }
}

/// Opens the preview in a browser if the platform has an opener; failures are ignored.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__pactgen/live.js", get(live_js))
        .route("/__pactgen/events", get(events))
        .fallback(site_file)
        .with_state(shared)
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let stop = shared.stop.clone();
    // First a comment (so clients know they are subscribed), then the current error if any.
    let mut first = vec![Event::default().comment("pactgen live reload")];
    if let Some(e) = shared.current_error() {
        first.push(LiveEvent::Error(e).to_sse());
    }
    first.reverse();
    let stream = futures_util::stream::unfold(
        (rx, stop, first),
        |(mut rx, mut stop, mut pending)| async move {
            if let Some(ev) = pending.pop() {
                return Some((Ok(ev), (rx, stop, pending)));
            }
            if *stop.borrow() {
                return None;
            }
            let next = tokio::select! {
                r = rx.recv() => match r {
                    Ok(ev) => Some(ev),
                    // Missed events: the page is out of date anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => Some(LiveEvent::Reload),
                    Err(broadcast::error::RecvError::Closed) => None,
                },
                _ = stop.wait_for(|s| *s) => None,
            };
            next.map(|ev| (Ok(ev.to_sse()), (rx, stop, pending)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Where a request path leads.
#[derive(Debug, PartialEq)]
enum Lookup {
    File(String),
    Redirect(String),
    NotFound,
}

/// Decodes `%XX` escapes once. `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A relative output path that cannot leave the site: no `..` or `.` segments, no empty
/// segments (`//`), no backslashes, NUL or absolute paths.
fn safe_relative(rel: &str) -> bool {
    if rel.starts_with('/') || rel.contains('\\') || rel.contains('\0') {
        return false;
    }
    let segments: Vec<&str> = rel.split('/').collect();
    let last = segments.len().saturating_sub(1);
    segments
        .iter()
        .enumerate()
        .all(|(i, s)| *s != ".." && *s != "." && (!s.is_empty() || i == last))
}

/// Maps a raw request path to a file of the snapshot.
fn lookup(base_path: &str, raw_path: &str, snap: &Snapshot) -> Lookup {
    let Some(path) = percent_decode(raw_path) else {
        return Lookup::NotFound;
    };
    if base_path != "/" && (path == "/" || path == base_path.trim_end_matches('/')) {
        return Lookup::Redirect(base_path.to_string());
    }
    let Some(rel) = path.strip_prefix(base_path) else {
        return Lookup::NotFound;
    };
    if !safe_relative(rel) {
        return Lookup::NotFound;
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if snap.contains(&file) {
        Lookup::File(file)
    } else if !rel.is_empty() && !rel.ends_with('/') && snap.contains(&format!("{rel}/index.html"))
    {
        Lookup::Redirect(format!("{base_path}{rel}/"))
    } else {
        Lookup::NotFound
    }
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    if path == "atom.xml" || path.ends_with("/atom.xml") {
        return "application/atom+xml"; // the feed pactgen writes
    }
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script before the last `</body>` (or at the end).
pub fn inject_script(html: &[u8]) -> Vec<u8> {
    let needle = b"</body>";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

fn with_headers(mut resp: Response, ctype: &str, etag: Option<&str>) -> Response {
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ctype) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Some(tag) = etag
        && let Ok(v) = HeaderValue::from_str(tag)
    {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// The response body: HTML with the live script added, anything else as built (shared with
/// the snapshot, not copied).
fn body_of(path: &str, bytes: &bytes::Bytes) -> Body {
    if path.ends_with(".html") {
        Body::from(inject_script(bytes))
    } else {
        Body::from(bytes.clone())
    }
}

async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut resp = (StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n").into_response();
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return resp;
    }
    let snap = shared.snapshot();
    match lookup(&shared.base_path, uri.path(), &snap) {
        Lookup::File(path) => {
            let Some(file) = snap.get(&path) else {
                return not_found(&shared, &snap);
            };
            let (bytes, etag) = (&file.bytes, file.etag());
            if if_none_match(&headers, etag) {
                let resp = StatusCode::NOT_MODIFIED.into_response();
                return with_headers(resp, content_type(&path), Some(etag));
            }
            let resp = Response::new(body_of(&path, bytes));
            with_headers(resp, content_type(&path), Some(etag))
        }
        Lookup::Redirect(to) => {
            let mut resp = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            with_headers(resp, "text/plain; charset=utf-8", None)
        }
        Lookup::NotFound => not_found(&shared, &snap),
    }
}

/// The site's own `404.html` with status 404 (or a bare page while no build succeeded, which
/// still loads the live script so the error overlay shows).
fn not_found(_shared: &Shared, snap: &Snapshot) -> Response {
    let body = match snap.get("404.html") {
        Some(file) => inject_script(&file.bytes),
        None => inject_script(
            b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>",
        ),
    };
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    with_headers(resp, "text/html; charset=utf-8", None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::Sink;

    fn snap() -> Snapshot {
        let sink = MemorySink::new();
        for p in [
            "index.html",
            "404.html",
            "commitments/200005/index.html",
            "style.css",
        ] {
            sink.put(p, p.as_bytes().to_vec()).expect("put");
        }
        Snapshot::new(&sink)
    }

    #[test]
    fn lookups_stay_inside_the_site() {
        let s = snap();
        assert_eq!(lookup("/", "/", &s), Lookup::File("index.html".into()));
        assert_eq!(
            lookup("/", "/commitments/200005/", &s),
            Lookup::File("commitments/200005/index.html".into())
        );
        assert_eq!(
            lookup("/", "/commitments/200005", &s),
            Lookup::Redirect("/commitments/200005/".into())
        );
        assert_eq!(
            lookup("/", "/style%2ecss", &s),
            Lookup::File("style.css".into())
        );
        for bad in [
            "/../index.html",
            "/commitments/../index.html",
            "/%2e%2e/index.html",
            "/%2E%2E%2Findex.html",
            "/%252e%252e/index.html",
            "/..%5cindex.html",
            "/..\\index.html",
            "//etc/passwd",
            "/etc/passwd",
            "/a%00b",
            "/%zz",
            "/./index.html",
            "/%ff",
        ] {
            assert_eq!(lookup("/", bad, &s), Lookup::NotFound, "{bad}");
        }
    }

    #[test]
    fn base_path_is_stripped() {
        let s = snap();
        assert_eq!(
            lookup("/pact/", "/pact/style.css", &s),
            Lookup::File("style.css".into())
        );
        assert_eq!(lookup("/pact/", "/", &s), Lookup::Redirect("/pact/".into()));
        assert_eq!(lookup("/pact/", "/style.css", &s), Lookup::NotFound);
    }

    #[test]
    fn script_goes_before_the_last_body_tag() {
        let out = inject_script(b"<html><body><p>x</p></body></html>");
        assert_eq!(
            String::from_utf8_lossy(&out),
            format!("<html><body><p>x</p>{SCRIPT_TAG}</body></html>")
        );
        let out = inject_script(b"<p>no body</p>");
        assert!(String::from_utf8_lossy(&out).ends_with(SCRIPT_TAG));
    }

    #[test]
    fn patches_find_changed_files_and_share_the_rest() {
        let a = snap();
        let delta = MemorySink::new();
        delta
            .put("index.html", b"index.html".to_vec())
            .expect("put");
        delta.put("style.css", b"body{}".to_vec()).expect("put");
        let (b, changed) = a.patched(&delta, &[], true);
        assert_eq!(
            changed.into_iter().collect::<Vec<_>>(),
            vec!["style.css".to_string()]
        );
        assert_eq!(b.files.len(), 4);
        // A file the step no longer has is removed from what is served.
        let (c, changed) = b.patched(&MemorySink::new(), &["404.html".to_string()], true);
        assert_eq!(changed.into_iter().collect::<Vec<_>>(), ["404.html"]);
        assert!(c.get("404.html").is_none() && b.get("404.html").is_some());
        assert_eq!(&*b.get("style.css").expect("patched").bytes, b"body{}");
        assert_eq!(&*a.get("style.css").expect("old").bytes, b"style.css");
        assert!(Arc::ptr_eq(
            a.get("404.html").expect("a"),
            b.get("404.html").expect("b")
        ));
    }

    #[test]
    fn etags_match_if_none_match() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", \"b\""),
        );
        assert!(if_none_match(&h, "\"b\""));
        assert!(!if_none_match(&h, "\"c\""));
    }

    #[test]
    fn editor_files_and_output_are_ignored() {
        let root = Path::new("/site");
        assert!(relevant(
            root,
            Path::new("/site/content/commitments/1.yaml")
        ));
        assert!(relevant(
            root,
            Path::new("/site/themes/default/static/style.css")
        ));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/.public.tmp-x/index.html")));
        assert!(!relevant(root, Path::new("/site/content/.1.yaml.swp")));
        assert!(!relevant(root, Path::new("/site/content/1.yaml~")));
    }
}
