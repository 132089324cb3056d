//! `pactgen check`: everything a build checks, nothing written.

use super::build::{failure_line, fmt_duration, timing_line, warnings_suffix};
use super::{Format, Outcome};
use crate::build::{self, BuildOptions};
use crate::console::Console;
use crate::diagnostics;
use crate::sink::NullSink;

pub(super) fn run_check(opts: &BuildOptions, format: Format, out: Console) -> Outcome {
    let report = build::build_into(opts, &NullSink, &|_, _| {});
    if format == Format::Human {
        out.note(&timing_line(&report.timings));
    }
    match format {
        Format::Json => println!(
            "{}",
            diagnostics::to_json(&report.diagnostics, &report.sources)
        ),
        Format::Human => {
            out.diagnostics(&report.diagnostics, &report.sources);
            if report.has_errors() {
                out.always(&failure_line(&report));
            } else {
                out.info(&format!(
                    "Checked {} and {} (rendered {} of them) in {}: no errors{}",
                    crate::text::count(report.records, "record"),
                    crate::text::count(report.pages, "page"),
                    crate::text::count(report.files, "file"),
                    fmt_duration(report.elapsed),
                    warnings_suffix(&report)
                ));
            }
        }
    }
    Ok(i32::from(report.has_errors()))
}
