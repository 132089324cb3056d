//! The search tokenizer: the one definition of how text becomes search terms. The index holds
//! its rules ([`Rules::to_json`], in `search/meta.js`), and the browser's `search.js` applies
//! exactly those: the folding table, the stopwords, the word lengths and the suffix rules.
//! `tests/search_tokenizer.rs` runs both on the same words and requires the same terms.
//!
//! A term is made from a run of word characters:
//! 1. each character is folded: an ASCII letter or digit is lowercased; a character of the
//!    folding table (Latin letters with accents and ligatures: `é` → `e`, `ß` → `ss`) becomes
//!    its ASCII letters; any other letter or digit of the Basic Multilingual Plane is
//!    lowercased (`char::to_lowercase`, `String.prototype.toLowerCase` on one character); every
//!    other character separates words;
//! 2. a word is kept when it has 2 to 40 characters (a single digit is kept too: core
//!    responsibility `3`) and is not a stopword of the site's language;
//! 3. the first suffix rule of the language that applies rewrites its end (English: plurals,
//!    `communities` → `community`, `displacements` → `displacement`).

use std::sync::OnceLock;

/// Longest word kept, in characters.
pub(super) const MAX_LEN: usize = 40;
/// Shortest word kept, in characters (a single digit is kept too).
pub(super) const MIN_LEN: usize = 2;

/// Words too common to be worth an index entry (English).
const STOPWORDS_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "such", "that", "the", "their", "these", "this", "to",
    "was", "were", "which", "will", "with",
];

/// No stopword is longer (a test checks it).
const STOPWORD_MAX_BYTES: usize = 5;

/// A suffix rule: a word of at least `min_len` characters ending in `suffix`, but in none of
/// `unless`, has the suffix replaced by `with`.
#[derive(Debug, Clone, Copy)]
pub struct SuffixRule {
    pub suffix: &'static str,
    pub unless: &'static [&'static str],
    pub with: &'static str,
    pub min_len: usize,
}

/// English plurals, after Harman's S-stemmer ("How effective is suffixing?", JASIS 1991),
/// with `sses` → `ss` and `is` kept (`processes` → `process`, `crisis` stays): light enough
/// that a term is still a word a reader knows, so "did you mean" can show it.
const SUFFIXES_EN: &[SuffixRule] = &[
    SuffixRule {
        suffix: "sses",
        unless: &[],
        with: "ss",
        min_len: 5,
    },
    SuffixRule {
        suffix: "ies",
        unless: &["aies", "eies"],
        with: "y",
        min_len: 5,
    },
    SuffixRule {
        suffix: "s",
        unless: &["ss", "us", "is"],
        with: "",
        min_len: 4,
    },
];

/// The tokenizer's rules for one site language.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// `english` when the site's language is English (`en`, `en-GB` ...), else `none`:
    /// stopwords and suffix rules exist for English only; other languages are folded and
    /// split the same way, without either.
    pub language: &'static str,
    /// Words left out of the index, sorted.
    pub stopwords: &'static [&'static str],
    /// Suffixes removed from a word, the first that applies.
    pub suffixes: &'static [SuffixRule],
}

impl Rules {
    /// The rules for a site whose `language` (a BCP 47 tag) is `lang`.
    pub fn for_language(lang: &str) -> Rules {
        let primary = lang.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Rules {
                language: "english",
                stopwords: STOPWORDS_EN,
                suffixes: SUFFIXES_EN,
            }
        } else {
            Rules {
                language: "none",
                stopwords: &[],
                suffixes: &[],
            }
        }
    }

    /// The rules as the browser reads them from `search/meta.js`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "language": self.language,
            "minLength": MIN_LEN,
            "maxLength": MAX_LEN,
            "stopwords": self.stopwords,
            "suffixes": self.suffixes.iter().map(|r| serde_json::json!([r.suffix, r.unless, r.with, r.min_len])).collect::<Vec<_>>(),
            "fold": fold_table().iter().map(|(c, s)| (c.to_string(), serde_json::Value::from(*s))).collect::<serde_json::Map<_, _>>(),
        })
    }

    fn is_stopword(&self, word: &str) -> bool {
        // Most words are longer than any stopword: no search for them (this runs for every
        // word of every record).
        word.len() <= STOPWORD_MAX_BYTES && self.stopwords.binary_search(&word).is_ok()
    }

    /// The term of a folded word: `None` for a stopword or a word too short or too long.
    /// `chars` is the word's length in characters.
    pub fn term<'w>(&self, word: &'w str, chars: usize) -> Option<std::borrow::Cow<'w, str>> {
        let digit = chars == 1 && word.as_bytes()[0].is_ascii_digit();
        if !(MIN_LEN..=MAX_LEN).contains(&chars) && !digit || self.is_stopword(word) {
            return None;
        }
        for rule in self.suffixes {
            if chars >= rule.min_len
                && ends_with(word, rule.suffix)
                && !rule.unless.iter().any(|u| ends_with(word, u))
            {
                let mut out = word[..word.len() - rule.suffix.len()].to_string();
                out.push_str(rule.with);
                return Some(out.into());
            }
        }
        Some(word.into())
    }

    /// Calls `f` with each word of `text` (folded, before the stopword and length rules) and
    /// the byte range it came from. `word` is a buffer reused from word to word.
    pub fn for_each_word(
        &self,
        text: &str,
        word: &mut String,
        mut f: impl FnMut(&str, usize, std::ops::Range<usize>),
    ) {
        word.clear();
        let mut chars = 0;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let before = word.len();
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
                chars += 1;
            } else if let Some(folded) = fold(c) {
                word.push_str(folded);
                chars += folded.len();
            } else if !c.is_ascii() && (c as u32) <= 0xFFFF && c.is_alphanumeric() {
                for l in c.to_lowercase() {
                    word.push(l);
                    chars += 1;
                }
            } else {
                if !word.is_empty() {
                    f(word, chars, start..i);
                    word.clear();
                }
                chars = 0;
                continue;
            }
            if before == 0 {
                start = i;
            }
        }
        if !word.is_empty() {
            f(word, chars, start..text.len());
            word.clear();
        }
    }

    /// Calls `f` with each search term of `text`.
    pub fn for_each_term(&self, text: &str, word: &mut String, mut f: impl FnMut(&str)) {
        self.for_each_word(text, word, |w, chars, _| {
            if let Some(term) = self.term(w, chars) {
                f(&term);
            }
        });
    }

    /// The search terms of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, &mut String::new(), |t| out.push(t.to_string()));
        out
    }
}

/// `str::ends_with` for the few bytes of a suffix, compared in place: the library's version
/// calls `memcmp`, which cost more than the comparison for every word of every record.
fn ends_with(word: &str, suffix: &str) -> bool {
    let (w, s) = (word.as_bytes(), suffix.as_bytes());
    w.len() >= s.len() && w[w.len() - s.len()..].iter().zip(s).all(|(a, b)| a == b)
}

/// Unicode blocks whose letters are folded to ASCII: Latin-1 Supplement, Latin Extended-A and
/// -B, and Latin Extended Additional (Vietnamese).
const FOLDED_BLOCKS: [(u32, u32); 2] = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)];

/// The folding table, sorted by character: each letter of [`FOLDED_BLOCKS`] that `deunicode`
/// writes as one to three ASCII letters, lowercased (`É` → `e`, `ß` → `ss`, `Æ` → `ae`).
pub(crate) fn fold_table() -> &'static [(char, &'static str)] {
    static TABLE: OnceLock<Vec<(char, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Vec::new();
        for (from, to) in FOLDED_BLOCKS {
            for c in (from..=to).filter_map(char::from_u32) {
                if !c.is_alphabetic() {
                    continue;
                }
                let Some(ascii) = deunicode::deunicode_char(c) else {
                    continue;
                };
                let ascii = ascii.trim();
                if (1..=3).contains(&ascii.len()) && ascii.bytes().all(|b| b.is_ascii_alphabetic())
                {
                    let lower: &'static str =
                        Box::leak(ascii.to_ascii_lowercase().into_boxed_str());
                    table.push((c, lower));
                }
            }
        }
        table
    })
}

/// A character's folded ASCII letters, if the folding table has it.
fn fold(c: char) -> Option<&'static str> {
    let code = c as u32;
    if !FOLDED_BLOCKS
        .iter()
        .any(|&(from, to)| (from..=to).contains(&code))
    {
        return None;
    }
    let table = fold_table();
    table
        .binary_search_by(|(k, _)| k.cmp(&c))
        .ok()
        .map(|i| table[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS_EN.windows(2).all(|w| w[0] < w[1]));
        let longest = STOPWORDS_EN.iter().map(|w| w.len()).max();
        assert_eq!(longest, Some(STOPWORD_MAX_BYTES));
    }

    #[test]
    fn terms_fold_case_and_accents() {
        let en = Rules::for_language("en");
        assert_eq!(
            en.terms("Côte d'Ivoire, DTM 200010 and the 3A; Ōsaka, Ýr, Straße, Æsir"),
            [
                "cote", "ivoire", "dtm", "200010", "3a", "osaka", "yr", "strasse", "aesir"
            ]
        );
    }

    #[test]
    fn english_plurals_are_folded() {
        let en = Rules::for_language("en-GB");
        assert_eq!(
            en.terms("communities displacements processes crisis status IOM's commitments"),
            [
                "community",
                "displacement",
                "process",
                "crisis",
                "status",
                "iom",
                "commitment"
            ]
        );
        // Another language: no stopwords, no suffix rules.
        let fr = Rules::for_language("fr");
        assert_eq!(fr.terms("les migrations"), ["les", "migrations"]);
    }

    #[test]
    fn lengths_and_digits() {
        let en = Rules::for_language("en");
        assert_eq!(en.terms("3 x 12 é"), ["3", "12"]);
        let long = "a".repeat(41);
        assert!(en.terms(&long).is_empty());
    }

    #[test]
    fn words_carry_their_byte_ranges() {
        let en = Rules::for_language("en");
        let text = "« Déplacé » now";
        let mut seen = Vec::new();
        en.for_each_word(text, &mut String::new(), |w, chars, range| {
            seen.push((w.to_string(), chars, text[range].to_string()))
        });
        assert_eq!(
            seen,
            [
                ("deplace".to_string(), 7, "Déplacé".to_string()),
                ("now".to_string(), 3, "now".to_string())
            ]
        );
    }
}
