//! A source document the records are transcribed from.

use super::{placeholder, KindType, RecordKind, Skeleton};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::model::{Kind, RecordData, Site};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub publisher: String,
    #[serde(deserialize_with = "crate::strict::whole")]
    #[schemars(example = 2019)]
    pub year: u16,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub period: Option<String>,
    /// Markdown.
    #[serde(default, deserialize_with = "crate::strict::opt_text_or_empty")]
    #[schemars(with = "Option<String>")]
    pub description: String,
    /// Seed file name.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub file: Option<String>,
    /// Where the publisher makes the original available (an `http(s)://` address): pages link
    /// to it as "Read the original (PDF)". Only an address the publisher gives: never guessed.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub url: Option<String>,
    /// A copy of the original in a web archive (an `http(s)://` address), for when `url`
    /// stops working.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub archive_url: Option<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
}

impl Document {
    /// The format of the original, from the end of its address's path (`.pdf` → `PDF`); `None`
    /// for a web page or an address that does not say.
    pub fn original_format(url: &str) -> Option<&'static str> {
        let path = url.split(['?', '#']).next().unwrap_or("");
        let after_host = path.split_once("://").map_or(path, |(_, rest)| rest);
        // The last segment after the host (a host alone names no file).
        let last = after_host
            .split_once('/')
            .map_or("", |(_, path)| path.rsplit('/').next().unwrap_or(""));
        let ext = last.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => "PDF",
            "doc" | "docx" => "Word",
            "xls" | "xlsx" => "Excel",
            "ppt" | "pptx" => "PowerPoint",
            "odt" => "OpenDocument text",
            "ods" => "OpenDocument spreadsheet",
            "csv" => "CSV",
            "txt" => "plain text",
            "epub" => "EPUB",
            "zip" => "ZIP",
            _ => return None,
        })
    }
}

impl RecordKind for Document {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        vec![("description".into(), &self.description)]
    }
}

impl KindType for Document {
    /// Web addresses are checked; a document's `period` ends no later than the year it was
    /// published.
    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        for rec in site.of_kind(Kind::Document) {
            let RecordData::Document(d) = &rec.data else {
                continue;
            };
            super::checks::web_address(sources, rec, "url", d.url.as_deref(), diags);
            super::checks::web_address(sources, rec, "archive_url", d.archive_url.as_deref(), diags);
            let Some(period) = d.period.as_deref() else {
                continue;
            };
            if let Some(years) = super::checks::years_of(period)
                && *years.end() > d.year
            {
                diags.push(
                    Diagnostic::error(
                        "period-after-publication",
                        format!(
                            "the document was published in {}, but its period `{period}` runs to {}",
                            d.year,
                            years.end()
                        ),
                    )
                    .at(
                        rec.file,
                        super::checks::span(sources, rec, "period", None),
                        "after the year of publication",
                    )
                    .field("period")
                    .hint("`year` is the year the document was published, `period` the time it reports on: check both"),
                );
            }
        }
    }

    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntitle: \"{}\"\npublisher: \"{}\"\nyear: 2019   # the year it was published: replace it\ndescription: \"\"\n",
                placeholder::TITLE,
                placeholder::PUBLISHER
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Document;

    #[test]
    fn the_format_comes_from_the_address() {
        let f = Document::original_format;
        assert_eq!(f("https://example.org/files/report.pdf"), Some("PDF"));
        assert_eq!(f("https://example.org/files/Report.PDF?download=1#p3"), Some("PDF"));
        assert_eq!(f("https://example.org/a/plan.docx"), Some("Word"));
        assert_eq!(f("https://example.org/report"), None);
        assert_eq!(f("https://example.org/"), None);
        assert_eq!(f("https://example.org"), None, "a host is not a file name");
        assert_eq!(f("https://www.example.pdf/"), None);
    }
}
