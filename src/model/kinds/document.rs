//! A source document the records are transcribed from.

use super::{KindType, RecordKind, Skeleton};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
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
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntitle: New source document\npublisher: Publisher of the document\nyear: 2019\ndescription: \"\"\n"
            ),
        )
    }
}
