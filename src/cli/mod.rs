//! The command line: a thin layer over the pipeline. Exit codes: 0 success, 1 content or
//! template errors (or an I/O failure), 2 usage errors.

//!
//! One file per command: `init`, `build` (and `build --watch`), `check`, `schema`, `new`,
//! `bundle`; `serve` is its own module. A command returns its exit code, or one problem for `main` to print.

mod build;
mod bundle;
mod check;
mod init;
mod new;
mod schema;

use crate::build::BuildOptions;
use crate::console::Console;
use crate::diagnostics::Diagnostic;
use crate::model::Kind;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

/// What a command ends with: its exit code, or one problem to print (exit code 1).
type Outcome = Result<i32, Diagnostic>;

#[derive(Parser, Debug)]
#[command(name = "pactgen", version, about = "Typed, cross-linked static sites of humanitarian commitments", long_about = None)]
pub(crate) struct Cli {
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
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq)]
pub(crate) enum Format {
    Human,
    Json,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Make a new site: a small, valid starter site with one commented example record of
    /// every kind, in an empty folder.
    Init {
        /// Folder for the new site (created if missing; must be empty).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
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
    /// Write a skeleton record of a kind, as a draft, and print its path.
    New {
        #[arg(help = kind_help())]
        kind: String,
        /// ID (default: the next free one).
        id: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The document the record comes from (its `source`); without it, the site's only
        /// document, or none (a draft may leave it out).
        #[arg(long, value_name = "DOCUMENT")]
        source: Option<String>,
    },
    /// Build the site with relative links into one reproducible zip that works unpacked and
    /// opened from disk (file://), without a web server, with a manifest of every file.
    Bundle {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The zip file to write.
        #[arg(short, long, default_value = "site.zip")]
        output: PathBuf,
        /// The address the site is also published at, for its embed snippets and feed
        /// (overrides site.yaml's base_url).
        #[arg(long)]
        base_url: Option<String>,
    },
}

/// `Record kind: organisation, core-responsibility, ...`, from the declaration of the kinds.
fn kind_help() -> String {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    format!("Record kind: {}", names.join(", "))
}

/// The `pactgen` command: parses the arguments, runs the command, prints its errors and returns the exit code.
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
    let console = Console {
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    // Each command prints its own diagnostics; a single problem it returns is printed here.
    let result = match cli.command {
        Command::Init { dir } => init::run_init(&dir, console),
        Command::Bundle {
            root,
            output,
            base_url,
        } => bundle::run_bundle(
            &BuildOptions {
                root,
                base_url,
                relative: true,
                bundle: true,
                ..Default::default()
            },
            &output,
            console,
        ),
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
                live: watch,
                ..Default::default()
            };
            if watch {
                build::run_watch(&opts, &output, console)
            } else {
                build::run_build(&opts, &output, console)
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            base_url,
        } => Ok(crate::serve::serve(
            crate::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    base_url,
                    minify: None,
                    relative: false,
                    pages_only: false,
                    live: true,
                    ..Default::default()
                },
                bind,
                port,
                open,
            },
            console,
        )),
        Command::Check { root, format } => check::run_check(
            &BuildOptions {
                root,
                check: true,
                ..Default::default()
            },
            format,
            console,
        ),
        Command::Schema { root, output } => schema::run_schema(&root, output, console),
        Command::New {
            kind,
            id,
            root,
            source,
        } => new::run_new(&root, &kind, id.as_deref(), source.as_deref(), console),
    };
    match result {
        Ok(code) => code,
        Err(d) => {
            console.problem(d);
            1
        }
    }
}
