//! The command line: a thin layer over the pipeline. Exit codes: 0 success, 1 content or
//! template errors (or an I/O failure), 2 usage errors.

use crate::build::{self, BuildOptions, BuildReport};
use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::model::Kind;
use crate::write::{NullSink, StagedOutput};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(name = "pactgen", version, about = "Typed, cross-linked static sites of humanitarian commitments", long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print notes (such as arithmetic the source document itself gets wrong).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to colour output (NO_COLOR is respected by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
pub enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into a folder (atomically: a failed build leaves the old output untouched).
    Build {
        /// Site folder (holding content/ and themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; relative paths are relative to the current directory.
        #[arg(short, long, default_value = "public")]
        output: PathBuf,
        /// URL or path the site is published under (overrides site.yaml's base_url).
        #[arg(long)]
        base_url: Option<String>,
        /// Do not minify HTML (overrides site.yaml's `minify`).
        #[arg(long, conflicts_with = "minify")]
        no_minify: bool,
        /// Minify HTML with minify-html (overrides site.yaml's `minify`).
        #[arg(long)]
        minify: bool,
        /// Write links relative to each page, so the output works from any sub-path and
        /// opened straight from disk (file://).
        #[arg(long)]
        relative: bool,
        /// Write only the HTML pages: no search index, data exports, feed or embed pages
        /// (overrides site.yaml's `outputs`; for quick builds and the benchmark).
        #[arg(long)]
        pages_only: bool,
        /// After building, rebuild on every change to the site's files until Ctrl-C.
        #[arg(long)]
        watch: bool,
    },
    /// Preview the site: build it into memory, serve it, rebuild and reload on every change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (default 1111, or the next free one; 0 for any free port).
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on; the default serves this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in a browser.
        #[arg(long)]
        open: bool,
        /// Path the preview is served under (default `/`, whatever site.yaml says).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate everything a build validates (renders every page in memory); writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Diagnostics as text for people or JSON for CI.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a JSON Schema per record kind, for editor validation and completion.
    Schema {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/schemas).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write a valid skeleton record of a kind and print its path.
    New {
        #[arg(help = kind_help())]
        kind: String,
        /// ID (default: the next free one).
        id: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// `Record kind: organisation, core-responsibility, ...`, from the declaration of the kinds.
fn kind_help() -> String {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    format!("Record kind: {}", names.join(", "))
}

struct Output {
    color: bool,
    quiet: bool,
    verbose: bool,
}

impl Output {
    fn print_diagnostics(&self, diags: &[Diagnostic], sources: &SourceMap) {
        eprint!(
            "{}",
            diagnostics::render_for_console(diags, sources, self.color, self.quiet, self.verbose)
        );
    }

    fn console(&self) -> crate::serve::Console {
        crate::serve::Console {
            color: self.color,
            quiet: self.quiet,
            verbose: self.verbose,
        }
    }

    /// Every message goes through [`diagnostics::terminal_safe`]: it quotes paths and IDs.
    fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", diagnostics::terminal_safe(msg));
        }
    }

    /// Printed with `--verbose` only.
    fn note(&self, msg: &str) {
        if self.verbose {
            eprintln!("{}", diagnostics::terminal_safe(msg));
        }
    }
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let out = Output {
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            no_minify,
            minify,
            relative,
            pages_only,
            watch,
        } => {
            let opts = BuildOptions {
                root,
                base_url,
                minify: if minify {
                    Some(true)
                } else {
                    no_minify.then_some(false)
                },
                relative,
                pages_only,
                check: false,
                live: watch,
            };
            if watch {
                return run_watch(&opts, &output, &out);
            }
            run_build(&opts, &output, &out)
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            base_url,
        } => crate::serve::serve(
            crate::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    base_url,
                    minify: None,
                    relative: false,
                    pages_only: false,
                    check: false,
                    live: true,
                },
                bind,
                port,
                open,
            },
            out.console(),
        ),
        Command::Check { root, format } => run_check(
            &BuildOptions {
                root,
                check: true,
                ..Default::default()
            },
            format,
            &out,
        ),
        Command::Schema { root, output } => run_schema(&root, output, &out),
        Command::New { kind, id, root } => run_new(&root, &kind, id.as_deref(), &out),
    }
}

fn summary(report: &BuildReport) -> String {
    let mut s = format!(
        "{} records, {} pages, {} files in {}",
        report.records,
        report.pages,
        report.files,
        fmt_duration(report.elapsed)
    );
    s.push_str(&warnings_suffix(report));
    s
}

fn warnings_suffix(report: &BuildReport) -> String {
    match report.warning_count() {
        0 => String::new(),
        1 => ", 1 warning".into(),
        w => format!(", {w} warnings"),
    }
}

fn fmt_duration(d: Duration) -> String {
    if d.as_secs_f64() < 1.0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

fn failure_line(report: &BuildReport) -> String {
    let n = report.error_count();
    format!("error: {n} error{} found", if n == 1 { "" } else { "s" })
}

/// A progress bar that appears only when a build runs longer than a second, on a terminal.
fn progress_bar(out: &Output) -> impl Fn(usize, usize) + Sync {
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

fn run_build(opts: &BuildOptions, output: &std::path::Path, out: &Output) -> i32 {
    let target = match build::resolve_output(&opts.root, output) {
        Ok(t) => t,
        Err(d) => {
            out.print_diagnostics(&[d], &SourceMap::default());
            return 1;
        }
    };
    let staged = match StagedOutput::new_waiting(&target, &|pid| wait_message(out, output, pid)) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::error(
                "write-failed",
                format!("cannot prepare output folder {}: {e}", output.display()),
            );
            out.print_diagnostics(&[d], &SourceMap::default());
            return 1;
        }
    };
    let mut report = build::build_into(opts, &staged.sink(), &progress_bar(out));
    out.print_diagnostics(&report.diagnostics, &report.sources);
    if report.has_errors() {
        // Dropping `staged` deletes the staging folder; the previous output stays as it was.
        eprintln!(
            "{}; {} left unchanged",
            failure_line(&report),
            diagnostics::terminal_safe(&output.display().to_string())
        );
        return 1;
    }
    let t = std::time::Instant::now();
    let committed = staged.commit();
    report.timings.push(("swap", t.elapsed()));
    out.note(&timing_line(&report.timings));
    if let Err(e) = committed {
        let d = Diagnostic::error(
            "write-failed",
            format!("cannot move the new site into {}: {e}", output.display()),
        );
        out.print_diagnostics(&[d], &SourceMap::default());
        return 1;
    }
    out.info(&format!(
        "Built {} into {}",
        summary(&report),
        output.display()
    ));
    0
}

/// Says that another build holds the output, and who.
fn wait_message(out: &Output, output: &std::path::Path, pid: Option<u32>) {
    let who = pid.map_or("another pactgen build".to_string(), |p| {
        format!("another pactgen build (process {p})")
    });
    out.info(&format!(
        "{who} is writing {}; waiting for it to finish",
        diagnostics::terminal_safe(&output.display().to_string())
    ));
}

/// `build --watch`: the site is kept in memory and rebuilt incrementally (as `serve` does);
/// after each good rebuild the whole site is swapped into `output`, unchanged files
/// hard-linked from the previous output, so the folder always holds one complete build.
fn run_watch(opts: &BuildOptions, output: &std::path::Path, out: &Output) -> i32 {
    use crate::incremental::{LiveSite, Method, Outcome, Publish};
    use std::collections::{BTreeMap, BTreeSet};
    let target = match build::resolve_output(&opts.root, output) {
        Ok(t) => t,
        Err(d) => {
            out.print_diagnostics(&[d], &SourceMap::default());
            return 1;
        }
    };
    struct Tree {
        files: BTreeMap<String, bytes::Bytes>,
        /// Files written since the last swap; `None`: all of them.
        fresh: Option<BTreeSet<String>>,
    }
    let mut tree = Tree {
        files: BTreeMap::new(),
        fresh: None,
    };
    let apply = |tree: &mut Tree, step: Publish| {
        if step.whole {
            tree.files = step.files.entries().into_iter().collect();
            tree.fresh = None;
            return;
        }
        for path in step.removed {
            tree.files.remove(path);
        }
        for (path, bytes) in step.files.entries() {
            if tree.files.get(&path).is_some_and(|old| *old == bytes) {
                continue;
            }
            if let Some(fresh) = &mut tree.fresh {
                fresh.insert(path.clone());
            }
            tree.files.insert(path, bytes);
        }
    };
    let finish = |live: &LiveSite, tree: &mut Tree, outcome: &Outcome| {
        out.print_diagnostics(&outcome.diagnostics, live.sources());
        if outcome.has_errors() {
            let n = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: {n} error{} found; {} left unchanged",
                if n == 1 { "" } else { "s" },
                diagnostics::terminal_safe(&output.display().to_string())
            );
            return;
        }
        if outcome.method == Method::Unchanged {
            out.info("No change to the site");
            return;
        }
        let written = tree.fresh.as_ref().map_or(tree.files.len(), BTreeSet::len);
        if let Err(e) = crate::write::write_whole(&target, &tree.files, tree.fresh.as_ref()) {
            let d = Diagnostic::error(
                "write-failed",
                format!("cannot write the site to {}: {e}", output.display()),
            );
            out.print_diagnostics(&[d], &SourceMap::default());
            tree.fresh = None; // the next swap writes everything again
            return;
        }
        tree.fresh = Some(BTreeSet::new());
        out.info(&format!(
            "Built {} files ({} written) into {} in {}",
            tree.files.len(),
            written,
            output.display(),
            fmt_duration(outcome.elapsed)
        ));
    };
    let mut live = LiveSite::new(opts.clone());
    let outcome = live.build_whole(&mut |step| apply(&mut tree, step));
    finish(&live, &mut tree, &outcome);
    crate::serve::watch_build(&opts.root, out.console(), |paths| {
        let outcome = live.update(paths, &mut |step| apply(&mut tree, step));
        finish(&live, &mut tree, &outcome);
    })
}

/// `load 120 ms · link 35 ms · ...` for `--verbose`.
fn timing_line(timings: &[(&str, std::time::Duration)]) -> String {
    let parts: Vec<String> = timings
        .iter()
        .map(|(stage, d)| format!("{stage} {} ms", d.as_millis()))
        .collect();
    format!("Stages: {}", parts.join(" · "))
}

fn run_check(opts: &BuildOptions, format: Format, out: &Output) -> i32 {
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
            out.print_diagnostics(&report.diagnostics, &report.sources);
            if report.has_errors() {
                eprintln!("{}", failure_line(&report));
            } else {
                out.info(&format!(
                    "Checked {} records and {} pages (rendered {} files of them) in {}: no errors{}",
                    report.records,
                    report.pages,
                    report.files,
                    fmt_duration(report.elapsed),
                    warnings_suffix(&report)
                ));
            }
        }
    }
    i32::from(report.has_errors())
}

fn run_schema(root: &std::path::Path, output: Option<PathBuf>, out: &Output) -> i32 {
    let dir = output.unwrap_or_else(|| root.join("schemas"));
    let mut written = 0;
    let mut write = |name: String, value: serde_json::Value| -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let text = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        std::fs::write(dir.join(name), text)?;
        written += 1;
        Ok(())
    };
    let mut result = write("site.schema.json".into(), crate::schema::site_schema());
    for kind in Kind::ALL {
        if result.is_err() {
            break;
        }
        result = write(
            format!("{}.schema.json", kind.name()),
            crate::schema::schema_of(kind),
        );
    }
    if let Err(e) = result {
        let d = Diagnostic::error(
            "write-failed",
            format!("cannot write schemas to {}: {e}", dir.display()),
        );
        out.print_diagnostics(&[d], &SourceMap::default());
        return 1;
    }
    out.info(&format!(
        "Wrote {written} JSON Schemas to {}",
        dir.display()
    ));
    0
}

fn run_new(root: &std::path::Path, kind: &str, id: Option<&str>, out: &Output) -> i32 {
    let Some(kind) = Kind::from_name(kind).or_else(|| Kind::from_folder(kind)) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        let close = diagnostics::did_you_mean(kind, names.iter().copied());
        let hint = if close.is_empty() {
            format!("kinds: {}", names.join(", "))
        } else {
            format!("did you mean {}?", diagnostics::one_of(&close))
        };
        eprintln!(
            "error: unknown record kind `{}`\n  = help: {}",
            diagnostics::terminal_safe(kind),
            diagnostics::terminal_safe(&hint)
        );
        return 2;
    };
    match crate::scaffold::new_record(root, kind, id) {
        Ok(path) => {
            // `./content/x.yaml` reads better without its `./`.
            let shown = path.strip_prefix(".").unwrap_or(&path);
            println!("{}", shown.display());
            0
        }
        Err(d) => {
            out.print_diagnostics(&[d], &SourceMap::default());
            1
        }
    }
}
