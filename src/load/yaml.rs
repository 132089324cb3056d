//! Reading a record's YAML into its kind's type, and serde's errors as diagnostics that
//! name the field by its path, point at the value and say what to write instead, in words a
//! reader uses (never a Rust type).
//!
//! serde stops at a file's first problem. To report every problem of a file in one run, the
//! loader then puts a valid example value in place of the broken field (the field's lines are
//! blanked, so every other position stays where it was, and the example is written at the end
//! of the YAML) and reads the file again, up to [`MAX_ATTEMPTS`] times. What it reads in the
//! end is a *partial* record: its other fields are real and still checked (references, links),
//! the replaced ones are not.

use super::fields::{a_or_the, misplaced, type_problem, unknown_fields};
use super::syntax;
use super::*;
use crate::spans::key_at;
use std::collections::BTreeSet;

/// Readings of one file: the first problem, then one more per replaced field.
const MAX_ATTEMPTS: usize = 12;

/// Files larger than this are read once: their first problem is reported (a runaway file
/// should not be parsed a dozen times).
const MAX_RETRY_BYTES: usize = 256 * 1024;

/// What reading a record's YAML gave.
pub(crate) struct Parsed<T> {
    /// The value: when the YAML was valid, or became valid once the broken fields were
    /// replaced (then `replaced` names them, and `diags` says what was wrong).
    pub value: Option<T>,
    /// Top-level fields whose values are the loader's examples, not the file's.
    pub replaced: BTreeSet<String>,
    pub diags: Vec<FileDiag>,
}

/// How to get past a problem to look for the next one.
#[derive(Default)]
pub(super) struct Fix {
    /// Byte ranges to blank (every byte but line breaks becomes a space).
    pub(super) blank: Vec<Range<usize>>,
    /// Top-level fields to write at the end of the YAML with an example value.
    pub(super) append: Vec<String>,
}

/// Deserializes `text[range]` as `T`, turning serde errors into diagnostics with hints; see the
/// module's documentation for how every problem of the file is found.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    text: &str,
    range: Range<usize>,
    what: &str,
    fields: &schema::Fields,
) -> Parsed<T> {
    let mut parsed = Parsed {
        value: None,
        replaced: BTreeSet::new(),
        diags: Vec::new(),
    };
    if text[range.clone()].trim().is_empty() {
        parsed.diags.push(FileDiag(
            Diagnostic::error("empty-record", format!("the {what} has no fields"))
                .at(0, range.start..range.start, "no fields")
                .hint(format!(
                    "required fields: {}",
                    all_of(&fields.required_names())
                )),
        ));
        return parsed;
    }
    // The text as read this time: the file, or a copy with broken fields blanked and examples
    // appended at the end of the YAML (`appended` bytes from `range.end`).
    let mut work: Option<String> = None;
    let mut appended = 0;
    for attempt in 0..MAX_ATTEMPTS {
        let full = work.as_deref().unwrap_or(text);
        let yaml = range.start..range.end + appended;
        let e = match serde_yaml::from_str::<T>(&full[yaml.clone()]) {
            Ok(v) => {
                parsed.value = Some(v);
                return parsed;
            }
            Err(e) => e,
        };
        let (found, fix) = yaml_error_diagnostics(&e, full, yaml, what, fields);
        // A problem inside an example is the loader's, not the file's: stop there.
        if appended > 0
            && found
                .iter()
                .any(|FileDiag(d)| d.span.as_ref().is_some_and(|s| s.end > range.end))
        {
            break;
        }
        for FileDiag(mut d) in found {
            if let Some(span) = d.span.as_mut() {
                *span = clamp_span(text, span.clone());
            }
            parsed.diags.push(FileDiag(d));
        }
        let Some(fix) = fix else { break };
        let progress = fix.append.iter().all(|f| !parsed.replaced.contains(f))
            && (!fix.append.is_empty() || !fix.blank.is_empty());
        if !progress || text.len() > MAX_RETRY_BYTES || attempt + 1 == MAX_ATTEMPTS {
            break;
        }
        let mut next = full.as_bytes().to_vec();
        for span in &fix.blank {
            for b in &mut next[span.clone()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        let mut add = String::new();
        if !full[..range.end + appended].ends_with('\n') {
            add.push('\n');
        }
        for field in &fix.append {
            add.push_str(&format!("{field}: {}\n", fields.example(field)));
            parsed.replaced.insert(field.clone());
        }
        let at = range.end + appended;
        next.splice(at..at, add.bytes());
        appended += add.len();
        // Only ASCII spaces replaced whole characters' bytes, and ASCII was inserted.
        work = Some(String::from_utf8(next).unwrap_or_default());
    }
    parsed.value = None;
    parsed
}

/// `span` moved inside `text` and onto character boundaries.
pub(super) fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let end = floor(span.end);
    floor(span.start).min(end)..end
}

/// The field path serde_yaml puts before a message (`source.document: invalid type ...`), and
/// the rest. Paths name fields, list items (`rows[1].total`) and nothing else.
fn split_path(msg: &str) -> (&str, &str) {
    if let Some((path, rest)) = msg.split_once(": ") {
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'));
        if is_path && !path.starts_with('.') {
            return (path, rest);
        }
    }
    ("", msg)
}

/// The top-level field of a path: `rows[1].total` → `rows`.
pub(super) fn top_of(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

fn yaml_error_diagnostics(
    e: &serde_yaml::Error,
    text: &str,
    range: Range<usize>,
    what: &str,
    fields: &schema::Fields,
) -> (Vec<FileDiag>, Option<Fix>) {
    let raw = e.to_string();
    let offset = e
        .location()
        .map(|l| range.start + l.index().min(range.len()))
        .unwrap_or(range.start);
    // serde_yaml appends " at line L column C": the location is shown separately.
    let msg = match raw.rfind(" at line ") {
        Some(i) if e.location().is_some() => raw[..i].to_string(),
        _ => raw.clone(),
    };
    // serde quotes the offending value whole: a 10,000-character line made a message as long.
    let msg = shorten_quoted(&msg, 60);
    let (path, detail) = split_path(&msg);
    // A bracket or quote left open changes how everything after it is read: whatever serde
    // says (often a wrong type), that is the problem to report.
    if let Some(p) = syntax::unclosed(text, range.clone()) {
        return (
            vec![FileDiag(
                Diagnostic::error("invalid-yaml", p.message)
                    .at(0, p.span, p.label)
                    .hint(p.hint),
            )],
            None,
        );
    }
    let blocks = top_level_blocks(text, range.clone());
    let one = |d: Diagnostic, fix: Option<Fix>| (vec![FileDiag(d)], fix);
    // A field's value replaced by an example, to read on.
    let replace = |field: &str| -> Option<Fix> {
        let top = top_of(field);
        fields.has_example(top).then(|| Fix {
            blank: blocks
                .iter()
                .filter(|b| b.key == top)
                .map(|b| b.block.clone())
                .collect(),
            append: vec![top.to_string()],
        })
    };

    if let Some(name) = between(detail, "unknown field `", "`") {
        if path.is_empty() {
            return unknown_fields(text, range, what, fields, &blocks);
        }
        // A nested unknown field (e.g. inside `source:`): serde's position points at it.
        let span = offset..offset + name.len();
        let full = format!("{path}.{name}");
        let inner: Vec<&str> = fields
            .of(top_of(path))
            .map(|f| f.names.iter().map(String::as_str).collect())
            .unwrap_or_else(|| {
                detail
                    .split("expected one of ")
                    .nth(1)
                    .or_else(|| detail.split("expected ").nth(1))
                    .map(|s| s.split(", ").map(|x| x.trim_matches('`')).collect())
                    .unwrap_or_default()
            });
        let close = did_you_mean(name, inner.iter().copied());
        let hint = if close.is_empty() {
            format!("fields of `{path}`: {}", all_of(&inner))
        } else {
            format!(
                "did you mean {}? Fields of `{path}`: {}",
                one_of(&close),
                all_of(&inner)
            )
        };
        return one(
            Diagnostic::error(
                "unknown-field",
                format!("unknown field `{name}` in `{path}`"),
            )
            .at(0, span, "unknown field")
            .field(full)
            .hint(hint),
            replace(path),
        );
    }
    if let Some(name) = between(detail, "missing field `", "`") {
        if path.is_empty() {
            let span = if offset <= range.start {
                line_span(text, range.start)
            } else {
                offset..offset + 1
            };
            let example = fields.example(name);
            return one(
                Diagnostic::error(
                    "missing-field",
                    format!("the {what} is missing the required field `{name}`"),
                )
                .at(0, span, format!("`{name}` is missing"))
                .field(name)
                .hint(format!(
                    "add `{name}: {example}`; required fields of {}: {}",
                    a_or_the(what),
                    all_of(&fields.required_names())
                )),
                fields.has_example(name).then(|| Fix {
                    blank: Vec::new(),
                    append: vec![name.to_string()],
                }),
            );
        }
        // The field may be written, but not indented under its mapping (`document:` at the
        // start of the line after `source:`).
        if let Some(b) = blocks.iter().find(|b| b.key == name) {
            let mut fix = replace(path).unwrap_or_default();
            fix.blank.push(b.block.clone());
            return one(
                misplaced(text, range, name, path, b.key_span.clone()),
                Some(fix),
            );
        }
        let inner = fields.of(top_of(path));
        let required = inner.map(|f| f.required_names()).unwrap_or_default();
        let example = inner.map_or("...", |f| f.example(name));
        let span = blocks
            .iter()
            .find(|b| b.key == top_of(path))
            .map_or(offset..offset + 1, |b| b.key_span.clone());
        return one(
            Diagnostic::error(
                "missing-field",
                format!("`{path}` is missing its required field `{name}`"),
            )
            .at(0, span, format!("no `{name}` under `{path}`"))
            .field(format!("{path}.{name}"))
            .hint(format!(
                "add `{name}: {example}` under `{path}:`, indented; required fields of `{path}`: {}",
                all_of(&required)
            )),
            replace(path),
        );
    }
    let field_name = || -> Option<String> {
        if path.is_empty() {
            key_at(text, offset)
        } else {
            Some(path.to_string())
        }
    };
    if let Some(variant) = between(detail, "unknown variant `", "`") {
        let choices: Vec<&str> = detail
            .split("expected one of ")
            .nth(1)
            .or_else(|| detail.split("expected ").nth(1))
            .map(|s| s.split(", ").map(|x| x.trim_matches('`')).collect())
            .unwrap_or_default();
        let close = did_you_mean(variant, choices.iter().copied());
        let field = field_name();
        let shown = field
            .as_deref()
            .map_or("value".to_string(), |f| format!("`{f}`"));
        let mut d = Diagnostic::error(
            "invalid-value",
            format!("`{variant}` is not a valid {shown}"),
        )
        .at(0, offset..offset + variant.len(), "not allowed here");
        if let Some(f) = &field {
            d = d.field(f.clone());
        }
        let d = d.hint(if close.is_empty() {
            format!("use one of {}", one_of(&choices))
        } else {
            format!(
                "did you mean {}? Allowed: {}",
                one_of(&close),
                one_of(&choices)
            )
        });
        let fix = field.as_deref().and_then(replace);
        return one(d, fix);
    }
    let kind = ["invalid type", "invalid value", "invalid length"]
        .into_iter()
        .find(|p| detail.starts_with(p));
    if kind.is_some() {
        let field = field_name();
        let mut span = value_span(text, offset);
        // An item of a list written on one line (`[3, 300]`): the item only.
        if path.ends_with(']') {
            let item = &text[span.clone()];
            span.end = span.start + item.find([',', ']', '}']).unwrap_or(item.len());
            span.end = span.start + text[span.clone()].trim_end().len();
        }
        let d = type_problem(detail, field.as_deref(), span, what, fields, text, offset);
        let fix = match field.as_deref() {
            Some(f) if !path.is_empty() || blocks.iter().any(|b| b.key == f) => replace(f),
            _ => None,
        };
        return one(d, fix);
    }
    if let Some(name) = between(detail, "duplicate field `", "`") {
        // serde_yaml does not say where: point at the second occurrence of the key.
        let second = blocks.iter().filter(|b| b.key == name).nth(1);
        let span = second.map_or(range.start..range.start, |b| b.key_span.clone());
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        let fix = match second {
            Some(b) if path.is_empty() => Some(Fix {
                blank: vec![b.block.clone()],
                append: Vec::new(),
            }),
            _ => replace(path),
        };
        return one(
            Diagnostic::error(
                "duplicate-field",
                format!("the field `{field}` is written twice"),
            )
            .at(0, span, "written again here")
            .field(field)
            .hint("keep one of the two; YAML does not merge repeated fields"),
            fix,
        );
    }
    if msg.contains("more than one document") {
        let at = text[range.clone()]
            .match_indices("---")
            .find(|(i, _)| *i == 0 || text.as_bytes()[range.start + i - 1] == b'\n')
            .map_or(range.start, |(i, _)| range.start + i);
        return one(
            Diagnostic::error("several-documents", "a record file holds one YAML document")
                .at(0, at..at + 3, "a second document starts here")
                .hint("remove the `---` line, or put the second record in a file of its own"),
            None,
        );
    }
    // Anything else is a YAML syntax problem: said where it is, in a reader's words.
    let p = syntax::explain(text, range, &raw, offset);
    one(
        Diagnostic::error("invalid-yaml", p.message)
            .at(0, p.span, p.label)
            .hint(p.hint),
        None,
    )
}

/// From `at` to the end of its line.
fn line_span(text: &str, at: usize) -> Range<usize> {
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    at..end.max(at)
}

/// The value at `offset` up to the end of its line, without a trailing comment.
pub(super) fn value_span(text: &str, offset: usize) -> Range<usize> {
    let line = line_span(text, offset.min(text.len()));
    let s = &text[line.clone()];
    let end = s.find(" #").unwrap_or(s.len());
    let s = s[..end].trim_end();
    line.start..line.start + s.len()
}

/// `msg` with every quoted value (`"..."`) longer than `max` characters cut to `max`, marked
/// with `…`.
pub(super) fn shorten_quoted(msg: &str, max: usize) -> String {
    let mut out = String::with_capacity(msg.len().min(4 * max + 200));
    for (i, part) in msg.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        if i % 2 == 1 && part.chars().count() > max {
            out.extend(part.chars().take(max));
            out.push('…');
        } else {
            out.push_str(part);
        }
    }
    out
}

pub(super) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// A top-level field of a file: its key, where the key is written, and its lines (the key's
/// line and every line after it up to the next top-level line).
pub(super) struct Block {
    pub key: String,
    pub key_span: Range<usize>,
    pub block: Range<usize>,
}

/// The top-level fields of `text[range]`, in order (one pass over the lines).
pub(super) fn top_level_blocks(text: &str, range: Range<usize>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut pos = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let first = line.chars().next();
        let continues = first.is_none_or(|c| matches!(c, ' ' | '\t' | '-' | '#' | '\r' | '\n'));
        if !continues {
            if let Some(last) = out.last_mut() {
                last.block.end = pos;
            }
            if let Some((key, span)) = key_of_line(line, pos) {
                out.push(Block {
                    key,
                    key_span: span,
                    block: pos..range.end,
                });
            }
        }
        pos += line.len();
    }
    out
}

/// The key of a top-level line (`key: value`, `"key": value`) and its span.
fn key_of_line(line: &str, pos: usize) -> Option<(String, Range<usize>)> {
    let c = line.chars().next()?;
    if !(c.is_ascii_alphanumeric() || c == '_' || c == '"' || c == '\'') {
        return None;
    }
    let colon = line.find(':')?;
    let key = line[..colon].trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(' ')).then(|| (key.to_string(), pos..pos + key.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_a_readers_words() {
        assert_eq!(words::found("string \"three\""), "the text \"three\"");
        assert_eq!(words::found("integer `2019`"), "the number 2019");
        assert_eq!(words::found("floating point `1.5`"), "the number 1.5");
        assert_eq!(words::found("sequence"), "a list");
        assert_eq!(words::found("unit value"), "an empty value");
        assert_eq!(
            words::expected("struct Source", None),
            "a mapping of fields"
        );
        assert_eq!(words::expected("u32", None), "a whole number");
        assert_eq!(
            words::expected("a text (put it in quotes if it looks like a number)", None),
            "text"
        );
        assert!(words::grouped_number("5,247,000"));
        assert!(words::grouped_number("5 247 000"));
        assert!(!words::grouped_number("3A"));
        assert!(!words::grouped_number("1.5"));
        assert_eq!(
            split_path("source.document: invalid type"),
            ("source.document", "invalid type")
        );
        assert_eq!(split_path("rows[1].total: x"), ("rows[1].total", "x"));
        assert_eq!(
            split_path("invalid type: string"),
            ("", "invalid type: string")
        );
        assert_eq!(top_of("rows[1].total"), "rows");
    }

    #[test]
    fn top_level_blocks_run_to_the_next_field() {
        let text = "id: 1\nsource:\n  document: d\n# note\nlist:\n- a\n- b\ntitle: x\n";
        let blocks = top_level_blocks(text, 0..text.len());
        let keys: Vec<&str> = blocks.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, ["id", "source", "list", "title"]);
        assert_eq!(
            &text[blocks[1].block.clone()],
            "source:\n  document: d\n# note\n"
        );
        assert_eq!(&text[blocks[2].block.clone()], "list:\n- a\n- b\n");
    }
}
