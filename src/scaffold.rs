//! `pactgen new <kind> [ID]`: writes a valid skeleton record, filled with IDs that exist,
//! so an editor starts from something that builds.

use crate::diagnostics::{Diagnostic, SourceMap};
use crate::load;
use crate::model::*;
use std::path::{Path, PathBuf};

pub fn new_record(root: &Path, kind: Kind, id: Option<&str>) -> Result<PathBuf, Diagnostic> {
    let mut sources = SourceMap::default();
    let loaded = load::load_site(root, &mut sources);
    if !root.join("content").is_dir() {
        return Err(Diagnostic::error(
            "no-content",
            format!("no `content/` folder in {}", root.display()),
        )
        .hint("run pactgen in a site folder, or pass `--root DIR`"));
    }
    let site = Site {
        config: loaded.config.unwrap_or(SiteConfig {
            title: String::new(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            organisation: None,
            minify: false,
            relative_urls: false,
            markdown: MarkdownConfig::default(),
            menu: Vec::new(),
            outputs: Outputs::default(),
            brand: Default::default(),
        }),
        records: loaded.records,
        static_files: Default::default(),
    };
    let id = match id {
        Some(id) => id.to_string(),
        None => next_free_id(&site, kind),
    };
    load::validate_id(kind, &id).map_err(|p| {
        Diagnostic::error("invalid-id", format!("invalid {kind} ID `{id}`: {p}")).hint(match kind {
            Kind::Report => "a report ID is `YEAR/CODE`, e.g. `2018/3A`",
            Kind::Section => {
                "a section ID is `DOCUMENT/SECTION`, e.g. `migration-initiatives-2019/objective-2`"
            }
            _ => "use lower-case letters, digits and `-`",
        })
    })?;
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
            "omit the ID to get the next free one: `pactgen new {kind}`"
        )));
    }
    let first = |k: Kind, fallback: &str| {
        site.of_kind(k)
            .next()
            .map_or(fallback.to_string(), |r| r.id.clone())
    };
    let (document, core_responsibility, transformation) = (
        first(Kind::Document, "source-document"),
        first(Kind::CoreResponsibility, "1"),
        first(Kind::Transformation, "1A"),
    );
    let (rel, text) = skeleton(
        kind,
        &Skeleton {
            id: &id,
            document: &document,
            core_responsibility: &core_responsibility,
            transformation: &transformation,
        },
    );
    let path = root.join("content").join(kind.folder()).join(rel);
    if path.exists() {
        return Err(
            Diagnostic::error("file-exists", format!("{} already exists", path.display()))
                .hint("choose another ID"),
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostic::error(
                "write-failed",
                format!("cannot create {}: {e}", parent.display()),
            )
        })?;
    }
    std::fs::write(&path, text).map_err(|e| {
        Diagnostic::error(
            "write-failed",
            format!("cannot write {}: {e}", path.display()),
        )
    })?;
    Ok(path)
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
pub fn next_free_id(site: &Site, kind: Kind) -> String {
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
