//! An organisation's individual commitment (`200005`), verbatim.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum CommitmentType {
    Operational,
    Policy,
    Advocacy,
    Financial,
}

impl CommitmentType {
    pub const ALL: [CommitmentType; 4] = [
        CommitmentType::Operational,
        CommitmentType::Policy,
        CommitmentType::Advocacy,
        CommitmentType::Financial,
    ];
    pub fn name(self) -> &'static str {
        match self {
            CommitmentType::Operational => "Operational",
            CommitmentType::Policy => "Policy",
            CommitmentType::Advocacy => "Advocacy",
            CommitmentType::Financial => "Financial",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Commitment ID such as `200005`.
    #[serde(deserialize_with = "crate::strict::whole")]
    #[schemars(range(min = 1, max = 4294967295u32))]
    pub id: u32,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub organisation: Option<String>,
    /// Verbatim text (Markdown).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub text: String,
    #[serde(rename = "type")]
    pub commitment_type: CommitmentType,
    #[serde(deserialize_with = "crate::strict::some_wholes")]
    #[schemars(length(min = 1))]
    pub core_responsibilities: Vec<u8>,
    #[serde(deserialize_with = "crate::strict::some_texts")]
    #[schemars(length(min = 1), inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub initiatives: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub keywords: Vec<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for Commitment {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.to_string()
    }
    fn title(&self) -> String {
        format!("{} {}", self.id, crate::text::first_words(&self.text, 12))
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn short_title(&self) -> String {
        self.id.to_string()
    }
    fn keywords(&self) -> &[String] {
        &self.keywords
    }
    fn references(&self, default_org: Option<&str>, out: &mut Vec<FieldRef>) {
        if let Some(o) = self.organisation.as_deref().or(default_org) {
            out.push(FieldRef::new("organisation", Kind::Organisation, o));
        }
        for cr in &self.core_responsibilities {
            out.push(FieldRef::new("core_responsibilities", Kind::CoreResponsibility, cr.to_string()));
        }
        for t in &self.transformations {
            out.push(FieldRef::new("transformations", Kind::Transformation, t.clone()));
        }
        for i in &self.initiatives {
            out.push(FieldRef::new("initiatives", Kind::Initiative, i.clone()));
        }
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        vec![("text".into(), &self.text)]
    }
}

impl KindType for Commitment {
    /// Each transformation belongs to one of the commitment's core responsibilities.
    fn check_site(
        site: &crate::model::Site,
        sources: &crate::diagnostics::SourceMap,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        super::checks::transformations_under_core_responsibilities(site, sources, Kind::Commitment, diags);
    }

    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.yaml"),
            format!(
                "id: {id}\ntext: \"{}\"\ntype: Operational   # Operational, Policy, Advocacy or Financial\n# The site's first transformation and its core responsibility: replace them.\ncore_responsibilities: [{}]\ntransformations: [\"{}\"]\nkeywords: []\n{}",
                placeholder::TEXT,
                new.core_responsibility,
                new.transformation,
                new.source()
            ),
        )
    }
}
