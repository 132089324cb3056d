//! What the commands print to the terminal: diagnostics, messages and notes, as `--quiet`,
//! `--verbose` and `--color` say. One type for `build`, `check`, `serve` and `build --watch`;
//! every text goes through [`diagnostics::terminal_safe`] (records, paths and IDs are the
//! user's, and may hold control characters).

use crate::diagnostics::{self, Diagnostic, SourceMap};

/// How to talk to the terminal (the CLI's global options).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Console {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl Console {
    /// Diagnostics with their code frames: errors always, warnings unless quiet, notes when
    /// verbose.
    pub(crate) fn diagnostics(&self, diags: &[Diagnostic], sources: &SourceMap) {
        eprint!(
            "{}",
            diagnostics::render_for_console(diags, sources, self.color, self.quiet, self.verbose)
        );
    }

    /// One diagnostic that quotes no file (an output folder, a port, the file watcher).
    pub(crate) fn problem(&self, d: Diagnostic) {
        self.diagnostics(&[d], &SourceMap::default());
    }

    /// A message, unless quiet.
    pub(crate) fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", diagnostics::terminal_safe(msg));
        }
    }

    /// A message printed even with `--quiet` (what failed; the address `serve` listens on,
    /// which scripts read).
    pub(crate) fn always(&self, msg: &str) {
        eprintln!("{}", diagnostics::terminal_safe(msg));
    }

    /// A note, printed with `--verbose` only.
    pub(crate) fn note(&self, msg: &str) {
        if self.verbose {
            eprintln!("{}", diagnostics::terminal_safe(msg));
        }
    }
}
