//! `pactgen bundle`: the whole site, built with relative links (`--relative`), as one zip
//! that works unpacked and opened from disk (`file://`): search, filters and embeds included.
//! For intranets without a web server and for archiving.
//!
//! The zip holds the site's files at its root and a manifest, [`MANIFEST`]: every file with
//! its size and SHA-256, the date the build is dated by and the source commit. It is
//! reproducible: the same input gives the same bytes (entries sorted by path, one fixed
//! timestamp taken from `SOURCE_DATE_EPOCH` or the last git commit, fixed permissions,
//! compressed by one deflate implementation at one level).

use crate::build::{self, BuildOptions, BuildReport};
use crate::diagnostics::Diagnostic;
use crate::sink::MemorySink;
use rayon::prelude::*;
use serde::Serialize;
use sha2::Digest;
use std::path::Path;

/// The manifest's name inside the zip.
pub(crate) const MANIFEST: &str = "bundle-manifest.json";

/// What a bundle holds, as the manifest says it.
#[derive(Debug, Serialize)]
pub(crate) struct Manifest {
    pub generator: &'static str,
    pub site: String,
    /// `YYYY-MM-DDTHH:MM:SSZ`: the time every entry of the zip carries; `null` when neither
    /// `SOURCE_DATE_EPOCH` nor a git commit gives one (the entries then carry 1980-01-01).
    pub built: Option<String>,
    /// Where `built` comes from.
    pub built_from: &'static str,
    /// The commit of the site's git repository the bundle was built from, if any.
    pub source_commit: Option<String>,
    /// The commit, and whether the site's folders held changes not committed; or why there
    /// is no commit.
    pub source: String,
    /// The base URL the site was built with (its feed and embed snippets use it when it is
    /// an address).
    pub base_url: String,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ManifestFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// A finished bundle: the zip's bytes and what it holds.
pub(crate) struct Bundle {
    pub zip: Vec<u8>,
    pub manifest: Manifest,
}

/// Builds the site into memory and packs it. The report carries every diagnostic; the bundle
/// is `None` when the build failed.
pub(crate) fn bundle(
    opts: &BuildOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (BuildReport, Option<Bundle>) {
    let mut opts = opts.clone();
    opts.relative = true;
    opts.bundle = true;
    let sink = MemorySink::new();
    let (mut report, retained) = build::build_retaining(&opts, &sink, progress);
    let Some((linked, _)) = retained else {
        return (report, None);
    };
    if report.has_errors() {
        return (report, None);
    }
    let files = sink.entries();
    if files.iter().any(|(path, _)| path == MANIFEST) {
        report.diagnostics.push(
            Diagnostic::error(
                "bundle-failed",
                format!(
                    "the site writes a file named {MANIFEST}, the name of the bundle's manifest"
                ),
            )
            .hint("rename that static file or record"),
        );
        return (report, None);
    }
    let epoch = build::source_epoch(&opts.root);
    let base_url = opts
        .base_url
        .clone()
        .unwrap_or_else(|| linked.site.config.base_url.clone());
    let listed: Vec<ManifestFile> = files
        .par_iter()
        .map(|(path, bytes)| ManifestFile {
            path: path.clone(),
            size: bytes.len() as u64,
            sha256: hex(&sha2::Sha256::digest(bytes)),
        })
        .collect();
    let manifest = Manifest {
        generator: concat!("pactgen ", env!("CARGO_PKG_VERSION")),
        site: linked.site.config.title.clone(),
        built: epoch.map(|(secs, _)| civil_time(secs)),
        built_from: epoch.map_or(
            "nothing: no SOURCE_DATE_EPOCH and no git commit",
            |(_, from)| from,
        ),
        source_commit: git(&opts.root, &["rev-parse", "HEAD"]),
        source: source_description(&opts.root),
        base_url,
        files: listed,
    };
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    manifest_json.push(b'\n');
    let mut entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(path, bytes)| (path.as_str(), &bytes[..]))
        .collect();
    entries.push((MANIFEST, &manifest_json));
    entries.sort_by(|a, b| a.0.cmp(b.0));
    match write_zip(&entries, epoch.map(|(secs, _)| secs)) {
        Ok(zip) => (report, Some(Bundle { zip, manifest })),
        Err(e) => {
            report.diagnostics.push(Diagnostic::error(
                "bundle-failed",
                format!("cannot make the zip: {e}"),
            ));
            (report, None)
        }
    }
}

/// The zip of `entries` (already in order), every entry dated `epoch` (1980-01-01, the
/// earliest date a zip can hold, when none), with permissions `rw-r--r--`, deflated at
/// level 6. Entries are compressed in parallel and written in order.
pub(crate) fn write_zip(
    entries: &[(&str, &[u8])],
    epoch: Option<i64>,
) -> zip::result::ZipResult<Vec<u8>> {
    let time = epoch.map_or(zip::DateTime::DEFAULT, zip_time);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let prepared: Vec<zip::PreparedZipFile> = entries
        .par_iter()
        .map(|(name, bytes)| zip::PreparedZipFile::from_data(name, options, bytes))
        .collect::<Result<_, _>>()?;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer.add_prepared_files(prepared)?;
    Ok(writer.finish()?.into_inner())
}

/// A Unix time as a zip's date and time (UTC), kept within what a zip can hold (1980-2107).
fn zip_time(secs: i64) -> zip::DateTime {
    let (y, mo, d, h, mi, s) = civil(secs);
    if y < 1980 {
        return zip::DateTime::DEFAULT;
    }
    let y = u16::try_from(y.min(2107)).unwrap_or(2107);
    zip::DateTime::from_date_and_time(y, mo as u8, d as u8, h as u8, mi as u8, s as u8)
        .unwrap_or_default()
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
fn civil_time(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Year, month, day, hour, minute, second (UTC) of a Unix time.
fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let date = build::civil_date(secs);
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
    let (y, mo, d) = (
        parts.next().unwrap_or(1970),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    );
    let t = secs.rem_euclid(86_400);
    (y, mo, d, t / 3600, t % 3600 / 60, t % 60)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The output of a git command run in `root`, trimmed; `None` when git is missing, `root` is
/// not in a repository, or the command fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// "git commit 1a2b… (clean)", "… with changes not committed in content/ …", or why there
/// is no commit. Only the site's own folders count: a zip written into the site's folder
/// must not make the next bundle differ.
fn source_description(root: &Path) -> String {
    let Some(commit) = git(root, &["rev-parse", "HEAD"]) else {
        return if git(root, &["rev-parse", "--is-inside-work-tree"]).is_some() {
            "a git repository without commits".to_string()
        } else {
            "not a git repository (or git is not installed): no source commit".to_string()
        };
    };
    let changed = git(
        root,
        &[
            "status",
            "--porcelain",
            "--",
            "content",
            "themes",
            "templates",
            "static",
        ],
    );
    match changed {
        Some(_) => format!(
            "git commit {commit}, with changes not committed in content/, themes/, templates/ or static/"
        ),
        None => format!("git commit {commit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_times_follow_the_calendar_and_stay_in_range() {
        assert_eq!(civil_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(civil_time(1_700_000_000), "2023-11-14T22:13:20Z");
        let t = zip_time(1_700_000_000);
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2023, 11, 14, 22, 13, 20)
        );
        assert_eq!(zip_time(0), zip::DateTime::DEFAULT);
    }

    #[test]
    fn the_same_entries_give_the_same_zip() {
        let entries: Vec<(&str, &[u8])> = vec![
            ("a/index.html", b"<p>a</p>".as_slice()),
            ("b.css", b"body{}".as_slice()),
        ];
        let one = write_zip(&entries, Some(1_700_000_000)).expect("zip");
        let two = write_zip(&entries, Some(1_700_000_000)).expect("zip");
        assert_eq!(one, two);
        let other = write_zip(&entries, Some(1_700_000_002)).expect("zip");
        assert_ne!(one, other, "the time is in the zip");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one)).expect("read");
        assert_eq!(archive.len(), 2);
        let file = archive.by_index(0).expect("entry");
        assert_eq!(file.name().expect("name"), "a/index.html");
        assert_eq!(file.unix_mode().map(|m| m & 0o777), Some(0o644));
    }
}
