//! Typed records: plain data keyed by ID in one `Site` map. Relations are IDs, never references.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Every record kind pactgen knows. The order here is the order of menus and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Organisation,
    CoreResponsibility,
    Transformation,
    CoreCommitment,
    Commitment,
    Report,
    Initiative,
    ActionPlan,
    FundingTable,
    Glossary,
    Document,
    Section,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Organisation,
        Kind::CoreResponsibility,
        Kind::Transformation,
        Kind::CoreCommitment,
        Kind::Commitment,
        Kind::Report,
        Kind::Initiative,
        Kind::ActionPlan,
        Kind::FundingTable,
        Kind::Glossary,
        Kind::Document,
        Kind::Section,
        Kind::Page,
    ];

    /// The name used in typed links (`initiative:dtm`), `pactgen new` and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organisation => "organisation",
            Kind::CoreResponsibility => "core-responsibility",
            Kind::Transformation => "transformation",
            Kind::CoreCommitment => "core-commitment",
            Kind::Commitment => "commitment",
            Kind::Report => "report",
            Kind::Initiative => "initiative",
            Kind::ActionPlan => "action-plan",
            Kind::FundingTable => "funding-table",
            Kind::Glossary => "glossary",
            Kind::Document => "document",
            Kind::Section => "section",
            Kind::Page => "page",
        }
    }

    /// Folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Organisation => "organisations",
            Kind::CoreResponsibility => "core-responsibilities",
            Kind::Transformation => "transformations",
            Kind::CoreCommitment => "core-commitments",
            Kind::Commitment => "commitments",
            Kind::Report => "reports",
            Kind::Initiative => "initiatives",
            Kind::ActionPlan => "action-plans",
            Kind::FundingTable => "funding-tables",
            Kind::Glossary => "glossary",
            Kind::Document => "documents",
            Kind::Section => "sections",
            Kind::Page => "pages",
        }
    }

    /// First URL segment of the kind's pages and its index page (`/commitments/`).
    /// Sections live under their document; pages live at the root.
    pub fn url_segment(self) -> &'static str {
        match self {
            Kind::FundingTable => "funding",
            Kind::Section => "documents",
            Kind::Page => "",
            other => other.folder(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Organisation => "Organisation",
            Kind::CoreResponsibility => "Core responsibility",
            Kind::Transformation => "Transformation",
            Kind::CoreCommitment => "Core commitment",
            Kind::Commitment => "Commitment",
            Kind::Report => "Self-report",
            Kind::Initiative => "Initiative",
            Kind::ActionPlan => "Action plan",
            Kind::FundingTable => "Funding table",
            Kind::Glossary => "Glossary",
            Kind::Document => "Source document",
            Kind::Section => "Document section",
            Kind::Page => "Page",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Organisation => "Organisations",
            Kind::CoreResponsibility => "Core responsibilities",
            Kind::Transformation => "Transformations",
            Kind::CoreCommitment => "Core commitments",
            Kind::Commitment => "Commitments",
            Kind::Report => "Self-reports",
            Kind::Initiative => "Initiatives",
            Kind::ActionPlan => "Action plans",
            Kind::FundingTable => "Funding requirements",
            Kind::Glossary => "Glossary",
            Kind::Document => "Source documents",
            Kind::Section => "Document sections",
            Kind::Page => "Pages",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    /// Whether the kind has an index page listing all its records.
    pub fn has_index(self) -> bool {
        !matches!(self, Kind::Section | Kind::Page)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A record's identity: its kind and its ID folded to lower case, so that IDs differing only by
/// case are one key (and collide), and typed links are case-insensitive (`transformation:3a`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RecordKey {
    pub kind: Kind,
    pub id: String,
}

impl RecordKey {
    pub fn new(kind: Kind, id: &str) -> Self {
        RecordKey {
            kind,
            id: id.to_lowercase(),
        }
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.id)
    }
}

// ---------------------------------------------------------------------------------------------
// Site settings
// ---------------------------------------------------------------------------------------------

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// One-line description (home page, feed, meta description).
    #[serde(default, deserialize_with = "crate::strict::opt_text_or_empty")]
    #[schemars(with = "Option<String>")]
    pub description: String,
    /// Absolute URL or path the site is published under; `--base-url` overrides it.
    #[serde(default = "default_base_url", deserialize_with = "crate::strict::text")]
    pub base_url: String,
    /// `lang` attribute of every page.
    #[serde(default = "default_language", deserialize_with = "crate::strict::text")]
    pub language: String,
    /// Folder under `themes/`.
    #[serde(default = "default_theme", deserialize_with = "crate::strict::text")]
    pub theme: String,
    /// ID of the site's own organisation, the default for records that omit `organisation`.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub organisation: Option<String>,
    /// Minify HTML with minify-html. Off by default: on a 10,000-commitment site it saves 4.8%
    /// of the HTML bytes (0.7% after gzip) and nearly doubles the build time
    /// (docs/benchmarks.md); turn it on for hosts that serve pages uncompressed.
    #[serde(default)]
    pub minify: bool,
    /// Write links relative to each page (`../../commitments/200005/index.html`) so the output
    /// works from any sub-path and opened straight from disk (`file://`).
    #[serde(default)]
    pub relative_urls: bool,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Site menu.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Which files besides the HTML pages a build writes.
    #[serde(default)]
    pub outputs: Outputs,
}

/// Optional outputs. All on by default; `pactgen build --pages-only` turns them all off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// The search page and its index (`/search/`).
    #[serde(default = "yes")]
    pub search: bool,
    /// Data exports: `index.json` beside every record page, `/data/<kind>.json`,
    /// `/data/commitments.csv`.
    #[serde(default = "yes")]
    pub data: bool,
    /// Chrome-less record pages for `<iframe>` embedding (`/embed/<kind>/<id>/`).
    #[serde(default = "yes")]
    pub embeds: bool,
    /// The Atom feed (`/atom.xml`).
    #[serde(default = "yes")]
    pub feed: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs::ALL
    }
}

impl Outputs {
    pub const ALL: Outputs = Outputs {
        search: true,
        data: true,
        embeds: true,
        feed: true,
    };
    pub const PAGES_ONLY: Outputs = Outputs {
        search: false,
        data: false,
        embeds: false,
        feed: false,
    };
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in Markdown through. Off by default: record text is escaped.
    #[serde(default)]
    pub unsafe_html: bool,
    /// Curly quotes and dashes.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks with CSS classes.
    #[serde(default = "yes")]
    pub highlight_code: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: false,
            smart_punctuation: true,
            highlight_code: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// A path (`/commitments/`) or a typed link (`page:about`).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub link: String,
}

// ---------------------------------------------------------------------------------------------
// Record kinds
// ---------------------------------------------------------------------------------------------

/// Where a record comes from.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// ID of a `document` record.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub document: String,
    /// Chapter, heading or table of the document.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub section: Option<String>,
    /// What was repaired from the source, and how.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
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
    pub source: Source,
}

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

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transformation {
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
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoreCommitment {
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
    pub source: Source,
}

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
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Reporting year.
    #[serde(deserialize_with = "crate::strict::whole")]
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
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeReport {
    #[serde(deserialize_with = "crate::strict::whole")]
    pub year: u16,
    /// Concrete actions taken in support of the initiative (Markdown).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub actions: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
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
    #[serde(default)]
    pub reports: Vec<InitiativeReport>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

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
    #[serde(default)]
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
    pub commitments: Vec<PlanCommitment>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingRow {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub label: String,
    /// One value per column; `null` for a cell printed as `-`.
    #[serde(deserialize_with = "crate::strict::opt_wholes")]
    pub values: Vec<Option<u64>>,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub total: u64,
    /// ID of the funding table this row summarises.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub table: Option<String>,
    /// What was repaired.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub note: Option<String>,
    /// The document's own arithmetic error, acknowledged.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub document_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingTotal {
    #[serde(deserialize_with = "crate::strict::opt_wholes")]
    pub values: Vec<Option<u64>>,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub total: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingTable {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default = "default_currency", deserialize_with = "crate::strict::text")]
    pub currency: String,
    #[serde(deserialize_with = "crate::strict::some_texts")]
    #[schemars(length(min = 1), inner(length(min = 1), regex(pattern = r"\S")))]
    pub columns: Vec<String>,
    pub rows: Vec<FundingRow>,
    pub total: FundingTotal,
    #[serde(default, deserialize_with = "crate::strict::whole")]
    pub order: i64,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

fn default_currency() -> String {
    "USD".into()
}

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
    pub terms: Vec<GlossaryTerm>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub publisher: String,
    #[serde(deserialize_with = "crate::strict::whole")]
    pub year: u16,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub period: Option<String>,
    /// Markdown.
    #[serde(default, deserialize_with = "crate::strict::opt_text_or_empty")]
    #[schemars(with = "Option<String>")]
    pub description: String,
    /// Seed file name.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub file: Option<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Unique within its document.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub document: String,
    /// Parent section ID within the same document.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub parent: Option<String>,
    #[serde(default, deserialize_with = "crate::strict::whole")]
    pub order: i64,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub initiatives: Vec<String>,
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub transformations: Vec<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Page {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(regex(
        pattern = r"^(?!\.)(?!.*\.\.)(?!(?:[cC][oO][nN]|[pP][rR][nN]|[aA][uU][xX]|[nN][uU][lL]|[cC][oO][mM][1-9]|[lL][pP][tT][1-9])(?:\.|$))[A-Za-z0-9_.-]{1,100}$"
    ))]
    pub id: String,
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub description: Option<String>,
    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    #[serde(default, deserialize_with = "crate::strict::texts")]
    #[schemars(inner(length(min = 1), regex(pattern = r"\S")))]
    pub aliases: Vec<String>,
}

/// The typed data of one record.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RecordData {
    Organisation(Organisation),
    CoreResponsibility(CoreResponsibility),
    Transformation(Transformation),
    CoreCommitment(CoreCommitment),
    Commitment(Commitment),
    Report(Report),
    Initiative(Initiative),
    ActionPlan(ActionPlan),
    FundingTable(FundingTable),
    Glossary(Glossary),
    Document(Document),
    Section(Section),
    Page(Page),
}

/// Index of a loaded source file in [`crate::diagnostics::SourceMap`].
pub type FileId = usize;

/// One loaded record.
#[derive(Debug, Clone)]
pub struct Record {
    pub key: RecordKey,
    /// The ID as written (case kept), e.g. `3A`, `2017/3A`.
    pub id: String,
    pub file: FileId,
    /// Byte offset of the YAML inside the file (after a front-matter fence).
    pub yaml_offset: usize,
    /// Markdown body of a `.md` record, and its byte offset in the file. A slice of the file's
    /// text in the source map, not a copy: bodies are most of a site's input.
    pub body: Option<(bytestring::ByteString, usize)>,
    pub data: RecordData,
}

impl Record {
    pub fn kind(&self) -> Kind {
        self.key.kind
    }

    /// A human title for lists and links.
    pub fn title(&self) -> String {
        match &self.data {
            RecordData::Organisation(o) => o.name.clone(),
            RecordData::CoreResponsibility(c) => c.title.clone(),
            RecordData::Transformation(t) => format!("{} {}", t.id, t.title),
            RecordData::CoreCommitment(c) => crate::text::first_words(&c.text, 14),
            RecordData::Commitment(c) => {
                format!("{} {}", c.id, crate::text::first_words(&c.text, 12))
            }
            RecordData::Report(r) => format!("{} self-report, {}", r.year, r.transformation),
            RecordData::Initiative(i) => match &i.acronym {
                Some(a) if !a.eq_ignore_ascii_case(&i.name) => format!("{} ({})", i.name, a),
                _ => i.name.clone(),
            },
            RecordData::ActionPlan(a) => a.title.clone(),
            RecordData::FundingTable(f) => f.title.clone(),
            RecordData::Glossary(g) => g.title.clone(),
            RecordData::Document(d) => d.title.clone(),
            RecordData::Section(s) => s.title.clone(),
            RecordData::Page(p) => p.title.clone(),
        }
    }

    /// A short label for link lists: the code or ID where readers know records by it.
    pub fn short_title(&self) -> String {
        match &self.data {
            RecordData::CoreResponsibility(c) => format!("{}. {}", c.id, c.title),
            RecordData::Commitment(c) => c.id.to_string(),
            RecordData::Report(r) => format!("{} {}", r.year, r.transformation),
            _ => self.title(),
        }
    }

    pub fn source(&self) -> Option<&Source> {
        match &self.data {
            RecordData::Organisation(x) => Some(&x.source),
            RecordData::CoreResponsibility(x) => Some(&x.source),
            RecordData::Transformation(x) => Some(&x.source),
            RecordData::CoreCommitment(x) => Some(&x.source),
            RecordData::Commitment(x) => Some(&x.source),
            RecordData::Report(x) => Some(&x.source),
            RecordData::Initiative(x) => Some(&x.source),
            RecordData::ActionPlan(x) => Some(&x.source),
            RecordData::FundingTable(x) => Some(&x.source),
            RecordData::Glossary(x) => Some(&x.source),
            RecordData::Section(x) => Some(&x.source),
            RecordData::Document(_) | RecordData::Page(_) => None,
        }
    }

    pub fn aliases(&self) -> &[String] {
        match &self.data {
            RecordData::Organisation(x) => &x.aliases,
            RecordData::CoreResponsibility(x) => &x.aliases,
            RecordData::Transformation(x) => &x.aliases,
            RecordData::CoreCommitment(x) => &x.aliases,
            RecordData::Commitment(x) => &x.aliases,
            RecordData::Report(x) => &x.aliases,
            RecordData::Initiative(x) => &x.aliases,
            RecordData::ActionPlan(x) => &x.aliases,
            RecordData::FundingTable(x) => &x.aliases,
            RecordData::Glossary(x) => &x.aliases,
            RecordData::Document(x) => &x.aliases,
            RecordData::Section(x) => &x.aliases,
            RecordData::Page(x) => &x.aliases,
        }
    }

    /// Path of the record's chrome-less embed page, relative to the site root.
    pub fn embed_path(&self) -> String {
        format!("embed/{}/{}/", self.kind().name(), self.key.id)
    }

    pub fn keywords(&self) -> &[String] {
        match &self.data {
            RecordData::Commitment(c) => &c.keywords,
            RecordData::Report(r) => &r.keywords,
            _ => &[],
        }
    }
}

/// The IDs a site's templates write into pages (`id="main"`): what the link stage needs of
/// the templates to check `#fragment`s of typed links, and what Markdown headings avoid.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TemplateIds {
    /// Every literal ID of every template (Markdown headings and footnotes take others).
    pub all: std::collections::BTreeSet<String>,
    /// The literal IDs of each kind's page template and the templates it uses.
    pub by_kind: BTreeMap<Kind, std::collections::BTreeSet<String>>,
}

/// All records of a site, keyed by kind and ID, plus its settings.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub records: BTreeMap<RecordKey, Record>,
    /// The static files the build copies (theme's, then the site's), as output paths: no
    /// record or alias may take their names.
    pub static_files: std::collections::BTreeSet<String>,
}

impl Site {
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Record> {
        self.records.get(&RecordKey::new(kind, id))
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Record> {
        self.records
            .range(RecordKey::new(kind, "")..)
            .take_while(move |(k, _)| k.kind == kind)
            .map(|(_, r)| r)
    }
}

/// A reference from one record to another through a field.
#[derive(Debug, Clone)]
pub struct FieldRef {
    /// Field path as a user writes it (`transformations`, `commitments[2].initiatives`).
    pub field: String,
    pub kind: Kind,
    pub id: String,
}

impl Record {
    /// Output path of the record's page, relative to the site root, ending in `/`.
    pub fn path(&self) -> String {
        match &self.data {
            RecordData::Page(p) => format!("{}/", p.id.to_lowercase()),
            RecordData::Section(s) => format!(
                "documents/{}/{}/",
                s.document.to_lowercase(),
                s.id.to_lowercase()
            ),
            RecordData::Report(r) => {
                format!("reports/{}/{}/", r.year, r.transformation.to_lowercase())
            }
            _ => format!("{}/{}/", self.kind().url_segment(), self.key.id),
        }
    }

    /// Every ID this record names in a field, with the field it is named in.
    pub fn references(&self, default_org: Option<&str>) -> Vec<FieldRef> {
        let mut out = Vec::new();
        let mut push = |field: &str, kind: Kind, id: String| {
            out.push(FieldRef {
                field: field.to_string(),
                kind,
                id,
            })
        };
        if let Some(src) = self.source() {
            push("source.document", Kind::Document, src.document.clone());
        }
        let org = |o: &Option<String>| o.clone().or_else(|| default_org.map(String::from));
        match &self.data {
            RecordData::Transformation(t) => {
                push(
                    "core_responsibility",
                    Kind::CoreResponsibility,
                    t.core_responsibility.to_string(),
                );
            }
            RecordData::CoreCommitment(c) => {
                for cr in &c.core_responsibilities {
                    push(
                        "core_responsibilities",
                        Kind::CoreResponsibility,
                        cr.to_string(),
                    );
                }
                for t in &c.transformations {
                    push("transformations", Kind::Transformation, t.clone());
                }
            }
            RecordData::Commitment(c) => {
                if let Some(o) = org(&c.organisation) {
                    push("organisation", Kind::Organisation, o);
                }
                for cr in &c.core_responsibilities {
                    push(
                        "core_responsibilities",
                        Kind::CoreResponsibility,
                        cr.to_string(),
                    );
                }
                for t in &c.transformations {
                    push("transformations", Kind::Transformation, t.clone());
                }
                for i in &c.initiatives {
                    push("initiatives", Kind::Initiative, i.clone());
                }
            }
            RecordData::Report(r) => {
                if let Some(o) = org(&r.organisation) {
                    push("organisation", Kind::Organisation, o);
                }
                push(
                    "transformation",
                    Kind::Transformation,
                    r.transformation.clone(),
                );
            }
            RecordData::Initiative(i) => {
                for t in &i.transformations {
                    push("transformations", Kind::Transformation, t.clone());
                }
                for c in &i.commitments {
                    push("commitments", Kind::Commitment, c.to_string());
                }
                for s in &i.sections {
                    push("sections", Kind::Section, s.clone());
                }
            }
            RecordData::ActionPlan(a) => {
                if let Some(o) = org(&a.organisation) {
                    push("organisation", Kind::Organisation, o);
                }
                for t in &a.transformations {
                    push("transformations", Kind::Transformation, t.clone());
                }
                for i in &a.initiatives {
                    push("initiatives", Kind::Initiative, i.clone());
                }
                for (n, c) in a.commitments.iter().enumerate() {
                    for t in &c.transformations {
                        push(
                            &format!("commitments[{n}].transformations"),
                            Kind::Transformation,
                            t.clone(),
                        );
                    }
                    for i in &c.initiatives {
                        push(
                            &format!("commitments[{n}].initiatives"),
                            Kind::Initiative,
                            i.clone(),
                        );
                    }
                }
            }
            RecordData::FundingTable(f) => {
                for (n, row) in f.rows.iter().enumerate() {
                    if let Some(t) = &row.table {
                        push(&format!("rows[{n}].table"), Kind::FundingTable, t.clone());
                    }
                }
            }
            RecordData::Section(s) => {
                push("document", Kind::Document, s.document.clone());
                if let Some(p) = &s.parent {
                    push("parent", Kind::Section, format!("{}/{}", s.document, p));
                }
                for i in &s.initiatives {
                    push("initiatives", Kind::Initiative, i.clone());
                }
                for t in &s.transformations {
                    push("transformations", Kind::Transformation, t.clone());
                }
            }
            RecordData::Organisation(_)
            | RecordData::CoreResponsibility(_)
            | RecordData::Glossary(_)
            | RecordData::Document(_)
            | RecordData::Page(_) => {}
        }
        out
    }

    /// Every Markdown text of the record with its field name (`body` for the file's body).
    pub fn markdown_fields(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        match &self.data {
            RecordData::CoreCommitment(c) => out.push(("text".into(), &c.text)),
            RecordData::Commitment(c) => out.push(("text".into(), &c.text)),
            RecordData::Report(r) => {
                for (name, v) in [
                    ("actions", &r.actions),
                    ("progress_assessment", &r.progress_assessment),
                    ("challenges_impact", &r.challenges_impact),
                    ("plans", &r.plans),
                    ("collective_steps", &r.collective_steps),
                    ("good_practice", &r.good_practice),
                ] {
                    if let Some(t) = v {
                        out.push((name.to_string(), t.as_str()));
                    }
                }
            }
            RecordData::Initiative(i) => {
                for (n, rep) in i.reports.iter().enumerate() {
                    out.push((format!("reports[{n}].actions"), &rep.actions));
                }
            }
            RecordData::ActionPlan(a) => {
                for (n, c) in a.commitments.iter().enumerate() {
                    if let Some(t) = &c.text {
                        out.push((format!("commitments[{n}].text"), t));
                    }
                    for (d, del) in c.deliverables.iter().enumerate() {
                        out.push((
                            format!("commitments[{n}].deliverables[{d}].text"),
                            &del.text,
                        ));
                    }
                    if let Some(p) = &c.partnerships {
                        out.push((format!("commitments[{n}].partnerships"), p));
                    }
                }
            }
            RecordData::Document(d) => out.push(("description".into(), &d.description)),
            _ => {}
        }
        if let Some((body, _)) = &self.body {
            out.push(("body".into(), &**body));
        }
        out
    }
}

impl From<&MarkdownConfig> for crate::markdown::MarkdownOptions {
    fn from(c: &MarkdownConfig) -> Self {
        crate::markdown::MarkdownOptions {
            unsafe_html: c.unsafe_html,
            smart_punctuation: c.smart_punctuation,
            highlight_code: c.highlight_code,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Typed links
// ---------------------------------------------------------------------------------------------

/// What a typed link names: a record of a kind, or a keyword's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Record(Kind),
    Keyword,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Record(kind) => kind.fmt(f),
            Target::Keyword => f.write_str("keyword"),
        }
    }
}

/// A parsed typed-link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedLink<'a> {
    pub target: Target,
    pub id: &'a str,
    pub fragment: Option<&'a str>,
}

impl TypedLink<'_> {
    /// The record kind it names (`None` for a keyword).
    pub fn kind(&self) -> Option<Kind> {
        match self.target {
            Target::Record(kind) => Some(kind),
            Target::Keyword => None,
        }
    }
}

/// URL schemes that are never typed links and never get a "did you mean" (`gs:` is not a
/// misspelt `glossary:`): the permanent IANA schemes and common provisional ones that a
/// record might link to.
pub const URL_SCHEMES: &[&str] = &[
    "about",
    "blob",
    "callto",
    "cid",
    "data",
    "dav",
    "dict",
    "dns",
    "doi",
    "facetime",
    "fax",
    "feed",
    "file",
    "ftp",
    "geo",
    "git",
    "gopher",
    "gs",
    "http",
    "https",
    "im",
    "imap",
    "info",
    "ipfs",
    "ipns",
    "irc",
    "irc6",
    "ircs",
    "isbn",
    "jabber",
    "javascript",
    "ldap",
    "ldaps",
    "magnet",
    "mailto",
    "maps",
    "market",
    "matrix",
    "mid",
    "mms",
    "news",
    "nfs",
    "nntp",
    "onenote",
    "pop",
    "s3",
    "sftp",
    "sip",
    "sips",
    "skype",
    "slack",
    "sms",
    "smsto",
    "snmp",
    "spotify",
    "ssh",
    "steam",
    "svn",
    "tag",
    "teams",
    "tel",
    "telnet",
    "tg",
    "urn",
    "vbscript",
    "viber",
    "vnc",
    "webcal",
    "whatsapp",
    "ws",
    "wss",
    "xmpp",
    "zoommtg",
];

/// Classifies a link destination: `None` for an ordinary URL or path, `Some(Ok)` for a typed
/// link, `Some(Err)` for something that looks like a typed link with an unknown kind.
pub fn parse_typed_link(dest: &str) -> Option<Result<TypedLink<'_>, String>> {
    let (scheme, rest) = dest.split_once(':')?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
    {
        return None;
    }
    let (id, fragment) = match rest.split_once('#') {
        Some((id, f)) => (id, Some(f)),
        None => (rest, None),
    };
    if let Some(kind) = Kind::from_name(scheme) {
        let target = Target::Record(kind);
        return Some(Ok(TypedLink {
            target,
            id,
            fragment,
        }));
    }
    if scheme == "keyword" {
        let target = Target::Keyword;
        return Some(Ok(TypedLink {
            target,
            id,
            fragment,
        }));
    }
    if URL_SCHEMES.contains(&scheme) {
        return None;
    }
    // Plurals and folder names are common slips: `initiatives:dtm`.
    if let Some(kind) = Kind::from_folder(scheme) {
        return Some(Err(format!(
            "`{scheme}:` is not a link type; did you mean `{}:`?",
            kind.name()
        )));
    }
    let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    names.push("keyword");
    // Short schemes are too far from every kind to be a slip of one.
    let close = if scheme.len() < 4 {
        Vec::new()
    } else {
        crate::diagnostics::did_you_mean(scheme, names.iter().copied())
    };
    if close.is_empty() {
        None // an ordinary URL scheme such as `https:` or `mailto:`
    } else {
        Some(Err(format!(
            "`{scheme}:` is not a link type; did you mean {}?",
            crate::diagnostics::one_of(&close)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_kinds_are_classified() {
        assert!(matches!(
            parse_typed_link("keyword:data"),
            Some(Ok(TypedLink {
                target: Target::Keyword,
                ..
            }))
        ));
        for scheme in ["gs://bucket/x", "s3://b/k", "tel:+41", "urn:isbn:1"] {
            assert_eq!(parse_typed_link(scheme), None, "{scheme}");
        }
        assert_eq!(parse_typed_link("https://iom.int"), None);
        assert_eq!(parse_typed_link("mailto:a@b"), None);
        assert!(matches!(parse_typed_link("initiative:dtm"), Some(Ok(_))));
        assert!(matches!(parse_typed_link("initiatives:dtm"), Some(Err(_))));
        assert!(matches!(parse_typed_link("comitment:200001"), Some(Err(_))));
    }
}
