//! A glossary: terms (acronyms) and their definitions, marked up wherever texts use them.

use super::{KindType, RecordKind, Skeleton, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub term: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub definition: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(deserialize_with = "crate::strict::items")]
    pub terms: Vec<GlossaryTerm>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

impl RecordKind for Glossary {
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn source(&self) -> Option<&Source> {
        Some(&self.source)
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

impl KindType for Glossary {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntitle: Acronyms\nterms:\n  - term: NEW\n    definition: New term\n{}",
                new.source()
            ),
        )
    }
}
