//! The preview's HTTP side: the served snapshot, lookups that never leave the site, content
//! types, ETags, the live-reload script and its event stream.

use super::*;

/// One file as served: its bytes and, computed on its first request, its strong ETag.
pub(super) struct Served {
    pub(super) bytes: bytes::Bytes,
    pub(super) etag: OnceLock<String>,
}

impl Served {
    pub(super) fn new(bytes: bytes::Bytes) -> Arc<Self> {
        Arc::new(Served {
            bytes,
            etag: OnceLock::new(),
        })
    }

    pub(super) fn etag(&self) -> &str {
        self.etag.get_or_init(|| etag_of(&self.bytes))
    }
}

/// One successful build, served as a whole. A rebuild that changed a few files makes a new
/// snapshot sharing every other file with the old one.
#[derive(Clone, Default)]
pub(super) struct Snapshot {
    pub(super) files: HashMap<Arc<str>, Arc<Served>>,
}

impl Snapshot {
    pub(super) fn new(files: &MemorySink) -> Self {
        Snapshot {
            files: files
                .entries()
                .into_iter()
                .map(|(path, bytes)| (Arc::from(path), Served::new(bytes)))
                .collect(),
        }
    }

    pub(super) fn empty() -> Self {
        Snapshot::default()
    }

    pub(super) fn get(&self, path: &str) -> Option<&Arc<Served>> {
        self.files.get(path)
    }

    pub(super) fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// This snapshot with the files of `delta` written over it, and the paths written. With
    /// `compare`, files whose bytes did not change are skipped (and not counted); without it
    /// (exports, tens of megabytes the browser is not told about), all are written.
    pub(super) fn patched(
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

pub(super) fn etag_of(bytes: &[u8]) -> String {
    // SipHash with fixed keys: stable across runs, and collisions only cost a stale page if
    // two versions of one file hash alike, which 64 bits make negligible.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{:x}\"", h.finish(), bytes.len())
}

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__pactgen/live.js", get(live_js))
        .route("/__pactgen/events", get(events))
        .fallback(site_file)
        .with_state(shared)
}

pub(super) async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
        .into_response()
}

pub(super) async fn events(
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
pub(super) enum Lookup {
    File(String),
    Redirect(String),
    NotFound,
}

/// Decodes `%XX` escapes once. `None` for malformed escapes or non-UTF-8 results.
pub(super) fn percent_decode(s: &str) -> Option<String> {
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
pub(super) fn safe_relative(rel: &str) -> bool {
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
pub(super) fn lookup(base_path: &str, raw_path: &str, snap: &Snapshot) -> Lookup {
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
pub(crate) fn content_type(path: &str) -> &'static str {
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
pub(crate) fn inject_script(html: &[u8]) -> Vec<u8> {
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

pub(super) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

pub(super) fn with_headers(mut resp: Response, ctype: &str, etag: Option<&str>) -> Response {
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
pub(super) fn body_of(path: &str, bytes: &bytes::Bytes) -> Body {
    if path.ends_with(".html") {
        Body::from(inject_script(bytes))
    } else {
        Body::from(bytes.clone())
    }
}

pub(super) async fn site_file(
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
pub(super) fn not_found(_shared: &Shared, snap: &Snapshot) -> Response {
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
