//! Whole-site outputs besides pages: `/data/<kind>.json`, `/data/commitments.csv`,
//! `/sitemap.xml`, `/robots.txt`, highlight CSS and static assets.

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::render::{Renderer, put, put_stream};
use crate::search::{self, SearchEntry, excerpt};
use crate::sink::Sink;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Which whole-site outputs to write: all of them in a build; in the live preview, those an
/// edit can change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExportScope {
    /// `/data/<kind>.json` of these kinds (`None`: every kind).
    pub kinds: Option<BTreeSet<Kind>>,
    pub csv: bool,
    pub search: bool,
    pub feed: bool,
    /// The sitemap, robots.txt, the highlighting stylesheet and static files.
    pub site_files: bool,
}

impl ExportScope {
    pub(crate) fn all() -> Self {
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
    pub(crate) fn for_records(changed: &BTreeSet<RecordKey>) -> Self {
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
    pub(crate) fn static_files() -> Self {
        ExportScope {
            kinds: Some(BTreeSet::new()),
            csv: false,
            search: false,
            feed: false,
            site_files: true,
        }
    }
}

pub(crate) fn write_exports(
    r: &Renderer,
    root: &Path,
    sink: &dyn Sink,
) -> Result<usize, Diagnostic> {
    write_exports_in(r, root, sink, &ExportScope::all())
}

/// Writes the exports `scope` names.
pub(crate) fn write_exports_in(
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
    if let Some(css) = r.site.config.brand.css() {
        put(sink, "brand.css", css.into_bytes())?;
        written += 1;
    }
    if r.site.config.markdown.highlight_code {
        put(
            sink,
            "syntax.css",
            crate::markdown::highlight_css().into_bytes(),
        )?;
        written += 1;
    }
    let theme = &r.site.config.theme;
    match crate::theme::locate(root, theme) {
        Some(crate::theme::ThemeSource::Folder(dir)) => {
            written += copy_static(&dir.join("static"), sink)?;
        }
        Some(crate::theme::ThemeSource::BuiltIn) => {
            for file in crate::theme::built_in_files("static") {
                put(sink, &file.rel, file.bytes.into_owned())?;
                written += 1;
            }
        }
        None => {} // reported when the templates were loaded
    }
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
pub(crate) fn csv_cell(s: &str) -> String {
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

/// The full-text index (see [`search::index_files`]): every record's entry, made on its own
/// (in parallel; the live preview keeps them), in reading order.
fn write_search_index(r: &Renderer, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    let mut recs: Vec<&Record> = r.site.records.values().collect();
    crate::render::sort_records(&mut recs);
    recs.sort_by_key(|rec| rec.kind());
    let entries: Vec<std::borrow::Cow<'_, SearchEntry>> =
        recs.par_iter().map(|rec| r.search_entry(rec)).collect();
    let links = search::links_to(r.links, recs.iter().map(|rec| &rec.key));
    let files = search::index_files(
        &entries,
        &links,
        &search::Rules::for_language(&r.site.config.language),
    );
    let n = files.len() + entries.len();
    files
        .into_par_iter()
        .try_for_each(|(path, bytes)| put(sink, &path, bytes))?;
    // The records' small result files, each written as it is made, in parallel as pages are.
    entries.par_iter().enumerate().try_for_each(|(i, e)| {
        let (path, bytes) = search::record_file(i, e);
        put(sink, &path, bytes)
    })?;
    Ok(n)
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
    // Links: absolute with an absolute base URL; else a path from the host's root, or, in a
    // `--relative` build (which may be put at any address), relative to the feed itself,
    // which lies at the site's root (readers resolve them against the feed's address).
    let link_of = |path: &str| match (&r.settings.absolute_base, r.settings.relative) {
        (None, true) if path.is_empty() => "./".to_string(),
        (None, true) => path.to_string(),
        _ => r.settings.public_url(path),
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
        xml_escape(&link_of("")),
        xml_escape(&link_of("atom.xml")),
        xml_escape(&author),
    );
    for (year, rec) in entries {
        let summary = excerpt(rec, 400);
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{year}-12-31T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&rec.title()),
            xml_escape(&id_of(&rec.path())),
            xml_escape(&link_of(&rec.path())),
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
    fn formula_cells_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("IOM commits"), "IOM commits");
    }
}
