//! A yearly self-report on one transformation: the answers to questions 1 to 6.

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// A draft: checked like any record, shown by `serve` with a banner, left out of `build`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// Reporting year.
    #[serde(deserialize_with = "crate::strict::whole")]
    #[schemars(example = 2017)]
    pub year: u16,
    /// Transformation code.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(pattern = r"^[1-9][A-Z]$"))]
    pub transformation: String,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub organisation: Option<String>,
    /// Q1: concrete actions taken (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub actions: Option<String>,
    /// Q2A: progress-measure categories ticked.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub progress_measures: Vec<String>,
    /// Q2B (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub progress_assessment: Option<String>,
    /// Q3A: challenges ticked.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub challenges: Vec<String>,
    /// Q3B (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub challenges_impact: Option<String>,
    /// Q4: actions planned for the next year (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub plans: Option<String>,
    /// Q5 (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub collective_steps: Option<String>,
    /// Q6 (Markdown).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub good_practice: Option<String>,
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

impl RecordKind for Report {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        format!("{}/{}", self.year, self.transformation)
    }
    fn title(&self) -> String {
        format!("{} self-report, {}", self.year, self.transformation)
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn short_title(&self) -> String {
        format!("{} {}", self.year, self.transformation)
    }
    fn keywords(&self) -> &[String] {
        &self.keywords
    }
    fn references(&self, default_org: Option<&str>, out: &mut Vec<FieldRef>) {
        if let Some(o) = self.organisation.as_deref().or(default_org) {
            out.push(FieldRef::new("organisation", Kind::Organisation, o));
        }
        out.push(FieldRef::new("transformation", Kind::Transformation, self.transformation.clone()));
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        [
            ("actions", &self.actions),
            ("progress_assessment", &self.progress_assessment),
            ("challenges_impact", &self.challenges_impact),
            ("plans", &self.plans),
            ("collective_steps", &self.collective_steps),
            ("good_practice", &self.good_practice),
        ]
        .into_iter()
        .filter_map(|(name, text)| text.as_deref().map(|t| (name.to_string(), t)))
        .collect()
    }
    fn page_path(&self) -> Option<String> {
        Some(crate::paths::report_page(self.year, &self.transformation))
    }
}

impl KindType for Report {
    /// The reporting year lies in the period the source document covers.
    fn check_site(
        site: &crate::model::Site,
        sources: &crate::diagnostics::SourceMap,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        for rec in site.of_kind(Kind::Report) {
            if let crate::model::RecordData::Report(r) = &rec.data {
                super::checks::year_within_document(site, sources, rec, r.year, "year", diags);
            }
        }
    }

    fn skeleton(new: &Skeleton) -> (String, String) {
        let (year, code) = new.id.split_once('/').unwrap_or(("2017", "1A"));
        (
            format!("{year}/{}.yaml", code.to_lowercase()),
            format!(
                "year: {year}\ntransformation: \"{code}\"\nactions: \"{}\"\nprogress_measures: []\nchallenges: []\nkeywords: []\n{}",
                placeholder::ACTIONS,
                new.source()
            ),
        )
    }
}
