//! The data: typed records keyed by ID in one [`Site`] map, the site's settings, typed links.
//! Relations are IDs, never references. Each record kind is a file of [`kinds`].

pub(crate) mod kinds;
mod links;
mod settings;

pub use kinds::*;
pub use links::*;
pub use settings::*;

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A record's identity: its kind and its ID folded to lower case, so that IDs differing only by
/// case are one key (and collide), and typed links are case-insensitive (`transformation:3a`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RecordKey {
    pub kind: Kind,
    pub id: String,
}

impl RecordKey {
    pub fn new(kind: Kind, id: &str) -> Self {
        RecordKey {
            kind,
            id: id.to_lowercase(),
        }
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

/// Index of a loaded source file in [`crate::diagnostics::SourceMap`].
pub(crate) type FileId = usize;

/// One loaded record.
#[derive(Debug, Clone)]
pub struct Record {
    pub key: RecordKey,
    /// The ID as written (case kept), e.g. `3A`, `2017/3A`.
    pub id: String,
    pub file: FileId,
    /// Byte offset of the YAML inside the file (after a front-matter fence).
    pub yaml_offset: usize,
    /// Markdown body of a `.md` record, and its byte offset in the file. A slice of the file's
    /// text in the source map, not a copy: bodies are most of a site's input.
    pub body: Option<(bytestring::ByteString, usize)>,
    pub data: RecordData,
}

impl Record {
    pub fn kind(&self) -> Kind {
        self.key.kind
    }

    /// A human title for lists and links.
    pub fn title(&self) -> String {
        self.data.as_kind().title()
    }

    /// A short label for link lists: the code or ID where readers know records by it.
    pub fn short_title(&self) -> String {
        self.data.as_kind().short_title()
    }

    /// `draft: true`: left out of a build, previewed by `serve` with a banner.
    pub fn is_draft(&self) -> bool {
        self.data.as_kind().draft()
    }

    pub fn source(&self) -> Option<&Source> {
        self.data.as_kind().source()
    }

    pub fn aliases(&self) -> &[String] {
        self.data.as_kind().aliases()
    }

    pub fn keywords(&self) -> &[String] {
        self.data.as_kind().keywords()
    }

    /// Reading order within the kind (funding tables, sections), before the ID.
    pub fn order(&self) -> i64 {
        self.data.as_kind().order()
    }

    /// Output path of the record's page, relative to the site root, ending in `/`.
    pub fn path(&self) -> String {
        self.data
            .as_kind()
            .page_path()
            .unwrap_or_else(|| crate::paths::record_page(self.kind(), &self.key.id))
    }

    /// Path of the record's chrome-less embed page, relative to the site root.
    pub fn embed_path(&self) -> String {
        crate::paths::embed_page(self.kind(), &self.key.id)
    }

    /// Every ID this record names in a field, with the field it is named in.
    pub fn references(&self, default_org: Option<&str>) -> Vec<FieldRef> {
        let mut out = Vec::new();
        if let Some(src) = self.source() {
            out.push(FieldRef::new(
                "source.document",
                Kind::Document,
                src.document.clone(),
            ));
        }
        self.data.as_kind().references(default_org, &mut out);
        out
    }

    /// Every Markdown text of the record with its field name (`body` for the file's body).
    pub fn markdown_fields(&self) -> Vec<(String, &str)> {
        let mut out = self.data.as_kind().markdown_fields();
        if let Some((body, _)) = &self.body {
            out.push(("body".into(), &**body));
        }
        out
    }
}

/// The IDs a site's templates write into pages (`id="main"`): what the link stage needs of
/// the templates to check `#fragment`s of typed links, and what Markdown headings avoid.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct TemplateIds {
    /// Every literal ID of every template (Markdown headings and footnotes take others).
    pub all: std::collections::BTreeSet<String>,
    /// The literal IDs of each kind's page template and the templates it uses.
    pub by_kind: BTreeMap<Kind, std::collections::BTreeSet<String>>,
}

/// All records of a site, keyed by kind and ID, plus its settings.
#[derive(Debug)]
pub(crate) struct Site {
    pub config: SiteConfig,
    pub records: BTreeMap<RecordKey, Record>,
    /// The static files the build copies (theme's, then the site's), as output paths: no
    /// record or alias may take their names.
    pub static_files: std::collections::BTreeSet<String>,
}

impl Site {
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<&Record> {
        self.records.get(&RecordKey::new(kind, id))
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Record> {
        self.records
            .range(RecordKey::new(kind, "")..)
            .take_while(move |(k, _)| k.kind == kind)
            .map(|(_, r)| r)
    }
}

/// A reference from one record to another through a field.
#[derive(Debug, Clone)]
pub struct FieldRef {
    /// Field path as a user writes it (`transformations`, `commitments[2].initiatives`).
    pub field: String,
    pub kind: Kind,
    pub id: String,
}

impl FieldRef {
    pub fn new(field: impl Into<String>, kind: Kind, id: impl Into<String>) -> Self {
        FieldRef {
            field: field.into(),
            kind,
            id: id.into(),
        }
    }
}
