//! Lighthouse (npm `lighthouse`, pinned in package.json) on the built bundled site, in Debian's
//! Chromium: home, a commitment, transformation 3A, the commitments index and a funding table,
//! with the desktop preset and the default mobile one; every run must score at least 95 for
//! accessibility, best practices and SEO and 90 for performance. The ten runs share one Node
//! process and one Chrome (`tests/browser/lighthouse.mjs`); the scores are printed.
//!
//! Needs the npm packages (installed by the test with `npm ci` when missing) and Chromium
//! (installed with apt-get when the test runs as root, else the test fails saying what to
//! install).

use crate::common::*;
use std::time::Instant;

#[test]
fn lighthouse_scores_on_the_bundled_site() {
    tools::node_modules();
    let chromium = tools::chromium();
    let site = TestSite::bundled();
    let run = site.run(&["build", "-o", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let started = Instant::now();
    let (out, stdout, stderr) =
        tools::run_browser_script("lighthouse.mjs", &chromium, &[&site.path("public")], &[]);
    println!("Lighthouse took {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        out.status.success(),
        "Lighthouse scores below the minimum (exit {:?}):\n{stdout}\n{stderr}",
        out.status.code()
    );
    // Ten runs, each printed with its four scores: the test cannot pass without them.
    let runs = stdout
        .lines()
        .filter(|l| l.starts_with("ok - ") && l.contains(", SEO "))
        .count();
    assert_eq!(runs, 10, "expected 10 Lighthouse runs:\n{stdout}");
    assert!(
        stdout.contains("10 passed, 0 failed"),
        "no summary line:\n{stdout}"
    );
}
