//! Link stage: resolve every reference and typed link, compute relations and backlinks,
//! and check what only the whole site can check (cycles, URL collisions, funding arithmetic).

mod markdown_links;
mod urls;

use markdown_links::check_markdown_links;
pub(crate) use markdown_links::target_of;
pub(crate) use urls::reserved_paths;
use urls::{check_aliases, check_menu, check_url_collisions};

use crate::diagnostics::{Diagnostic, SourceMap, did_you_mean, one_of};
use crate::load::Unloaded;
use crate::markdown;
use crate::model::*;
use crate::paths;
use crate::spans::{field_span, locate_field, locate_value};
use crate::text::{group_digits, natural_cmp, slugify};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Everything the render stage needs to know about how records connect.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// Records each record names in its fields, resolved, by field.
    pub outgoing: BTreeMap<RecordKey, Vec<(String, RecordKey)>>,
    /// Records that name this record in a field (backlinks).
    pub incoming: BTreeMap<RecordKey, BTreeSet<RecordKey>>,
    /// Records whose Markdown links to this record.
    pub mentioned_by: BTreeMap<RecordKey, BTreeSet<RecordKey>>,
    /// Glossary terms (lower case) → (glossary, term as written).
    pub terms: BTreeMap<String, (RecordKey, String)>,
    /// Keyword slug → (label, records carrying it).
    pub keywords: BTreeMap<String, (String, BTreeSet<RecordKey>)>,
    /// Transformation code (lower case) → the keywords of its self-reports, in report order:
    /// a commitment is filed under the keywords its transformation was reported with.
    pub report_keywords: BTreeMap<String, Vec<String>>,
}

impl Links {
    /// A commitment's keywords: its own, then those of the self-reports on its
    /// transformations (what the commitments' filter and the CSV show), each slug once.
    pub(crate) fn commitment_keywords<'s>(&'s self, c: &'s Commitment) -> Vec<&'s str> {
        let mut seen = std::collections::HashSet::new();
        let reported = c
            .transformations
            .iter()
            .filter_map(|t| self.report_keywords.get(&t.to_lowercase()))
            .flatten();
        c.keywords
            .iter()
            .chain(reported)
            .map(String::as_str)
            .filter(|k| {
                let slug = slugify(k);
                !slug.is_empty() && seen.insert(slug)
            })
            .collect()
    }

    /// The initiatives related to `key` either way, by ID (sorted, once each).
    pub(crate) fn initiatives_of<'s>(&'s self, key: &'s RecordKey) -> Vec<&'s str> {
        let mut ids: Vec<&str> = self
            .related_keys(key)
            .filter(|k| k.kind == Kind::Initiative)
            .map(|k| k.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Records related to `key` in either direction, grouped by kind, in reading order.
    pub(crate) fn related(&self, key: &RecordKey) -> BTreeMap<Kind, BTreeSet<RecordKey>> {
        let mut out: BTreeMap<Kind, BTreeSet<RecordKey>> = BTreeMap::new();
        for other in self.related_keys(key) {
            out.entry(other.kind).or_default().insert(other.clone());
        }
        out
    }

    /// The records of one kind related to `key` either way: [`Links::related`]`[kind]`
    /// without gathering the other kinds (a transformation's reports, not its hundreds of
    /// commitments, on every commitment page).
    pub(crate) fn related_of_kind(&self, key: &RecordKey, kind: Kind) -> BTreeSet<RecordKey> {
        self.related_keys(key)
            .filter(|k| k.kind == kind)
            .cloned()
            .collect()
    }

    /// The records related to `key` either way (it names them, or they name it), not `key`
    /// itself; a record related both ways comes twice. No map is built: for per-record use at
    /// scale.
    pub(crate) fn related_keys<'s>(
        &'s self,
        key: &'s RecordKey,
    ) -> impl Iterator<Item = &'s RecordKey> {
        let to = self
            .outgoing
            .get(key)
            .into_iter()
            .flatten()
            .map(|(_, to)| to);
        let from = self.incoming.get(key).into_iter().flatten();
        to.chain(from).filter(move |other| *other != key)
    }
}

/// Values gathered in record order: slug → (label as the first record gave it, the records
/// carrying it, already sorted since they arrive in record order).
pub(crate) type Gathered<'k> = BTreeMap<String, (String, Vec<&'k RecordKey>)>;

/// Adds `key` to the value `slug` of `values`.
pub(crate) fn gather<'k>(values: &mut Gathered<'k>, slug: &str, label: &str, key: &'k RecordKey) {
    match values.get_mut(slug) {
        Some((_, keys)) => keys.push(key),
        None => {
            values.insert(slug.to_string(), (label.to_string(), vec![key]));
        }
    }
}

/// Each value's set built at once from its sorted keys (a bulk build, not one tree descent per
/// key), the values in parallel.
pub(crate) fn into_sets(values: Gathered) -> BTreeMap<String, (String, BTreeSet<RecordKey>)> {
    values
        .into_par_iter()
        .map(|(slug, (label, keys))| (slug, (label, keys.into_iter().cloned().collect())))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Records a reference may name that are not in the site being linked, and are not reported
/// as unknown: those of files that failed to load (their own errors are the problem; a run
/// with such files publishes nothing) and drafts a build leaves out (a warning).
#[derive(Clone, Copy)]
pub(crate) struct Absent<'a> {
    pub unloaded: &'a Unloaded,
    pub drafts: &'a BTreeSet<RecordKey>,
}

impl Absent<'_> {
    /// Nothing absent: every record is in the site.
    pub(crate) fn none() -> Absent<'static> {
        static UNLOADED: std::sync::OnceLock<Unloaded> = std::sync::OnceLock::new();
        static DRAFTS: BTreeSet<RecordKey> = BTreeSet::new();
        Absent {
            unloaded: UNLOADED.get_or_init(Unloaded::default),
            drafts: &DRAFTS,
        }
    }

    fn is_draft(&self, kind: Kind, id: &str) -> bool {
        !self.drafts.is_empty() && self.drafts.contains(&RecordKey::new(kind, id))
    }
}

/// What a reference to a record that is not in the site is: a draft's (a warning), one that
/// may be in a file that failed to load (not checked), or unknown (an error).
enum Missing {
    Draft,
    Unloaded,
    Unknown,
}

fn missing(absent: Absent, kind: Kind, id: &str) -> Missing {
    // A glossary link names a term, which any glossary may define.
    let glossary_failed = kind == Kind::Glossary
        && (absent.unloaded.unidentified.contains(&kind)
            || absent.unloaded.keys.iter().any(|k| k.kind == kind));
    if absent.is_draft(kind, id) {
        Missing::Draft
    } else if glossary_failed || absent.unloaded.covers(kind, id) {
        Missing::Unloaded
    } else {
        Missing::Unknown
    }
}

/// The diagnostic for a reference to a draft that a build leaves out.
fn draft_reference(kind: Kind, id: &str, field: &str) -> Diagnostic {
    Diagnostic::warning(
        "draft-reference",
        format!(
            "`{field}` names {kind} `{id}`, a draft: the build leaves it out, and this link with it"
        ),
    )
    .field(field)
    .hint(format!(
        "the link appears once the {kind} is published (remove `draft: true` from it)"
    ))
}

/// Resolves and validates the whole site. Diagnostics go to `diags`. References to records in
/// `absent` are not errors; the partial records of files that failed to load are checked too
/// (what could be read of them).
pub(crate) fn resolve_links(
    site: &Site,
    sources: &SourceMap,
    templates: &TemplateIds,
    absent: Absent,
    diags: &mut Vec<Diagnostic>,
) -> Links {
    let mut links = Links::default();
    let mut default_org = site.config.organisation.as_deref();

    if let Some(org) = default_org
        && site.get(Kind::Organisation, org).is_none()
        && matches!(missing(absent, Kind::Organisation, org), Missing::Unloaded)
    {
        // The organisation's file failed to load: its own error is the problem.
        default_org = None;
    }
    if let Some(org) = default_org
        && site.get(Kind::Organisation, org).is_none()
    {
        // Reported once, here; records that rely on the default are not blamed for it.
        default_org = None;
        let known: Vec<&str> = site
            .of_kind(Kind::Organisation)
            .map(|r| r.id.as_str())
            .collect();
        let span = locate_value(
            sources.text(0),
            0..sources.text(0).len(),
            "organisation",
            org,
        );
        let mut d = Diagnostic::error("unknown-reference", format!("unknown organisation `{org}`"))
            .field("organisation")
            .hint(known_hint(org, &known, Kind::Organisation));
        if let Some(span) = span {
            d = d.at(0, span, "no such organisation");
        }
        diags.push(d);
    }

    collect_glossary(site, sources, &mut links, diags);
    for r in site.of_kind(Kind::Report) {
        if let RecordData::Report(rep) = &r.data {
            links
                .report_keywords
                .entry(rep.transformation.to_lowercase())
                .or_default()
                .extend(rep.keywords.iter().take(MAX_KEYWORDS).cloned());
        }
    }

    // Keywords first, as Markdown may link to them (`keyword:data`): each record's slugs on
    // their own (in parallel), then gathered in record order.
    let per_record: Vec<Vec<(String, &str)>> = site
        .records
        .par_iter()
        .map(|(_, rec)| keywords_of(rec))
        .collect();
    let mut keywords = Gathered::new();
    for (rec, found) in site.records.values().zip(&per_record) {
        for (slug, label) in found {
            gather(&mut keywords, slug, label, &rec.key);
        }
    }
    links.keywords = into_sets(keywords);
    // Each record's references and Markdown links are resolved on their own, in parallel
    // (Markdown parsing dominates at scale); the results are merged in record order.
    let per_record: Vec<RecordLinks> = site
        .records
        .par_iter()
        .map(|(_, rec)| {
            record_links(
                site,
                sources,
                templates,
                &links,
                rec,
                default_org,
                absent,
                None,
            )
        })
        .collect();
    let mut unchecked: usize = per_record.iter().map(|r| r.unchecked).sum();
    merge_record_links(site, per_record, &mut links, diags);
    // What could be read of the records whose files failed to load: their links are checked,
    // not kept (the run fails and publishes nothing).
    for partial in &absent.unloaded.partial {
        let found = record_links(
            site,
            sources,
            templates,
            &links,
            &partial.record,
            default_org,
            absent,
            Some(&partial.replaced),
        );
        unchecked += found.unchecked;
        diags.extend(found.diags);
    }
    if unchecked > 0 {
        diags.push(
            Diagnostic::warning(
                UNCHECKED,
                if unchecked == 1 {
                    "1 reference to a record of a file that failed to load was not checked"
                        .to_string()
                } else {
                    format!(
                        "{} to records of files that failed to load were not checked",
                        crate::text::count(unchecked, "reference")
                    )
                },
            )
            .hint("fix the files above: the next run checks them"),
        );
    }
    // Each kind's own checks (funding arithmetic, section cycles, transformation codes, web
    // addresses ...) live with the kind.
    for kind in Kind::ALL {
        check_kind(kind, site, sources, diags);
    }
    check_menu(site, sources, absent, diags);
    // Both checks need the URLs pactgen writes itself: made once.
    let reserved = reserved_paths(site, &links);
    check_url_collisions(site, sources, &reserved, diags);
    check_aliases(site, sources, &reserved, diags);
    links
}

/// For the live preview: checks the records in `changed` (their new versions are in `site`,
/// the versions `links` was resolved from are in `old`) and runs again the site-wide checks
/// their kinds take part in. The caller has made sure that IDs, paths and aliases did not
/// change, so URL collisions and aliases need no new check, nor does the menu.
/// Returns the diagnostics, or `None` when a changed record now names other records, keywords
/// or Markdown targets than before, or is a glossary (whose terms every text may link to):
/// then `links` is stale and only a whole [`resolve_links`] will do.
pub(crate) fn recheck(
    site: &Site,
    sources: &SourceMap,
    templates: &TemplateIds,
    links: &Links,
    old: &BTreeMap<RecordKey, Record>,
    changed: &BTreeSet<RecordKey>,
) -> Option<Vec<Diagnostic>> {
    let default_org = site
        .config
        .organisation
        .as_deref()
        .filter(|org| site.get(Kind::Organisation, org).is_some());
    let mut diags = Vec::new();
    for key in changed {
        let (rec, before) = (site.records.get(key)?, old.get(key)?);
        if rec.kind() == Kind::Glossary || rec.keywords() != before.keywords() {
            return None;
        }
        let found = record_links(
            site,
            sources,
            templates,
            links,
            rec,
            default_org,
            Absent::none(),
            None,
        );
        if links.outgoing.get(key) != Some(&found.resolved) {
            return None;
        }
        let mentioned_before: BTreeSet<&RecordKey> = links
            .mentioned_by
            .iter()
            .filter(|(_, by)| by.contains(key))
            .map(|(target, _)| target)
            .collect();
        if mentioned_before != found.mentions.iter().collect::<BTreeSet<_>>() {
            return None;
        }
        diags.extend(found.diags);
    }
    let kinds: BTreeSet<Kind> = changed.iter().map(|k| k.kind).collect();
    for kind in kinds {
        check_kind(kind, site, sources, &mut diags);
    }
    Some(diags)
}

/// What one record names: resolved references, the records its Markdown links to, and the
/// problems found on the way.
struct RecordLinks {
    resolved: Vec<(String, RecordKey)>,
    mentions: Vec<RecordKey>,
    diags: Vec<Diagnostic>,
    /// References to records that may be in files that failed to load: not checked.
    unchecked: usize,
}

/// The code of the one line that counts the references not checked.
pub(crate) const UNCHECKED: &str = "unchecked-references";

/// A record's keywords as (slug, label): those within the limits, empty slugs left out.
fn keywords_of(rec: &Record) -> Vec<(String, &str)> {
    rec.keywords()
        .iter()
        .take(MAX_KEYWORDS)
        .filter(|kw| kw.chars().count() <= MAX_KEYWORD_CHARS)
        .map(|kw| (slugify(kw), kw.as_str()))
        .filter(|(slug, _)| !slug.is_empty())
        .collect()
}

/// Merges what each record found into `links`, in record order. The backlink sets are
/// gathered per target first and then built at once (in parallel): the keys arrive in record
/// order, already sorted, so each set is a bulk build instead of one tree descent and one key
/// comparison chain per insert (the serial merge was 0.8 s of a 100,000-record build).
fn merge_record_links(
    site: &Site,
    per_record: Vec<RecordLinks>,
    links: &mut Links,
    diags: &mut Vec<Diagnostic>,
) {
    type ByTarget<'k> = rustc_hash::FxHashMap<&'k RecordKey, Vec<&'k RecordKey>>;
    let mut incoming: ByTarget = Default::default();
    let mut mentioned_by: ByTarget = Default::default();
    for (rec, found) in site.records.values().zip(&per_record) {
        for (_, target) in &found.resolved {
            incoming.entry(target).or_default().push(&rec.key);
        }
        for target in &found.mentions {
            mentioned_by.entry(target).or_default().push(&rec.key);
        }
    }
    fn build_sets(gathered: ByTarget) -> BTreeMap<RecordKey, BTreeSet<RecordKey>> {
        let sets: Vec<(RecordKey, BTreeSet<RecordKey>)> = gathered
            .into_par_iter()
            .map(|(target, from)| (target.clone(), from.into_iter().cloned().collect()))
            .collect();
        sets.into_iter().collect()
    }
    let (incoming, mentioned_by) =
        rayon::join(|| build_sets(incoming), || build_sets(mentioned_by));
    links.incoming = incoming;
    links.mentioned_by = mentioned_by;
    let mut outgoing = Vec::with_capacity(per_record.len());
    for (rec, found) in site.records.values().zip(per_record) {
        outgoing.push((rec.key.clone(), found.resolved));
        diags.extend(found.diags);
    }
    links.outgoing = outgoing.into_iter().collect();
}

/// A record's references, Markdown links and keywords, resolved and checked. `skip`: top-level
/// fields whose values are the loader's examples (a partial record), not checked.
#[allow(clippy::too_many_arguments)]
fn record_links(
    site: &Site,
    sources: &SourceMap,
    templates: &TemplateIds,
    links: &Links,
    rec: &Record,
    default_org: Option<&str>,
    absent: Absent,
    skip: Option<&BTreeSet<String>>,
) -> RecordLinks {
    let mut diags = Vec::new();
    let text = sources.text(rec.file);
    let region = rec.yaml_offset..text.len();
    let mut resolved = Vec::new();
    let mut unchecked = 0;
    let skipped = |field: &str| {
        skip.is_some_and(|s| s.contains(field.split(['.', '[']).next().unwrap_or(field)))
    };
    // Each unknown reference is located in the file and given a hint from every ID of its
    // kind: past a few dozen in one record, one line says how many more there are (100,000
    // wrong IDs in one list took a scan of the file and of the site each).
    let mut unknown = 0usize;
    for r in rec.references(default_org) {
        if skipped(&r.field) {
            continue;
        }
        if let Some(target) = site.get(r.kind, &r.id) {
            resolved.push((r.field.clone(), target.key.clone()));
            continue;
        }
        let leaf = r.field.rsplit('.').next().unwrap_or(&r.field);
        let shown_id = match r.kind {
            Kind::Section => r.id.split_once('/').map_or(r.id.as_str(), |x| x.1),
            _ => r.id.as_str(),
        };
        match missing(absent, r.kind, &r.id) {
            Missing::Unloaded => unchecked += 1,
            Missing::Draft => {
                let span = field_span(text, region.clone(), leaf, Some(shown_id));
                diags.push(draft_reference(r.kind, &r.id, &r.field).at(rec.file, span, "a draft"));
            }
            Missing::Unknown if unknown >= MAX_REPORTED_PER_RECORD => unknown += 1,
            Missing::Unknown => {
                unknown += 1;
                let span = field_span(text, region.clone(), leaf, Some(shown_id));
                let known: Vec<&str> = site.of_kind(r.kind).map(|x| x.id.as_str()).collect();
                diags.push(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("unknown {} `{}` in `{}`", r.kind, r.id, r.field),
                    )
                    .at(rec.file, span, format!("no {} has this ID", r.kind))
                    .field(r.field.clone())
                    .hint(known_hint(&r.id, &known, r.kind)),
                );
            }
        }
    }
    if unknown > MAX_REPORTED_PER_RECORD {
        let more = unknown - MAX_REPORTED_PER_RECORD;
        diags.push(
            Diagnostic::error(
                "unknown-reference",
                format!(
                    "and {} more in this record",
                    crate::text::count(more, "unknown reference")
                ),
            )
            .in_file(rec.file)
            .hint("fix the ones above first; the rest are likely the same mistake"),
        );
    }
    let (mentions, unchecked_links) = check_markdown_links(
        site, sources, templates, rec, links, absent, &skipped, &mut diags,
    );
    unchecked += unchecked_links;
    if !skipped("keywords") {
        check_keywords(rec, sources, &mut diags);
    }
    check_placeholders(rec, sources, &mut diags);
    RecordLinks {
        resolved,
        mentions,
        diags,
        unchecked,
    }
}

/// Unknown references reported one by one in a record; the rest are counted.
const MAX_REPORTED_PER_RECORD: usize = 20;

/// Keywords one record may carry. Each keyword is a page and a value of the commitments'
/// keyword filter: 1,000 keywords on one record gave 154 MB of output.
pub(crate) const MAX_KEYWORDS: usize = 50;

/// Characters a keyword may have: its slug is a folder name, which file systems cap at 255
/// bytes.
pub(crate) const MAX_KEYWORD_CHARS: usize = 100;

fn check_keywords(rec: &Record, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let keywords = rec.keywords();
    let text = sources.text(rec.file);
    let region = rec.yaml_offset..text.len();
    if keywords.len() > MAX_KEYWORDS {
        let span = field_span(text, region.clone(), "keywords", None);
        diags.push(
            Diagnostic::error(
                "too-many-keywords",
                format!(
                    "the {} has {} keywords; at most {MAX_KEYWORDS} are allowed",
                    rec.kind(),
                    group_digits(keywords.len() as u64)
                ),
            )
            .at(rec.file, span, "too many keywords")
            .field("keywords")
            .hint("keep the keywords a reader would filter by; each one is a page of its own"),
        );
    }
    for kw in keywords {
        if kw.chars().count() > MAX_KEYWORD_CHARS {
            let span = field_span(text, region.clone(), "keywords", Some(kw));
            diags.push(
                Diagnostic::error(
                    "long-keyword",
                    format!(
                        "a keyword of {} characters; at most {MAX_KEYWORD_CHARS} are allowed",
                        kw.chars().count()
                    ),
                )
                .at(rec.file, span, "this keyword")
                .field("keywords")
                .hint("a keyword is a short label (`Data`, `Protection`); write longer text in the record's fields"),
            );
        } else if slugify(kw).is_empty() {
            let span = field_span(text, region.clone(), "keywords", Some(kw));
            diags.push(
                Diagnostic::warning(
                    "empty-keyword",
                    format!("the keyword `{kw}` has no letter or digit"),
                )
                .at(rec.file, span, "this keyword")
                .field("keywords")
                .hint("the keyword is left out: its page's address is made from its letters and digits"),
            );
        }
    }
}

/// Texts a skeleton wrote (`TODO: ...`) that are still in the record: they would be
/// published as they are. One search per file finds them (they share their first word).
fn check_placeholders(rec: &Record, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let text = sources.text(rec.file);
    let mut from = rec.yaml_offset;
    while let Some(i) = text[from..].find(placeholder::MARK) {
        let at = from + i;
        from = at + placeholder::MARK.len();
        let Some(found) = placeholder::ALL
            .iter()
            .find(|p| text[at..].starts_with(**p))
        else {
            continue;
        };
        let field = match &rec.body {
            Some((_, body)) if at >= *body => "body".to_string(),
            _ => crate::spans::key_at(text, at).unwrap_or_default(),
        };
        diags.push(
            Diagnostic::warning(
                "placeholder-text",
                format!("`{field}` still holds the placeholder that `pactgen new` wrote"),
            )
            .at(rec.file, at..at + found.len(), "placeholder")
            .field(field)
            .hint("replace it with the record's own text; a build would publish it as it is"),
        );
    }
}

fn known_hint(wanted: &str, known: &[&str], kind: Kind) -> String {
    if known.is_empty() {
        return format!(
            "there is no {kind} yet: add one under content/{}/ (`pactgen new {kind}`)",
            kind.folder()
        );
    }
    let close = did_you_mean(wanted, known.iter().copied());
    if !close.is_empty() {
        return format!("did you mean {}?", one_of(&close));
    }
    // IDs sharing the first character are the likely neighbours (`3Z` → `3A`, `3B`, `3D`).
    let first = wanted.chars().next().map(|c| c.to_ascii_lowercase());
    let same_prefix: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| k.chars().next().map(|c| c.to_ascii_lowercase()) == first)
        .collect();
    if !same_prefix.is_empty() && same_prefix.len() <= 8 {
        let mut sorted = same_prefix;
        sorted.sort_by(|a, b| natural_cmp(a, b));
        return format!(
            "known {kind} IDs starting with `{}`: {}",
            &wanted[..wanted.chars().next().map_or(0, char::len_utf8)],
            one_of(&sorted)
        );
    }
    let mut sorted: Vec<&str> = known.to_vec();
    sorted.sort_by(|a, b| natural_cmp(a, b));
    let shown: Vec<&str> = sorted.iter().copied().take(8).collect();
    let more = if known.len() > shown.len() {
        format!(" (and {} more)", known.len() - shown.len())
    } else {
        String::new()
    };
    format!("known {} IDs: {}{more}", kind, one_of(&shown))
}

fn collect_glossary(
    site: &Site,
    sources: &SourceMap,
    links: &mut Links,
    diags: &mut Vec<Diagnostic>,
) {
    for rec in site.of_kind(Kind::Glossary) {
        let RecordData::Glossary(g) = &rec.data else {
            continue;
        };
        for t in &g.terms {
            let key = t.term.to_lowercase();
            if let Some((other, _)) = links.terms.get(&key) {
                let text = sources.text(rec.file);
                let span = field_span(text, rec.yaml_offset..text.len(), "term", Some(&t.term));
                let where_ = if other == &rec.key {
                    "earlier in this glossary".to_string()
                } else {
                    format!("in glossary `{}`", other.id)
                };
                diags.push(
                    Diagnostic::warning(
                        "duplicate-term",
                        format!("glossary term `{}` is defined twice", t.term),
                    )
                    .at(rec.file, span, "defined again here")
                    .field("terms")
                    .hint(format!(
                        "it is already defined {where_}; typed links use the first definition"
                    )),
                );
                continue;
            }
            links.terms.insert(key, (rec.key.clone(), t.term.clone()));
        }
    }
}
