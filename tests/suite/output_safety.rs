//! Output safety: record fields and Markdown carrying script, event handlers, `javascript:` and
//! `data:` URLs and broken-out attributes are escaped or removed in every page, in JSON, in CSV
//! (formula injection) and in the feed.

use crate::common::*;

const XSS: &str = r#"\"><script>alert(1)</script><img src=x onerror=alert(2)>"#;

fn hostile_site() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/site.yaml",
        format!("title: \"Site {XSS}\"\ndescription: \"{XSS}\"\norganisation: org\nmenu:\n  - title: \"Menu {XSS}\"\n    link: /commitments/\n"),
    );
    site.write(
        "content/commitments/100003.md",
        format!(
            "---\nid: 100003\ntext: \"=HYPERLINK(\\\"http://evil\\\") {XSS} [click](javascript:alert(4)) [img](data:text/html,x)\"\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nkeywords: [\"{XSS}\", \"+cmd\"]\nsource:\n  document: doc\n  section: \"{XSS}\"\n  note: \"{XSS}\"\n---\nBody <script>alert(5)</script> <svg onload=alert(6)>\n\n<a href=\"javascript:alert(7)\">raw</a>\n\n[x](  JAVASCRIPT:alert(8) )\n\n![i](javascript:alert(9))\n"
        ),
    );
    site.write(
        "content/initiatives/evil.md",
        format!("---\nid: evil\nname: \"{XSS}\"\nacronym: \"<b>EV</b>\"\nsource:\n  document: doc\n---\nText.\n"),
    );
    site.write(
        "content/glossary/acronyms.yaml",
        format!("id: acronyms\ntitle: Acronyms\nterms:\n  - term: DTM\n    definition: \"{XSS}\"\n  - term: EO\n    definition: Example Organisation\nsource:\n  document: doc\n"),
    );
    site
}

/// No active content came out of records (the oracle the fuzz targets use), and none of the
/// hostile site's injected images.
fn assert_no_active_content(path: &str, html: &str) {
    crate::harness::assert_no_active_content(path, html, false);
    let doc = scraper::Html::parse_document(html);
    let img = scraper::Selector::parse("img").expect("selector");
    for el in doc.select(&img) {
        assert!(
            el.value().attr("src") != Some("x"),
            "{path}: injected <img>"
        );
    }
}

#[test]
fn hostile_records_are_escaped_everywhere() {
    let site = hostile_site();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The link checker warns about the script URLs it removes.
    assert!(
        run.stderr.contains("warning[dangerous-link]"),
        "{}",
        run.stderr
    );
    let tree = snapshot_tree(&site.path("public"));
    let mut pages = 0;
    for (path, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            assert_no_active_content(path, &text);
            pages += 1;
        } else if path.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(!v.is_null());
        } else if path.ends_with(".xml") {
            assert!(!text.contains("<script"), "{path}");
        } else if path.ends_with(".js") && path.starts_with("search/") {
            assert!(
                !text.contains("</script"),
                "{path}: a shard could close a script element"
            );
        }
    }
    assert!(pages > 50);
    // The escaped text is still shown to readers.
    let page = site.read("public/commitments/100003/index.html");
    assert!(
        page.contains("&lt;script>alert(1)&lt;/script>")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
}

#[test]
fn script_urls_in_menu_and_url_fields_are_errors() {
    let site = hostile_site();
    let config = site
        .read("content/site.yaml")
        .replace("link: /commitments/", "link: \"javascript:alert(3)\"");
    site.write("content/site.yaml", config);
    let evil = site.read("content/initiatives/evil.md").replacen(
        "source:",
        "url: \"javascript:alert(10)\"\nsource:",
        1,
    );
    site.write("content/initiatives/evil.md", evil);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[dangerous-link]: menu item"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error[bad-url]: `url` must be a web address, not `javascript:alert(10)`"),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_cells_cannot_become_formulas() {
    let site = hostile_site();
    assert_eq!(site.run(&["build"]).code, 0);
    let csv = site.read("public/data/commitments.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let text_col = headers.iter().position(|h| h == "text").unwrap();
    let kw_col = headers.iter().position(|h| h == "keywords").unwrap();
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == "100003")
        .expect("row");
    assert!(
        row[text_col].starts_with("'=HYPERLINK"),
        "{:?}",
        &row[text_col]
    );
    for record in csv::Reader::from_reader(csv.as_bytes()).records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula cell {cell:?}"
            );
        }
    }
    let _ = kw_col;
}
