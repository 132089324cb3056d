//! Watching the site's source folders: debounced changes, folders deleted and made again,
//! Ctrl-C; shared by `serve` and `build --watch`.

use super::*;

/// Folders of the site (relative to its root) whose changes trigger a rebuild. `site.yaml`
/// lives in `content/`.
pub(super) const WATCHED: [&str; 4] = ["content", "themes", "templates", "static"];

/// Editors save in one write or a write and a rename, microseconds apart: 10 ms joins them and
/// keeps the edit-to-reload time low.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(10);

/// The longest a batch of changes waits for a quiet moment.
const MAX_BATCH: Duration = Duration::from_millis(500);

pub(super) enum Msg {
    Changed(Vec<PathBuf>),
    Stop,
}

/// Whether a file-system event can change the site. Opening and reading files (which every
/// build does) must not trigger another build.
pub(super) fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether `path` (absolute, under `root`) is a source of the site rather than an editor's
/// swap file or the build's output.
pub(super) fn relevant(root: &Path, path: &Path) -> bool {
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

/// Watches the site's source folders and sends their changes to `tx` (`watch_loop` debounces).
pub(super) struct SiteWatcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    /// Each watched folder and the identity (device, inode) of the folder watched there: a
    /// folder deleted and made again under the same name is another folder, which the old
    /// watch does not see.
    watched: BTreeMap<PathBuf, (u64, u64)>,
}

impl SiteWatcher {
    pub(super) fn start(
        root: &Path,
        tx: mpsc::Sender<Msg>,
        console: Console,
    ) -> notify::Result<Self> {
        let root = std::fs::canonicalize(root)?;
        let filter_root = root.clone();
        // Raw events, debounced in `watch_loop`: a debouncer that merges a file's creation and
        // removal into nothing loses the removal of a file a build read in between.
        let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            match res {
                Ok(event) => {
                    let mut paths: Vec<PathBuf> = if counts(&event.kind) {
                        event
                            .paths
                            .iter()
                            .filter(|p| relevant(&filter_root, p))
                            .cloned()
                            .collect()
                    } else {
                        Vec::new()
                    };
                    // The kernel's queue overflowed: changes were lost, so rebuild all.
                    if event.need_rescan() {
                        paths.push(filter_root.join("content"));
                    }
                    if !paths.is_empty() {
                        let _ = tx.send(Msg::Changed(paths));
                    }
                }
                Err(e) => console.problem(Diagnostic::warning(
                    "watch-failed",
                    format!("the file watcher: {e}"),
                )),
            }
        })?;
        let mut w = SiteWatcher {
            root,
            watcher,
            watched: BTreeMap::new(),
        };
        // The root itself, not recursively: to notice a `templates/` or `static/` folder
        // appearing (the build output beside them is filtered out by `relevant`).
        let root = w.root.clone();
        w.watcher.watch(&root, RecursiveMode::NonRecursive)?;
        w.watch_folders()?;
        Ok(w)
    }

    /// Watches every source folder that exists and is not watched yet, and watches again a
    /// folder that was deleted and made again.
    pub(super) fn watch_folders(&mut self) -> notify::Result<()> {
        for dir in WATCHED {
            let p = self.root.join(dir);
            let identity = folder_identity(&p);
            let before = self.watched.get(&p).copied();
            if identity == before {
                continue;
            }
            if before.is_some() {
                // The old watch went with the old folder; unwatching it may fail, harmlessly.
                let _ = self.watcher.unwatch(&p);
                self.watched.remove(&p);
            }
            if let Some(id) = identity {
                self.watcher.watch(&p, RecursiveMode::Recursive)?;
                self.watched.insert(p, id);
            }
        }
        Ok(())
    }

    pub(super) fn describe(&self, paths: &[PathBuf]) -> String {
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
pub(super) fn folder_identity(path: &Path) -> Option<(u64, u64)> {
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

/// The batch that starts with `paths`: every change until DEBOUNCE passes without another
/// (changes that arrived during the last build are already queued and join it), but no longer
/// than MAX_BATCH: a program that writes every few milliseconds must not hold the rebuild back
/// for ever. `None`: stop.
fn gather_batch(rx: &mpsc::Receiver<Msg>, mut paths: Vec<PathBuf>) -> Option<Vec<PathBuf>> {
    let first = std::time::Instant::now();
    while first.elapsed() < MAX_BATCH {
        match rx.recv_timeout(DEBOUNCE) {
            Ok(Msg::Changed(p)) => paths.extend(p),
            Ok(Msg::Stop) => return None,
            Err(_) => break,
        }
    }
    Some(paths)
}

/// Runs `on_change` after every batch of changes until `Msg::Stop` arrives. Changes that arrive
/// while a build runs are folded into the next build.
pub(super) fn watch_loop(
    mut watcher: SiteWatcher,
    rx: &mpsc::Receiver<Msg>,
    console: Console,
    mut on_change: impl FnMut(&[PathBuf]),
) {
    while let Ok(msg) = rx.recv() {
        let Msg::Changed(paths) = msg else { break };
        let Some(mut paths) = gather_batch(rx, paths) else {
            break;
        };
        paths.sort();
        paths.dedup();
        if let Err(e) = watcher.watch_folders() {
            console.problem(Diagnostic::warning(
                "watch-failed",
                format!("cannot watch a new folder: {e}"),
            ));
        }
        console.info(&format!("Changed: {}", watcher.describe(&paths)));
        on_change(&paths);
    }
}

/// The diagnostic for a site folder that cannot be watched.
pub(super) fn watch_failed(root: &Path, e: notify::Error) -> Diagnostic {
    Diagnostic::error(
        "watch-failed",
        format!("cannot watch {}: {e}", root.display()),
    )
    .hint("check that the folder exists and is readable; on Linux, raise fs.inotify.max_user_watches for very large sites")
}

/// Sends `Msg::Stop` on Ctrl-C (and SIGTERM on Unix).
pub(super) async fn shutdown_signal() {
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
pub(crate) fn watch_build(root: &Path, console: Console, rebuild: impl FnMut(&[PathBuf])) -> i32 {
    let (tx, rx) = mpsc::channel();
    let watcher = match SiteWatcher::start(root, tx.clone(), console) {
        Ok(w) => w,
        Err(e) => {
            console.problem(watch_failed(root, e));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_keeps_every_queued_change_and_stops_on_stop() {
        let (tx, rx) = mpsc::channel();
        for p in ["content/a.yaml", "content/b.md", "content/a.yaml"] {
            tx.send(Msg::Changed(vec![PathBuf::from(p)])).unwrap();
        }
        let batch = gather_batch(&rx, vec![PathBuf::from("content/c.yaml")]);
        assert_eq!(batch.map(|b| b.len()), Some(4));
        tx.send(Msg::Changed(vec![PathBuf::from("content/d.yaml")]))
            .unwrap();
        tx.send(Msg::Stop).unwrap();
        assert!(gather_batch(&rx, Vec::new()).is_none());
    }

    #[test]
    fn a_batch_ends_while_changes_keep_coming() {
        // A writer that never pauses for DEBOUNCE: without the cap the batch never ends.
        let (tx, rx) = mpsc::channel();
        let writer = std::thread::spawn(move || {
            while tx
                .send(Msg::Changed(vec![PathBuf::from("content/log.yaml")]))
                .is_ok()
            {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let (done_tx, done_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let batch = gather_batch(&rx, Vec::new());
            let _ = done_tx.send(batch.map(|b| b.len()));
            drop(rx); // ends the writer
        });
        let got = done_rx.recv_timeout(Duration::from_secs(30));
        assert!(matches!(got, Ok(Some(n)) if n > 1), "{got:?}");
        writer.join().unwrap();
    }
}
