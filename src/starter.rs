//! `pactgen init DIR`: writes a small, valid starter site (the repository's `starter/` folder,
//! built into the binary): `content/site.yaml`, one commented example record of every kind,
//! its own README and a `.gitignore`. It has no `themes/`, so it uses the built-in theme and
//! builds anywhere an installed `pactgen` runs.

use crate::diagnostics::Diagnostic;
use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// The starter site's files: path (with `/`) and contents, sorted by path.
pub(crate) fn files() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    collect(&STARTER, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        let rel = file
            .path()
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// Entries a folder may already hold and still count as empty for `init`: a fresh clone of an
/// empty repository has only `.git`.
const ALLOWED: &[&str] = &[".git"];

/// Writes the starter site into `dir` (created if missing), which must be empty. Returns the
/// files written, in order.
pub(crate) fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = crate::diagnostics::terminal_safe(&dir.display().to_string()).into_owned();
    // A symbolic link to a folder is that folder.
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Diagnostic::error(
                "init-not-empty",
                format!("cannot make a site in {shown}: it is a file, not a folder"),
            )
            .hint("name a new folder, e.g. `pactgen init my-site`"));
        }
        Ok(_) => {
            let entries = std::fs::read_dir(dir).map_err(|e| io_error(&shown, &e))?;
            let mut found: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| !ALLOWED.contains(&name.as_str()))
                .collect();
            if !found.is_empty() {
                found.sort();
                let n = found.len();
                let listed: Vec<String> = found
                    .iter()
                    .take(3)
                    .map(|f| format!("`{}`", crate::diagnostics::terminal_safe(f)))
                    .collect();
                let more = if n > 3 {
                    format!(" and {} more", n - 3)
                } else {
                    String::new()
                };
                return Err(Diagnostic::error(
                    "init-not-empty",
                    format!(
                        "cannot make a site in {shown}: the folder is not empty (it holds {}{more})",
                        listed.join(", ")
                    ),
                )
                .hint(
                    "name a new folder, e.g. `pactgen init my-site`; pactgen never writes over existing files",
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(&shown, &e)),
    }
    let mut written = Vec::new();
    for (rel, bytes) in files() {
        let path = rel.split('/').fold(dir.to_path_buf(), |p, seg| p.join(seg));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_error(&shown, &e))?;
        }
        // `create_new`: never replace a file, even one made since the folder was checked.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_error(&shown, &e))?;
        std::io::Write::write_all(&mut file, bytes).map_err(|e| io_error(&shown, &e))?;
        written.push(path);
    }
    Ok(written)
}

fn io_error(shown: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "write-failed",
        format!("cannot write the new site into {shown}: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_has_a_record_of_every_kind_and_no_theme() {
        let files = files();
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(names.contains(&"content/site.yaml"), "{names:?}");
        assert!(names.contains(&"README.md"), "{names:?}");
        for kind in crate::model::Kind::ALL {
            let folder = format!("content/{}/", kind.folder());
            assert!(
                names.iter().any(|n| n.starts_with(&folder)),
                "no {kind} in the starter site: {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n.starts_with("themes/")));
    }

    #[test]
    fn init_refuses_a_folder_with_files_and_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("notes.txt"), "mine").expect("write");
        let err = init(dir.path()).expect_err("refused");
        assert_eq!(err.code, "init-not-empty");
        assert!(err.message.contains("`notes.txt`"), "{}", err.message);
        assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 1);
        // A folder with only `.git` (a fresh clone) is taken.
        let repo = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(repo.path().join(".git")).expect("mkdir");
        let written = init(repo.path()).expect("init");
        assert_eq!(written.len(), files().len());
    }
}
