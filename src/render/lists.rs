//! The commitments index and facet pages: the filter bar, and list items rendered once and
//! pasted into every list that shows them.

use super::*;

/// The template of one commitment in the index and facet lists (optional in a theme).
pub const ITEM_TEMPLATE: &str = "commitment-item.html";

/// Stands for the rendered list items in a commitment list until they are spliced in. Record
/// fields cannot produce it: `<` is escaped in everything that comes from records.
pub(super) const ITEMS_MARKER: &str = "<!--pactgen:items-b7c1e0-->";

/// Values one facet shows in the filter bar of every commitment list (the most used ones).
pub const MAX_FACET_VALUES: usize = 50;

pub(super) type CommitmentOrder<'a> =
    (Vec<&'a Record>, rustc_hash::FxHashMap<&'a RecordKey, usize>);

impl<'a> Renderer<'a> {
    pub(super) fn facet_url(&self, facet: &str, slug: &str) -> String {
        self.settings.url(&paths::facet(facet, slug))
    }

    /// The filter bar: every facet with its values, counts and no-JS links. A facet shows at
    /// most [`MAX_FACET_VALUES`] values, the most used (and the current one): every facet
    /// page carries the bar, so showing all of them made the output grow with the square of
    /// the number of values (1,000 keywords: 154 MB; 4,000: 2 GB).
    pub(super) fn facets_view(&self, current: Option<(usize, &str)>) -> Vec<Value> {
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
    pub(super) fn commitment_list(
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

    /// Commitments in reading order: all of them, or the members of one facet value.
    pub(super) fn commitments_in_order(
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
    pub(super) fn commitment_items(
        &self,
        only: Option<&std::collections::BTreeSet<RecordKey>>,
    ) -> Vec<Value> {
        self.commitments_in_order(only)
            .into_iter()
            .map(|r| self.commitment_item(r))
            .collect()
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
