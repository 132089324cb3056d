//! The facets of the commitments index: the fields commitments are filtered by, defined in
//! one table ([`VALUES`], beside their names and labels in [`paths::COMMITMENT_FACETS`]),
//! computed once after the link stage and used by the renderer (filter bars, facet pages, list
//! items) and by the live preview (to see whether an edit moved a commitment's values).

use crate::link::{self, Links};
use crate::model::*;
use crate::paths;
use crate::text;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// A facet of the commitments index: a field commitments can be filtered by.
#[derive(Clone, PartialEq, Debug)]
pub(crate) struct Facet {
    pub name: &'static str,
    pub label: &'static str,
    /// Value slug → (label, commitments carrying it).
    pub values: BTreeMap<String, (String, BTreeSet<RecordKey>)>,
}

/// A commitment's values per facet shown (facet name, its slugs joined by spaces): what its
/// list item carries for the client-side filter. Plain pairs, not a JSON object per
/// commitment: 100,000 of them are kept from the start of rendering to the end.
pub(crate) type FacetSlugs = Box<[(&'static str, String)]>;

/// The facets that have values, and each commitment's slugs in them.
#[derive(Default, Clone, PartialEq, Debug)]
pub(crate) struct Facets {
    pub list: Vec<Facet>,
    pub slugs: rustc_hash::FxHashMap<RecordKey, FacetSlugs>,
}

impl Facets {
    /// The facet pages: (facet, value, number of pages of its list). The live preview compares
    /// them: when a value appears, goes or its list gains or loses a page, the pages a build
    /// writes change.
    pub(crate) fn pages(&self) -> Vec<(&str, &str, usize)> {
        self.list
            .iter()
            .flat_map(|f| {
                f.values.iter().map(move |(slug, (_, members))| {
                    (f.name, slug.as_str(), paths::page_count(members.len()))
                })
            })
            .collect()
    }
}

/// What the facets look up, made once for all commitments: report years by transformation,
/// titles of the records facet values name.
pub(crate) struct Lookups<'s> {
    years_of: rustc_hash::FxHashMap<String, Vec<String>>,
    labels: rustc_hash::FxHashMap<&'s RecordKey, String>,
    links: &'s Links,
}

impl<'s> Lookups<'s> {
    pub(crate) fn new(site: &'s Site, links: &'s Links) -> Self {
        let mut years_of: rustc_hash::FxHashMap<String, Vec<String>> = Default::default();
        for r in site.of_kind(Kind::Report) {
            if let RecordData::Report(rep) = &r.data {
                years_of
                    .entry(rep.transformation.to_lowercase())
                    .or_default()
                    .push(rep.year.to_string());
            }
        }
        let labels = [
            Kind::CoreResponsibility,
            Kind::Transformation,
            Kind::Initiative,
            Kind::Organisation,
        ]
        .into_iter()
        .flat_map(|kind| site.of_kind(kind))
        .map(|r| {
            let label = if r.kind() == Kind::CoreResponsibility {
                r.short_title()
            } else {
                r.title()
            };
            (&r.key, label)
        })
        .collect();
        Lookups {
            years_of,
            labels,
            links,
        }
    }

    fn label_of(&self, kind: Kind, id: &str) -> Cow<'_, str> {
        match self.labels.get(&RecordKey::new(kind, id)) {
            Some(label) => Cow::Borrowed(label.as_str()),
            None => Cow::Owned(id.to_string()),
        }
    }
}

/// The values (slug, label) one facet gives one commitment.
type Values<'l> = Vec<(String, Cow<'l, str>)>;
type Extract = for<'l> fn(&'l Lookups, &'l Record, &'l Commitment) -> Values<'l>;

/// How each facet of [`paths::COMMITMENT_FACETS`] (same order) finds a commitment's values.
pub(crate) const VALUES: [Extract; 7] = [
    // core responsibility
    |l, _, c| {
        c.core_responsibilities
            .iter()
            .map(|n| {
                let n = n.to_string();
                let label = l.label_of(Kind::CoreResponsibility, &n);
                (n, label)
            })
            .collect()
    },
    // transformation
    |l, _, c| {
        c.transformations
            .iter()
            .map(|t| (t.to_lowercase(), l.label_of(Kind::Transformation, t)))
            .collect()
    },
    // type
    |_, _, c| {
        let ty = c.commitment_type.name();
        vec![(ty.to_lowercase(), Cow::Borrowed(ty))]
    },
    // keyword: its own, and its reports'
    |l, _, c| {
        l.links
            .commitment_keywords(c)
            .into_iter()
            .map(|k| (text::slugify(k), Cow::Borrowed(k)))
            .collect()
    },
    // initiative: related either way
    |l, rec, _| {
        l.links
            .related_keys(&rec.key)
            .filter(|key| key.kind == Kind::Initiative)
            .filter_map(|key| {
                let label = l.labels.get(key)?;
                Some((key.id.clone(), Cow::Borrowed(label.as_str())))
            })
            .collect()
    },
    // self-report year: the years its transformations were reported on
    |l, _, c| {
        c.transformations
            .iter()
            .flat_map(|t| l.years_of.get(&t.to_lowercase()).into_iter().flatten())
            .map(|y| (y.clone(), Cow::Borrowed(y.as_str())))
            .collect()
    },
    // organisation: the commitment's own, or the site's (the resolved reference, so the
    // value is the organisation's record whatever the case it is written in)
    |l, rec, _| {
        l.links
            .related_keys(&rec.key)
            .filter(|key| key.kind == Kind::Organisation)
            .filter_map(|key| {
                let label = l.labels.get(key)?;
                Some((key.id.clone(), Cow::Borrowed(label.as_str())))
            })
            .collect()
    },
];

const _: () = assert!(VALUES.len() == paths::COMMITMENT_FACETS.len());

/// A commitment's values in every facet (sorted slugs), to tell whether an edit moved them.
pub(crate) fn values_of(lookups: &Lookups, rec: &Record) -> Vec<Vec<String>> {
    let RecordData::Commitment(c) = &rec.data else {
        return Vec::new();
    };
    VALUES
        .iter()
        .map(|extract| {
            let mut slugs: Vec<String> = extract(lookups, rec, c)
                .into_iter()
                .map(|(s, _)| s)
                .collect();
            slugs.sort_unstable();
            slugs.dedup();
            slugs
        })
        .collect()
}

/// The commitment facets, and for each commitment the slugs it carries in every facet.
/// Each commitment's values are worked out on their own (in parallel); the facets are then
/// gathered in record order and each value's set built at once from its already sorted keys.
/// (One insert per value and commitment, labels made for every call and the whole relation
/// map built to find initiatives took 1.2 s at 100,000 commitments.)
pub(crate) fn compute(site: &Site, links: &Links) -> Facets {
    let lookups = Lookups::new(site, links);
    let commitments: Vec<&Record> = site.of_kind(Kind::Commitment).collect();
    let per_commitment: Vec<[Values; VALUES.len()]> = commitments
        .par_iter()
        .map(|rec| match &rec.data {
            RecordData::Commitment(c) => VALUES.map(|extract| extract(&lookups, rec, c)),
            _ => Default::default(),
        })
        .collect();
    let gathered: Vec<link::Gathered> = (0..VALUES.len())
        .into_par_iter()
        .map(|fi| {
            let mut values = link::Gathered::new();
            for (rec, v) in commitments.iter().zip(&per_commitment) {
                for (slug, label) in &v[fi] {
                    link::gather(&mut values, slug, label, &rec.key);
                }
            }
            values
        })
        .collect();
    let list: Vec<Facet> = paths::COMMITMENT_FACETS
        .iter()
        .zip(gathered)
        .filter(|(_, values)| !values.is_empty())
        .map(|(&(name, label), values)| Facet {
            name,
            label,
            values: link::into_sets(values),
        })
        .collect();
    // Each commitment's slugs per facet shown, sorted and without repeats (the order the
    // facet sets give them).
    let shown: Vec<usize> = paths::COMMITMENT_FACETS
        .iter()
        .enumerate()
        .filter(|(_, (name, _))| list.iter().any(|f| f.name == *name))
        .map(|(fi, _)| fi)
        .collect();
    let slugs: Vec<(RecordKey, FacetSlugs)> = commitments
        .par_iter()
        .zip(&per_commitment)
        .filter(|(_, v)| shown.iter().any(|&fi| !v[fi].is_empty()))
        .map(|(rec, v)| {
            let map = shown
                .iter()
                .map(|&fi| {
                    let mut slugs: Vec<&str> = v[fi].iter().map(|(s, _)| s.as_str()).collect();
                    slugs.sort_unstable();
                    slugs.dedup();
                    (paths::COMMITMENT_FACETS[fi].0, slugs.join(" "))
                })
                .collect();
            (rec.key.clone(), map)
        })
        .collect();
    Facets {
        list,
        slugs: slugs.into_iter().collect(),
    }
}
