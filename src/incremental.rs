//! Incremental rebuilds for the live preview (`serve`) and `build --watch`.
//!
//! The first build is a whole one ([`build::build_retaining`]) that keeps the linked site and
//! what the renderer derived from it (Markdown, link views, facets, list items). After that:
//!
//! - **record files edited** (the common case while writing): only those files are parsed
//!   again. If the edit changed no link, keyword, alias, title or URL, only the pages that show
//!   the changed records are rendered again ([`Renderer::pages_showing`]: their own pages and
//!   JSON, the pages that show their texts, the lists and facet pages they appear in, the home
//!   page), then the exports that hold them. If it changed a title, every page is rendered
//!   from the kept site (any page may show the title).
//! - **templates edited**: templates are loaded again and, from the kept site, the pages whose
//!   template is an edited one or extends, includes or imports one are rendered again
//!   (Markdown is not rendered again).
//! - **static files edited**: copied again; nothing is rendered.
//! - **anything else** (a record added, removed or renamed, a link or keyword changed, the
//!   glossary, `site.yaml`), or any doubt: a whole build, which is always right.
//!
//! Whatever the path, the files served afterwards are byte-identical to a whole build of the
//! same sources (`tests/suite/incremental.rs` checks this edit by edit). A failed rebuild leaves the
//! kept state at the last good build and remembers the broken files, so every later rebuild
//! reports them until they are fixed.

use crate::build::{self, BuildOptions, Linked};
use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::export::{self, ExportScope};
use crate::link;
use crate::load;
use crate::model::{Record, RecordKey};
use crate::render::{self, RenderCache, RenderSettings, Renderer};
use crate::sink::MemorySink;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One step of a rebuild's output, for the caller to serve or write.
pub struct Publish<'p> {
    pub files: &'p MemorySink,
    /// Files of the site before this step that it no longer has (search index files: term
    /// shards, fuzzy vocabularies and record files the index no longer has).
    pub removed: &'p [String],
    /// The files are the whole site (replace what is served), not a patch over it.
    pub whole: bool,
    /// Pages: the browser should reload now. Exports follow as a second, silent patch.
    pub pages: bool,
}

/// A site's files as the rebuilds publish them, for a caller that writes them out whole
/// (`build --watch`) or compares them (the tests): whole builds replace it, patches change it.
#[derive(Default)]
pub struct OutputTree {
    /// Every file of the site, by path.
    pub files: BTreeMap<String, bytes::Bytes>,
    /// Files written since the last swap; `None`: all of them.
    pub fresh: Option<BTreeSet<String>>,
}

impl OutputTree {
    /// Applies one published step.
    pub fn apply(&mut self, step: Publish) {
        if step.whole {
            self.files = step.files.entries().into_iter().collect();
            self.fresh = None;
            return;
        }
        for path in step.removed {
            self.files.remove(path);
        }
        for (path, bytes) in step.files.entries() {
            if self.files.get(&path).is_some_and(|old| *old == bytes) {
                continue;
            }
            if let Some(fresh) = &mut self.fresh {
                fresh.insert(path.clone());
            }
            self.files.insert(path, bytes);
        }
    }
}

/// How a rebuild went about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Everything loaded, linked and rendered again.
    Whole,
    /// Only the pages that show the edited records (and their exports).
    Records,
    /// Every page rendered again from the kept site (a title changed).
    AllPages,
    /// The pages whose templates use an edited template, rendered from the kept site.
    Templates,
    /// Static files copied again.
    Static,
    /// The sources are as they were: nothing to do.
    Unchanged,
}

/// What one rebuild did.
pub struct Outcome {
    /// What the rebuild redid.
    pub method: Method,
    /// Wall time of the rebuild, exports included.
    pub elapsed: Duration,
    /// Until the reload event: the pages, not the exports after them.
    pub pages_elapsed: Duration,
    /// Every problem of the site as it now is.
    pub diagnostics: Vec<Diagnostic>,
    /// Records in the preview, drafts included.
    pub records: usize,
    /// Drafts among the records (the preview shows them, with a banner).
    pub drafts: usize,
    /// HTML pages written by this rebuild.
    pub pages: usize,
    /// Files written by this rebuild.
    pub files: usize,
    /// Time spent in each step (`serve -v` prints them).
    pub timings: Vec<(&'static str, Duration)>,
}

impl Outcome {
    /// An outcome of `method` that did nothing yet: no time, no files, no diagnostics.
    fn of(method: Method) -> Outcome {
        Outcome {
            method,
            elapsed: Duration::ZERO,
            pages_elapsed: Duration::ZERO,
            diagnostics: Vec::new(),
            records: 0,
            drafts: 0,
            pages: 0,
            files: 0,
            timings: Vec::new(),
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A site kept in memory between rebuilds.
pub struct LiveSite {
    opts: BuildOptions,
    /// The site's root as the file watcher reports paths (canonical).
    root: PathBuf,
    /// Sources of the last rebuild, for showing its diagnostics.
    sources: SourceMap,
    state: Option<State>,
}

/// The last good build, kept.
struct State {
    linked: Linked,
    cache: RenderCache,
    settings: RenderSettings,
    /// Display path of each record file (`content/commitments/200005.yaml`) → its record.
    files: HashMap<String, RecordKey>,
    /// Record files whose last edit failed; checked again on every rebuild until fixed.
    broken: BTreeSet<String>,
    /// The templates failed to load or render after the last template edit.
    templates_broken: bool,
    /// The search index's files the site has (`search/meta.js`, `search/p0.js` ...).
    search_shards: BTreeSet<String>,
    /// Where the theme was read from; a change of place (a `themes/default/` folder made
    /// for a site that used the built-in theme, or removed) rebuilds everything.
    theme_source: Option<crate::theme::ThemeSource>,
}

/// The files of the search index among `files`.
fn search_shards(files: &MemorySink) -> BTreeSet<String> {
    files
        .entries()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| crate::search::is_index_file(path))
        .collect()
}

/// What the changed paths call for.
enum Plan {
    Whole,
    Records(BTreeSet<String>),
    /// Template names (`base.html`, `partials/x.html`).
    Templates(BTreeSet<String>),
    Static,
    Nothing,
}

impl LiveSite {
    /// A live site for the site folder of `opts`, not built yet (see [`LiveSite::build_whole`]).
    pub fn new(mut opts: BuildOptions) -> Self {
        opts.live = true;
        let root = std::fs::canonicalize(&opts.root).unwrap_or_else(|_| opts.root.clone());
        LiveSite {
            opts,
            root,
            sources: SourceMap::default(),
            state: None,
        }
    }

    /// The sources the last rebuild's diagnostics point into.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// A whole build: load, link, render everything.
    pub fn build_whole(&mut self, publish: &mut dyn FnMut(Publish)) -> Outcome {
        let start = Instant::now();
        let sink = MemorySink::new();
        let (mut report, retained) = build::build_retaining(&self.opts, &sink, &|_, _| {});
        self.sources = std::mem::take(&mut report.sources);
        let mut outcome = Outcome {
            diagnostics: std::mem::take(&mut report.diagnostics),
            records: report.records,
            drafts: report.drafts,
            pages: report.pages,
            files: report.files,
            timings: std::mem::take(&mut report.timings),
            ..Outcome::of(Method::Whole)
        };
        self.state = None;
        if !outcome.has_errors()
            && let Some((linked, cache)) = retained
        {
            publish(Publish {
                files: &sink,
                removed: &[],
                whole: true,
                pages: true,
            });
            let files = linked
                .site
                .records
                .values()
                .map(|r| (self.sources.name(r.file), r.key.clone()))
                .collect();
            let settings = build::settings(&self.opts, &linked.site);
            let theme_source = crate::theme::locate(&self.opts.root, &linked.site.config.theme);
            self.state = Some(State {
                linked,
                cache,
                settings,
                files,
                broken: BTreeSet::new(),
                templates_broken: false,
                search_shards: search_shards(&sink),
                theme_source,
            });
        }
        outcome.elapsed = start.elapsed();
        outcome.pages_elapsed = outcome.elapsed;
        outcome
    }

    /// Rebuilds after `paths` (absolute, as the watcher reports them) changed: as little as
    /// the change needs, else everything.
    pub fn update(&mut self, paths: &[PathBuf], publish: &mut dyn FnMut(Publish)) -> Outcome {
        let start = Instant::now();
        let plan = self.plan(paths);
        let outcome = match plan {
            Plan::Whole => None,
            Plan::Nothing => Some(self.unchanged()),
            Plan::Records(files) => self.update_records(files, publish),
            Plan::Templates(names) => self.update_templates(&names, publish),
            Plan::Static => self.update_static(publish),
        };
        let mut outcome = outcome.unwrap_or_else(|| self.build_whole(publish));
        outcome.elapsed = start.elapsed();
        // Edited records publish their pages before the exports and time that; every other
        // path publishes once, at its end.
        if outcome.pages_elapsed.is_zero() {
            outcome.pages_elapsed = outcome.elapsed;
        }
        outcome
    }

    fn unchanged(&self) -> Outcome {
        Outcome {
            records: self
                .state
                .as_ref()
                .map_or(0, |s| s.linked.site.records.len()),
            ..Outcome::of(Method::Unchanged)
        }
    }

    /// Sorts the changed paths into one plan; mixed or unknown changes rebuild everything.
    fn plan(&self, paths: &[PathBuf]) -> Plan {
        let Some(state) = &self.state else {
            return Plan::Whole;
        };
        let theme = &state.linked.site.config.theme;
        if crate::theme::locate(&self.opts.root, theme) != state.theme_source {
            return Plan::Whole;
        }
        let mut records: BTreeSet<String> = state.broken.clone();
        let mut templates: BTreeSet<String> = BTreeSet::new();
        let mut statics = false;
        for path in paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                return Plan::Whole;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name = parts.last().map(String::as_str).unwrap_or("");
            let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
            let exists = path.exists();
            match parts.as_slice() {
                ["content", "site.yaml"] | ["content"] => return Plan::Whole,
                ["content", rest @ ..] => {
                    // Hidden files (editors' temporary copies) are not records: `load` skips
                    // them too.
                    if name.starts_with('.') {
                        continue;
                    }
                    let display = format!("content/{}", rest.join("/"));
                    if state.files.contains_key(&display) {
                        if !path.is_file() {
                            return Plan::Whole; // a record removed
                        }
                        records.insert(display);
                    } else if exists {
                        return Plan::Whole; // a new record, file or folder
                    } else if state
                        .files
                        .keys()
                        .any(|f| f.starts_with(&format!("{display}/")))
                    {
                        return Plan::Whole; // a folder of records moved or removed
                    }
                    // else: a temporary file, created and removed again
                }
                ["themes", t, "templates", name @ ..] if *t == theme.as_str() => {
                    templates.insert(name.join("/"));
                }
                ["themes", t, "static", rest @ ..] if *t == theme.as_str() => {
                    // A removed file must disappear from the site; a new one may take a name
                    // a record uses (the link stage checks that).
                    if !exists || !state.linked.site.static_files.contains(&rest.join("/")) {
                        return Plan::Whole;
                    }
                    statics = true;
                }
                ["themes", t, ..] if *t != theme.as_str() => {} // another theme: unused
                ["templates", name @ ..] => {
                    templates.insert(name.join("/"));
                }
                ["static", rest @ ..] => {
                    if !exists || !state.linked.site.static_files.contains(&rest.join("/")) {
                        return Plan::Whole;
                    }
                    statics = true;
                }
                _ => return Plan::Whole,
            }
        }
        if state.templates_broken && templates.is_empty() {
            templates.insert(String::new()); // check them again until they work
        }
        match (records.is_empty(), templates.is_empty(), statics) {
            (true, true, false) => Plan::Nothing,
            (false, true, false) => Plan::Records(records),
            (true, false, false) => Plan::Templates(templates),
            (true, true, true) => Plan::Static,
            _ => Plan::Whole,
        }
    }

    /// Edited record files. `None`: the edit needs a whole build.
    fn update_records(
        &mut self,
        files: BTreeSet<String>,
        publish: &mut dyn FnMut(Publish),
    ) -> Option<Outcome> {
        let start = Instant::now();
        let state = self.state.as_mut()?;
        let mut old: BTreeMap<RecordKey, Record> = BTreeMap::new();
        let mut diags = Vec::new();
        let mut failed = false;
        for display in &files {
            let key = state.files.get(display)?.clone();
            let path = self.root.join(display);
            let current = state.linked.site.records.get(&key)?;
            if std::fs::metadata(&path).ok()?.len() > load::MAX_FILE_BYTES {
                return None; // the whole build reports it
            }
            let bytes = std::fs::read(&path).ok()?;
            if self.sources.text(current.file).as_bytes() == bytes.as_slice() {
                continue; // saved without a change, or changed back to the last good text
            }
            let markdown = display.ends_with(".md");
            let (text, parsed) = load::parse_record_file(key.kind, display, markdown, bytes);
            let file = self.sources.add(display.clone(), text);
            match parsed {
                Err(ds) => {
                    failed = true;
                    diags.extend(ds.into_iter().map(|mut d| {
                        d.file = Some(file);
                        d
                    }));
                }
                Ok(mut rec) => {
                    // Another ID, path or aliases change the list of pages.
                    if rec.key != key
                        || rec.aliases() != current.aliases()
                        || !state.cache.same_path(&rec)
                    {
                        return None;
                    }
                    rec.file = file;
                    if let Some(prev) = state.linked.site.records.insert(key.clone(), rec) {
                        old.insert(key, prev);
                    }
                }
            }
        }
        let changed: BTreeSet<RecordKey> = old.keys().cloned().collect();
        let mut timings = vec![("parse", start.elapsed())];
        let mut lap = Instant::now();
        let mut step = |name: &'static str| {
            timings.push((name, lap.elapsed()));
            lap = Instant::now();
        };
        // Puts the last good versions back (the cache still describes them, unless the
        // failure came after rendering, which forgets them first).
        let restore = |state: &mut State, old: BTreeMap<RecordKey, Record>| {
            for (key, rec) in old {
                state.linked.site.records.insert(key, rec);
            }
        };
        // On failure every file of the batch is read again next time, not only the broken
        // ones: the others' edits are undone in the kept state along with the broken one's.
        if failed {
            restore(state, old);
            state.broken = files;
            diagnostics::sort(&mut diags, &self.sources);
            return Some(self.failure(Method::Records, diags));
        }
        state.broken.clear();
        if changed.is_empty() {
            return Some(self.unchanged());
        }
        // `None`: the edit changed links; only a whole build gets them right.
        let link_diags = link::recheck(
            &state.linked.site,
            &self.sources,
            &state.linked.templates.template_ids(),
            &state.linked.links,
            &old,
            &changed,
        )?;
        step("link checks");
        // Diagnostics about unchanged records were shown by the build that found them.
        let changed_files: BTreeSet<usize> = changed
            .iter()
            .filter_map(|k| state.linked.site.records.get(k).map(|r| r.file))
            .collect();
        diags.extend(
            link_diags
                .into_iter()
                .filter(|d| d.is_error() || d.file.is_none_or(|f| changed_files.contains(&f))),
        );
        if diags.iter().any(Diagnostic::is_error) {
            state.broken = files;
            restore(state, old);
            diagnostics::sort(&mut diags, &self.sources);
            return Some(self.failure(Method::Records, diags));
        }

        // Titles shown elsewhere, and facet values, decide how far the change reaches.
        let retitled = changed.iter().any(|k| {
            state
                .linked
                .site
                .records
                .get(k)
                .is_none_or(|r| !state.cache.shows_alike(r))
        });
        // A commitment's facet values (the facets' own definitions say from which fields);
        // labels are titles.
        let facets_may_move = retitled || {
            let lookups = crate::facets::Lookups::new(&state.linked.site, &state.linked.links);
            changed.iter().any(|k| {
                let values = |r: Option<&Record>| r.map(|r| crate::facets::values_of(&lookups, r));
                values(old.get(k)) != values(state.linked.site.records.get(k))
            })
        };
        let old_facets = facets_may_move.then(|| {
            let new = crate::facets::compute(&state.linked.site, &state.linked.links);
            std::mem::replace(&mut state.linked.facets, new)
        });
        for key in &changed {
            state.cache.forget(key);
        }
        if let Some(before) = &old_facets {
            // A list item shows its commitment's facet values: items whose values moved.
            let now = &state.linked.facets.slugs;
            for (key, slugs) in before.slugs.iter().chain(now.iter()) {
                if before.slugs.get(key) != Some(slugs) || now.get(key) != Some(slugs) {
                    state.cache.forget_item(key);
                }
            }
        }
        if retitled {
            state.cache.forget_json(); // every record's JSON shows related titles
        }
        let cache = std::mem::take(&mut state.cache);
        let renderer = renderer_of(&state.linked, &state.settings, cache);
        step("views");
        let facets_changed = match &old_facets {
            Some(before) => before.list != state.linked.facets.list,
            None => false,
        };
        // Facet pages (or pages of a facet's list) appear or disappear: the list of pages
        // changes.
        let same_facet_pages = old_facets
            .as_ref()
            .is_none_or(|before| before.pages() == state.linked.facets.pages());
        if !same_facet_pages {
            return None;
        }
        let (method, jobs) = if retitled {
            (Method::AllPages, renderer.all_jobs())
        } else {
            (
                Method::Records,
                renderer.pages_showing(&changed, facets_changed),
            )
        };
        let pages = MemorySink::new();
        let (mut written, errors) = renderer.render_all(&jobs, &pages, &|| {});
        if !errors.is_empty() {
            let mut cache = renderer.into_cache();
            for key in &changed {
                cache.forget(key);
            }
            state.cache = cache;
            state.broken = files;
            restore(state, old);
            if let Some(before) = old_facets {
                // Back to the facets of the records restored; the items they moved go.
                let now = std::mem::replace(&mut state.linked.facets, before);
                for key in now.slugs.keys() {
                    state.cache.forget_item(key);
                }
            }
            diags.extend(errors);
            diagnostics::sort(&mut diags, &self.sources);
            return Some(self.failure(method, diags));
        }
        step("pages");
        publish(Publish {
            files: &pages,
            removed: &[],
            whole: false,
            pages: true,
        });
        step("publish pages");
        let pages_elapsed = start.elapsed();
        let scope = if retitled {
            ExportScope {
                site_files: false,
                ..ExportScope::all()
            }
        } else {
            ExportScope::for_records(&changed)
        };
        let exports = MemorySink::new();
        match export::write_exports_in(&renderer, &self.opts.root, &exports, &scope) {
            Ok(n) => written += n,
            Err(d) => diags.push(d),
        }
        step("exports");
        // The search index is rewritten whole: files it no longer has must go.
        let mut removed = Vec::new();
        if scope.search {
            let shards = search_shards(&exports);
            removed = state.search_shards.difference(&shards).cloned().collect();
            state.search_shards = shards;
        }
        publish(Publish {
            files: &exports,
            removed: &removed,
            whole: false,
            pages: false,
        });
        step("publish exports");
        let records = state.linked.site.records.len();
        state.cache = renderer.into_cache();
        // An edit may make a record a draft or publish it (the preview shows both).
        state.linked.drafts = state
            .linked
            .site
            .records
            .values()
            .filter(|r| r.is_draft())
            .count();
        diagnostics::sort(&mut diags, &self.sources);
        Some(Outcome {
            method,
            elapsed: start.elapsed(),
            pages_elapsed,
            diagnostics: diags,
            records,
            drafts: state.linked.drafts,
            pages: jobs.len(),
            files: written,
            timings,
        })
    }

    /// Edited templates: load them again and render, from the kept site, the pages whose
    /// templates extend, include or import an edited one (every page when templates were
    /// added or removed, or the last template edit failed).
    fn update_templates(
        &mut self,
        changed: &BTreeSet<String>,
        publish: &mut dyn FnMut(Publish),
    ) -> Option<Outcome> {
        let state = self.state.as_mut()?;
        let mut diags = Vec::new();
        let templates = render::load_templates(
            &self.opts.root,
            &state.linked.site.config.theme,
            &mut self.sources,
            &mut diags,
        );
        let templates = match templates {
            Some(t) if !diags.iter().any(Diagnostic::is_error) => t,
            _ => {
                state.templates_broken = true;
                diagnostics::sort(&mut diags, &self.sources);
                return Some(self.failure(Method::Templates, diags));
            }
        };
        // IDs the templates write shape the Markdown's heading IDs and the link checks of
        // `#fragment`s: when they move, only a whole build is right.
        if templates.template_ids() != state.linked.templates.template_ids() {
            return None;
        }
        // The filter data is written only with the list item template: when it comes or
        // goes, so do those files.
        let has_items = |t: &render::TemplateSet| t.files.contains_key(render::ITEM_TEMPLATE);
        if has_items(&templates) != has_items(&state.linked.templates) {
            return None;
        }
        let every_page =
            state.templates_broken || templates.names() != state.linked.templates.names();
        let mut affected = templates.users_of(changed);
        affected.extend(state.linked.templates.users_of(changed));
        let items = every_page || affected.contains(render::ITEM_TEMPLATE);
        if items {
            // The list items are pasted into the lists, not included by Tera.
            affected.insert("commitment-list.html".to_string());
        }
        let previous = std::mem::replace(&mut state.linked.templates, templates);
        let mut cache = std::mem::take(&mut state.cache);
        if items {
            cache.forget_items();
        }
        let renderer = renderer_of(&state.linked, &state.settings, cache);
        let jobs: Vec<render::PageJob> = renderer
            .all_jobs()
            .into_iter()
            .filter(|job| {
                every_page
                    || renderer
                        .template_of(job)
                        .is_some_and(|t| affected.contains(&t))
            })
            .collect();
        let pages = MemorySink::new();
        let (written, errors) = renderer.render_all(&jobs, &pages, &|| {});
        let mut cache = renderer.into_cache();
        if !errors.is_empty() {
            cache.forget_items();
            state.cache = cache;
            state.linked.templates = previous;
            state.templates_broken = true;
            diags.extend(errors);
            diagnostics::sort(&mut diags, &self.sources);
            return Some(self.failure(Method::Templates, diags));
        }
        state.cache = cache;
        state.templates_broken = false;
        publish(Publish {
            files: &pages,
            removed: &[],
            whole: false,
            pages: true,
        });
        Some(Outcome {
            diagnostics: diags,
            records: state.linked.site.records.len(),
            pages: jobs.len(),
            files: written,
            ..Outcome::of(Method::Templates)
        })
    }

    /// Edited static files (stylesheets, images): copy them again.
    fn update_static(&mut self, publish: &mut dyn FnMut(Publish)) -> Option<Outcome> {
        let state = self.state.as_mut()?;
        let cache = std::mem::take(&mut state.cache);
        let renderer = renderer_of(&state.linked, &state.settings, cache);
        let files = MemorySink::new();
        let result = export::write_exports_in(
            &renderer,
            &self.opts.root,
            &files,
            &ExportScope::static_files(),
        );
        state.cache = renderer.into_cache();
        let written = match result {
            Ok(n) => n,
            Err(d) => return Some(self.failure(Method::Static, vec![d])),
        };
        publish(Publish {
            files: &files,
            removed: &[],
            whole: false,
            pages: true,
        });
        Some(Outcome {
            records: state.linked.site.records.len(),
            files: written,
            ..Outcome::of(Method::Static)
        })
    }

    fn failure(&self, method: Method, diagnostics: Vec<Diagnostic>) -> Outcome {
        Outcome {
            diagnostics,
            ..Outcome::of(method)
        }
    }
}

/// A renderer over the kept site, starting from what the last rebuild derived.
fn renderer_of<'s>(
    linked: &'s Linked,
    settings: &RenderSettings,
    cache: RenderCache,
) -> Renderer<'s> {
    Renderer::with_cache(
        &linked.site,
        &linked.links,
        &linked.facets,
        &linked.templates,
        settings.clone(),
        cache,
    )
}
