//! What templates see of records: link views, groups of related records, breadcrumbs, a
//! record page's context, and the JSON of a record.

use super::*;
use crate::search::SearchEntry;

#[derive(Serialize, Clone)]
pub(super) struct LinkView {
    pub(super) kind: Kind,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) short: String,
    pub(super) url: String,
    /// Path relative to the site root (for data files, which never use relative links).
    pub(super) path: String,
    /// Reading order within the kind (funding tables, sections); not shown to templates.
    #[serde(skip)]
    pub(super) order: i64,
}

#[derive(Serialize)]
pub(super) struct GroupView<'r> {
    pub(super) kind: Kind,
    pub(super) label: &'static str,
    pub(super) items: Vec<ItemView<'r>>,
}

/// A record in a group of related records: its link and, where the page shows them, its
/// Markdown fields without the body.
#[derive(Serialize)]
pub(super) struct ItemView<'r> {
    #[serde(flatten)]
    pub(super) link: LinkView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) html: Option<BTreeMap<&'r str, &'r str>>,
}

/// Everything shared by all pages. Built once; templates get a reference, never a copy per page.
#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_path: &'a str,
    /// Link to the site root (`/`, `/pact/`, or the relative-links marker).
    pub(super) root: String,
    pub(super) menu: Vec<LinkView>,
    pub(super) generator: &'static str,
    pub(super) built: Option<&'a str>,
    /// Which optional outputs exist, so templates link only to files that are written.
    pub(super) outputs: Outputs,
    /// Whether `sitemap.xml` is written (only with an absolute base URL).
    pub(super) sitemap: bool,
}

/// Whether the page of a `page` record shows the texts, not only the links, of its related
/// `item` records: a transformation page shows in one place what was promised and what was
/// done. (The live preview re-renders such pages when an item's text changes.)
pub(super) fn shows_texts_of(page: Kind, item: Kind) -> bool {
    page == Kind::Transformation
        && matches!(item, Kind::Commitment | Kind::CoreCommitment | Kind::Report)
}

/// Sorts records for lists: by kind-specific order, then naturally by ID.
pub fn sort_records(recs: &mut [&Record]) {
    recs.sort_by(|a, b| {
        order_key(a)
            .cmp(&order_key(b))
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
}

pub(super) fn order_key(r: &Record) -> i64 {
    r.order()
}

pub(super) fn sort_links(items: &mut [LinkView]) {
    items.sort_by(link_order);
}

/// Reading order of links: by kind, then the kind's own order, then ID (numbers naturally).
pub(super) fn link_order(a: &LinkView, b: &LinkView) -> std::cmp::Ordering {
    a.kind
        .cmp(&b.kind)
        .then(a.order.cmp(&b.order))
        .then_with(|| natural_cmp(&a.id, &b.id))
}

impl<'a> Renderer<'a> {
    pub(super) fn link(&self, key: &RecordKey) -> Option<LinkView> {
        self.link_views.get(key).cloned()
    }

    pub(super) fn groups(
        &self,
        map: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>>,
    ) -> Vec<GroupView<'_>> {
        self.groups_with(map, |_| false)
    }

    /// Groups of related records; items of the kinds `with_text` accepts carry their texts.
    pub(super) fn groups_with(
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
    pub(super) fn breadcrumbs(&self, rec: &Record) -> Vec<LinkView> {
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
        let make = || crate::search::search_entry(rec);
        match self.parts.get(&rec.key) {
            Some(parts) => std::borrow::Cow::Borrowed(parts.search.get_or_init(make)),
            None => std::borrow::Cow::Owned(make()),
        }
    }

    pub(super) fn record_context(&self, rec: &Record) -> Value {
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
            // Only the live preview renders drafts (a build leaves them out): a banner says so.
            "draft": rec.is_draft(),
            "embed_url": self.settings.url(&rec.embed_path()),
            "embed_snippet": format!(
                "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>",
                text::html_escape(&self.settings.public_url(&rec.embed_path())),
                text::html_escape(&rec.title())
            ),
        })
    }

    /// Kind-specific derived data the templates need.
    pub(super) fn kind_extra(&self, rec: &Record) -> Value {
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

    pub(super) fn section_tree(
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

    pub(super) fn list_items(&self, kind: Kind) -> Vec<Value> {
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

    pub(super) fn counts(&self) -> Vec<Value> {
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
}
