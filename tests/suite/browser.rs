//! The reader's site in a real browser: builds the bundled site twice (normal and `--relative`)
//! and as a `pactgen bundle` (twice: the same bytes), unpacks the bundle, and runs
//! `tests/browser/run.mjs` on them in Debian's Chromium through playwright-core: axe-core on
//! every page kind, the strict CSP, the first screen of /transformations/3a/ and /commitments/,
//! 3A's self-report questions labelled, commitments and reports linked both ways, no slug in a
//! heading, no console error on any page kind, keyboard use, 320 px layout, filters, search,
//! table sorting, embeds, file:// browsing, the bundle crawled from file:// (with a filter, a
//! search and an embed), HTML validity (vnu) and screenshots.
//!
//! Needs the npm packages (installed by the test with `npm ci` when missing), Chromium and Java
//! (installed with apt-get when the test runs as root, else the test fails saying what to
//! install). `PACTGEN_SCREENSHOTS=docs/screenshots` writes the screenshots there (otherwise to
//! a temporary folder).

use crate::common::*;
use std::time::Instant;

#[test]
fn bundled_site_in_a_real_browser() {
    // Installed on first use, or the test fails saying what to install: it never passes
    // without running (tests/common/tools.rs).
    tools::node_modules();
    let chromium = tools::chromium();
    tools::java();
    let started = Instant::now();
    let site = TestSite::bundled();
    let run = site.run(&["build", "-o", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["build", "--relative", "-o", "public-relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The offline bundle, made twice: the same input gives the same bytes.
    for out in ["site.zip", "again.zip"] {
        let run = site.run(&["bundle", "-o", out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let zip_bytes = std::fs::read(site.path("site.zip")).expect("site.zip");
    assert!(
        zip_bytes == std::fs::read(site.path("again.zip")).expect("again.zip"),
        "two bundles of the same site differ"
    );
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("the bundle is a zip");
    archive
        .extract(site.path("bundle"))
        .expect("unpack the bundle");

    // `PACTGEN_SCREENSHOTS=docs/screenshots` (a folder, relative to the repository; `1` means
    // docs/screenshots) keeps the screenshots; otherwise they go to the temporary folder, so
    // that CI leaves the tree clean.
    let screenshots = match std::env::var("PACTGEN_SCREENSHOTS") {
        Ok(v) if v == "1" => repo().join("docs/screenshots"),
        Ok(v) if !v.trim().is_empty() => repo().join(v),
        _ => site.path("screenshots"),
    };
    let (out, stdout, stderr) = tools::run_browser_script(
        "run.mjs",
        &chromium,
        &[
            &site.path("public"),
            &site.path("public-relative"),
            &screenshots,
            &site.path("bundle"),
        ],
        &[("PACTGEN_CONTENT", &site.path("content"))],
    );
    println!(
        "browser tests took {:.1} s (both builds included)",
        started.elapsed().as_secs_f64()
    );
    assert!(
        out.status.success(),
        "browser checks failed (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    assert!(
        stdout.contains(" passed, 0 failed"),
        "no summary line:\n{stdout}"
    );
}

/// The relevance set (`tests/search-relevance.yaml`, at least 40 queries) through the real
/// search page in Chromium: at least 90% of the queries have every expected page in the top 3,
/// and every ID, code and acronym query has its page first (tests/browser/search-relevance.mjs
/// prints the figures: top-1, top-3, MRR).
#[test]
fn search_relevance_set_in_a_real_browser() {
    tools::node_modules();
    let chromium = tools::chromium();
    let set: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo().join("tests/search-relevance.yaml"))
            .expect("read tests/search-relevance.yaml"),
    )
    .expect("tests/search-relevance.yaml is YAML");
    let queries = set.as_sequence().expect("a list of queries");
    assert!(queries.len() >= 40, "only {} queries", queries.len());
    for q in queries {
        let kind = q["kind"].as_str().unwrap_or_default();
        assert!(
            q["query"].as_str().is_some_and(|s| !s.trim().is_empty())
                && [
                    "id",
                    "code",
                    "acronym",
                    "title",
                    "phrase",
                    "typo",
                    "prefix",
                    "stopwords"
                ]
                .contains(&kind)
                && q["expect"].as_sequence().is_some_and(|e| !e.is_empty()),
            "a query needs `query`, a known `kind` and `expect`: {q:?}"
        );
    }
    let site = TestSite::bundled();
    let run = site.run(&["build", "-o", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let set_json = site.path("relevance-set.json");
    std::fs::write(&set_json, serde_json::to_vec(&set).expect("JSON")).expect("write set");
    let (out, stdout, stderr) = tools::run_browser_script(
        "search-relevance.mjs",
        &chromium,
        &[
            &site.path("public"),
            &set_json,
            &site.path("relevance-results.json"),
        ],
        &[],
    );
    assert!(
        out.status.success() && stdout.contains("relevance set passed"),
        "the relevance set failed (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
}
