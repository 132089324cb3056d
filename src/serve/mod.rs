//! `pactgen serve` (a live preview) and `pactgen build --watch`.
//!
//! The preview builds the whole site into a [`MemorySink`] with [`build::build_into`] — the same
//! pipeline as `build` and `check` — and serves that snapshot. A watcher (notify, debounced)
//! rebuilds on every change to `content/`, `themes/`, `templates/` or `static/` into a fresh
//! sink; only a build without errors replaces the served snapshot (one pointer swap, so no
//! request ever sees half a site). Browsers learn about rebuilds over server-sent events at
//! `/__pactgen/events`, through a small script at `/__pactgen/live.js` that is added to HTML
//! responses as they are served (templates and the built site are unchanged).

mod http;
mod watcher;

use http::*;
pub(crate) use watcher::watch_build;
use watcher::*;

use crate::build::BuildOptions;
pub(crate) use crate::console::Console;
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
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock, mpsc};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The live-reload client, served as a file so pages can run under `default-src 'self'`.
pub(crate) const LIVE_JS: &str = include_str!("live.js");
/// Added before `</body>` of every HTML response.
pub(crate) const SCRIPT_TAG: &str = r#"<script src="/__pactgen/live.js" defer></script>"#;
/// Port tried first when none is given.
pub(crate) const DEFAULT_PORT: u16 = 1111;

pub(crate) struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// `None`: try [`DEFAULT_PORT`], then the next ports, then any free one.
    pub port: Option<u16>,
    pub open: bool,
}

// ---------------------------------------------------------------------------------------------
// Snapshots and events

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

use crate::text::count;

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
        console.always(&format!(
            "error: {} found; still serving the last good build",
            count(errors, "error")
        ));
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
        console.note(&format!("Steps: {}", parts.join(" · ")));
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

// ---------------------------------------------------------------------------------------------
// Serving

/// `pactgen serve`. Returns the exit code.
pub(crate) fn serve(mut opts: ServeOptions, console: Console) -> i32 {
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
            console.problem(Diagnostic::error(
                "serve-failed",
                format!("cannot start the server runtime: {e}"),
            ));
            return 1;
        }
    };

    // Bind first: a port that is taken fails fast, before a build.
    let listener = match runtime.block_on(bind(opts.bind, opts.port, console)) {
        Ok(l) => l,
        Err(d) => {
            console.problem(d);
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
        console.always(&format!(
            "error: {} found; serving nothing until {} fixed",
            count(errors, "error"),
            if errors == 1 { "it is" } else { "they are" }
        ));
        Some(error_payload(&outcome.diagnostics, live.sources()))
    } else {
        let drafts = match outcome.drafts {
            0 => String::new(),
            n => format!(" ({} among them, shown with a banner)", count(n, "draft")),
        };
        console.info(&format!(
            "Built {}{drafts}, {}, {} in {} ms",
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
            console.problem(Diagnostic::error(
                "serve-failed",
                format!("cannot read the server's address: {e}"),
            ));
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
    console.always(&format!(
        "Serving {} at {url} ({reach})",
        opts.build.root.display()
    ));
    console.info("Watching for changes; press Ctrl-C to stop");
    if opts.open {
        open_browser(&url);
    }

    // Rebuilds run on their own thread; the server only ever swaps one pointer.
    let (tx, rx) = mpsc::channel();
    let watcher = match SiteWatcher::start(&opts.build.root, tx.clone(), console) {
        Ok(w) => w,
        Err(e) => {
            console.problem(watch_failed(&opts.build.root, e));
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
            console.problem(Diagnostic::error(
                "serve-failed",
                format!("the server failed: {e}"),
            ));
            1
        }
    }
}

/// Binds `ip:port`; without an explicit port, the default or the next free one.
async fn bind(
    ip: IpAddr,
    port: Option<u16>,
    console: Console,
) -> Result<tokio::net::TcpListener, Diagnostic> {
    if let Some(p) = port {
        return tokio::net::TcpListener::bind(SocketAddr::new(ip, p))
            .await
            .map_err(|e| {
                Diagnostic::error(
                    "serve-failed",
                    format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)),
                )
                .hint("try another --port, or --port 0 for any free one")
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
                return Err(Diagnostic::error(
                    "serve-failed",
                    format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)),
                ));
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
        Err(e) => Err(Diagnostic::error(
            "serve-failed",
            format!(
                "cannot find a free port on {ip}: {e}{}",
                last.map(|l| format!(" (port {DEFAULT_PORT}: {l})"))
                    .unwrap_or_default()
            ),
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
