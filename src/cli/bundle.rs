//! `pactgen bundle [-o site.zip]`: the site as one reproducible zip for reading offline.

use super::Outcome;
use super::build::{failure_line, fmt_duration, left_as_it_was, progress_bar, warnings_suffix};
use crate::build::BuildOptions;
use crate::console::Console;
use crate::diagnostics::{Diagnostic, terminal_safe};
use std::path::Path;

pub(super) fn run_bundle(opts: &BuildOptions, output: &Path, out: Console) -> Outcome {
    let shown = terminal_safe(&output.display().to_string()).into_owned();
    check_output(&opts.root, output, &shown)?;
    let start = std::time::Instant::now();
    let (report, bundle) = crate::bundle::bundle(opts, &progress_bar(out));
    out.diagnostics(&report.diagnostics, &report.sources);
    let Some(bundle) = bundle else {
        out.always(&format!(
            "{}; {}",
            failure_line(&report),
            left_as_it_was(output)
        ));
        return Ok(1);
    };
    write_atomically(output, &bundle.zip)
        .map_err(|e| Diagnostic::error("write-failed", format!("cannot write {shown}: {e}")))?;
    let size: u64 = bundle.manifest.files.iter().map(|f| f.size).sum();
    out.info(&format!(
        "Bundled {} records, {} pages ({} files, {}) into {shown} ({}) in {}{}; open index.html after unpacking it",
        report.records,
        report.pages,
        bundle.manifest.files.len(),
        megabytes(size),
        megabytes(bundle.zip.len() as u64),
        fmt_duration(start.elapsed()),
        warnings_suffix(&report),
    ));
    out.note(&format!(
        "Manifest {}: built {}, {}",
        crate::bundle::MANIFEST,
        bundle.manifest.built.as_deref().unwrap_or("without a date"),
        bundle.manifest.source
    ));
    Ok(0)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The zip must be a file (not a folder) outside the folders a build reads, so that no
/// bundle ends up inside the next one.
fn check_output(root: &Path, output: &Path, shown: &str) -> Result<(), Diagnostic> {
    if output.is_dir() {
        return Err(Diagnostic::error(
            "unsafe-output",
            format!("refusing to write the bundle to {shown}: it is a folder"),
        )
        .hint("name the zip file, e.g. `-o site.zip`"));
    }
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let Ok(parent) = std::fs::canonicalize(&parent) else {
        return Err(Diagnostic::error(
            "write-failed",
            format!("cannot write {shown}: its folder does not exist"),
        ));
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for folder in ["content", "themes", "templates", "static"] {
        if parent.starts_with(root.join(folder)) {
            return Err(Diagnostic::error(
                "unsafe-output",
                format!("refusing to write the bundle to {shown}: it lies in the site's {folder}/ folder, which the next build reads"),
            )
            .hint("write it beside content/, e.g. `-o site.zip`"));
        }
    }
    Ok(())
}

/// Writes `bytes` to a new file beside `path` and renames it over `path`: a failure leaves
/// the previous zip as it was.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".pactgen-bundle-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut file, bytes)?;
    // A temporary file is private (0600); the zip is for others to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
