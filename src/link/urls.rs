//! The URLs records claim: no two records, no alias and no generated page or file on one
//! path; the menu's links.

use super::*;

pub(super) fn check_menu(
    site: &Site,
    sources: &SourceMap,
    absent: Absent,
    diags: &mut Vec<Diagnostic>,
) {
    let text = sources.text(0);
    for (n, item) in site.config.menu.iter().enumerate() {
        if markdown::is_dangerous_url(&item.link) {
            let span = text
                .find(&item.link)
                .map_or(0..0, |i| i..i + item.link.len());
            diags.push(
                Diagnostic::error("dangerous-link", format!("menu item `{}` links to a script URL", item.title))
                    .at(0, span, "not allowed")
                    .field(format!("menu[{n}].link"))
                    .hint("link to a path (`/commitments/`), a record (`page:about`) or a web page (`https://...`)"),
            );
            continue;
        }
        if let Some(Ok(link)) = parse_typed_link(&item.link)
            && let Some(kind) = link.kind()
            && kind != Kind::Glossary
            && site.get(kind, link.id).is_none()
        {
            let span = text
                .find(&item.link)
                .map_or(0..0, |i| i..i + item.link.len());
            match missing(absent, kind, link.id) {
                Missing::Unloaded => continue,
                Missing::Draft => {
                    diags.push(
                        Diagnostic::warning(
                            "draft-reference",
                            format!(
                                "menu item `{}` links to {kind} `{}`, a draft: the build leaves it out, and the item links to the home page",
                                item.title, link.id
                            ),
                        )
                        .at(0, span, "a draft")
                        .field(format!("menu[{n}].link"))
                        .hint(format!(
                            "the item links to the {kind} once it is published (remove `draft: true` from it)"
                        )),
                    );
                    continue;
                }
                Missing::Unknown => {}
            }
            let known: Vec<&str> = site.of_kind(kind).map(|r| r.id.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    "broken-link",
                    format!(
                        "menu item `{}` links to unknown {kind} `{}`",
                        item.title, link.id
                    ),
                )
                .at(0, span, "no such record")
                .field(format!("menu[{n}].link"))
                .hint(known_hint(link.id, &known, kind)),
            );
        }
    }
}

/// Paths the generator writes besides record pages (from the URL layout in [`paths`]): a
/// record may not take them.
pub(crate) fn reserved_paths(site: &Site, links: &Links) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = [paths::HOME, paths::KEYWORDS, paths::SEARCH]
        .into_iter()
        .chain(paths::GENERATED_FOLDERS)
        .map(String::from)
        .collect();
    // A list's numbered pages, and the folder holding them (`initiatives/page/`: a record
    // with the ID `page` is refused even while its list has one page).
    let mut list_pages = |list: String, items: usize| {
        out.insert(paths::pages_folder(&list));
        for n in 2..=paths::page_count(items) {
            out.insert(paths::list_page(&list, n));
        }
        out.insert(list);
    };
    for kind in Kind::ALL {
        if kind.has_index() {
            list_pages(paths::kind_index(kind), site.of_kind(kind).count());
        }
    }
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    for r in site.of_kind(Kind::Report) {
        if let RecordData::Report(rep) = &r.data {
            *years.entry(rep.year).or_default() += 1;
        }
    }
    for (year, reports) in years {
        list_pages(paths::report_year(year), reports);
    }
    for slug in links.keywords.keys() {
        out.insert(paths::keyword(slug));
    }
    out
}

/// Whether `path` lies in a list's folder of numbered pages (`initiatives/page/7/`), also
/// past its last page today: the list may grow.
fn in_pages_folder(path: &str, reserved: &BTreeSet<String>) -> bool {
    path.match_indices("page/").any(|(i, _)| {
        (i == 0 || path[..i].ends_with('/')) && reserved.contains(&path[..i + "page/".len()])
    })
}

pub(super) fn check_url_collisions(
    site: &Site,
    sources: &SourceMap,
    reserved: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) {
    // Only looked up, never iterated: a hash map keeps the output order-independent.
    let mut taken: rustc_hash::FxHashMap<String, &Record> = Default::default();
    taken.reserve(site.records.len());
    for rec in site.records.values() {
        let path = rec.path();
        // Located only for an error: scanning every record's text cost more than the check.
        let span = || {
            let text = sources.text(rec.file);
            field_span(text, rec.yaml_offset..text.len(), "id", None)
        };
        if let Some(file) = crate::paths::written_file_in(&path, &site.static_files) {
            diags.push(
                Diagnostic::error(
                    "url-collision",
                    format!(
                        "{} `{}` would be written to /{path}, but /{file} is a file pactgen writes itself",
                        rec.kind(),
                        rec.id
                    ),
                )
                .at(rec.file, span(), "this ID takes a reserved name")
                .field("id")
                .hint("choose another ID"),
            );
            continue;
        }
        if reserved.contains(&path) {
            diags.push(
                Diagnostic::error(
                    "url-collision",
                    format!(
                        "{} `{}` would be written to /{path}, which pactgen writes itself",
                        rec.kind(),
                        rec.id
                    ),
                )
                .at(rec.file, span(), "this ID takes a reserved URL")
                .field("id")
                .hint("choose another ID"),
            );
            continue;
        }
        if let Some(first) = taken.get(&path) {
            diags.push(
                Diagnostic::error(
                    "url-collision",
                    format!(
                        "{} `{}` and {} `{}` would both be written to /{path}",
                        rec.kind(),
                        rec.id,
                        first.kind(),
                        first.id
                    ),
                )
                .at(rec.file, span(), "same URL as another record")
                .field("id")
                .hint(format!(
                    "the other record is in {}; give one of them another ID",
                    sources.name(first.file)
                )),
            );
            continue;
        }
        taken.insert(path, rec);
    }
}

/// Aliases must be safe paths that no record, generated page or other alias takes.
pub(super) fn check_aliases(
    site: &Site,
    sources: &SourceMap,
    reserved: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) {
    if site.records.values().all(|r| r.aliases().is_empty()) {
        return;
    }
    // Looked up only: hash maps, output order comes from the record loop.
    let pages: rustc_hash::FxHashMap<String, &Record> =
        site.records.values().map(|r| (r.path(), r)).collect();
    let mut seen: rustc_hash::FxHashMap<String, &Record> = Default::default();
    for rec in site.records.values() {
        let text = sources.text(rec.file);
        for alias in rec.aliases() {
            let span = field_span(text, rec.yaml_offset..text.len(), "aliases", Some(alias));
            let problem = match crate::paths::alias_path(alias) {
                Err(why) => Some(format!("alias `{alias}` is not a usable path: {why}")),
                Ok(path) => {
                    if let Some(file) = crate::paths::written_file_in(&path, &site.static_files) {
                        Some(format!(
                            "alias `{alias}` would replace /{file}, a file pactgen writes itself"
                        ))
                    } else if reserved.contains(&path)
                        || in_pages_folder(&path, reserved)
                        || paths::is_facet_path(&path)
                        || paths::GENERATED_FOLDERS.iter().any(|f| path.starts_with(f))
                    {
                        Some(format!("alias `{alias}` is a URL pactgen writes itself"))
                    } else if let Some(other) = pages.get(&path) {
                        Some(format!(
                            "alias `{alias}` is the URL of {} `{}`",
                            other.kind(),
                            other.id
                        ))
                    } else {
                        seen.insert(path, rec).map(|other| {
                            format!(
                                "alias `{alias}` is also an alias of {} `{}`",
                                other.kind(),
                                other.id
                            )
                        })
                    }
                }
            };
            if let Some(message) = problem {
                diags.push(
                    Diagnostic::error("bad-alias", message)
                        .at(rec.file, span, "in this alias")
                        .field("aliases")
                        .hint("an alias is an old path such as `/commitments/old-id/` that no page uses any more"),
                );
            }
        }
    }
}
