//! A transformation of a core responsibility (`3A Reduce and address displacement`).

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::spans::field_span;
use crate::model::{RecordData, Site};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transformation {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Code such as `3A`.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(pattern = r"^[1-9][A-Z]$"))]
    pub id: String,
    /// Title without the code.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub core_responsibility: u8,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for Transformation {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        format!("{} {}", self.id, self.title)
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, _: Option<&str>, out: &mut Vec<FieldRef>) {
        out.push(FieldRef::new(
            "core_responsibility",
            Kind::CoreResponsibility,
            self.core_responsibility.to_string(),
        ));
    }
}

impl KindType for Transformation {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        let digit = &id[..1];
        (
            format!("{}.yaml", id.to_lowercase()),
            format!(
                "id: \"{id}\"\ntitle: \"{}\"\ncore_responsibility: {digit}\n{}",
                placeholder::TITLE,
                new.source()
            ),
        )
    }

    /// A transformation's code starts with its core responsibility's number.
    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    for rec in site.of_kind(Kind::Transformation) {
        let RecordData::Transformation(t) = &rec.data else {
            continue;
        };
        let digit = t.id.chars().next().and_then(|c| c.to_digit(10));
        if digit != Some(u32::from(t.core_responsibility)) {
            let text = sources.text(rec.file);
            let span = field_span(
                text,
                rec.yaml_offset..text.len(),
                "core_responsibility",
                None,
            );
            diags.push(
                Diagnostic::error(
                    "inconsistent-code",
                    format!(
                        "transformation {} belongs to core responsibility {}, not {}",
                        t.id,
                        digit.map_or("?".into(), |d| d.to_string()),
                        t.core_responsibility
                    ),
                )
                .at(rec.file, span, "does not match the code")
                .field("core_responsibility")
                .hint("a transformation code starts with its core responsibility's number"),
            );
        }
    }
}
}
