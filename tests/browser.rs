//! The reader's site in a real browser: builds the bundled site twice (normal and `--relative`)
//! and runs `tests/browser/run.mjs` on them in Debian's Chromium through playwright-core:
//! axe-core on every page kind, the strict CSP, keyboard use, 320 px layout, filters, search,
//! table sorting, embeds, file:// browsing, HTML validity (vnu) and screenshots.
//!
//! Needs `npm ci` (node_modules/playwright-core, axe-core) and /usr/bin/chromium. Without them
//! the test is skipped on a laptop and fails under CI. `PACTGEN_SCREENSHOTS=1` writes the
//! screenshots to docs/screenshots/ (otherwise to a temporary folder).

mod common;
use common::*;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// What the browser tests need and is not here.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node (Node.js 18 or later)".to_string());
    }
    for package in ["playwright-core", "axe-core"] {
        if !repo().join("node_modules").join(package).is_dir() {
            missing.push(format!("node_modules/{package} (run `npm ci`)"));
        }
    }
    if !Path::new(&chromium()).is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium()));
    }
    missing
}

#[test]
fn bundled_site_in_a_real_browser() {
    let missing = missing_tools();
    if !missing.is_empty() {
        assert!(
            !in_ci(),
            "browser tests cannot run under CI: missing {}",
            missing.join(", ")
        );
        eprintln!(
            "skipping browser tests: run `npm ci` and install chromium (missing {})",
            missing.join(", ")
        );
        return;
    }
    let started = Instant::now();
    let site = TestSite::bundled();
    let run = site.run(&["build", "-o", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&["build", "--relative", "-o", "public-relative"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let screenshots = if std::env::var("PACTGEN_SCREENSHOTS").is_ok_and(|v| v == "1") {
        repo().join("docs/screenshots")
    } else {
        site.path("screenshots")
    };
    let out = Command::new("node")
        .arg(repo().join("tests/browser/run.mjs"))
        .arg(site.path("public"))
        .arg(site.path("public-relative"))
        .arg(&screenshots)
        .current_dir(repo())
        .env("CHROMIUM", chromium())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        println!("stderr:\n{stderr}");
    }
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
