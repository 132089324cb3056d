//! What an editor meets while writing (issue 20): `new` writes an honest draft skeleton and
//! refuses IDs the site cannot take; drafts are checked but left out of a build; every error
//! of a run is reported at once, in the summary's right words.

use crate::common::*;

const COMMITMENT: &str = "content/commitments/100001.yaml";

#[test]
fn new_writes_a_draft_with_placeholders_and_no_arbitrary_source() {
    let site = TestSite::fixture("minimal");
    // With one document on the site, that one is the source.
    let run = site.run(&["new", "commitment"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read(run.stdout.trim());
    assert!(text.starts_with("draft: true"), "{text}");
    assert!(text.contains("document: doc"), "{text}");
    assert!(text.contains("TODO: the text"), "{text}");
    assert!(run.stderr.contains("A draft"), "{}", run.stderr);
    // With several, none is chosen: the skeleton names them in a comment and leaves `source`
    // out, which a draft may.
    site.write(
        "content/documents/another.yaml",
        "id: another\ntitle: Another document\npublisher: Example Organisation\nyear: 2019\n",
    );
    let run = site.run(&["new", "initiative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read(run.stdout.trim());
    assert!(text.starts_with("---\ndraft: true"), "{text}");
    assert!(!text.contains("\nsource:"), "{text}");
    assert!(text.contains("# Documents: another, doc"), "{text}");
    // `--source` names it.
    let run = site.run(&["new", "organisation", "--source", "another"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read(run.stdout.trim());
    assert!(text.contains("source:\n  document: another"), "{text}");
    // The skeletons check: no error, a warning for each untouched placeholder, the drafts
    // counted in the summary.
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.stderr.matches("warning[placeholder-text]").count(),
        4,
        "{}",
        check.stderr
    );
    assert!(
        check
            .stderr
            .contains("no errors, 3 drafts left out, 4 warnings"),
        "{}",
        check.stderr
    );
    // Removing `draft: true` without a source is an error that says how to fix it.
    let path = "content/initiatives/new-initiative.md";
    site.write(path, site.read(path).replace("draft: true", "draft: false"));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stderr
            .contains("the initiative is missing the required field `source`"),
        "{}",
        check.stderr
    );
}

#[test]
fn new_refuses_ids_the_site_cannot_take() {
    let site = TestSite::fixture("minimal");
    let refused = |args: &[&str], says: &[&str]| {
        let run = site.run(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        for s in says {
            assert!(run.stderr.contains(s), "{args:?}: {}", run.stderr);
        }
    };
    refused(
        &["new", "report", "2017/3C"],
        &[
            "there is no transformation `3C`",
            "known transformations: `3A`",
            "pactgen new transformation 3C",
        ],
    );
    refused(
        &["new", "report", "two/3A"],
        &["`two` is not a year", "`YEAR/CODE`"],
    );
    // The hint agrees with the error.
    refused(
        &["new", "commitment", "abc"],
        &[
            "not a positive number",
            "commitment IDs are positive whole numbers",
            "pactgen new commitment`",
        ],
    );
    refused(
        &["new", "transformation", "7A"],
        &["there is no core-responsibility `7`"],
    );
    refused(
        &["new", "section", "nodoc/intro"],
        &[
            "there is no document `nodoc`",
            "known source documents: `doc`",
        ],
    );
    refused(
        &["new", "page", "about"],
        &["already exists", "content/pages/about.md"],
    );
    refused(
        &["new", "initiative", "--source", "nodoc"],
        &[
            "there is no document `nodoc`",
            "documents of this site: `doc`",
        ],
    );
    // Nothing was written.
    let written = site.run(&["check"]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(!written.stderr.contains("draft"), "{}", written.stderr);
}

#[test]
fn a_build_leaves_drafts_out_and_links_to_them_become_text() {
    let site = TestSite::fixture("minimal");
    let about = "content/pages/about.md";
    site.write(
        about,
        site.read(about).replacen("---\n", "---\ndraft: true\n", 1),
    );
    let dtm = "content/initiatives/dtm.md";
    site.write(
        dtm,
        site.read(dtm).replacen("---\n", "---\ndraft: true\n", 1),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Built 14 records") && run.stderr.contains("2 drafts left out"),
        "{}",
        run.stderr
    );
    // A warning for each reference to a draft, and for the menu item that names one.
    assert!(
        run.stderr
            .contains("warning[draft-reference]: menu item `About` links to page `about`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`initiatives` names initiative `dtm`, a draft"),
        "{}",
        run.stderr
    );
    // No page, export or index entry for them; no link to them anywhere.
    assert!(!site.path("public/about/index.html").exists());
    assert!(!site.path("public/initiatives/dtm/index.html").exists());
    for (path, bytes) in snapshot_tree(&site.path("public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("initiatives/dtm") && !text.contains("/about/"),
            "{path} names a draft"
        );
    }
    // The commitment's page keeps the link's text, without the link.
    let page = site.read("public/commitments/100001/index.html");
    assert!(page.contains("tracking matrix"), "{page}");
    // Every link of the build still resolves.
    let (checked, broken) = broken_links(&site.path("public"), "/");
    assert!(checked > 0 && broken.is_empty(), "{broken:?}");
}

#[test]
fn two_broken_files_fail_one_build_with_both_errors_and_the_right_summary() {
    let site = TestSite::fixture("minimal");
    site.write(
        COMMITMENT,
        "id: 100001\ntext: Commits.\ntype: Polcy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n",
    );
    site.write(
        "content/core-commitments/cc-01.yaml",
        "id: cc-01\ntext: Commit.\ncore_responsibilities: [3]\ntransformations: [\"3Z\"]\nsource:\n  document: doc\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`Polcy` is not a valid `type`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown transformation `3Z`"),
        "{}",
        run.stderr
    );
    // No `public/` was there: the summary does not claim it was left unchanged.
    assert!(
        run.stderr
            .trim_end()
            .ends_with("error: 2 errors found; nothing written to public"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
    // One error: singular.
    site.write(
        "content/core-commitments/cc-01.yaml",
        "id: cc-01\ntext: Commit.\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n",
    );
    let run = site.run(&["check"]);
    assert!(
        run.stderr.trim_end().ends_with("error: 1 error found"),
        "{}",
        run.stderr
    );
    let json = site.run(&["check", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["invalid-value", "unchecked-references"],
        "{codes:?}"
    );
}

/// Every diagnostic code the source can emit is listed in docs/diagnostics.md.
#[test]
fn every_diagnostic_code_is_documented() {
    let doc = std::fs::read_to_string(repo().join("docs/diagnostics.md")).unwrap();
    let mut missing = Vec::new();
    let mut found = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Outside tests: `Diagnostic::error(` (or `warning`, `note`), then the code literal.
        let code_part = text.split("#[cfg(test)]").next().unwrap_or("");
        for kind in ["error(", "warning(", "note("] {
            for piece in code_part.split(&format!("Diagnostic::{kind}")).skip(1) {
                let Some(code) = piece.trim_start().strip_prefix('"') else {
                    continue; // a code from a variable, checked where it is made
                };
                let code = &code[..code.find('"').unwrap()];
                found.insert(code.to_string());
                if !doc.contains(&format!("`{code}`")) {
                    missing.push(format!("{code} ({})", entry.path().display()));
                }
            }
        }
    }
    for code in [
        "unchecked-references",
        "bad-link",
        "broken-link",
        "draft-reference",
    ] {
        if !doc.contains(&format!("`{code}`")) {
            missing.push(code.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/diagnostics.md: {missing:?}"
    );
}
