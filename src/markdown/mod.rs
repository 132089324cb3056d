//! Markdown rendering with typed links (`[DTM](initiative:dtm)`), heading anchors, safe HTML
//! and syntax highlighting as CSS classes.

mod markup;
mod scan;

use markup::code_block_html;
pub(crate) use markup::{balance_html, escape_stray_ampersands, highlight_css};
pub use scan::scan;
pub(crate) use scan::{MAX_HEADINGS, MAX_NESTING};

use crate::text::{html_escape, slugify};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

#[derive(Debug, Clone, Copy)]
/// How Markdown is rendered: `markdown:` of site.yaml.
pub struct MarkdownOptions {
    /// Keep raw HTML (balanced, dangerous URLs still dropped) instead of escaping it.
    pub unsafe_html: bool,
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks with syntect (CSS classes).
    pub highlight_code: bool,
}

fn parser_options(opts: &MarkdownOptions) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if opts.smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Glossary terms to mark up in text: term → (expansion, URL of its glossary entry).
pub type Abbreviations = std::collections::HashMap<String, (String, String)>;

/// URLs that must never reach an `href`/`src`: they run script or smuggle content.
pub(crate) fn is_dangerous_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:")
}

/// Renders Markdown to HTML. `resolve` turns a typed link into a URL (`None` when it does not
/// resolve: validation has already reported it, and the link is rendered as plain text).
#[cfg(test)]
pub(crate) fn render(
    md: &str,
    opts: &MarkdownOptions,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> String {
    render_with(md, opts, resolve, None)
}

/// Like [`render`], and marks up glossary terms in running text with `<abbr>`; the first
/// occurrence of each term links to its glossary entry. A text of its own: its IDs are
/// unique among themselves, root-relative links are kept as written.
pub fn render_with(
    md: &str,
    opts: &MarkdownOptions,
    resolve: &dyn Fn(&str) -> Option<String>,
    abbreviations: Option<&Abbreviations>,
) -> String {
    let cx = Context {
        resolve,
        site_url: &|path: &str| path.to_string(),
        abbreviations,
        footnote_prefix: "fn-",
        shift_headings: true,
    };
    render_text(md, opts, &cx, &mut HeadingIds::default())
}

/// Renders one text as CommonMark defines it (headings at the levels written, raw HTML as
/// `opts` says, no glossary), for the conformance test against the CommonMark spec.
pub fn render_commonmark(md: &str, opts: &MarkdownOptions) -> String {
    let keep = |dest: &str| Some(dest.to_string());
    let same = |path: &str| path.to_string();
    let cx = Context {
        resolve: &keep,
        site_url: &same,
        abbreviations: None,
        footnote_prefix: "fn-",
        shift_headings: false,
    };
    render_text(md, opts, &cx, &mut HeadingIds::default())
}

/// How the texts of one page are rendered: links, glossary terms, and the IDs they may take.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The URL a link destination stands for (a typed link such as `initiative:dtm`, or a web
    /// address kept as it is), or `None` to drop the link and keep its text (a typed link that
    /// does not resolve: the link stage reported it). Script URLs and root-relative paths never
    /// reach it.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// A root-relative path written in a text (`/commitments/`) as a link of the site: with
    /// its base path, or relative to the page in a `--relative` build.
    pub site_url: &'a dyn Fn(&str) -> String,
    pub abbreviations: Option<&'a Abbreviations>,
    /// The start of this text's footnote IDs (`fn-` for a body, `fn-plans-` for a field), so
    /// that two texts of a page never number `[^1]` with one ID.
    pub footnote_prefix: &'a str,
    /// Start the text's headings at [`TOP_HEADING_LEVEL`] without skipping a level (pages);
    /// `false` keeps the levels as written (the CommonMark conformance test).
    pub shift_headings: bool,
}

/// The top heading of every text becomes `<h2>`: the page's title is its `<h1>`. Levels below
/// follow without a gap (`#` then `###` gives `h2` then `h3`), which is what the HTML outline
/// and the Nu checker ask for.
pub(crate) const TOP_HEADING_LEVEL: usize = 2;

/// Renders one text of a page. `ids` holds the IDs the page has given so far (its template's,
/// and earlier texts'); this text's heading and footnote IDs are taken from it.
pub(crate) fn render_text(
    md: &str,
    opts: &MarkdownOptions,
    cx: &Context,
    ids: &mut HeadingIds,
) -> String {
    let parser = Parser::new_ext(md, parser_options(opts));
    let mut events: Vec<Event> = Vec::new();
    let mut in_code: Option<String> = None;
    let mut code_buf = String::new();
    let mut heading_start: Option<usize> = None;
    let mut headings: Vec<(usize, usize)> = Vec::new();
    let mut dropped_links = 0usize;
    // Whether each open image was kept (its address usable) or dropped.
    let mut images: Vec<bool> = Vec::new();
    // Where acronyms must not be marked up: inside links (no nested anchors), headings and
    // images (an `alt` text is plain text).
    let mut in_link = 0usize;
    let mut in_image = 0usize;
    let mut linked_terms: HashSet<String> = HashSet::new();
    // Footnote labels in order of first use: their numbers.
    let mut footnotes: Vec<String> = Vec::new();

    for ev in parser {
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                in_code = Some(lang);
                code_buf.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                let lang = in_code.take().unwrap_or_default();
                events.push(Event::Html(CowStr::from(code_block_html(
                    &code_buf, &lang, opts,
                ))));
            }
            Event::Text(t) if in_code.is_some() => code_buf.push_str(&t),
            Event::Text(t)
                if cx.abbreviations.is_some()
                    && in_link == 0
                    && in_image == 0
                    && heading_start.is_none() =>
            {
                if let Some(abbr) = cx.abbreviations {
                    mark_abbreviations(&t, abbr, &mut linked_terms, &mut events);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if !opts.unsafe_html => {
                events.push(Event::Text(h))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match rewrite_dest(&dest_url, cx) {
                Some(url) => {
                    in_link += 1;
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }))
                }
                None => dropped_links += 1,
            },
            Event::End(TagEnd::Link) if dropped_links > 0 => dropped_links -= 1,
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            // An image whose address is dropped (a script URL, a typed link that does not
            // resolve) leaves its alt text as text: an `<img>` without `src` is invalid.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match rewrite_dest(&dest_url, cx) {
                Some(url) if !url.is_empty() => {
                    in_image += 1;
                    images.push(true);
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(url),
                        title,
                        id,
                    }));
                }
                _ => images.push(false),
            },
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(false) {
                    in_image = in_image.saturating_sub(1);
                    events.push(Event::End(TagEnd::Image));
                }
            }
            Event::FootnoteReference(label) => {
                footnote_number(&mut footnotes, &label);
                events.push(Event::FootnoteReference(label));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnote_number(&mut footnotes, &label);
                events.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading_start = Some(events.len());
                // `# Title {onclick=alert(1)}` would write any attribute, event handlers
                // included: custom attributes are raw HTML, kept only when that is allowed.
                // (`{#id .class}` stay: both are escaped and inert.)
                let attrs = if opts.unsafe_html { attrs } else { Vec::new() };
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    headings.push((start, events.len()));
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            other => events.push(other),
        }
    }
    // Footnote IDs first (a heading `## Note` must not take the ID of `[^note]`), then
    // headings, each taken from the page's IDs.
    let footnote_ids: Vec<String> = footnotes
        .iter()
        .map(|label| {
            let slug = slugify(label);
            let slug = if slug.is_empty() { "note".into() } else { slug };
            ids.claim(format!("{}{slug}", cx.footnote_prefix))
        })
        .collect();
    assign_headings(&mut events, &headings, ids, cx.shift_headings);
    let mut out = String::with_capacity(md.len() * 3 / 2);
    let number = |label: &str| footnotes.iter().position(|l| l == label).unwrap_or(0);
    let events = events.into_iter().map(|ev| match ev {
        Event::FootnoteReference(label) => {
            let n = number(&label);
            Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-reference\"><a href=\"#{}\">{}</a></sup>",
                footnote_ids[n],
                n + 1
            )))
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let n = number(&label);
            Event::Html(CowStr::from(format!(
                "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{}</sup>",
                footnote_ids[n],
                n + 1
            )))
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>\n")),
        other => other,
    });
    html::push_html(&mut out, events);
    if opts.unsafe_html && md.contains('<') {
        // Raw HTML may leave an element open (`<div>` with no `</div>`) or close one it never
        // opened: the page's own elements would then nest wrongly (the minifier moved the
        // footer into `<main>`). An HTML parser closes and drops what needs it.
        return balance_html(&out);
    }
    out
}

/// A record field's name as an ID part: `commitments[0].deliverables[1].text` →
/// `commitments_0_deliverables_1_text` (footnote IDs of the field's text are made from it).
fn field_key(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '[' | '.' => {
                if !out.ends_with('_') {
                    out.push('_');
                }
            }
            ']' => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders the Markdown texts of one record's page in order (its fields, then its body) with
/// one set of IDs, starting from `reserved` (the templates' own IDs), and returns the HTML of
/// the texts `keep` accepts, by field name (`commitments[0].text`), and every ID the page's texts took. The body's
/// footnotes are `fn-…`, a field's `fn-<field>-…`. The link stage calls this too, to know a
/// page's anchors: both must give the same IDs.
pub(crate) fn render_page_texts(
    texts: &[(String, &str)],
    opts: &MarkdownOptions,
    cx: &Context,
    reserved: &std::collections::BTreeSet<String>,
    keep: &dyn Fn(&str) -> bool,
) -> (std::collections::BTreeMap<String, String>, HeadingIds) {
    let mut ids = HeadingIds::default();
    for id in reserved {
        ids.reserve(id);
    }
    let mut out = std::collections::BTreeMap::new();
    for (name, text) in texts {
        let key = field_key(name);
        let prefix = if name == "body" {
            "fn-".to_string()
        } else {
            format!("fn-{}-", key.replace('_', "-"))
        };
        let cx = Context {
            footnote_prefix: &prefix,
            ..*cx
        };
        let html = render_text(text, opts, &cx, &mut ids);
        if keep(name) {
            out.insert(name.clone(), html);
        }
    }
    (out, ids)
}

/// The number (0-based) of a footnote label, given in order of first use.
fn footnote_number(footnotes: &mut Vec<String>, label: &str) -> usize {
    match footnotes.iter().position(|l| l == label) {
        Some(n) => n,
        None => {
            footnotes.push(label.to_string());
            footnotes.len() - 1
        }
    }
}

/// Gives each heading (start and end event) its level under [`TOP_HEADING_LEVEL`] and an ID
/// unique on the page.
fn assign_headings(
    events: &mut [Event],
    headings: &[(usize, usize)],
    ids: &mut HeadingIds,
    shift: bool,
) {
    let level_of = |e: &Event| match e {
        Event::Start(Tag::Heading { level, .. }) => *level as usize,
        _ => 1,
    };
    let top = headings
        .iter()
        .map(|&(start, _)| level_of(&events[start]))
        .min()
        .unwrap_or(1);
    let mut previous = TOP_HEADING_LEVEL - 1;
    for &(start, end) in headings {
        let written = level_of(&events[start]);
        let wanted = TOP_HEADING_LEVEL + written - top;
        let level = if shift {
            wanted.clamp(TOP_HEADING_LEVEL, previous + 1).min(6)
        } else {
            written
        };
        previous = level;
        let level = heading_level(level);
        let text: String = events[start + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &events[start]
        {
            let base = id
                .as_ref()
                .map_or_else(|| slugify(&text), |i| i.to_string());
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let unique = ids.claim(base);
            events[start] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(unique)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
        }
        events[end] = Event::End(TagEnd::Heading(level));
    }
}

fn heading_level(n: usize) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match n {
        0 | 1 => H1,
        2 => H2,
        3 => H3,
        4 => H4,
        5 => H5,
        _ => H6,
    }
}

/// The heading IDs given so far in one text, and for each base the next suffix to try: a text
/// of 20,000 headings `# h` got `h`, `h-1` ... by trying every suffix from 1 again for each
/// heading (18.8 s); now each heading takes one or two look-ups.
#[derive(Default)]
pub(crate) struct HeadingIds {
    used: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    /// Every ID taken or reserved.
    pub(crate) fn taken(&self) -> &HashSet<String> {
        &self.used
    }

    /// IDs already taken on the page (`main`, footnote IDs ...), which headings must avoid.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// `base` if it is free, else `base-1`, `base-2` ..., the first free one; it is taken.
    pub(crate) fn claim(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Splits `text` around glossary terms, emitting `<abbr>` (and a link for a term's first use).
fn mark_abbreviations<'a>(
    text: &str,
    abbr: &Abbreviations,
    linked: &mut HashSet<String>,
    events: &mut Vec<Event<'a>>,
) {
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
    let mut out = String::new();
    while i < bytes.len() {
        if is_word(bytes[i]) && (i == 0 || !is_word(bytes[i - 1])) {
            let mut j = i;
            while j < bytes.len() && is_word(bytes[j]) {
                j += 1;
            }
            let word = text[i..j].trim_end_matches('-');
            let uppercase = word.chars().filter(|c| c.is_ascii_uppercase()).count();
            if uppercase >= 2
                && let Some((expansion, url)) = abbr.get(word)
            {
                out.push_str(&html_escape(&text[plain_start..i]));
                let title = html_escape(expansion);
                if linked.insert(word.to_string()) {
                    out.push_str(&format!(
                        "<a class=\"abbr\" href=\"{}\"><abbr title=\"{title}\">{}</abbr></a>",
                        html_escape(url),
                        html_escape(word)
                    ));
                } else {
                    out.push_str(&format!(
                        "<abbr title=\"{title}\">{}</abbr>",
                        html_escape(word)
                    ));
                }
                plain_start = i + word.len();
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if plain_start == 0 {
        events.push(Event::Text(CowStr::from(text.to_string())));
        return;
    }
    out.push_str(&html_escape(&text[plain_start..]));
    events.push(Event::InlineHtml(CowStr::from(out)));
}

/// The URL a link should point to, or `None` to drop the link (keeping its text).
fn rewrite_dest(dest: &str, cx: &Context) -> Option<String> {
    if is_dangerous_url(dest) {
        return None;
    }
    // A path from the site's root (`/commitments/`): the site's own link, with its base
    // path (or relative to the page). `//host/x` is another host.
    if dest.starts_with('/') && !dest.starts_with("//") {
        return Some((cx.site_url)(dest));
    }
    (cx.resolve)(dest)
}

#[cfg(test)]
mod tests;
