//! Reading a Markdown text without rendering it: its links, how deep it nests, how many
//! headings it has (for the link stage's checks and limits).

use super::*;

/// Markdown elements open inside each other at most (block quotes, list items, emphasis, and
/// with `unsafe_html` raw HTML elements). No real text comes near it; deeper nesting made the
/// HTML minifier, which recurses, overflow its stack (about 1,100 nested `>` did).
pub(crate) const MAX_NESTING: usize = 64;

/// Headings one Markdown text may have. A long report has a few dozen.
pub(crate) const MAX_HEADINGS: usize = 1000;

/// What the link stage needs to know of a Markdown text, from one parse.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every link and image destination with its byte range in the text.
    pub links: Vec<(String, Range<usize>)>,
    /// How deep elements nest, and where the text first goes deeper than [`MAX_NESTING`].
    pub depth: usize,
    pub too_deep_at: Option<Range<usize>>,
    /// How many headings, and where the text first has more than [`MAX_HEADINGS`].
    pub headings: usize,
    pub too_many_headings_at: Option<Range<usize>>,
}

/// Parses `md` once for validation: its links, nesting depth and headings.
pub fn scan(md: &str, unsafe_html: bool) -> Scan {
    let opts = MarkdownOptions {
        unsafe_html,
        smart_punctuation: false,
        highlight_code: false,
    };
    let mut out = Scan::default();
    let mut depth = 0usize;
    let mut html_depth = 0usize;
    for (ev, range) in Parser::new_ext(md, parser_options(&opts)).into_offset_iter() {
        match &ev {
            Event::Start(tag) => {
                depth += 1;
                match tag {
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                        // Point at the destination itself where it is written inline.
                        let at = md[range.clone()]
                            .rfind(dest_url.as_ref())
                            .map(|i| range.start + i..range.start + i + dest_url.len())
                            .unwrap_or(range.clone());
                        out.links.push((dest_url.to_string(), at));
                    }
                    Tag::Heading { .. } => {
                        out.headings += 1;
                        if out.headings > MAX_HEADINGS && out.too_many_headings_at.is_none() {
                            out.too_many_headings_at = Some(range.clone());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) if unsafe_html => {
                html_depth = raw_html_depth(h, html_depth);
            }
            _ => {}
        }
        let now = depth + html_depth;
        if now > out.depth {
            out.depth = now;
            if now > MAX_NESTING && out.too_deep_at.is_none() {
                out.too_deep_at = Some(range);
            }
        }
    }
    out
}

/// Elements that have no end tag.
pub(super) const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The nesting depth after the raw HTML `html`, starting at `depth`: each start tag of a
/// non-void element opens one level, each end tag closes one. An estimate (no parsing of
/// comments or attribute values), enough to bound how deep a page can nest.
pub(crate) fn raw_html_depth(html: &str, mut depth: usize) -> usize {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let start = i + at + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = html[name_start..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let tag_end = html[name_start..]
            .find('>')
            .map_or(html.len(), |e| name_start + e);
        if name_len > 0 {
            let name = html[name_start..name_start + name_len].to_ascii_lowercase();
            if closing {
                depth = depth.saturating_sub(1);
            } else if !VOID_ELEMENTS.contains(&name.as_str()) && !html[..tag_end].ends_with('/') {
                depth += 1;
            }
        }
        i = (tag_end + 1).min(html.len()).max(start);
    }
    depth
}
