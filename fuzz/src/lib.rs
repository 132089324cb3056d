//! What each fuzz target runs, shared with the stable regression test.
//!
//! The cargo-fuzz targets in `fuzz/fuzz_targets/` are one line each: they call a function of
//! this file. `tests/suite/fuzz_regressions.rs` at the repository root includes this same file
//! (`#[path]`), so every saved crash and every corpus input is replayed by plain `cargo test`
//! through exactly the code the fuzzer ran. Keep it to crates the root package also has
//! (pactgen, scraper, serde_json, serde_yaml): nothing here may need nightly or libFuzzer.

use pactgen::Kind;
use pactgen::MemorySink;
use pactgen::internals::load;
use pactgen::internals::markdown::{self, Abbreviations, MarkdownOptions};
use pactgen::internals::model::{MenuItem, Outputs, SiteConfig, Skeleton, parse_typed_link};
use pactgen::internals::scaffold::skeleton;
use pactgen::internals::site_files::{Fields, SiteWriter, copy_tree};
use pactgen::internals::text;
use pactgen::{BuildOptions, build_into};
use pactgen::{Diagnostic, SourceMap, diagnostics_to_json};
use serde_yaml::Value;
use std::fmt::Write as _;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Shared checks
// ---------------------------------------------------------------------------------------------

/// Every diagnostic that points into `text` points inside it, on character boundaries (a
/// marker outside would panic or garble the source snippet of the report).
fn assert_spans_inside(text: &str, diags: &[Diagnostic]) {
    for d in diags {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "[{}] span {span:?} outside a text of {} bytes: {}",
                d.code,
                text.len(),
                d.message
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "[{}] span {span:?} not on character boundaries: {}",
                d.code,
                d.message
            );
        }
    }
}

/// Renders diagnostics the two ways the CLI does (terminal text and JSON).
fn render_diagnostics(diags: &[Diagnostic], sources: &SourceMap) {
    let text = pactgen::render_diagnostics(diags, sources, false);
    assert!(
        diags.is_empty() || !text.is_empty(),
        "no text for {diags:?}"
    );
    let json = diagnostics_to_json(diags, sources);
    serde_json::from_str::<serde_json::Value>(&json).expect("diagnostics JSON parses");
}

/// True for URLs a browser would run or load as a document (as `is_dangerous_url` and
/// `tests/suite/output_safety.rs` define them).
fn is_script_url(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("data:") || v.starts_with("vbscript:")
}

/// Elements rendered Markdown may hold when raw HTML is off (`html` and `body` wrap the
/// parsed fragment).
const MARKDOWN_ELEMENTS: &str = "html body p a em strong code pre h1 h2 h3 h4 h5 h6 ul ol li \
    blockquote hr br img table thead tbody tr th td del sup div span abbr";

/// Parses `html` as a browser would and checks that no active content came out of the input:
/// every script is an external file of the theme, no element has an event-handler attribute,
/// no URL attribute runs script. A `fragment` (rendered Markdown) holds only the elements
/// Markdown makes. `what` names the page in the failure message. The one oracle of active
/// content: the fuzz targets and the test suite's `output_safety` both use it.
pub fn assert_no_active_content(what: &str, html: &str, fragment: bool) {
    let doc = if fragment {
        scraper::Html::parse_fragment(html)
    } else {
        scraper::Html::parse_document(html)
    };
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        if fragment {
            assert!(
                MARKDOWN_ELEMENTS.split_whitespace().any(|n| n == name),
                "{what}: unexpected <{name}> in {html}"
            );
        }
        if name == "script" {
            let src = el.attr("src").unwrap_or_default();
            assert!(
                src.contains("js/") && !src.contains(':'),
                "{what}: a script that is not the theme's: {html}"
            );
        }
        assert!(
            !matches!(name, "iframe" | "object" | "embed" | "frame"),
            "{what}: unexpected <{name}> in {html}"
        );
        if name == "base" {
            assert!(el.attr("href").is_none(), "{what}: <base href> in {html}");
        }
        if name == "svg" {
            // The theme's own graphics only: charts and decorative bars.
            assert!(
                el.attr("class") == Some("chart") || el.attr("aria-hidden") == Some("true"),
                "{what}: an <svg> that is not the theme's in {html}"
            );
        }
        for (attr, value) in el.attrs() {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "{what}: event handler {attr}={value:?} in {html}"
            );
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset"
            ) {
                assert!(
                    !is_script_url(value),
                    "{what}: {attr}={value:?} runs script, in {html}"
                );
            }
        }
    }
}

/// Input bytes read as a few control bytes and NUL-separated strings. Reading past the end
/// gives zeros and empty strings, so every input means something.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// The text up to the next NUL byte (or the end), invalid UTF-8 replaced.
    fn text(&mut self) -> String {
        let end = self.0.iter().position(|&b| b == 0).unwrap_or(self.0.len());
        let s = String::from_utf8_lossy(&self.0[..end]).into_owned();
        self.0 = &self.0[(end + 1).min(self.0.len())..];
        s
    }

    fn pick<'s>(&mut self, choices: &[&'s str]) -> &'s str {
        choices[self.byte() as usize % choices.len()]
    }
}

// ---------------------------------------------------------------------------------------------
// front_matter
// ---------------------------------------------------------------------------------------------

/// `load::split_front_matter` on any text, from the start and after a byte-order mark as
/// `load_site` calls it: never panics; on success the fences are where the ranges say, the
/// ranges lie inside the text on character boundaries; on failure the marker is inside.
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut starts = vec![0];
    if text.starts_with('\u{feff}') {
        starts.push(3);
    }
    for start in starts {
        match load::split_front_matter(&text, start) {
            Ok((yaml, body)) => {
                assert!(start <= yaml.start && yaml.start <= yaml.end && yaml.end <= text.len());
                assert!(text.is_char_boundary(yaml.start) && text.is_char_boundary(yaml.end));
                assert_eq!(text[start..yaml.start].trim_end(), "---", "opening fence");
                let body = body.expect("a closed front matter has a body");
                assert!(yaml.end <= body.start && body.end == text.len());
                assert!(text.is_char_boundary(body.start));
                assert_eq!(
                    text[yaml.end..body.start].trim_end(),
                    "---",
                    "closing fence"
                );
                // The closing fence is the first fence line after the opening one.
                for line in text[yaml.clone()].split_inclusive('\n') {
                    assert_ne!(line.trim_end(), "---", "an earlier closing fence");
                }
            }
            Err(d) => assert_spans_inside(&text, std::slice::from_ref(&d)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// record
// ---------------------------------------------------------------------------------------------

/// The first byte picks the kind (low 7 bits, modulo 13) and whether the file is Markdown
/// (high bit); the rest is the file's bytes, parsed by `load::parse_record_file` as
/// `load_site` parses a file it has read. A record has a valid ID of that kind and a body
/// that is the file's tail; diagnostics point inside the file and render.
pub fn record(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[(selector & 0x7f) as usize % Kind::ALL.len()];
    let markdown = selector & 0x80 != 0;
    let name = format!(
        "content/{}/fuzz.{}",
        kind.folder(),
        if markdown { "md" } else { "yaml" }
    );
    let (text, result) = load::parse_record_file(kind, &name, markdown, bytes.to_vec());
    match result {
        Ok(rec) => {
            assert_eq!(rec.kind(), kind);
            assert!(
                load::validate_id(kind, &rec.id).is_ok(),
                "invalid ID accepted: {:?}",
                rec.id
            );
            assert_eq!(rec.key.id, rec.id.to_lowercase());
            assert!(rec.yaml_offset <= text.len());
            match (&rec.body, markdown) {
                (Some((body, at)), true) => assert_eq!(&text[*at..], &**body),
                (None, false) => {}
                (body, _) => panic!("body {body:?} for markdown={markdown}"),
            }
            let _ = (rec.title(), rec.short_title(), rec.source());
            serde_json::to_string(&rec.data).expect("record data serialises");
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error without a diagnostic");
            assert_spans_inside(&text, &diags);
            let mut sources = SourceMap::default();
            let file = sources.add(name, text);
            let diags: Vec<Diagnostic> = diags
                .into_iter()
                .map(|mut d| {
                    d.file = d.file.map(|_| file);
                    d
                })
                .collect();
            render_diagnostics(&diags, &sources);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// markdown
// ---------------------------------------------------------------------------------------------

/// Resolves a link destination the way the site does for a record that exists: only valid
/// IDs resolve, to the kind's folder; web addresses are kept.
fn resolve(dest: &str) -> Option<String> {
    let link = match parse_typed_link(dest) {
        None => return Some(dest.to_string()),
        Some(Err(_)) => return None,
        Some(Ok(link)) => link,
    };
    let url = match link.kind() {
        None => {
            // A keyword: its slug's page.
            let slug = text::slugify(link.id);
            (!slug.is_empty()).then(|| format!("/keywords/{slug}/"))?
        }
        Some(kind) => load::validate_id(kind, link.id)
            .ok()
            .map(|()| format!("/{}/{}/", kind.url_segment(), link.id.to_lowercase()))?,
    };
    Some(match link.fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    })
}

/// The first byte holds options (bit 0 smart punctuation, bit 1 highlighting, bit 2 glossary
/// terms, bit 3 raw HTML allowed); the rest is Markdown with typed links
/// (`[x](commitment:200005)`, `[y](transformation:3A#plans)`). Rendering never panics; with
/// raw HTML off the output, parsed as a browser would, has no script, no event handler and no
/// script URL. Link destinations point inside the text; plain text and slugs never panic.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let md = String::from_utf8_lossy(rest);
    let opts = MarkdownOptions {
        smart_punctuation: flags & 1 != 0,
        highlight_code: flags & 2 != 0,
        unsafe_html: flags & 8 != 0,
    };
    let mut abbr = Abbreviations::new();
    if flags & 4 != 0 {
        for (term, expansion) in [
            ("DTM", "Displacement Tracking Matrix"),
            ("IOM", "<script>alert(1)</script> \" onmouseover=\"alert(2)"),
            ("EO", "Example & Organisation"),
            ("A-B", "Hyphen'd"),
        ] {
            abbr.insert(
                term.to_string(),
                (expansion.to_string(), format!("/glossary/a/#{term}")),
            );
        }
    }
    let html = markdown::render_with(&md, &opts, &resolve, (flags & 4 != 0).then_some(&abbr));
    if !opts.unsafe_html {
        assert!(
            !html.to_ascii_lowercase().contains("<script"),
            "<script in {html}"
        );
        assert_no_active_content("markdown", &html, true);
    }
    for (dest, range) in markdown::scan(&md, false).links {
        assert!(
            range.start <= range.end && range.end <= md.len(),
            "{range:?}"
        );
        assert!(md.is_char_boundary(range.start) && md.is_char_boundary(range.end));
        if let Some(Ok(link)) = parse_typed_link(&dest) {
            assert!(dest.contains(link.id));
        }
    }
    let _ = text::plain_text(&md);
    let slug = text::slugify(&md);
    assert!(
        slug.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{slug}"
    );
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
}

// ---------------------------------------------------------------------------------------------
// pipeline
// ---------------------------------------------------------------------------------------------

/// Copies the repository's `themes/` into `root` (once per site folder).
pub fn prepare_site_dir(root: &Path, repo_themes: &Path) {
    copy_tree(repo_themes, &root.join("themes")).expect("copy the themes");
}

/// Link targets that exist in every generated site, and some that do not.
const TARGETS: [&str; 16] = [
    "commitment:100001",
    "transformation:3A",
    "transformation:3a#plans",
    "initiative:dtm",
    "page:about",
    "document:doc",
    "organisation:org",
    "glossary:acronyms",
    "core-responsibility:3",
    "report:2017/3A",
    "commitment:200000",
    "page:p1",
    "section:doc/s2",
    "https://example.org/x?y=1&z=2",
    "/commitments/",
    "#top",
];

/// A Markdown text: the input's text with typed links appended.
fn markdown_text(r: &mut Reader) -> String {
    let mut md = r.text();
    for _ in 0..r.byte() % 4 {
        let target = if r.byte() % 8 == 7 {
            r.text()
        } else {
            r.pick(&TARGETS).to_string()
        };
        let label = r.text();
        let _ = write!(md, "\n\nSee [{label}]({target}).");
    }
    md
}

/// The fixed part of every generated site: one record of the kinds others point to.
const BASE: [(&str, &str); 9] = [
    (
        "documents/doc.yaml",
        "id: doc\ntitle: A source document\npublisher: Example Organisation\nyear: 2019\n",
    ),
    (
        "organisations/org.yaml",
        "id: org\nname: Example Organisation\nacronym: EO\ntype: UN\nsource:\n  document: doc\n",
    ),
    (
        "core-responsibilities/3.yaml",
        "id: 3\ntitle: Leave No One Behind\nsource:\n  document: doc\n",
    ),
    (
        "transformations/3a.yaml",
        "id: \"3A\"\ntitle: Reduce and address displacement\ncore_responsibility: 3\nsource:\n  document: doc\n",
    ),
    (
        "commitments/100001.yaml",
        "id: 100001\ntext: Track displacement with the [matrix](initiative:dtm).\ntype: Operational\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nkeywords: [Data]\nsource:\n  document: doc\n",
    ),
    (
        "initiatives/dtm.md",
        "---\nid: dtm\nname: Displacement Tracking Matrix\nacronym: DTM\ntransformations: [\"3A\"]\nsource:\n  document: doc\n---\nThe matrix.\n",
    ),
    (
        "glossary/acronyms.yaml",
        "id: acronyms\ntitle: Acronyms\nterms:\n  - term: DTM\n    definition: Displacement Tracking Matrix\nsource:\n  document: doc\n",
    ),
    (
        "pages/about.md",
        "---\nid: about\ntitle: About\n---\nAbout.\n",
    ),
    (
        "reports/2017/3a.yaml",
        "year: 2017\ntransformation: \"3A\"\nactions: Tracked.\nsource:\n  document: doc\n",
    ),
];

/// Writes a small site derived from `data` under `root/content` (replacing any earlier one).
/// Returns whether raw HTML is allowed in its Markdown. Every value the input writes (titles,
/// texts, IDs, addresses, menu links) goes through the site writer, which quotes it by
/// construction; the YAML is the library's own, so what is fuzzed is the site, not a quoting
/// routine of this file.
fn write_site(root: &Path, data: &[u8]) -> bool {
    let content = root.join("content");
    if content.exists() {
        std::fs::remove_dir_all(&content).expect("clear content");
    }
    let site = SiteWriter::into_folder(root);
    for (path, text) in BASE {
        site.text(&format!("content/{path}"), text)
            .expect("write a base record");
    }
    let mut r = Reader(data);

    // Site settings.
    let flags = r.byte();
    let outputs = r.byte();
    let title = r.text();
    let mut config = SiteConfig::new(if title.is_empty() { "Fuzz" } else { &title });
    config.description = r.text();
    config.organisation = Some("org".into());
    config.base_url = match flags & 3 {
        0 => "/".to_string(),
        1 => "/sub/path/".to_string(),
        2 => "https://example.org/site/".to_string(),
        _ => r.text(),
    };
    let unsafe_html = flags & 16 != 0;
    config.minify = flags & 4 != 0;
    config.relative_urls = flags & 8 != 0;
    config.markdown.unsafe_html = unsafe_html;
    config.markdown.smart_punctuation = flags & 32 != 0;
    config.markdown.highlight_code = flags & 64 != 0;
    config.outputs = Outputs {
        search: outputs & 1 == 0,
        data: outputs & 2 == 0,
        embeds: outputs & 4 == 0,
        feed: outputs & 8 == 0,
    };
    for _ in 0..r.byte() % 4 {
        let title = r.text();
        let link = match r.byte() % 6 {
            0 => "/commitments/".to_string(),
            1 => "page:about".to_string(),
            2 => "commitment:100001".to_string(),
            3 => "https://example.org/".to_string(),
            4 => "transformation:3a".to_string(),
            _ => r.text(),
        };
        config.menu.push(MenuItem { title, link });
    }
    site.settings(&config).expect("write site.yaml");

    // Records derived from the input.
    let count = r.byte() % 8;
    for i in 0..count as usize {
        let selector = r.byte();
        // Now and then an ID written by the input (mostly invalid: the error path), as text.
        let own_id = selector & 0x80 != 0;
        let id = |r: &mut Reader, generated: Value| {
            if own_id {
                Value::String(r.text())
            } else {
                generated
            }
        };
        let source = Fields::new().with("document", "doc");
        let written = match selector & 0x7f {
            0 | 10 | 11 => {
                let n = 200_000 + i;
                let id = id(&mut r, Value::from(n));
                let ty = r.pick(&["Operational", "Policy", "Advocacy", "Financial"]);
                let md = markdown_text(&mut r);
                let keywords = [r.text(), r.text()];
                let aliases = [r.text()];
                let section = r.text();
                let body = markdown_text(&mut r);
                let fields = Fields::new()
                    .with("id", id)
                    .with("organisation", "org")
                    .with("text", md)
                    .with("type", ty)
                    .with("core_responsibilities", [3])
                    .with("transformations", ["3A"])
                    .with("initiatives", ["dtm"])
                    .with("keywords", keywords)
                    .with("aliases", aliases)
                    .with("source", source.with("section", section));
                site.markdown_record(
                    Kind::Commitment,
                    &n.to_string(),
                    &fields,
                    &format!("{body}\n"),
                )
            }
            1 | 12 => {
                let id = id(&mut r, Value::String(format!("p{i}")));
                let title = r.text();
                let description = r.text();
                let body = markdown_text(&mut r);
                let fields = Fields::new()
                    .with("id", id)
                    .with("title", title)
                    .with("description", description);
                site.markdown_record(Kind::Page, &format!("p{i}"), &fields, &format!("{body}\n"))
            }
            2 => {
                let id = id(&mut r, Value::String(format!("i{i}")));
                let name = r.text();
                let acronym = r.text();
                let url = r.pick(&["https://example.org/", "http://example.org/a?b=c&d"]);
                let actions = markdown_text(&mut r);
                let body = markdown_text(&mut r);
                let fields = Fields::new()
                    .with("id", id)
                    .with("name", name)
                    .with("acronym", acronym)
                    .with("url", url)
                    .with("transformations", ["3A"])
                    .with("commitments", [100_001])
                    .with(
                        "reports",
                        [Fields::new().with("year", 2017).with("actions", actions)],
                    )
                    .with("source", source);
                site.markdown_record(
                    Kind::Initiative,
                    &format!("i{i}"),
                    &fields,
                    &format!("{body}\n"),
                )
            }
            3 => {
                let id = id(&mut r, Value::String(format!("s{i}")));
                let parent = match r.byte() % 3 {
                    0 if i > 0 => Some(format!("s{}", i - 1)),
                    _ => None,
                };
                let order = r.byte();
                let title = r.text();
                let body = markdown_text(&mut r);
                let mut fields = Fields::new().with("id", id).with("document", "doc");
                if let Some(parent) = parent {
                    fields.set("parent", parent);
                }
                let fields = fields
                    .with("order", order)
                    .with("title", title)
                    .with("initiatives", ["dtm"])
                    .with("source", source);
                site.markdown_record(
                    Kind::Section,
                    &format!("doc/s{i}"),
                    &fields,
                    &format!("{body}\n"),
                )
            }
            4 => {
                let year = 2018 + i;
                let actions = markdown_text(&mut r);
                let measures = [r.text()];
                let plans = markdown_text(&mut r);
                let keywords = [r.text()];
                let fields = Fields::new()
                    .with("year", year)
                    .with("transformation", "3A")
                    .with("organisation", "org")
                    .with("actions", actions)
                    .with("progress_measures", &measures)
                    .with("challenges", &measures)
                    .with("plans", plans)
                    .with("keywords", keywords)
                    .with("source", source);
                site.record(Kind::Report, &format!("{year}/3a"), &fields)
            }
            5 => {
                let id = id(&mut r, Value::String(format!("cc-{i}")));
                let md = markdown_text(&mut r);
                let groups = [r.text()];
                let fields = Fields::new()
                    .with("id", id)
                    .with("text", md)
                    .with("core_responsibilities", [3])
                    .with("transformations", ["3A"])
                    .with("groups", groups)
                    .with("source", source);
                site.record(Kind::CoreCommitment, &format!("cc-{i}"), &fields)
            }
            6 => {
                let id = id(&mut r, Value::String(format!("g{i}")));
                let title = r.text();
                let term = r.text();
                let definition = r.text();
                let fields = Fields::new()
                    .with("id", id)
                    .with("title", title)
                    .with(
                        "terms",
                        [Fields::new()
                            .with("term", term)
                            .with("definition", definition)],
                    )
                    .with("source", source);
                site.record(Kind::Glossary, &format!("g{i}"), &fields)
            }
            7 => {
                let id = id(&mut r, Value::String(format!("a{i}")));
                let title = r.text();
                let ctitle = r.text();
                let md = markdown_text(&mut r);
                let deliverable = markdown_text(&mut r);
                let body = markdown_text(&mut r);
                let commitment = Fields::new()
                    .with("number", 1)
                    .with("title", ctitle)
                    .with("text", md)
                    .with(
                        "deliverables",
                        [Fields::new()
                            .with("number", "1.1")
                            .with("text", deliverable)],
                    )
                    .with("transformations", ["3A"])
                    .with("initiatives", ["dtm"]);
                let fields = Fields::new()
                    .with("id", id)
                    .with("title", title)
                    .with("organisation", "org")
                    .with("commitments", [commitment])
                    .with("source", source);
                site.markdown_record(
                    Kind::ActionPlan,
                    &format!("a{i}"),
                    &fields,
                    &format!("{body}\n"),
                )
            }
            8 => {
                let id = id(&mut r, Value::String(format!("f{i}")));
                let title = r.text();
                let columns = [r.text(), r.text()];
                let a = u64::from(r.byte()) * 1000;
                let b = u64::from(r.byte());
                let label = r.text();
                let row = |label: String, values: [Option<u64>; 2], total: u64| {
                    Fields::new()
                        .with("label", label)
                        .with("values", values)
                        .with("total", total)
                };
                let fields = Fields::new()
                    .with("id", id)
                    .with("title", title)
                    .with("columns", columns)
                    .with(
                        "rows",
                        [
                            row(label, [Some(a), None], a),
                            row("second".into(), [None, Some(b)], b),
                        ],
                    )
                    .with(
                        "total",
                        Fields::new().with("values", [a, b]).with("total", a + b),
                    )
                    .with("source", source);
                site.record(Kind::FundingTable, &format!("f{i}"), &fields)
            }
            // Every other kind (and any kind added later) from its own skeleton.
            n if n >= 64 => {
                let kind = Kind::ALL[n as usize % Kind::COUNT];
                let generated = format!("{}{i}", kind.name());
                let own = match id(&mut r, Value::String(generated.clone())) {
                    Value::String(s) => s,
                    _ => generated.clone(),
                };
                // IDs of a required form (a number, a code under core responsibility 3, a
                // year and code, a document and section) are valid; the others are the input's.
                let (new_id, any_id) = match kind {
                    Kind::CoreResponsibility => ("3".to_string(), false),
                    Kind::Commitment => (format!("{}", 400_000 + i), false),
                    Kind::Transformation => ("3Z".to_string(), false),
                    Kind::Report => ("2031/3A".to_string(), false),
                    Kind::Section => (format!("doc/{generated}"), false),
                    _ => (own, true),
                };
                let (rel, text) = skeleton(
                    kind,
                    &Skeleton {
                        id: &new_id,
                        document: Some("doc"),
                        documents: &["doc"],
                        core_responsibility: "3",
                        transformation: "3A",
                    },
                );
                // A file named by the generated name: the input's ID is fuzzed inside the
                // record (the loader reads IDs from records, never from file names).
                let rel = match rel.rsplit_once('.') {
                    Some((_, ext)) if any_id => format!("{generated}.{ext}"),
                    _ => rel,
                };
                site.record_text(kind, &rel, &text)
            }
            _ => {
                let id = id(&mut r, Value::String(format!("o{i}")));
                let name = r.text();
                let acronym = r.text();
                let website = r.pick(&["https://example.org/", "https://example.org/o?a=1"]);
                let fields = Fields::new()
                    .with("id", id)
                    .with("name", name)
                    .with("acronym", acronym)
                    .with("type", "NGO")
                    .with("website", website)
                    .with("source", source);
                site.record(Kind::Organisation, &format!("o{i}"), &fields)
            }
        };
        // The writer refuses only paths outside the site, which generated names never are.
        written.expect("write a record");
    }
    unsafe_html
}

/// Builds a site generated from `data` in `root` (prepared with [`prepare_site_dir`]) into
/// memory. Never panics; every diagnostic points inside its file and renders; a build without
/// errors wrote pages, including the home page; every JSON file parses; with raw HTML off no
/// page has a script other than the theme's, an event handler or a script URL. Returns the
/// number of pages of a build without errors, `None` for a build that reported errors.
pub fn pipeline(root: &Path, data: &[u8]) -> Option<usize> {
    let unsafe_html = write_site(root, data);
    let opts = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let sink = MemorySink::new();
    let report = build_into(&opts, &sink, &|_, _| {});
    for d in &report.diagnostics {
        if let Some(file) = d.file {
            assert_spans_inside(report.sources.text(file), std::slice::from_ref(d));
        }
    }
    render_diagnostics(&report.diagnostics, &report.sources);
    if report.has_errors() {
        return None;
    }
    assert!(report.pages > 0, "an error-free build wrote no page");
    assert!(report.files >= report.pages);
    assert!(sink.get("index.html").is_some(), "no home page");
    for (path, bytes) in sink.entries() {
        if path.ends_with(".json") {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                panic!("{path} is not JSON: {e}");
            }
        } else if path.ends_with(".html") && !unsafe_html {
            assert_no_active_content(&path, &String::from_utf8_lossy(&bytes), false);
        } else if path.ends_with(".xml") && !unsafe_html {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("<script"),
                "{path}"
            );
        } else if path.ends_with(".js") && path.starts_with("search/") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("</script"),
                "{path}: a search shard could close a script element"
            );
        }
    }
    Some(report.pages)
}
