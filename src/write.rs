//! Write stage: the disk sink and the atomic output. A build goes into a staging folder beside
//! the output (reusing the files that come out unchanged) and is swapped in only when the
//! whole build succeeded; a lock keeps a second build out meanwhile. The [`Sink`] interface
//! itself, and the memory and null sinks, are in [`crate::sink`].

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) use crate::sink::{Sink, check_relative};

/// Writes files under a directory.
pub(crate) struct DirSink {
    dir: PathBuf,
    /// The output being replaced: a file it already holds with the same bytes is hard-linked
    /// instead of written again.
    previous: Option<PathBuf>,
}

impl DirSink {
    pub(crate) fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            previous: None,
        }
    }

    /// A sink that reuses the files of `previous` (the current output) that come out unchanged.
    /// A link costs no data write and no new inode, and the previous output's later deletion
    /// then frees nothing for those files; unchanged files also keep their modification time,
    /// so `rsync` and similar deploy tools send only what changed.
    pub(crate) fn reusing(dir: impl Into<PathBuf>, previous: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            previous: Some(previous.into()),
        }
    }
}

/// Whether the file at `path` holds exactly the concatenation of `parts` (false on any error).
/// Compares in chunks, so that no copy of the old file is kept.
fn holds(path: &Path, parts: &[&[u8]]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let len: usize = parts.iter().map(|p| p.len()).sum();
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() == len as u64 => {}
        _ => return false,
    }
    let mut chunk = [0u8; 16 * 1024];
    parts.iter().all(|p| reads_as(&mut file, p, &mut chunk)) && at_end(&mut file)
}

/// Whether the next `bytes.len()` bytes of `file` are `bytes`, read through `chunk`.
fn reads_as(file: &mut std::fs::File, bytes: &[u8], chunk: &mut [u8]) -> bool {
    use std::io::Read;
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rest.len().min(chunk.len());
        if file.read_exact(&mut chunk[..n]).is_err() || chunk[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    true
}

/// Whether `file` has nothing left to read (it may have grown since its size was checked).
fn at_end(file: &mut std::fs::File) -> bool {
    use std::io::Read;
    matches!(file.read(&mut [0u8; 1]), Ok(0))
}

impl DirSink {
    /// The full path of `path` (a safe relative path), its folder created.
    fn place(&self, path: &str) -> io::Result<PathBuf> {
        check_relative(path)?;
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(full)
    }

    /// The full path of `path`, its folder created; `None` when the previous output already
    /// holds these bytes and the file was linked from there.
    fn prepare(&self, path: &str, parts: &[&[u8]]) -> io::Result<Option<PathBuf>> {
        let full = self.place(path)?;
        if let Some(previous) = &self.previous {
            let old = previous.join(path);
            // Any failure (another file system, no hard links) falls back to writing.
            if holds(&old, parts) && std::fs::hard_link(&old, &full).is_ok() {
                return Ok(None);
            }
        }
        Ok(Some(full))
    }
}

/// Creates `full` as a new file. A path written twice in one build (a site's `static/` file
/// over a generated one) may by then be a hard link to the previous output: it is unlinked
/// first, never written through, so the previous output stays as it was until the swap.
fn create_fresh(full: &Path) -> io::Result<std::fs::File> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(full)
    };
    match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(full)?;
            create()
        }
        other => other,
    }
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        use std::io::Write;
        match self.prepare(path, &[&bytes])? {
            Some(full) => create_fresh(&full)?.write_all(&bytes),
            None => Ok(()),
        }
    }

    fn put_stream(&self, path: &str, parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        use std::io::Write;
        let full = self.place(path)?;
        // The previous output's file, compared part by part while the new one is written.
        let old_path = self.previous.as_ref().map(|p| p.join(path));
        let mut old = old_path.as_ref().and_then(|p| {
            let file = std::fs::File::open(p).ok()?;
            let len = file.metadata().ok().filter(|m| m.is_file())?.len();
            Some((file, len))
        });
        let mut file = create_fresh(&full)?;
        let mut chunk = [0u8; 16 * 1024];
        let mut total = 0u64;
        for part in parts {
            if let Some((old_file, _)) = &mut old
                && !reads_as(old_file, &part, &mut chunk)
            {
                old = None;
            }
            total += part.len() as u64;
            file.write_all(&part)?;
        }
        drop(file);
        if let (Some((mut old_file, len)), Some(old_path)) = (old, old_path)
            && len == total
            && at_end(&mut old_file)
        {
            // Unchanged: the previous file takes the new one's place (a link under a
            // temporary name, then renamed over it); on any failure the new file stays.
            let mut name = full.file_name().unwrap_or_default().to_os_string();
            name.push(".pactgen-link~");
            let link = full.with_file_name(name);
            let _ = std::fs::remove_file(&link);
            if std::fs::hard_link(&old_path, &link).is_ok()
                && std::fs::rename(&link, &full).is_err()
            {
                let _ = std::fs::remove_file(&link);
            }
        }
        Ok(())
    }
}

/// A build's output on disk: written to a hidden staging folder beside `target`, then swapped in.
/// Holds the output's lock from start to end: a second build into the same folder waits.
pub(crate) struct StagedOutput {
    target: PathBuf,
    staging: tempfile::TempDir,
    /// `.public.lock` beside the output, locked (`flock`) while this build runs. Without it a
    /// second build removed the first one's staging folder as a crash's leftover, and the
    /// first then swapped in a half-written site.
    _lock: std::fs::File,
}

fn hidden_name(target: &Path, what: &str) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    format!(".{name}.{what}-")
}

impl StagedOutput {
    /// Prepares a staging folder; removes what crashed builds left behind.
    pub(crate) fn new(target: &Path) -> io::Result<Self> {
        Self::new_waiting(target, &|_| {})
    }

    /// [`StagedOutput::new`]; when another build holds the output's lock, calls `on_wait`
    /// with that build's process ID (if it could be read) and waits for it to finish.
    pub(crate) fn new_waiting(target: &Path, on_wait: &dyn Fn(Option<u32>)) -> io::Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        if target.exists() && !target.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not a folder", target.display()),
            ));
        }
        let lock = lock_output(&parent, target, on_wait)?;
        recover_orphaned_output(&parent, target);
        clean_leftovers(&parent, target);
        let staging = tempfile::Builder::new()
            .prefix(&hidden_name(target, "tmp"))
            .tempdir_in(&parent)?;
        Ok(StagedOutput {
            target: target.to_path_buf(),
            staging,
            _lock: lock,
        })
    }

    /// The sink to build into; it reuses the current output's unchanged files.
    pub(crate) fn sink(&self) -> DirSink {
        if self.target.is_dir() {
            DirSink::reusing(self.staging.path(), &self.target)
        } else {
            DirSink::new(self.staging.path())
        }
    }

    pub(crate) fn staging_path(&self) -> &Path {
        self.staging.path()
    }

    /// Swaps the staged build in. On Linux the two folders are exchanged in one atomic
    /// `renameat2(RENAME_EXCHANGE)`: at every instant the output path holds a complete site.
    /// Elsewhere (or on file systems without it) the old output is moved aside first and
    /// deleted last; a crash in between leaves a hidden `.public.old-*` folder that the next
    /// build puts back or removes.
    pub(crate) fn commit(self) -> io::Result<()> {
        let staging = self.staging.keep();
        if self.target.exists() {
            if exchange(&staging, &self.target).is_ok() {
                // `staging` now holds the previous site.
                remove_tree(&staging);
                return Ok(());
            }
            let parent = staging
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            let old = tempfile::Builder::new()
                .prefix(&hidden_name(&self.target, "old"))
                .tempdir_in(&parent)?
                .keep();
            // tempdir_in created `old`; rename needs it absent.
            std::fs::remove_dir(&old)?;
            std::fs::rename(&self.target, &old)?;
            if let Err(e) = std::fs::rename(&staging, &self.target) {
                // Put the old site back: never leave the user with nothing.
                let _ = std::fs::rename(&old, &self.target);
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
            remove_tree(&old);
        } else {
            std::fs::rename(&staging, &self.target)?;
        }
        Ok(())
    }
}

/// Takes the lock of the output `target` (a file `.<name>.lock` in `parent`), waiting for
/// another build that holds it. The holder's process ID is written into the file, for the
/// message a waiting build prints. The lock is the kernel's (`flock`): a killed build
/// releases it.
fn lock_output(
    parent: &Path,
    target: &Path,
    on_wait: &dyn Fn(Option<u32>),
) -> io::Result<std::fs::File> {
    use std::io::{Read, Seek, Write};
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let path = parent.join(format!(".{name}.lock"));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            on_wait(text.trim().parse().ok());
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    Ok(file)
}

/// Writes a whole site held in memory to `target` through a staging folder and swaps it in
/// (`build --watch`). Files not in `fresh` are hard-linked from the current output when it
/// still holds them with the same size, so a rebuild after one edit writes only what changed.
pub(crate) fn write_whole(
    target: &Path,
    files: &BTreeMap<String, bytes::Bytes>,
    fresh: Option<&std::collections::BTreeSet<String>>,
) -> io::Result<()> {
    use rayon::prelude::*;
    let staged = StagedOutput::new(target)?;
    let dir = staged.staging_path().to_path_buf();
    files
        .par_iter()
        .try_for_each(|(path, bytes)| -> io::Result<()> {
            check_relative(path)?;
            let dst = dir.join(path);
            if let Some(parent) = dst.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if fresh.is_some_and(|f| !f.contains(path)) {
                let src = target.join(path);
                let same_size = std::fs::symlink_metadata(&src)
                    .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
                if same_size && std::fs::hard_link(&src, &dst).is_ok() {
                    return Ok(());
                }
            }
            std::fs::write(dst, bytes)
        })?;
    staged.commit()
}

/// Deletes a previous output tree, its top-level folders in parallel (tens of thousands of
/// files; the site is already in place, so failures only leave garbage that the next build
/// removes).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(entries) = std::fs::read_dir(dir) {
        let paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.par_iter().for_each(|p| {
            let _ = if p.is_dir() && !p.is_symlink() {
                std::fs::remove_dir_all(p)
            } else {
                std::fs::remove_file(p)
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// If a crash of the non-atomic fallback left the previous site only in `.public.old-*`, put it
/// back before anything else happens.
fn recover_orphaned_output(parent: &Path, target: &Path) {
    if target.exists() {
        return;
    }
    let prefix = hidden_name(target, "old");
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(prefix.as_str())
                && std::fs::rename(e.path(), target).is_ok()
            {
                return;
            }
        }
    }
}

fn clean_leftovers(parent: &Path, target: &Path) {
    let prefixes = [hidden_name(target, "tmp"), hidden_name(target, "old")];
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| name.starts_with(p.as_str())) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for p in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "a\\b",
            "a/./b",
            "",
            "a\0b",
        ] {
            assert!(check_relative(p).is_err(), "{p:?}");
        }
        assert!(check_relative("commitments/200005/index.html").is_ok());
    }

    #[test]
    fn staged_output_swaps_and_cleans() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("stale.html"), "old").unwrap();
        // A leftover from a crashed build.
        std::fs::create_dir_all(dir.path().join(".public.tmp-crashed")).unwrap();
        let out = StagedOutput::new(&target).unwrap();
        assert!(!dir.path().join(".public.tmp-crashed").exists());
        out.sink().put("index.html", b"new".to_vec()).unwrap();
        out.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new"
        );
        assert!(!target.join("stale.html").exists());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        // The output, and its lock file (kept: the lock is on the file, not its name).
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.contains(&"public".to_string()) && names.contains(&".public.lock".to_string())
        );
    }

    #[test]
    fn unchanged_files_are_reused_and_changed_ones_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(target.join("a")).unwrap();
        std::fs::write(target.join("a/same.html"), "same").unwrap();
        std::fs::write(target.join("a/edited.html"), "old!").unwrap();
        std::fs::write(target.join("longer.html"), "same").unwrap();
        std::fs::write(target.join("parts.json"), "[1,2]").unwrap();
        std::fs::write(target.join("parts2.json"), "[4]").unwrap();
        std::fs::write(target.join("twice.txt"), "first").unwrap();
        let out = StagedOutput::new(&target).unwrap();
        let sink = out.sink();
        sink.put("a/same.html", b"same".to_vec()).unwrap();
        // Same size, other bytes; then a file the new content only starts like.
        sink.put("a/edited.html", b"new!".to_vec()).unwrap();
        sink.put("longer.html", b"sam".to_vec()).unwrap();
        sink.put("fresh.html", b"fresh".to_vec()).unwrap();
        // A file written in parts: reused when the parts join to the old bytes.
        let stream = |parts: &[&[u8]]| parts.iter().map(|p| p.to_vec()).collect::<Vec<_>>();
        sink.put_stream("parts.json", &mut stream(&[b"[1,", b"", b"2]"]).into_iter())
            .unwrap();
        sink.put_stream("parts2.json", &mut stream(&[b"[3", b"]"]).into_iter())
            .unwrap();
        // The old file starts like the new one but is longer; then one that is shorter.
        sink.put_stream("longer.html", &mut stream(&[b"sa", b"m"]).into_iter())
            .unwrap();
        sink.put_stream("a/edited.html", &mut stream(&[b"new!", b"!"]).into_iter())
            .unwrap();
        // A path written twice (a site's static file over a generated one) after its first
        // version was linked: the second write must not reach the previous output through
        // the link.
        sink.put("twice.txt", b"first".to_vec()).unwrap();
        sink.put("twice.txt", b"other".to_vec()).unwrap();
        sink.put_stream("twice.txt", &mut stream(&[b"la", b"st"]).into_iter())
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("twice.txt")).unwrap(),
            "first"
        );
        let staging = out.staging_path().to_path_buf();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Whether the staged file is the previous output's file (a hard link).
            let linked = |p: &str| {
                let ino = |dir: &Path| std::fs::metadata(dir.join(p)).unwrap().ino();
                ino(&staging) == ino(&target)
            };
            assert!(linked("a/same.html"));
            assert!(!linked("a/edited.html"));
            assert!(linked("parts.json"));
            assert!(!linked("twice.txt"));
        }
        out.commit().unwrap();
        let read = |p: &str| std::fs::read_to_string(target.join(p)).unwrap();
        assert_eq!(read("a/same.html"), "same");
        assert_eq!(read("a/edited.html"), "new!!");
        assert_eq!(read("longer.html"), "sam");
        assert_eq!(read("fresh.html"), "fresh");
        assert_eq!(read("parts.json"), "[1,2]");
        assert_eq!(read("parts2.json"), "[3]");
        assert_eq!(read("twice.txt"), "last");
    }

    #[test]
    fn holds_compares_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &big).unwrap();
        assert!(holds(&p, &[&big]));
        assert!(holds(
            &p,
            &[&big[..5], &[], &big[5..70_001], &big[70_001..]]
        ));
        let mut other = big.clone();
        other[70_000] ^= 1;
        assert!(!holds(&p, &[&other]));
        assert!(!holds(&p, &[&big[..70_000], &other[70_000..]]));
        assert!(!holds(&p, &[&big[..99_999]]));
        assert!(!holds(&dir.path().join("missing"), &[]));
        assert!(!holds(dir.path(), &[]));
    }

    #[test]
    fn orphaned_old_output_is_recovered() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let orphan = dir.path().join(".public.old-abc");
        std::fs::create_dir_all(&orphan).unwrap();
        std::fs::write(orphan.join("index.html"), "previous").unwrap();
        let out = StagedOutput::new(&target).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "previous"
        );
        drop(out);
        assert!(!orphan.exists());
    }

    #[test]
    fn dropped_staging_leaves_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("index.html"), "old").unwrap();
        {
            let out = StagedOutput::new(&target).unwrap();
            out.sink().put("index.html", b"half".to_vec()).unwrap();
        } // dropped: a failed build
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        // The output and its lock file; no staging folder left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
