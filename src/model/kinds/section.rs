//! A section of a source document (a chapter, a heading, a box), in a tree of sections.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::spans::field_span;
use crate::model::{Record, RecordData, RecordKey, Site};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Unique within its document.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub document: String,
    /// Parent section ID within the same document.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub parent: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::whole")]
    pub order: i64,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub initiatives: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for Section {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        format!("{}/{}", self.document, self.id)
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, _: Option<&str>, out: &mut Vec<FieldRef>) {
        out.push(FieldRef::new("document", Kind::Document, self.document.clone()));
        if let Some(p) = &self.parent {
            out.push(FieldRef::new("parent", Kind::Section, format!("{}/{}", self.document, p)));
        }
        for i in &self.initiatives {
            out.push(FieldRef::new("initiatives", Kind::Initiative, i.clone()));
        }
        for t in &self.transformations {
            out.push(FieldRef::new("transformations", Kind::Transformation, t.clone()));
        }
    }
    fn order(&self) -> i64 {
        self.order
    }
    fn page_path(&self) -> Option<String> {
        Some(crate::paths::section_page(&self.document, &self.id))
    }
}

impl KindType for Section {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let (d, s) = new
            .id
            .split_once('/')
            .unwrap_or((new.document.unwrap_or("source-document"), new.id));
        (
            format!("{d}/{s}.md"),
            format!(
                "---\nid: {s}\ndocument: {d}\ntitle: \"{}\"\nsource:\n  document: {d}\n---\n{}\n",
                placeholder::TITLE,
                placeholder::BODY
            ),
        )
    }

    /// A section's source is its own document. Reports every section that is its own
    /// ancestor. Each section is walked once (marked on the
    /// path, then done): walking every section's whole parent chain was quadratic in a chain's
    /// length.
    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    // A section is transcribed from its own document.
    for rec in site.of_kind(Kind::Section) {
        if let (RecordData::Section(s), Some(source)) = (&rec.data, rec.source())
            && !source.document.eq_ignore_ascii_case(&s.document)
        {
            diags.push(
                Diagnostic::error(
                    "section-source",
                    format!(
                        "section `{}` is a section of document `{}`, but its source is document `{}`",
                        rec.id, s.document, source.document
                    ),
                )
                .at(
                    rec.file,
                    super::checks::span(sources, rec, "document", Some(&source.document)),
                    "another document",
                )
                .field("source.document")
                .hint(format!(
                    "a section's source is its own document: `source: {{document: {}}}`, or move the section to document `{}`",
                    s.document, source.document
                )),
            );
        }
    }
    let sections: Vec<&Record> = site.of_kind(Kind::Section).collect();
    let index: rustc_hash::FxHashMap<&RecordKey, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, r)| (&r.key, i))
        .collect();
    let parent: Vec<Option<usize>> = sections
        .iter()
        .map(|rec| match &rec.data {
            RecordData::Section(s) => s
                .parent
                .as_ref()
                .and_then(|p| site.get(Kind::Section, &format!("{}/{}", s.document, p)))
                .and_then(|next| index.get(&next.key).copied()),
            _ => None,
        })
        .collect();
    // 0: not seen, 1: on the path being walked, 2: done.
    let mut state = vec![0u8; sections.len()];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    let mut path = Vec::new();
    for start in 0..sections.len() {
        path.clear();
        let mut current = Some(start);
        while let Some(i) = current {
            match state[i] {
                0 => {
                    state[i] = 1;
                    path.push(i);
                    current = parent[i];
                }
                1 => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                    break;
                }
                _ => break,
            }
        }
        for &i in &path {
            state[i] = 2;
        }
    }
    for cycle in cycles {
        let mut keys: Vec<&RecordKey> = cycle.iter().map(|&i| &sections[i].key).collect();
        keys.sort();
        let chain: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
        for &i in &cycle {
            let rec = sections[i];
            let text = sources.text(rec.file);
            let span = field_span(text, rec.yaml_offset..text.len(), "parent", None);
            diags.push(
                Diagnostic::error(
                    "parent-cycle",
                    format!("section `{}` is its own ancestor", rec.id),
                )
                .at(rec.file, span, "this parent leads back here")
                .field("parent")
                .hint(format!(
                    "sections form a tree; break the cycle through {}",
                    chain.join(" → ")
                )),
            );
        }
    }
}
}
