//! Runs the pipeline (load → link → facets → render → export → write) for `build`, `check` and
//! `serve`; see the crate documentation and docs/architecture.md.

use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::link::{self, Links};
use crate::load;
use crate::model::{RecordKey, Site};
use crate::render::{self, RenderCache, RenderSettings, Renderer};
use crate::sink::Sink;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
/// What to build and how: the site folder, and the command-line overrides of its settings.
pub struct BuildOptions {
    /// The site folder: the one holding `content/` (and `themes/`, `static/` if it has them).
    pub root: PathBuf,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Overrides `minify` of site.yaml.
    pub minify: Option<bool>,
    /// Forces relative links (`--relative`), whatever site.yaml says.
    pub relative: bool,
    /// Writes only the HTML pages (`--pages-only`): no search index, data exports, feed or
    /// embed pages, whatever site.yaml's `outputs` says.
    pub pages_only: bool,
    /// `check`: nothing is written, so render a sample of pages (every template, every kind)
    /// without minifying.
    pub check: bool,
    /// The live preview: keep what the next, incremental rebuild can reuse.
    pub live: bool,
    /// `pactgen bundle`: a copy for reading offline, not a site published at `base_url`, so
    /// a base URL that is only a path is not warned about.
    pub bundle: bool,
}

/// What a run produced: counts for the summary line and every diagnostic.
pub struct BuildReport {
    /// Records published (a build) or previewed (the live preview, drafts included).
    pub records: usize,
    /// Drafts: left out of a build, shown with a banner by the live preview.
    pub drafts: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written in all: pages, data exports, search index, feed, static files.
    pub files: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Time spent in each stage, in order (`build -v` prints them).
    pub timings: Vec<(&'static str, Duration)>,
    /// Every problem found, errors, warnings and notes, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, which the diagnostics point into.
    pub sources: SourceMap,
}

impl BuildReport {
    /// Whether any diagnostic is an error: then nothing was published.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
    /// How many diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    /// How many diagnostics are warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == diagnostics::Severity::Warning)
            .count()
    }
}

/// A loaded and linked site, ready to render.
pub(crate) struct Linked {
    pub site: Site,
    pub links: Links,
    /// The commitments' facets, computed from the site and its links.
    pub facets: crate::facets::Facets,
    pub templates: render::TemplateSet,
    /// Drafts: left out of `site` by a build (checked all the same), kept in it by the live
    /// preview, which shows them with a banner.
    pub drafts: usize,
}

/// Load and link, recording each stage's time in `timings`; `None` when `diags` explain why
/// rendering cannot start.
///
/// Every error of a run is reported at once: files that failed to load do not stop the run
/// before linking. The records that loaded are linked and checked; references to the records
/// of the failed files are not reported as unknown (one line counts them), and what could be
/// read of those records is checked too. Drafts are checked with the site, then left out of a
/// build's site and linked again: a reference to a draft is a warning, and the link is left
/// out with the draft.
pub(crate) fn load_and_link(
    opts: &BuildOptions,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Option<Linked> {
    let t = Instant::now();
    let loaded = load::load_site(&opts.root, sources);
    timings.push(("load", t.elapsed()));
    diags.extend(loaded.diagnostics);
    // Without the settings (menu, organisation, Markdown options) nothing can be linked.
    let config = loaded.config?;
    let static_files = crate::paths::static_files(&opts.root, &config.theme);
    let mut site = Site {
        config,
        records: loaded.records,
        static_files,
    };
    let drafts: BTreeSet<RecordKey> = site
        .records
        .values()
        .filter(|r| r.is_draft())
        .map(|r| r.key.clone())
        .collect();
    // Templates before links: the link stage checks `#fragment`s against the IDs they write.
    let t = Instant::now();
    let templates = render::load_templates(&opts.root, &site.config.theme, sources, diags);
    timings.push(("templates", t.elapsed()));
    // Without templates the links are still checked: every error of a run is reported.
    let ids = templates
        .as_ref()
        .map(render::TemplateSet::template_ids)
        .unwrap_or_default();
    let t = Instant::now();
    let no_drafts = BTreeSet::new();
    let absent = |drafts| link::Absent {
        unloaded: &loaded.unloaded,
        drafts,
    };
    let mut links = link::resolve_links(&site, sources, &ids, absent(&no_drafts), diags);
    if !opts.live && !drafts.is_empty() {
        // The published site: without the drafts, linked again. Its only new findings are the
        // references to drafts (everything else was reported above).
        for key in &drafts {
            site.records.remove(key);
        }
        let mut again = Vec::new();
        links = link::resolve_links(&site, sources, &ids, absent(&drafts), &mut again);
        diags.extend(again.into_iter().filter(|d| d.code == "draft-reference"));
    }
    timings.push(("link", t.elapsed()));
    if diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let t = Instant::now();
    let facets = crate::facets::compute(&site, &links);
    timings.push(("facets", t.elapsed()));
    Some(Linked {
        site,
        links,
        facets,
        templates: templates?,
        drafts: drafts.len(),
    })
}

pub(crate) fn settings(opts: &BuildOptions, site: &Site) -> RenderSettings {
    let base = opts.base_url.as_deref().unwrap_or(&site.config.base_url);
    let mut s = RenderSettings::from_base_url(base, opts.minify.unwrap_or(site.config.minify));
    s.relative = opts.relative || site.config.relative_urls;
    s.built = build_date(&opts.root);
    if opts.check {
        s.check = true;
        s.minify = false;
    }
    s.keep_parts = opts.live;
    s.outputs = if opts.pages_only {
        crate::model::Outputs::PAGES_ONLY
    } else {
        site.config.outputs
    };
    s
}

/// Checks the base URL a build uses (`--base-url`, else `base_url:` of site.yaml): a path
/// (`/`, `/pact/`) or an `http(s)://` address. A bare host (`example.org`) is an error: it
/// would prefix every link with `/example.org/`. A path is allowed but warned about once in a
/// build meant for publishing: the outputs that need absolute addresses (the sitemap and its
/// line in robots.txt) are left out, the feed links to paths, and embed snippets say that
/// they cannot name a full address.
pub(crate) fn check_base_url(
    opts: &BuildOptions,
    site: &Site,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let (value, from_cli) = match &opts.base_url {
        Some(v) => (v.as_str(), true),
        None => (site.config.base_url.as_str(), false),
    };
    let where_ = if from_cli {
        "`--base-url`"
    } else {
        "`base_url`"
    };
    // site.yaml is file 0; its `base_url` key, when written.
    let settings = sources.text(0);
    let span = (!from_cli)
        .then(|| crate::spans::locate_field(settings, 0..settings.len(), "base_url"))
        .flatten();
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    let absolute = lower.starts_with("https://") || lower.starts_with("http://");
    let at = |d: Diagnostic| match (from_cli, &span) {
        (true, _) => d,
        (false, Some(span)) => d.at(0, span.clone(), "here").field("base_url"),
        (false, None) => d.in_file(0).field("base_url"),
    };
    if absolute {
        let host = trimmed.split_once("://").map_or("", |x| x.1);
        if host.is_empty() || host.starts_with('/') {
            return vec![at(Diagnostic::error(
                "bad-base-url",
                format!("{where_} `{trimmed}` names no host"),
            )
            .hint("write the address the site is published at, e.g. `https://example.org/commitments/`"))];
        }
        return Vec::new();
    }
    if !trimmed.starts_with('/') {
        return vec![at(Diagnostic::error(
            "bad-base-url",
            format!("{where_} `{trimmed}` is neither an address nor a path"),
        )
        .hint(format!(
            "did you mean `https://{}/`? A path from the host's root starts with `/`",
            trimmed.trim_end_matches('/')
        )))];
    }
    if opts.check || opts.live || opts.bundle {
        return Vec::new(); // a preview, a check or an offline copy publishes nothing
    }
    vec![at(Diagnostic::warning(
        "relative-base-url",
        format!("{where_} is the path `{trimmed}`, not an address: no sitemap.xml is written, robots.txt names none, the feed links to paths, and embed snippets cannot name their page's full address (they say so on every record page)"),
    )
    .hint("set `base_url: https://your.host/path/` in content/site.yaml, or pass `--base-url https://your.host/path/` when you build for publishing"))]
}

/// The "last built" date: `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention),
/// else the date of the last commit of the site's git repository, else none. Never the wall
/// clock, so the same input always gives the same output.
pub(crate) fn build_date(root: &Path) -> Option<String> {
    source_epoch(root).map(|(secs, _)| civil_date(secs))
}

/// The Unix time a build is dated by, and where it comes from: `SOURCE_DATE_EPOCH`, else the
/// time of the last commit of the site's git repository, else none.
pub(crate) fn source_epoch(root: &Path) -> Option<(i64, &'static str)> {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return Some((secs, "SOURCE_DATE_EPOCH"));
    }
    let out = std::process::Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let secs = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse::<i64>()
        .ok()?;
    out.status
        .success()
        .then_some((secs, "the last git commit"))
}

/// `YYYY-MM-DD` (UTC) of a Unix time (Howard Hinnant's days-from-civil inverse).
pub(crate) fn civil_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Runs the whole pipeline into `sink`. The caller decides what a failure means for the
/// output (the disk build discards its staging folder; serve keeps the last good build).
pub fn build_into(
    opts: &BuildOptions,
    sink: &dyn Sink,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> BuildReport {
    build_retaining(opts, sink, progress).0
}

/// [`build_into`], also handing back the linked site and what the renderer derived from it,
/// which the live preview keeps to rebuild only what an edit changes. `None` when the build
/// stopped before rendering.
pub(crate) fn build_retaining(
    opts: &BuildOptions,
    sink: &dyn Sink,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (BuildReport, Option<(Linked, RenderCache)>) {
    let start = Instant::now();
    let mut sources = SourceMap::default();
    let mut diags = Vec::new();
    let mut report_counts = (0, 0, 0, 0);
    let mut timings = Vec::new();
    let mut retained = None;
    let linked = load_and_link(opts, &mut sources, &mut diags, &mut timings);
    let checked = linked.and_then(|linked| {
        let mut problems = check_base_url(opts, &linked.site, &sources);
        problems.extend(crate::model::check_brand(
            &linked.site.config,
            &opts.root,
            &sources,
        ));
        let fatal = problems.iter().any(Diagnostic::is_error);
        diags.extend(problems);
        (!fatal).then_some(linked)
    });
    if let Some(linked) = checked {
        let t = Instant::now();
        let renderer = Renderer::new(
            &linked.site,
            &linked.links,
            &linked.facets,
            &linked.templates,
            settings(opts, &linked.site),
        );
        timings.push(("markdown and views", t.elapsed()));
        let t = Instant::now();
        let jobs = renderer.jobs();
        let total = jobs.len();
        let pages = renderer.page_count();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tick = || {
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n, total);
        };
        // Exports (data files, search index, feed) need no rendered page: write them while
        // the pages render.
        let ((mut files, render_errors), exports) = rayon::join(
            || renderer.render_all(&jobs, sink, &tick),
            || crate::export::write_exports(&renderer, &opts.root, sink),
        );
        timings.push(("pages and exports", t.elapsed()));
        diags.extend(render_errors);
        match exports {
            Ok(n) => files += n,
            Err(d) => diags.push(d),
        }
        report_counts = (linked.site.records.len(), pages, files, linked.drafts);
        let cache = renderer.into_cache();
        retained = Some((linked, cache));
    }
    diagnostics::sort(&mut diags, &sources);
    let report = BuildReport {
        records: report_counts.0,
        pages: report_counts.1,
        files: report_counts.2,
        drafts: report_counts.3,
        elapsed: start.elapsed(),
        timings,
        diagnostics: diags,
        sources,
    };
    (report, retained)
}

/// The real folder a build into `output` replaces, every symbolic link on the way resolved, or
/// why that folder may not be replaced. The check runs on resolved paths: compared as written,
/// `out -> content` or `lnk/public` with `lnk -> content` passed and the swap deleted the site.
///
/// Refused: an output that is itself a symbolic link (the swap would replace the link, and the
/// old tree would be deleted through it), a folder that is the site, holds it, or lies inside
/// its `content/`, `themes/`, `templates/` or `static/`, and an existing folder with files but
/// no `index.html`, which no build of pactgen left there (a home or project folder given by
/// mistake).
pub(crate) fn resolve_output(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = crate::diagnostics::terminal_safe(&output.display().to_string()).into_owned();
    let refuse = |why: String, hint: &str| {
        Err(Diagnostic::error(
            "unsafe-output",
            format!("refusing to write the site to {shown}: {why}"),
        )
        .hint(hint.to_string()))
    };
    let written = normalize(&std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf()));
    let real = resolve_existing(&written);
    let root_real = std::fs::canonicalize(root).unwrap_or_else(|_| {
        normalize(&std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()))
    });
    if root_real.starts_with(&real) {
        let what = if real == root_real {
            "it is the site's own folder"
        } else {
            "it holds the site's own folder"
        };
        return refuse(
            format!("{what}, which the build would replace"),
            "choose an output folder of its own, e.g. `--output public`",
        );
    }
    for inner in SITE_FOLDERS {
        let folder = root_real.join(inner);
        if real.starts_with(&folder) {
            let where_ = if real == folder { "is" } else { "is inside" };
            return refuse(
                format!(
                    "it {where_} the site's `{inner}/` folder (resolved: {})",
                    real.display()
                ),
                "choose an output folder of its own, e.g. `--output public`",
            );
        }
    }
    if let Ok(meta) = std::fs::symlink_metadata(&written)
        && meta.file_type().is_symlink()
    {
        let to = std::fs::canonicalize(&written)
            .map(|p| format!(" (to {})", p.display()))
            .unwrap_or_default();
        return refuse(
            format!(
                "it is a symbolic link{to}; a build replaces its output folder as a whole and never does that through a link"
            ),
            "pass the folder the link points to (`--output DIR`): its files that the build does not make, such as `.htaccess`, are then replaced too, so keep them in the site's `static/` folder",
        );
    }
    if real.is_dir() && !real.join("index.html").exists() {
        let has_files = std::fs::read_dir(&real).is_ok_and(|mut entries| entries.next().is_some());
        if has_files {
            return refuse(
                "the folder holds files but no site built by pactgen (no `index.html`), and a build replaces the folder as a whole".into(),
                "choose a new or empty folder, e.g. `--output public`",
            );
        }
    }
    if real.exists() && !real.is_dir() {
        return refuse(
            "it is a file, not a folder".into(),
            "choose a folder, e.g. `--output public`",
        );
    }
    Ok(real)
}

/// Folders of a site that an output may not be written into.
const SITE_FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

/// `path` with its longest existing prefix resolved (symbolic links followed), the rest kept.
fn resolve_existing(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut existing = path.to_path_buf();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Folds `.` and `..` lexically (the output folder may not exist yet, so no canonicalize).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(951_782_400), "2000-02-29");
        assert_eq!(super::civil_date(1_795_305_600), "2026-11-22");
    }
}
