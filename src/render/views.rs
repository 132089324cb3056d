//! What templates see of records: link views, groups of related records, breadcrumbs, a
//! record page's context, and the JSON of a record.

use super::sources::original_links;
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
    /// The label for one item (`Transformation` beside `Transformations`).
    pub(super) singular: &'static str,
    /// The first [`GROUP_CAP`] items; `total` counts them all, `more` those left out.
    pub(super) items: Vec<ItemView<'r>>,
    pub(super) total: usize,
    pub(super) more: usize,
    /// A page listing every item of a long group (a facet page of the commitments), if any.
    pub(super) more_url: Option<String>,
}

/// Items a group of related records shows on a page: a page's weight must not grow with the
/// site (at 100,000 commitments a transformation relates to thousands); the rest are a link
/// away (a facet page) or counted.
pub(super) const GROUP_CAP: usize = 50;

/// A record in a group of related records: its link and, where the page shows them, its
/// Markdown fields without the body and its fields.
#[derive(Serialize)]
pub(super) struct ItemView<'r> {
    #[serde(flatten)]
    pub(super) link: LinkView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) html: Option<BTreeMap<&'r str, &'r str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) data: Option<&'r RecordData>,
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
    /// The publishing organisation's name, logo, icon and colours (`brand:` in site.yaml).
    pub(super) brand: BrandView<'a>,
    /// What pages call the site's own organisation ("IOM's commitments"): its acronym, else
    /// its name, else "The organisation".
    pub(super) org_name: String,
    /// Whether `sitemap.xml` is written (only with an absolute base URL).
    pub(super) sitemap: bool,
}

/// The publishing organisation's identity as templates see it.
#[derive(Serialize)]
pub(super) struct BrandView<'a> {
    /// Shown in the header: `brand.name`, else the site's title.
    pub(super) name: &'a str,
    /// Path of the logo under the site root, if any.
    pub(super) logo: Option<&'a str>,
    /// Path of the favicon under the site root.
    pub(super) icon: &'a str,
    /// Whether `brand.css` (the brand colours) is written.
    pub(super) css: bool,
}

/// Whether the page of a `page` record shows the texts, not only the links, of its related
/// `item` records: a transformation page shows in one place what was promised and what was
/// done. (The live preview re-renders such pages when an item's text changes.)
pub(super) fn shows_texts_of(page: Kind, item: Kind) -> bool {
    page == Kind::Transformation
        && matches!(item, Kind::Commitment | Kind::CoreCommitment | Kind::Report)
}

/// The facet of the commitments index that lists the commitments related to a record of
/// `kind` (`transformation` for a transformation's), where a long group links to.
pub(super) fn facet_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Transformation => Some("transformation"),
        Kind::CoreResponsibility => Some("core-responsibility"),
        Kind::Initiative => Some("initiative"),
        Kind::Organisation => Some("organisation"),
        _ => None,
    }
}

/// Sorts records for lists: by kind-specific order, then naturally by ID.
pub(crate) fn sort_records(recs: &mut [&Record]) {
    recs.sort_by(|a, b| {
        order_key(a)
            .cmp(&order_key(b))
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
}

pub(super) fn order_key(r: &Record) -> i64 {
    r.order()
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
        self.groups_with(map, |_| false, None)
    }

    /// Groups of related records; items of the kinds `with_text` accepts carry their texts
    /// and fields. A group longer than [`GROUP_CAP`] shows its first items; its commitments
    /// are all on the facet page `all_of` names (facet, value), if that page exists.
    pub(super) fn groups_with(
        &self,
        map: BTreeMap<Kind, std::collections::BTreeSet<RecordKey>>,
        with_text: impl Fn(Kind) -> bool,
        all_of: Option<(&str, &str)>,
    ) -> Vec<GroupView<'_>> {
        map.into_iter()
            .map(|(kind, keys)| {
                let total = keys.len();
                let mut links: Vec<(LinkView, &RecordKey)> = keys
                    .iter()
                    .filter_map(|k| Some((self.link(k)?, k)))
                    .collect();
                links.sort_by(|(a, _), (b, _)| link_order(a, b));
                links.truncate(GROUP_CAP);
                let texts = with_text(kind);
                let items: Vec<ItemView> = links
                    .into_iter()
                    .map(|(link, key)| ItemView {
                        link,
                        html: if texts { self.summary_html(key) } else { None },
                        data: if texts {
                            self.site.records.get(key).map(|r| &r.data)
                        } else {
                            None
                        },
                    })
                    .collect();
                let more = total - items.len();
                let more_url = match all_of {
                    Some((facet, slug)) if more > 0 && kind == Kind::Commitment => self
                        .facets
                        .iter()
                        .find(|f| f.name == facet && f.values.contains_key(slug))
                        .map(|_| self.facet_url(facet, slug)),
                    _ => None,
                };
                GroupView {
                    kind,
                    label: kind.plural_label(),
                    singular: kind.label(),
                    items,
                    total,
                    more,
                    more_url,
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
    pub(crate) fn record_json(&self, rec: &Record) -> Value {
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
    pub(crate) fn record_json_text(&self, rec: &Record) -> std::borrow::Cow<'_, str> {
        let make = || serde_json::to_string_pretty(&self.record_json(rec)).unwrap_or_default();
        match self.parts.get(&rec.key) {
            Some(parts) => std::borrow::Cow::Borrowed(parts.json.get_or_init(make).as_str()),
            None => std::borrow::Cow::Owned(make()),
        }
    }

    /// A record's search entry; kept for the next rebuild in the live preview.
    pub(crate) fn search_entry(&self, rec: &Record) -> std::borrow::Cow<'_, SearchEntry> {
        let make = || {
            crate::search::search_entry(
                rec,
                &self.page_title(rec),
                &crate::search::Rules::for_language(&self.site.config.language),
            )
        };
        match self.parts.get(&rec.key) {
            Some(parts) => std::borrow::Cow::Borrowed(parts.search.get_or_init(make)),
            None => std::borrow::Cow::Owned(make()),
        }
    }

    pub(super) fn record_context(&self, rec: &Record) -> Value {
        // A transformation page shows in one place what was promised and what was done: its
        // commitments, core commitments and reports carry their texts on each item (not in a
        // map the template looks up by key: Tera copies the whole map for every lookup).
        let all_of = facet_of(rec.kind()).map(|facet| (facet, rec.key.id.as_str()));
        let related = self.groups_with(
            self.links.related(&rec.key),
            |kind| shows_texts_of(rec.kind(), kind),
            all_of,
        );
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
            let document = self.site.get(Kind::Document, &s.document);
            json!({
                "document": document.and_then(|d| self.link(&d.key)),
                "original": document.map_or(Value::Null, original_links),
                "section": s.section,
                "note": s.note,
            })
        });
        let extra = self.kind_extra(rec);
        let (embed_src, embed_note) = self.embed_address(rec);
        let mut page = json!({
            "kind": rec.kind(),
            "kind_label": rec.kind().label(),
            "id": rec.id,
            "key": rec.key.to_string(),
            "title": self.page_title(rec),
            "description": self.description_of(rec),
            "url": self.settings.url(&rec.path()),
            "public_url": self.settings.public_url(&rec.path()),
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
            "embed_snippet": embed_snippet(&embed_src, &rec.title(), &rec.key),
            "embed_note": embed_note,
            "org_name": self.org_name(),
        });
        match &rec.data {
            RecordData::Commitment(c) => {
                page["reported_in"] = Value::Array(self.reported_in(c));
                // The breadcrumb names the commitment as its heading does, not by the first
                // words of its text (the title, cut short).
                page["crumb"] = json!(format!("{} {}", rec.kind().label(), rec.id));
            }
            RecordData::Report(r) => {
                page["covers"] = self.report_covers(r).unwrap_or(Value::Null);
            }
            _ => {}
        }
        page
    }

    /// A record page's title: the record's, except that a self-report names its
    /// transformation in full ("2017 self-report: 3A Reduce and address displacement").
    pub(super) fn page_title(&self, rec: &Record) -> String {
        if let RecordData::Report(r) = &rec.data
            && let Some(t) = self.site.get(Kind::Transformation, &r.transformation)
        {
            return format!("{} self-report: {}", r.year, t.title());
        }
        rec.title()
    }

    /// The page's meta description: the first words of the record's main text.
    pub(super) fn description_of(&self, rec: &Record) -> String {
        let main = match &rec.data {
            RecordData::Commitment(c) => Some(c.text.as_str()),
            RecordData::CoreCommitment(c) => Some(c.text.as_str()),
            RecordData::Document(d) => Some(d.description.as_str()),
            RecordData::Report(r) => r.actions.as_deref(),
            _ => rec.body.as_ref().map(|(b, _)| &**b),
        };
        main.map(|t| text::first_words(&text::plain_text(t), 30))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("{} · {}", self.page_title(rec), self.site.config.title))
    }

    /// What pages call the site's organisation: its acronym, else its name.
    pub(super) fn org_name(&self) -> String {
        self.site
            .config
            .organisation
            .as_deref()
            .and_then(|id| self.site.get(Kind::Organisation, id))
            .map(|o| match &o.data {
                RecordData::Organisation(od) => od.acronym.clone().unwrap_or_else(|| o.title()),
                _ => o.title(),
            })
            .unwrap_or_else(|| "The organisation".to_string())
    }

    /// The self-reports on a commitment's transformations, newest first, each with the
    /// start of its first answer.
    pub(super) fn reported_in(&self, c: &Commitment) -> Vec<Value> {
        let mut out: Vec<(u16, String, Value)> = Vec::new();
        for t in &c.transformations {
            let Some(tr) = self.site.get(Kind::Transformation, t) else {
                continue;
            };
            for key in self.links.related_of_kind(&tr.key, Kind::Report) {
                let Some(rec) = self.site.records.get(&key) else {
                    continue;
                };
                let RecordData::Report(r) = &rec.data else {
                    continue;
                };
                out.push((
                    r.year,
                    tr.key.id.clone(),
                    json!({
                        "title": self.page_title(rec),
                        "url": self.settings.url(&rec.path()),
                        "year": r.year,
                        "transformation": tr.title(),
                        "excerpt": r.actions.as_deref().map(|a| text::first_words(&text::plain_text(a), 45)),
                    }),
                ));
            }
        }
        out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| natural_cmp(&a.1, &b.1)));
        out.into_iter().map(|(_, _, v)| v).collect()
    }

    /// The commitments a self-report covers: those filed under its transformation.
    pub(super) fn report_covers(&self, r: &Report) -> Option<Value> {
        let tr = self.site.get(Kind::Transformation, &r.transformation)?;
        let commitments = Some(self.links.related_of_kind(&tr.key, Kind::Commitment))
            .filter(|c| !c.is_empty())?;
        let map = BTreeMap::from([(Kind::Commitment, commitments)]);
        let group = self
            .groups_with(map, |_| true, Some(("transformation", tr.key.id.as_str())))
            .pop()?;
        serde_json::to_value(group).ok()
    }

    /// The address an embed snippet names, and what the reader must know about it: a snippet
    /// pasted into a page on another host needs the full address, which only an absolute
    /// `base_url` gives. Without one, a normal build's snippet holds a path from the host's
    /// root (it works on the same server only), and a `--relative` build, which may be opened
    /// from anywhere, cannot name the embed page at all.
    fn embed_address(&self, rec: &Record) -> (String, Option<&'static str>) {
        let path = rec.embed_path();
        if self.settings.absolute_base.is_some() {
            (self.settings.public_url(&path), None)
        } else if self.settings.relative {
            (
                "ADDRESS-OF-THE-EMBEDDED-VERSION".to_string(),
                Some(
                    "This copy of the site was built without its web address (base_url in site.yaml), so the snippet cannot name the embedded version: open the embedded version below, copy the address your browser shows, and put it in place of ADDRESS-OF-THE-EMBEDDED-VERSION.",
                ),
            )
        } else {
            (
                self.settings.public_url(&path),
                Some(
                    "This site was built without its full web address (base_url in site.yaml), so the snippet names the embedded version by its path: it works in pages of the same web server only. On another server, write the site's address before the path.",
                ),
            )
        }
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
                json!({"rows": rows, "columns": self.column_key(rec, &t.columns)})
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
                json!({"sections": tree, "original": original_links(rec)})
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

    /// A kind's index: its records in the order readers look for them (self-reports by
    /// year, newest first; transformations by core responsibility; initiatives by name), each
    /// with its `group` heading where the list has groups, a one-line summary and counts.
    pub(super) fn list_items(&self, kind: Kind) -> Vec<Value> {
        let mut recs: Vec<&Record> = self.site.of_kind(kind).collect();
        sort_records(&mut recs);
        match kind {
            Kind::Report => recs.sort_by(|a, b| match (&a.data, &b.data) {
                (RecordData::Report(x), RecordData::Report(y)) => y
                    .year
                    .cmp(&x.year)
                    .then_with(|| natural_cmp(&x.transformation, &y.transformation)),
                _ => std::cmp::Ordering::Equal,
            }),
            Kind::Initiative => recs.sort_by_cached_key(|r| r.title().to_lowercase()),
            _ => {}
        }
        recs.into_iter()
            .map(|r| {
                let mut item = json!({
                    "link": self.link(&r.key),
                    "data": r.data,
                    "summary": self.summary_of(r),
                });
                match &r.data {
                    RecordData::Report(rep) => {
                        item["group"] = Value::String(format!("{} self-reports", rep.year));
                        item["transformation_title"] = Value::String(
                            self.site
                                .get(Kind::Transformation, &rep.transformation)
                                .map(|t| t.title())
                                .unwrap_or_else(|| rep.transformation.clone()),
                        );
                    }
                    RecordData::Transformation(t) => {
                        let related = self.links.related(&r.key);
                        item["group"] = Value::String(
                            self.site
                                .get(Kind::CoreResponsibility, &t.core_responsibility.to_string())
                                .map(|cr| cr.short_title())
                                .unwrap_or_default(),
                        );
                        item["commitments"] =
                            Value::from(related.get(&Kind::Commitment).map_or(0, |s| s.len()));
                        item["reports"] = Value::Array(self.report_years(&related));
                    }
                    _ => {}
                }
                item
            })
            .collect()
    }

    /// The years of the self-reports among a record's relations, oldest first.
    pub(super) fn report_years(
        &self,
        related: &BTreeMap<Kind, std::collections::BTreeSet<RecordKey>>,
    ) -> Vec<Value> {
        let mut years: Vec<u16> = related
            .get(&Kind::Report)
            .into_iter()
            .flatten()
            .filter_map(|k| match &self.site.records.get(k)?.data {
                RecordData::Report(r) => Some(r.year),
                _ => None,
            })
            .collect();
        years.sort_unstable();
        years.dedup();
        years.into_iter().map(Value::from).collect()
    }

    /// One line about a record for lists: the first sentence (at most 30 words) of its
    /// description or body.
    pub(super) fn summary_of(&self, r: &Record) -> Option<String> {
        let text = match &r.data {
            RecordData::Document(d) => d.description.as_str(),
            RecordData::Commitment(_) | RecordData::Report(_) => return None,
            _ => r.body.as_ref().map(|(b, _)| &**b)?,
        };
        let plain = text::plain_text(text);
        let sentence = match plain.find(". ") {
            Some(end) => &plain[..=end],
            None => plain.as_str(),
        };
        let line = text::first_words(sentence.trim(), 30);
        (!line.is_empty()).then_some(line)
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

/// The HTML an intranet editor pastes to show a record: a frame at the record's embed page
/// with a fixed height to fall back on, and a few lines that let the frame take the height
/// the embed page posts (`js/embed.js`), from that page's origin only.
pub(super) fn embed_snippet(url: &str, title: &str, key: &RecordKey) -> String {
    let id = format!("pactgen-{}-{}", key.kind.name(), text::slugify(&key.id));
    format!(
        "<iframe src=\"{}\" id=\"{id}\" title=\"{}\" width=\"100%\" height=\"600\" loading=\"lazy\"></iframe>\n\
         <script>addEventListener(\"message\",function(e){{var f=document.getElementById(\"{id}\");\
         if(f&&e.source===f.contentWindow&&e.data&&e.data.pactgenHeight>0)f.height=Math.ceil(e.data.pactgenHeight)}});</script>",
        text::html_escape(url),
        text::html_escape(title),
    )
}

impl<'a> Renderer<'a> {
    /// Breadcrumbs of a page that is not a record's: home, then the list it belongs to.
    pub(super) fn page_breadcrumbs(&self, job: &PageJob) -> Vec<LinkView> {
        let crumb = |title: &str, path: &str| LinkView {
            kind: Kind::Page,
            id: String::new(),
            title: title.to_string(),
            short: title.to_string(),
            url: self.settings.url(path),
            path: path.to_string(),
            order: 0,
        };
        let home = crumb("Home", paths::HOME);
        match job {
            PageJob::Home | PageJob::NotFound | PageJob::Alias(..) | PageJob::Record(_) => {
                Vec::new()
            }
            PageJob::Facet(..) => vec![
                home,
                crumb(
                    Kind::Commitment.plural_label(),
                    &paths::kind_index(Kind::Commitment),
                ),
            ],
            PageJob::KindIndex(kind, n) if *n > 1 => {
                vec![home, crumb(kind.plural_label(), &paths::kind_index(*kind))]
            }
            PageJob::ReportYear(..) => vec![
                home,
                crumb(
                    Kind::Report.plural_label(),
                    &paths::kind_index(Kind::Report),
                ),
            ],
            PageJob::Keyword(_) => vec![home, crumb("Keywords", paths::KEYWORDS)],
            _ => vec![home],
        }
    }
}
