//! List pages at size (issue 18): every list is paginated, so no page's weight grows with the
//! number of commitments; the filter data files cover every commitment; the pager links the
//! pages. Built from the benchmark corpus generator (`examples/gen_corpus.rs`) at two sizes.
//! The 100,000-commitment check is `scripts/list-bench.sh` (it fails on a page over 200 KB).

use crate::common::*;
use crate::gen_corpus;
use std::path::Path;

/// Page size of every list (`paths::LIST_PAGE_SIZE`).
const PAGE: usize = 100;

fn build(n: u32, dir: &Path) -> TestSite {
    gen_corpus::generate(&gen_corpus::Options {
        commitments: n,
        out: dir.to_path_buf(),
        hugo: None,
        seed: 42,
    })
    .expect("generate");
    let site = TestSite::copy_of(dir);
    let run = site.run(&["build", "-q", "-o", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

/// Every `index.html` under `public/` with its size.
fn html_sizes(site: &TestSite) -> Vec<(String, u64)> {
    let out = site.path("public");
    walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file() && e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().strip_prefix(&out).expect("prefix");
            (
                rel.to_string_lossy().into_owned(),
                e.metadata().expect("metadata").len(),
            )
        })
        .collect()
}

/// Commitment links of a list page, in order.
fn listed(html: &str) -> Vec<String> {
    links_in(html)
        .into_iter()
        .filter_map(|l| {
            let id = l.strip_prefix("/commitments/")?.strip_suffix('/')?;
            (!id.is_empty() && id.chars().all(|c| c.is_ascii_digit())).then(|| id.to_string())
        })
        .collect()
}

#[test]
fn lists_are_paginated_and_no_page_grows_with_the_site() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = build(600, &tmp.path().join("small"));
    let large = build(1250, &tmp.path().join("large"));

    // The commitments index: 13 pages of 100 (the last has 50), each linking its neighbours.
    let pages = 1250usize.div_ceil(PAGE);
    let mut seen = Vec::new();
    for n in 1..=pages {
        let rel = if n == 1 {
            "public/commitments/index.html".to_string()
        } else {
            format!("public/commitments/page/{n}/index.html")
        };
        let html = large.read(&rel);
        let ids = listed(&html);
        let want = if n == pages {
            1250 - PAGE * (pages - 1)
        } else {
            PAGE
        };
        assert_eq!(ids.len(), want, "{rel}: {} commitments listed", ids.len());
        seen.extend(ids);
        let links = links_in(&html);
        if n > 1 {
            let prev = if n == 2 {
                "/commitments/".to_string()
            } else {
                format!("/commitments/page/{}/", n - 1)
            };
            assert!(links.contains(&prev), "{rel} does not link to {prev}");
            assert!(
                html.contains(&format!("page {n} of {pages}")),
                "{rel}: title"
            );
        }
        if n < pages {
            let next = format!("/commitments/page/{}/", n + 1);
            assert!(links.contains(&next), "{rel} does not link to {next}");
            let last = format!("/commitments/page/{pages}/");
            assert!(
                links.contains(&last),
                "{rel} does not link to the last page"
            );
        }
    }
    assert!(
        !large
            .path(&format!("public/commitments/page/{}/index.html", pages + 1))
            .exists(),
        "a page past the last"
    );
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 1250, "every commitment on exactly one page");

    // A facet page is paginated the same way and lists only its value's commitments.
    let policy = large.read("public/commitments/type/policy/index.html");
    assert!(
        policy.contains("with Type: Policy"),
        "the facet page says what is selected"
    );
    assert!(links_in(&policy).contains(&"/commitments/type/policy/page/2/".to_string()));
    assert!(listed(&policy).len() == PAGE);

    // The filter data: the facets file and every commitment's item in the item files.
    let facets = large.read("public/commitments/filter/facets.js");
    assert!(
        facets.starts_with("pactgenFilter.facets({"),
        "{}",
        &facets[..40]
    );
    assert!(facets.contains("\"total\":1250"));
    let files = 1250usize.div_ceil(25);
    for chunk in [0, files - 1] {
        let items = large.read(&format!("public/commitments/filter/items-{chunk}.js"));
        assert!(items.starts_with(&format!("pactgenFilter.items({chunk},[")));
    }
    assert!(
        !large
            .path(&format!("public/commitments/filter/items-{files}.js"))
            .exists()
    );

    // Weight independent of N: a full page of a list is about as heavy at 1,250 commitments
    // as at 600 (a quarter are Policy: 150 and 312, more than a page either way), and no
    // page is heavy.
    let sizes_small: std::collections::BTreeMap<String, u64> =
        html_sizes(&small).into_iter().collect();
    let sizes_large = html_sizes(&large);
    for list in [
        "commitments/index.html",
        "commitments/type/policy/index.html",
        "commitments/page/2/index.html",
        "transformations/index.html",
        "reports/index.html",
    ] {
        let s = sizes_small[list];
        let l = sizes_large
            .iter()
            .find(|(p, _)| p == list)
            .map(|(_, l)| *l)
            .unwrap_or_else(|| panic!("{list} missing"));
        assert!(
            (l as f64) < s as f64 * 1.1,
            "{list}: {s} bytes at 600 commitments, {l} at 1,250"
        );
    }
    let (largest, size) = sizes_large.iter().max_by_key(|(_, s)| *s).expect("pages");
    assert!(
        *size < 200_000,
        "{largest} is {size} bytes at 1,250 commitments"
    );
}

/// The filter script decodes what the build encodes: position sets of every shape (empty,
/// one, dense, sparse, runs, large gaps, the last position) through
/// `pactgen::internals::render::encode_positions` and `js/filter.js`'s decoder in Node.
#[test]
fn the_filter_script_decodes_what_the_build_encodes() {
    use pactgen::internals::render::{decode_positions, encode_positions};
    let mut cases = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for total in [
        0usize, 1, 5, 6, 7, 31, 32, 33, 64, 100, 1000, 40_000, 100_000,
    ] {
        for density in [0u64, 1, 10, 100, 500, 900, 1000] {
            let positions: Vec<u32> = (0..total as u32)
                .filter(|_| next() % 1000 < density)
                .collect();
            let text = encode_positions(&positions, total);
            assert_eq!(
                decode_positions(&text, total).as_deref(),
                Some(&positions[..])
            );
            cases.push(serde_json::json!({"text": text, "total": total, "positions": positions}));
        }
    }
    // Gaps that need several 5-bit groups, and the last position of a large list.
    for positions in [
        vec![0, 31, 32, 1023, 1024, 99_999],
        vec![99_999],
        vec![32_767, 32_768],
    ] {
        let text = encode_positions(&positions, 100_000);
        cases.push(serde_json::json!({"text": text, "total": 100_000, "positions": positions}));
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&cases).expect("json")).expect("write");
    let out = std::process::Command::new("node")
        .arg(repo().join("tests/browser/decode.mjs"))
        .arg(&file)
        .output()
        .expect("run node (Node.js is needed, as for the browser tests)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{} cases", cases.len())));
}
