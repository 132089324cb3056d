//! Typed links in records' Markdown: resolved, checked to their `#fragment`, their targets
//! recorded as mentions.

use super::*;

/// Resolves a typed link to the record it names (glossary links name a term; keyword links
/// name no record).
pub(crate) fn target_of(site: &Site, links: &Links, link: &TypedLink) -> Option<RecordKey> {
    let kind = link.kind()?;
    if kind == Kind::Glossary
        && let Some((g, _)) = links.terms.get(&link.id.to_lowercase())
    {
        return Some(g.clone());
    }
    site.get(kind, link.id).map(|r| r.key.clone())
}

/// The anchors (`id`s) of a record's page: its template's own, its Markdown's headings and
/// footnotes (given exactly as the render stage gives them), and those its kind's template
/// makes from its fields.
pub(crate) fn page_anchors(site: &Site, templates: &TemplateIds, rec: &Record) -> BTreeSet<String> {
    let md = markdown::MarkdownOptions::from(&site.config.markdown);
    let none = |_: &str| None;
    let same = |p: &str| p.to_string();
    let cx = markdown::Context {
        resolve: &none,
        site_url: &same,
        abbreviations: None,
        footnote_prefix: "fn-",
        shift_headings: true,
    };
    let (_, ids) =
        markdown::render_page_texts(&rec.markdown_fields(), &md, &cx, &templates.all, &|_| false);
    let mut out: BTreeSet<String> = templates
        .by_kind
        .get(&rec.kind())
        .cloned()
        .unwrap_or_default();
    out.extend(
        ids.taken()
            .iter()
            .filter(|id| !templates.all.contains(*id))
            .cloned(),
    );
    match &rec.data {
        RecordData::Glossary(g) => out.extend(g.terms.iter().map(|t| slugify(&t.term))),
        RecordData::ActionPlan(a) => {
            for c in &a.commitments {
                out.insert(format!("commitment-{}", c.number));
                out.extend(
                    c.deliverables
                        .iter()
                        .map(|d| format!("deliverable-{}", slugify(&d.number))),
                );
            }
        }
        RecordData::FundingTable(t) => {
            out.extend((1..=t.rows.len()).map(|n| format!("note-{n}")));
        }
        _ => {}
    }
    out
}

/// Checks the typed links in a record's Markdown (except in the fields `skipped` accepts);
/// returns the records they name, and how many links name a record that may be in a file
/// that failed to load (not checked).
#[allow(clippy::too_many_arguments)]
pub(super) fn check_markdown_links(
    site: &Site,
    sources: &SourceMap,
    templates: &TemplateIds,
    rec: &Record,
    links: &Links,
    absent: Absent,
    skipped: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<RecordKey>, usize) {
    let mut mentions = Vec::new();
    let mut unchecked = 0;
    let text = sources.text(rec.file);
    let unsafe_html = site.config.markdown.unsafe_html;
    // Where a range of a Markdown field lies in the file: body ranges map directly; a YAML
    // field's text is found by searching the file from its key.
    let span_in_file = |field: &str, range: &std::ops::Range<usize>, md: &str| {
        if field == "body" {
            let off = rec.body.as_ref().map_or(0, |(_, o)| *o);
            return off + range.start..off + range.end;
        }
        let leaf = field.rsplit('.').next().unwrap_or(field);
        let leaf = leaf.split('[').next().unwrap_or(leaf);
        let region = rec.yaml_offset..text.len();
        let from = locate_field(text, region.clone(), leaf).map_or(region.start, |r| r.start);
        let needle = md.get(range.clone()).unwrap_or("");
        let needle = needle.lines().next().unwrap_or("");
        if needle.is_empty() {
            return from..from;
        }
        text[from..]
            .find(needle)
            .map(|i| from + i..from + i + needle.len())
            .unwrap_or(from..from)
    };
    for (field, md) in rec.markdown_fields() {
        if skipped(&field) {
            continue;
        }
        let scan = markdown::scan(md, unsafe_html);
        if let Some(range) = &scan.too_deep_at {
            diags.push(
                Diagnostic::error(
                    "too-deep",
                    format!(
                        "the Markdown of `{field}` nests {} levels deep; at most {} are allowed",
                        scan.depth,
                        markdown::MAX_NESTING
                    ),
                )
                .at(rec.file, span_in_file(&field, range, md), "nested too deeply from here")
                .field(field.clone())
                .hint("flatten the quotes, lists or emphasis: a reader cannot follow this many levels either"),
            );
        }
        if let Some(range) = &scan.too_many_headings_at {
            diags.push(
                Diagnostic::error(
                    "too-many-headings",
                    format!(
                        "the Markdown of `{field}` has {} headings; at most {} are allowed",
                        group_digits(scan.headings as u64),
                        group_digits(markdown::MAX_HEADINGS as u64)
                    ),
                )
                .at(
                    rec.file,
                    span_in_file(&field, range, md),
                    "one heading too many",
                )
                .field(field.clone())
                .hint("split the text into several records (document sections, pages)"),
            );
        }
        for (dest, range) in scan.links {
            let problem = match parse_typed_link(&dest) {
                None => {
                    if markdown::is_dangerous_url(&dest) {
                        Some((
                            "dangerous-link".to_string(),
                            format!(
                                "link to `{dest}` is removed: it could run script in a reader's browser"
                            ),
                            "link to a web page (`https://...`) or a record (`initiative:dtm`)"
                                .to_string(),
                        ))
                    } else {
                        None
                    }
                }
                Some(Err(msg)) => Some((
                    "bad-link".into(),
                    msg,
                    format!(
                        "typed links are `KIND:ID`; kinds: {}",
                        Kind::ALL.map(|k| k.name()).join(", ")
                    ),
                )),
                Some(Ok(link)) if link.target == Target::Keyword => {
                    if links.keywords.contains_key(&slugify(link.id)) {
                        None
                    } else {
                        let known: Vec<&str> = links
                            .keywords
                            .values()
                            .map(|(label, _)| label.as_str())
                            .collect();
                        let close = did_you_mean(link.id, known.iter().copied());
                        Some((
                            "broken-link".into(),
                            format!("link to unknown keyword `{}`", link.id),
                            if close.is_empty() {
                                "a keyword link names a keyword some record carries (`keywords:`)"
                                    .to_string()
                            } else {
                                format!("did you mean {}?", one_of(&close))
                            },
                        ))
                    }
                }
                Some(Ok(link)) => match target_of(site, links, &link) {
                    Some(target) => {
                        let missing_anchor = link.fragment.filter(|f| {
                            // A glossary link's term is itself the anchor.
                            link.kind() != Some(Kind::Glossary)
                                && site
                                    .records
                                    .get(&target)
                                    .is_some_and(|t| !page_anchors(site, templates, t).contains(*f))
                        });
                        if target != rec.key {
                            mentions.push(target.clone());
                        }
                        missing_anchor.map(|fragment| {
                            let anchors: Vec<String> = site
                                .records
                                .get(&target)
                                .map(|t| page_anchors(site, templates, t))
                                .unwrap_or_default()
                                .into_iter()
                                .collect();
                            let names: Vec<&str> = anchors.iter().map(String::as_str).collect();
                            let close = did_you_mean(fragment, names.iter().copied());
                            (
                                "broken-link".into(),
                                format!(
                                    "link to `#{fragment}` on the page of {} `{}`, which has no such anchor",
                                    target.kind, link.id
                                ),
                                if close.is_empty() {
                                    format!("anchors of that page: {}", one_of(&names.iter().copied().take(12).collect::<Vec<_>>()))
                                } else {
                                    format!("did you mean {}?", one_of(&close))
                                },
                            )
                        })
                    }
                    None if link.kind().is_some_and(|k| {
                        !link.id.is_empty()
                            && !matches!(missing(absent, k, link.id), Missing::Unknown)
                    }) =>
                    {
                        let kind = link.kind().unwrap_or(Kind::Page);
                        match missing(absent, kind, link.id) {
                            Missing::Draft => Some((
                                "draft-reference".into(),
                                format!(
                                    "link to {kind} `{}`, a draft: the build leaves it out and shows the link's text without a link",
                                    link.id
                                ),
                                format!(
                                    "the link appears once the {kind} is published (remove `draft: true` from it)"
                                ),
                            )),
                            _ => {
                                unchecked += 1;
                                None
                            }
                        }
                    }
                    None => {
                        let kind = link.kind().unwrap_or(Kind::Page);
                        let known: Vec<&str> = if kind == Kind::Glossary {
                            links.terms.values().map(|(_, t)| t.as_str()).collect()
                        } else {
                            site.of_kind(kind).map(|r| r.id.as_str()).collect()
                        };
                        Some((
                            "broken-link".into(),
                            if link.id.is_empty() {
                                format!(
                                    "link to {} {kind} without an ID",
                                    crate::text::a_or_an(kind.name())
                                )
                            } else {
                                format!("link to unknown {kind} `{}`", link.id)
                            },
                            known_hint(link.id, &known, kind),
                        ))
                    }
                },
            };
            if let Some((code, message, hint)) = problem {
                let span = span_in_file(&field, &range, md);
                let severity_code: &'static str = match code.as_str() {
                    "dangerous-link" => "dangerous-link",
                    "draft-reference" => "draft-reference",
                    "bad-link" => "bad-link",
                    _ => "broken-link",
                };
                let d = if matches!(severity_code, "dangerous-link" | "draft-reference") {
                    Diagnostic::warning(severity_code, message)
                } else {
                    Diagnostic::error(severity_code, message)
                };
                diags.push(
                    d.at(rec.file, span, "in this link")
                        .field(field.clone())
                        .hint(hint),
                );
            }
        }
    }
    (mentions, unchecked)
}
