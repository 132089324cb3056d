//! From zero to a published site (issue 20): `pactgen init` in an empty folder, then `check`,
//! `build` and the link crawl on the starter site; `base_url` (an address makes the sitemap,
//! feed and embed snippets absolute, a path is warned about once, a bare host is an error);
//! the not-found page of a `--relative` build at any depth; links to documents' originals;
//! `pactgen bundle`, reproducible to the byte, with its manifest.

use crate::common::*;
use std::io::Read;
use std::path::Path;

/// An empty temporary folder to run commands in.
fn empty() -> TestSite {
    TestSite {
        dir: tempfile::tempdir().expect("tempdir"),
    }
}

#[test]
fn init_makes_a_starter_site_that_checks_builds_and_links_cleanly() {
    let parent = empty();
    let run = parent.run(&["init", "my-site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Made a new site in my-site"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cd my-site && pactgen serve"),
        "{}",
        run.stderr
    );
    let root = parent.path("my-site");
    assert!(root.join("README.md").is_file());
    assert!(root.join("content/site.yaml").is_file());
    assert!(!root.join("themes").exists(), "the built-in theme is used");
    assert!(!root.join("templates").exists() && !root.join("static").exists());
    // Commented for a first-time editor.
    let commitment =
        std::fs::read_to_string(root.join("content/commitments/100001.yaml")).expect("commitment");
    assert!(commitment.lines().filter(|l| l.contains('#')).count() >= 5);

    let site = TestSite {
        dir: tempfile::TempDir::new_in(parent.root()).expect("tempdir"),
    };
    copy_dir(&root, site.root());
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("no errors"), "{}", check.stderr);
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Its one warning: the address to set before publishing.
    assert_eq!(
        build.stderr.matches("warning[").count(),
        1,
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("warning[relative-base-url]"));
    let (checked, broken) = broken_links(&site.path("public"), "/");
    assert!(checked > 100, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");
    for kind in pactgen::Kind::ALL {
        if kind.has_index() {
            assert!(
                site.path(&format!("public/{}/index.html", kind.url_segment()))
                    .is_file(),
                "{kind}"
            );
        }
    }
    assert!(site.path("public/style.css").is_file(), "the theme's CSS");
    assert!(
        site.path("public/js/search.js").is_file(),
        "the theme's scripts"
    );
    assert!(site.path("public/about/index.html").is_file());
    // The same from any sub-path and from disk.
    let rel = site.run(&["build", "--relative", "-o", "rel"]);
    assert_eq!(rel.code, 0, "{}", rel.stderr);
    let (_, broken) = broken_relative_links(&site.path("rel"));
    assert!(broken.is_empty(), "{broken:#?}");
    // `new` works on it.
    let new = site.run(&["new", "commitment"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_eq!(new.stdout.trim(), "content/commitments/100002.yaml");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let site = empty();
    site.write("my-site/notes.txt", "mine");
    let run = site.run(&["init", "my-site"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[init-not-empty]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("`notes.txt`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("pactgen init my-site"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("my-site/notes.txt"), "mine");
    assert_eq!(
        std::fs::read_dir(site.path("my-site"))
            .expect("dir")
            .count(),
        1
    );
    // The current folder, by default.
    site.write("here/content/site.yaml", "title: Mine\n");
    let run = site
        .cmd()
        .current_dir(site.path("here"))
        .arg("init")
        .output();
    let run = run.expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(site.read("here/content/site.yaml"), "title: Mine\n");
    // A file is not a folder.
    let run = site.run(&["init", "my-site/notes.txt"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
}

/// Every `href` of an Atom feed.
fn feed_links(feed: &str) -> Vec<String> {
    feed.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn an_address_makes_the_sitemap_feed_and_embed_snippets_absolute() {
    let site = TestSite::fixture("minimal");
    for (args, out) in [
        (
            &["build", "--base-url", "https://example.org/x/"][..],
            "public",
        ),
        (
            &[
                "build",
                "--relative",
                "--base-url",
                "https://example.org/x/",
                "-o",
                "rel",
            ][..],
            "rel",
        ),
    ] {
        let run = site.run(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        let sitemap = site.read(&format!("{out}/sitemap.xml"));
        let locs: Vec<&str> = sitemap
            .split("<loc>")
            .skip(1)
            .filter_map(|l| l.split("</loc>").next())
            .collect();
        assert!(locs.len() > 20, "{sitemap}");
        assert!(
            locs.iter().all(|l| l.starts_with("https://example.org/x/")),
            "{locs:?}"
        );
        assert!(locs.contains(&"https://example.org/x/commitments/100001/"));
        assert!(
            site.read(&format!("{out}/robots.txt"))
                .contains("Sitemap: https://example.org/x/sitemap.xml\n")
        );
        let feed = site.read(&format!("{out}/atom.xml"));
        let links = feed_links(&feed);
        assert!(links.len() > 2, "{feed}");
        assert!(
            links
                .iter()
                .all(|l| l.starts_with("https://example.org/x/")),
            "{links:?}"
        );
        let page = site.read(&format!("{out}/commitments/100001/index.html"));
        assert!(
            page.contains(
                "&lt;iframe src=&quot;https://example.org/x/embed/commitment/100001/&quot;"
            ),
            "{page}"
        );
        assert!(
            !page.contains("without its"),
            "no caveat under an absolute snippet"
        );
    }
    // The not-found page of the relative build links from the site's address: a server shows
    // it at any depth.
    let not_found = site.read("rel/404.html");
    assert!(
        not_found.contains("https://example.org/x/style.css"),
        "{not_found}"
    );
    assert!(!not_found.contains("\"style.css\""), "{not_found}");
}

#[test]
fn a_path_is_warned_about_once_and_what_needs_an_address_is_left_out_or_explained() {
    let site = TestSite::fixture("minimal");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    let warning = &run.stderr;
    for needed in [
        "warning[relative-base-url]",
        "sitemap.xml",
        "robots.txt",
        "feed",
        "embed snippets",
        "content/site.yaml",
        "--base-url https://",
    ] {
        assert!(warning.contains(needed), "`{needed}` in:\n{warning}");
    }
    assert!(run.stderr.contains("1 warning"), "{}", run.stderr);
    assert!(
        !site.path("public/sitemap.xml").exists(),
        "no relative <loc>"
    );
    let robots = site.read("public/robots.txt");
    assert!(!robots.contains("Sitemap"), "{robots}");
    let page = site.read("public/commitments/100001/index.html");
    assert!(
        page.contains("&lt;iframe src=&quot;/embed/commitment/100001/&quot;"),
        "{page}"
    );
    assert!(
        page.contains("works in pages of the same web server only"),
        "the snippet says plainly it is not absolute: {page}"
    );
    // With --relative, nothing can name the embed page: the snippet says so.
    let run = site.run(&["build", "--relative", "-o", "rel"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("warning[").count(), 1, "{}", run.stderr);
    let page = site.read("rel/commitments/100001/index.html");
    assert!(
        page.contains("src=&quot;ADDRESS-OF-THE-EMBEDDED-VERSION&quot;"),
        "{page}"
    );
    assert!(page.contains("built without its web address"), "{page}");
    // The feed of a relative build links relative to itself (it lies at the root).
    let links = feed_links(&site.read("rel/atom.xml"));
    assert!(links.contains(&"./".to_string()), "{links:?}");
    assert!(
        links
            .iter()
            .all(|l| !l.starts_with('/') && !l.contains("://")),
        "{links:?}"
    );
    // Its not-found page links from the host's root, so that it is styled at any depth.
    let not_found = site.read("rel/404.html");
    let links = links_in(&not_found);
    assert!(links.contains(&"/style.css".to_string()), "{links:?}");
    assert!(
        links
            .iter()
            .all(|l| l.starts_with('/') || l.starts_with('#')),
        "{links:?}"
    );
    // check and the live preview publish nothing: no warning.
    let check = site.run(&["check"]);
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
}

#[test]
fn a_bare_host_is_an_error_with_the_address_it_probably_means() {
    let site = TestSite::fixture("minimal");
    let run = site.run(&["build", "--base-url", "example.org"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[bad-base-url]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `https://example.org/`?"),
        "{}",
        run.stderr
    );
    assert!(!site.path("public").exists());
    let config = site.read("content/site.yaml") + "base_url: example.org/commitments\n";
    site.write("content/site.yaml", config);
    for cmd in ["check", "build"] {
        let run = site.run(&[cmd]);
        assert_eq!(run.code, 1, "{cmd}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("did you mean `https://example.org/commitments/`?"),
            "{cmd}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("content/site.yaml:"), "{}", run.stderr);
    }
}

#[test]
fn documents_link_to_their_originals_from_every_page_that_cites_them() {
    let site = TestSite::fixture("minimal");
    let doc = site.read("content/documents/doc.yaml")
        + "url: https://example.org/files/doc.pdf\narchive_url: https://archive.example.net/2019/doc\n";
    site.write("content/documents/doc.yaml", doc);
    let run = site.run(&["build", "--base-url", "https://example.org/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let link = "<a href=\"https://example.org/files/doc.pdf\" rel=\"external\">Read the original (PDF)</a>";
    let archive =
        "<a href=\"https://archive.example.net/2019/doc\" rel=\"external\">Archived copy</a>";
    for page in [
        "documents/doc/index.html",
        "documents/doc/chapter/index.html",
        "commitments/100001/index.html",
        "initiatives/dtm/index.html",
    ] {
        let html = site.read(&format!("public/{page}"));
        assert!(html.contains(link), "{page}: {html}");
        assert!(html.contains(archive), "{page}");
    }
    let json = site.read("public/documents/doc/index.json");
    assert!(
        json.contains("\"url\": \"https://example.org/files/doc.pdf\""),
        "{json}"
    );
    // A web page is not called a PDF; without an address there is no link.
    let doc = site
        .read("content/documents/doc.yaml")
        .replace("files/doc.pdf", "reports/2019");
    site.write("content/documents/doc.yaml", doc);
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("public/documents/doc/index.html");
    assert!(html.contains(">Read the original</a>"), "{html}");
    let plain = TestSite::fixture("minimal");
    assert_eq!(plain.run(&["build"]).code, 0);
    assert!(
        !plain
            .read("public/documents/doc/index.html")
            .contains("Read the original")
    );
    // Only web addresses.
    let doc = plain.read("content/documents/doc.yaml") + "url: www.example.org/doc.pdf\n";
    plain.write("content/documents/doc.yaml", doc);
    let run = plain.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[bad-url]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/documents/doc.yaml:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= field: url"), "{}", run.stderr);
}

/// The entries of a zip: name, bytes, modification time and Unix mode.
type Entry = (String, Vec<u8>, zip::DateTime, Option<u32>);

fn unzip(bytes: &[u8]) -> Vec<Entry> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut data = Vec::new();
            file.read_to_end(&mut data).expect("read entry");
            (
                file.name().expect("name").to_string(),
                data,
                file.last_modified().unwrap_or_default(),
                file.unix_mode(),
            )
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write_tree(entries: &[Entry], to: &Path) {
    for (name, data, _, _) in entries {
        let path = to.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, data).expect("write");
    }
}

#[test]
fn bundle_is_one_reproducible_zip_with_a_manifest_that_works_from_disk() {
    let site = TestSite::fixture("minimal");
    let run = site.run(&["bundle"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "an offline copy needs no address: {}",
        run.stderr
    );
    assert!(run.stderr.contains("into site.zip"), "{}", run.stderr);
    let first = std::fs::read(site.path("site.zip")).expect("site.zip");
    let run = site.run(&["bundle", "-o", "again.zip"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        first,
        std::fs::read(site.path("again.zip")).expect("again.zip"),
        "the same input gives the same bytes"
    );
    let entries = unzip(&first);
    let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries in path order");
    assert!(
        entries.iter().all(|e| e.2 == zip::DateTime::DEFAULT),
        "one fixed time"
    );
    assert!(
        entries
            .iter()
            .all(|e| e.3.map(|m| m & 0o777) == Some(0o644)),
        "fixed permissions"
    );
    // The manifest lists every other file, its size and SHA-256.
    let manifest: serde_json::Value = serde_json::from_slice(
        &entries
            .iter()
            .find(|e| e.0 == "bundle-manifest.json")
            .expect("manifest")
            .1,
    )
    .expect("manifest JSON");
    let listed = manifest["files"].as_array().expect("files");
    assert_eq!(listed.len(), entries.len() - 1);
    for (entry, item) in entries
        .iter()
        .filter(|e| e.0 != "bundle-manifest.json")
        .zip(listed)
    {
        assert_eq!(item["path"], entry.0.as_str());
        assert_eq!(item["size"], entry.1.len() as u64);
        assert_eq!(item["sha256"], sha256_hex(&entry.1).as_str(), "{}", entry.0);
    }
    assert_eq!(manifest["built"], serde_json::Value::Null);
    assert_eq!(manifest["source_commit"], serde_json::Value::Null);
    assert!(
        manifest["source"]
            .as_str()
            .is_some_and(|s| s.contains("not a git repository")),
        "{manifest}"
    );
    assert!(names.contains(&"search/index.html") && names.contains(&"js/filter.js"));
    assert!(names.contains(&"embed/commitment/100001/index.html"));
    // Unpacked, it works from disk: every link resolves relative to its page.
    let unpacked = tempfile::tempdir().expect("tempdir");
    write_tree(&entries, unpacked.path());
    let (checked, broken) = broken_relative_links(unpacked.path());
    assert!(checked > 200, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");
    let home = std::fs::read_to_string(unpacked.path().join("index.html")).expect("home");
    assert!(home.contains("commitments/index.html"), "{home}");
}

#[test]
fn bundle_names_its_date_and_commit_and_fails_like_build() {
    let site = TestSite::fixture("minimal");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(site.root())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "site"]);
    let head = git(&["rev-parse", "HEAD"]);
    let bundle = |out: &str| {
        let run = site
            .cmd()
            .args(["bundle", "-o", out])
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .output()
            .expect("run");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read(site.path(out)).expect("zip")
    };
    let first = bundle("site.zip");
    // The zip written into the site's folder does not change the next one.
    assert_eq!(first, bundle("site.zip"));
    let entries = unzip(&first);
    let time = zip::DateTime::from_date_and_time(2023, 11, 14, 22, 13, 20).expect("time");
    assert!(entries.iter().all(|e| e.2 == time));
    let manifest: serde_json::Value = serde_json::from_slice(
        &entries
            .iter()
            .find(|e| e.0 == "bundle-manifest.json")
            .expect("manifest")
            .1,
    )
    .expect("JSON");
    assert_eq!(manifest["built"], "2023-11-14T22:13:20Z");
    assert_eq!(manifest["built_from"], "SOURCE_DATE_EPOCH");
    assert_eq!(manifest["source_commit"], head.as_str());
    assert_eq!(manifest["source"], format!("git commit {head}").as_str());
    // An edit not committed is named.
    let c = site.read("content/commitments/100001.yaml") + "# edited\n";
    site.write("content/commitments/100001.yaml", c);
    let edited = bundle("site.zip");
    let manifest = unzip(&edited)
        .into_iter()
        .find(|e| e.0 == "bundle-manifest.json")
        .expect("manifest")
        .1;
    assert!(
        String::from_utf8_lossy(&manifest).contains("with changes not committed"),
        "{}",
        String::from_utf8_lossy(&manifest)
    );

    // A broken site: the errors, exit 1, the previous zip untouched.
    site.write(
        "content/commitments/100001.yaml",
        site.read("content/commitments/100001.yaml")
            .replace("\"3A\"", "\"3Z\""),
    );
    let run = site.run(&["bundle"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error[unknown-reference]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("site.zip left unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(site.path("site.zip")).expect("zip"), edited);
    // Not into a folder, nor into one a build reads.
    for (out, why) in [("content", "is a folder"), ("static/site.zip", "static/")] {
        std::fs::create_dir_all(site.path("static")).expect("mkdir");
        let run = site.run(&["bundle", "-o", out]);
        assert_eq!(run.code, 1, "{out}");
        assert!(run.stderr.contains(why), "{out}: {}", run.stderr);
    }
}

/// The README's quick tour, run literally from a fresh clone of this repository: each command's
/// output is the one the README shows (times aside), and the clone is left clean.
#[test]
fn the_readme_quick_tour_runs_as_written_and_leaves_the_clone_clean() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let tour = readme
        .split("\n## Quick tour\n")
        .nth(1)
        .and_then(|s| s.split("```console\n").nth(1))
        .and_then(|s| s.split("\n```").next())
        .expect("a console block under ## Quick tour");
    // Commands (`$ ...`) and the output shown after each.
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in tour.lines() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            steps.push((cmd.to_string(), String::new()));
        } else if let Some(last) = steps.last_mut() {
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    assert!(steps.len() >= 5, "{steps:?}");

    let work = tempfile::tempdir().expect("tempdir");
    let clone = work.path().join("clone");
    let git = |dir: &Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(
        work.path(),
        &["clone", "-q", &repo().to_string_lossy(), "clone"],
    );
    // `pactgen` on PATH, as `cargo install` puts it.
    let bin_dir = work.path().join("bin");
    std::fs::create_dir(&bin_dir).expect("mkdir");
    std::os::unix::fs::symlink(bin(), bin_dir.join("pactgen")).expect("symlink");
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).expect("mkdir");
    let mut script = String::from("exec 2>&1\n");
    for (i, (cmd, _)) in steps.iter().enumerate() {
        script.push_str(&format!("{cmd}\necho \"@@step {i} $?\"\n"));
    }
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&clone)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("TMPDIR", &tmp)
        .env("NO_COLOR", "1")
        .output()
        .expect("bash");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let normalize = |s: &str| {
        let mut out = String::new();
        for line in s.lines() {
            let line = match line.find(" in ") {
                Some(i) if line[i + 4..].starts_with(|c: char| c.is_ascii_digit()) => {
                    let rest = &line[i + 4..];
                    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
                    format!("{} in N{after}", &line[..i])
                }
                _ => line.to_string(),
            };
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.trim().to_string()
    };
    let mut rest = text.as_str();
    for (i, (cmd, shown)) in steps.iter().enumerate() {
        let marker = format!("@@step {i} ");
        let at = rest
            .find(&marker)
            .unwrap_or_else(|| panic!("step {i} `{cmd}` did not finish:\n{text}"));
        let got = &rest[..at];
        rest = rest[at..].split_once('\n').map_or("", |x| x.1);
        assert_eq!(
            normalize(got),
            normalize(shown),
            "the README shows another output for `{cmd}`"
        );
    }
    assert_eq!(
        git(&clone, &["status", "--porcelain"]),
        "",
        "the tour changed the clone"
    );
}
