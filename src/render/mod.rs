//! Render stage: Markdown to HTML, record views, Tera templates, and every output file
//! (pages, per-record JSON, exports, sitemap). Writes go to a [`Sink`].

mod cache;
mod charts;
mod fields;
mod filter;
mod home;
mod jobs;
mod lists;
mod pages;
mod settings;
mod sources;
mod templates;
mod views;

use cache::RecordParts;
pub(crate) use cache::RenderCache;
pub use filter::{decode_positions, encode_positions};
pub(crate) use jobs::{PageJob, SAMPLE_ABOVE};
pub(crate) use lists::ITEM_TEMPLATE;
use lists::{CommitmentOrder, FacetRanks};
pub use pages::minify_page;
pub(crate) use pages::{put, put_stream};
pub(crate) use settings::{ROOT_MARKER, RenderSettings, relativize};
pub(crate) use templates::{TemplateSet, load_templates, template_error};
pub(crate) use views::sort_records;
use views::{LinkView, SiteView, order_key, shows_texts_of};

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

pub(crate) struct Renderer<'a> {
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
    /// Each facet value's commitments as positions in that order (facet pages, filter data).
    facet_ranks: std::sync::OnceLock<FacetRanks<'a>>,
    /// Each kind's index items (in `Kind::ALL` order), made once for all its pages.
    kind_lists: Vec<std::sync::OnceLock<Vec<Value>>>,
    /// Each record's JSON and search entry, filled on first use (live preview only).
    parts: KeyMap<RecordParts>,
    /// Sections by document (lower-case ID), made once: each document page scanning every
    /// section was documents × sections.
    sections_of: std::sync::OnceLock<rustc_hash::FxHashMap<String, Vec<&'a Record>>>,
}

/// Maps keyed by record: FxHash, as the keys are the site's own IDs and hashing them is on
/// every page's path (SipHash's flooding resistance buys nothing here).
type KeyMap<V> = rustc_hash::FxHashMap<RecordKey, V>;

impl<'a> Renderer<'a> {
    pub(crate) fn new(
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
    pub(crate) fn with_cache(
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
            facet_ranks: std::sync::OnceLock::new(),
            kind_lists: Kind::ALL.iter().map(|_| Default::default()).collect(),
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
                    path: r.menu_path(&m.link),
                    order: 0,
                })
                .collect(),
            generator: concat!("pactgen ", env!("CARGO_PKG_VERSION")),
            outputs: r.settings.outputs,
            sitemap: r.settings.absolute_base.is_some(),
            brand: views::BrandView {
                name: site
                    .config
                    .brand
                    .name
                    .as_deref()
                    .unwrap_or(&site.config.title),
                logo: site
                    .config
                    .brand
                    .logo
                    .as_deref()
                    .map(|l| l.trim().trim_start_matches('/')),
                icon: site
                    .config
                    .brand
                    .icon
                    .as_deref()
                    .map_or(crate::model::DEFAULT_ICON, |i| {
                        i.trim().trim_start_matches('/')
                    }),
                css: site.config.brand.css().is_some(),
            },
            org_name: r.org_name(),
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
    pub(crate) fn into_cache(self) -> RenderCache {
        RenderCache {
            html: self.html,
            link_views: self.link_views,
            item_fragments: self.item_fragments.into_inner().unwrap_or_default(),
            parts: self.parts,
            stale: Some(std::collections::BTreeSet::new()),
        }
    }

    /// Whether this run renders only a sample of the pages (`check` on a large site).
    pub(super) fn sampling(&self) -> bool {
        self.settings.check && self.site.records.len() > SAMPLE_ABOVE
    }
}
