//! An action plan: numbered commitments with their deliverables (the Institutional Plan).

use super::{placeholder, KindType, RecordKind, Skeleton, Source};
use crate::model::{FieldRef, Kind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    /// As printed: `1`, `1.2` ...
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub number: String,
    /// Markdown.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanCommitment {
    #[serde(deserialize_with = "crate::strict::whole")]
    pub number: u32,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// Markdown.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::items")]
    pub deliverables: Vec<Deliverable>,
    /// Markdown.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub partnerships: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub initiatives: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
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
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub organisation: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub initiatives: Vec<String>,
    #[serde(deserialize_with = "crate::strict::items")]
    pub commitments: Vec<PlanCommitment>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    /// Where the record comes from; required unless the record is a draft.
    #[serde(default, deserialize_with = "crate::strict::present")]
    #[schemars(with = "Source")]
    pub source: Option<Source>,
}

impl RecordKind for ActionPlan {
    fn draft(&self) -> bool {
        self.draft
    }
    fn record_id(&self) -> String {
        self.id.clone()
    }
    fn title(&self) -> String {
        self.title.clone()
    }
    fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }
    fn aliases(&self) -> &[String] {
        &self.aliases
    }
    fn references(&self, default_org: Option<&str>, out: &mut Vec<FieldRef>) {
        if let Some(o) = self.organisation.as_deref().or(default_org) {
            out.push(FieldRef::new("organisation", Kind::Organisation, o));
        }
        for t in &self.transformations {
            out.push(FieldRef::new("transformations", Kind::Transformation, t.clone()));
        }
        for i in &self.initiatives {
            out.push(FieldRef::new("initiatives", Kind::Initiative, i.clone()));
        }
        for (n, c) in self.commitments.iter().enumerate() {
            for t in &c.transformations {
                out.push(FieldRef::new(format!("commitments[{n}].transformations"), Kind::Transformation, t.clone()));
            }
            for i in &c.initiatives {
                out.push(FieldRef::new(format!("commitments[{n}].initiatives"), Kind::Initiative, i.clone()));
            }
        }
    }
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        for (n, c) in self.commitments.iter().enumerate() {
            if let Some(t) = &c.text {
                out.push((format!("commitments[{n}].text"), t));
            }
            for (d, del) in c.deliverables.iter().enumerate() {
                out.push((format!("commitments[{n}].deliverables[{d}].text"), &del.text));
            }
            if let Some(p) = &c.partnerships {
                out.push((format!("commitments[{n}].partnerships"), p));
            }
        }
        out
    }
}

impl KindType for ActionPlan {
    /// Commitment numbers are unique in a plan, and each deliverable is numbered under its
    /// commitment (`1.2` under commitment 1).
    fn check_site(
        site: &crate::model::Site,
        sources: &crate::diagnostics::SourceMap,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        use crate::diagnostics::Diagnostic;
        for rec in site.of_kind(Kind::ActionPlan) {
            let crate::model::RecordData::ActionPlan(plan) = &rec.data else {
                continue;
            };
            let mut seen = std::collections::BTreeSet::new();
            for (n, c) in plan.commitments.iter().enumerate() {
                if !seen.insert(c.number) {
                    diags.push(
                        Diagnostic::error(
                            "duplicate-number",
                            format!("two commitments of this plan are numbered {}", c.number),
                        )
                        .at(
                            rec.file,
                            super::checks::span(sources, rec, "title", Some(&c.title)),
                            "the second one",
                        )
                        .field(format!("commitments[{n}].number"))
                        .hint("number the plan's commitments as the document does, each once"),
                    );
                }
                for (d, del) in c.deliverables.iter().enumerate() {
                    let head = del.number.split('.').next().unwrap_or("").trim();
                    if head != c.number.to_string() {
                        diags.push(
                            Diagnostic::error(
                                "deliverable-number",
                                format!(
                                    "deliverable {} is listed under commitment {}",
                                    del.number, c.number
                                ),
                            )
                            .at(
                                rec.file,
                                super::checks::span(sources, rec, "number", Some(&del.number)),
                                format!("not under {}", c.number),
                            )
                            .field(format!("commitments[{n}].deliverables[{d}].number"))
                            .hint(format!(
                                "a deliverable's number starts with its commitment's: `{}.1`, `{}.2` ...; or move it under commitment {head}",
                                c.number, c.number
                            )),
                        );
                    }
                }
            }
        }
    }

    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.md"),
            format!(
                "---\nid: {id}\ntitle: \"{title}\"\ncommitments:\n  - number: 1\n    title: \"{title}\"\n    deliverables:\n      - number: \"1.1\"\n        text: \"{}\"\n{}---\n{}\n",
                placeholder::TEXT,
                new.source(),
                placeholder::BODY,
                title = placeholder::TITLE,
            ),
        )
    }
}
