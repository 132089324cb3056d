//! The pages a site has: one job per page, the sample `check` renders on a large site, and
//! the pages an edit can alter.

use super::*;

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

/// `check` renders every page of a site with at most this many records, else a sample.
pub const SAMPLE_ABOVE: usize = 2000;

impl<'a> Renderer<'a> {
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
    pub(super) fn sample_of(&self, jobs: Vec<PageJob>) -> Vec<PageJob> {
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
            PageJob::Alias(..) => super::templates::ALIAS_TEMPLATE,
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
            records.extend(self.shown_across(key));
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

    /// Records whose pages show `key`'s text without being related to it: a self-report's
    /// first answer is on the pages of its transformation's commitments ("Reported on in"),
    /// and a commitment is on the pages of its transformation's self-reports.
    pub fn shown_across(&self, key: &RecordKey) -> Vec<RecordKey> {
        let Some(rec) = self.site.records.get(key) else {
            return Vec::new();
        };
        let (transformations, shown_on) = match &rec.data {
            RecordData::Report(r) => (std::slice::from_ref(&r.transformation), Kind::Commitment),
            RecordData::Commitment(c) => (c.transformations.as_slice(), Kind::Report),
            _ => return Vec::new(),
        };
        transformations
            .iter()
            .filter_map(|t| self.site.get(Kind::Transformation, t))
            .flat_map(|t| {
                self.links
                    .related(&t.key)
                    .remove(&shown_on)
                    .into_iter()
                    .flatten()
            })
            .collect()
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
