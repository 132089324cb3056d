//! The list pages: the commitments index and facet pages (the filter panel, list items
//! rendered once and pasted into every list that shows them), every kind's index, and the
//! numbered pages and pager every list has (`paths::LIST_PAGE_SIZE` items a page).

use super::*;

/// The template of one commitment in the index and facet lists (optional in a theme).
pub(crate) const ITEM_TEMPLATE: &str = "commitment-item.html";

/// Stands for the rendered list items in a commitment list until they are spliced in. Record
/// fields cannot produce it: `<` is escaped in everything that comes from records.
pub(super) const ITEMS_MARKER: &str = "<!--pactgen:items-b7c1e0-->";

/// Values one facet shows in the filter panel of every commitment list (the most used ones).
pub(crate) const MAX_FACET_VALUES: usize = 50;

pub(super) type CommitmentOrder<'a> =
    (Vec<&'a Record>, rustc_hash::FxHashMap<&'a RecordKey, usize>);

/// Each facet value's commitments as positions in the reading order of the commitments index,
/// ascending: `[facet][value slug]`. Made once; the facet pages and the filter data read it.
pub(super) type FacetRanks<'a> = Vec<BTreeMap<&'a str, Vec<u32>>>;

/// One list page to render: where it goes, its template and context, and the commitments
/// whose rendered items go where the template put [`ITEMS_MARKER`].
pub(super) struct ListPage<'a> {
    pub(super) path: String,
    pub(super) template: String,
    pub(super) page: Value,
    pub(super) splice: Option<Vec<&'a Record>>,
}

/// The positions of page `n`'s items in a list of `len` items.
pub(super) fn page_range(n: usize, len: usize) -> std::ops::Range<usize> {
    let start = n
        .saturating_sub(1)
        .saturating_mul(paths::LIST_PAGE_SIZE)
        .min(len);
    start..(start + paths::LIST_PAGE_SIZE).min(len)
}

/// The page (from 1) that shows the item at `position` of a list.
pub(super) fn page_of(position: usize) -> usize {
    position / paths::LIST_PAGE_SIZE + 1
}

impl<'a> Renderer<'a> {
    pub(super) fn facet_url(&self, facet: &str, slug: &str) -> String {
        self.settings.url(&paths::facet(facet, slug))
    }

    /// The pager of page `n` of the list at `list` (a folder path) with `items` items:
    /// previous and next, and numbered links to the first and last page and the two pages
    /// either side of this one (`gap` entries between), so its size does not grow with the
    /// list. `from`/`to`: the positions (from 1) of this page's first and last item.
    pub(super) fn pager(&self, list: &str, n: usize, items: usize) -> Value {
        let count = paths::page_count(items);
        let url = |k: usize| self.settings.url(&paths::list_page(list, k));
        let mut shown: Vec<usize> = vec![1, count];
        shown.extend(n.saturating_sub(2).max(1)..=(n + 2).min(count));
        shown.sort_unstable();
        shown.dedup();
        let mut pages = Vec::with_capacity(shown.len() + 2);
        let mut last = 0;
        for k in shown {
            if k > last + 1 {
                pages.push(json!({"gap": true}));
            }
            pages.push(json!({"number": k, "url": url(k), "current": k == n}));
            last = k;
        }
        let range = page_range(n, items);
        json!({
            "current": n,
            "count": count,
            "prev": (n > 1).then(|| url(n - 1)),
            "next": (n < count).then(|| url(n + 1)),
            "pages": pages,
            "items": items,
            "from": if range.is_empty() { 0 } else { range.start + 1 },
            "to": range.end,
        })
    }

    /// Whether a facet can narrow the list: more than one value, or one value that some
    /// commitments lack. A facet that cannot (one organisation) stays out of the filter
    /// panel; its pages are still written.
    fn narrows(&self, f: &Facet) -> bool {
        let total = self.commitment_order().0.len();
        f.values.len() > 1 || f.values.values().any(|(_, members)| members.len() < total)
    }

    /// The filter panel: every facet that can narrow the list (on a facet page: only that
    /// facet, to switch its value) with its values, counts and no-JS links. A facet shows at
    /// most [`MAX_FACET_VALUES`] values, the most used (and the current one): every list page
    /// carries the panel, so showing all of them made the output grow with the square of the
    /// number of values (1,000 keywords: 154 MB; 4,000: 2 GB).
    pub(super) fn facets_view(&self, current: Option<(usize, &str)>) -> Vec<Value> {
        self.facets
            .iter()
            .enumerate()
            .filter(|(fi, f)| match current {
                Some((cfi, _)) => cfi == *fi,
                None => self.narrows(f),
            })
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

    /// Page `n` of the commitments index (`facet: None`) or of one facet value's list, for
    /// `commitment-list.html`; `None` for a facet or value that is gone.
    ///
    /// Its context: `count` (commitments in this list), `total` (all commitments), `figures`
    /// (the same and `from`/`to`, with digits grouped), `pager`, `facets` (the panel),
    /// `current` (on a facet page: the facet and value shown, and `combine_url`, the index
    /// with this filter set, where the script combines filters), `filter` (on the index's
    /// first page when the filter data is written: `facets_url`, the data file the script
    /// loads), and the items (see [`Self::commitment_list`]).
    pub(super) fn commitment_list_page(
        &self,
        facet: Option<(usize, &str)>,
        n: usize,
    ) -> Option<ListPage<'a>> {
        let (order, _) = self.commitment_order();
        let total = order.len();
        let filter = self.filter_enabled();
        let (list, ranks, current) = match facet {
            None => (paths::kind_index(Kind::Commitment), None, Value::Null),
            Some((fi, slug)) => {
                let f = self.facets.get(fi)?;
                let (label, _) = f.values.get(slug)?;
                let ranks = self.facet_ranks().get(fi)?.get(slug)?;
                let combine = filter.then(|| {
                    self.settings.url(&format!(
                        "{}?{}={slug}",
                        paths::kind_index(Kind::Commitment),
                        f.name
                    ))
                });
                let current = json!({
                    "facet": f.name,
                    "facet_label": f.label,
                    "slug": slug,
                    "label": label,
                    "combine_url": combine,
                });
                (paths::facet(f.name, slug), Some(ranks), current)
            }
        };
        let count = ranks.map_or(total, Vec::len);
        let pages = paths::page_count(count);
        if n > pages {
            return None;
        }
        let range = page_range(n, count);
        let recs: Vec<&'a Record> = match ranks {
            None => order[range].to_vec(),
            Some(ranks) => ranks[range].iter().map(|&i| order[i as usize]).collect(),
        };
        let mut title = match &current {
            Value::Null => Kind::Commitment.plural_label().to_string(),
            c => format!(
                "Commitments: {} {}",
                c["facet_label"].as_str().unwrap_or_default().to_lowercase(),
                c["label"].as_str().unwrap_or_default()
            ),
        };
        if n > 1 {
            title.push_str(&format!(", page {n} of {pages}"));
        }
        let pager = self.pager(&list, n, count);
        let figures = json!({
            "count": group_digits(count),
            "total": group_digits(total),
            "from": group_digits(pager["from"].as_u64().unwrap_or(0)),
            "to": group_digits(pager["to"].as_u64().unwrap_or(0)),
        });
        let filter_view = (filter && facet.is_none() && n == 1)
            .then(|| json!({"facets_url": self.settings.url(paths::FILTER_FACETS)}));
        let mut page = json!({
            "title": title,
            "kind": Kind::Commitment,
            "facets": self.facets_view(facet),
            "total": total,
            "count": count,
            "figures": figures,
            "pager": pager,
            "filtered": facet.is_some(),
            "current": current,
            "filter": filter_view,
            "all_url": self.settings.url(&paths::kind_index(Kind::Commitment)),
            "data_url": self.settings.url(&paths::kind_data(Kind::Commitment)),
            "csv_url": self.settings.url(paths::COMMITMENTS_CSV),
        });
        let splice = page
            .as_object_mut()
            .and_then(|map| self.commitment_list(recs, map));
        Some(ListPage {
            path: paths::list_page(&list, n),
            template: "commitment-list.html".to_string(),
            page,
            splice,
        })
    }

    /// Page `n` of a kind's index for `list.html`: `items` (this page's), `total` and `pager`
    /// go into `page`; returns the page's path, `None` past the last page.
    pub(super) fn kind_index_page(
        &self,
        kind: Kind,
        n: usize,
        page: &mut serde_json::Map<String, Value>,
    ) -> Option<String> {
        let all = self.kind_list(kind);
        let list = paths::kind_index(kind);
        self.paginate(&list, n, all, page)
    }

    /// Puts page `n` of `all` (the list at the folder path `list`) into `page`: its `items`,
    /// `total` and `pager`, and the page number into its `title` after the first page (the
    /// title without it: `list_title`).
    /// Returns the page's path, `None` past the last page.
    pub(super) fn paginate(
        &self,
        list: &str,
        n: usize,
        all: &[Value],
        page: &mut serde_json::Map<String, Value>,
    ) -> Option<String> {
        let pages = paths::page_count(all.len());
        if n > pages {
            return None;
        }
        if let Some(Value::String(title)) = page.get_mut("title") {
            let list_title = Value::String(title.clone());
            if n > 1 {
                title.push_str(&format!(", page {n} of {pages}"));
            }
            page.insert("list_title".into(), list_title);
        }
        page.insert(
            "items".into(),
            Value::Array(all[page_range(n, all.len())].to_vec()),
        );
        page.insert("total".into(), Value::from(all.len()));
        page.insert("pager".into(), self.pager(list, n, all.len()));
        Some(paths::list_page(list, n))
    }

    /// A kind's index items in reading order ([`Self::list_items`]), made once per kind for
    /// all its pages (a list made per page would cost pages × records).
    pub(super) fn kind_list(&self, kind: Kind) -> &[Value] {
        let slot = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        match self.kind_lists.get(slot) {
            Some(cell) => cell.get_or_init(|| self.list_items(kind)),
            None => &[],
        }
    }

    /// The reports of one reporting year, as items of its list page.
    pub(super) fn report_year_items(&self, year: u16) -> Vec<Value> {
        self.kind_list(Kind::Report)
            .iter()
            .filter(|item| item["data"]["year"] == json!(year))
            .cloned()
            .collect()
    }

    /// The items of a commitment list page: `prerendered`, and either `items_html` (when the
    /// theme has `commitment-item.html`: every item rendered once and spliced in here, since
    /// a loop in Tera costs more than the rest of the page) or `items` (data for the list
    /// template to render each item itself). Returns the records to splice in.
    pub(super) fn commitment_list(
        &self,
        recs: Vec<&'a Record>,
        page: &mut serde_json::Map<String, Value>,
    ) -> Option<Vec<&'a Record>> {
        let prerendered = self.items_prerendered();
        page.insert("prerendered".into(), Value::Bool(prerendered));
        if !prerendered {
            let items = recs.iter().map(|r| self.commitment_item(r)).collect();
            page.insert("items".into(), Value::Array(items));
            return None;
        }
        // The items go in after rendering, where the template put this marker: Tera would
        // copy the string on its way to the page.
        page.insert("items_html".into(), Value::String(ITEMS_MARKER.into()));
        Some(recs)
    }

    /// Puts the rendered items of `recs` where the list template put [`ITEMS_MARKER`].
    pub(super) fn splice_items(&self, html: String, recs: &[&Record]) -> String {
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

    /// Whether list items arrive rendered (`page.items_html`) or as data for the list template:
    /// rendered when the theme has the item template, except in a sampling `check`, which
    /// renders few lists and checks the item template through the list's `include`.
    pub(super) fn items_prerendered(&self) -> bool {
        !self.sampling() && self.templates.files.contains_key(ITEM_TEMPLATE)
    }

    /// Commitments in reading order, and each one's position in it; built once.
    pub(super) fn commitment_order(&self) -> &CommitmentOrder<'a> {
        self.commitment_order.get_or_init(|| {
            let mut recs: Vec<&Record> = self.site.of_kind(Kind::Commitment).collect();
            sort_records(&mut recs);
            let rank = recs.iter().enumerate().map(|(i, r)| (&r.key, i)).collect();
            (recs, rank)
        })
    }

    /// Each facet value's commitments as positions in the reading order, ascending; built
    /// once (in parallel, a facet each). A facet page takes its page's slice; sorting the
    /// members for each page cost pages × members.
    pub(super) fn facet_ranks(&self) -> &FacetRanks<'a> {
        self.facet_ranks.get_or_init(|| {
            let (_, rank) = self.commitment_order();
            let facets: &'a [Facet] = self.facets;
            facets
                .par_iter()
                .map(|f| {
                    f.values
                        .iter()
                        .map(|(slug, (_, members))| {
                            let mut ranks: Vec<u32> = members
                                .iter()
                                .filter_map(|k| rank.get(k).map(|&i| i as u32))
                                .collect();
                            ranks.sort_unstable();
                            (slug.as_str(), ranks)
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// The view of one commitment in a list.
    pub(super) fn commitment_item(&self, r: &Record) -> Value {
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
    pub(super) fn item_fragments(&self) -> &KeyMap<String> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_without_overlap() {
        let size = paths::LIST_PAGE_SIZE;
        assert_eq!(page_range(1, 0), 0..0);
        assert_eq!(page_range(1, 5), 0..5);
        assert_eq!(page_range(2, size + 1), size..size + 1);
        for len in [0, 1, size - 1, size, size + 1, 3 * size + 7] {
            let mut seen = 0;
            for n in 1..=paths::page_count(len) {
                let r = page_range(n, len);
                assert_eq!(r.start, seen, "len {len} page {n}");
                assert!(!r.is_empty() || len == 0, "len {len}: page {n} is empty");
                for pos in r.clone() {
                    assert_eq!(page_of(pos), n);
                }
                seen = r.end;
            }
            assert_eq!(seen, len);
        }
    }
}
