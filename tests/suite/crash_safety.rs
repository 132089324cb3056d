//! Crash safety: builds of a large corpus are killed (SIGKILL) at spread-out moments; after every
//! kill the output folder holds one complete, consistent site, and the next build cleans up.

use crate::common::*;
use std::time::Instant;

/// Adds `n` commitments with ~300-word bodies to the fixture, so a build takes a while.
fn grow(site: &TestSite, n: usize) {
    let words = "displacement tracking data protection resilience migrants communities capacity \
                 preparedness recovery partnership evidence governance assistance reintegration";
    let body: String = (0..20).map(|_| words).collect::<Vec<_>>().join(" ");
    for i in 0..n {
        let id = 300_000 + i;
        site.write(
            &format!("content/commitments/{id}.md"),
            format!(
                "---\nid: {id}\ntext: Commitment number {i} to [track](initiative:dtm) displacement.\ntype: Operational\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nkeywords: [Data]\nsource:\n  document: doc\n---\n## Notes\n\n{body}\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
            ),
        );
    }
}

fn set_title(site: &TestSite, run: usize) {
    let config = site.read("content/site.yaml");
    let first = config.lines().next().unwrap_or_default().to_string();
    site.write(
        "content/site.yaml",
        config.replacen(&first, &format!("title: Run {run}"), 1),
    );
}

/// Every page must carry the same run's title: a torn output would mix runs or miss files.
fn assert_consistent(site: &TestSite, expected_files: usize) -> String {
    let tree = snapshot_tree(&site.path("public"));
    assert_eq!(
        tree.len(),
        expected_files,
        "output has a different number of files"
    );
    let mut title: Option<String> = None;
    for (path, bytes) in &tree {
        if !path.ends_with("index.html") || path.starts_with("embed/") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let Some(i) = html.find("Run ") else { continue };
        let t: String = html[i..]
            .chars()
            .take_while(|c| *c != '<' && *c != '"')
            .collect();
        match &title {
            None => title = Some(t),
            Some(prev) => assert_eq!(prev, &t, "{path} is from another build"),
        }
    }
    title.expect("no page carries the title")
}

#[test]
fn killed_builds_never_leave_a_torn_output() {
    let site = TestSite::fixture("minimal");
    grow(&site, 800);
    set_title(&site, 0);
    let start = Instant::now();
    let run = site.run(&["--quiet", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let full_build = start.elapsed();
    let files = snapshot_tree(&site.path("public")).len();
    assert_consistent(&site, files);

    let mut kills = 0;
    for round in 1..=6 {
        set_title(&site, round);
        // Spread the kill over the whole build: early (loading), middle (rendering), late (swap).
        let at = full_build.mul_f64(round as f64 / 6.0);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pactgen"))
            .args(["--quiet", "build"])
            .current_dir(site.root())
            .spawn()
            .expect("spawn");
        std::thread::sleep(at);
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = child.wait();
        let title = assert_consistent(&site, files);
        // Either the killed build never swapped (an earlier run's site) or it finished (this run's).
        let run_no: usize = title
            .trim_start_matches("Run ")
            .trim()
            .parse()
            .expect("run number");
        assert!(run_no <= round, "{title}");
    }
    assert!(
        kills >= 3,
        "only {kills} builds were killed while running (build takes {full_build:?})"
    );

    // The next build completes and leaves no staging or old folders behind.
    set_title(&site, 99);
    assert_eq!(site.run(&["--quiet", "build"]).code, 0);
    assert_eq!(assert_consistent(&site, files), "Run 99");
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    eprintln!(
        "full build {full_build:?}; {kills} builds killed mid-way; {files} files intact each time"
    );
}
