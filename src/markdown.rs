//! Markdown rendering with typed links (`[DTM](initiative:dtm)`), heading anchors, safe HTML
//! and syntax highlighting as CSS classes.

use crate::text::{html_escape, slugify};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
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

/// Markdown elements open inside each other at most (block quotes, list items, emphasis, and
/// with `unsafe_html` raw HTML elements). No real text comes near it; deeper nesting made the
/// HTML minifier, which recurses, overflow its stack (about 1,100 nested `>` did).
pub const MAX_NESTING: usize = 64;

/// Headings one Markdown text may have. A long report has a few dozen.
pub const MAX_HEADINGS: usize = 1000;

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
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The nesting depth after the raw HTML `html`, starting at `depth`: each start tag of a
/// non-void element opens one level, each end tag closes one. An estimate (no parsing of
/// comments or attribute values), enough to bound how deep a page can nest.
pub fn raw_html_depth(html: &str, mut depth: usize) -> usize {
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

/// URLs that must never reach an `href`/`src`: they run script or smuggle content.
pub fn is_dangerous_url(url: &str) -> bool {
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
pub fn render(
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
pub struct Context<'a> {
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
pub const TOP_HEADING_LEVEL: usize = 2;

/// Renders one text of a page. `ids` holds the IDs the page has given so far (its template's,
/// and earlier texts'); this text's heading and footnote IDs are taken from it.
pub fn render_text(md: &str, opts: &MarkdownOptions, cx: &Context, ids: &mut HeadingIds) -> String {
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

/// `html` as an HTML parser reads it as a fragment, serialized again: every element closed,
/// stray end tags gone.
pub fn balance_html(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    fragment.root_element().inner_html()
}

/// Escapes each `&` of minified HTML that does not start a character reference: minify-html
/// writes a literal `&#;`, `&#x;` or `&x;` back unescaped, which HTML calls a parse error.
/// Script and style contents are left alone.
pub fn escape_stray_ampersands(html: &str) -> std::borrow::Cow<'_, str> {
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
fn starts_reference(rest: &str) -> bool {
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

/// A record field's name as a template key: `commitments[0].deliverables[1].text` →
/// `commitments_0_deliverables_1_text` (Tera reads `.` and `[` inside a key as a path).
pub fn field_key(field: &str) -> String {
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
/// the texts `keep` accepts, by [`field_key`], and every ID the page's texts took. The body's
/// footnotes are `fn-…`, a field's `fn-<field>-…`. The link stage calls this too, to know a
/// page's anchors: both must give the same IDs.
pub fn render_page_texts(
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
            out.insert(key, html);
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
pub struct HeadingIds {
    used: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    /// Every ID taken or reserved.
    pub fn taken(&self) -> &HashSet<String> {
        &self.used
    }

    /// IDs already taken on the page (`main`, footnote IDs ...), which headings must avoid.
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// `base` if it is free, else `base-1`, `base-2` ..., the first free one; it is taken.
    pub fn claim(&mut self, base: String) -> String {
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

fn syntax_set() -> &'static SyntaxSet {
    // Loading syntect's syntaxes costs tens of milliseconds: only pay it when a code block
    // actually appears, and only once per process.
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn code_block_html(code: &str, lang: &str, opts: &MarkdownOptions) -> String {
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

/// CSS for highlighted code (classes prefixed `hl-`), from syntect's bundled theme.
pub fn highlight_css() -> String {
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
    use super::*;

    fn opts() -> MarkdownOptions {
        MarkdownOptions {
            unsafe_html: false,
            smart_punctuation: false,
            highlight_code: true,
        }
    }

    /// Resolves `kind:id` to `/kinds/id/` (lower case), but `kind:missing` to nothing; keeps
    /// web addresses.
    fn resolver(dest: &str) -> Option<String> {
        if dest.contains("://") || dest.starts_with("mailto:") || !dest.contains(':') {
            return Some(dest.to_string());
        }
        let (kind, rest) = dest.split_once(':')?;
        let (id, fragment) = rest
            .split_once('#')
            .map_or((rest, None), |(i, f)| (i, Some(f)));
        if id == "missing" || kind.ends_with('s') {
            return None;
        }
        let url = format!("/{kind}s/{}/", id.to_lowercase());
        Some(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        })
    }

    #[test]
    fn typed_links_resolve() {
        let html = render(
            "See [DTM](initiative:dtm) and [3A](transformation:3A#plans).",
            &opts(),
            &resolver,
        );
        assert!(
            html.contains(r#"<a href="/initiatives/dtm/">DTM</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/transformations/3a/#plans">3A</a>"#),
            "{html}"
        );
    }

    #[test]
    fn unresolved_links_keep_their_text() {
        let html = render("[gone](commitment:missing) stays", &opts(), &resolver);
        assert_eq!(html.trim(), "<p>gone stays</p>");
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let html = render(
            "<script>alert(1)</script>\n\nhi <b>x</b>",
            &opts(),
            &resolver,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let unsafe_opts = MarkdownOptions {
            unsafe_html: true,
            ..opts()
        };
        assert!(render("<b>x</b>", &unsafe_opts, &resolver).contains("<b>x</b>"));
    }

    #[test]
    fn heading_attributes_carry_no_raw_html() {
        // Found by `cargo fuzz run markdown` (fuzz/regressions/markdown/): a bare `on` or an
        // `onclick=...` in a heading's attribute block became an event-handler attribute.
        for md in [
            "# {on}",
            "# Title {onclick=alert(1)}",
            "# Title {#t .c onmouseover=\"alert(2)\" style=x}",
        ] {
            let html = render(md, &opts(), &resolver);
            assert!(!html.contains(" on"), "{md}: {html}");
            assert!(!html.contains("style"), "{md}: {html}");
        }
        let html = render("# Title {#t .c data-x=1}", &opts(), &resolver);
        assert_eq!(html.trim(), r#"<h2 id="t" class="c">Title</h2>"#);
        let unsafe_opts = MarkdownOptions {
            unsafe_html: true,
            ..opts()
        };
        let html = render("# Title {data-x=1}", &unsafe_opts, &resolver);
        assert!(html.contains(r#"data-x="1""#), "{html}");
    }

    #[test]
    fn dangerous_urls_are_dropped() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = render(&format!("[click]({url})"), &opts(), &resolver);
            assert!(!html.contains("href"), "{url}: {html}");
        }
    }

    #[test]
    fn headings_get_unique_anchors() {
        let html = render(
            "# Plans for 2018\n\n## Plans for 2018\n\n### Côte d'Ivoire",
            &opts(),
            &resolver,
        );
        // Levels start at h2 (the page title is the h1) and never skip one.
        assert!(html.contains(r#"<h2 id="plans-for-2018">"#), "{html}");
        assert!(html.contains(r#"<h3 id="plans-for-2018-1">"#), "{html}");
        assert!(html.contains(r#"<h4 id="cote-d-ivoire">"#), "{html}");
        let html = render(
            "### Deep first\n\n##### Deeper\n\n# Top\n\n### Again",
            &opts(),
            &resolver,
        );
        for (expected, id) in [
            ("h2", "deep-first"),
            ("h3", "deeper"),
            ("h2", "top"),
            ("h3", "again"),
        ] {
            assert!(
                html.contains(&format!("<{expected} id=\"{id}\">")),
                "{expected} {id}: {html}"
            );
        }
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let html = render("```rust\nfn main() {}\n```", &opts(), &resolver);
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn acronyms_become_abbr_and_the_first_links_to_the_glossary() {
        let mut abbr = Abbreviations::new();
        abbr.insert(
            "DTM".into(),
            (
                "Displacement Tracking Matrix".into(),
                "/glossary/a/#dtm".into(),
            ),
        );
        let html = render_with(
            "The DTM and DTM again; not in [DTM link](https://x.org); IDTM is another word.\n\n# DTM heading",
            &opts(),
            &resolver,
            Some(&abbr),
        );
        assert_eq!(
            html.matches("<abbr title=\"Displacement Tracking Matrix\">DTM</abbr>")
                .count(),
            2,
            "{html}"
        );
        assert_eq!(
            html.matches("href=\"/glossary/a/#dtm\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains(">DTM link</a>"), "{html}");
        assert!(html.contains("IDTM is"), "{html}");
        assert!(
            html.contains("<h2 id=\"dtm-heading\">DTM heading</h2>"),
            "{html}"
        );
    }

    #[test]
    fn stray_ampersands_are_escaped_and_references_kept() {
        let fixed = escape_stray_ampersands(
            "<p>Literal &#; and &#x; and &x; &amp; &lt; &#39; &#x27; a & b ?a=1&b=2</p><script>if(a&&b);</script>",
        );
        assert_eq!(
            fixed,
            "<p>Literal &amp;#; and &amp;#x; and &amp;x; &amp; &lt; &#39; &#x27; a & b ?a=1&b=2</p><script>if(a&&b);</script>"
        );
        assert!(matches!(
            escape_stray_ampersands("<p>a &amp; b</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn raw_html_is_balanced_when_allowed() {
        let unsafe_opts = MarkdownOptions {
            unsafe_html: true,
            ..opts()
        };
        let html = render(
            "<div><section>open\n\nText </span></em>",
            &unsafe_opts,
            &resolver,
        );
        assert_eq!(
            html.matches("<div").count(),
            html.matches("</div>").count(),
            "{html}"
        );
        assert_eq!(
            html.matches("<section").count(),
            html.matches("</section>").count(),
            "{html}"
        );
        assert!(
            !html.contains("</span>") && !html.contains("</em>"),
            "{html}"
        );
    }

    #[test]
    fn images_with_dropped_addresses_keep_their_alt_text() {
        let html = render(
            "![a logo](javascript:alert(1)) ![gone](commitment:missing) ![ok](x.png)",
            &opts(),
            &resolver,
        );
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(html.contains("a logo") && html.contains("gone"), "{html}");
        assert!(html.contains(r#"<img src="x.png" alt="ok""#), "{html}");
    }

    #[test]
    fn alt_text_carries_no_glossary_markup() {
        let mut abbr = Abbreviations::new();
        abbr.insert(
            "IOM".into(),
            (
                "International Organization for Migration".into(),
                "/g/#iom".into(),
            ),
        );
        let html = render_with(
            "![The IOM logo](logo.png) and IOM",
            &opts(),
            &resolver,
            Some(&abbr),
        );
        assert!(html.contains(r#"alt="The IOM logo""#), "{html}");
        assert_eq!(html.matches("<abbr").count(), 1, "{html}");
    }

    #[test]
    fn footnotes_and_headings_never_share_an_id() {
        let html = render(
            "Text[^note].\n\n[^note]: A note.\n\n## Note\n\n# Main",
            &opts(),
            &resolver,
        );
        assert!(
            html.contains(r#"id="fn-note""#) && html.contains(r##"href="#fn-note""##),
            "{html}"
        );
        assert!(
            html.contains(r#"<h3 id="note">"#) || html.contains(r#"id="note""#),
            "{html}"
        );
        // Two texts of one page (a record's fields) share the page's IDs.
        let mut ids = HeadingIds::default();
        ids.reserve("main");
        let none = |_: &str| None;
        let same = |p: &str| p.to_string();
        let cx = Context {
            resolve: &none,
            site_url: &same,
            abbreviations: None,
            footnote_prefix: "fn-",
            shift_headings: true,
        };
        let a = render_text("# Main\n\n## Results", &opts(), &cx, &mut ids);
        let b = render_text("## Results", &opts(), &cx, &mut ids);
        assert!(
            a.contains(r#"id="main-1""#) && a.contains(r#"id="results""#),
            "{a}"
        );
        assert!(b.contains(r#"id="results-1""#), "{b}");
    }

    #[test]
    fn root_relative_links_get_the_site_url() {
        let keep = |d: &str| Some(d.to_string());
        let base = |p: &str| format!("/pact{p}");
        let cx = Context {
            resolve: &keep,
            site_url: &base,
            abbreviations: None,
            footnote_prefix: "fn-",
            shift_headings: true,
        };
        let html = render_text(
            "[a](/commitments/) [b](//host/x) [c](https://x.org/)",
            &opts(),
            &cx,
            &mut HeadingIds::default(),
        );
        assert!(html.contains(r#"href="/pact/commitments/""#), "{html}");
        assert!(
            html.contains(r#"href="//host/x""#) && html.contains(r#"href="https://x.org/""#),
            "{html}"
        );
    }

    /// The obvious char-by-char escaper, to check the faster one against.
    fn html_escape_reference(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn html_escape_matches_the_char_by_char_reference(s in "[<>&\"'a é\u{1F600}]{0,40}|\\PC{0,80}") {
            proptest::prop_assert_eq!(html_escape(&s), html_escape_reference(&s));
        }

        #[test]
        fn render_never_panics_and_never_emits_script(s in "\\PC{0,200}") {
            let html = render(&s, &opts(), &resolver);
            proptest::prop_assert!(!html.to_lowercase().contains("<script"));
        }

        #[test]
        fn slugs_are_url_safe(s in "\\PC{0,80}") {
            let slug = slugify(&s);
            proptest::prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }
    }
}
