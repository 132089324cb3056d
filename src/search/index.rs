//! The index files the browser's search loads. All are scripts calling `pactgenSearch.*`, not
//! JSON, so the search also works from `file://`, where browsers refuse `fetch`:
//!
//! - `search/meta.js`: the tokenizer's rules, the record count, the kinds (records are numbered
//!   kind by kind), BM25's constants and the first term of every postings shard;
//! - `search/p<i>.js`: postings shards, the terms in sorted order cut into files of about
//!   [`SHARD_BYTES`]: for each term, the records that have it with the term's weight in each
//!   (BM25's term-frequency part with the field weights, see below), and the codes (`3a`,
//!   `cc 01`) whose first term it is;
//! - `search/f<n>.js`: the terms of `n` letters with their document frequency, for typo
//!   tolerance and "did you mean";
//! - `search/r/<i>.js`: record `i`'s path, title and text, loaded for the results shown.
//!
//! A term's weight in a record is BM25F's term-frequency part (Robertson and Zaragoza, "The
//! Probabilistic Relevance Framework: BM25 and Beyond", 2009), computed here since the build
//! knows every field's length: the fields' counts are summed first, each times its weight and
//! divided by its length normalisation, `tf = Σ weight × count / (1 − b + b × length / average
//! length)`, then saturated once, `tf × (k1 + 1) / (tf + k1)`, times [`SCALE`], rounded (at
//! least 1). A title match thus earns most of what a term can give, and more mentions in the
//! text add little. The browser multiplies the weight by the term's IDF, which it computes from
//! the postings' length.

use super::{FIELDS, Rules, SearchEntry, push_js_string};
use crate::model::Kind;
use rayon::prelude::*;

/// BM25's term-frequency saturation.
pub(super) const K1: f64 = 1.2;
/// Weights are written as whole numbers: the weight times this.
pub(super) const SCALE: f64 = 100.0;
/// A postings shard is cut after the term that takes it past this many bytes.
pub(super) const SHARD_BYTES: usize = 32 * 1024;

/// Whether `path` is a file of the search index (not the search page itself).
pub(crate) fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

/// The 64 digits of the postings' numbers: a number is written 5 bits at a time, lowest first,
/// each group but the last with 32 added (`0`-`9a-v` end a number, `w`-`z`, `A`-`Z`, `-`, `_`
/// continue it).
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

fn push_number(out: &mut String, mut n: u32) {
    while n >= 32 {
        out.push(DIGITS[(32 + (n & 31)) as usize] as char);
        n >>= 5;
    }
    out.push(DIGITS[n as usize] as char);
}

/// The tie-break rank of each kind (0 first): records a reader usually wants ahead of
/// self-reports, sections and documents of about the same score.
pub(crate) fn kind_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Transformation | Kind::Commitment | Kind::Initiative => 0,
        Kind::CoreResponsibility
        | Kind::CoreCommitment
        | Kind::ActionPlan
        | Kind::FundingTable
        | Kind::Organisation
        | Kind::Page
        | Kind::Glossary => 1,
        Kind::Report | Kind::Section | Kind::Document => 2,
    }
}

/// How much links to a record raise its weights: `1 + PRIOR × ln(1 + links)`.
pub(super) const PRIOR: f64 = 0.1;

/// The factor of a record that `links` records link to.
pub(super) fn prior(links: u32) -> f64 {
    1.0 + PRIOR * f64::from(links).ln_1p()
}

/// Record `i`'s file for the results shown, `search/r/<i>.js`. Not among [`index_files`]: the
/// caller writes each as it is made (ten thousand of them would otherwise sit in memory at
/// once, fresh pages the kernel must clear).
pub(crate) fn record_file(i: usize, entry: &SearchEntry) -> (String, Vec<u8>) {
    (
        format!("search/r/{i}.js"),
        format!("pactgenSearch.record({i},{});\n", entry.doc).into_bytes(),
    )
}

/// The full-text index for `entries` (grouped by kind, in the order results are numbered),
/// but for the records' own files ([`record_file`]); `links[i]`: how many records link to
/// entry `i` ([`super::links_to`]).
pub(crate) fn index_files<E: std::borrow::Borrow<SearchEntry> + Sync>(
    entries: &[E],
    links: &[u32],
    rules: &Rules,
) -> Vec<(String, Vec<u8>)> {
    let n = entries.len();
    let mut avg = [0f64; FIELDS.len()];
    for e in entries {
        for (a, l) in avg.iter_mut().zip(e.borrow().lengths) {
            *a += f64::from(l);
        }
    }
    for a in &mut avg {
        *a = (*a / n.max(1) as f64).max(1.0);
    }

    // Each record's weight for each of its terms, in parallel; then the postings, in record
    // order. FxHash: 1.5 million term lookups at 10,000 records; SipHash's DoS resistance buys
    // nothing for a build's own text.
    let weighted: Vec<Vec<u32>> = entries
        .par_iter()
        .zip(links)
        .map(|(e, &links)| {
            let e = e.borrow();
            let prior = prior(links);
            // Each field's weight over its length normalisation.
            let per: [f64; FIELDS.len()] = std::array::from_fn(|f| {
                FIELDS[f].weight
                    / (1.0 - FIELDS[f].b + FIELDS[f].b * f64::from(e.lengths[f]) / avg[f])
            });
            e.counts
                .iter()
                .map(|tf| {
                    let tf: f64 = tf.iter().zip(per).map(|(&c, p)| f64::from(c) * p).sum();
                    let w = prior * tf * (K1 + 1.0) / (tf + K1);
                    ((w * SCALE).round() as u32).max(1)
                })
                .collect()
        })
        .collect();
    let mut postings: rustc_hash::FxHashMap<&str, (String, u32, u32)> = Default::default();
    let mut codes: rustc_hash::FxHashMap<&str, Vec<(&str, u32)>> = Default::default();
    for (doc, (e, weights)) in (0u32..).zip(entries.iter().zip(&weighted)) {
        let e = e.borrow();
        for ((term, _), &w) in e.terms().zip(weights) {
            let (list, last, df) = postings.entry(term).or_default();
            push_number(list, doc - *last);
            push_number(list, w);
            *last = doc;
            *df += 1;
        }
        for code in &e.codes {
            let first = code.split(' ').next().unwrap_or_default();
            codes.entry(first).or_default().push((code, doc));
        }
    }
    let mut terms: Vec<(&str, String, u32)> = postings
        .into_iter()
        .map(|(t, (list, _, df))| (t, list, df))
        .collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));

    // Postings shards: consecutive terms up to SHARD_BYTES each.
    let mut shards: Vec<(String, String, String)> = Vec::new(); // (first term, postings, codes)
    let mut sizes = Vec::new();
    let mut entry = String::new();
    for (term, list, _) in &terms {
        entry.clear();
        push_js_string(&mut entry, term);
        entry.push(':');
        push_js_string(&mut entry, list);
        let full = shards
            .last()
            .is_none_or(|(_, body, _)| body.len() + entry.len() > SHARD_BYTES && !body.is_empty());
        if full {
            shards.push((term.to_string(), String::new(), String::new()));
        }
        let Some((_, body, code_body)) = shards.last_mut() else {
            continue;
        };
        if !body.is_empty() {
            body.push(',');
        }
        body.push_str(&entry);
        if let Some(list) = codes.get_mut(term) {
            list.sort_unstable();
            let mut k = 0;
            while k < list.len() {
                let key = list[k].0;
                if !code_body.is_empty() {
                    code_body.push(',');
                }
                push_js_string(code_body, key);
                code_body.push_str(":[");
                let mut first = true;
                while k < list.len() && list[k].0 == key {
                    if !first {
                        code_body.push(',');
                    }
                    first = false;
                    code_body.push_str(&list[k].1.to_string());
                    k += 1;
                }
                code_body.push(']');
            }
        }
    }
    let mut files = Vec::with_capacity(shards.len() + 45);
    let mut firsts = Vec::with_capacity(shards.len());
    for (i, (first, body, code_body)) in shards.into_iter().enumerate() {
        let js = format!("pactgenSearch.postings({i},{{{body}}},{{{code_body}}});\n");
        sizes.push(js.len());
        firsts.push(first);
        files.push((format!("search/p{i}.js"), js.into_bytes()));
    }

    // Terms of letters only, by length, for typo tolerance.
    let mut by_length: std::collections::BTreeMap<usize, String> = Default::default();
    for (term, _, df) in &terms {
        let len = term.chars().count();
        if len >= 4 && term.chars().all(char::is_alphabetic) {
            let list = by_length.entry(len).or_default();
            if !list.is_empty() {
                list.push(',');
            }
            push_js_string(list, term);
            list.push(',');
            list.push_str(&df.to_string());
        }
    }
    let lengths: Vec<usize> = by_length.keys().copied().collect();
    for (len, list) in by_length {
        files.push((
            format!("search/f{len}.js"),
            format!("pactgenSearch.vocabulary({len},[{list}]);\n").into_bytes(),
        ));
    }

    // Kinds in record order, as [name, label, plural label, first record, count, rank].
    let mut kinds: Vec<serde_json::Value> = Vec::new();
    let mut start = 0;
    while start < n {
        let kind = entries[start].borrow().kind;
        let count = entries[start..]
            .iter()
            .take_while(|e| e.borrow().kind == kind)
            .count();
        kinds.push(serde_json::json!([
            kind.name(),
            kind.label(),
            kind.plural_label(),
            start,
            count,
            kind_rank(kind)
        ]));
        start += count;
    }
    let meta = serde_json::json!({
        "records": n,
        "kinds": kinds,
        "rules": rules.to_json(),
        "k1": K1,
        "prior": PRIOR,
        "scale": SCALE,
        "fields": FIELDS.iter().map(|f| serde_json::json!([f.name, f.weight, f.b])).collect::<Vec<_>>(),
        "shards": firsts,
        "shardBytes": sizes,
        "vocabulary": lengths,
    });
    let meta = serde_json::to_string(&meta)
        .unwrap_or_default()
        .replace("</", "<\\/");
    files.insert(
        0,
        (
            "search/meta.js".to_string(),
            format!("pactgenSearch.meta({meta});\n").into_bytes(),
        ),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (mut n, mut shift) = (0u32, 0);
        for b in s.bytes() {
            let d = DIGITS.iter().position(|&x| x == b).expect("a digit") as u32;
            if d >= 32 {
                n |= (d - 32) << shift;
                shift += 5;
            } else {
                out.push(n | d << shift);
                n = 0;
                shift = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_round_trip() {
        let numbers = [0, 1, 31, 32, 33, 1023, 1024, 99_999, u32::MAX];
        let mut s = String::new();
        for n in numbers {
            push_number(&mut s, n);
        }
        assert_eq!(decode(&s), numbers);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
