//! HTML around the Markdown: raw HTML balanced, minified pages' stray ampersands, code
//! blocks highlighted with CSS classes.

use super::*;

/// `html` as an HTML parser reads it as a fragment, serialized again: every element closed,
/// stray end tags gone.
pub(crate) fn balance_html(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    fragment.root_element().inner_html()
}

/// Escapes each `&` of minified HTML that does not start a character reference: minify-html
/// writes a literal `&#;`, `&#x;` or `&x;` back unescaped, which HTML calls a parse error.
/// Script and style contents are left alone.
pub(crate) fn escape_stray_ampersands(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains('&') {
        return std::borrow::Cow::Borrowed(html);
    }
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while let Some(at) = html[i..].find(['&', '<']) {
        let at = i + at;
        if html.as_bytes()[at] == b'<' {
            // The raw text of script and style elements is not HTML text.
            let raw = ["script", "style"]
                .into_iter()
                .find(|t| lower[at + 1..].starts_with(t));
            i = match raw {
                Some(tag) => lower[at..]
                    .find(&format!("</{tag}"))
                    .map_or(html.len(), |e| at + e + 2),
                None => at + 1,
            };
            continue;
        }
        if !starts_reference(&html[at + 1..]) {
            out.push_str(&html[copied..at]);
            out.push_str("&amp;");
            copied = at + 1;
        }
        i = at + 1;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Whether the text after a `&` is fine as it is: a numeric character reference (`#39;`,
/// `#x27;`), a named one markup uses, or text that is no reference at all (`& b`, `&b=1`).
/// Text that looks like a reference but is none (`#;`, `#x;`, `x;`) is not fine.
pub(super) fn starts_reference(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    let ends = rest[name.len()..].starts_with(';');
    if let Some(num) = name.strip_prefix('#') {
        let ok = match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
        return ok && ends;
    }
    if !ends {
        return true; // `& b`, `&b=1`: no reference in sight
    }
    matches!(
        name.as_str(),
        "amp"
            | "lt"
            | "gt"
            | "quot"
            | "apos"
            | "nbsp"
            | "shy"
            | "copy"
            | "reg"
            | "hellip"
            | "mdash"
            | "ndash"
            | "lsquo"
            | "rsquo"
            | "ldquo"
            | "rdquo"
            | "times"
            | "divide"
    )
}

pub(super) fn syntax_set() -> &'static SyntaxSet {
    // Loading syntect's syntaxes costs tens of milliseconds: only pay it when a code block
    // actually appears, and only once per process.
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

pub(super) fn code_block_html(code: &str, lang: &str, opts: &MarkdownOptions) -> String {
    let escaped_lang = html_escape(lang);
    if opts.highlight_code && !lang.is_empty() {
        let ss = syntax_set();
        if let Some(syntax) = ss.find_syntax_by_token(lang) {
            let mut generator = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                ss,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let ok = LinesWithEndings::from(code).all(|line| {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_ok()
            });
            if ok {
                return format!(
                    "<pre class=\"code\" data-lang=\"{escaped_lang}\"><code>{}</code></pre>\n",
                    generator.finalize()
                );
            }
        }
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{escaped_lang}\"")
    };
    format!(
        "<pre class=\"code\"{class}><code>{}</code></pre>\n",
        html_escape(code)
    )
}

/// CSS for highlighted code (classes prefixed `hl-`), from syntect's bundled theme, with its
/// comment and line breaks taken out (every page links it: 15.7 KB as syntect writes it).
pub(crate) fn highlight_css() -> String {
    let css = syntect_css();
    let body = match css.split_once("*/") {
        Some((head, rest)) if head.trim_start().starts_with("/*") => rest,
        _ => &css,
    };
    let mut out: String = body
        .lines()
        .map(str::trim)
        .collect::<String>()
        .replace(" {", "{")
        .replace(": ", ":")
        .replace(", ", ",");
    out.push('\n');
    out
}

fn syntect_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| {
            syntect::html::css_for_theme_with_class_style(
                t,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            )
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// The stylesheet every page links: syntect's rules, without its comment and line breaks.
    #[test]
    fn highlight_css_is_compact_and_keeps_every_rule() {
        let css = super::highlight_css();
        let full = super::syntect_css();
        assert!(
            !css.contains("/*") && css.matches('\n').count() == 1,
            "{css}"
        );
        assert!(css.starts_with(".hl-code{color:"), "{css}");
        assert_eq!(css.matches('{').count(), full.matches('{').count());
        assert!(
            css.len() < full.len() * 19 / 20,
            "{} of {}",
            css.len(),
            full.len()
        );
    }
}
