//! The reader's site: relative links for file://, aliases, embeds, facet pages, search index,
//! feed, acronyms, and the page-weight and no-inline-script rules, on the fixture and bundled sites.

use crate::common::*;

#[test]
fn relative_build_works_from_disk() {
    let site = TestSite::fixture("minimal");
    let run = site.run(&["build", "--relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (checked, broken) = broken_relative_links(&site.path("public"));
    assert!(checked > 200, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");
    let page = site.read("public/commitments/100001/index.html");
    assert!(
        page.contains("href=../../style.css") || page.contains("href=\"../../style.css\""),
        "{page}"
    );
    assert!(page.contains("../../initiatives/dtm/index.html"), "{page}");
    // Data files keep site-rooted URLs: they are read by programs, not browsed.
    assert!(
        site.read("public/commitments/100001/index.json")
            .contains("\"url\": \"/transformations/3a/\"")
    );
}

#[test]
fn relative_urls_setting_in_site_yaml() {
    let site = TestSite::fixture("minimal");
    let config = site.read("content/site.yaml") + "relative_urls: true\n";
    site.write("content/site.yaml", config);
    assert_eq!(site.run(&["build"]).code, 0);
    let (_, broken) = broken_relative_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn aliases_keep_old_urls_alive() {
    let site = TestSite::fixture("minimal");
    let c = site.read("content/commitments/100001.yaml")
        + "aliases: [/old/commitment-one/, legacy/100001]\n";
    site.write("content/commitments/100001.yaml", c);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for alias in ["old/commitment-one", "legacy/100001"] {
        let page = site.read(&format!("public/{alias}/index.html"));
        assert!(page.contains("url=/commitments/100001/"), "{page}");
        assert!(
            page.contains("rel=canonical") || page.contains("rel=\"canonical\""),
            "{page}"
        );
    }
    // An alias may not take a live URL.
    let c = site.read("content/commitments/100002.md").replacen(
        "---\nid: 100002",
        "---\nid: 100002\naliases: [/commitments/100001/]",
        1,
    );
    site.write("content/commitments/100002.md", c);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error[bad-alias]: alias `/commitments/100001/` is the URL of commitment `100001`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/commitments/100002.md:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn embeds_are_chrome_less_and_offered_on_record_pages() {
    let site = TestSite::fixture("minimal");
    assert_eq!(
        site.run(&["build", "--base-url", "https://example.org/"])
            .code,
        0
    );
    let embed = site.read("public/embed/commitment/100001/index.html");
    assert!(
        !embed.contains("site-header") && !embed.contains("site-footer"),
        "{embed}"
    );
    assert!(
        embed.contains("<base target=_top>") || embed.contains("<base target=\"_top\">"),
        "{embed}"
    );
    assert!(
        site.path("public/embed/section/doc/part/index.html")
            .is_file()
    );
    // The embed carries the record, not the related-records block, and tells its frame how
    // tall it is.
    assert!(!embed.contains("related-heading"), "{embed}");
    assert!(embed.contains("js/embed.js"), "{embed}");
    let page = site.read("public/commitments/100001/index.html");
    assert!(
        page.contains("src=&quot;https://example.org/embed/commitment/100001/&quot;"),
        "{page}"
    );
    // The snippet resizes its frame from the height the embed page posts, with a fixed
    // height to fall back on.
    assert!(page.contains("pactgenHeight"), "{page}");
    assert!(page.contains("height=&quot;600&quot;"), "{page}");
}

#[test]
fn facet_pages_list_only_matching_commitments() {
    let site = TestSite::fixture("minimal");
    assert_eq!(site.run(&["build"]).code, 0);
    let policy = site.read("public/commitments/type/policy/index.html");
    assert!(
        policy.contains("/commitments/100002/") && !policy.contains("/commitments/100001/"),
        "{policy}"
    );
    let dtm = site.read("public/commitments/initiative/dtm/index.html");
    assert!(dtm.contains("/commitments/100001/") && !dtm.contains("/commitments/100002/"));
    for page in [
        "core-responsibility/3",
        "transformation/3a",
        "keyword/data",
        "year/2017",
        "type/operational",
    ] {
        assert!(
            site.path(&format!("public/commitments/{page}/index.html"))
                .is_file(),
            "{page}"
        );
    }
    // The index loads the filter script, which reads the filter data written beside it: every
    // facet value with its commitments (as positions) and the rendered items.
    let index = site.read("public/commitments/index.html");
    assert!(index.contains("js/filter.js"));
    assert!(index.contains("commitments/filter/facets.js"), "{index}");
    let facets = site.read("public/commitments/filter/facets.js");
    assert!(facets.starts_with("pactgenFilter.facets("), "{facets}");
    assert!(facets.contains("[\"policy\",\"Policy\",1,"), "{facets}");
    let items = site.read("public/commitments/filter/items-0.js");
    assert!(
        items.contains("/commitments/100001/") && items.contains("/commitments/100002/"),
        "{items}"
    );
}

#[test]
fn search_index_finds_words_and_ids() {
    let site = TestSite::fixture("minimal");
    assert_eq!(site.run(&["build"]).code, 0);
    let meta = site.read("public/search/meta.js");
    assert!(meta.starts_with("pactgenSearch.meta({"), "{meta}");
    // Every record has a file for results; the commitment's holds its path and title.
    let records = std::fs::read_dir(site.path("public/search/r"))
        .expect("record files")
        .count();
    assert!(records > 5, "{records} record files");
    let all: String = (0..records)
        .map(|i| site.read(&format!("public/search/r/{i}.js")))
        .collect();
    assert!(all.contains("[\"commitments/100001/\","), "{all}");
    // A result shows the title its page has: a self-report's names its transformation.
    assert!(
        all.contains(
            "[\"reports/2017/3a/\",\"2017 self-report: 3A Reduce and address displacement\","
        ),
        "{all}"
    );
    // Its ID and its words are terms of the postings shards, and its ID is a code.
    let shards: String = std::fs::read_dir(site.path("public/search"))
        .expect("search folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('p') && name.ends_with(".js"))
        .map(|name| site.read(&format!("public/search/{name}")))
        .collect();
    assert!(
        shards.contains("\"100001\":\""),
        "commitment IDs are searchable"
    );
    assert!(shards.contains("\"100001\":["), "commitment IDs are codes");
    assert!(shards.contains("\"displacement\":\""), "{shards}");
    assert!(
        site.read("public/search/index.html")
            .contains("js/search.js")
    );
}

#[test]
fn atom_feed_lists_dated_records() {
    let site = TestSite::fixture("minimal");
    assert_eq!(
        site.run(&["build", "--base-url", "https://example.org/"])
            .code,
        0
    );
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(
        feed.contains("<link href=\"https://example.org/reports/2017/3a/\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2019-12-31T00:00:00Z</updated>"),
        "{feed}"
    );
}

#[test]
fn acronyms_are_marked_up_and_linked_to_the_glossary() {
    let site = TestSite::fixture("minimal");
    assert_eq!(site.run(&["build", "--no-minify"]).code, 0);
    let report = site.read("public/reports/2017/3a/index.html");
    // The DTM link text stays a plain link (no nested anchors)...
    assert!(
        report.contains(r#"<a href="/initiatives/dtm/">DTM</a>"#),
        "{report}"
    );
    let about = site.read("public/about/index.html");
    // ...and running text gets <abbr>; the first use of each term links to the glossary.
    assert!(about.contains(r#"<a class="abbr" href="/glossary/acronyms/#eo"><abbr title="Example Organisation">EO</abbr></a>"#), "{about}");
    assert!(about.contains(r#"<a class="abbr" href="/glossary/acronyms/#dtm"><abbr title="Displacement Tracking Matrix">DTM</abbr></a>, and the <abbr title="Displacement Tracking Matrix">DTM</abbr> again"#), "{about}");
}

#[test]
fn last_built_stamp_comes_from_source_date_epoch() {
    let site = TestSite::fixture("minimal");
    let out = site
        .cmd()
        .args(["build"])
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        site.read("public/index.html")
            .contains("last built 2026-11-22")
    );
}

#[test]
fn bundled_pages_are_light_and_run_under_a_strict_csp() {
    let site = TestSite::bundled();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tree = snapshot_tree(&site.path("public"));
    let mut css = 0;
    let mut js = 0;
    let mut heaviest = (0, String::new());
    for (path, bytes) in &tree {
        if path.ends_with(".html") {
            assert!(
                bytes.len() < 60 * 1024,
                "{path} is {} bytes (limit 60 KB)",
                bytes.len()
            );
            if bytes.len() > heaviest.0 {
                heaviest = (bytes.len(), path.clone());
            }
            let html = String::from_utf8_lossy(bytes);
            // No inline script, no inline style, no event handlers: default-src 'self' suffices.
            let lower = html.to_lowercase();
            for tag in lower.split("<script").skip(1) {
                let attrs = tag.split('>').next().unwrap_or("");
                assert!(attrs.contains("src="), "{path} has an inline script");
            }
            assert!(!lower.contains(" style="), "{path} has an inline style");
            assert!(
                !lower.contains(" onclick=") && !lower.contains(" onload="),
                "{path} has an event handler"
            );
            assert!(
                !lower.contains("http://") || path.contains("documents/"),
                "{path} loads over http"
            );
        } else if path.ends_with(".css") {
            css += bytes.len();
        } else if path.ends_with(".js")
            && !path.starts_with("search/")
            && !path.starts_with("commitments/filter/")
            && !path.ends_with("search.js")
        {
            js += bytes.len();
        }
    }
    assert!(css < 30 * 1024, "CSS {css} bytes");
    assert!(js < 30 * 1024, "JS {js} bytes");
    eprintln!(
        "heaviest page: {} ({} bytes); CSS {css} bytes; JS {js} bytes",
        heaviest.1, heaviest.0
    );
}
