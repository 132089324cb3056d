//! A core commitment of the World Humanitarian Summit, verbatim.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoreCommitment {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    /// Verbatim text (Markdown).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub text: String,
    #[serde(deserialize_with = "crate::strict::some_wholes")]
    #[schemars(length(min = 1))]
    pub core_responsibilities: Vec<u8>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    /// Thematic groups of the WHS list (`Women and girls` ...).
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub groups: Vec<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for CoreCommitment {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    /// "Core commitment 13" for `cc-13`: the text itself is shown in full beneath.
    fn title(&self) -> String {
        let digits = self.id.trim_start_matches(|c: char| !c.is_ascii_digit());
        let number = digits.trim_start_matches('0');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            format!("Core commitment {}", if number.is_empty() { "0" } else { number })
        } else {
            format!("Core commitment {}", self.id)
        }
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, _: Option<&str>, out: &mut Vec<FieldRef>) {
        for cr in &self.core_responsibilities {
            out.push(FieldRef::new("core_responsibilities", Kind::CoreResponsibility, cr.to_string()));
        }
        for t in &self.transformations {
            out.push(FieldRef::new("transformations", Kind::Transformation, t.clone()));
        }
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        vec![("text".into(), &self.text)]
    }
}

impl KindType for CoreCommitment {
    /// Each transformation belongs to one of the core commitment's core responsibilities.
    fn check_site(
        site: &crate::model::Site,
        sources: &crate::diagnostics::SourceMap,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        super::checks::transformations_under_core_responsibilities(site, sources, Kind::CoreCommitment, diags);
    }

    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntext: \"{}\"\n# The site's first transformation and its core responsibility: replace them.\ncore_responsibilities: [{}]\ntransformations: [\"{}\"]\n{}",
                placeholder::TEXT,
                new.core_responsibility,
                new.transformation,
                new.source()
            ),
        )
    }
}
