//! What a renderer derives, kept by the live preview from one rebuild to the next.

use super::*;
use crate::search::SearchEntry;

/// What a renderer derives from the records, handed from one build to the next by the live
/// preview so that an edit recomputes only the entries of the records it changed. Every entry
/// present must be valid for the site it is given with; missing entries are computed.
#[derive(Default)]
pub(crate) struct RenderCache {
    pub(super) html: KeyMap<[std::sync::OnceLock<BTreeMap<String, String>>; 3]>,
    pub(super) link_views: KeyMap<LinkView>,
    pub(super) item_fragments: KeyMap<String>,
    pub(super) parts: KeyMap<RecordParts>,
    /// `Some(keys)`: the cache is complete for the records it was made for except these keys
    /// (forgotten since), and the records are still the same set. `None`: check every key.
    pub(super) stale: Option<std::collections::BTreeSet<RecordKey>>,
}

/// A record's JSON and search entry, kept by the live preview (`RenderSettings::keep_parts`).
#[derive(Default)]
pub(super) struct RecordParts {
    pub(super) json: std::sync::OnceLock<String>,
    pub(super) search: std::sync::OnceLock<SearchEntry>,
}

impl RenderCache {
    /// Forgets everything derived from `key`: its Markdown, link view and list item.
    pub(crate) fn forget(&mut self, key: &RecordKey) {
        if let Some(stale) = &mut self.stale {
            stale.insert(key.clone());
        }
        self.html.remove(key);
        self.link_views.remove(key);
        self.item_fragments.remove(key);
        self.parts.remove(key);
    }

    /// Forgets every record's JSON (it shows the titles of related records, one of which
    /// changed), and the search results of self-reports (they show their transformation's).
    pub(crate) fn forget_json(&mut self) {
        for (key, parts) in self.parts.iter_mut() {
            parts.json = std::sync::OnceLock::new();
            if key.kind == Kind::Report {
                parts.search = std::sync::OnceLock::new();
            }
        }
    }

    /// Forgets the rendered list items only (a template changed).
    pub(crate) fn forget_items(&mut self) {
        self.item_fragments.clear();
    }

    /// Whether `rec` would show on other pages exactly as the last build showed its key: same
    /// title, short title and reading order (its URL follows from the key).
    pub(crate) fn shows_alike(&self, rec: &Record) -> bool {
        self.link_views.get(&rec.key).is_some_and(|v| {
            v.title == rec.title() && v.short == rec.short_title() && v.order == order_key(rec)
        })
    }

    /// Whether `rec` has the output path the last build gave its key (the ID's case can
    /// change it).
    pub(crate) fn same_path(&self, rec: &Record) -> bool {
        self.link_views
            .get(&rec.key)
            .is_some_and(|v| v.path == rec.path())
    }

    /// Forgets one commitment's list item (its facet values moved).
    pub(crate) fn forget_item(&mut self, key: &RecordKey) {
        self.item_fragments.remove(key);
    }
}
