//! Diagnostics: every problem found in a run, with file, line, column, field and a hint,
//! rendered like a compiler's (source line and marker) or as JSON for CI.

use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// One problem. `file`/`span` are absent only for problems that belong to no file
/// (a missing `content/` folder, an unwritable output).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-field`.
    pub code: &'static str,
    pub message: String,
    pub file: Option<usize>,
    pub span: Option<Range<usize>>,
    /// Text under the marker.
    pub label: String,
    pub field: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            span: None,
            label: String::new(),
            field: None,
            hint: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, file: usize, span: Range<usize>, label: impl Into<String>) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn in_file(mut self, file: usize) -> Self {
        self.file = Some(file);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file read in a run, so diagnostics can quote it.
#[derive(Default)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    count: usize,
}

impl SourceMap {
    pub fn add(&mut self, display_path: String, text: String) -> usize {
        self.count += 1;
        self.files.add(display_path, text)
    }

    pub fn name(&self, file: usize) -> String {
        self.files
            .get(file)
            .map(|f| f.name().clone())
            .unwrap_or_default()
    }

    pub fn text(&self, file: usize) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> Option<(usize, usize)> {
        let loc = self.files.location(file, offset).ok()?;
        Some((loc.line_number, loc.column_number))
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    hint: Option<&'a str>,
}

/// Sorts diagnostics by file, position and message so output is stable run to run.
pub fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| {
        let fa = a.file.map(|f| sources.name(f));
        let fb = b.file.map(|f| sources.name(f));
        (fa, a.span.as_ref().map(|s| s.start), &a.message).cmp(&(
            fb,
            b.span.as_ref().map(|s| s.start),
            &b.message,
        ))
    });
}

/// Renders diagnostics as JSON (an array), for `check --format json`.
pub fn to_json(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<JsonDiagnostic> = diags
        .iter()
        .map(|d| {
            let (line, column) = match (d.file, &d.span) {
                (Some(f), Some(s)) => sources
                    .line_col(f, s.start)
                    .map_or((None, None), |(l, c)| (Some(l), Some(c))),
                _ => (None, None),
            };
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file: d.file.map(|f| sources.name(f)),
                line,
                column,
                field: d.field.as_deref(),
                hint: d.hint.as_deref(),
            }
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let mut out = cs::Diagnostic::new(severity)
        .with_code(d.code)
        .with_message(&d.message);
    if let (Some(file), Some(span)) = (d.file, &d.span) {
        out = out.with_labels(vec![
            Label::primary(file, span.clone()).with_message(&d.label),
        ]);
    }
    let mut notes = Vec::new();
    if let Some(field) = &d.field {
        notes.push(format!("field: {field}"));
    }
    if let (Some(file), None) = (d.file, &d.span) {
        notes.push(format!("file: {file}"));
    }
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {hint}"));
    }
    out.with_notes(notes)
}

/// Renders diagnostics for a terminal or a log, with source snippets.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        let mut cs = to_codespan(d);
        // A file without a span: name it in the message instead of a snippet.
        if let (Some(file), None) = (d.file, &d.span) {
            cs.notes.retain(|n| !n.starts_with("file: "));
            cs.message = format!("{}: {}", sources.name(file), cs.message);
        }
        if color {
            let mut buf = termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buf, &config, &sources.files, &cs).is_ok() {
                out.push_str(&String::from_utf8_lossy(buf.as_slice()));
            }
        } else {
            let _ = term::emit_to_string(&mut out, &config, &sources.files, &cs);
        }
    }
    out
}

/// Renders what a console shows: errors always, warnings unless quiet, notes when verbose.
pub fn render_for_console(
    diags: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
    quiet: bool,
    verbose: bool,
) -> String {
    let shown: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| match d.severity {
            Severity::Error => true,
            Severity::Warning => !quiet,
            Severity::Note => verbose,
        })
        .cloned()
        .collect();
    render(&shown, sources, color)
}

/// The closest candidates to `wanted`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted_l = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_l, &c.to_lowercase()), c))
        .filter(|(s, _)| *s > 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Formats items as "`a`, `b` and `c`".
pub fn all_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// Formats candidates as "`a`, `b` or `c`".
pub fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
