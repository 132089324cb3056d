//! Records' Markdown fields as HTML: each rendered once, with the page's IDs, glossary
//! terms and typed links resolved.

use super::*;

/// `html` with every `id="x"` and in-page link `href="#x"` given `prefix` (`id="report-2017-3a-x"`).
/// Only Markdown output passes through here, where record text cannot write either form
/// (its `"` and `<` are escaped).
pub(super) fn prefix_ids(html: &str, prefix: &str) -> String {
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

/// Puts `value` into `tree` at a field's path, as templates read it: `commitments[0].text`
/// becomes `tree.commitments[0].text`. List items before an index that has no text are empty
/// objects, so an item's position in the HTML always matches its position in the data.
pub(super) fn insert_field(tree: &mut Value, path: &str, value: Value) {
    let mut node = tree;
    let mut steps = path.split('.').peekable();
    while let Some(step) = steps.next() {
        let (name, index) = match step.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (step, None),
        };
        let last = steps.peek().is_none();
        let Value::Object(map) = node else { return };
        node = map.entry(name.to_string()).or_insert(Value::Null);
        if let Some(i) = index {
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            let Value::Array(items) = node else { return };
            while items.len() <= i {
                items.push(Value::Object(serde_json::Map::new()));
            }
            node = &mut items[i];
        }
        if last {
            *node = value;
            return;
        }
        if !node.is_object() {
            *node = Value::Object(serde_json::Map::new());
        }
    }
}

impl<'a> Renderer<'a> {
    /// A record's Markdown fields as HTML, by template key, for its own page. Only the live
    /// preview keeps the body (its next rebuild reuses it); a build renders the body here, for
    /// the one page job that shows it, and lets it go: 100,000 bodies never sit in memory at
    /// once.
    pub(super) fn html_of(&self, key: &RecordKey) -> Option<Value> {
        let mut out = Value::Object(serde_json::Map::new());
        for (name, html) in self.fields_html(key, false)? {
            insert_field(&mut out, name, Value::String(html.clone()));
        }
        if self.settings.keep_parts {
            for (name, html) in self.fields_html(key, true)? {
                insert_field(&mut out, name, Value::String(html.clone()));
            }
        } else {
            let rec = self.site.records.get(key)?;
            for (name, html) in self.render_fields(rec, true) {
                insert_field(&mut out, &name, Value::String(html));
            }
        }
        Some(out)
    }

    /// The record's body as HTML (`body == true`) or its other Markdown fields, rendered once.
    pub(super) fn fields_html(
        &self,
        key: &RecordKey,
        body: bool,
    ) -> Option<&BTreeMap<String, String>> {
        let cell = &self.html.get(key)?[usize::from(body)];
        let rec = self.site.records.get(key)?;
        Some(cell.get_or_init(|| self.render_fields(rec, body)))
    }

    /// Renders the record's body (`body == true`) or its other Markdown fields, as its own
    /// page shows them: every heading and footnote ID unique on the page (the template's IDs
    /// come first, then the fields in order, then the body). For the body the fields are
    /// rendered again only to take their IDs; they are short.
    pub(super) fn render_fields(&self, rec: &Record, body: bool) -> BTreeMap<String, String> {
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
    pub(super) fn summary_html(&self, key: &RecordKey) -> Option<BTreeMap<&str, &str>> {
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
    pub(super) fn abbreviations(&self) -> markdown::Abbreviations {
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

    pub(super) fn menu_url(&self, link: &str) -> String {
        if markdown::is_dangerous_url(link) {
            return self.settings.url(""); // reported by the link stage
        }
        match parse_typed_link(link) {
            Some(Ok(l)) => self.typed_url(&l).unwrap_or_else(|| self.settings.url("")),
            _ if link.starts_with('/') => self.settings.url(link.trim_start_matches('/')),
            _ => link.to_string(),
        }
    }

    /// The output path of a menu link's page (for marking the current page), if it is one of
    /// the site's.
    pub(super) fn menu_path(&self, link: &str) -> String {
        match parse_typed_link(link) {
            Some(Ok(l)) if l.target != Target::Keyword => target_of(self.site, self.links, &l)
                .and_then(|key| self.site.records.get(&key))
                .map(|r| r.path())
                .unwrap_or_default(),
            _ if link.starts_with('/') => link.trim_start_matches('/').to_string(),
            _ => String::new(),
        }
    }

    /// The URL a link destination of a record's Markdown stands for: a typed link's page
    /// (with its `#fragment`), a web address as written; `None` drops a typed link that does
    /// not resolve (the link stage reported it).
    pub(super) fn resolve(&self, dest: &str) -> Option<String> {
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
    pub(super) fn typed_url(&self, link: &TypedLink) -> Option<String> {
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
}
