//! The benchmark corpus generator (`examples/gen_corpus.rs`): deterministic, and its output
//! checks clean.

#[allow(dead_code)]
use crate::gen_corpus;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn generate(n: u32, seed: u64, out: &Path, hugo: &Path) {
    gen_corpus::generate(&gen_corpus::Options {
        commitments: n,
        out: out.to_path_buf(),
        hugo: Some(hugo.to_path_buf()),
        seed,
    })
    .expect("generate");
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_does_not() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    generate(200, 42, &a.join("site"), &a.join("hugo"));
    generate(200, 42, &b.join("site"), &b.join("hugo"));
    generate(200, 7, &c.join("site"), &c.join("hugo"));
    let (sa, sb, sc) = (snapshot(&a), snapshot(&b), snapshot(&c));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    assert!(sa == sb, "same seed, different bytes");
    assert!(sa != sc, "the seed is ignored");
    // The expected shape: N commitments in both sites, 24 transformations, 4 years of reports.
    let count = |s: &BTreeMap<String, Vec<u8>>, prefix: &str| {
        s.keys().filter(|k| k.starts_with(prefix)).count()
    };
    assert_eq!(count(&sa, "site/content/commitments/"), 200);
    assert_eq!(count(&sa, "site/content/transformations/"), 24);
    assert_eq!(count(&sa, "site/content/reports/"), 96);
    assert_eq!(count(&sa, "site/content/initiatives/"), 20);
    // Hugo: 200 pages plus the section's _index.md.
    assert_eq!(count(&sa, "hugo/content/commitments/"), 201);
}

#[test]
fn regenerating_a_smaller_corpus_leaves_no_stale_records() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (site, hugo) = (tmp.path().join("site"), tmp.path().join("hugo"));
    generate(30, 1, &site, &hugo);
    generate(20, 1, &site, &hugo);
    let s = snapshot(tmp.path());
    assert_eq!(
        s.keys()
            .filter(|k| k.starts_with("site/content/commitments/"))
            .count(),
        20
    );
}

#[test]
fn the_corpus_checks_without_errors_or_warnings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    generate(200, 42, &site, &tmp.path().join("hugo"));
    let out = Command::cargo_bin("pactgen")
        .expect("binary")
        .args(["check", "--format", "json", "--root"])
        .arg(&site)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(diags, serde_json::json!([]), "diagnostics: {diags}");
    let body = std::fs::read_to_string(site.join("content/commitments/200100.md")).expect("read");
    let body = body.splitn(3, "---\n").nth(2).expect("front matter");
    let words = body.split_whitespace().count();
    assert!((250..=360).contains(&words), "{words} words");
    for needle in [
        "## ",
        "\n- ",
        "|---|",
        "](initiative:",
        "](transformation:",
        "](commitment:",
    ] {
        assert!(body.contains(needle), "body lacks {needle:?}");
    }
}

/// On a large site `check` renders a sample of the pages, one of every template and kind;
/// a template error on a record page is still found.
#[test]
fn check_samples_large_sites_and_still_finds_template_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    generate(2100, 42, &site, &tmp.path().join("hugo"));
    let check = || {
        Command::cargo_bin("pactgen")
            .expect("binary")
            .args(["check", "--root"])
            .arg(&site)
            .env("NO_COLOR", "1")
            .output()
            .expect("run")
    };
    let ok = check();
    let stderr = String::from_utf8_lossy(&ok.stderr).into_owned();
    assert!(ok.status.success(), "{stderr}");
    // 2,100 commitments have 4,200 pages (page and embed); the sample renders far fewer.
    let rendered: usize = stderr
        .split("(rendered ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("sample size in the summary");
    assert!(rendered < 600, "{stderr}");

    let template = site.join("themes/default/templates/commitment.html");
    let text = std::fs::read_to_string(&template).expect("template");
    std::fs::write(
        &template,
        text.replace("{{ page.kind_label }}", "{{ page.no_such_field }}"),
    )
    .expect("write");
    let bad = check();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no_such_field"), "{stderr}");
}

/// The data exports are made in parts of 256 records, 4,096 records at a time, and written
/// part by part: across those seams `data/commitments.json` is still one valid array, in
/// record order, each item the record's own `index.json`.
#[test]
fn a_streamed_export_is_one_array_across_its_parts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    generate(4400, 7, &site, &tmp.path().join("hugo"));
    let out = tmp.path().join("public");
    let run = Command::cargo_bin("pactgen")
        .expect("binary")
        .args(["build", "-q", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let read = |rel: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(out.join(rel)).expect("read");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let all = read("data/commitments.json");
    let items = all.as_array().expect("an array");
    assert_eq!(items.len(), 4400);
    let ids: Vec<u64> = items
        .iter()
        .map(|i| i["id"].as_str().expect("id").parse().expect("numeric id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "not in record order");
    for n in [0, 255, 256, 4095, 4096, 4399] {
        let id = items[n]["id"].as_str().expect("id");
        assert_eq!(
            items[n],
            read(&format!("commitments/{id}/index.json")),
            "item {n}"
        );
    }
}
