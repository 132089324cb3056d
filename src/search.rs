//! The search index: each record's entry (its weighted terms and the line results show) and
//! the files the browser's search loads, `search/docs.js` and a shard of terms per first
//! character. Below the render stage, which keeps entries for the live preview.

use crate::model::*;
use rayon::prelude::*;

/// One record in the search index: its entry in `search/docs.js` and its weighted terms.
#[derive(Clone, Debug)]
pub struct SearchEntry {
    pub doc: String,
    /// The distinct terms in order, each followed by a space (terms are `[a-z0-9]+`): one
    /// allocation per record, not one per term (a record has about 150, and the live preview
    /// keeps every record's entry).
    pub terms: String,
    /// The weight of each term, in the same order.
    pub weights: Vec<u32>,
}
impl SearchEntry {
    /// Each term with its weight.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.terms
            .split_terminator(' ')
            .zip(self.weights.iter().copied())
    }
}

/// Words too common to be worth an index entry.
const STOPWORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "for", "on", "a", "an", "by", "with", "as", "at", "is", "are",
    "be", "or", "its", "it", "this", "that", "from", "which", "will", "has", "have", "was", "were",
    "their", "these", "such", "into", "also", "not",
];

/// Calls `f` with each search term of `text`: its lower-case ASCII words, accents folded, 2 to
/// 40 characters, stopwords left out — the same rule as `search.js`. Each term is made in
/// `word`, a buffer reused from term to term and from call to call.
fn for_each_term(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    let mut flush = |word: &mut String| {
        if word.len() >= 2 && word.len() <= 40 && !STOPWORDS.contains(&word.as_str()) {
            f(word);
        }
        word.clear();
    };
    word.clear();
    for c in text.chars() {
        let c = crate::text::fold_accent(c).to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            flush(word);
        }
    }
    flush(word);
}

fn collect_strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(s);
            out.push(' ');
        }
        serde_json::Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push(' ');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

fn js_string(s: &str) -> String {
    // JSON is valid JavaScript; `</` is escaped so a shard can never close a script element.
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

/// At most `chars` characters of a record's first Markdown field as plain text, white space
/// collapsed: what search results and feed entries show under the title. A text cut short ends
/// at a whole word and with "…".
pub fn excerpt(rec: &Record, chars: usize) -> String {
    let text = rec
        .markdown_fields()
        .first()
        .map(|(_, md)| crate::text::plain_text(md))
        .unwrap_or_default();
    cut_at_word(
        &text.split_whitespace().collect::<Vec<_>>().join(" "),
        chars,
    )
}

/// `text` (white space collapsed) if it has at most `chars` characters; else its words that fit
/// in `chars` characters and " …" (the first word cut, if even that does not fit).
fn cut_at_word(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let head: String = text.chars().take(chars).collect();
    let next_is_space = text.chars().nth(chars) == Some(' ');
    let kept = if next_is_space {
        head.as_str()
    } else {
        head.rsplit_once(' ')
            .map_or(head.as_str(), |(words, _)| words)
    };
    // A no-break space: the ellipsis never starts a line of its own.
    format!("{}\u{a0}…", kept.trim_end_matches([',', ';', ':', ' ']))
}

/// One record's entry in the search index: its row of `search/docs.js` and its terms with
/// their weights (title and ID words weigh five times a word of the text).
pub fn search_entry(rec: &Record) -> SearchEntry {
    let title = rec.title();
    let mut text = String::new();
    collect_strings(
        &serde_json::to_value(&rec.data).unwrap_or_default(),
        &mut text,
    );
    if let Some((body, _)) = &rec.body {
        text.push_str(&crate::text::plain_text(body));
    }
    let excerpt = excerpt(rec, 180);
    // A string is made only for a term seen first; repeats only count.
    let mut counts: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut word = String::new();
    let mut count = |text: &str, weight: u32| {
        for_each_term(text, &mut word, |t| match counts.get_mut(t) {
            Some(n) => *n += weight,
            None => {
                counts.insert(t.to_string(), weight);
            }
        });
    };
    count(&title, 5);
    count(&rec.id, 5);
    count(&text, 1);
    let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut terms = String::with_capacity(counts.iter().map(|(t, _)| t.len() + 1).sum());
    let mut weights = Vec::with_capacity(counts.len());
    for (t, n) in counts {
        terms.push_str(&t);
        terms.push(' ');
        weights.push(n);
    }
    SearchEntry {
        doc: format!(
            "[{},{},{},{}]",
            js_string(&rec.path()),
            js_string(&title),
            js_string(rec.kind().label()),
            js_string(&excerpt)
        ),
        terms,
        weights,
    }
}

/// The full-text index: `search/docs.js` (one entry per record, in the order given) and one
/// shard of terms per first character (`search/t-a.js` ...), loaded on demand by `search.js`.
/// Shards are JS, not JSON, so the search also works from `file://`, where browsers refuse
/// `fetch`.
pub fn index_files<E: std::borrow::Borrow<SearchEntry> + Sync>(
    entries: &[E],
) -> Vec<(String, Vec<u8>)> {
    use std::collections::BTreeMap;
    let mut files = Vec::new();
    const DOCS_OPEN: &str = "pactgenSearch.docs([";
    const DOCS_CLOSE: &str = "]);\n";
    // Sized up front: grown by doubling, the file (31 MB at 100,000 records) was copied into
    // ever larger fresh memory.
    let docs_len = entries
        .iter()
        .map(|e| e.borrow().doc.len() + 1)
        .sum::<usize>();
    let mut docs = String::with_capacity(DOCS_OPEN.len() + docs_len + DOCS_CLOSE.len());
    docs.push_str(DOCS_OPEN);
    // FxHash: 1.5 million term lookups at 10,000 records; SipHash's DoS resistance buys
    // nothing for a build's own text. A posting is (document, weight) in 8 bytes: a common
    // term has one per record.
    let mut postings: rustc_hash::FxHashMap<&str, Vec<(u32, u32)>> = Default::default();
    for (i, entry) in (0u32..).zip(entries) {
        let entry = entry.borrow();
        for (term, n) in entry.terms() {
            postings.entry(term).or_default().push((i, n));
        }
        if i > 0 {
            docs.push(',');
        }
        docs.push_str(&entry.doc);
    }
    docs.push_str(DOCS_CLOSE);
    files.push(("search/docs.js".to_string(), docs.into_bytes()));
    type Postings<'t> = Vec<(&'t str, Vec<(u32, u32)>)>;
    let mut shards: BTreeMap<char, Postings> = BTreeMap::new();
    for (term, list) in postings {
        let first = term.chars().next().unwrap_or('_');
        shards.entry(first).or_default().push((term, list));
    }
    let shards: Vec<(char, String)> = shards
        .into_par_iter()
        .map(|(c, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            // Sized up front from the postings' digits, not grown by doubling.
            let size: usize = terms
                .iter()
                .map(|(term, list)| {
                    let postings: usize =
                        list.iter().map(|(d, n)| digits(*d) + digits(*n) + 2).sum();
                    term.len() + 6 + postings
                })
                .sum();
            let capacity = size + 32;
            let mut js = String::with_capacity(capacity);
            js.push_str(&format!(
                "pactgenSearch.terms({},{{",
                js_string(&c.to_string())
            ));
            let mut num = itoa::Buffer::new();
            for (k, (term, list)) in terms.iter().enumerate() {
                if k > 0 {
                    js.push(',');
                }
                js.push_str(&js_string(term));
                js.push_str(":[");
                for (j, (d, n)) in list.iter().enumerate() {
                    if j > 0 {
                        js.push(',');
                    }
                    js.push_str(num.format(*d));
                    js.push(',');
                    js.push_str(num.format(*n));
                }
                js.push(']');
            }
            js.push_str("});\n");
            // The estimate above must follow the format written here (tests build in debug).
            debug_assert!(js.len() <= capacity, "shard {c}: {} > {capacity}", js.len());
            (c, js)
        })
        .collect();
    for (c, js) in shards {
        files.push((format!("search/t-{c}.js"), js.into_bytes()));
    }
    files
}

/// How many decimal digits `n` is written with.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |log| log as usize + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_end_at_a_whole_word() {
        assert_eq!(super::cut_at_word("short text", 20), "short text");
        assert_eq!(
            super::cut_at_word("manages a USD 3 billion budget", 18),
            "manages a USD 3\u{a0}…"
        );
        assert_eq!(super::cut_at_word("one two, three", 8), "one two\u{a0}…");
        assert_eq!(super::cut_at_word("one two three", 7), "one two\u{a0}…");
        assert_eq!(super::cut_at_word("unbreakable", 4), "unbr\u{a0}…");
    }

    use super::*;

    #[test]
    fn digits_counts_decimal_digits() {
        for n in [0, 1, 9, 10, 99, 100, 4_095, 100_000, 999_999, u32::MAX] {
            assert_eq!(digits(n), n.to_string().len(), "{n}");
        }
    }

    fn search_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn search_terms_fold_case_and_accents() {
        assert_eq!(
            search_terms("Côte d'Ivoire, DTM 200010 and the 3A"),
            ["cote", "ivoire", "dtm", "200010", "3a"]
        );
    }
}
