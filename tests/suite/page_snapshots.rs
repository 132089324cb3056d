//! The safety net of the output: snapshots of the `<main>` of one page of every page type and
//! every record kind's template, of the data exports' heads, the CSV, the sitemap and the feed,
//! all from the `minimal` fixture site (every kind, small and stable). A change to a template,
//! a view or the URL layout shows here as a reviewable diff.

use crate::common::*;

use pactgen::MemorySink;
use pactgen::{BuildOptions, build_into};

fn build(site: &TestSite, base_url: &str) -> MemorySink {
    let sink = MemorySink::new();
    let report = build_into(
        &BuildOptions {
            root: site.root().to_path_buf(),
            base_url: Some(base_url.to_string()),
            ..BuildOptions::default()
        },
        &sink,
        &|_, _| {},
    );
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    sink
}

fn text(sink: &MemorySink, path: &str) -> String {
    let bytes = sink.get(path).unwrap_or_else(|| {
        panic!(
            "no {path} in {:?}",
            sink.entries().iter().map(|e| &e.0).collect::<Vec<_>>()
        )
    });
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// The page's `<main>` element (the whole page when it has none, as a redirect).
fn main_of(html: &str) -> &str {
    match (html.find("<main"), html.rfind("</main>")) {
        (Some(start), Some(end)) => &html[start..end + "</main>".len()],
        _ => html,
    }
}

/// One page of every page type and record kind: (snapshot name, output path).
const PAGES: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("not_found", "404.html"),
    ("search", "search/index.html"),
    ("keywords", "keywords/index.html"),
    ("commitments_index", "commitments/index.html"),
    ("facet_page", "commitments/type/policy/index.html"),
    ("reports_index", "reports/index.html"),
    ("report_year", "reports/2017/index.html"),
    ("commitment_yaml", "commitments/100001/index.html"),
    ("commitment_markdown", "commitments/100002/index.html"),
    ("transformation", "transformations/3a/index.html"),
    ("core_responsibility", "core-responsibilities/3/index.html"),
    ("core_commitment", "core-commitments/cc-01/index.html"),
    ("report", "reports/2017/3a/index.html"),
    ("initiative", "initiatives/dtm/index.html"),
    ("document", "documents/doc/index.html"),
    ("section", "documents/doc/chapter/index.html"),
    ("funding_table", "funding/region-a/index.html"),
    ("action_plan", "action-plans/plan/index.html"),
    ("glossary", "glossary/acronyms/index.html"),
    ("organisation", "organisations/org/index.html"),
    ("free_page", "about/index.html"),
    ("embed", "embed/commitment/100001/index.html"),
    ("alias", "old/commitment-one/index.html"),
];

#[test]
fn every_page_type_and_kind_template() {
    let site = TestSite::fixture("minimal");
    let c = site.read("content/commitments/100001.yaml") + "aliases: [/old/commitment-one/]\n";
    site.write("content/commitments/100001.yaml", c);
    let sink = build(&site, "https://example.org/site/");
    for (name, path) in PAGES {
        let html = text(&sink, path);
        insta::assert_snapshot!(*name, main_of(&html));
    }
}

#[test]
fn exports_feed_and_sitemap() {
    let site = TestSite::fixture("minimal");
    let sink = build(&site, "https://example.org/site/");
    insta::assert_snapshot!("commitments_csv", text(&sink, "data/commitments.csv"));
    insta::assert_snapshot!("sitemap", text(&sink, "sitemap.xml"));
    insta::assert_snapshot!("feed", text(&sink, "atom.xml"));
    insta::assert_snapshot!("robots", text(&sink, "robots.txt"));
    let mut heads = String::new();
    for (path, bytes) in sink.entries() {
        if path.starts_with("data/") && path.ends_with(".json") {
            let json = String::from_utf8_lossy(&bytes);
            let head: String = json.chars().take(600).collect();
            heads.push_str(&format!("== {path} ({} bytes)\n{head}\n", bytes.len()));
        }
    }
    insta::assert_snapshot!("data_export_heads", heads);
}
