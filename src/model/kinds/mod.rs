//! Record kinds, declared once. Each kind is a file of this folder (its fields and what they
//! mean: title, references, Markdown texts, a skeleton for `pactgen new`, its own checks of the
//! site) and one line of [`kinds!`] below, which makes [`Kind`] and everything that goes from a
//! kind to its type: [`Kind::ALL`], names and folders, [`RecordData`], and [`visit`], through
//! which loading, schemas and skeletons reach the kind's type.
//!
//! Adding a kind: its file here, its line below, a template (`themes/default/templates/`,
//! optional: `record.html` shows any kind), a record in the fixture site and its section in
//! docs/content-format.md.

use super::{FieldRef, Site};
use crate::diagnostics::{Diagnostic, SourceMap};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares the kinds: `Variant(module::Type) name folder url-segment label plural has-index`.
macro_rules! kinds {
    ($($variant:ident($module:ident::$ty:ident) $name:literal $folder:literal $url:literal $label:literal $plural:literal $index:literal;)*) => {
        $(pub mod $module;)*
        $(pub use $module::*;)*

        /// Every record kind pactgen knows. The order here is the order of menus and exports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Kind {
            $($variant,)*
        }

        impl Kind {
            /// How many kinds there are.
            pub const COUNT: usize = [$(stringify!($variant)),*].len();
            pub const ALL: [Kind; Self::COUNT] = [$(Kind::$variant),*];

            /// The name used in typed links (`initiative:dtm`), `pactgen new` and JSON.
            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }

            /// Folder under `content/`.
            pub fn folder(self) -> &'static str {
                match self { $(Kind::$variant => $folder,)* }
            }

            /// First URL segment of the kind's pages and its index page (`/commitments/`).
            /// Sections live under their document; pages live at the root.
            pub fn url_segment(self) -> &'static str {
                match self { $(Kind::$variant => $url,)* }
            }

            pub fn label(self) -> &'static str {
                match self { $(Kind::$variant => $label,)* }
            }

            pub fn plural_label(self) -> &'static str {
                match self { $(Kind::$variant => $plural,)* }
            }

            /// Whether the kind has an index page listing all its records.
            pub fn has_index(self) -> bool {
                match self { $(Kind::$variant => $index,)* }
            }
        }

        /// The typed data of one record.
        #[derive(Debug, Clone, Serialize)]
        #[serde(untagged)]
        pub enum RecordData {
            $($variant($ty),)*
        }

        impl RecordData {
            pub fn kind(&self) -> Kind {
                match self { $(RecordData::$variant(_) => Kind::$variant,)* }
            }

            /// What every kind answers: title, references, Markdown texts ...
            pub fn as_kind(&self) -> &dyn RecordKind {
                match self { $(RecordData::$variant(x) => x,)* }
            }
        }

        $(
            impl From<$ty> for RecordData {
                fn from(x: $ty) -> Self {
                    RecordData::$variant(x)
                }
            }
        )*

        /// Calls `visitor` with the type of `kind`'s records.
        pub fn visit<V: KindVisitor>(kind: Kind, visitor: V) -> V::Output {
            match kind { $(Kind::$variant => visitor.visit::<$ty>(),)* }
        }
    };
}

kinds! {
    Organisation(organisation::Organisation) "organisation" "organisations" "organisations" "Organisation" "Organisations" true;
    CoreResponsibility(core_responsibility::CoreResponsibility) "core-responsibility" "core-responsibilities" "core-responsibilities" "Core responsibility" "Core responsibilities" true;
    Transformation(transformation::Transformation) "transformation" "transformations" "transformations" "Transformation" "Transformations" true;
    CoreCommitment(core_commitment::CoreCommitment) "core-commitment" "core-commitments" "core-commitments" "Core commitment" "Core commitments" true;
    Commitment(commitment::Commitment) "commitment" "commitments" "commitments" "Commitment" "Commitments" true;
    Report(report::Report) "report" "reports" "reports" "Self-report" "Self-reports" true;
    Initiative(initiative::Initiative) "initiative" "initiatives" "initiatives" "Initiative" "Initiatives" true;
    ActionPlan(action_plan::ActionPlan) "action-plan" "action-plans" "action-plans" "Action plan" "Action plans" true;
    FundingTable(funding_table::FundingTable) "funding-table" "funding-tables" "funding" "Funding table" "Funding requirements" true;
    Glossary(glossary::Glossary) "glossary" "glossary" "glossary" "Glossary" "Glossary" true;
    Document(document::Document) "document" "documents" "documents" "Source document" "Source documents" true;
    Section(section::Section) "section" "sections" "documents" "Document section" "Document sections" false;
    Page(page::Page) "page" "pages" "" "Page" "Pages" false;
}

impl Kind {
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }
}

impl crate::paths::KindNames for Kind {
    fn name(self) -> &'static str {
        Kind::name(self)
    }
    fn folder(self) -> &'static str {
        Kind::folder(self)
    }
    fn url_segment(self) -> &'static str {
        Kind::url_segment(self)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

/// What every record kind answers about one of its records.
pub trait RecordKind {
    /// The ID as written (`3A`; `2017/3A` for a report, `document/section` for a section).
    fn record_id(&self) -> String;

    /// A human title for lists and links.
    fn title(&self) -> String;

    /// A short label for link lists: the code or ID where readers know records by it.
    fn short_title(&self) -> String {
        self.title()
    }

    /// The source document the record comes from (every kind but documents and pages).
    fn source(&self) -> Option<&Source> {
        None
    }

    /// Old URLs (paths such as `/old/commitment/`) that redirect here.
    fn aliases(&self) -> &[String];

    fn keywords(&self) -> &[String] {
        &[]
    }

    /// Every ID the record names in a field besides its source document, with the field it is
    /// named in. `default_org`: the site's organisation, for records that may omit theirs.
    fn references(&self, _default_org: Option<&str>, _out: &mut Vec<FieldRef>) {}

    /// Every Markdown text of the record's fields, with the field's name (the body of a `.md`
    /// file is added by [`super::Record::markdown_fields`]).
    fn markdown_fields(&self) -> Vec<(String, &str)> {
        Vec::new()
    }

    /// Reading order in lists, before the ID (funding tables, sections).
    fn order(&self) -> i64 {
        0
    }

    /// The output path of the record's page when it is not `<kind's segment>/<ID>/`.
    fn page_path(&self) -> Option<String> {
        None
    }
}

/// A kind's type: its fields (deserialized, with a JSON Schema), its skeleton and its checks.
pub trait KindType:
    RecordKind + DeserializeOwned + JsonSchema + Into<RecordData> + 'static
{
    /// A valid record for `pactgen new`: its path under the kind's folder and its text.
    fn skeleton(new: &Skeleton) -> (String, String);

    /// Checks of all the kind's records together, with the whole site (arithmetic, cycles,
    /// codes ...). Run by the link stage, and again by the live preview when a record of the
    /// kind changed.
    fn check_site(_site: &Site, _sources: &SourceMap, _diags: &mut Vec<Diagnostic>) {}
}

/// Something done with the type of a kind's records (see [`visit`]).
pub trait KindVisitor {
    type Output;
    fn visit<T: KindType>(self) -> Self::Output;
}

/// Runs the checks of `kind` (its [`KindType::check_site`]).
pub fn check_kind(kind: Kind, site: &Site, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    struct Check<'a>(&'a Site, &'a SourceMap, &'a mut Vec<Diagnostic>);
    impl KindVisitor for Check<'_> {
        type Output = ();
        fn visit<T: KindType>(self) {
            T::check_site(self.0, self.1, self.2)
        }
    }
    visit(kind, Check(site, sources, diags))
}

/// What a skeleton record is made of: its ID and records that exist, so that it resolves.
pub struct Skeleton<'a> {
    pub id: &'a str,
    /// The first document, core responsibility and transformation of the site.
    pub document: &'a str,
    pub core_responsibility: &'a str,
    pub transformation: &'a str,
}

impl Skeleton<'_> {
    /// A `source:` block naming the site's first document.
    pub fn source(&self) -> String {
        format!("source:\n  document: {}\n  section: \"\"\n", self.document)
    }
}

/// Helpers the kinds' checks share.
pub(crate) mod checks {
    use crate::spans::field_span;
    use std::ops::Range;

    /// Where `field` (with `value`, if given) is written in a record's YAML.
    pub fn span(
        sources: &crate::diagnostics::SourceMap,
        rec: &super::super::Record,
        field: &str,
        value: Option<&str>,
    ) -> Range<usize> {
        let text = sources.text(rec.file);
        field_span(text, rec.yaml_offset..text.len(), field, value)
    }

    /// `url` and `website` fields become links: only web addresses are allowed.
    pub fn web_address(
        sources: &crate::diagnostics::SourceMap,
        rec: &super::super::Record,
        field: &str,
        value: Option<&str>,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        let Some(value) = value else { return };
        let lower = value.trim().to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return;
        }
        diags.push(
            crate::diagnostics::Diagnostic::error(
                "bad-url",
                format!("`{field}` must be a web address, not `{value}`"),
            )
            .at(
                rec.file,
                span(sources, rec, field, None),
                "not an http(s) address",
            )
            .field(field)
            .hint("write the full address, e.g. `https://www.iom.int`"),
        );
    }
}
