//! `scripts/bench.sh`, the benchmark anyone can rerun, run end to end on two tiny corpora with
//! the test build's own binaries (`BENCH_PACTGEN`, `BENCH_GEN`: no nested `cargo`, which would
//! wait on the build lock `cargo test` holds). Checks what it measures and what it writes, not
//! how fast anything is.

#[allow(dead_code)]
use crate::common::tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The corpus generator `cargo test` builds beside the binary (examples are compiled with the
/// tests).
fn generator() -> PathBuf {
    let pactgen = Path::new(env!("CARGO_BIN_EXE_pactgen"));
    let path = pactgen
        .parent()
        .expect("target folder")
        .join("examples")
        .join("gen_corpus");
    assert!(
        path.is_file(),
        "{} is missing: run the whole `cargo test`, which builds the examples",
        path.display()
    );
    path
}

fn bench(work: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/bench.sh"))
        .env("BENCH_PACTGEN", env!("CARGO_BIN_EXE_pactgen"))
        .env("BENCH_GEN", generator())
        .env("BENCH_DIR", work.join("work"))
        .env("BENCH_DOC", work.join("benchmarks.md"))
        .env("BENCH_RUNS", "1")
        .env("BENCH_FS", "disk")
        .env("BENCH_HUGO_MAX", "0")
        .env("BENCH_LIVE_MAX", "0")
        .env("CARGO_TARGET_DIR", work.join("target"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("bash")
}

#[test]
fn bench_script_measures_every_case_and_rewrites_only_its_section() {
    tools::gnu_time();
    let tmp = tempfile::tempdir().expect("tempdir");
    let doc = tmp.path().join("benchmarks.md");
    std::fs::write(
        &doc,
        "# Benchmarks\n\nWritten by hand.\n\n<!-- bench:start -->\nold results\n<!-- bench:end -->\n\nAlso by hand.\n",
    )
    .expect("doc");
    let out = bench(tmp.path(), &[("BENCH_SIZES", "30 60")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");

    // Every case, once per size, with all eight columns.
    let tsv = std::fs::read_to_string(tmp.path().join("work/results.tsv")).expect("results");
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 8), "{tsv}");
    for n in ["30", "60"] {
        for case in [
            "pactgen-pages",
            "pactgen-full",
            "pactgen-minify",
            "pactgen-again",
            "check",
            "floor-read",
            "floor-copy-pactgen",
            "floor-write-bytes",
        ] {
            let found = rows
                .iter()
                .filter(|r| r[0] == n && r[1] == "disk" && r[2] == case)
                .count();
            assert_eq!(found, 1, "{n} {case}:\n{tsv}");
        }
    }
    assert!(!rows.iter().any(|r| r[2].starts_with("hugo")), "{tsv}");

    // The report replaced the marked section and kept the hand-written text around it.
    let text = std::fs::read_to_string(&doc).expect("doc");
    assert!(
        text.starts_with("# Benchmarks\n\nWritten by hand.\n"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("Also by hand."), "{text}");
    assert!(!text.contains("old results"), "{text}");
    assert_eq!(text.matches("<!-- bench:start -->").count(), 1, "{text}");
    for part in [
        "#### N = 30 commitments, disk",
        "#### N = 60 commitments, disk",
        "| pactgen build --pages-only (the pages Hugo builds) |",
        "| pactgen check |",
        "| floor: write as many bytes as pactgen's output into one file (dd) |",
        "#### Growth from N = 30 to N = 60, disk",
        "| case | wall time × | user CPU × | system CPU × | peak RSS × |",
    ] {
        assert!(text.contains(part), "{part:?} missing:\n{text}");
    }
    // No live preview was asked for, so no such section.
    assert!(!text.contains("#### Live preview"), "{text}");
}

#[test]
fn bench_script_refuses_bad_settings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = bench(tmp.path(), &[("BENCH_SIZES", "20"), ("BENCH_FS", "floppy")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown BENCH_FS entry floppy"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = bench(
        tmp.path(),
        &[("BENCH_SIZES", "20"), ("BENCH_GEN", "/nonexistent/gen")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("BENCH_PACTGEN and BENCH_GEN"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!tmp.path().join("benchmarks.md").exists());
}
