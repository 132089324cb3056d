//! Test harness: a fixture site copied into a temporary folder (with the repo's themes),
//! mutated per test, and the `pactgen` binary run on it.
#![allow(dead_code)]

pub mod tools;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The binary under test: this crate's, or `PACTGEN_TEST_BIN` (to show that a new test
/// fails on an older build).
pub fn bin() -> PathBuf {
    match std::env::var_os("PACTGEN_TEST_BIN") {
        Some(path) => PathBuf::from(path),
        None => assert_cmd::cargo::cargo_bin("pactgen"),
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder (a fixture, the themes, a built site) with the library's one copy helper.
pub fn copy_dir(from: &Path, to: &Path) {
    pactgen::internals::site_files::copy_tree(from, to)
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>` with the repo's `themes/` unless it has its own.
    pub fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
        if !dir.path().join("themes").exists() {
            copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        }
        TestSite { dir }
    }

    /// A copy of another site folder (its content and themes).
    pub fn copy_of(root: &Path) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&root.join("content"), &dir.path().join("content"));
        copy_dir(&root.join("themes"), &dir.path().join("themes"));
        TestSite { dir }
    }

    /// A copy of the bundled IOM site (content and themes).
    pub fn bundled() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).expect("rm dir");
        } else {
            std::fs::remove_file(p).expect("rm");
        }
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(bin());
        c.current_dir(self.root())
            .env("NO_COLOR", "1")
            .env_remove("CLICOLOR_FORCE");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd().args(args).output().expect("run pactgen");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// Every `href` and `src` value in an HTML document (quoted or unquoted, as minified HTML has).
pub fn links_in(html: &str) -> Vec<String> {
    // Code samples (such as the embed snippet) show markup as text: not links.
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<pre") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("</pre>").map_or("", |j| &rest[i + j..]);
    }
    text.push_str(rest);
    let html = text.as_str();
    let mut out = Vec::new();
    for attr in ["href=", "src="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            // Only attributes: the character before must be a space or a quote-free boundary.
            let before = rest[..i].chars().next_back();
            rest = &rest[i + attr.len()..];
            if !matches!(before, Some(' ') | Some('\n') | Some('\t')) {
                continue;
            }
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.replace("&amp;", "&"));
        }
    }
    out
}

/// Checks every internal link of every HTML page under `out` resolves to a file.
/// `base` is the path prefix the site was built with. Returns the broken links.
pub fn broken_links(out: &Path, base: &str) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot_tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for link in links_in(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with('#')
                || link.starts_with("//")
            {
                continue;
            }
            checked += 1;
            let Some(path) = link.strip_prefix(base) else {
                broken.push(format!("{rel}: {link} (outside the base path {base})"));
                continue;
            };
            let path = path.split(['#', '?']).next().unwrap_or("");
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            if !out.join(&file).is_file() {
                broken.push(format!("{rel}: {link}"));
            }
        }
    }
    (checked, broken)
}

/// For a site built with relative links: every `href`/`src` of every page, resolved against
/// the page's own folder, names a file (as a browser opening `file://` would need).
pub fn broken_relative_links(out: &Path) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot_tree(out) {
        // The not-found page is shown by a server at any depth, so its links start from the
        // site's address or the host's root, never from the page (tests/reader_site.rs).
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let dir = Path::new(&rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for link in links_in(&html) {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            checked += 1;
            if link.starts_with('/') {
                broken.push(format!("{rel}: {link} (absolute)"));
                continue;
            }
            let target = link.split(['#', '?']).next().unwrap_or("");
            let mut path = dir.clone();
            for seg in target.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        path.pop();
                    }
                    s => path.push(s),
                }
            }
            if !out.join(&path).is_file() {
                broken.push(format!("{rel}: {link}"));
            }
        }
    }
    (checked, broken)
}
