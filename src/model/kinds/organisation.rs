//! An organisation that makes commitments: its stakeholder profile.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::Kind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::model::{RecordData, Site};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
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
    pub name: String,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub acronym: Option<String>,
    /// Stakeholder type as reported (`UN`, `NGO` ...).
    #[serde(rename = "type", default, deserialize_with = "crate::strict::opt_text")]
    pub org_type: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub headquarters: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub focal_point: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub region: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub twitter: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub website: Option<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for Organisation {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.name.clone()
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
}

impl KindType for Organisation {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!("id: {id}\nname: \"{}\"\n{}", placeholder::NAME, new.source()),
        )
    }

    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        for rec in site.of_kind(Kind::Organisation) {
            if let RecordData::Organisation(o) = &rec.data {
                super::checks::web_address(sources, rec, "website", o.website.as_deref(), diags);
            }
        }
    }
}
