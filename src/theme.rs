//! Where a site's theme comes from: a folder `themes/<name>/` of the site, or, for the theme
//! named `default` when the site has no such folder, the default theme built into the binary.
//! An installed `pactgen` therefore builds a site made by `pactgen init` (which has no
//! `themes/`) anywhere, without this repository.

use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

/// `themes/default/` of this repository, as it was when the binary was compiled (`build.rs`
/// makes cargo recompile when a file there is added, changed or removed).
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name of the theme built into the binary.
pub(crate) const BUILT_IN_NAME: &str = "default";

/// Where a theme's files are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ThemeSource {
    /// `themes/<name>/` of the site (holding `templates/` and perhaps `static/`).
    Folder(PathBuf),
    /// The default theme compiled into the binary.
    BuiltIn,
}

/// A file of a theme's `templates/` or `static/` folder.
pub(crate) struct ThemeFile {
    /// Path inside that folder, with `/` separators (`js/search.js`).
    pub rel: String,
    /// Its contents.
    pub bytes: std::borrow::Cow<'static, [u8]>,
}

/// Where the theme `name` of the site at `root` is: its folder when the site has
/// `themes/<name>/templates/`, else the built-in theme when `name` is `default`, else none.
pub(crate) fn locate(root: &Path, name: &str) -> Option<ThemeSource> {
    let folder = root.join("themes").join(name);
    if folder.join("templates").is_dir() {
        Some(ThemeSource::Folder(folder))
    } else if name == BUILT_IN_NAME {
        Some(ThemeSource::BuiltIn)
    } else {
        None
    }
}

impl ThemeSource {
    /// How diagnostics name a file of the theme's `sub` folder (`themes/default/templates`, or
    /// `(built-in theme)/templates`).
    pub(crate) fn label(&self, name: &str, sub: &str) -> String {
        match self {
            ThemeSource::Folder(_) => format!("themes/{name}/{sub}"),
            ThemeSource::BuiltIn => format!("(built-in theme)/{sub}"),
        }
    }

    /// The folder `sub` (`templates` or `static`) on disk, for a theme that has one.
    pub(crate) fn folder(&self, sub: &str) -> Option<PathBuf> {
        match self {
            ThemeSource::Folder(dir) => Some(dir.join(sub)),
            ThemeSource::BuiltIn => None,
        }
    }
}

/// The files of the built-in theme's `sub` folder (`templates` or `static`), sorted by path.
pub(crate) fn built_in_files(sub: &str) -> Vec<ThemeFile> {
    let mut out = Vec::new();
    if let Some(dir) = BUILT_IN.get_dir(sub) {
        collect(dir, Path::new(sub), &mut out);
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

fn collect(dir: &'static Dir<'static>, base: &Path, out: &mut Vec<ThemeFile>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix(base).unwrap_or(file.path());
        out.push(ThemeFile {
            rel: rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            bytes: std::borrow::Cow::Borrowed(file.contents()),
        });
    }
    for sub in dir.dirs() {
        collect(sub, base, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_is_the_repository_default_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for sub in ["templates", "static"] {
            let built_in = built_in_files(sub);
            let on_disk: Vec<String> = walkdir::WalkDir::new(root.join(sub))
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    e.path()
                        .strip_prefix(root.join(sub))
                        .unwrap_or(e.path())
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
            let mut on_disk = on_disk;
            on_disk.sort();
            let names: Vec<&str> = built_in.iter().map(|f| f.rel.as_str()).collect();
            assert_eq!(names, on_disk, "{sub}");
            for f in &built_in {
                let disk = std::fs::read(root.join(sub).join(&f.rel)).expect("read");
                assert_eq!(&*f.bytes, &disk[..], "{sub}/{}", f.rel);
            }
        }
        assert!(
            built_in_files("templates")
                .iter()
                .any(|f| f.rel == "base.html")
        );
        assert!(
            built_in_files("static")
                .iter()
                .any(|f| f.rel == "style.css")
        );
    }

    #[test]
    fn a_site_without_themes_uses_the_built_in_default_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(locate(dir.path(), "default"), Some(ThemeSource::BuiltIn));
        assert_eq!(locate(dir.path(), "other"), None);
        std::fs::create_dir_all(dir.path().join("themes/default/templates")).expect("mkdir");
        assert_eq!(
            locate(dir.path(), "default"),
            Some(ThemeSource::Folder(dir.path().join("themes/default")))
        );
    }
}
