//! A source document the records are transcribed from.

use super::{placeholder, KindType, RecordKind, Skeleton};
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
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
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
    /// A document's `period` ends no later than the year it was published.
    fn check_site(
        site: &crate::model::Site,
        sources: &crate::diagnostics::SourceMap,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        for rec in site.of_kind(crate::model::Kind::Document) {
            let crate::model::RecordData::Document(d) = &rec.data else {
                continue;
            };
            let Some(period) = d.period.as_deref() else {
                continue;
            };
            if let Some(years) = super::checks::years_of(period)
                && *years.end() > d.year
            {
                diags.push(
                    crate::diagnostics::Diagnostic::error(
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
