//! `pactgen new <kind> [ID] [--source DOCUMENT]`: writes a skeleton record, a draft
//! (`draft: true`), checked against the site before it is written: its ID is valid and free,
//! and what the ID names (a report's transformation, a section's document, a transformation's
//! core responsibility) exists. Its texts are placeholders `check` warns about until they are
//! replaced; its source document is the one given, the site's only document, or left out (a
//! draft may leave it out; a comment lists the documents).

use crate::diagnostics::{Diagnostic, SourceMap, one_of};
use crate::load;
use crate::model::*;
use std::path::{Path, PathBuf};

mod writer;
pub use writer::{Fields, SiteWriter, copy_tree};

/// Writes a draft skeleton of `kind` and returns its path.
pub(crate) fn new_record(
    root: &Path,
    kind: Kind,
    id: Option<&str>,
    source: Option<&str>,
) -> Result<PathBuf, Diagnostic> {
    let mut sources = SourceMap::default();
    if !root.join("content").is_dir() {
        return Err(Diagnostic::error(
            "no-content",
            format!("no `content/` folder in {}", root.display()),
        )
        .hint("run pactgen in a site folder, or pass `--root DIR`"));
    }
    let loaded = load::load_site(root, &mut sources);
    let site = Site {
        config: loaded
            .config
            .unwrap_or_else(|| SiteConfig::new(String::new())),
        records: loaded.records,
        static_files: Default::default(),
    };
    let id = match id {
        Some(id) => id.to_string(),
        None => next_free_id(&site, kind),
    };
    load::validate_id(kind, &id).map_err(|p| {
        Diagnostic::error("invalid-id", format!("invalid {kind} ID `{id}`: {p}")).hint(format!(
            "{}; or leave the ID out to get the next free one: `pactgen new {kind}`",
            match kind {
                Kind::Report => "a report ID is `YEAR/CODE`, e.g. `2018/3A`",
                Kind::Section => {
                    "a section ID is `DOCUMENT/SECTION`, e.g. `migration-initiatives-2019/objective-2`"
                }
                _ => load::id_hint(kind),
            }
        ))
    })?;
    check_names(&site, kind, &id)?;
    if let Some(existing) = site.get(kind, &id) {
        return Err(Diagnostic::error(
            "duplicate-id",
            format!(
                "{kind} `{}` already exists in {}",
                existing.id,
                sources.name(existing.file)
            ),
        )
        .hint(format!(
            "leave the ID out to get the next free one: `pactgen new {kind}`"
        )));
    }
    let documents: Vec<&str> = site
        .of_kind(Kind::Document)
        .map(|r| r.id.as_str())
        .collect();
    let document = match source {
        Some(d) => match site.get(Kind::Document, d) {
            Some(doc) => Some(doc.id.as_str()),
            None => {
                return Err(Diagnostic::error(
                    "unknown-reference",
                    format!("there is no document `{d}` to name as the source"),
                )
                .hint(if documents.is_empty() {
                    "write the document first: `pactgen new document`".to_string()
                } else {
                    format!("documents of this site: {}", one_of(&documents))
                }));
            }
        },
        // The site's only document is not an arbitrary choice; among several, nobody can tell.
        None => match documents.as_slice() {
            [only] => Some(*only),
            _ => None,
        },
    };
    // A kind that must name a transformation gets the first one, with its own core
    // responsibility (a comment in the skeleton says to replace both).
    let transformation = site.of_kind(Kind::Transformation).next();
    let (core_responsibility, transformation) = match transformation.map(|t| (&t.data, t)) {
        Some((RecordData::Transformation(td), t)) => {
            (td.core_responsibility.to_string(), t.id.clone())
        }
        _ => (
            site.of_kind(Kind::CoreResponsibility)
                .next()
                .map_or("1".to_string(), |r| r.id.clone()),
            "1A".to_string(),
        ),
    };
    let (rel, text) = skeleton(
        kind,
        &Skeleton {
            id: &id,
            document,
            documents: &documents,
            core_responsibility: &core_responsibility,
            transformation: &transformation,
        },
    );
    let text = as_draft(&text);
    let path = root.join(writer::record_path(kind, &rel));
    if path.exists() {
        return Err(
            Diagnostic::error("file-exists", format!("{} already exists", path.display()))
                .hint("choose another ID"),
        );
    }
    SiteWriter::into_folder(root)
        .record_text(kind, &rel, &text)
        .map_err(|e| {
            Diagnostic::error(
                "write-failed",
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    Ok(path)
}

/// A skeleton's text with `draft: true` as its first field (after the `---` of front matter).
fn as_draft(text: &str) -> String {
    const DRAFT: &str =
        "draft: true   # left out of `pactgen build` until removed; `pactgen serve` shows it\n";
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\n{DRAFT}{rest}"),
        None => format!("{DRAFT}{text}"),
    }
}

/// What an ID names must exist: a report's transformation, a section's document, a
/// transformation's core responsibility.
fn check_names(site: &Site, kind: Kind, id: &str) -> Result<(), Diagnostic> {
    let known = |k: Kind| -> String {
        let mut ids: Vec<&str> = site.of_kind(k).map(|r| r.id.as_str()).collect();
        ids.sort_by(|a, b| crate::text::natural_cmp(a, b));
        if ids.is_empty() {
            format!("there is no {k} yet")
        } else {
            format!(
                "known {}: {}",
                k.plural_label().to_lowercase(),
                one_of(&ids)
            )
        }
    };
    let missing = |k: Kind, what: &str, named: &str| {
        Err(Diagnostic::error(
            "unknown-reference",
            format!("{kind} `{id}` names {k} `{named}`, and there is no {k} `{named}`"),
        )
        .hint(format!(
            "{}; to write the {k} first: `pactgen new {k} {named}`{what}",
            known(k)
        )))
    };
    match kind {
        Kind::Report => {
            let (year, code) = id.split_once('/').unwrap_or(("", id));
            if year.len() != 4 || year.parse::<u16>().is_err() {
                return Err(Diagnostic::error(
                    "invalid-id",
                    format!("invalid report ID `{id}`: `{year}` is not a year"),
                )
                .hint("a report ID is `YEAR/CODE`, e.g. `2018/3A`"));
            }
            if site.get(Kind::Transformation, code).is_none() {
                return missing(Kind::Transformation, "", code);
            }
        }
        Kind::Section => {
            let doc = id.split_once('/').map_or("", |x| x.0);
            if site.get(Kind::Document, doc).is_none() {
                return missing(Kind::Document, "", doc);
            }
        }
        Kind::Transformation => {
            let digit = &id[..1];
            if site.get(Kind::CoreResponsibility, digit).is_none() {
                return missing(
                    Kind::CoreResponsibility,
                    " (a transformation code starts with its core responsibility's number)",
                    digit,
                );
            }
        }
        _ => {}
    }
    Ok(())
}

/// A valid record of `kind`: its path under the kind's folder, and its text.
pub fn skeleton(kind: Kind, new: &Skeleton) -> (String, String) {
    struct Write<'a, 'b>(&'a Skeleton<'b>);
    impl KindVisitor for Write<'_, '_> {
        type Output = (String, String);
        fn visit<T: KindType>(self) -> (String, String) {
            T::skeleton(self.0)
        }
    }
    visit(kind, Write(new))
}

/// The next ID nobody uses yet.
pub(crate) fn next_free_id(site: &Site, kind: Kind) -> String {
    let taken = |id: &str| site.get(kind, id).is_some();
    match kind {
        Kind::Commitment | Kind::CoreResponsibility => {
            let max = site
                .of_kind(kind)
                .filter_map(|r| r.id.parse::<u64>().ok())
                .max()
                .unwrap_or(0);
            (max + 1).to_string()
        }
        Kind::Transformation => {
            // Only under a core responsibility that exists, so the skeleton resolves.
            let mut digits: Vec<u32> = site
                .of_kind(Kind::CoreResponsibility)
                .filter_map(|r| r.id.parse().ok())
                .collect();
            if digits.is_empty() {
                digits = (1..=9).collect();
            }
            for d in digits {
                for l in 'A'..='Z' {
                    let code = format!("{d}{l}");
                    if !taken(&code) {
                        return code;
                    }
                }
            }
            "9Z".into()
        }
        Kind::Report => {
            let codes: Vec<String> = site
                .of_kind(Kind::Transformation)
                .map(|r| r.id.clone())
                .collect();
            let codes = if codes.is_empty() {
                vec!["1A".to_string()]
            } else {
                codes
            };
            let last_year = site
                .of_kind(Kind::Report)
                .filter_map(|r| match &r.data {
                    RecordData::Report(rep) => Some(rep.year),
                    _ => None,
                })
                .max()
                .unwrap_or(2017);
            for year in [last_year, last_year + 1] {
                if let Some(code) = codes.iter().find(|c| !taken(&format!("{year}/{c}"))) {
                    return format!("{year}/{code}");
                }
            }
            format!("{}/{}", last_year + 1, codes[0])
        }
        Kind::Section => {
            // Under the site's first document (`new section DOCUMENT/SECTION` chooses).
            let doc = site
                .of_kind(Kind::Document)
                .next()
                .map_or("source-document".to_string(), |r| r.id.clone());
            let mut n = 1;
            loop {
                let id = if n == 1 {
                    format!("{doc}/new-section")
                } else {
                    format!("{doc}/new-section-{n}")
                };
                if !taken(&id) {
                    return id;
                }
                n += 1;
            }
        }
        _ => {
            let mut n = 1;
            loop {
                let id = if n == 1 {
                    format!("new-{}", kind.name())
                } else {
                    format!("new-{}-{n}", kind.name())
                };
                if !taken(&id) {
                    return id;
                }
                n += 1;
            }
        }
    }
}
