//! Text helpers every stage uses: escaping, slugs, accent folding, digit grouping and the
//! natural order of IDs, the plain text of Markdown. A leaf module: it uses nothing of the
//! crate.

/// Escapes `&<>"'` for HTML text and attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    // Every text a page shows passes through here (Tera's autoescape): copy the runs between
    // special characters whole instead of pushing one char at a time.
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // ASCII bytes never fall inside a multi-byte character: both slices are on boundaries.
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
    out
}

/// A URL-safe slug: lower-case ASCII letters and digits separated by single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// `é` → `e`: the accents of the languages records use, folded for slugs and search.
pub(crate) fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        _ => c,
    }
}

/// `1234567` → `1,234,567`.
pub(crate) fn group_digits(n: impl std::fmt::Display) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    let s = match s.strip_prefix('-') {
        Some(rest) => {
            out.push('-');
            rest
        }
        None => s.as_str(),
    };
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 record`, `2 records`, `1,024 records`: a count and its noun, in the singular for one.
/// `noun` is the singular; its plural adds `s` (`entry` takes `entries`).
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let plural = match noun.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{noun}s"),
    };
    format!("{} {plural}", group_digits(n))
}

/// `a` or `an` before `word`, by its first letter's sound as far as spelling tells it: "an
/// initiative", "an organisation", "a funding table", "a core responsibility".
pub(crate) fn a_or_an(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o') => "an",
        // "an undefined", but "a unique", "a user": only the `un-` prefix is read with a vowel.
        Some('u') if word.to_ascii_lowercase().starts_with("un") => "an",
        _ => "a",
    }
}

/// Orders IDs as a reader expects: numbers by value (`9` before `10`), then text.
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// The plain text of Markdown (for the search index): text and code, no markup.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for ev in pulldown_cmark::Parser::new_ext(
        md,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES,
    ) {
        match ev {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            pulldown_cmark::Event::SoftBreak
            | pulldown_cmark::Event::HardBreak
            | pulldown_cmark::Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The first `n` words of a Markdown text, for titles.
pub(crate) fn first_words(text: &str, n: usize) -> String {
    // Titles are plain text: drop Markdown syntax (links, emphasis) first.
    let plain = plain_text(text);
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(950), "950");
        assert_eq!(group_digits(2_964_410_000u64), "2,964,410,000");
        assert_eq!(group_digits(-1_234_567i64), "-1,234,567");
        assert_eq!(group_digits(-100), "-100");
    }

    #[test]
    fn counts_and_articles_read_right() {
        assert_eq!(count(1, "record"), "1 record");
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(count(1_500, "page"), "1,500 pages");
        assert_eq!(count(2, "entry"), "2 entries");
        assert_eq!(count(2, "key"), "2 keys");
        for (word, article) in [
            ("initiative", "an"),
            ("organisation", "an"),
            ("action-plan", "an"),
            ("unknown", "an"),
            ("funding-table", "a"),
            ("core-responsibility", "a"),
            ("user", "a"),
            ("page", "a"),
        ] {
            assert_eq!(a_or_an(word), article, "{word}");
        }
    }
}
