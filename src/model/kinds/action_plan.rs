//! An action plan: numbered commitments with their deliverables (the Institutional Plan).

use super::{KindType, RecordKind, Skeleton, Source};
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
    pub source: Source,
}

impl RecordKind for ActionPlan {
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
    fn skeleton(new: &Skeleton) -> (String, String) {
        let id = new.id;
        (
            format!("{id}.md"),
            format!(
                "---\nid: {id}\ntitle: New action plan\ncommitments:\n  - number: 1\n    title: First commitment\n    deliverables:\n      - number: \"1.1\"\n        text: A deliverable.\n{}---\nIntroduction.\n",
                new.source()
            ),
        )
    }
}
