//! What pages show of source documents: links to a document's original and archived copy,
//! and the key of a funding table's columns (sections of its source document).

use super::*;

impl<'a> Renderer<'a> {
    /// What a funding table's columns mean: a column named like the start of a section title
    /// of the table's source document ("Principle 1" → "Principle 1: Adhering to …") links to
    /// that section. Empty when no column matches.
    pub(super) fn column_key(&self, rec: &Record, columns: &[String]) -> Vec<Value> {
        let Some(doc) = rec.source().map(|s| s.document.to_lowercase()) else {
            return Vec::new();
        };
        let sections: Vec<&Record> = self
            .site
            .of_kind(Kind::Section)
            .filter(
                |s| matches!(&s.data, RecordData::Section(sd) if sd.document.to_lowercase() == doc),
            )
            .collect();
        let key: Vec<Value> = columns
            .iter()
            .filter_map(|c| {
                let prefix = format!("{}:", c.to_lowercase());
                let s = sections
                    .iter()
                    .find(|s| s.title().to_lowercase().starts_with(&prefix))?;
                let title = s.title();
                let rest = title[prefix.len()..].trim().to_string();
                Some(json!({"label": c, "title": rest, "url": self.settings.url(&s.path())}))
            })
            .collect();
        if key.len() == columns.len() {
            key
        } else {
            Vec::new()
        }
    }
}

/// Links to a document's original (`url`) and its archived copy (`archive_url`), with their
/// labels ("Read the original (PDF)"); null when the document has neither.
pub(super) fn original_links(doc: &Record) -> Value {
    let RecordData::Document(d) = &doc.data else {
        return Value::Null;
    };
    if d.url.is_none() && d.archive_url.is_none() {
        return Value::Null;
    }
    let label = |url: &str, what: &str| match crate::model::Document::original_format(url) {
        Some(format) => format!("{what} ({format})"),
        None => what.to_string(),
    };
    json!({
        "url": d.url,
        "label": d.url.as_deref().map(|u| label(u, "Read the original")),
        "archive_url": d.archive_url,
        "archive_label": d.archive_url.as_deref().map(|u| label(u, "Archived copy")),
    })
}
