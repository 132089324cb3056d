//! Diagnostics: every problem found in a run, with file, line, column, field and a hint,
//! rendered like a compiler's (source line and marker) or as JSON for CI.

use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::files::{self as cs_files, Files};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
/// How bad a diagnostic is: only errors stop a build.
pub enum Severity {
    /// Stops the run: nothing is published, the exit code is non-zero.
    Error,
    /// Reported; the site is still built.
    Warning,
    /// Information about the run (such as references left unchecked).
    Note,
}

/// One problem. `file`/`span` are absent only for problems that belong to no file
/// (a missing `content/` folder, an unwritable output).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error, warning or note.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `unknown-field`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is in, as an index into the run's [`SourceMap`].
    pub file: Option<usize>,
    /// The byte range of that file it points at.
    pub span: Option<Range<usize>>,
    /// Text under the marker.
    pub label: String,
    /// The field concerned, by its path (`source.document`, `commitments[2].text`).
    pub field: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with its code and message, in no file yet.
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

    /// A warning with its code and message, in no file yet.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// A note with its code and message, in no file yet.
    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points it at `span` of `file`, with `label` under the marker.
    pub fn at(mut self, file: usize, span: Range<usize>, label: impl Into<String>) -> Self {
        self.file = Some(file);
        self.span = Some(span);
        self.label = label.into();
        self
    }

    /// Puts it in `file` without pointing at a place in it.
    pub fn in_file(mut self, file: usize) -> Self {
        self.file = Some(file);
        self
    }

    /// Names the field concerned.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Adds how to fix it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it stops the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file read in a run, so diagnostics can quote it.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

/// One file's name and text. Its line index is made only when a diagnostic needs it: a run
/// reads every record file, and scanning them all for line breaks up front (codespan's
/// `SimpleFiles`) cost a serial pass over the whole input (and memory) on every build.
struct SourceFile {
    name: String,
    /// Shared with the records parsed from it (a Markdown body is a slice of it, not a copy).
    text: bytestring::ByteString,
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The text as a terminal may show it ([`shown_source`]), made when a snippet quotes it.
    shown: std::sync::OnceLock<Option<String>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| cs_files::line_starts(&self.text).collect())
    }

    /// Start of line `index` (0-based); the end of the text for the line after the last.
    fn line_start(&self, index: usize) -> Result<usize, cs_files::Error> {
        let starts = self.line_starts();
        match index.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Ok(starts[index]),
            std::cmp::Ordering::Equal => Ok(self.text.len()),
            std::cmp::Ordering::Greater => Err(cs_files::Error::LineTooLarge {
                given: index,
                max: starts.len() - 1,
            }),
        }
    }
}

impl SourceMap {
    /// Keeps a file's text under the name diagnostics show; returns its index.
    pub fn add(&mut self, display_path: String, text: impl Into<bytestring::ByteString>) -> usize {
        self.files.push(SourceFile {
            // File names are the user's too: `content/x\e[2J.yaml` must not reach a terminal.
            name: terminal_safe(&display_path).into_owned(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            shown: std::sync::OnceLock::new(),
        });
        self.files.len() - 1
    }

    fn file(&self, file: usize) -> Result<&SourceFile, cs_files::Error> {
        self.files.get(file).ok_or(cs_files::Error::FileMissing)
    }

    /// The name of `file` as diagnostics show it (control characters made visible).
    pub fn name(&self, file: usize) -> String {
        self.files
            .get(file)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }

    /// The text of `file` (empty for an unknown index).
    pub fn text(&self, file: usize) -> &str {
        self.files.get(file).map(|f| &*f.text).unwrap_or("")
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether it holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> Option<(usize, usize)> {
        let loc = self.location(file, offset).ok()?;
        Some((loc.line_number, loc.column_number))
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, file: usize) -> Result<&'a str, cs_files::Error> {
        Ok(&self.file(file)?.name)
    }

    /// What code frames quote: the text with terminal control characters made visible.
    fn source(&'a self, file: usize) -> Result<&'a str, cs_files::Error> {
        let f = self.file(file)?;
        Ok(f.shown
            .get_or_init(|| shown_source(&f.text))
            .as_deref()
            .unwrap_or(&f.text))
    }

    fn line_index(&'a self, file: usize, byte_index: usize) -> Result<usize, cs_files::Error> {
        Ok(self
            .file(file)?
            .line_starts()
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_range(
        &'a self,
        file: usize,
        line_index: usize,
    ) -> Result<Range<usize>, cs_files::Error> {
        let f = self.file(file)?;
        Ok(f.line_start(line_index)?..f.line_start(line_index + 1)?)
    }
}

/// Whether a character must not reach a terminal as it is: control characters (they move the
/// cursor, clear the screen, set the window title) and the invisible formatting characters
/// that reorder or hide text (bidirectional overrides, zero-width characters).
fn unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

/// Every text from records, file names and paths goes through here before it is printed to a
/// terminal: unsafe characters become visible escapes (`\u{1b}`).
pub(crate) fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(unsafe_for_terminal) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source text for code frames: each unsafe character replaced by one of the same length in
/// bytes and characters (`?`, `¿`, `�`), so that every span and column still fits. `None`
/// when the text has none.
fn shown_source(text: &str) -> Option<String> {
    if !text.chars().any(unsafe_for_terminal) {
        return None;
    }
    Some(
        text.chars()
            .map(|c| match (unsafe_for_terminal(c), c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '¿',
                (true, _) => '\u{fffd}',
            })
            .collect(),
    )
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

/// Sorts diagnostics by file, position and message so output is stable run to run. The line
/// that counts what could not be checked (`unchecked-references`) sums up the others: last.
pub(crate) fn sort(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| {
        let fa = a.file.map(|f| sources.name(f));
        let fb = b.file.map(|f| sources.name(f));
        let last = |d: &Diagnostic| d.code == "unchecked-references";
        (last(a), fa, a.span.as_ref().map(|s| s.start), &a.message).cmp(&(
            last(b),
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
        .with_message(terminal_safe(&d.message));
    if let (Some(file), Some(span)) = (d.file, &d.span) {
        out = out.with_labels(vec![
            Label::primary(file, span.clone()).with_message(terminal_safe(&d.label)),
        ]);
    }
    let mut notes = Vec::new();
    if let Some(field) = &d.field {
        notes.push(format!("field: {}", terminal_safe(field)));
    }
    if let (Some(file), None) = (d.file, &d.span) {
        notes.push(format!("file: {file}"));
    }
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {}", terminal_safe(hint)));
    }
    out.with_notes(notes)
}

/// Renders diagnostics for a terminal or a log, with source snippets.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let mut cs = to_codespan(d);
        // A file without a span: name it in the message instead of a snippet.
        if let (Some(file), None) = (d.file, &d.span) {
            cs.notes.retain(|n| !n.starts_with("file: "));
            cs.message = format!("{}: {}", sources.name(file), cs.message);
        }
        // A long line is cut around the marked span (codespan prints whole lines).
        match (d.file, &d.span) {
            (Some(file), Some(span)) => match Cut::new(sources, file, span.clone()) {
                Some(cut) => {
                    for label in &mut cs.labels {
                        label.range = cut.shown(label.range.start)..cut.shown(label.range.end);
                    }
                    emit(&mut out, &cut, &cs, color);
                }
                None => emit(&mut out, sources, &cs, color),
            },
            _ => emit(&mut out, sources, &cs, color),
        }
    }
    out
}

fn emit<'f, F: Files<'f, FileId = usize>>(
    out: &mut String,
    files: &'f F,
    cs: &cs::Diagnostic<usize>,
    color: bool,
) {
    let config = term::Config::default();
    if color {
        let mut buf = termcolor::Buffer::ansi();
        if term::emit_to_write_style(&mut buf, &config, files, cs).is_ok() {
            out.push_str(&String::from_utf8_lossy(buf.as_slice()));
        }
    } else {
        let _ = term::emit_to_string(out, &config, files, cs);
    }
}

/// Characters of a line a code frame shows; a longer line is cut around the marked span.
pub(crate) const FRAME_WIDTH: usize = 100;

/// A file as one code frame shows it: the line of the span cut to [`FRAME_WIDTH`] characters
/// around the span, with `…` where text was left out. Locations (`file:line:column`) are still
/// the file's own: codespan asks [`Files::location`] for them, which maps back.
struct Cut<'a> {
    sources: &'a SourceMap,
    file: usize,
    shown: String,
    starts: Vec<usize>,
    /// In the file's text: the line of the span, and the part of it that is kept.
    line: Range<usize>,
    kept: Range<usize>,
    /// Bytes shown before the kept part (`…` or nothing) and after it.
    before: usize,
    after: usize,
}

impl<'a> Cut<'a> {
    /// `None` when the span's line is short enough, or the span runs over several lines.
    fn new(sources: &'a SourceMap, file: usize, span: Range<usize>) -> Option<Cut<'a>> {
        let text = Files::source(sources, file).ok()?;
        let index = sources.line_index(file, span.start).ok()?;
        let mut line = sources.line_range(file, index).ok()?;
        while line.end > line.start && matches!(text.as_bytes()[line.end - 1], b'\n' | b'\r') {
            line.end -= 1;
        }
        let content = &text[line.clone()];
        let chars = content.chars().count();
        if chars <= FRAME_WIDTH || span.end > line.end || span.start < line.start {
            return None;
        }
        // Character positions of the span in the line, and a window of FRAME_WIDTH around it.
        let char_at = |byte: usize| content[..byte - line.start].chars().count();
        let (s, e) = (char_at(span.start), char_at(span.end));
        let room = FRAME_WIDTH.saturating_sub(e - s) / 2;
        let first = s
            .saturating_sub(room)
            .min(chars.saturating_sub(FRAME_WIDTH));
        let last = (first + FRAME_WIDTH)
            .min(chars)
            .max(e.min(first + FRAME_WIDTH));
        let byte_of = |c: usize| {
            line.start
                + content
                    .char_indices()
                    .nth(c)
                    .map_or(content.len(), |(i, _)| i)
        };
        let kept = byte_of(first)..byte_of(last);
        let before = if kept.start > line.start { "…" } else { "" };
        let after = if kept.end < line.end { "…" } else { "" };
        let shown = format!(
            "{}{before}{}{after}{}",
            &text[..line.start],
            &text[kept.clone()],
            &text[line.end..]
        );
        let starts = cs_files::line_starts(&shown).collect();
        Some(Cut {
            sources,
            file,
            shown,
            starts,
            line,
            kept,
            before: before.len(),
            after: after.len(),
        })
    }

    /// Where an offset of the file's text is in the shown text (the span is inside the kept
    /// part; offsets after the line move by what was cut).
    fn shown(&self, offset: usize) -> usize {
        if offset < self.line.start {
            offset
        } else if offset >= self.line.end {
            offset + self.before + self.kept.len() + self.after - self.line.len()
        } else {
            let o = offset.clamp(self.kept.start, self.kept.end);
            self.line.start + self.before + (o - self.kept.start)
        }
    }

    /// The offset of the file's text that an offset of the shown text stands for.
    fn original(&self, shown: usize) -> usize {
        let kept_start = self.line.start + self.before;
        let shown_end = kept_start + self.kept.len() + self.after;
        if shown < self.line.start {
            shown
        } else if shown >= shown_end {
            shown - (self.before + self.kept.len() + self.after) + self.line.len()
        } else {
            self.kept.start + shown.saturating_sub(kept_start).min(self.kept.len())
        }
    }
}

impl<'a> Files<'a> for Cut<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, _: usize) -> Result<String, cs_files::Error> {
        Ok(self.sources.name(self.file))
    }

    fn source(&'a self, _: usize) -> Result<&'a str, cs_files::Error> {
        Ok(&self.shown)
    }

    fn line_index(&'a self, _: usize, byte_index: usize) -> Result<usize, cs_files::Error> {
        Ok(self
            .starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_range(&'a self, _: usize, line_index: usize) -> Result<Range<usize>, cs_files::Error> {
        let start = |i: usize| match i.cmp(&self.starts.len()) {
            std::cmp::Ordering::Less => Ok(self.starts[i]),
            std::cmp::Ordering::Equal => Ok(self.shown.len()),
            std::cmp::Ordering::Greater => Err(cs_files::Error::LineTooLarge {
                given: i,
                max: self.starts.len() - 1,
            }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }

    /// The file's own line and column, not the cut text's.
    fn location(
        &'a self,
        _: usize,
        byte_index: usize,
    ) -> Result<cs_files::Location, cs_files::Error> {
        self.sources.location(self.file, self.original(byte_index))
    }
}

/// Renders what a console shows: errors always, warnings unless quiet, notes when verbose.
pub(crate) fn render_for_console(
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
pub(crate) fn did_you_mean<'a>(
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
pub(crate) fn all_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// Formats candidates as "`a`, `b` or `c`".
pub(crate) fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_are_found_without_an_index_made_up_front() {
        let mut sources = SourceMap::default();
        let a = sources.add("a.yaml".into(), "id: 1\r\ntitle: é x\n\nlast");
        let b = sources.add("b.md".into(), String::new());
        assert!(sources.files[a].line_starts.get().is_none());
        assert_eq!(sources.line_col(a, 0), Some((1, 1)));
        assert_eq!(sources.line_col(a, 7), Some((2, 1)));
        // Columns count characters: `é` is two bytes.
        assert_eq!(sources.line_col(a, 17), Some((2, 10)));
        assert_eq!(sources.line_col(a, 20), Some((4, 1)));
        assert_eq!(sources.line_col(a, 24), Some((4, 5)));
        assert_eq!(sources.line_col(b, 0), Some((1, 1)));
        assert_eq!(sources.line_col(7, 0), None);
        assert_eq!(sources.line_range(a, 1).unwrap(), 7..19);
        assert_eq!(sources.line_range(a, 3).unwrap(), 20..24);
        assert!(sources.line_range(a, 5).is_err());
        assert_eq!(Files::name(&sources, b).unwrap(), "b.md");
    }

    #[test]
    fn long_lines_are_cut_around_the_span_and_keep_their_columns() {
        let mut sources = SourceMap::default();
        let long = format!(
            "text: {}WRONG{}\nnext: 1\n",
            "a".repeat(300),
            "b".repeat(300)
        );
        let file = sources.add("long.yaml".into(), long.clone());
        let at = long.find("WRONG").unwrap();
        let d = Diagnostic::error("x", "here").at(file, at..at + 5, "this");
        let out = render(&[d], &sources, false);
        // Column 307 of line 1, as in the file.
        assert!(out.contains("long.yaml:1:307"), "{out}");
        let quoted = out.lines().find(|l| l.contains("WRONG")).unwrap();
        assert!(quoted.chars().count() < FRAME_WIDTH + 20, "{quoted}");
        assert!(quoted.contains('…'), "{quoted}");
        // The marker sits under the span.
        let marker = out.lines().find(|l| l.contains("^^^^^")).unwrap();
        let col = |l: &str, pat: &str| l.find(pat).map(|i| l[..i].chars().count());
        assert_eq!(col(quoted, "WRONG"), col(marker, "^^^^^"), "{out}");
        // A short line is shown whole.
        let file = sources.add("short.yaml".into(), "id: 1\n");
        let out = render(
            &[Diagnostic::error("x", "y").at(file, 4..5, "z")],
            &sources,
            false,
        );
        assert!(out.contains("id: 1"), "{out}");
    }

    #[test]
    fn a_snippet_quotes_the_line_of_the_span() {
        let mut sources = SourceMap::default();
        let file = sources.add("c.yaml".into(), "id: 1\ntitel: x\n");
        let d = Diagnostic::error("unknown-field", "unknown field `titel`")
            .at(file, 6..11, "unknown field")
            .hint("did you mean `title`?");
        let out = render(&[d], &sources, false);
        assert!(out.contains("c.yaml:2:1"), "{out}");
        assert!(out.contains("titel: x"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
    }
}
