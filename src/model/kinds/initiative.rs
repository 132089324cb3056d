//! A programme or initiative (DTM, HDX, the Platform on Disaster Displacement ...).

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::model::{RecordData, Site};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeReport {
    #[serde(deserialize_with = "crate::strict::whole")]
    #[schemars(example = 2017)]
    pub year: u16,
    /// Concrete actions taken in support of the initiative (Markdown).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub actions: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
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
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::wholes")]
    pub commitments: Vec<u32>,
    /// Section IDs (`document/section`).
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub sections: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::items")]
    pub reports: Vec<InitiativeReport>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for Initiative {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        match &self.acronym {
            Some(a) if !a.eq_ignore_ascii_case(&self.name) => format!("{} ({})", self.name, a),
            _ => self.name.clone(),
        }
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, _: Option<&str>, out: &mut Vec<FieldRef>) {
        for t in &self.transformations {
            out.push(FieldRef::new("transformations", Kind::Transformation, t.clone()));
        }
        for c in &self.commitments {
            out.push(FieldRef::new("commitments", Kind::Commitment, c.to_string()));
        }
        for s in &self.sections {
            out.push(FieldRef::new("sections", Kind::Section, s.clone()));
        }
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        self.reports
            .iter()
            .enumerate()
            .map(|(n, rep)| (format!("reports[{n}].actions"), rep.actions.as_str()))
            .collect()
    }
}

impl KindType for Initiative {
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.md"),
            format!(
                "---\nid: {id}\nname: \"{}\"\ntransformations: []\n{}---\n{}\n",
                placeholder::NAME,
                new.source(),
                placeholder::BODY
            ),
        )
    }

    /// `url` is a web address; each report's year lies in the source document's period.
    fn check_site(site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
        for rec in site.of_kind(Kind::Initiative) {
            if let RecordData::Initiative(i) = &rec.data {
                super::checks::web_address(sources, rec, "url", i.url.as_deref(), diags);
                for (n, report) in i.reports.iter().enumerate() {
                    super::checks::year_within_document(
                        site,
                        sources,
                        rec,
                        report.year,
                        &format!("reports[{n}].year"),
                        diags,
                    );
                }
            }
        }
    }
}
