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
        $(pub(crate) mod $module;)*
        $(pub(crate) use $module::*;)*

        /// Every record kind pactgen knows. The order here is the order of menus and exports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Kind {
            $(
                #[doc = concat!("`", $name, "` records, read from `content/", $folder, "/`.")]
                $variant,
            )*
        }

        impl Kind {
            /// How many kinds there are.
            pub const COUNT: usize = [$(stringify!($variant)),*].len();
            /// Every kind, in the order of menus and exports.
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

            /// The kind's name in headings and menus (`Action plan`).
            pub fn label(self) -> &'static str {
                match self { $(Kind::$variant => $label,)* }
            }

            /// The plural, the title of the kind's index page (`Action plans`).
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
        pub(crate) fn visit<V: KindVisitor>(kind: Kind, visitor: V) -> V::Output {
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
    /// The kind of a typed link's or `pactgen new`'s name (`action-plan`).
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind whose records live in `content/<folder>/`.
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

    /// `draft: true`: checked, previewed by `serve` with a banner, left out of `build`.
    fn draft(&self) -> bool;

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
pub(crate) trait KindType:
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
pub(crate) trait KindVisitor {
    type Output;
    fn visit<T: KindType>(self) -> Self::Output;
}

/// Runs the checks of `kind` (its [`KindType::check_site`]).
pub(crate) fn check_kind(
    kind: Kind,
    site: &Site,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
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
    /// The new record's ID.
    pub id: &'a str,
    /// The source document, when it is known (`pactgen new --source`, or the site's only
    /// document); otherwise the skeleton leaves `source` out, which a draft may.
    pub document: Option<&'a str>,
    /// The documents of the site, named in a comment when `document` is not known.
    pub documents: &'a [&'a str],
    /// A transformation of the site and its core responsibility, for the kinds that must name
    /// one (a comment says to replace them).
    pub core_responsibility: &'a str,
    /// A transformation code of the site (`3A`).
    pub transformation: &'a str,
}

impl Skeleton<'_> {
    /// A `source:` block naming the document, or, without one, a comment saying what to write.
    pub fn source(&self) -> String {
        match self.document {
            Some(d) => format!("source:\n  document: {d}\n  section: \"\"\n"),
            None if self.documents.is_empty() => {
                "# Required once `draft: true` is removed: the document this comes from.\n# source:\n#   document: ID\n".into()
            }
            None => format!(
                "# Required once `draft: true` is removed: the document this comes from.\n# source:\n#   document: ID\n# Documents: {}\n",
                self.documents.join(", ")
            ),
        }
    }
}

/// The texts skeletons hold until an editor replaces them: `check` warns about every one left
/// in a record (`placeholder-text`). Each starts with [`placeholder::MARK`].
pub(crate) mod placeholder {
    /// How every placeholder starts (one search per file finds them all).
    pub(crate) const MARK: &str = "TODO:";
    pub(crate) const TITLE: &str = "TODO: the title, as the source document prints it";
    pub(crate) const NAME: &str = "TODO: the full name";
    pub(crate) const TEXT: &str = "TODO: the text, word for word from the source document";
    pub(crate) const BODY: &str = "TODO: the text of this record (Markdown), or remove these lines";
    pub(crate) const ACTIONS: &str = "TODO: what was done in the year, as reported";
    pub(crate) const LABEL: &str = "TODO: the row's label";
    pub(crate) const DEFINITION: &str = "TODO: what the term stands for";
    pub(crate) const PUBLISHER: &str = "TODO: who published the document";
    pub(crate) const ALL: [&str; 8] = [
        TITLE, NAME, TEXT, BODY, ACTIONS, LABEL, DEFINITION, PUBLISHER,
    ];
}

/// Helpers the kinds' checks share.
pub(crate) mod checks {
    use crate::spans::field_span;
    use std::ops::Range;

    /// Where `field` (with `value`, if given) is written in a record's YAML.
    pub(crate) fn span(
        sources: &crate::diagnostics::SourceMap,
        rec: &super::super::Record,
        field: &str,
        value: Option<&str>,
    ) -> Range<usize> {
        let text = sources.text(rec.file);
        field_span(text, rec.yaml_offset..text.len(), field, value)
    }

    /// The transformations of a commitment (or core commitment) must belong to one of its core
    /// responsibilities: `3A` under core responsibility 3. Each transformation's own record
    /// says which one it belongs to (unknown transformations are reported by the link stage).
    /// Checked for every record of `kind` (commitments and core commitments carry both lists).
    pub(crate) fn transformations_under_core_responsibilities(
        site: &super::super::Site,
        sources: &crate::diagnostics::SourceMap,
        kind: super::super::Kind,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        use super::super::RecordData;
        for rec in site.of_kind(kind) {
            let (core_responsibilities, transformations) = match &rec.data {
                RecordData::Commitment(c) => (&c.core_responsibilities, &c.transformations),
                RecordData::CoreCommitment(c) => (&c.core_responsibilities, &c.transformations),
                _ => continue,
            };
            transformations_of_one(
                site,
                sources,
                rec,
                core_responsibilities,
                transformations,
                diags,
            );
        }
    }

    fn transformations_of_one(
        site: &super::super::Site,
        sources: &crate::diagnostics::SourceMap,
        rec: &super::super::Record,
        core_responsibilities: &[u8],
        transformations: &[String],
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        use super::super::{Kind, RecordData};
        for code in transformations {
            let Some(t) = site.get(Kind::Transformation, code) else {
                continue;
            };
            let RecordData::Transformation(t) = &t.data else {
                continue;
            };
            let cr = t.core_responsibility;
            // A transformation whose code disagrees with its own core responsibility is
            // reported on its own record; its records are not blamed for it.
            let own = t.id.chars().next().and_then(|c| c.to_digit(10));
            if core_responsibilities.contains(&cr) || own != Some(u32::from(cr)) {
                continue;
            }
            let listed: Vec<String> = core_responsibilities.iter().map(u8::to_string).collect();
            let mut with: Vec<u8> = core_responsibilities.to_vec();
            with.push(cr);
            with.sort_unstable();
            with.dedup();
            let with: Vec<String> = with.iter().map(u8::to_string).collect();
            // The transformations of the core responsibilities the record lists.
            let mut alternatives: Vec<&str> = site
                .of_kind(Kind::Transformation)
                .filter(|x| match &x.data {
                    RecordData::Transformation(xt) => {
                        core_responsibilities.contains(&xt.core_responsibility)
                    }
                    _ => false,
                })
                .map(|x| x.id.as_str())
                .collect();
            alternatives.sort_unstable();
            let instead = if alternatives.is_empty() {
                String::new()
            } else {
                format!(
                    ", or choose a transformation of {} {}: {}",
                    if listed.len() == 1 {
                        "core responsibility"
                    } else {
                        "core responsibilities"
                    },
                    crate::diagnostics::all_of(
                        &listed.iter().map(String::as_str).collect::<Vec<_>>()
                    ),
                    crate::diagnostics::one_of(&alternatives)
                )
            };
            diags.push(
                crate::diagnostics::Diagnostic::error(
                    "inconsistent-core-responsibility",
                    format!(
                        "transformation {} belongs to core responsibility {cr}, which this {} does not list (it lists {})",
                        t.id,
                        rec.kind().label().to_lowercase(),
                        crate::diagnostics::all_of(&listed.iter().map(String::as_str).collect::<Vec<_>>())
                    ),
                )
                .at(
                    rec.file,
                    span(sources, rec, "transformations", Some(code)),
                    format!("under core responsibility {cr}"),
                )
                .field("transformations")
                .hint(format!(
                    "add {cr} to its core responsibilities (`core_responsibilities: [{}]`){instead}",
                    with.join(", ")
                )),
            );
        }
    }

    /// The years a document's `period` names (`1 January - 31 December 2017` → 2017..=2017).
    pub(crate) fn years_of(period: &str) -> Option<std::ops::RangeInclusive<u16>> {
        let years: Vec<u16> = period
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| w.len() == 4)
            .filter_map(|w| w.parse().ok())
            .collect();
        Some(*years.iter().min()?..=*years.iter().max()?)
    }

    /// A year a record reports on must lie in its source document's `period`, when the
    /// document states one.
    pub(crate) fn year_within_document(
        site: &super::super::Site,
        sources: &crate::diagnostics::SourceMap,
        rec: &super::super::Record,
        year: u16,
        field: &str,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) {
        use super::super::{Kind, RecordData};
        let Some(source) = rec.source() else { return };
        let Some(doc) = site.get(Kind::Document, &source.document) else {
            return;
        };
        let RecordData::Document(d) = &doc.data else {
            return;
        };
        let Some((period, years)) = d.period.as_deref().and_then(|p| Some((p, years_of(p)?)))
        else {
            return;
        };
        if years.contains(&year) {
            return;
        }
        let covers = format!("covers {period}");
        diags.push(
            crate::diagnostics::Diagnostic::error(
                "year-outside-document",
                format!(
                    "`{field}` is {year}, but the source document `{}` {covers}",
                    d.id
                ),
            )
            .at(
                rec.file,
                span(sources, rec, field.rsplit('.').next().unwrap_or(field), Some(&year.to_string())),
                "not in the document's period",
            )
            .field(field)
            .hint("check the year, or `source.document`: a record reports on what its document covers"),
        );
    }

    /// `url` and `website` fields become links: only web addresses are allowed.
    pub(crate) fn web_address(
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
