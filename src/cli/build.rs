//! `pactgen build` and `pactgen build --watch`.

use super::Outcome;
use crate::build::{self, BuildOptions, BuildReport};
use crate::console::Console;
use crate::diagnostics::Diagnostic;
use crate::text::count;
use crate::write::StagedOutput;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(super) fn run_build(opts: &BuildOptions, output: &Path, out: Console) -> Outcome {
    let target = build::resolve_output(&opts.root, output)?;
    let staged = StagedOutput::new_waiting(&target, &|pid| wait_message(out, output, pid))
        .map_err(|e| {
            Diagnostic::error(
                "write-failed",
                format!("cannot prepare output folder {}: {e}", output.display()),
            )
        })?;
    let mut report = build::build_into(opts, &staged.sink(), &progress_bar(out));
    out.diagnostics(&report.diagnostics, &report.sources);
    if report.has_errors() {
        // Dropping `staged` deletes the staging folder; the previous output stays as it was.
        out.always(&format!(
            "{}; {}",
            failure_line(&report),
            left_as_it_was(output)
        ));
        return Ok(1);
    }
    let t = std::time::Instant::now();
    let committed = staged.commit();
    report.timings.push(("swap", t.elapsed()));
    out.note(&timing_line(&report.timings));
    committed.map_err(|e| {
        Diagnostic::error(
            "write-failed",
            format!("cannot move the new site into {}: {e}", output.display()),
        )
    })?;
    out.info(&format!(
        "Built {} into {}",
        summary(&report),
        output.display()
    ));
    Ok(0)
}

/// What a failed build did to the output: nothing (it may not exist yet).
pub(super) fn left_as_it_was(output: &Path) -> String {
    if output.exists() {
        format!("{} left unchanged", output.display())
    } else {
        format!("nothing written to {}", output.display())
    }
}

/// Says that another build holds the output, and who.
fn wait_message(out: Console, output: &Path, pid: Option<u32>) {
    let who = pid.map_or("another pactgen build".to_string(), |p| {
        format!("another pactgen build (process {p})")
    });
    out.info(&format!(
        "{who} is writing {}; waiting for it to finish",
        output.display()
    ));
}

/// `build --watch`: the site is kept in memory and rebuilt incrementally (as `serve` does);
/// after each good rebuild the whole site is swapped into `output`, unchanged files
/// hard-linked from the previous output, so the folder always holds one complete build.
pub(super) fn run_watch(opts: &BuildOptions, output: &Path, out: Console) -> Outcome {
    use crate::incremental::{LiveSite, Method, OutputTree};
    let target = build::resolve_output(&opts.root, output)?;
    let mut tree = OutputTree::default();
    let finish = |live: &LiveSite, tree: &mut OutputTree, outcome: &crate::incremental::Outcome| {
        out.diagnostics(&outcome.diagnostics, live.sources());
        if outcome.has_errors() {
            let n = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            out.always(&format!(
                "error: {} found; {}",
                count(n, "error"),
                left_as_it_was(output)
            ));
            return;
        }
        if outcome.method == Method::Unchanged {
            out.info("No change to the site");
            return;
        }
        let written = tree.fresh.as_ref().map_or(tree.files.len(), |f| f.len());
        if let Err(e) = crate::write::write_whole(&target, &tree.files, tree.fresh.as_ref()) {
            out.problem(Diagnostic::error(
                "write-failed",
                format!("cannot write the site to {}: {e}", output.display()),
            ));
            tree.fresh = None; // the next swap writes everything again
            return;
        }
        tree.fresh = Some(Default::default());
        out.info(&format!(
            "Built {} ({} written) into {} in {}",
            count(tree.files.len(), "file"),
            crate::text::group_digits(written),
            output.display(),
            fmt_duration(outcome.elapsed)
        ));
    };
    let mut live = LiveSite::new(opts.clone());
    let outcome = live.build_whole(&mut |step| tree.apply(step));
    finish(&live, &mut tree, &outcome);
    Ok(crate::serve::watch_build(&opts.root, out, |paths| {
        let outcome = live.update(paths, &mut |step| tree.apply(step));
        finish(&live, &mut tree, &outcome);
    }))
}

pub(super) fn summary(report: &BuildReport) -> String {
    let mut s = format!(
        "{}, {}, {} in {}",
        count(report.records, "record"),
        count(report.pages, "page"),
        count(report.files, "file"),
        fmt_duration(report.elapsed)
    );
    s.push_str(&warnings_suffix(report));
    s
}

/// `, 1 draft left out, 2 warnings` (nothing when there are neither).
pub(super) fn warnings_suffix(report: &BuildReport) -> String {
    let mut s = String::new();
    if report.drafts > 0 {
        s.push_str(&format!(", {} left out", count(report.drafts, "draft")));
    }
    if report.warning_count() > 0 {
        s.push_str(&format!(", {}", count(report.warning_count(), "warning")));
    }
    s
}

pub(super) fn fmt_duration(d: Duration) -> String {
    if d.as_secs_f64() < 1.0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

pub(super) fn failure_line(report: &BuildReport) -> String {
    format!("error: {} found", count(report.error_count(), "error"))
}

/// A progress bar that appears only when a build runs longer than a second, on a terminal.
pub(super) fn progress_bar(out: Console) -> impl Fn(usize, usize) + Sync {
    let bar = indicatif::ProgressBar::hidden();
    let start = Instant::now();
    let shown = AtomicBool::new(false);
    let enabled = !out.quiet && std::io::stderr().is_terminal();
    move |n, total| {
        if !enabled {
            return;
        }
        if !shown.load(Ordering::Relaxed)
            && start.elapsed() > Duration::from_secs(1)
            && !shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
        bar.set_position(n as u64);
        if n == total {
            bar.finish_and_clear();
        }
    }
}

/// `load 120 ms · link 35 ms · ...` for `--verbose`.
pub(super) fn timing_line(timings: &[(&str, std::time::Duration)]) -> String {
    let parts: Vec<String> = timings
        .iter()
        .map(|(stage, d)| format!("{stage} {} ms", d.as_millis()))
        .collect();
    format!("Stages: {}", parts.join(" · "))
}
