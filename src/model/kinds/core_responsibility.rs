//! A core responsibility of the World Humanitarian Summit's Agenda for Humanity (1 to 5).

use super::{KindType, RecordKind, Skeleton, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoreResponsibility {
    /// 1 to 5.
    #[serde(deserialize_with = "crate::strict::whole")]
    #[schemars(range(min = 1, max = 9))]
    pub id: u8,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

impl RecordKind for CoreResponsibility {
    fn record_id(&self) -> String {
        self.id.to_string()
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
    fn short_title(&self) -> String {
        format!("{}. {}", self.id, self.title)
    }
}

impl KindType for CoreResponsibility {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!("id: {id}\ntitle: New core responsibility\n{}", new.source()),
        )
    }
}
