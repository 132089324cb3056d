//! One writer of a site's source files, for every program that makes a site: `pactgen new`
//! (a skeleton record), the fuzz targets' generated sites (`fuzz/src/lib.rs`) and the
//! benchmark corpus (`examples/gen_corpus.rs`). `content/site.yaml` comes from a typed
//! [`SiteConfig`], records from [`Fields`] (or any serde value), both serialised by serde_yaml,
//! so every value is quoted right by construction, whatever text it holds; a record's path
//! comes from its kind's folder. Commented texts (skeletons, the starter site) are written as
//! they are. Files go into a folder or a [`Sink`] (a `MemorySink`).

use crate::model::{Kind, SiteConfig};
use crate::sink::Sink;
use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};

/// A record's fields in the order they are written: `Fields::new().with("id", 3).with(...)`.
/// Each value is any serde value (text, number, list, nested `Fields`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Fields(serde_yaml::Mapping);

impl Fields {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// These fields and `key: value` after them (replacing an earlier `key`).
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.set(key, value);
        self
    }

    /// Adds `key: value` after the fields there are (replacing an earlier `key`).
    pub fn set(&mut self, key: &str, value: impl Serialize) -> &mut Self {
        // A value serde_yaml cannot represent (a map with non-text keys) is a programming error
        // of the caller, not input: every caller passes texts, numbers, lists and `Fields`.
        let value = serde_yaml::to_value(value).expect("a YAML value");
        self.0
            .insert(serde_yaml::Value::String(key.to_string()), value);
        self
    }
}

/// Where a [`SiteWriter`] puts files.
enum Target<'s> {
    Folder(PathBuf),
    Sink(&'s dyn Sink),
}

/// Writes a site's source files under a site folder (`content/site.yaml`,
/// `content/<kind folder>/<name>.yaml|.md`) or into a sink, by the same relative paths.
pub struct SiteWriter<'s> {
    target: Target<'s>,
}

impl<'s> SiteWriter<'s> {
    /// Writes into the site folder `root` (folders are made as needed; files are replaced).
    pub fn into_folder(root: impl Into<PathBuf>) -> Self {
        SiteWriter {
            target: Target::Folder(root.into()),
        }
    }

    /// Writes into `sink`, e.g. a `MemorySink`.
    pub fn into_sink(sink: &'s dyn Sink) -> Self {
        SiteWriter {
            target: Target::Sink(sink),
        }
    }

    /// `content/site.yaml` from the settings.
    pub fn settings(&self, config: &SiteConfig) -> io::Result<String> {
        self.text("content/site.yaml", &to_yaml(config)?)
    }

    /// A YAML record of `kind` named `name` (`3a`, `2018/3a`): `content/<folder>/<name>.yaml`.
    pub fn record(&self, kind: Kind, name: &str, fields: &impl Serialize) -> io::Result<String> {
        self.text(
            &record_path(kind, &format!("{name}.yaml")),
            &to_yaml(fields)?,
        )
    }

    /// A Markdown record: `fields` as its front matter between `---` lines, then `body` as it
    /// is, in `content/<folder>/<name>.md`.
    pub fn markdown_record(
        &self,
        kind: Kind,
        name: &str,
        fields: &impl Serialize,
        body: &str,
    ) -> io::Result<String> {
        let text = format!("---\n{}---\n{body}", to_yaml(fields)?);
        self.text(&record_path(kind, &format!("{name}.md")), &text)
    }

    /// A record file of `kind` written as it is (a commented skeleton), at
    /// `content/<folder>/<rel>`.
    pub fn record_text(&self, kind: Kind, rel: &str, text: &str) -> io::Result<String> {
        self.text(&record_path(kind, rel), text)
    }

    /// Any file, written as it is, at `path` (relative to the site folder, `/`-separated):
    /// skeletons and other commented texts. Returns the path.
    pub fn text(&self, path: &str, text: &str) -> io::Result<String> {
        crate::sink::check_relative(path)?;
        match &self.target {
            Target::Sink(sink) => sink.put(path, text.as_bytes().to_vec())?,
            Target::Folder(root) => {
                let file = path.split('/').fold(root.clone(), |p, seg| p.join(seg));
                if let Some(parent) = file.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&file, text)?;
            }
        }
        Ok(path.to_string())
    }
}

/// Where a record file of `kind` lives in a site folder: `content/<kind folder>/<rel>`.
pub(crate) fn record_path(kind: Kind, rel: &str) -> String {
    format!("content/{}/{rel}", kind.folder())
}

fn to_yaml(value: &impl Serialize) -> io::Result<String> {
    serde_yaml::to_string(value).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
}

/// Copies the folder `from` into `to` (made if missing), recursively, in name order; files
/// already in `to` are replaced. A theme into a generated site, a fixture into a test folder.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::MemorySink;

    /// Whatever a value holds, the file reads back as exactly that value: quoting is serde's.
    #[test]
    fn hostile_values_read_back_unchanged() {
        let hostile = [
            "",
            "3A",
            "200005",
            "null",
            "true",
            "~",
            "- a",
            "key: value",
            "#comment",
            "'\"\\",
            "line\nbreak\r\n\ttab",
            "  leading and trailing  ",
            "\u{0}\u{7}\u{1b}[2J\u{85}\u{feff}\u{2028}",
            "---\nid: x\n---",
            "& * ! | > % @ `",
            "😀 𝐁 é",
        ];
        let sink = MemorySink::new();
        let writer = SiteWriter::into_sink(&sink);
        for (i, value) in hostile.iter().enumerate() {
            let fields = Fields::new()
                .with("id", *value)
                .with("list", [*value, "x"])
                .with("nested", Fields::new().with("text", *value));
            let path = writer
                .markdown_record(Kind::Page, &format!("p{i}"), &fields, "Body\n")
                .expect("written");
            assert_eq!(path, format!("content/pages/p{i}.md"));
            let text = String::from_utf8(sink.get(&path).expect("file").to_vec()).expect("UTF-8");
            // Split as the loader splits it: a value holding `---` lines stays inside.
            let (yaml, body) = crate::load::split_front_matter(&text, 0).expect("front matter");
            let (yaml, body) = (&text[yaml], &text[body.expect("a body")]);
            assert_eq!(body, "Body\n", "{text}");
            let back: serde_yaml::Value = serde_yaml::from_str(yaml).expect("YAML");
            assert_eq!(back["id"].as_str(), Some(*value), "{text}");
            assert_eq!(back["list"][0].as_str(), Some(*value), "{text}");
            assert_eq!(back["nested"]["text"].as_str(), Some(*value), "{text}");
        }
    }

    #[test]
    fn settings_read_back_as_the_same_settings() {
        let mut config = SiteConfig::new("A \"site\": #1");
        config.base_url = "https://example.org/x?y=1&z=2".into();
        config.organisation = Some("org".into());
        let dir = tempfile::tempdir().expect("tempdir");
        SiteWriter::into_folder(dir.path())
            .settings(&config)
            .expect("written");
        let text = std::fs::read_to_string(dir.path().join("content/site.yaml")).expect("read");
        let back: SiteConfig = serde_yaml::from_str(&text).expect("site.yaml loads");
        assert_eq!(back.title, config.title);
        assert_eq!(back.base_url, config.base_url);
        assert_eq!(back.organisation, config.organisation);
        assert_eq!(to_yaml(&back).expect("yaml"), text);
    }

    #[test]
    fn paths_outside_the_site_are_refused() {
        let sink = MemorySink::new();
        let writer = SiteWriter::into_sink(&sink);
        assert!(writer.text("../x", "").is_err());
        assert!(
            writer
                .record(Kind::Page, "../../x", &Fields::new())
                .is_err()
        );
        assert!(sink.is_empty());
    }

    #[test]
    fn copy_tree_copies_folders_and_files() {
        let from = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(from.path().join("a/b")).expect("mkdir");
        std::fs::write(from.path().join("a/b/c.txt"), "c").expect("write");
        std::fs::write(from.path().join("d.txt"), "d").expect("write");
        let to = tempfile::tempdir().expect("tempdir");
        copy_tree(from.path(), &to.path().join("copy")).expect("copied");
        let read = |p: &str| std::fs::read_to_string(to.path().join("copy").join(p)).expect(p);
        assert_eq!(read("a/b/c.txt"), "c");
        assert_eq!(read("d.txt"), "d");
    }
}
