//! The Markdown layer's unit and property tests.
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
