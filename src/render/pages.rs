//! Rendering a page job: its context, the template, relative links and minification, and
//! the write to the sink.

use super::*;

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

pub(super) fn strip_page(msg: &str) -> &str {
    msg.rfind(" (rendering /").map_or(msg, |i| &msg[..i])
}

pub(crate) fn put(sink: &dyn Sink, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    sink.put(path, bytes).map_err(|e| write_failed(path, e))
}

/// [`put`] for a file made of parts made one after another ([`Sink::put_stream`]).
pub(crate) fn put_stream(
    sink: &dyn Sink,
    path: &str,
    parts: &mut dyn Iterator<Item = Vec<u8>>,
) -> Result<(), Diagnostic> {
    sink.put_stream(path, parts)
        .map_err(|e| write_failed(path, e))
}

pub(super) fn write_failed(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("write-failed", format!("cannot write {path}: {e}"))
        .hint("check free disk space and permissions of the output folder")
}

impl<'a> Renderer<'a> {
    pub(super) fn render_template(
        &self,
        name: &str,
        page: Value,
        path: &str,
    ) -> Result<String, Diagnostic> {
        let mut vars = serde_json::Map::with_capacity(3);
        vars.insert("site".into(), self.site_view.clone());
        vars.insert("page".into(), page);
        vars.insert("path".into(), Value::String(path.to_string()));
        self.render_vars(name, vars, path)
    }

    pub(super) fn render_vars(
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

    /// Renders one page: its HTML (and JSON for records), written to `sink`.
    pub(crate) fn render_page(&self, job: &PageJob, sink: &dyn Sink) -> Result<usize, Diagnostic> {
        let mut splice: Option<Vec<&'a Record>> = None;
        let (path, template, page) = match job {
            PageJob::Home => (String::new(), "home.html".to_string(), self.home_page()),
            PageJob::NotFound => (
                paths::NOT_FOUND.to_string(),
                "404.html".to_string(),
                json!({"title": "Page not found"}),
            ),
            PageJob::KindIndex(Kind::Commitment, n) | PageJob::Facet(_, _, n) => {
                let facet = match job {
                    PageJob::Facet(fi, slug, _) => Some((*fi, slug.as_str())),
                    _ => None,
                };
                let Some(list) = self.commitment_list_page(facet, *n) else {
                    return Ok(0);
                };
                splice = list.splice;
                (list.path, list.template, list.page)
            }
            PageJob::FilterFacets => {
                put(
                    sink,
                    paths::FILTER_FACETS,
                    self.filter_facets_js().into_bytes(),
                )?;
                return Ok(1);
            }
            PageJob::FilterItems(chunk) => {
                let js = self.filter_items_js(*chunk).into_bytes();
                put(sink, &paths::filter_items(*chunk), js)?;
                return Ok(1);
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
                let page = json!({"title": rec.title(), "target": self.settings.url(&rec.path())});
                let html = self.render_template(templates::ALIAS_TEMPLATE, page, from)?;
                let file = paths::page_file(from);
                let bytes = self.finish_html(html.into_bytes(), &file);
                put(sink, &file, bytes)?;
                return Ok(1);
            }
            PageJob::KindIndex(kind, n) => {
                let mut page = serde_json::Map::new();
                page.insert("title".into(), Value::from(kind.plural_label()));
                page.insert("kind".into(), json!(kind));
                let data_url = self.settings.url(&paths::kind_data(*kind));
                page.insert("data_url".into(), Value::String(data_url));
                let Some(path) = self.kind_index_page(*kind, *n, &mut page) else {
                    return Ok(0);
                };
                (path, "list.html".to_string(), Value::Object(page))
            }
            PageJob::ReportYear(year, n) => {
                let mut page = serde_json::Map::new();
                page.insert("title".into(), Value::from(format!("{year} self-reports")));
                page.insert("kind".into(), json!(Kind::Report));
                let data_url = self.settings.url(&paths::kind_data(Kind::Report));
                page.insert("data_url".into(), Value::String(data_url));
                let items = self.report_year_items(*year);
                let list = paths::report_year(*year);
                let Some(path) = self.paginate(&list, *n, &items, &mut page) else {
                    return Ok(0);
                };
                (path, "list.html".to_string(), Value::Object(page))
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
                let groups = self.groups_with(by_kind, |_| false, Some(("keyword", slug)));
                (
                    paths::keyword(slug),
                    "keyword.html".to_string(),
                    json!({"title": format!("Keyword: {label}"), "keyword": label, "groups": groups}),
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
        let mut page = page;
        if page.get("breadcrumbs").is_none()
            && let Some(map) = page.as_object_mut()
        {
            map.insert("breadcrumbs".into(), json!(self.page_breadcrumbs(job)));
        }
        let mut html = self.render_template(&template, page, &path)?;
        if let Some(recs) = splice {
            html = self.splice_items(html, &recs);
        }
        let file = paths::page_file(&path);
        let bytes = self.finish_html(html.into_bytes(), &file);
        put(sink, &file, bytes)?;
        Ok(1)
    }

    pub(super) fn finish_html(&self, bytes: Vec<u8>, page_path: &str) -> Vec<u8> {
        let bytes = if self.settings.relative && page_path == paths::NOT_FOUND {
            // A server shows the not-found page at whatever address was asked for
            // (`/a/b/missing`): links relative to the page would miss there. Its links go
            // from the site's address when known, else from the host's root.
            let root = self
                .settings
                .absolute_base
                .as_deref()
                .unwrap_or(&self.settings.base_path);
            String::from_utf8_lossy(&bytes)
                .replace(ROOT_MARKER, root)
                .into_bytes()
        } else if self.settings.relative {
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
    pub(crate) fn render_all(
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
            self.facet_ranks();
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
}
