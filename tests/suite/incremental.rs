//! Incremental rebuilds (`serve`, `build --watch`) against whole builds: after every edit of a
//! copy of the bundled site, the files the live site publishes must be byte-identical to a
//! whole build of the same sources, and the fast paths must actually be taken.

use crate::common::TestSite;
use pactgen::MemorySink;
use pactgen::internals::incremental::{LiveSite, Method, Outcome, OutputTree};
use pactgen::{BuildOptions, build_into};
use std::collections::BTreeMap;
use std::path::PathBuf;

type Tree = BTreeMap<String, bytes::Bytes>;

fn whole_build(site: &TestSite) -> Tree {
    let sink = MemorySink::new();
    let report = build_into(&options(site), &sink, &|_, _| {});
    assert!(!report.has_errors(), "the reference build failed");
    sink.entries().into_iter().collect()
}

fn options(site: &TestSite) -> BuildOptions {
    BuildOptions {
        root: site.root().to_path_buf(),
        base_url: Some("/".into()),
        ..Default::default()
    }
}

/// The live site, the files it has published, and the site it watches.
struct Live {
    site: TestSite,
    live: LiveSite,
    /// What the live site published, as `build --watch` keeps it.
    tree: OutputTree,
}

impl Live {
    fn start() -> Live {
        let site = TestSite::bundled();
        let mut live = LiveSite::new(options(&site));
        let mut tree = OutputTree::default();
        let outcome = live.build_whole(&mut |step| tree.apply(step));
        assert!(!outcome.has_errors());
        Live { site, live, tree }
    }

    /// Applies `edits` (file, from, to), rebuilds, and returns how.
    fn edit(&mut self, edits: &[(&str, &str, &str)]) -> Outcome {
        let mut paths = Vec::new();
        for (rel, from, to) in edits {
            let text = self.site.read(rel);
            assert!(text.contains(from), "{rel} lacks {from:?}");
            self.site.write(rel, text.replacen(from, to, 1));
            paths.push(self.abs(rel));
        }
        self.update(paths)
    }

    /// Appends `text` to the file `rel`, rebuilds, and returns how.
    fn append(&mut self, rel: &str, text: &str) -> Outcome {
        let old = self.site.read(rel);
        self.site.write(rel, format!("{old}{text}"));
        self.update(vec![self.abs(rel)])
    }

    fn abs(&self, rel: &str) -> PathBuf {
        std::fs::canonicalize(self.site.root())
            .expect("root")
            .join(rel)
    }

    fn update(&mut self, paths: Vec<PathBuf>) -> Outcome {
        let tree = &mut self.tree;
        self.live.update(&paths, &mut |step| tree.apply(step))
    }

    /// The published files equal a whole build's, file for file.
    fn assert_current(&self, what: &str) {
        let want = whole_build(&self.site);
        let missing: Vec<&String> = want
            .keys()
            .filter(|k| !self.tree.files.contains_key(*k))
            .collect();
        let extra: Vec<&String> = self
            .tree
            .files
            .keys()
            .filter(|k| !want.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{what}: missing {missing:?}, extra {extra:?}"
        );
        let stale: Vec<&String> = want
            .iter()
            .filter(|(k, v)| self.tree.files.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .collect();
        assert!(
            stale.is_empty(),
            "{what}: {} stale files, first {:?}",
            stale.len(),
            &stale[..stale.len().min(8)]
        );
    }
}

#[track_caller]
fn assert_method(outcome: &Outcome, want: Method) {
    assert!(
        !outcome.has_errors(),
        "unexpected errors: {:?}",
        outcome
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    assert_eq!(outcome.method, want);
}

const C1: &str = "content/commitments/200001.yaml";

#[test]
fn text_edits_of_every_kind_rebuild_only_what_shows_them() {
    let mut l = Live::start();
    let cases: &[(&str, &str, &str)] = &[
        // After a commitment title's first 12 words: the title stays.
        (
            C1,
            "for the field on agency",
            "for the field offices on agency",
        ),
        (
            "content/core-commitments/cc-01.yaml",
            "in accordance with international law",
            "in full accordance with international law",
        ),
        (
            "content/reports/2017/1b.yaml",
            "improve common analysis",
            "improve shared analysis",
        ),
        (
            "content/transformations/1b.yaml",
            "section: \"1B Act early\"",
            "section: \"1B  Act early\"",
        ),
        (
            "content/initiatives/aap.md",
            "will be piloted in a set number of operational contexts",
            "will be piloted in a number of operational contexts",
        ),
        (
            "content/funding-tables/asia-and-the-pacific.yaml",
            "read rotated 180°",
            "read rotated by 180°",
        ),
        (
            "content/sections/migration-initiatives-2019/foreword.md",
            "section: \"FOREWORD\"",
            "section: \"Foreword\"",
        ),
        (
            "content/documents/institutional-plan-internal-displacement.yaml",
            "four IOM commitments",
            "four commitments of IOM",
        ),
        (
            "content/action-plans/sg-action-agenda-internal-displacement.md",
            "IOM manages a USD 3 billion portfolio",
            "IOM manages a portfolio of USD 3 billion",
        ),
        (
            "content/pages/about.md",
            "as typed, cross-linked records",
            "as typed and cross-linked records",
        ),
        (
            "content/organisations/iom.yaml",
            "focal_point: PRD",
            "focal_point: PRD (Geneva)",
        ),
    ];
    for (file, from, to) in cases {
        let outcome = l.edit(&[(file, from, to)]);
        assert_method(&outcome, Method::Records);
        assert!(
            outcome.pages < 40,
            "{file}: {} pages re-rendered",
            outcome.pages
        );
        l.assert_current(file);
    }
    // Two files in one batch.
    let outcome = l.edit(&[
        (C1, "clear guidance", "clearer guidance"),
        (
            "content/reports/2017/1b.yaml",
            "shared analysis",
            "joint analysis",
        ),
    ]);
    assert_method(&outcome, Method::Records);
    l.assert_current("two files at once");
    // Saved without a change.
    let outcome = l.update(vec![l.abs(C1)]);
    assert_method(&outcome, Method::Unchanged);
}

#[test]
fn titles_facets_links_and_new_records_reach_further() {
    let mut l = Live::start();
    // The first words of a commitment are its title, shown on many pages.
    let outcome = l.edit(&[(C1, "IOM will work towards", "IOM will strive towards")]);
    assert_method(&outcome, Method::AllPages);
    l.assert_current("retitled commitment");
    let outcome = l.edit(&[(
        "content/transformations/1b.yaml",
        "title: \"Act early\"",
        "title: \"Act earlier\"",
    )]);
    assert_method(&outcome, Method::AllPages);
    l.assert_current("retitled transformation");
    // Another type: the commitment moves between facet pages, and every count changes.
    let outcome = l.edit(&[(C1, "type: Policy", "type: Operational")]);
    assert_method(&outcome, Method::Records);
    l.assert_current("facet values moved");
    // A new keyword, a changed link, the glossary: the links change, so everything.
    for (file, from, to) in [
        (
            C1,
            "type: Operational",
            "type: Operational\nkeywords: [Protection]",
        ),
        (
            C1,
            "transformations: [\"2D\"]",
            "transformations: [\"2D\", \"2A\"]",
        ),
        (
            "content/glossary/migration-initiatives-2019.yaml",
            "Accountability to affected populations",
            "Accountability to affected people",
        ),
    ] {
        let outcome = l.edit(&[(file, from, to)]);
        assert_method(&outcome, Method::Whole);
        l.assert_current(file);
    }
    // A record added, then removed.
    let new = "content/commitments/200099.yaml";
    let text = l.site.read(C1).replace("id: 200001", "id: 200099");
    l.site.write(new, text);
    let outcome = l.update(vec![l.abs(new)]);
    assert_method(&outcome, Method::Whole);
    l.assert_current("record added");
    l.site.remove(new);
    let outcome = l.update(vec![l.abs(new)]);
    assert_method(&outcome, Method::Whole);
    l.assert_current("record removed");
    // An editor's temporary file, created and removed again, is no change.
    let outcome = l.update(vec![l.abs("content/commitments/200001.yaml.tmp")]);
    assert_method(&outcome, Method::Unchanged);
}

#[test]
fn templates_and_static_files_rebuild_from_the_kept_site() {
    let mut l = Live::start();
    // A list item: the commitment lists only (their items are pasted in).
    let item = "themes/default/templates/commitment-item.html";
    let outcome = l.append(item, "\n<!-- edited -->\n");
    assert_method(&outcome, Method::Templates);
    let lists = outcome.pages;
    assert!((1..120).contains(&lists), "{lists} pages");
    l.assert_current("item template");
    // A kind's own template: that kind's pages only.
    let transformation = "themes/default/templates/transformation.html";
    let outcome = l.append(transformation, "\n<!-- edited -->\n");
    assert_method(&outcome, Method::Templates);
    assert_eq!(outcome.pages, 17, "the 17 transformation pages");
    l.assert_current("transformation template");
    // The base every template extends: every page.
    let base = "themes/default/templates/base.html";
    let outcome = l.edit(&[(base, "</body>", "<!-- base edited --></body>")]);
    assert_method(&outcome, Method::Templates);
    assert!(
        outcome.pages > 300,
        "{} pages (every page job)",
        outcome.pages
    );
    l.assert_current("base template");
    // A site template overriding the theme's, added: every page (the list of templates
    // changed).
    let over = "templates/keyword.html";
    l.site.write(
        over,
        l.site
            .read("themes/default/templates/keyword.html")
            .replace("</h1>", " (site)</h1>"),
    );
    let outcome = l.update(vec![l.abs(over)]);
    assert_method(&outcome, Method::Templates);
    l.assert_current("site template added");
    let css = "themes/default/static/style.css";
    let outcome = l.append(css, "\n.edited { color: red; }\n");
    assert_method(&outcome, Method::Static);
    assert_eq!(outcome.pages, 0);
    l.assert_current("stylesheet");
    // A broken template: errors, the kept build stays; fixed: all pages again.
    let base = "themes/default/templates/base.html";
    let good = l.site.read(base);
    l.site.write(base, format!("{good}\n{{% if %}}\n"));
    let before = l.tree.files.clone();
    let outcome = l.update(vec![l.abs(base)]);
    assert!(outcome.has_errors());
    assert!(
        l.tree.files == before,
        "nothing published after a failed rebuild"
    );
    l.site.write(base, good);
    let outcome = l.update(vec![l.abs(base)]);
    assert_method(&outcome, Method::Templates);
    l.assert_current("template fixed");
}

#[test]
fn bad_edits_keep_the_last_good_build_until_fixed() {
    let mut l = Live::start();
    let before = l.tree.files.clone();
    // Invalid YAML: the error names the file; nothing is published.
    let outcome = l.edit(&[(C1, "type: Policy", "type: [Policy")]);
    assert!(outcome.has_errors());
    assert!(l.tree.files == before);
    // Another file edited meanwhile: the broken one is still reported.
    let outcome = l.edit(&[(
        "content/reports/2017/1b.yaml",
        "improve common analysis",
        "improve shared analysis",
    )]);
    assert!(outcome.has_errors(), "the broken file is still broken");
    // Fixed: the other edit shows too.
    let outcome = l.edit(&[(C1, "type: [Policy", "type: Policy")]);
    assert_method(&outcome, Method::Records);
    l.assert_current("fixed");
    // A broken reference: a whole build finds it; fixed, a whole build again.
    let outcome = l.edit(&[(C1, "organisation: iom", "organisation: iomx")]);
    assert!(outcome.has_errors());
    let outcome = l.edit(&[(C1, "organisation: iomx", "organisation: iom")]);
    assert!(!outcome.has_errors());
    l.assert_current("reference fixed");
    // A funding sum broken by an edit is found by the site-wide checks.
    let table = "content/funding-tables/asia-and-the-pacific.yaml";
    let outcome = l.edit(&[(table, "total: 27105000", "total: 27105001")]);
    assert!(
        outcome.has_errors(),
        "the funding check runs on incremental rebuilds: {:?}",
        outcome.method
    );
    let outcome = l.edit(&[(table, "total: 27105001", "total: 27105000")]);
    assert!(!outcome.has_errors());
    l.assert_current("funding fixed");
}

/// A whole build as the live preview makes it: drafts included, with their banner.
fn whole_live_build(site: &TestSite) -> Tree {
    let sink = MemorySink::new();
    let opts = BuildOptions {
        live: true,
        ..options(site)
    };
    let report = build_into(&opts, &sink, &|_, _| {});
    assert!(!report.has_errors(), "the reference build failed");
    sink.entries().into_iter().collect()
}

#[test]
fn drafts_are_previewed_with_a_banner_and_left_out_of_builds() {
    let site = TestSite::bundled();
    let hdx = "content/initiatives/hdx.md";
    let text = site.read(hdx);
    site.write(hdx, text.replacen("---\n", "---\ndraft: true\n", 1));

    // The preview shows the draft, with its banner, and nowhere else differs from a whole
    // build of the preview.
    let mut live = LiveSite::new(options(&site));
    let mut tree = OutputTree::default();
    let outcome = live.build_whole(&mut |step| tree.apply(step));
    assert!(!outcome.has_errors());
    assert_eq!(outcome.drafts, 1);
    let page = String::from_utf8_lossy(&tree.files["initiatives/hdx/index.html"]).into_owned();
    assert!(page.contains("draft-banner"), "no banner");
    assert_eq!(tree.files, whole_live_build(&site), "first build");
    let other = String::from_utf8_lossy(&tree.files["initiatives/dtm/index.html"]).into_owned();
    assert!(
        !other.contains("draft-banner"),
        "a published record has no banner"
    );

    // A build leaves it out: no page, no list item, no export, no search entry, no sitemap
    // line, no backlink, no link to it from any page.
    let published = whole_build(&site);
    let mentions: Vec<&String> = published
        .iter()
        .filter(|(_, bytes)| {
            bytes
                .windows(b"initiatives/hdx".len())
                .any(|w| w == b"initiatives/hdx")
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        mentions.is_empty(),
        "a build mentions the draft in {mentions:?}"
    );
    assert!(!published.contains_key("initiatives/hdx/index.html"));

    // Edits of the draft are rebuilt like any record's, and equal a whole preview build.
    let edit = |live: &mut LiveSite, tree: &mut OutputTree, from: &str, to: &str| {
        let text = site.read(hdx);
        assert!(text.contains(from), "{from}");
        site.write(hdx, text.replacen(from, to, 1));
        let path = std::fs::canonicalize(site.root()).unwrap().join(hdx);
        live.update(&[path], &mut |step| tree.apply(step))
    };
    let outcome = edit(
        &mut live,
        &mut tree,
        "Humanitarian Data Exchange\"",
        "Humanitarian Data Exchange (HDX)\"",
    );
    assert!(!outcome.has_errors());
    assert_eq!(tree.files, whole_live_build(&site), "a draft edited");
    // Published: the banner goes, and the preview still equals a whole build of it.
    let outcome = edit(&mut live, &mut tree, "draft: true\n", "");
    assert!(!outcome.has_errors());
    assert_eq!(outcome.drafts, 0);
    let page = String::from_utf8_lossy(&tree.files["initiatives/hdx/index.html"]).into_owned();
    assert!(
        !page.contains("draft-banner"),
        "the banner stays after publishing"
    );
    assert_eq!(tree.files, whole_live_build(&site), "the draft published");
    assert_eq!(
        tree.files,
        whole_build(&site),
        "the preview of a site without drafts"
    );
}
