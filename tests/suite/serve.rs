//! The preview server and `build --watch`, end to end: the real binary on a copy of a fixture,
//! spoken to over raw TCP (so traversal attempts reach the server exactly as written).

use crate::common::{TestSite, copy_dir};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);
const RECORD: &str = "content/commitments/100001.yaml";

/// A running `pactgen` child, killed when dropped (also when a test fails).
struct Proc {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    fn spawn(site: &TestSite, args: &[&str]) -> (Proc, Receiver<String>) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pactgen"))
            .args(args)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pactgen");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
                let _ = tx.send(line);
            }
        });
        (Proc { child, log }, rx)
    }

    fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

struct Server {
    proc: Proc,
    /// `127.0.0.1:PORT`
    addr: String,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        let root = site.root().to_string_lossy().into_owned();
        let (proc, lines) = Proc::spawn(site, &["serve", "--root", &root, "--port", "0"]);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `Serving` line; stderr:\n{}", proc.log()));
            if let Some(i) = line.find(" at http://") {
                let url = line[i + 4..].split_whitespace().next().unwrap_or("");
                assert!(
                    line.contains("(loopback only; use --bind 0.0.0.0 to share)"),
                    "{line}"
                );
                let addr = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string();
                return Server { proc, addr };
            }
        }
    }

    fn get(&self, target: &str) -> Resp {
        request(&self.addr, "GET", target, &[]).unwrap_or_else(|e| panic!("GET {target}: {e}"))
    }

    fn page(&self, target: &str) -> String {
        let r = self.get(target);
        assert_eq!(r.status, 200, "GET {target}");
        r.text()
    }

    fn events(&self) -> Events {
        Events::subscribe(&self.addr)
    }

    /// Waits for reloads until `target` shows `needle`, and returns that page. A save can
    /// reach the watcher in two steps (`fs::write` truncates, then writes; on a loaded
    /// machine the writer can be descheduled in between for longer than the debounce), and
    /// each step is a rebuild: the first reload may show the half-written file, the next
    /// one the whole.
    fn reload_showing(&self, events: &Events, target: &str, needle: &str) -> String {
        let mut page = String::new();
        events.wait_until("reload", |_| {
            page = self.page(target);
            page.contains(needle)
        });
        page
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads a status line and headers.
fn read_head(r: &mut impl BufRead) -> std::io::Result<(u16, Vec<(String, String)>)> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok((status, headers))
}

/// Reads one chunk of a chunked body; `None` at the end.
fn read_chunk(r: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
        .map_err(|_| std::io::Error::other(format!("bad chunk size {line:?}")))?;
    if size == 0 {
        return Ok(None);
    }
    let mut buf = vec![0; size + 2];
    r.read_exact(&mut buf)?;
    buf.truncate(size);
    Ok(Some(buf))
}

/// A minimal HTTP/1.1 request; the target is sent byte for byte as given.
fn request(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(WAIT))?;
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    let mut r = BufReader::new(stream);
    let (status, headers) = read_head(&mut r)?;
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let mut body = Vec::new();
    if method == "HEAD" || status == 304 {
    } else if chunked {
        while let Some(c) = read_chunk(&mut r)? {
            body.extend(c);
        }
    } else {
        r.read_to_end(&mut body)?;
    }
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// Server-sent events as (event name, data); comments arrive as ("comment", text).
struct Events {
    rx: Receiver<(String, String)>,
    _stream: TcpStream,
}

impl Events {
    fn subscribe(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect events");
        stream
            .write_all(
                format!("GET /__pactgen/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n")
                    .as_bytes(),
            )
            .expect("subscribe");
        let reader = stream.try_clone().expect("clone stream");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(reader);
            let Ok((status, headers)) = read_head(&mut r) else {
                return;
            };
            assert_eq!(status, 200);
            assert!(
                headers
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case("content-type")
                        && v.starts_with("text/event-stream"))
            );
            let mut pending = String::new();
            while let Ok(Some(chunk)) = read_chunk(&mut r) {
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let block: String = pending.drain(..end + 2).collect();
                    let (mut name, mut data) = ("message".to_string(), Vec::new());
                    for line in block.lines() {
                        if let Some(c) = line.strip_prefix(':') {
                            name = "comment".into();
                            data.push(c.trim().to_string());
                        } else if let Some(e) = line.strip_prefix("event:") {
                            name = e.trim().to_string();
                        } else if let Some(d) = line.strip_prefix("data:") {
                            data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
                        }
                    }
                    if tx.send((name, data.join("\n"))).is_err() {
                        return;
                    }
                }
            }
        });
        let events = Events {
            rx,
            _stream: stream,
        };
        // The first comment means the subscription is live.
        events.wait_for("comment", WAIT);
        events
    }

    /// Waits for an event by name; returns its data and the names of events skipped.
    fn wait_for_skipping(&self, name: &str, timeout: Duration) -> (String, Vec<String>) {
        let deadline = Instant::now() + timeout;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, d)) if n == name => return (d, skipped),
                Ok((n, _)) => skipped.push(n),
                Err(_) => panic!("no `{name}` event within {timeout:?}; saw {skipped:?}"),
            }
        }
    }

    fn wait_for(&self, name: &str, timeout: Duration) -> String {
        self.wait_for_skipping(name, timeout).0
    }

    /// Waits for events by name until `done` accepts one (given its data); returns that data.
    /// See [`Server::reload_showing`] for why an earlier one may not do.
    fn wait_until(&self, name: &str, mut done: impl FnMut(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no `{name}` event that does within {WAIT:?}; saw {seen:?}"
            );
            let data = self.wait_for(name, left);
            if done(&data) {
                return data;
            }
            seen.push(data);
        }
    }
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, text.replace(from, to));
}

#[test]
fn serve_reloads_on_edit_and_recovers_from_errors() {
    let site = TestSite::fixture("minimal");
    let server = Server::start(&site);
    let page = server.page("/commitments/100001/");
    assert!(page.contains("track displacement"), "{page}");
    assert!(
        page.contains(r#"<script src="/__pactgen/live.js" defer></script></body>"#),
        "the live script is injected before </body>"
    );
    let events = server.events();

    // An edit: a reload event, then the new text.
    edit(&site, RECORD, "track displacement", "count arrivals");
    server.reload_showing(&events, "/commitments/100001/", "count arrivals");

    // A bad edit: an error event with file and line; the last good build is still served.
    edit(
        &site,
        RECORD,
        "keywords: [Data, Displacement]",
        "keywords: [Data, Displacement",
    );
    let data = events.wait_for("error", WAIT);
    let payload: serde_json::Value = serde_json::from_str(&data).expect("error payload is JSON");
    let first = &payload["diagnostics"][0];
    assert_eq!(first["file"], RECORD, "{payload}");
    assert!(first["line"].as_u64().is_some(), "{payload}");
    assert!(first["column"].as_u64().is_some(), "{payload}");
    let text = payload["text"].as_str().expect("text");
    assert!(text.contains(&format!("┌─ {RECORD}:")), "{text}");
    let page = server.page("/commitments/100001/");
    assert!(page.contains("count arrivals"), "still the last good build");
    // The terminal shows the same diagnostic.
    let deadline = Instant::now() + WAIT;
    while !server
        .proc
        .log()
        .contains("still serving the last good build")
    {
        assert!(Instant::now() < deadline, "{}", server.proc.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.proc.log().contains(&format!("┌─ {RECORD}:")));

    // A new subscriber (a page loaded now) gets the error at once.
    let late = server.events();
    late.wait_for("error", WAIT);

    // The fix: `ok` removes the overlay, then a reload.
    edit(
        &site,
        RECORD,
        "keywords: [Data, Displacement",
        "keywords: [Data, Displacement]",
    );
    let (_, skipped) = events.wait_for_skipping("ok", WAIT);
    assert!(!skipped.contains(&"reload".to_string()), "{skipped:?}");
    events.wait_for("reload", WAIT);
    late.wait_for("ok", WAIT);

    // A broken reference is reported the same way.
    edit(&site, RECORD, "initiatives: [dtm]", "initiatives: [dtx]");
    let data = events.wait_until("error", |d| d.contains("unknown-reference"));
    assert!(data.contains("100001.yaml"), "{data}");
    edit(&site, RECORD, "initiatives: [dtx]", "initiatives: [dtm]");
    events.wait_for("ok", WAIT);
    events.wait_for("reload", WAIT);
    assert!(
        server
            .page("/commitments/100001/")
            .contains("count arrivals")
    );
}

#[test]
fn serve_refuses_paths_outside_the_site() {
    let site = TestSite::fixture("minimal");
    site.write("secret.txt", "root:x:0:0");
    let server = Server::start(&site);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/commitments/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e%252fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/etc/passwd",
        "//etc/passwd",
        "/secret.txt",
        "/content/site.yaml",
        "/index.html%00.txt",
        "/%00",
        "/%zz",
        "/./index.html",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.text().contains("root:"), "{target}");
    }
    // An absolute-form request target names no file of the site either.
    let r = server.get("http://127.0.0.1/etc/passwd");
    assert_eq!(r.status, 404);
}

#[test]
fn serve_sets_types_etags_and_not_found() {
    let site = TestSite::fixture("minimal");
    let server = Server::start(&site);
    for (target, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/commitments/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/commitments/100001/index.json", "application/json"),
        ("/data/commitments.csv", "text/csv; charset=utf-8"),
        ("/atom.xml", "application/atom+xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__pactgen/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some(ctype), "{target}");
        assert_eq!(r.header("cache-control"), Some("no-cache"), "{target}");
    }
    // Only HTML gets the script.
    assert!(!server.page("/style.css").contains("live.js"));
    assert!(
        !server
            .page("/commitments/100001/index.json")
            .contains("live.js")
    );
    // The client builds its overlay from text nodes only.
    let js = server.page("/__pactgen/live.js");
    assert!(js.contains("EventSource") && js.contains("textContent"));
    assert!(!js.contains(".innerHTML"));

    let r = server.get("/commitments/100001/");
    let etag = r.header("etag").expect("etag").to_string();
    let again = request(
        &server.addr,
        "GET",
        "/commitments/100001/",
        &[("If-None-Match", &etag)],
    )
    .expect("conditional GET");
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let stale = request(
        &server.addr,
        "GET",
        "/commitments/100001/",
        &[("If-None-Match", "\"nope\"")],
    )
    .expect("conditional GET");
    assert_eq!(stale.status, 200);

    let head = request(&server.addr, "HEAD", "/", &[]).expect("HEAD");
    assert_eq!(head.status, 200);
    let post = request(&server.addr, "POST", "/", &[("Content-Length", "0")]).expect("POST");
    assert_eq!(post.status, 405);

    let r = server.get("/commitments/100001");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/commitments/100001/"));

    let r = server.get("/no/such/page/");
    assert_eq!(r.status, 404);
    let body = r.text();
    assert!(
        body.contains("live.js"),
        "the 404 page is the site's, with the script"
    );
    let site_404 = server.page("/404.html");
    assert_eq!(body, site_404);
}

#[test]
fn serve_css_change_swaps_stylesheets_without_reload() {
    let site = TestSite::fixture("minimal");
    let server = Server::start(&site);
    let events = server.events();
    let css = "themes/default/static/style.css";
    let text = site.read(css);
    site.write(css, format!("{text}\n.pactgen-test {{ color: red; }}\n"));
    let (_, skipped) = events.wait_for_skipping("css", WAIT);
    assert!(!skipped.contains(&"reload".to_string()), "{skipped:?}");
    assert!(server.page("/style.css").contains(".pactgen-test"));
    // A template change reloads.
    edit(
        &site,
        "themes/default/templates/404.html",
        "<h1>Page not found</h1>",
        "<h1>Nothing here</h1>",
    );
    server.reload_showing(&events, "/404.html", "Nothing here");
}

#[test]
fn serve_answers_every_request_during_rebuilds() {
    let site = TestSite::fixture("minimal");
    let server = Server::start(&site);
    let events = server.events();
    let addr = server.addr.clone();
    let workers: Vec<_> = (0..8)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let targets = [
                    "/",
                    "/commitments/100001/",
                    "/commitments/",
                    "/style.css",
                    "/data/commitments.csv",
                ];
                let mut failures = Vec::new();
                for i in 0..50 {
                    let target = targets[(t + i) % targets.len()];
                    match request(&addr, "GET", target, &[]) {
                        Ok(r) if r.status == 200 && !r.body.is_empty() => {}
                        Ok(r) => failures.push(format!("{target}: {}", r.status)),
                        Err(e) => failures.push(format!("{target}: {e}")),
                    }
                }
                failures
            })
        })
        .collect();
    // Rebuilds while the requests run (at least three, and until every request is done).
    let mut rebuilds = 0;
    while rebuilds < 3 || workers.iter().any(|w| !w.is_finished()) {
        let text = site.read(RECORD);
        site.write(RECORD, format!("{text}# edit {rebuilds}\n"));
        events.wait_for("reload", WAIT);
        rebuilds += 1;
        assert!(rebuilds < 200, "requests never finished");
    }
    let failures: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
}

/// Resident memory of a process, in kB (Linux `/proc`).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// `n` GET requests over one keep-alive connection; returns the failures.
fn keep_alive_requests(
    addr: &str,
    targets: &[(&str, u16)],
    n: usize,
    offset: usize,
) -> Vec<String> {
    let mut failures = Vec::new();
    let Ok(stream) = TcpStream::connect(addr) else {
        return vec![format!("connect {addr}")];
    };
    let _ = stream.set_read_timeout(Some(WAIT));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(e) => return vec![format!("clone: {e}")],
    };
    let mut reader = BufReader::new(stream);
    for i in 0..n {
        let (target, want) = targets[(offset + i) % targets.len()];
        let req = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        if let Err(e) = writer.write_all(req.as_bytes()) {
            failures.push(format!("{target}: write: {e}"));
            return failures;
        }
        let (status, headers) = match read_head(&mut reader) {
            Ok(h) => h,
            Err(e) => {
                failures.push(format!("{target}: read: {e}"));
                return failures;
            }
        };
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if let Err(e) = reader.read_exact(&mut body) {
            failures.push(format!("{target}: body: {e}"));
            return failures;
        }
        if status != want || body.is_empty() {
            failures.push(format!("{target}: {status}, {} bytes", body.len()));
        }
    }
    failures
}

/// A bounded flood on loopback (20,000 requests, 50 connections at once, a tenth for a page
/// that does not exist) while a record is rewritten again and again: every request answered
/// as it should be, and the server's memory flat.
#[test]
fn serve_survives_a_flood_while_records_change() {
    const CONNECTIONS: usize = 50;
    const PER_CONNECTION: usize = 400;
    let site = TestSite::bundled();
    let server = Server::start(&site);
    let events = server.events();
    let pid = server.proc.child.id();
    let targets: &[(&str, u16)] = &[
        ("/", 200),
        ("/commitments/200005/", 200),
        ("/transformations/3a/", 200),
        ("/commitments/", 200),
        ("/style.css", 200),
        ("/data/commitments.json", 200),
        ("/search/meta.js", 200),
        ("/keywords/", 200),
        ("/glossary/migration-initiatives-2019/", 200),
        ("/no/such/page/", 404),
    ];
    // Warm up (the first requests fill caches and thread stacks), then measure.
    let warm = keep_alive_requests(&server.addr, targets, 500, 0);
    assert!(warm.is_empty(), "{warm:?}");
    let before = rss_kb(pid).expect("server memory");
    let record = "content/commitments/200005.yaml";
    let original = site.read(record);
    let mut edits = 0;
    let mut rss = vec![before];
    // Two rounds: the second must not grow what the first reached.
    for round in 0..2 {
        let started = Instant::now();
        let workers: Vec<_> = (0..CONNECTIONS)
            .map(|t| {
                let addr = server.addr.clone();
                std::thread::spawn(move || {
                    keep_alive_requests(&addr, targets, PER_CONNECTION, t + round)
                })
            })
            .collect();
        let edits_before = edits;
        while workers.iter().any(|w| !w.is_finished()) || edits == edits_before {
            let edited = original.replacen(
                "international community.",
                &format!("international community ({edits})."),
                1,
            );
            site.write(record, edited);
            events.wait_for("reload", WAIT);
            edits += 1;
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the flood never ended"
            );
        }
        let failures: Vec<String> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect();
        let after = rss_kb(pid).expect("server memory");
        rss.push(after);
        println!(
            "flood round {}: {} requests in {:.2} s, {} rebuilds during it, {} failed; server RSS {} MB",
            round + 1,
            CONNECTIONS * PER_CONNECTION,
            started.elapsed().as_secs_f64(),
            edits - edits_before,
            failures.len(),
            after / 1024
        );
        assert!(
            failures.is_empty(),
            "{} failures: {:?}",
            failures.len(),
            &failures[..failures.len().min(10)]
        );
    }
    // Flat: what the first round reached (buffers, the allocator's pools), the second keeps.
    assert!(
        rss[2] < rss[1] + 32 * 1024 && rss[1] < rss[0] * 2 + 64 * 1024,
        "server memory grew: {rss:?} kB"
    );
}

#[test]
fn build_watch_rebuilds_the_output_folder() {
    let site = TestSite::fixture("minimal");
    let (proc, _lines) = Proc::spawn(&site, &["build", "--watch"]);
    let page = site.path("public/commitments/100001/index.html");
    let wait_until = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if std::fs::read_to_string(&page).is_ok_and(|p| p.contains(what)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "public/ never showed {what:?}; stderr:\n{}",
                proc.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_until("track displacement");
    // Wait for the watcher to be ready before editing.
    let deadline = Instant::now() + WAIT;
    while !proc.log().contains("Watching") {
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    edit(&site, RECORD, "track displacement", "count arrivals");
    wait_until("count arrivals");
    // A bad edit leaves the output as it was.
    edit(&site, RECORD, "initiatives: [dtm]", "initiatives: [dtx]");
    let deadline = Instant::now() + WAIT;
    while !proc.log().contains("left unchanged") {
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        site.read("public/commitments/100001/index.html")
            .contains("count arrivals")
    );
    // The page is written by the build, never by the preview: no live script.
    assert!(!site.read("public/index.html").contains("live.js"));

    // Fixed, then a record added and removed: its page appears, then disappears from the
    // output (whole builds swapped in, not patches over the old folder).
    edit(&site, RECORD, "initiatives: [dtx]", "initiatives: [dtm]");
    let added = "content/commitments/100009.yaml";
    site.write(added, site.read(RECORD).replace("id: 100001", "id: 100009"));
    let new_page = site.path("public/commitments/100009/index.html");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !new_page.exists() {
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    site.remove(added);
    let deadline = Instant::now() + Duration::from_secs(60);
    while new_page.exists() {
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        site.read("public/commitments/100001/index.html")
            .contains("count arrivals")
    );
    // A rebuild still running (the removal can arrive as more than one event) has its staging
    // folder; once the watcher is idle none may be left.
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(site.root())
            .expect("site folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public") && n != ".public.lock")
            .collect()
    };
    let deadline = Instant::now() + WAIT;
    while !leftovers().is_empty() {
        assert!(
            Instant::now() < deadline,
            "{:?}\n{}",
            leftovers(),
            proc.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Edit-to-reload latency on the bundled site (`cargo test --release --test suite -- --ignored
/// --nocapture`), or on the site folder named by `PACTGEN_LATENCY_SITE` (such as the
/// benchmark corpus, editing `content/commitments/200001.md`); the figures go into
/// docs/benchmarks.md.
#[test]
#[ignore]
fn live_preview_latency_on_bundled_site() {
    let (site, record) = match std::env::var_os("PACTGEN_LATENCY_SITE") {
        Some(dir) => (
            TestSite::copy_of(std::path::Path::new(&dir)),
            "content/commitments/200001.md",
        ),
        None => (TestSite::bundled(), "content/commitments/200005.yaml"),
    };
    let server = Server::start(&site);
    let events = server.events();
    let original = site.read(record);
    let mut times = Vec::new();
    for i in 0..10 {
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        // A real text edit that keeps the title (the first words): the common case.
        let edited = if record.ends_with(".md") {
            format!("{original}\nEdited {i} times.\n")
        } else {
            original.replacen(
                "international community.",
                &format!("international community {i}."),
                1,
            )
        };
        assert_ne!(edited, original);
        site.write(record, edited);
        events.wait_for("reload", WAIT);
        times.push(start.elapsed());
    }
    times.sort();
    let ms: Vec<u128> = times.iter().map(Duration::as_millis).collect();
    let median = (times[4] + times[5]) / 2;
    println!(
        "edit-to-reload: median {} ms, min {} ms, max {} ms, all {ms:?}",
        median.as_millis(),
        ms[0],
        ms[9]
    );
    let rebuilds: Vec<String> = server
        .proc
        .log()
        .lines()
        .filter_map(|l| l.strip_prefix("Rebuilt in "))
        .map(str::to_string)
        .collect();
    println!("server-side rebuild times (ms): {rebuilds:?}");
}

/// Inputs that once crashed the preview (a stack overflow while minifying deep nesting) are
/// reported as errors while the last good build stays up.
#[test]
fn serve_survives_markdown_bombs() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/site.yaml",
        site.read("content/site.yaml") + "minify: true\n",
    );
    let server = Server::start(&site);
    let events = server.events();
    let bombs = [
        ">".repeat(1100),
        (0..1000)
            .map(|i| format!("{}- x", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n"),
        format!("{}x{}", "*".repeat(5000), "*".repeat(5000)),
        "# h\n\n".repeat(1001),
    ];
    for (n, body) in bombs.iter().enumerate() {
        site.write(
            "content/pages/about.md",
            format!("---\nid: about\ntitle: About\n---\n{body} {n}\n"),
        );
        events.wait_until("error", |d| {
            d.contains("too-deep") || d.contains("too-many-headings")
        });
        assert_eq!(server.get("/").status, 200, "bomb {n}");
        assert!(server.page("/about/").contains("About"), "bomb {n}");
    }
    site.write(
        "content/pages/about.md",
        "---\nid: about\ntitle: About\n---\nBack to normal.\n",
    );
    server.reload_showing(&events, "/about/", "Back to normal.");
}

/// `content/` deleted and made again (a `git checkout`, an archive unpacked over the site):
/// the watcher watches the new folder, so later edits still rebuild.
#[test]
fn watch_sees_edits_after_content_is_recreated() {
    let site = TestSite::fixture("minimal");
    let server = Server::start(&site);
    let events = server.events();
    let saved = site.path("saved-content");
    std::fs::rename(site.path("content"), &saved).unwrap();
    events.wait_for("error", WAIT);
    copy_dir(&saved, &site.path("content"));
    server.reload_showing(&events, "/commitments/100001/", "track displacement");
    edit(&site, RECORD, "track displacement", "count arrivals");
    server.reload_showing(&events, "/commitments/100001/", "count arrivals");
}

/// A storm of edits (an editor's autosave, a script rewriting records): `build --watch` ends
/// byte-identical to a clean build of the final sources.
#[test]
fn build_watch_after_an_edit_storm_equals_a_clean_build() {
    let site = TestSite::fixture("minimal");
    let (proc, _lines) = Proc::spawn(&site, &["build", "--watch"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !proc.log().contains("Watching") {
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let original = site.read(RECORD);
    for i in 0..300 {
        let text = original.replace("track displacement", &format!("track displacement {i}"));
        site.write(RECORD, text);
        if i % 7 == 0 {
            site.write(
                "content/pages/extra.md",
                format!("---\nid: extra\ntitle: Extra {i}\n---\nBody {i}.\n"),
            );
        }
        if i % 11 == 0 {
            let _ = std::fs::remove_file(site.path("content/pages/extra.md"));
        }
    }
    let final_page = "track displacement 299";
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let settled = std::fs::read_to_string(site.path("public/commitments/100001/index.html"))
            .is_ok_and(|p| p.contains(final_page));
        if settled {
            // Let any rebuild still queued finish.
            std::thread::sleep(Duration::from_millis(1500));
            let before = proc.log().len();
            std::thread::sleep(Duration::from_millis(1000));
            if proc.log().len() == before {
                break;
            }
        }
        assert!(Instant::now() < deadline, "{}", proc.log());
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(proc);
    let clean = site.run(&["build", "-o", "clean"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let watched = crate::common::snapshot_tree(&site.path("public"));
    let built = crate::common::snapshot_tree(&site.path("clean"));
    assert_eq!(
        watched.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &built {
        assert!(watched.get(path) == Some(bytes), "{path} differs");
    }
}
