//! Replays the fuzzers' findings on stable Rust: every input under `fuzz/regressions/<target>/`
//! (crashes found, kept forever) and the corpus under `fuzz/corpus/<target>/` (all of it, but
//! only a sample of the slow `pipeline` corpus), through the very functions the cargo-fuzz
//! targets call (`fuzz/src/lib.rs`, included below). A test fails, naming the files, if any
//! input panics there. See fuzz/README.md.

#[allow(dead_code)]
use crate::harness;

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// How many corpus inputs of the pipeline target to replay (each is a whole build);
/// `PACTGEN_FUZZ_PIPELINE_SAMPLE=N` replays N (`0`: all of them).
fn pipeline_corpus_sample() -> Option<usize> {
    match std::env::var("PACTGEN_FUZZ_PIPELINE_SAMPLE").ok() {
        Some(n) => match n.trim().parse::<usize>() {
            Ok(0) => None,
            Ok(n) => Some(n),
            Err(_) => panic!("PACTGEN_FUZZ_PIPELINE_SAMPLE={n:?} is not a number"),
        },
        None => Some(8),
    }
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir` (none if it does not exist), in name order.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every `step`-th element, so a sample spreads over the whole corpus.
fn sample(files: Vec<PathBuf>, at_most: usize) -> Vec<PathBuf> {
    let step = files.len().div_ceil(at_most.max(1)).max(1);
    files.into_iter().step_by(step).collect()
}

/// Runs `run` on each file; fails listing every file whose input panicked.
fn replay(target: &str, corpus_sample: Option<usize>, run: impl Fn(&[u8])) {
    let regressions = inputs(&fuzz_dir().join("regressions").join(target));
    let mut corpus = inputs(&fuzz_dir().join("corpus").join(target));
    assert!(
        !corpus.is_empty(),
        "no corpus for {target}: fuzz/corpus/{target}/ is empty"
    );
    if let Some(n) = corpus_sample {
        corpus = sample(corpus, n);
    }
    let mut failed = Vec::new();
    let total = regressions.len() + corpus.len();
    for file in regressions.iter().chain(&corpus) {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if catch_unwind(AssertUnwindSafe(|| run(&data))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {total} {target} inputs panicked (messages above):\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn front_matter_inputs_do_not_panic() {
    replay("front_matter", None, harness::front_matter);
}

#[test]
fn record_inputs_do_not_panic() {
    replay("record", None, harness::record);
}

#[test]
fn markdown_inputs_do_not_panic() {
    replay("markdown", None, harness::markdown);
}

#[test]
fn pipeline_inputs_do_not_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    harness::prepare_site_dir(
        dir.path(),
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
    );
    let (built, runs) = (Cell::new(0), Cell::new(0));
    replay("pipeline", pipeline_corpus_sample(), |data| {
        runs.set(runs.get() + 1);
        if harness::pipeline(dir.path(), data).is_some() {
            built.set(built.get() + 1);
        }
    });
    eprintln!(
        "pipeline: {} of {} generated sites built without errors",
        built.get(),
        runs.get()
    );
    // The page checks only run on error-free builds: the sample must hold some.
    assert!(built.get() > 0, "no replayed pipeline input built a site");
}
