//! Render stage: Markdown to HTML, record views, Tera templates, and every output file
//! (pages, per-record JSON, exports, sitemap). Writes go to a [`Sink`].

use crate::diagnostics::{Diagnostic, SourceMap};
use crate::facets::{Facet, Facets};
use crate::link::{Links, target_of};
use crate::markdown::{self, MarkdownOptions};
use crate::model::*;
use crate::paths;
use crate::sink::Sink;
use crate::text::{self, group_digits, natural_cmp};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

/// Settings that shape URLs and output, resolved from `site.yaml` and the command line.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    /// Path prefix of every link, starting and ending with `/` (`/pact/`).
    pub base_path: String,
    /// Absolute origin + path for sitemap and feed (`https://example.org/pact/`), if known.
    pub absolute_base: Option<String>,
    pub minify: bool,
    /// Write page links relative to each page, for sub-paths and `file://`.
    pub relative: bool,
    /// "Last built" date shown on pages (from SOURCE_DATE_EPOCH or the last commit), if known.
    pub built: Option<String>,
    /// Optional outputs (search, data exports, embeds, feed).
    pub outputs: Outputs,
    /// A `check` run: nothing is kept, so whole-site exports are skipped, and on sites of
    /// more than [`SAMPLE_ABOVE`] records only a sample of pages is rendered.
    pub check: bool,
    /// The live preview: keep each record's JSON and search entry for the next rebuild's
    /// exports, and its rendered body for the next rebuild's page (memory a one-off build need
    /// not spend).
    pub keep_parts: bool,
}

/// The template of one commitment in the index and facet lists (optional in a theme).
pub const ITEM_TEMPLATE: &str = "commitment-item.html";
/// Stands for the rendered list items in a commitment list until they are spliced in. Record
/// fields cannot produce it: `<` is escaped in everything that comes from records.
const ITEMS_MARKER: &str = "<!--pactgen:items-b7c1e0-->";

/// Values one facet shows in the filter bar of every commitment list (the most used ones).
pub const MAX_FACET_VALUES: usize = 50;

/// `check` renders every page of a site with at most this many records, else a sample.
pub const SAMPLE_ABOVE: usize = 2000;

/// Stands for the site root in HTML while rendering with relative URLs; replaced per page by
/// the path back to the root (`../../`). `~` cannot occur in an ID, and URL escaping keeps it.
pub const ROOT_MARKER: &str = "/~pactgen-root~/";

impl RenderSettings {
    pub fn from_base_url(base_url: &str, minify: bool) -> Self {
        let trimmed = base_url.trim();
        let (absolute, path) = match trimmed.split_once("://") {
            Some((scheme, rest)) => {
                let path = rest.find('/').map_or("/", |i| &rest[i..]);
                (
                    Some(format!("{scheme}://{}", rest.trim_end_matches('/'))),
                    path.to_string(),
                )
            }
            None => (None, trimmed.to_string()),
        };
        let mut base_path = format!("/{}", path.trim_matches('/'));
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        RenderSettings {
            base_path,
            absolute_base: absolute.map(|a| format!("{a}/")),
            minify,
            relative: false,
            built: None,
            outputs: Outputs::ALL,
            check: false,
            keep_parts: false,
        }
    }

    /// A link to `path` (relative to the site root) for use in HTML.
    pub fn url(&self, path: &str) -> String {
        if self.relative {
            format!("{ROOT_MARKER}{path}")
        } else {
            format!("{}{}", self.base_path, path)
        }
    }

    /// A URL for data files, feeds and snippets: absolute when the base URL is, else a path.
    pub fn public_url(&self, path: &str) -> String {
        match &self.absolute_base {
            Some(abs) => format!("{abs}{path}"),
            None => format!("{}{}", self.base_path, path),
        }
    }
}

/// Replaces [`ROOT_MARKER`] in a page written at `page_path` with the relative way back to the
/// root, and points directory links at their `index.html` so `file://` browsing works.
pub fn relativize(html: &str, page_path: &str) -> String {
    let depth = page_path.matches('/').count();
    let back = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(ROOT_MARKER) {
        out.push_str(&rest[..i]);
        rest = &rest[i + ROOT_MARKER.len()..];
        let end = rest
            .find(['"', '\'', ' ', '>', '<', ')', '#', '?', '\n'])
            .unwrap_or(rest.len());
        let target = &rest[..end];
        let mut link = format!("{back}{target}");
        if target.is_empty() || target.ends_with('/') {
            link.push_str("index.html");
        }
        out.push_str(&link);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A template file, its name as Tera knows it, and its file id for diagnostics.
pub struct TemplateSet {
    pub tera: tera::Tera,
    /// The IDs the templates write as they are (`id="main"`): Markdown headings and footnotes
    /// take others.
    pub ids: std::collections::BTreeSet<String>,
    /// Template name → file id in the source map.
    pub files: HashMap<String, usize>,
    /// Template name → the templates it extends, includes or imports.
    uses: HashMap<String, std::collections::BTreeSet<String>>,
    /// Template name → the IDs it writes literally.
    ids_of: HashMap<String, Vec<String>>,
}

impl TemplateSet {
    /// The templates whose output a change of `changed` can alter: those, and every template
    /// that extends, includes or imports one of them, directly or not.
    pub fn users_of(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        let mut out = changed.clone();
        loop {
            let before = out.len();
            for (name, uses) in &self.uses {
                if !out.contains(name) && uses.iter().any(|u| out.contains(u)) {
                    out.insert(name.clone());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// Every template name.
    pub fn names(&self) -> std::collections::BTreeSet<String> {
        self.files.keys().cloned().collect()
    }

    /// The template a record of `kind` is rendered with.
    pub fn record_template(&self, kind: Kind) -> String {
        let specific = format!("{}.html", kind.name());
        if self.files.contains_key(&specific) {
            specific
        } else {
            "record.html".to_string()
        }
    }

    /// The IDs the templates write, for the link stage (plain data: it knows no templates).
    pub fn template_ids(&self) -> TemplateIds {
        let by_kind = Kind::ALL
            .iter()
            .map(|&kind| {
                // The page's template and every template it uses, transitively.
                let mut names = std::collections::BTreeSet::from([self.record_template(kind)]);
                loop {
                    let before = names.len();
                    let used: Vec<String> = names
                        .iter()
                        .filter_map(|n| self.uses.get(n))
                        .flatten()
                        .cloned()
                        .collect();
                    names.extend(used);
                    if names.len() == before {
                        break;
                    }
                }
                let ids = names
                    .iter()
                    .filter_map(|n| self.ids_of.get(n))
                    .flatten()
                    .cloned()
                    .collect();
                (kind, ids)
            })
            .collect();
        TemplateIds {
            all: self.ids.clone(),
            by_kind,
        }
    }
}

/// The IDs a template writes literally: `id="main"`, not `id="note-{{ n }}"`.
fn literal_ids(text: &str) -> Vec<String> {
    text.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|id| !id.is_empty() && !id.contains("{{") && !id.contains("{%"))
        .map(String::from)
        .collect()
}

/// The templates a template's `{% extends %}`, `{% include %}` and `{% import %}` tags name.
fn template_uses(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for tag in text.split("{%").skip(1) {
        let tag = tag.split("%}").next().unwrap_or("");
        let tag = tag.trim_start_matches('-').trim_start();
        if !["extends", "include", "import"]
            .iter()
            .any(|k| tag.starts_with(k))
        {
            continue;
        }
        // Every quoted name in the tag (`include ["a.html", "b.html"]` names several).
        for (i, part) in tag.split(['"', '\'']).enumerate() {
            if i % 2 == 1 && !part.is_empty() {
                out.insert(part.to_string());
            }
        }
    }
    out
}

/// Loads the theme's templates, then the site's `templates/` over them, file by file.
pub fn load_templates(
    root: &Path,
    theme: &str,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<TemplateSet> {
    let theme_dir = root.join("themes").join(theme).join("templates");
    if !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "missing-theme",
                format!("theme `{theme}` not found: no folder themes/{theme}/templates/"),
            )
            .in_file(0)
            .field("theme")
            .hint("set `theme:` in content/site.yaml to a folder under themes/, e.g. `default`"),
        );
        return None;
    }
    let mut by_name: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (dir, label) in [
        (theme_dir, format!("themes/{theme}/templates")),
        (root.join("templates"), "templates".to_string()),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    by_name.insert(name.clone(), (format!("{label}/{name}"), text));
                }
                Err(e) => diags.push(Diagnostic::error(
                    "unreadable",
                    format!("cannot read {label}/{name}: {e}"),
                )),
            }
        }
    }
    let mut files = HashMap::new();
    let mut raw = Vec::new();
    let mut uses = HashMap::new();
    let mut ids = std::collections::BTreeSet::new();
    let mut ids_of = HashMap::new();
    for (name, (display, text)) in by_name {
        let id = sources.add(display, text.clone());
        files.insert(name.clone(), id);
        uses.insert(name.clone(), template_uses(&text));
        let literal = literal_ids(&text);
        ids.extend(literal.iter().cloned());
        ids_of.insert(name.clone(), literal);
        raw.push((name, text));
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which bloats every URL; `&<>"'` is what HTML needs.
    tera.set_escape_fn(text::html_escape);
    register_filters(&mut tera);
    if let Err(e) = tera.add_raw_templates(raw) {
        diags.push(template_error(&e, None, &files, sources));
        return None;
    }
    for required in REQUIRED_TEMPLATES {
        if !files.contains_key(*required) {
            diags.push(
                Diagnostic::error(
                    "missing-template",
                    format!("template `{required}` not found in the theme or templates/"),
                )
                .hint(format!("add themes/{theme}/templates/{required}")),
            );
        }
    }
    Some(TemplateSet {
        tera,
        ids,
        files,
        uses,
        ids_of,
    })
}

/// Templates a theme must provide; record kinds fall back to `record.html`.
const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "home.html",
    "list.html",
    "record.html",
    "keyword.html",
    "404.html",
];

fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter(
        "slug",
        |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(Value::String(text::slugify(&s)))
        },
    );
    tera.register_filter(
        "group_digits",
        |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
            Ok(match v.as_u64() {
                Some(n) => Value::String(group_digits(n)),
                None => Value::String("–".into()),
            })
        },
    );
}

/// Turns a Tera error (and its causes) into a diagnostic naming the template, line and column.
pub fn template_error(
    e: &tera::Error,
    page: Option<&str>,
    files: &HashMap<String, usize>,
    sources: &SourceMap,
) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        chain.push(c.to_string());
        cur = c.source();
    }
    let full = chain.join(": ");
    // Tera names the template in quotes: "Failed to render 'commitment.html'".
    let name = chain.iter().find_map(|m| {
        let start = m.find('\'')? + 1;
        let end = m[start..].find('\'')? + start;
        let n = &m[start..end];
        files.contains_key(n).then(|| n.to_string())
    });
    // Tera draws parse errors for a terminal (" --> 5:1 | ... = reason"); keep the reason and
    // show the location with our own snippet instead.
    let reason = match (full.find("--> "), full.rfind("\n  = ")) {
        (Some(arrow), Some(k)) => {
            let head = full[..arrow].trim_end().trim_end_matches(':');
            format!("{head}: {}", full[k + 5..].trim())
        }
        _ => full.replace('\n', " "),
    };
    let mut d = Diagnostic::error("template", format!("template error: {reason}"));
    if let Some(page) = page {
        d.message = format!("{} (rendering /{page})", d.message);
    }
    if let Some(n) = &name
        && let Some(&file) = files.get(n)
    {
        // Parse errors point at " --> L:C".
        let span = full.find("--> ").and_then(|i| {
            let rest = &full[i + 4..];
            let (l, c) = rest.split_once(':')?;
            let line: usize = l.trim().parse().ok()?;
            let col: usize = c
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()?;
            let text = sources.text(file);
            let line_start = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum::<usize>();
            let at = (line_start + col.saturating_sub(1)).min(text.len());
            Some(at..(at + 1).min(text.len()))
        });
        d = match span {
            Some(s) => d.at(file, s, "here"),
            None => d.in_file(file),
        };
    }
    d.hint("check the variable names and filters the template uses; `pactgen check` renders every page")
}

#[derive(Serialize, Clone)]
struct LinkView {
    kind: Kind,
    id: String,
    title: String,
    short: String,
    url: String,
    /// Path relative to the site root (for data files, which never use relative links).
    path: String,
    /// Reading order within the kind (funding tables, sections); not shown to templates.
    #[serde(skip)]
    order: i64,
}

#[derive(Serialize)]
struct GroupView<'r> {
    kind: Kind,
    label: &'static str,
    items: Vec<ItemView<'r>>,
}

/// A record in a group of related records: its link and, where the page shows them, its
/// Markdown fields without the body.
#[derive(Serialize)]
struct ItemView<'r> {
    #[serde(flatten)]
    link: LinkView,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<BTreeMap<&'r str, &'r str>>,
}

/// Everything shared by all pages. Built once; templates get a reference, never a copy per page.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_path: &'a str,
    /// Link to the site root (`/`, `/pact/`, or the relative-links marker).
    root: String,
    menu: Vec<LinkView>,
    generator: &'static str,
    built: Option<&'a str>,
    /// Which optional outputs exist, so templates link only to files that are written.
    outputs: Outputs,
    /// Whether `sitemap.xml` is written (only with an absolute base URL).
    sitemap: bool,
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub links: &'a Links,
    pub settings: RenderSettings,
    templates: &'a TemplateSet,
    md: MarkdownOptions,
    /// Rendered Markdown per record and field, filled on first use (a build fills them all
    /// up front, in parallel; `check` renders only what its sample of pages shows).
    /// Bodies apart from the other fields: lists show the fields, only record pages bodies.
    html: KeyMap<[std::sync::OnceLock<BTreeMap<String, String>>; 3]>,
    abbreviations: markdown::Abbreviations,
    site_view: Value,
    /// The commitments' facets (computed after the link stage).
    pub facets: &'a [Facet],
    /// Each record's link view, built once: titles and URLs are needed on many pages.
    link_views: KeyMap<LinkView>,
    /// Each commitment's facet values (facet name → space-separated slugs), for list items.
    facet_slugs: &'a rustc_hash::FxHashMap<RecordKey, crate::facets::FacetSlugs>,
    /// Each commitment's list item, rendered once with `commitment-item.html` and pasted into
    /// the index and every facet page (at 10,000 commitments, 130,000 items otherwise).
    item_fragments: std::sync::OnceLock<KeyMap<String>>,
    /// Items still valid from the previous build, taken when the fragments are first needed.
    carried_fragments: Mutex<KeyMap<String>>,
    fragment_errors: Mutex<Vec<Diagnostic>>,
    commitment_order: std::sync::OnceLock<CommitmentOrder<'a>>,
    /// Each record's JSON and search entry, filled on first use (live preview only).
    parts: KeyMap<RecordParts>,
    /// Sections by document (lower-case ID), made once: each document page scanning every
    /// section was documents × sections.
    sections_of: std::sync::OnceLock<rustc_hash::FxHashMap<String, Vec<&'a Record>>>,
}

/// Maps keyed by record: FxHash, as the keys are the site's own IDs and hashing them is on
/// every page's path (SipHash's flooding resistance buys nothing here).
type KeyMap<V> = rustc_hash::FxHashMap<RecordKey, V>;

type CommitmentOrder<'a> = (Vec<&'a Record>, rustc_hash::FxHashMap<&'a RecordKey, usize>);

/// What a renderer derives from the records, handed from one build to the next by the live
/// preview so that an edit recomputes only the entries of the records it changed. Every entry
/// present must be valid for the site it is given with; missing entries are computed.
#[derive(Default)]
pub struct RenderCache {
    html: KeyMap<[std::sync::OnceLock<BTreeMap<String, String>>; 3]>,
    link_views: KeyMap<LinkView>,
    item_fragments: KeyMap<String>,
    parts: KeyMap<RecordParts>,
    /// `Some(keys)`: the cache is complete for the records it was made for except these keys
    /// (forgotten since), and the records are still the same set. `None`: check every key.
    stale: Option<std::collections::BTreeSet<RecordKey>>,
}

/// A record's JSON and search entry, kept by the live preview (`RenderSettings::keep_parts`).
#[derive(Default)]
struct RecordParts {
    json: std::sync::OnceLock<String>,
    search: std::sync::OnceLock<SearchEntry>,
}

/// One record in the search index: its entry in `search/docs.js` and its weighted terms.
#[derive(Clone, Debug)]
pub struct SearchEntry {
    pub doc: String,
    /// The distinct terms in order, each followed by a space (terms are `[a-z0-9]+`): one
    /// allocation per record, not one per term (a record has about 150, and the live preview
    /// keeps every record's entry).
    pub terms: String,
    /// The weight of each term, in the same order.
    pub weights: Vec<u32>,
}

impl SearchEntry {
    /// Each term with its weight.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms
            .split_terminator(' ')
            .zip(self.weights.iter().copied())
    }
}

impl RenderCache {
    /// Forgets everything derived from `key`: its Markdown, link view and list item.
    pub fn forget(&mut self, key: &RecordKey) {
        if let Some(stale) = &mut self.stale {
            stale.insert(key.clone());
        }
        self.html.remove(key);
        self.link_views.remove(key);
        self.item_fragments.remove(key);
        self.parts.remove(key);
    }

    /// Forgets every record's JSON (it shows the titles of related records, one of which
    /// changed).
    pub fn forget_json(&mut self) {
        for parts in self.parts.values_mut() {
            parts.json = std::sync::OnceLock::new();
        }
    }

    /// Forgets the rendered list items only (a template changed).
    pub fn forget_items(&mut self) {
        self.item_fragments.clear();
    }

    /// Whether `rec` would show on other pages exactly as the last build showed its key: same
    /// title, short title and reading order (its URL follows from the key).
    pub fn shows_alike(&self, rec: &Record) -> bool {
        self.link_views.get(&rec.key).is_some_and(|v| {
            v.title == rec.title() && v.short == rec.short_title() && v.order == order_key(rec)
        })
    }

    /// Whether `rec` has the output path the last build gave its key (the ID's case can
    /// change it).
    pub fn same_path(&self, rec: &Record) -> bool {
        self.link_views
            .get(&rec.key)
            .is_some_and(|v| v.path == rec.path())
    }

    /// Forgets one commitment's list item (its facet values moved).
    pub fn forget_item(&mut self, key: &RecordKey) {
        self.item_fragments.remove(key);
    }
}

/// One output page to produce.
#[derive(Debug, Clone)]
pub enum PageJob {
    Home,
    Record(RecordKey),
    KindIndex(Kind),
    ReportYear(u16),
    Keywords,
    Keyword(String),
    NotFound,
    /// A redirect page at an old URL (`aliases:`), pointing at a record.
    Alias(String, RecordKey),
    /// Commitments filtered by one facet value (`/commitments/type/policy/`).
    Facet(usize, String),
    Search,
}

impl PageJob {
    /// A commitment list: the index or a facet page (`commitment-list.html`, items spliced in).
    pub fn is_commitment_list(&self) -> bool {
        matches!(
            self,
            PageJob::KindIndex(Kind::Commitment) | PageJob::Facet(..)
        )
    }
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        links: &'a Links,
        facets: &'a Facets,
        templates: &'a TemplateSet,
        settings: RenderSettings,
    ) -> Self {
        Self::with_cache(
            site,
            links,
            facets,
            templates,
            settings,
            RenderCache::default(),
        )
    }

    /// A renderer that starts from what an earlier build derived (`cache`, already cleared of
    /// what the changes made stale) and computes only what is missing.
    pub fn with_cache(
        site: &'a Site,
        links: &'a Links,
        facets: &'a Facets,
        templates: &'a TemplateSet,
        settings: RenderSettings,
        cache: RenderCache,
    ) -> Self {
        let RenderCache {
            html: mut carried_html,
            link_views: mut carried_views,
            item_fragments: mut carried_fragments,
            parts: mut carried_parts,
            stale,
        } = cache;
        let md = MarkdownOptions::from(&site.config.markdown);
        let mut r = Renderer {
            site,
            links,
            settings,
            templates,
            md,
            html: KeyMap::default(),
            abbreviations: markdown::Abbreviations::new(),
            site_view: Value::Null,
            facets: &facets.list,
            link_views: KeyMap::default(),
            facet_slugs: &facets.slugs,
            item_fragments: std::sync::OnceLock::new(),
            carried_fragments: Mutex::new(KeyMap::default()),
            fragment_errors: Mutex::new(Vec::new()),
            commitment_order: std::sync::OnceLock::new(),
            parts: KeyMap::default(),
            sections_of: std::sync::OnceLock::new(),
        };
        r.site_view = serde_json::to_value(SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            base_path: &r.settings.base_path,
            root: r.settings.url(""),
            built: r.settings.built.as_deref(),
            menu: site
                .config
                .menu
                .iter()
                .map(|m| LinkView {
                    kind: Kind::Page,
                    id: String::new(),
                    title: m.title.clone(),
                    short: m.title.clone(),
                    url: r.menu_url(&m.link),
                    path: String::new(),
                    order: 0,
                })
                .collect(),
            generator: concat!("pactgen ", env!("CARGO_PKG_VERSION")),
            outputs: r.settings.outputs,
            sitemap: r.settings.absolute_base.is_some(),
        })
        .unwrap_or(Value::Null);
        r.abbreviations = r.abbreviations();
        // The keys whose entries may be missing: those the caller forgot, when it knows the
        // records are the ones the cache was made for; else every key is checked.
        let known = stale.is_some();
        let missing: Vec<&Record> = match &stale {
            Some(keys) => keys.iter().filter_map(|k| site.records.get(k)).collect(),
            None => {
                carried_html.retain(|k, _| site.records.contains_key(k));
                carried_views.retain(|k, _| site.records.contains_key(k));
                carried_fragments.retain(|k, _| site.records.contains_key(k));
                carried_parts.retain(|k, _| site.records.contains_key(k));
                site.records
                    .values()
                    .filter(|rec| {
                        !carried_html.contains_key(&rec.key)
                            || !carried_views.contains_key(&rec.key)
                            || (r.settings.keep_parts && !carried_parts.contains_key(&rec.key))
                    })
                    .collect()
            }
        };
        for rec in &missing {
            carried_html.entry(rec.key.clone()).or_default();
        }
        r.html = carried_html;
        if !r.sampling() {
            // Filled up front in parallel; entries carried over are filled already.
            let fill = |key: &RecordKey| {
                r.fields_html(key, false);
                if r.settings.keep_parts {
                    r.fields_html(key, true);
                }
            };
            if known {
                missing.par_iter().for_each(|rec| fill(&rec.key));
            } else {
                site.records.par_iter().for_each(|(key, _)| fill(key));
            }
        }
        let computed: Vec<(RecordKey, LinkView)> = missing
            .par_iter()
            .filter(|rec| !carried_views.contains_key(&rec.key))
            .map(|rec| {
                let key = &rec.key;
                let path = rec.path();
                let view = LinkView {
                    kind: rec.kind(),
                    id: rec.id.clone(),
                    title: rec.title(),
                    short: rec.short_title(),
                    url: r.settings.url(&path),
                    path,
                    order: order_key(rec),
                };
                (key.clone(), view)
            })
            .collect();
        carried_views.reserve(computed.len());
        carried_views.extend(computed);
        r.link_views = carried_views;
        r.carried_fragments = Mutex::new(carried_fragments);
        if r.settings.keep_parts {
            for rec in &missing {
                carried_parts.entry(rec.key.clone()).or_default();
            }
            r.parts = carried_parts;
        }
        r
    }

    /// Hands what this renderer derived to the next build of the live preview.
    pub fn into_cache(self) -> RenderCache {
        RenderCache {
            html: self.html,
            link_views: self.link_views,
            item_fragments: self.item_fragments.into_inner().unwrap_or_default(),
            parts: self.parts,
            stale: Some(std::collections::BTreeSet::new()),
        }
    }

    /// Whether this run renders only a sample of the pages (`check` on a large site).
    fn sampling(&self) -> bool {
        self.settings.check && self.site.records.len() > SAMPLE_ABOVE
    }

    /// A record's Markdown fields as HTML, by template key, for its own page. Only the live
    /// preview keeps the body (its next rebuild reuses it); a build renders the body here, for
    /// the one page job that shows it, and lets it go: 100,000 bodies never sit in memory at
    /// once.
    fn html_of(&self, key: &RecordKey) -> Option<Value> {
        let mut out: serde_json::Map<String, Value> = self
            .fields_html(key, false)?
            .iter()
            .map(|(name, html)| (name.clone(), Value::String(html.clone())))
            .collect();
        if self.settings.keep_parts {
            for (name, html) in self.fields_html(key, true)? {
                out.insert(name.clone(), Value::String(html.clone()));
            }
        } else {
            let rec = self.site.records.get(key)?;
            for (name, html) in self.render_fields(rec, true) {
                out.insert(name, Value::String(html));
            }
        }
        Some(Value::Object(out))
    }

    /// The record's body as HTML (`body == true`) or its other Markdown fields, rendered once.
    fn fields_html(&self, key: &RecordKey, body: bool) -> Option<&BTreeMap<String, String>> {
        let cell = &self.html.get(key)?[usize::from(body)];
        let rec = self.site.records.get(key)?;
        Some(cell.get_or_init(|| self.render_fields(rec, body)))
    }

    /// Renders the record's body (`body == true`) or its other Markdown fields, as its own
    /// page shows them: every heading and footnote ID unique on the page (the template's IDs
    /// come first, then the fields in order, then the body). For the body the fields are
    /// rendered again only to take their IDs; they are short.
    fn render_fields(&self, rec: &Record, body: bool) -> BTreeMap<String, String> {
        let resolve = |dest: &str| self.resolve(dest);
        let site_url = |path: &str| self.settings.url(path.trim_start_matches('/'));
        let cx = markdown::Context {
            resolve: &resolve,
            site_url: &site_url,
            abbreviations: Some(&self.abbreviations),
            footnote_prefix: "fn-",
            shift_headings: true,
        };
        let mut texts = rec.markdown_fields();
        if !body {
            texts.retain(|(name, _)| name != "body"); // the body comes last: no ID of theirs
        }
        let keep = |name: &str| (name == "body") == body;
        markdown::render_page_texts(&texts, &self.md, &cx, &self.templates.ids, &keep).0
    }

    /// A record's rendered Markdown fields without its body: what lists and related-record
    /// blocks on other pages show. Bodies are long and belong on the record's own page. A
    /// field with IDs (headings, footnotes) shows them prefixed with the record's kind and
    /// ID, so that two records' texts on one page never share an ID.
    fn summary_html(&self, key: &RecordKey) -> Option<BTreeMap<&str, &str>> {
        let fields = self.fields_html(key, false)?;
        let prefixed = self.html.get(key)?[2].get_or_init(|| {
            let prefix = format!("{}-{}-", key.kind.name(), text::slugify(&key.id));
            fields
                .iter()
                .filter(|(_, html)| html.contains(" id=\""))
                .map(|(name, html)| (name.clone(), prefix_ids(html, &prefix)))
                .collect()
        });
        Some(
            fields
                .iter()
                .map(|(name, html)| {
                    let shown = prefixed.get(name).unwrap_or(html);
                    (name.as_str(), shown.as_str())
                })
                .collect(),
        )
    }

    /// Glossary terms (acronyms) → their expansion and glossary URL, for `<abbr>` markup.
    fn abbreviations(&self) -> markdown::Abbreviations {
        let mut out = markdown::Abbreviations::new();
        for g in self.site.of_kind(Kind::Glossary) {
            let RecordData::Glossary(gd) = &g.data else {
                continue;
            };
            for t in &gd.terms {
                // The first definition wins, as it does for typed links.
                if self
                    .links
                    .terms
                    .get(&t.term.to_lowercase())
                    .is_some_and(|(k, _)| k == &g.key)
                {
                    let url = format!(
                        "{}#{}",
                        self.settings.url(&g.path()),
                        text::slugify(&t.term)
                    );
                    out.entry(t.term.clone())
                        .or_insert((t.definition.clone(), url));
                }
            }
        }
        out
    }

    fn facet_url(&self, facet: &str, slug: &str) -> String {
        self.settings.url(&paths::facet(facet, slug))
    }

    /// The filter bar: every facet with its values, counts and no-JS links. A facet shows at
    /// most [`MAX_FACET_VALUES`] values, the most used (and the current one): every facet
    /// page carries the bar, so showing all of them made the output grow with the square of
    /// the number of values (1,000 keywords: 154 MB; 4,000: 2 GB).
    fn facets_view(&self, current: Option<(usize, &str)>) -> Vec<Value> {
        self.facets
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let mut values: Vec<(&String, &(String, std::collections::BTreeSet<RecordKey>))> =
                    f.values.iter().collect();
                let hidden = values.len().saturating_sub(MAX_FACET_VALUES);
                if hidden > 0 {
                    let is_current = |slug: &str| current == Some((fi, slug));
                    values.sort_by(|a, b| {
                        is_current(b.0)
                            .cmp(&is_current(a.0))
                            .then(b.1.1.len().cmp(&a.1.1.len()))
                            .then_with(|| natural_cmp(a.0, b.0))
                    });
                    values.truncate(MAX_FACET_VALUES);
                }
                values.sort_by(|a, b| natural_cmp(a.0, b.0));
                let values: Vec<Value> = values
                    .into_iter()
                    .map(|(slug, (label, members))| {
                        json!({
                            "slug": slug,
                            "label": label,
                            "count": members.len(),
                            "url": self.facet_url(f.name, slug),
                            "current": current == Some((fi, slug.as_str())),
                        })
                    })
                    .collect();
                let mut view = json!({"name": f.name, "label": f.label, "values": values});
                if hidden > 0 {
                    view["hidden"] = Value::from(hidden);
                    if f.name == "keyword" {
                        view["all_url"] = Value::String(self.settings.url(paths::KEYWORDS));
                    }
                }
                view
            })
            .collect()
    }

    /// The page fields of a commitment list: `count`, and either `items_html` (when the theme
    /// has `commitment-item.html`: every item rendered once and joined here, since a loop in
    /// Tera over 10,000 items costs more than the rest of the page) or `items` (data for the
    /// list template to render each item itself).
    fn commitment_list(
        &self,
        only: Option<&std::collections::BTreeSet<RecordKey>>,
        page: &mut serde_json::Map<String, Value>,
    ) -> Option<Vec<&'a Record>> {
        let prerendered = self.items_prerendered();
        page.insert("prerendered".into(), Value::Bool(prerendered));
        if !prerendered {
            let items = self.commitment_items(only);
            page.insert("count".into(), Value::from(items.len()));
            page.insert("items".into(), Value::Array(items));
            return None;
        }
        let recs = self.commitments_in_order(only);
        page.insert("count".into(), Value::from(recs.len()));
        // The items go in after rendering, where the template put this marker: Tera would
        // copy a 5 MB string several times on its way to the page.
        page.insert("items_html".into(), Value::String(ITEMS_MARKER.into()));
        Some(recs)
    }

    /// Puts the rendered items of `recs` where the list template put [`ITEMS_MARKER`].
    fn splice_items(&self, html: String, recs: &[&Record]) -> String {
        let Some(at) = html.find(ITEMS_MARKER) else {
            return html; // the template does not show the items
        };
        let fragments = self.item_fragments();
        let size: usize = recs
            .iter()
            .map(|r| fragments.get(&r.key).map_or(0, String::len) + 4)
            .sum();
        let mut out = String::with_capacity(html.len() + size);
        out.push_str(&html[..at]);
        for r in recs {
            // A fragment that failed to render is reported as a template error.
            out.push_str("\n  ");
            out.push_str(fragments.get(&r.key).map_or("", String::as_str));
            out.push('\n');
        }
        out.push_str(&html[at + ITEMS_MARKER.len()..]);
        out
    }

    /// Commitments in reading order: all of them, or the members of one facet value.
    fn commitments_in_order(
        &self,
        only: Option<&std::collections::BTreeSet<RecordKey>>,
    ) -> Vec<&'a Record> {
        let (order, rank) = self.commitment_order();
        match only {
            None => order.clone(),
            // Members in reading order by their rank: no scan of every commitment per page.
            Some(set) => {
                let mut ranked: Vec<usize> =
                    set.iter().filter_map(|k| rank.get(k).copied()).collect();
                ranked.sort_unstable();
                ranked.into_iter().map(|i| order[i]).collect()
            }
        }
    }

    /// Commitment list items as data for a list template without `commitment-item.html`.
    fn commitment_items(&self, only: Option<&std::collections::BTreeSet<RecordKey>>) -> Vec<Value> {
        self.commitments_in_order(only)
            .into_iter()
            .map(|r| self.commitment_item(r))
            .collect()
    }

    /// Whether list items arrive rendered (`page.items_html`) or as data for the list template:
    /// rendered when the theme has the item template, except in a sampling `check`, which
    /// renders few lists and checks the item template through the list's `include`.
    fn items_prerendered(&self) -> bool {
        !self.sampling() && self.templates.files.contains_key(ITEM_TEMPLATE)
    }

    /// Commitments in reading order, and each one's position in it; built once.
    fn commitment_order(&self) -> &CommitmentOrder<'a> {
        self.commitment_order.get_or_init(|| {
            let mut recs: Vec<&Record> = self.site.of_kind(Kind::Commitment).collect();
            sort_records(&mut recs);
            let rank = recs.iter().enumerate().map(|(i, r)| (&r.key, i)).collect();
            (recs, rank)
        })
    }

    /// The view of one commitment in a list.
    fn commitment_item(&self, r: &Record) -> Value {
        let facets: serde_json::Map<String, Value> = self
            .facet_slugs
            .get(&r.key)
            .into_iter()
            .flatten()
            .map(|(name, slugs)| ((*name).to_string(), Value::String(slugs.clone())))
            .collect();
        json!({"id": r.id, "link": self.link(&r.key), "data": r.data, "html": self.summary_html(&r.key), "facets": facets})
    }

    /// Renders every commitment's list item once (when the theme has `commitment-item.html`),
    /// except those carried over from the previous build of the live preview.
    fn item_fragments(&self) -> &KeyMap<String> {
        self.item_fragments.get_or_init(|| {
            if !self.items_prerendered() {
                return KeyMap::default();
            }
            let mut out = self
                .carried_fragments
                .lock()
                .map(|mut c| std::mem::take(&mut *c))
                .unwrap_or_default();
            let rendered: Vec<(RecordKey, Result<String, Diagnostic>)> = self
                .site
                .of_kind(Kind::Commitment)
                .filter(|r| !out.contains_key(&r.key))
                .collect::<Vec<_>>()
                .par_iter()
                .map(|r| {
                    let mut vars = serde_json::Map::with_capacity(3);
                    vars.insert("site".into(), self.site_view.clone());
                    vars.insert("item".into(), self.commitment_item(r));
                    vars.insert("path".into(), Value::String(r.path()));
                    (
                        r.key.clone(),
                        self.render_vars(ITEM_TEMPLATE, vars, &r.path()),
                    )
                })
                .collect();
            out.reserve(rendered.len());
            for (key, html) in rendered {
                match html {
                    Ok(html) => {
                        out.insert(key, html);
                    }
                    Err(d) => {
                        if let Ok(mut e) = self.fragment_errors.lock() {
                            e.push(d);
                        }
                    }
                }
            }
            out
        })
    }

    fn menu_url(&self, link: &str) -> String {
        if markdown::is_dangerous_url(link) {
            return self.settings.url(""); // reported by the link stage
        }
        match parse_typed_link(link) {
            Some(Ok(l)) => self.typed_url(&l).unwrap_or_else(|| self.settings.url("")),
            _ if link.starts_with('/') => self.settings.url(link.trim_start_matches('/')),
            _ => link.to_string(),
        }
    }

    /// The URL a link destination of a record's Markdown stands for: a typed link's page
    /// (with its `#fragment`), a web address as written; `None` drops a typed link that does
    /// not resolve (the link stage reported it).
    fn resolve(&self, dest: &str) -> Option<String> {
        match parse_typed_link(dest) {
            Some(Ok(link)) => self.typed_url(&link).map(|url| match link.fragment {
                Some(f) => format!("{url}#{f}"),
                None => url,
            }),
            Some(Err(_)) => None,
            None => Some(dest.to_string()),
        }
    }

    /// The page a typed link names.
    fn typed_url(&self, link: &TypedLink) -> Option<String> {
        if link.target == Target::Keyword {
            let slug = text::slugify(link.id);
            return self
                .links
                .keywords
                .contains_key(&slug)
                .then(|| self.settings.url(&paths::keyword(&slug)));
        }
        if link.kind() == Some(Kind::Glossary)
            && let Some((g, term)) = self.links.terms.get(&link.id.to_lowercase())
        {
            let rec = self.site.records.get(g)?;
            return Some(format!(
                "{}#{}",
                self.settings.url(&rec.path()),
                text::slugify(term)
            ));
        }
        let key = target_of(self.site, self.links, link)?;
        self.site
            .records
            .get(&key)
            .map(|r| self.settings.url(&r.path()))
    }

    fn link(&self, key: &RecordKey) -> Option<LinkView> {
        self.link_views.get(key).cloned()
    }

    fn groups(
        &self,
        map: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>>,
    ) -> Vec<GroupView<'_>> {
        self.groups_with(map, |_| false)
    }

    /// Groups of related records; items of the kinds `with_text` accepts carry their texts.
    fn groups_with(
        &self,
        map: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>>,
        with_text: impl Fn(Kind) -> bool,
    ) -> Vec<GroupView<'_>> {
        map.into_iter()
            .map(|(kind, keys)| {
                let mut links: Vec<(LinkView, &RecordKey)> = keys
                    .iter()
                    .filter_map(|k| Some((self.link(k)?, k)))
                    .collect();
                links.sort_by(|(a, _), (b, _)| link_order(a, b));
                let items = links
                    .into_iter()
                    .map(|(link, key)| ItemView {
                        link,
                        html: if with_text(kind) {
                            self.summary_html(key)
                        } else {
                            None
                        },
                    })
                    .collect();
                GroupView {
                    kind,
                    label: kind.plural_label(),
                    items,
                }
            })
            .collect()
    }

    /// Breadcrumbs from the home page down to (not including) the record.
    fn breadcrumbs(&self, rec: &Record) -> Vec<LinkView> {
        let home = LinkView {
            kind: Kind::Page,
            id: String::new(),
            title: "Home".into(),
            short: "Home".into(),
            url: self.settings.url(""),
            path: String::new(),
            order: 0,
        };
        let index = |kind: Kind| LinkView {
            kind,
            id: String::new(),
            title: kind.plural_label().into(),
            short: kind.plural_label().into(),
            url: self.settings.url(&paths::kind_index(kind)),
            path: paths::kind_index(kind),
            order: 0,
        };
        let get = |kind: Kind, id: &str| self.site.get(kind, id).and_then(|r| self.link(&r.key));
        let mut out = vec![home];
        match &rec.data {
            RecordData::Transformation(t) => {
                out.extend(get(
                    Kind::CoreResponsibility,
                    &t.core_responsibility.to_string(),
                ));
            }
            RecordData::Commitment(c) => {
                if let Some(t) = c
                    .transformations
                    .first()
                    .and_then(|t| self.site.get(Kind::Transformation, t))
                    && let RecordData::Transformation(td) = &t.data
                {
                    out.extend(get(
                        Kind::CoreResponsibility,
                        &td.core_responsibility.to_string(),
                    ));
                    out.extend(self.link(&t.key));
                } else {
                    out.push(index(Kind::Commitment));
                }
            }
            RecordData::Report(r) => {
                out.push(index(Kind::Report));
                out.push(LinkView {
                    kind: Kind::Report,
                    id: r.year.to_string(),
                    title: r.year.to_string(),
                    short: r.year.to_string(),
                    url: self.settings.url(&paths::report_year(r.year)),
                    path: paths::report_year(r.year),
                    order: 0,
                });
            }
            RecordData::Section(s) => {
                out.push(index(Kind::Document));
                out.extend(get(Kind::Document, &s.document));
                let mut chain = Vec::new();
                let mut parent = s.parent.clone();
                let mut guard = 0;
                while let Some(p) = parent {
                    guard += 1;
                    let Some(pr) = self
                        .site
                        .get(Kind::Section, &format!("{}/{}", s.document, p))
                    else {
                        break;
                    };
                    if guard > 32 || pr.key == rec.key {
                        break; // a cycle, reported by the link stage
                    }
                    chain.extend(self.link(&pr.key));
                    parent = match &pr.data {
                        RecordData::Section(ps) => ps.parent.clone(),
                        _ => None,
                    };
                }
                chain.reverse();
                out.extend(chain);
            }
            RecordData::Page(_) => {}
            _ => out.push(index(rec.kind())),
        }
        out
    }

    /// The JSON form of a record: its fields, body and resolved links (`index.json`, `/data/`).
    pub fn record_json(&self, rec: &Record) -> Value {
        let mut links: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (field, key) in self.links.outgoing.get(&rec.key).into_iter().flatten() {
            if let Some(l) = self.link(key) {
                links
                    .entry(field.clone())
                    .or_default()
                    .push(json!({"kind": l.kind, "id": l.id, "title": l.title, "url": self.settings.public_url(&l.path)}));
            }
        }
        let referenced_by: Vec<Value> = self
            .links
            .incoming
            .get(&rec.key)
            .into_iter()
            .flatten()
            .filter_map(|k| self.link(k))
            .map(|l| json!({"kind": l.kind, "id": l.id, "title": l.title, "url": self.settings.public_url(&l.path)}))
            .collect();
        json!({
            "kind": rec.kind(),
            "id": rec.id,
            "title": rec.title(),
            // A data file's addresses are absolute when the base URL is, else paths from the
            // site's root: never relative to a page (nor the placeholder of relative builds).
            "url": self.settings.public_url(&rec.path()),
            "fields": rec.data,
            "body": rec.body.as_ref().map(|(b, _)| &**b),
            "links": links,
            "referenced_by": referenced_by,
        })
    }

    /// A record's JSON as its `index.json` holds it (pretty-printed); kept for the next
    /// rebuild in the live preview.
    pub fn record_json_text(&self, rec: &Record) -> std::borrow::Cow<'_, str> {
        let make = || serde_json::to_string_pretty(&self.record_json(rec)).unwrap_or_default();
        match self.parts.get(&rec.key) {
            Some(parts) => std::borrow::Cow::Borrowed(parts.json.get_or_init(make).as_str()),
            None => std::borrow::Cow::Owned(make()),
        }
    }

    /// A record's search entry; kept for the next rebuild in the live preview.
    pub fn search_entry(&self, rec: &Record) -> std::borrow::Cow<'_, SearchEntry> {
        let make = || crate::export::search_entry(rec);
        match self.parts.get(&rec.key) {
            Some(parts) => std::borrow::Cow::Borrowed(parts.search.get_or_init(make)),
            None => std::borrow::Cow::Owned(make()),
        }
    }

    fn record_context(&self, rec: &Record) -> Value {
        // A transformation page shows in one place what was promised and what was done: its
        // commitments, core commitments and reports carry their texts on each item (not in a
        // map the template looks up by key: Tera copies the whole map for every lookup).
        let related = self.groups_with(self.links.related(&rec.key), |kind| {
            shows_texts_of(rec.kind(), kind)
        });
        let mentions = self
            .links
            .mentioned_by
            .get(&rec.key)
            .map(|set| {
                let mut by_kind: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>> =
                    BTreeMap::new();
                for k in set {
                    by_kind.entry(k.kind).or_default().insert(k.clone());
                }
                self.groups(by_kind)
            })
            .unwrap_or_default();
        let source = rec.source().map(|s| {
            json!({
                "document": self.site.get(Kind::Document, &s.document).and_then(|d| self.link(&d.key)),
                "section": s.section,
                "note": s.note,
            })
        });
        let extra = self.kind_extra(rec);
        json!({
            "kind": rec.kind(),
            "kind_label": rec.kind().label(),
            "id": rec.id,
            "key": rec.key.to_string(),
            "title": rec.title(),
            "url": self.settings.url(&rec.path()),
            "json_url": self.settings.url(&format!("{}index.json", rec.path())),
            "data": rec.data,
            "html": self.html_of(&rec.key),
            "related": related,
            "mentioned_by": mentions,
            "breadcrumbs": self.breadcrumbs(rec),
            "source": source,
            "extra": extra,
            "embed": false,
            "embed_url": self.settings.url(&rec.embed_path()),
            "embed_snippet": format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
                text::html_escape(&self.settings.public_url(&rec.embed_path())),
                text::html_escape(&rec.title())
            ),
        })
    }

    /// Kind-specific derived data the templates need.
    fn kind_extra(&self, rec: &Record) -> Value {
        match &rec.data {
            RecordData::FundingTable(t) => {
                let max = t.rows.iter().map(|r| r.total).max().unwrap_or(0).max(1);
                let rows: Vec<Value> = t
                    .rows
                    .iter()
                    .map(|r| {
                        json!({
                            "label": r.label,
                            "values": r.values,
                            "total": r.total,
                            // Bar width in per mille of the largest row, for CSS bars
                            // (in 128 bits: `total` may be as large as 2^64 - 1).
                            "bar": u128::from(r.total) * 1000 / u128::from(max),
                            "table_url": r.table.as_ref().and_then(|id| self.site.get(Kind::FundingTable, id)).map(|x| self.settings.url(&x.path())),
                            "note": r.note,
                            "document_error": r.document_error,
                        })
                    })
                    .collect();
                json!({"rows": rows})
            }
            RecordData::Glossary(g) => {
                let terms: Vec<Value> = g
                    .terms
                    .iter()
                    .map(|t| json!({"term": t.term, "definition": t.definition, "anchor": text::slugify(&t.term)}))
                    .collect();
                json!({"terms": terms})
            }
            RecordData::Document(_) => {
                // The document's sections as a tree (chapters, then their sections).
                let mut children: BTreeMap<Option<String>, Vec<&Record>> = BTreeMap::new();
                let sections_of = self.sections_of.get_or_init(|| {
                    let mut map: rustc_hash::FxHashMap<String, Vec<&'a Record>> =
                        Default::default();
                    for s in self.site.of_kind(Kind::Section) {
                        if let RecordData::Section(sd) = &s.data {
                            map.entry(sd.document.to_lowercase()).or_default().push(s);
                        }
                    }
                    map
                });
                for s in sections_of.get(&rec.key.id).into_iter().flatten() {
                    if let RecordData::Section(sd) = &s.data {
                        children
                            .entry(sd.parent.as_ref().map(|p| p.to_lowercase()))
                            .or_default()
                            .push(s);
                    }
                }
                for list in children.values_mut() {
                    list.sort_by_key(|s| match &s.data {
                        RecordData::Section(sd) => (sd.order, sd.id.clone()),
                        _ => (0, String::new()),
                    });
                }
                let tree = self.section_tree(&children, None, 0);
                json!({"sections": tree})
            }
            _ => Value::Null,
        }
    }

    fn section_tree(
        &self,
        children: &BTreeMap<Option<String>, Vec<&Record>>,
        parent: Option<String>,
        depth: usize,
    ) -> Vec<Value> {
        if depth > 8 {
            return Vec::new();
        }
        children
            .get(&parent)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let RecordData::Section(sd) = &s.data else { return None };
                let link = self.link(&s.key)?;
                Some(json!({"link": link, "children": self.section_tree(children, Some(sd.id.to_lowercase()), depth + 1)}))
            })
            .collect()
    }

    fn list_items(&self, kind: Kind) -> Vec<Value> {
        let mut recs: Vec<&Record> = self.site.of_kind(kind).collect();
        sort_records(&mut recs);
        recs.into_iter()
            .map(|r| {
                json!({
                    "link": self.link(&r.key),
                    "data": r.data,
                    "html": self.summary_html(&r.key),
                })
            })
            .collect()
    }

    fn counts(&self) -> Vec<Value> {
        Kind::ALL
            .iter()
            .filter(|k| k.has_index())
            .map(|k| {
                json!({
                    "kind": k,
                    "label": k.plural_label(),
                    "count": self.site.of_kind(*k).count(),
                    "url": self.settings.url(&paths::kind_index(*k)),
                })
            })
            .collect()
    }

    /// Charts of the home page, drawn at build time as inline SVG, each with its numbers.
    fn home_charts(&self) -> Vec<Value> {
        let mut charts = Vec::new();
        let count_by = |facet: &str| -> Vec<(String, u64, Option<String>)> {
            self.facets
                .iter()
                .find(|f| f.name == facet)
                .map(|f| {
                    let mut v: Vec<_> = f.values.iter().collect();
                    v.sort_by(|a, b| natural_cmp(a.0, b.0));
                    v.into_iter()
                        .map(|(slug, (label, members))| {
                            (
                                label.clone(),
                                members.len() as u64,
                                Some(self.facet_url(facet, slug)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let by_cr = count_by("core-responsibility");
        if !by_cr.is_empty() {
            charts.push(chart(
                "chart-cr",
                "Commitments by core responsibility",
                "commitments",
                &by_cr,
            ));
        }
        let by_type = count_by("type");
        if !by_type.is_empty() {
            charts.push(chart(
                "chart-type",
                "Commitments by type",
                "commitments",
                &by_type,
            ));
        }
        // Funding: the table whose rows summarise other tables is the overview.
        let overview = self
            .site
            .of_kind(Kind::FundingTable)
            .find_map(|r| match &r.data {
                RecordData::FundingTable(t) if t.rows.iter().any(|row| row.table.is_some()) => {
                    Some(t)
                }
                _ => None,
            });
        if let Some(t) = overview {
            let rows: Vec<(String, u64, Option<String>)> = t
                .rows
                .iter()
                .map(|row| {
                    let url = row
                        .table
                        .as_ref()
                        .and_then(|id| self.site.get(Kind::FundingTable, id))
                        .map(|x| self.settings.url(&x.path()));
                    (row.label.clone(), row.total, url)
                })
                .collect();
            charts.push(chart(
                "chart-region",
                &format!("Funding requirements by region ({})", t.currency),
                "money",
                &rows,
            ));
            let cols: Vec<(String, u64, Option<String>)> = t
                .columns
                .iter()
                .zip(&t.total.values)
                .map(|(c, v)| (c.clone(), v.unwrap_or(0), None))
                .collect();
            charts.push(chart(
                "chart-column",
                &format!(
                    "Funding requirements by principle and objective ({})",
                    t.currency
                ),
                "money",
                &cols,
            ));
        }
        charts
    }

    /// Every page the site has, in a stable order.
    /// The pages to render: every page, or for `check` a sample of them.
    pub fn jobs(&self) -> Vec<PageJob> {
        let all = self.all_jobs();
        if self.sampling() {
            self.sample_of(all)
        } else {
            all
        }
    }

    /// Every page job, even when `check` renders only a sample.
    pub fn all_jobs(&self) -> Vec<PageJob> {
        let mut jobs = vec![PageJob::Home, PageJob::NotFound, PageJob::Keywords];
        for kind in Kind::ALL {
            if kind.has_index() {
                jobs.push(PageJob::KindIndex(kind));
            }
        }
        let mut years: Vec<u16> = self
            .site
            .of_kind(Kind::Report)
            .filter_map(|r| match &r.data {
                RecordData::Report(rep) => Some(rep.year),
                _ => None,
            })
            .collect();
        years.sort_unstable();
        years.dedup();
        jobs.extend(years.into_iter().map(PageJob::ReportYear));
        jobs.extend(self.links.keywords.keys().cloned().map(PageJob::Keyword));
        // A record job also writes the record's JSON and embed page, from one context.
        jobs.extend(self.site.records.keys().cloned().map(PageJob::Record));
        for (fi, f) in self.facets.iter().enumerate() {
            jobs.extend(f.values.keys().map(|slug| PageJob::Facet(fi, slug.clone())));
        }
        for rec in self.site.records.values() {
            for alias in rec.aliases() {
                if let Ok(path) = crate::paths::alias_path(alias) {
                    jobs.push(PageJob::Alias(path, rec.key.clone()));
                }
            }
        }
        if self.settings.outputs.search {
            jobs.push(PageJob::Search);
        }
        jobs
    }

    /// The pages `check` renders on a large site, which use every template with every kind:
    /// the first and last record of each kind, the smallest facet page (it stands for the
    /// commitments index, same template), the smallest keyword page, one alias, and every
    /// other index page.
    fn sample_of(&self, jobs: Vec<PageJob>) -> Vec<PageJob> {
        let mut ends: std::collections::HashSet<RecordKey> = std::collections::HashSet::new();
        for kind in Kind::ALL {
            ends.extend(self.site.of_kind(kind).next().map(|r| r.key.clone()));
            ends.extend(self.site.of_kind(kind).last().map(|r| r.key.clone()));
        }
        // One facet page renders the list template as well as all of them would.
        let smallest_facet = self
            .facets
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| {
                f.values
                    .iter()
                    .map(move |(slug, (_, members))| (members.len(), fi, slug))
            })
            .min()
            .map(|(_, fi, slug)| (fi, slug));
        let smallest_keyword = self
            .links
            .keywords
            .iter()
            .min_by_key(|(_, (_, recs))| recs.len())
            .map(|(slug, _)| slug);
        let mut alias_seen = false;
        jobs.into_iter()
            .filter(|job| match job {
                PageJob::Record(k) => ends.contains(k),
                PageJob::KindIndex(Kind::Commitment) => self.facets.is_empty(),
                PageJob::Facet(fi, slug) => smallest_facet == Some((*fi, slug)),
                PageJob::Keyword(slug) => Some(slug) == smallest_keyword,
                PageJob::Alias(..) => !std::mem::replace(&mut alias_seen, true),
                _ => true,
            })
            .collect()
    }

    fn render_template(&self, name: &str, page: Value, path: &str) -> Result<String, Diagnostic> {
        let mut vars = serde_json::Map::with_capacity(3);
        vars.insert("site".into(), self.site_view.clone());
        vars.insert("page".into(), page);
        vars.insert("path".into(), Value::String(path.to_string()));
        self.render_vars(name, vars, path)
    }

    fn render_vars(
        &self,
        name: &str,
        vars: serde_json::Map<String, Value>,
        path: &str,
    ) -> Result<String, Diagnostic> {
        // One object moved into the context: `Context::insert` would deep-copy the page.
        let ctx = tera::Context::from_value(Value::Object(vars)).unwrap_or_default();
        self.templates.tera.render(name, &ctx).map_err(|e| {
            template_error(&e, Some(path), &self.templates.files, &SourceMap::default())
        })
    }

    /// The template a page job renders with (`None`: the page is written without one).
    pub fn template_of(&self, job: &PageJob) -> Option<String> {
        let name = match job {
            PageJob::Home => "home.html",
            PageJob::NotFound => "404.html",
            PageJob::KindIndex(Kind::Commitment) | PageJob::Facet(..) => "commitment-list.html",
            PageJob::KindIndex(_) | PageJob::ReportYear(_) => "list.html",
            PageJob::Keywords => "keywords.html",
            PageJob::Keyword(_) => "keyword.html",
            PageJob::Search => "search.html",
            PageJob::Alias(..) => return None,
            PageJob::Record(key) => return Some(self.templates.record_template(key.kind)),
        };
        Some(name.to_string())
    }

    /// Where a page job is written (its folder, or its file for the not-found page), from
    /// the URL layout in [`paths`]; `None` for a job whose record or facet is gone.
    pub fn path_of(&self, job: &PageJob) -> Option<String> {
        Some(match job {
            PageJob::Home => paths::HOME.to_string(),
            PageJob::NotFound => paths::NOT_FOUND.to_string(),
            PageJob::Search => paths::SEARCH.to_string(),
            PageJob::Keywords => paths::KEYWORDS.to_string(),
            PageJob::Keyword(slug) => paths::keyword(slug),
            PageJob::KindIndex(kind) => paths::kind_index(*kind),
            PageJob::ReportYear(year) => paths::report_year(*year),
            PageJob::Facet(fi, slug) => paths::facet(self.facets.get(*fi)?.name, slug),
            PageJob::Record(key) => self.site.records.get(key)?.path(),
            PageJob::Alias(from, _) => from.clone(),
        })
    }

    /// Renders one page: its HTML (and JSON for records), written to `sink`.
    pub fn render_page(&self, job: &PageJob, sink: &dyn Sink) -> Result<usize, Diagnostic> {
        let mut splice: Option<Vec<&'a Record>> = None;
        let (path, template, page) = match job {
            PageJob::Home => {
                let mut crs: Vec<&Record> = self.site.of_kind(Kind::CoreResponsibility).collect();
                sort_records(&mut crs);
                let pillars: Vec<Value> = crs
                    .iter()
                    .map(|cr| {
                        let mut ts: Vec<LinkView> = self
                            .links
                            .incoming
                            .get(&cr.key)
                            .into_iter()
                            .flatten()
                            .filter(|k| k.kind == Kind::Transformation)
                            .filter_map(|k| self.link(k))
                            .collect();
                        sort_links(&mut ts);
                        json!({"link": self.link(&cr.key), "transformations": ts})
                    })
                    .collect();
                (
                    String::new(),
                    "home.html".to_string(),
                    json!({
                        "title": self.site.config.title,
                        "counts": self.counts(),
                        "pillars": pillars,
                        "documents": self.list_items(Kind::Document),
                        "charts": self.home_charts(),
                    }),
                )
            }
            PageJob::NotFound => (
                paths::NOT_FOUND.to_string(),
                "404.html".to_string(),
                json!({"title": "Page not found"}),
            ),
            PageJob::KindIndex(Kind::Commitment) => {
                let mut page = json!({
                    "title": Kind::Commitment.plural_label(),
                    "kind": Kind::Commitment,
                    "facets": self.facets_view(None),
                    "total": self.site.of_kind(Kind::Commitment).count(),
                    "data_url": self.settings.url(&paths::kind_data(Kind::Commitment)),
                    "csv_url": self.settings.url(paths::COMMITMENTS_CSV),
                });
                if let Some(map) = page.as_object_mut() {
                    splice = self.commitment_list(None, map);
                }
                (
                    "commitments/".to_string(),
                    "commitment-list.html".to_string(),
                    page,
                )
            }
            PageJob::Facet(fi, slug) => {
                let Some(facet) = self.facets.get(*fi) else {
                    return Ok(0);
                };
                let Some((label, members)) = facet.values.get(slug) else {
                    return Ok(0);
                };
                let mut page = json!({
                    "title": format!("Commitments: {} {}", facet.label.to_lowercase(), label),
                    "kind": Kind::Commitment,
                    "facets": self.facets_view(Some((*fi, slug))),
                    "total": self.site.of_kind(Kind::Commitment).count(),
                    "filtered": true,
                    "all_url": self.settings.url("commitments/"),
                    "data_url": self.settings.url(&paths::kind_data(Kind::Commitment)),
                    "csv_url": self.settings.url(paths::COMMITMENTS_CSV),
                });
                if let Some(map) = page.as_object_mut() {
                    splice = self.commitment_list(Some(members), map);
                }
                (
                    paths::facet(facet.name, slug),
                    "commitment-list.html".to_string(),
                    page,
                )
            }
            PageJob::Search => (
                paths::SEARCH.to_string(),
                "search.html".to_string(),
                json!({"title": "Search"}),
            ),
            PageJob::Alias(from, key) => {
                let Some(rec) = self.site.records.get(key) else {
                    return Ok(0);
                };
                let target = text::html_escape(&self.settings.url(&rec.path()));
                let title = text::html_escape(&rec.title());
                let html = format!(
                    "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
                     <link rel=\"canonical\" href=\"{target}\"><meta http-equiv=\"refresh\" content=\"0; url={target}\">\
                     <meta name=\"robots\" content=\"noindex\"></head><body><p>This page has moved to \
                     <a href=\"{target}\">{title}</a>.</p></body></html>\n",
                    text::html_escape(&self.site.config.language)
                );
                let file = paths::page_file(from);
                let bytes = self.finish_html(html.into_bytes(), &file);
                put(sink, &file, bytes)?;
                return Ok(1);
            }
            PageJob::KindIndex(kind) => (
                paths::kind_index(*kind),
                "list.html".to_string(),
                json!({
                    "title": kind.plural_label(),
                    "kind": kind,
                    "items": self.list_items(*kind),
                    "data_url": self.settings.url(&paths::kind_data(*kind)),
                }),
            ),
            PageJob::ReportYear(year) => {
                let mut items: Vec<LinkView> = self
                    .site
                    .of_kind(Kind::Report)
                    .filter(|r| matches!(&r.data, RecordData::Report(rep) if rep.year == *year))
                    .filter_map(|r| self.link(&r.key))
                    .collect();
                sort_links(&mut items);
                let items: Vec<Value> = items.into_iter().map(|l| json!({"link": l})).collect();
                (
                    paths::report_year(*year),
                    "list.html".to_string(),
                    json!({
                        "title": format!("Self-reports {year}"),
                        "kind": Kind::Report,
                        "items": items,
                        "data_url": self.settings.url(&paths::kind_data(Kind::Report)),
                    }),
                )
            }
            PageJob::Keywords => {
                let items: Vec<Value> = self
                    .links
                    .keywords
                    .iter()
                    .map(|(slug, (label, recs))| json!({"label": label, "url": self.settings.url(&paths::keyword(slug)), "count": recs.len()}))
                    .collect();
                (
                    paths::KEYWORDS.to_string(),
                    "keywords.html".to_string(),
                    json!({"title": "Keywords", "keywords": items}),
                )
            }
            PageJob::Keyword(slug) => {
                let Some((label, recs)) = self.links.keywords.get(slug) else {
                    return Ok(0);
                };
                let mut by_kind: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>> =
                    BTreeMap::new();
                for k in recs {
                    by_kind.entry(k.kind).or_default().insert(k.clone());
                }
                (
                    paths::keyword(slug),
                    "keyword.html".to_string(),
                    json!({"title": format!("Keyword: {label}"), "keyword": label, "groups": self.groups(by_kind)}),
                )
            }
            PageJob::Record(key) => {
                let Some(rec) = self.site.records.get(key) else {
                    return Ok(0);
                };
                let path = rec.path();
                let mut written = 1;
                if self.settings.outputs.data {
                    let json = self.record_json_text(rec).into_owned().into_bytes();
                    put(sink, &format!("{path}index.json"), json)?;
                    written += 1;
                }
                let template = self.template_of(job).unwrap_or_default();
                let ctx = self.record_context(rec);
                let embeds = self.settings.outputs.embeds;
                // The embed page needs the same context; copy it only when it is written.
                let mut embed_ctx = embeds.then(|| ctx.clone());
                let html = self.render_template(&template, ctx, &path)?;
                let file = format!("{path}index.html");
                put(sink, &file, self.finish_html(html.into_bytes(), &file))?;
                let Some(mut ctx) = embed_ctx.take() else {
                    return Ok(written);
                };
                ctx["embed"] = Value::Bool(true);
                let embed = rec.embed_path();
                let html = self.render_template(&template, ctx, &embed)?;
                let file = format!("{embed}index.html");
                put(sink, &file, self.finish_html(html.into_bytes(), &file))?;
                return Ok(written + 1);
            }
        };
        let mut html = self.render_template(&template, page, &path)?;
        if let Some(recs) = splice {
            html = self.splice_items(html, &recs);
        }
        let file = paths::page_file(&path);
        let bytes = self.finish_html(html.into_bytes(), &file);
        put(sink, &file, bytes)?;
        Ok(1)
    }

    fn finish_html(&self, bytes: Vec<u8>, page_path: &str) -> Vec<u8> {
        let bytes = if self.settings.relative {
            relativize(&String::from_utf8_lossy(&bytes), page_path).into_bytes()
        } else {
            bytes
        };
        if !self.settings.minify {
            return bytes;
        }
        minify_page(&bytes)
    }

    /// Renders every page in parallel. Returns the number of files written and all errors.
    pub fn render_all(
        &self,
        jobs: &[PageJob],
        sink: &dyn Sink,
        progress: &(dyn Fn() + Sync),
    ) -> (usize, Vec<Diagnostic>) {
        let errors = Mutex::new(Vec::new());
        // What the commitment lists share is made before the pages, with every thread: made
        // by the first list page instead, the other threads' list pages would wait for it
        // without helping (1.2 s on one core at 100,000 commitments).
        if jobs.iter().any(PageJob::is_commitment_list) {
            self.commitment_order();
            self.item_fragments();
        }
        let written: usize = jobs
            .par_iter()
            .map(|job| {
                let r = self.render_page(job, sink);
                progress();
                match r {
                    Ok(n) => n,
                    Err(d) => {
                        if let Ok(mut e) = errors.lock() {
                            e.push(d);
                        }
                        0
                    }
                }
            })
            .sum();
        let mut errors = errors.into_inner().unwrap_or_default();
        if let Ok(mut e) = self.fragment_errors.lock() {
            errors.append(&mut e);
        }
        // One broken template fails every page that uses it: report each message once.
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| strip_page(&a.message) == strip_page(&b.message));
        (written, errors)
    }

    /// The pages an edit of the records in `changed` can alter when it changed no link, title
    /// or URL (the live preview checks that first): their own pages, the pages that show their
    /// texts, the lists that show them as items, and the home page (counts, charts).
    /// `facets_changed`: some commitment's facet values moved, so every facet page's counts.
    pub fn pages_showing(
        &self,
        changed: &std::collections::BTreeSet<RecordKey>,
        facets_changed: bool,
    ) -> Vec<PageJob> {
        let mut jobs = vec![PageJob::Home];
        let mut records: std::collections::BTreeSet<RecordKey> = changed.clone();
        let mut kinds: std::collections::BTreeSet<Kind> = std::collections::BTreeSet::new();
        let mut facet_pages: std::collections::BTreeSet<(usize, String)> = Default::default();
        for key in changed {
            kinds.insert(key.kind);
            for (kind, keys) in self.links.related(key) {
                if shows_texts_of(kind, key.kind) {
                    records.extend(keys);
                }
            }
            if key.kind == Kind::Commitment {
                for (fi, f) in self.facets.iter().enumerate() {
                    for (slug, (_, members)) in &f.values {
                        if facets_changed || members.contains(key) {
                            facet_pages.insert((fi, slug.clone()));
                        }
                    }
                }
            }
        }
        if facets_changed {
            kinds.insert(Kind::Commitment);
            for (fi, f) in self.facets.iter().enumerate() {
                facet_pages.extend(f.values.keys().map(|slug| (fi, slug.clone())));
            }
        }
        jobs.extend(
            kinds
                .into_iter()
                .filter(|k| k.has_index())
                .map(PageJob::KindIndex),
        );
        jobs.extend(records.into_iter().map(PageJob::Record));
        jobs.extend(
            facet_pages
                .into_iter()
                .map(|(fi, slug)| PageJob::Facet(fi, slug)),
        );
        jobs
    }

    /// HTML pages a build writes: one per job, plus each record's embed page.
    pub fn page_count(&self) -> usize {
        let embeds = if self.settings.outputs.embeds {
            self.site.records.len()
        } else {
            0
        };
        self.all_jobs().len() + embeds
    }
}

/// A page as `minify: true` writes it: minify-html, then every `&` it left bare where HTML
/// would read a broken character reference escaped again.
pub fn minify_page(bytes: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    // JS minification has broken other generators' output; pages carry no inline JS anyway.
    cfg.minify_js = false;
    cfg.minify_css = false;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    let out = minify_html::minify(bytes, &cfg);
    match std::str::from_utf8(&out) {
        Ok(text) => match markdown::escape_stray_ampersands(text) {
            std::borrow::Cow::Owned(fixed) => fixed.into_bytes(),
            std::borrow::Cow::Borrowed(_) => out,
        },
        Err(_) => out,
    }
}

/// Whether the page of a `page` record shows the texts, not only the links, of its related
/// `item` records: a transformation page shows in one place what was promised and what was
/// done. (The live preview re-renders such pages when an item's text changes.)
fn shows_texts_of(page: Kind, item: Kind) -> bool {
    page == Kind::Transformation
        && matches!(item, Kind::Commitment | Kind::CoreCommitment | Kind::Report)
}

/// `html` with every `id="x"` and in-page link `href="#x"` given `prefix` (`id="report-2017-3a-x"`).
/// Only Markdown output passes through here, where record text cannot write either form
/// (its `"` and `<` are escaped).
fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next = [" id=\"", " href=\"#"]
            .iter()
            .filter_map(|pat| rest.find(pat).map(|i| (i, pat.len())))
            .min();
        let Some((at, len)) = next else { break };
        out.push_str(&rest[..at + len]);
        out.push_str(prefix);
        rest = &rest[at + len..];
    }
    out.push_str(rest);
    out
}

fn strip_page(msg: &str) -> &str {
    msg.rfind(" (rendering /").map_or(msg, |i| &msg[..i])
}

pub fn put(sink: &dyn Sink, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    sink.put(path, bytes).map_err(|e| write_failed(path, e))
}

/// [`put`] for a file made of parts made one after another ([`Sink::put_stream`]).
pub fn put_stream(
    sink: &dyn Sink,
    path: &str,
    parts: &mut dyn Iterator<Item = Vec<u8>>,
) -> Result<(), Diagnostic> {
    sink.put_stream(path, parts)
        .map_err(|e| write_failed(path, e))
}

fn write_failed(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("write-failed", format!("cannot write {path}: {e}"))
        .hint("check free disk space and permissions of the output folder")
}

/// A horizontal bar chart as inline SVG (no inline styles: colours come from the stylesheet),
/// and its rows for the accessible table beside it.
fn chart(id: &str, title: &str, unit: &str, rows: &[(String, u64, Option<String>)]) -> Value {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    // Label above its bar: long labels never clip, and the chart stays legible at 320 px.
    let row_h = 44;
    let width = 520;
    let bar_w = 380;
    let height = rows.len() * row_h + 4;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\"><title id=\"{id}-title\">{}</title>",
        text::html_escape(title)
    );
    for (i, (label, value, _)) in rows.iter().enumerate() {
        let y = i * row_h;
        let w = (*value as f64 / max as f64 * bar_w as f64)
            .round()
            .max(if *value > 0 { 1.0 } else { 0.0 });
        let shown = if label.chars().count() > 58 {
            format!("{}…", label.chars().take(57).collect::<String>())
        } else {
            label.clone()
        };
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" class=\"chart-label\">{}</text><rect x=\"0\" y=\"{}\" width=\"{w}\" height=\"14\" class=\"chart-bar\"></rect><text x=\"{}\" y=\"{}\" class=\"chart-value\">{}</text>",
            y + 16,
            text::html_escape(&shown),
            y + 22,
            w + 6.0,
            y + 34,
            group_digits(*value)
        ));
    }
    svg.push_str("</svg>");
    let table: Vec<Value> = rows
        .iter()
        .map(|(label, value, url)| json!({"label": label, "value": value, "shown": group_digits(*value), "url": url}))
        .collect();
    json!({"id": id, "title": title, "unit": unit, "svg": svg, "rows": table})
}

/// Sorts records for lists: by kind-specific order, then naturally by ID.
pub fn sort_records(recs: &mut [&Record]) {
    recs.sort_by(|a, b| {
        order_key(a)
            .cmp(&order_key(b))
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
}

fn order_key(r: &Record) -> i64 {
    r.order()
}

fn sort_links(items: &mut [LinkView]) {
    items.sort_by(link_order);
}

/// Reading order of links: by kind, then the kind's own order, then ID (numbers naturally).
fn link_order(a: &LinkView, b: &LinkView) -> std::cmp::Ordering {
    a.kind
        .cmp(&b.kind)
        .then(a.order.cmp(&b.order))
        .then_with(|| natural_cmp(&a.id, &b.id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_uses_are_read_from_tags() {
        let uses = super::template_uses(
            r#"{% extends "base.html" %}{% import "macros.html" as m %}{%- include ["a.html", 'b.html'] -%}{{ "x.html" }}{% if x %}"#,
        );
        let names: Vec<&str> = uses.iter().map(String::as_str).collect();
        assert_eq!(names, ["a.html", "b.html", "base.html", "macros.html"]);
    }
}
