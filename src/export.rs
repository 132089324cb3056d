//! Whole-site outputs besides pages: `/data/<kind>.json`, `/data/commitments.csv`,
//! `/sitemap.xml`, `/robots.txt`, highlight CSS and static assets.

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::render::{Renderer, SearchEntry, put, put_stream};
use crate::sink::Sink;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Which whole-site outputs to write: all of them in a build; in the live preview, those an
/// edit can change.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportScope {
    /// `/data/<kind>.json` of these kinds (`None`: every kind).
    pub kinds: Option<BTreeSet<Kind>>,
    pub csv: bool,
    pub search: bool,
    pub feed: bool,
    /// The sitemap, robots.txt, the highlighting stylesheet and static files.
    pub site_files: bool,
}

impl ExportScope {
    pub fn all() -> Self {
        ExportScope {
            kinds: None,
            csv: true,
            search: true,
            feed: true,
            site_files: true,
        }
    }

    /// What an edit of the records in `changed` can alter when it changed no link, title or
    /// URL: their kinds' data files, the CSV for commitments, the search index (it holds every
    /// text) and the feed for reports and documents. The page list, and so the sitemap, stays.
    pub fn for_records(changed: &BTreeSet<RecordKey>) -> Self {
        let has = |kind: Kind| changed.iter().any(|k| k.kind == kind);
        ExportScope {
            kinds: Some(changed.iter().map(|k| k.kind).collect()),
            csv: has(Kind::Commitment),
            search: !changed.is_empty(),
            feed: has(Kind::Report) || has(Kind::Document),
            site_files: false,
        }
    }

    /// Static files only (a stylesheet or image changed).
    pub fn static_files() -> Self {
        ExportScope {
            kinds: Some(BTreeSet::new()),
            csv: false,
            search: false,
            feed: false,
            site_files: true,
        }
    }
}

pub fn write_exports(r: &Renderer, root: &Path, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    write_exports_in(r, root, sink, &ExportScope::all())
}

/// Writes the exports `scope` names.
pub fn write_exports_in(
    r: &Renderer,
    root: &Path,
    sink: &dyn Sink,
    scope: &ExportScope,
) -> Result<usize, Diagnostic> {
    let mut written = 0;
    let mut outputs = r.settings.outputs;
    if r.settings.check {
        // `check` writes nothing: whole-site exports cannot fail on content, so skip them.
        outputs = Outputs::PAGES_ONLY;
    }
    if outputs.data {
        // One file per kind, in parallel: the commitments file dominates at scale.
        let files: Vec<Result<(), Diagnostic>> = Kind::ALL
            .par_iter()
            .filter(|kind| scope.kinds.as_ref().is_none_or(|ks| ks.contains(kind)))
            .map(|&kind| {
                let mut recs: Vec<&Record> = r.site.of_kind(kind).collect();
                crate::render::sort_records(&mut recs);
                let path = crate::paths::kind_data(kind);
                put_stream(sink, &path, &mut json_array(r, &recs))
            })
            .collect();
        for file in files {
            file?;
            written += 1;
        }
        if scope.csv {
            put(
                sink,
                "data/commitments.csv",
                commitments_csv(r.site, r.links),
            )?;
            written += 1;
        }
    }
    if outputs.search && scope.search {
        written += write_search_index(r, sink)?;
    }
    if outputs.feed && scope.feed {
        put(sink, "atom.xml", atom_feed(r).into_bytes())?;
        written += 1;
    }
    if !scope.site_files {
        return Ok(written);
    }
    // A sitemap lists absolute addresses only (sitemaps.org; the XSD refuses `/`): without an
    // absolute base URL there is none, and robots.txt does not point at one.
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(abs) = &r.settings.absolute_base {
        put(sink, "sitemap.xml", sitemap(r).into_bytes())?;
        robots.push_str(&format!("Sitemap: {abs}sitemap.xml\n"));
        written += 1;
    }
    put(sink, "robots.txt", robots.into_bytes())?;
    written += 1;
    if r.site.config.markdown.highlight_code {
        put(
            sink,
            "syntax.css",
            crate::markdown::highlight_css().into_bytes(),
        )?;
        written += 1;
    }
    written += copy_static(
        &root
            .join("themes")
            .join(&r.site.config.theme)
            .join("static"),
        sink,
    )?;
    written += copy_static(&root.join("static"), sink)?;
    Ok(written)
}

/// The records' JSON as one pretty-printed array, as `serde_json::to_vec_pretty` of the list
/// would print it, made from each record's own text (which the live preview keeps). Made as
/// parts of [`JSON_RECORDS_PER_PART`] records, a window of them at a time in parallel, and
/// only when the sink asks for the next part: the whole array is never in memory.
fn json_array<'a>(r: &'a Renderer, recs: &'a [&'a Record]) -> impl Iterator<Item = Vec<u8>> + 'a {
    let (open, close) = if recs.is_empty() {
        (b"[]".to_vec(), None)
    } else {
        (b"[\n".to_vec(), Some(b"\n]".to_vec()))
    };
    let body = recs
        .chunks(JSON_RECORDS_PER_WINDOW)
        .enumerate()
        .flat_map(move |(w, window)| {
            window
                .par_chunks(JSON_RECORDS_PER_PART)
                .enumerate()
                .map(|(p, part)| json_part(r, part, w == 0 && p == 0))
                .collect::<Vec<_>>()
        });
    std::iter::once(open).chain(body).chain(close)
}

/// Records per part of a JSON export: enough to keep a thread busy, few enough that parts
/// stay small (a commitment's JSON is about 5 KB).
const JSON_RECORDS_PER_PART: usize = 256;
/// Records made at once (in parallel) before their parts are written.
const JSON_RECORDS_PER_WINDOW: usize = 16 * JSON_RECORDS_PER_PART;

/// The array items of `recs`, each indented one level deeper than its own text.
fn json_part(r: &Renderer, recs: &[&Record], first: bool) -> Vec<u8> {
    let mut out = String::new();
    for (i, rec) in recs.iter().enumerate() {
        let text = r.record_json_text(rec);
        out.reserve(text.len() + text.len() / 16 + 4);
        if !first || i > 0 {
            out.push_str(",\n");
        }
        // Strings in JSON hold no raw line breaks, so lines are the printer's own.
        for (l, line) in text.split('\n').enumerate() {
            if l > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out.into_bytes()
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One row per commitment. Its initiatives are those related either way (a relation may be
/// declared on the initiative's side), its keywords its own and its reports' (as the
/// commitments' filter shows them).
fn commitments_csv(site: &Site, links: &crate::link::Links) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "id",
        "type",
        "organisation",
        "core_responsibilities",
        "core_responsibility_titles",
        "transformations",
        "transformation_titles",
        "initiatives",
        "keywords",
        "text",
    ]);
    let mut recs: Vec<&Record> = site.of_kind(Kind::Commitment).collect();
    crate::render::sort_records(&mut recs);
    for rec in recs {
        let RecordData::Commitment(c) = &rec.data else {
            continue;
        };
        let title_of =
            |kind: Kind, id: &str| site.get(kind, id).map(|r| r.title()).unwrap_or_default();
        let org = c
            .organisation
            .clone()
            .or_else(|| site.config.organisation.clone())
            .unwrap_or_default();
        let crs: Vec<String> = c.core_responsibilities.iter().map(u8::to_string).collect();
        let cr_titles: Vec<String> = crs
            .iter()
            .map(|id| title_of(Kind::CoreResponsibility, id))
            .collect();
        let t_titles: Vec<String> = c
            .transformations
            .iter()
            .map(
                |id| match site.get(Kind::Transformation, id).map(|r| &r.data) {
                    Some(RecordData::Transformation(t)) => t.title.clone(),
                    _ => String::new(),
                },
            )
            .collect();
        let row = [
            c.id.to_string(),
            c.commitment_type.name().to_string(),
            org,
            crs.join("; "),
            cr_titles.join("; "),
            c.transformations.join("; "),
            t_titles.join("; "),
            links.initiatives_of(&rec.key).join("; "),
            links.commitment_keywords(c).join("; "),
            c.text.trim().to_string(),
        ];
        let row: Vec<String> = row.iter().map(|s| csv_cell(s)).collect();
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// A name-based UUID (RFC 9562 version 8, from a 128-bit FNV-1a hash of `name`) as a URN:
/// stable for the same name, and unlikely to equal any other.
fn uuid_urn(name: &str) -> String {
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in name.bytes() {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(0x0000000001000000000000000000013b);
    }
    let mut bytes = hash.to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sitemap(r: &Renderer) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let origin = r
        .settings
        .absolute_base
        .as_deref()
        .map(|a| a.trim_end_matches('/').to_string());
    let base_path = r.settings.base_path.clone();
    for job in r.all_jobs() {
        // Pages a search engine should list: not the not-found page, redirects or search.
        if matches!(
            job,
            crate::render::PageJob::NotFound
                | crate::render::PageJob::Alias(..)
                | crate::render::PageJob::Search
        ) {
            continue;
        }
        let Some(path) = r.path_of(&job) else {
            continue;
        };
        let loc = match &origin {
            // absolute_base already holds the base path.
            Some(o) => format!("{o}/{path}"),
            None => format!("{base_path}{path}"),
        };
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&loc)));
    }
    out.push_str("</urlset>\n");
    out
}

fn copy_static(dir: &Path, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let mut n = 0;
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                "unreadable",
                format!("cannot read static file {}: {e}", entry.path().display()),
            )
        })?;
        put(sink, &rel, bytes)?;
        n += 1;
    }
    Ok(n)
}

/// Words too common to be worth an index entry.
const STOPWORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "for", "on", "a", "an", "by", "with", "as", "at", "is", "are",
    "be", "or", "its", "it", "this", "that", "from", "which", "will", "has", "have", "was", "were",
    "their", "these", "such", "into", "also", "not",
];

/// Calls `f` with each search term of `text`: its lower-case ASCII words, accents folded, 2 to
/// 40 characters, stopwords left out — the same rule as `search.js`. Each term is made in
/// `word`, a buffer reused from term to term and from call to call.
fn for_each_term(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    let mut flush = |word: &mut String| {
        if word.len() >= 2 && word.len() <= 40 && !STOPWORDS.contains(&word.as_str()) {
            f(word);
        }
        word.clear();
    };
    word.clear();
    for c in text.chars() {
        let c = crate::text::fold_accent(c).to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            flush(word);
        }
    }
    flush(word);
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push(' ');
        }
        serde_json::Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push(' ');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

fn js_string(s: &str) -> String {
    // JSON is valid JavaScript; `</` is escaped so a shard can never close a script element.
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

/// The first `chars` characters of a record's first Markdown field as plain text, white space
/// collapsed: what search results and feed entries show under the title.
fn excerpt(rec: &Record, chars: usize) -> String {
    let text = rec
        .markdown_fields()
        .first()
        .map(|(_, md)| crate::text::plain_text(md))
        .unwrap_or_default();
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(chars)
        .collect()
}

/// One record's entry in the search index: its row of `search/docs.js` and its terms with
/// their weights (title and ID words weigh five times a word of the text).
pub fn search_entry(rec: &Record) -> SearchEntry {
    let title = rec.title();
    let mut text = String::new();
    collect_strings(
        &serde_json::to_value(&rec.data).unwrap_or_default(),
        &mut text,
    );
    if let Some((body, _)) = &rec.body {
        text.push_str(&crate::text::plain_text(body));
    }
    let excerpt = excerpt(rec, 180);
    // A string is made only for a term seen first; repeats only count.
    let mut counts: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut word = String::new();
    let mut count = |text: &str, weight: u32| {
        for_each_term(text, &mut word, |t| match counts.get_mut(t) {
            Some(n) => *n += weight,
            None => {
                counts.insert(t.to_string(), weight);
            }
        });
    };
    count(&title, 5);
    count(&rec.id, 5);
    count(&text, 1);
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut terms = String::with_capacity(counts.iter().map(|(t, _)| t.len() + 1).sum());
    let mut weights = Vec::with_capacity(counts.len());
    for (t, n) in counts {
        terms.push_str(&t);
        terms.push(' ');
        weights.push(n);
    }
    SearchEntry {
        doc: format!(
            "[{},{},{},{}]",
            js_string(&rec.path()),
            js_string(&title),
            js_string(rec.kind().label()),
            js_string(&excerpt)
        ),
        terms,
        weights,
    }
}

/// The full-text index: `search/docs.js` (one entry per record) and one shard of terms per
/// first character (`search/t-a.js` ...), loaded on demand by `search.js`. Shards are JS, not
/// JSON, so the search also works from `file://`, where browsers refuse `fetch`.
fn write_search_index(r: &Renderer, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    use std::collections::BTreeMap;
    let mut recs: Vec<&Record> = r.site.records.values().collect();
    crate::render::sort_records(&mut recs);
    recs.sort_by_key(|rec| rec.kind());
    // Each record on its own, in parallel (the live preview keeps them); then the merge.
    let entries: Vec<std::borrow::Cow<'_, SearchEntry>> =
        recs.par_iter().map(|rec| r.search_entry(rec)).collect();
    const DOCS_OPEN: &str = "pactgenSearch.docs([";
    const DOCS_CLOSE: &str = "]);\n";
    // Sized up front: grown by doubling, the file (31 MB at 100,000 records) was copied into
    // ever larger fresh memory.
    let docs_len = entries.iter().map(|e| e.doc.len() + 1).sum::<usize>();
    let mut docs = String::with_capacity(DOCS_OPEN.len() + docs_len + DOCS_CLOSE.len());
    docs.push_str(DOCS_OPEN);
    // FxHash: 1.5 million term lookups at 10,000 records; SipHash's DoS resistance buys
    // nothing for a build's own text. A posting is (document, weight) in 8 bytes: a common
    // term has one per record.
    let mut postings: rustc_hash::FxHashMap<&str, Vec<(u32, u32)>> = Default::default();
    for (i, entry) in (0u32..).zip(&entries) {
        for (term, n) in entry.terms() {
            postings.entry(term).or_default().push((i, n));
        }
        if i > 0 {
            docs.push(',');
        }
        docs.push_str(&entry.doc);
    }
    docs.push_str(DOCS_CLOSE);
    put(sink, "search/docs.js", docs.into_bytes())?;
    type Postings<'t> = Vec<(&'t str, Vec<(u32, u32)>)>;
    let mut shards: BTreeMap<char, Postings> = BTreeMap::new();
    for (term, list) in postings {
        let first = term.chars().next().unwrap_or('_');
        shards.entry(first).or_default().push((term, list));
    }
    let shards: Vec<(char, String)> = shards
        .into_par_iter()
        .map(|(c, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            // Sized up front from the postings' digits, not grown by doubling.
            let size: usize = terms
                .iter()
                .map(|(term, list)| {
                    let postings: usize =
                        list.iter().map(|(d, n)| digits(*d) + digits(*n) + 2).sum();
                    term.len() + 6 + postings
                })
                .sum();
            let capacity = size + 32;
            let mut js = String::with_capacity(capacity);
            js.push_str(&format!(
                "pactgenSearch.terms({},{{",
                js_string(&c.to_string())
            ));
            let mut num = itoa::Buffer::new();
            for (k, (term, list)) in terms.iter().enumerate() {
                if k > 0 {
                    js.push(',');
                }
                js.push_str(&js_string(term));
                js.push_str(":[");
                for (j, (d, n)) in list.iter().enumerate() {
                    if j > 0 {
                        js.push(',');
                    }
                    js.push_str(num.format(*d));
                    js.push(',');
                    js.push_str(num.format(*n));
                }
                js.push(']');
            }
            js.push_str("});\n");
            // The estimate above must follow the format written here (tests build in debug).
            debug_assert!(js.len() <= capacity, "shard {c}: {} > {capacity}", js.len());
            (c, js)
        })
        .collect();
    let mut n = 1;
    for (c, js) in shards {
        put(sink, &format!("search/t-{c}.js"), js.into_bytes())?;
        n += 1;
    }
    Ok(n)
}

/// How many decimal digits `n` is written with.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// An Atom feed of the dated records: self-reports (by reporting year) and source documents.
fn atom_feed(r: &Renderer) -> String {
    let mut entries: Vec<(u16, &Record)> = r
        .site
        .records
        .values()
        .filter_map(|rec| match &rec.data {
            RecordData::Report(rep) => Some((rep.year, rec)),
            RecordData::Document(d) => Some((d.year, rec)),
            _ => None,
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    // IDs are the pages' addresses when the site has an absolute base URL; else `urn:uuid:`
    // names made from the site's title and the page's path, the same from build to build and
    // different from every other site's (RFC 4287 wants a permanent, unique IRI).
    let id_of = |path: &str| match &r.settings.absolute_base {
        Some(_) => r.settings.public_url(path),
        None => uuid_urn(&format!("{}\u{0}{path}", r.site.config.title)),
    };
    // RFC 4287 needs an author on the feed or on every entry: the site's organisation.
    let author = r
        .site
        .config
        .organisation
        .as_deref()
        .and_then(|org| r.site.get(Kind::Organisation, org))
        .map_or_else(|| r.site.config.title.clone(), |o| o.title());
    let updated = entries.first().map_or(1970, |e| e.0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n  <updated>{updated}-12-31T00:00:00Z</updated>\n  <author><name>{}</name></author>\n  <generator>pactgen</generator>\n",
        xml_escape(&r.site.config.title),
        xml_escape(&id_of("")),
        xml_escape(&r.settings.public_url("")),
        xml_escape(&r.settings.public_url("atom.xml")),
        xml_escape(&author),
    );
    for (year, rec) in entries {
        let summary = excerpt(rec, 400);
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{year}-12-31T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&rec.title()),
            xml_escape(&id_of(&rec.path())),
            xml_escape(&r.settings.public_url(&rec.path())),
            xml_escape(&summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_counts_decimal_digits() {
        for n in [0, 1, 9, 10, 99, 100, 4_095, 100_000, 999_999, u32::MAX] {
            assert_eq!(digits(n), n.to_string().len(), "{n}");
        }
    }

    fn search_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn search_terms_fold_case_and_accents() {
        assert_eq!(
            search_terms("Côte d'Ivoire, DTM 200010 and the 3A"),
            ["cote", "ivoire", "dtm", "200010", "3a"]
        );
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("IOM commits"), "IOM commits");
    }
}
