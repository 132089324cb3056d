//! The pages a site has: one job per page, the sample `check` renders on a large site, and
//! the pages an edit can alter.

use super::*;

/// One output page (or data file) to produce. List pages carry their page number, from 1
/// (`paths::list_page`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PageJob {
    Home,
    Record(RecordKey),
    /// Page `n` of a kind's index (`/initiatives/`, `/initiatives/page/2/`).
    KindIndex(Kind, usize),
    /// Page `n` of one reporting year's self-reports (`/reports/2017/`).
    ReportYear(u16, usize),
    Keywords,
    Keyword(String),
    NotFound,
    /// A redirect page at an old URL (`aliases:`), pointing at a record.
    Alias(String, RecordKey),
    /// Page `n` of the commitments with one facet value (`/commitments/type/policy/`).
    Facet(usize, String, usize),
    Search,
    /// The filter data's facet file (`paths::FILTER_FACETS`), not a page.
    FilterFacets,
    /// One file of the filter data's list items (`paths::filter_items`), not a page.
    FilterItems(usize),
}

impl PageJob {
    /// A job that needs the commitment lists' shared parts (reading order, facet positions,
    /// rendered items): a page of the index or of a facet, or the filter data.
    pub(crate) fn is_commitment_list(&self) -> bool {
        matches!(
            self,
            PageJob::KindIndex(Kind::Commitment, _)
                | PageJob::Facet(..)
                | PageJob::FilterFacets
                | PageJob::FilterItems(_)
        )
    }
}

/// `check` renders every page of a site with at most this many records, else a sample.
pub(crate) const SAMPLE_ABOVE: usize = 2000;

impl<'a> Renderer<'a> {
    /// Every page the site has, in a stable order.
    /// The pages to render: every page, or for `check` a sample of them.
    pub(crate) fn jobs(&self) -> Vec<PageJob> {
        let all = self.all_jobs();
        if self.sampling() {
            self.sample_of(all)
        } else {
            all
        }
    }

    /// Every page job, even when `check` renders only a sample.
    pub(crate) fn all_jobs(&self) -> Vec<PageJob> {
        let mut jobs = vec![PageJob::Home, PageJob::NotFound, PageJob::Keywords];
        for kind in Kind::ALL {
            if kind.has_index() {
                let pages = paths::page_count(self.site.of_kind(kind).count());
                jobs.extend((1..=pages).map(|n| PageJob::KindIndex(kind, n)));
            }
        }
        let mut years: BTreeMap<u16, usize> = BTreeMap::new();
        for r in self.site.of_kind(Kind::Report) {
            if let RecordData::Report(rep) = &r.data {
                *years.entry(rep.year).or_default() += 1;
            }
        }
        for (year, reports) in years {
            let pages = paths::page_count(reports);
            jobs.extend((1..=pages).map(|n| PageJob::ReportYear(year, n)));
        }
        jobs.extend(self.links.keywords.keys().cloned().map(PageJob::Keyword));
        // A record job also writes the record's JSON and embed page, from one context.
        jobs.extend(self.site.records.keys().cloned().map(PageJob::Record));
        for (fi, f) in self.facets.iter().enumerate() {
            for (slug, (_, members)) in &f.values {
                let pages = paths::page_count(members.len());
                jobs.extend((1..=pages).map(|n| PageJob::Facet(fi, slug.clone(), n)));
            }
        }
        if self.filter_enabled() {
            jobs.push(PageJob::FilterFacets);
            jobs.extend((0..self.filter_item_files()).map(PageJob::FilterItems));
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
    /// commitments index, same template), the last page of the commitments index (its pager
    /// links back), the smallest keyword page, one alias, and the first page of every other
    /// index.
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
        let last_index_page = paths::page_count(self.site.of_kind(Kind::Commitment).count());
        jobs.into_iter()
            .filter(|job| match job {
                PageJob::Record(k) => ends.contains(k),
                PageJob::KindIndex(Kind::Commitment, n) => {
                    (*n == 1 && self.facets.is_empty()) || (*n > 1 && *n == last_index_page)
                }
                PageJob::KindIndex(_, n) | PageJob::ReportYear(_, n) => *n == 1,
                PageJob::Facet(fi, slug, n) => *n == 1 && smallest_facet == Some((*fi, slug)),
                // The filter data is written from rendered items, which a sample has not.
                PageJob::FilterFacets | PageJob::FilterItems(_) => false,
                PageJob::Keyword(slug) => Some(slug) == smallest_keyword,
                PageJob::Alias(..) => !std::mem::replace(&mut alias_seen, true),
                _ => true,
            })
            .collect()
    }

    /// The template a page job renders with (`None`: the page is written without one).
    pub(crate) fn template_of(&self, job: &PageJob) -> Option<String> {
        let name = match job {
            PageJob::Home => "home.html",
            PageJob::NotFound => "404.html",
            PageJob::KindIndex(Kind::Commitment, _) | PageJob::Facet(..) => "commitment-list.html",
            PageJob::KindIndex(..) | PageJob::ReportYear(..) => "list.html",
            PageJob::Keywords => "keywords.html",
            PageJob::Keyword(_) => "keyword.html",
            PageJob::Search => "search.html",
            PageJob::Alias(..) => super::templates::ALIAS_TEMPLATE,
            PageJob::Record(key) => return Some(self.templates.record_template(key.kind)),
            // The item files hold the items `commitment-item.html` rendered.
            PageJob::FilterItems(_) => ITEM_TEMPLATE,
            PageJob::FilterFacets => return None,
        };
        Some(name.to_string())
    }

    /// Where a page job is written (its folder, or its file for the not-found page), from
    /// the URL layout in [`paths`]; `None` for a job whose record or facet is gone, and for
    /// the filter data (files, not pages: the sitemap lists what this gives).
    pub(crate) fn path_of(&self, job: &PageJob) -> Option<String> {
        Some(match job {
            PageJob::Home => paths::HOME.to_string(),
            PageJob::NotFound => paths::NOT_FOUND.to_string(),
            PageJob::Search => paths::SEARCH.to_string(),
            PageJob::Keywords => paths::KEYWORDS.to_string(),
            PageJob::Keyword(slug) => paths::keyword(slug),
            PageJob::KindIndex(kind, n) => paths::list_page(&paths::kind_index(*kind), *n),
            PageJob::ReportYear(year, n) => paths::list_page(&paths::report_year(*year), *n),
            PageJob::Facet(fi, slug, n) => {
                paths::list_page(&paths::facet(self.facets.get(*fi)?.name, slug), *n)
            }
            PageJob::Record(key) => self.site.records.get(key)?.path(),
            PageJob::Alias(from, _) => from.clone(),
            PageJob::FilterFacets | PageJob::FilterItems(_) => return None,
        })
    }

    /// The pages an edit of the records in `changed` can alter when it changed no link, title
    /// or URL (the live preview checks that first): their own pages, the pages that show their
    /// texts, the index pages and filter data that show them as items, and the home page
    /// (counts, charts). `facets_changed`: some commitment's facet values moved, so every
    /// list's filter panel (counts), every page of every facet (items shift) and the filter
    /// data's facet file; the list of pages itself must be the same (the caller checks).
    pub(crate) fn pages_showing(
        &self,
        changed: &std::collections::BTreeSet<RecordKey>,
        facets_changed: bool,
    ) -> Vec<PageJob> {
        let mut jobs: std::collections::BTreeSet<PageJob> = std::collections::BTreeSet::new();
        jobs.insert(PageJob::Home);
        let (_, rank) = self.commitment_order();
        let filter = self.filter_enabled();
        for key in changed {
            jobs.insert(PageJob::Record(key.clone()));
            for (kind, keys) in self.links.related(key) {
                if shows_texts_of(kind, key.kind) {
                    jobs.extend(keys.into_iter().map(PageJob::Record));
                }
            }
            jobs.extend(self.shown_across(key).into_iter().map(PageJob::Record));
            if key.kind == Kind::Commitment {
                // The page of the index, of each facet value and the item file showing it.
                let Some(&at) = rank.get(key) else { continue };
                jobs.insert(PageJob::KindIndex(Kind::Commitment, lists::page_of(at)));
                if filter {
                    jobs.insert(PageJob::FilterItems(at / paths::FILTER_ITEMS_PER_FILE));
                }
                for (fi, ranks) in self.facet_ranks().iter().enumerate() {
                    for (slug, ranks) in ranks {
                        if let Ok(pos) = ranks.binary_search(&(at as u32)) {
                            let page = lists::page_of(pos);
                            jobs.insert(PageJob::Facet(fi, slug.to_string(), page));
                        }
                    }
                }
            } else if key.kind.has_index() {
                // Every page of its kind's index: the lists are short, and the order is the
                // index's own.
                let pages = paths::page_count(self.site.of_kind(key.kind).count());
                jobs.extend((1..=pages).map(|n| PageJob::KindIndex(key.kind, n)));
            }
            if let Some(RecordData::Report(rep)) = self.site.records.get(key).map(|r| &r.data) {
                let reports = self
                    .site
                    .of_kind(Kind::Report)
                    .filter(|r| matches!(&r.data, RecordData::Report(o) if o.year == rep.year))
                    .count();
                let pages = paths::page_count(reports);
                jobs.extend((1..=pages).map(|n| PageJob::ReportYear(rep.year, n)));
            }
        }
        if facets_changed {
            let pages = paths::page_count(rank.len());
            jobs.extend((1..=pages).map(|n| PageJob::KindIndex(Kind::Commitment, n)));
            for (fi, f) in self.facets.iter().enumerate() {
                for (slug, (_, members)) in &f.values {
                    let pages = paths::page_count(members.len());
                    jobs.extend((1..=pages).map(|n| PageJob::Facet(fi, slug.clone(), n)));
                }
            }
            if filter {
                jobs.insert(PageJob::FilterFacets);
            }
        }
        jobs.into_iter().collect()
    }

    /// Records whose pages show `key`'s text without being related to it: a self-report's
    /// first answer is on the pages of its transformation's commitments ("Reported on in"),
    /// and a commitment is on the pages of its transformation's self-reports.
    pub(crate) fn shown_across(&self, key: &RecordKey) -> Vec<RecordKey> {
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
            .flat_map(|t| self.links.related_of_kind(&t.key, shown_on))
            .collect()
    }

    /// HTML pages a build writes: one per job but the filter data, plus each record's embed
    /// page.
    pub(crate) fn page_count(&self) -> usize {
        let embeds = if self.settings.outputs.embeds {
            self.site.records.len()
        } else {
            0
        };
        let data = if self.filter_enabled() {
            1 + self.filter_item_files()
        } else {
            0
        };
        self.all_jobs().len() - data + embeds
    }
}
