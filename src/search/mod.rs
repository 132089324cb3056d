//! The search index: each record's entry (its terms counted per field, its codes and the file
//! results show) and the files the browser's search loads (see [`index`] and docs/search.md).
//! Below the render stage, which keeps entries for the live preview.

mod index;
mod tokenize;

pub(crate) use index::{index_files, is_index_file, record_file};
pub use tokenize::Rules;

use crate::model::*;

/// A field of a record's text, with its weight and BM25 length normalisation `b`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub weight: f64,
    pub b: f64,
}

/// The fields a record's terms are counted in. ID and title weigh far above headings and
/// keywords, which weigh above the text; `meta` (references, source, type) least.
pub(crate) const FIELDS: [Field; 6] = [
    Field {
        name: "id",
        weight: 8.0,
        b: 0.0,
    },
    Field {
        name: "title",
        weight: 6.0,
        b: 0.5,
    },
    Field {
        name: "keywords",
        weight: 2.5,
        b: 0.5,
    },
    Field {
        name: "headings",
        weight: 2.0,
        b: 0.5,
    },
    Field {
        name: "text",
        weight: 1.0,
        b: 0.75,
    },
    Field {
        name: "meta",
        weight: 0.3,
        b: 0.75,
    },
];
const ID: usize = 0;
const TITLE: usize = 1;
const KEYWORDS: usize = 2;
const META: usize = 5;

/// The most characters of a record's text a result's file holds for its snippet.
pub(crate) const SNIPPET_SOURCE_CHARS: usize = 6_000;

/// One record in the search index.
#[derive(Clone, Debug)]
pub(crate) struct SearchEntry {
    pub kind: Kind,
    /// The record's file for results, a JSON array: `[path, title, text]`.
    pub doc: String,
    /// The distinct terms in order, each followed by a space: one allocation per record, not
    /// one per term (a record has about 150, and the live preview keeps every record's entry).
    pub terms: String,
    /// How often each term occurs in each of the [`FIELDS`], in the order of `terms`.
    pub counts: Vec<[u16; FIELDS.len()]>,
    /// How many terms each field has.
    pub lengths: [u32; FIELDS.len()],
    /// The record's codes: its ID and its acronym as their terms joined by spaces (`3a`,
    /// `cc 01`, `hdx`); a query equal to one lists the record first.
    pub codes: Vec<String>,
}

impl SearchEntry {
    /// Each term with its counts per field.
    pub(crate) fn terms(&self) -> impl Iterator<Item = (&str, &[u16; FIELDS.len()])> {
        self.terms.split_terminator(' ').zip(self.counts.iter())
    }
}

/// How many records link to each of `keys`: in a field other than their source document
/// (every record names its source, which says nothing of the document's weight), or in their
/// Markdown. The index folds it into every weight of a record as a small prior (see
/// [`index::prior`]): the transformation that forty records file themselves under comes before
/// a document section of about the same score.
pub(crate) fn links_to<'k>(
    links: &crate::link::Links,
    keys: impl Iterator<Item = &'k RecordKey>,
) -> Vec<u32> {
    let mut count: rustc_hash::FxHashMap<&RecordKey, u32> = Default::default();
    for refs in links.outgoing.values() {
        let mut targets: Vec<&RecordKey> = refs
            .iter()
            .filter(|(field, _)| field != "source.document")
            .map(|(_, key)| key)
            .collect();
        targets.sort_unstable();
        targets.dedup();
        for t in targets {
            *count.entry(t).or_default() += 1;
        }
    }
    keys.map(|k| {
        count.get(k).copied().unwrap_or_default()
            + links.mentioned_by.get(k).map_or(0, |m| m.len() as u32)
    })
    .collect()
}

fn collect_strings(v: &serde_json::Value, skip: &[&str], out: &mut String) {
    match v {
        serde_json::Value::String(s) if !skip.contains(&s.as_str()) => {
            out.push_str(s);
            out.push(' ');
        }
        serde_json::Value::Number(n) => {
            out.push_str(&n.to_string());
            out.push(' ');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, skip, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| collect_strings(x, skip, out)),
        _ => {}
    }
}

/// The first `chars` characters of a record's first Markdown field as plain text, white space
/// collapsed: what feed entries show under the title.
pub(crate) fn excerpt(rec: &Record, chars: usize) -> String {
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

#[cfg(test)]
mod excerpt_tests {
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
}

/// The text of Markdown in reading order (for snippets), and its headings apart and the rest
/// apart (for the fields).
fn split_markdown(md: &str, all: &mut String, headings: &mut String, text: &mut String) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut in_heading = 0;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES) {
        let out = if in_heading > 0 {
            &mut *headings
        } else {
            &mut *text
        };
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading += 1,
            Event::End(TagEnd::Heading(_)) => {
                in_heading -= 1;
                headings.push(' ');
                all.push_str(". ");
            }
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                all.push_str(&t);
            }
            // Inline ends (emphasis, links) join their words to the next; blocks and breaks
            // separate them.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                out.push(' ');
                all.push(' ');
            }
            _ => {}
        }
    }
    all.push(' ');
}

/// `text` with white space collapsed, cut on a word boundary after at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 2));
    let mut chars = 0;
    for word in text.split_whitespace() {
        // The word and, after the first, the space before it.
        let n = word.chars().count() + usize::from(!out.is_empty());
        if chars + n > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        chars += n;
    }
    out
}

fn js_string(s: &str) -> String {
    // JSON is valid JavaScript; `</` is escaped so a shard can never close a script element.
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace("</", "<\\/")
}

/// Appends `s` as [`js_string`] writes it, without the copies for the common string that
/// needs no escape (every term and postings list: letters and digits only).
fn push_js_string(out: &mut String, s: &str) {
    if s.bytes()
        .any(|b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<'))
    {
        out.push_str(&js_string(s));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// One record's entry in the search index: its terms counted in each of the [`FIELDS`], its
/// codes and its file for results. Both take `page_title`, the title its page has: a
/// self-report's names its transformation in full, so "2017 displacement" finds the 2017
/// self-report on 3A (the transformation still comes first for its own words: its title is
/// shorter and more records link to it).
pub(crate) fn search_entry(rec: &Record, page_title: &str, rules: &Rules) -> SearchEntry {
    let acronym = match &rec.data {
        RecordData::Initiative(i) => i.acronym.clone(),
        _ => None,
    };
    let mut fields: [String; FIELDS.len()] = Default::default();
    fields[ID] = format!("{} {}", rec.id, acronym.as_deref().unwrap_or_default());
    fields[TITLE] = page_title.to_string();
    fields[KEYWORDS] = rec.keywords().join(" ; ");
    let markdown = rec.markdown_fields();
    let mut reading = String::new();
    {
        let [.., headings, text, _] = &mut fields;
        for (_, md) in &markdown {
            split_markdown(md, &mut reading, headings, text);
        }
    }
    // Everything else the record says (names, references, source, type), except its
    // Markdown texts, counted above.
    let texts: Vec<&str> = markdown.iter().map(|(_, md)| *md).collect();
    let data = serde_json::to_value(&rec.data).unwrap_or_default();
    collect_strings(&data, &texts, &mut fields[META]);
    if reading.trim().is_empty() {
        // No text of its own (a funding table, a transformation): the snippet comes from its
        // other fields, without its source.
        let mut data = data;
        if let Some(o) = data.as_object_mut() {
            o.remove("source");
        }
        collect_strings(&data, &[], &mut reading);
    }

    // A string is made only for a term seen first; repeats only count.
    let mut counts: rustc_hash::FxHashMap<String, [u16; FIELDS.len()]> = Default::default();
    let mut lengths = [0u32; FIELDS.len()];
    let mut word = String::new();
    for (f, text) in fields.iter().enumerate() {
        rules.for_each_term(text, &mut word, |t| {
            lengths[f] += 1;
            let n = match counts.get_mut(t) {
                Some(n) => n,
                None => counts.entry(t.to_string()).or_default(),
            };
            n[f] = n[f].saturating_add(1);
        });
    }
    let mut counts: Vec<(String, [u16; FIELDS.len()])> = counts.into_iter().collect();
    counts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut terms = String::with_capacity(counts.iter().map(|(t, _)| t.len() + 1).sum());
    let mut per_field = Vec::with_capacity(counts.len());
    for (t, n) in counts {
        terms.push_str(&t);
        terms.push(' ');
        per_field.push(n);
    }

    let mut codes = Vec::new();
    for code in std::iter::once(rec.id.as_str()).chain(acronym.as_deref()) {
        let terms = rules.terms(code);
        let key = terms.join(" ");
        if (1..=3).contains(&terms.len()) && !codes.contains(&key) {
            codes.push(key);
        }
    }
    let snippet = clip(&reading, SNIPPET_SOURCE_CHARS);
    let mut doc = String::with_capacity(snippet.len() + page_title.len() + 64);
    doc.push('[');
    push_js_string(&mut doc, &rec.path());
    doc.push(',');
    push_js_string(&mut doc, page_title);
    doc.push(',');
    push_js_string(&mut doc, &snippet);
    doc.push(']');
    SearchEntry {
        kind: rec.kind(),
        doc,
        terms,
        counts: per_field,
        lengths,
        codes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_on_word_boundaries() {
        assert_eq!(clip("  one two\nthree  four ", 13), "one two three");
        assert_eq!(clip("one two three", 100), "one two three");
        assert_eq!(clip("ééé ééé", 5), "ééé");
    }

    #[test]
    fn markdown_headings_are_apart() {
        let (mut all, mut h, mut t) = Default::default();
        split_markdown("## In focus\n\nThe *text* here.", &mut all, &mut h, &mut t);
        assert_eq!(h.trim(), "In focus");
        assert_eq!(
            t.split_whitespace().collect::<Vec<_>>(),
            ["The", "text", "here."]
        );
        assert!(all.starts_with("In focus. The text here."), "{all}");
    }
}
