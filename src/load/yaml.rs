//! Reading a record's YAML into its kind's type, and serde's errors as diagnostics that
//! name the field, point at the value and say what to write instead.

use super::*;

/// Deserializes `text[range]` as `T`, turning serde errors into diagnostics with hints.
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    text: &str,
    range: Range<usize>,
    what: &str,
    fields: &schema::Fields,
) -> Result<T, Vec<FileDiag>> {
    let src = &text[range.clone()];
    if src.trim().is_empty() {
        return Err(vec![FileDiag(
            Diagnostic::error("empty-record", format!("the {what} has no fields"))
                .at(0, range.start..range.start, "no fields")
                .hint(format!(
                    "required fields: {}",
                    all_of(&fields.required_names())
                )),
        )]);
    }
    match serde_yaml::from_str::<T>(src) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut diags = yaml_error_diagnostics(&e, text, range, what, fields);
            // serde_yaml may place an error one past the end (e.g. a file of only `#`):
            // keep every marker inside the file and on character boundaries.
            for FileDiag(d) in &mut diags {
                if let Some(span) = d.span.as_mut() {
                    *span = clamp_span(text, span.clone());
                }
            }
            Err(diags)
        }
    }
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

pub(super) fn yaml_error_diagnostics(
    e: &serde_yaml::Error,
    text: &str,
    range: Range<usize>,
    what: &str,
    fields: &schema::Fields,
) -> Vec<FileDiag> {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; the location is shown separately.
    let msg = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // serde quotes the offending value whole: a 10,000-character line made a message as long.
    let msg = shorten_quoted(&msg, 60);
    let offset = e
        .location()
        .map(|l| range.start + l.index().min(range.len()))
        .unwrap_or(range.start);
    let line_span = |at: usize| -> Range<usize> {
        let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        at..end.max(at)
    };

    if let Some(name) = between(&msg, "unknown field `", "`") {
        // Report every unknown top-level field at once, not just the first serde met.
        let mut out = Vec::new();
        let mut more = 0usize;
        for (key, span) in top_level_keys(text, range.clone()) {
            if fields.names.iter().any(|f| f == &key) {
                continue;
            }
            if out.len() == MAX_REPORTED_PER_FILE {
                more += 1;
                continue;
            }
            out.push(FileDiag(unknown_field(what, &key, span, fields)));
        }
        if more > 0 {
            out.push(FileDiag(
                Diagnostic::error(
                    "unknown-field",
                    format!(
                        "and {} more unknown field{} in this file",
                        crate::text::group_digits(more),
                        if more == 1 { "" } else { "s" }
                    ),
                )
                .at(0, range.start..range.start, "in this file")
                .hint("is this a record file? Fields of a record are listed above"),
            ));
        }
        if out.is_empty() {
            // A nested unknown field (e.g. inside `source:`): serde's position points at it.
            let span = offset..offset + name.len();
            let nested_fields: Vec<&str> = msg
                .split("expected one of ")
                .nth(1)
                .map(|s| s.split(", ").map(|x| x.trim_matches('`')).collect())
                .unwrap_or_default();
            let close = did_you_mean(name, nested_fields.iter().copied());
            let mut d = Diagnostic::error("unknown-field", format!("unknown field `{name}`"))
                .at(0, span, "unknown field")
                .field(name);
            d = d.hint(if close.is_empty() {
                format!("expected one of {}", one_of(&nested_fields))
            } else {
                format!("did you mean {}?", one_of(&close))
            });
            out.push(FileDiag(d));
        }
        return out;
    }
    if let Some(name) = between(&msg, "missing field `", "`") {
        let span = if offset <= range.start {
            line_span(range.start)
        } else {
            offset..offset + 1
        };
        let example = fields.example(name);
        return vec![FileDiag(
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
        )];
    }
    if let Some(variant) = between(&msg, "unknown variant `", "`") {
        let choices: Vec<&str> = msg
            .split("expected one of ")
            .nth(1)
            .or_else(|| msg.split("expected ").nth(1))
            .map(|s| s.split(", ").map(|x| x.trim_matches('`')).collect())
            .unwrap_or_default();
        let close = did_you_mean(variant, choices.iter().copied());
        let field = key_at(text, offset);
        let mut d = Diagnostic::error("invalid-value", format!("`{variant}` is not a valid value"))
            .at(0, offset..offset + variant.len(), "not allowed here");
        if let Some(f) = field {
            d = d.field(f);
        }
        return vec![FileDiag(d.hint(if close.is_empty() {
            format!("use one of {}", one_of(&choices))
        } else {
            format!(
                "did you mean {}? Allowed: {}",
                one_of(&close),
                one_of(&choices)
            )
        }))];
    }
    // serde_yaml prefixes nested errors with the field path: "source.document: invalid type".
    let (path, detail) = ["invalid type", "invalid value", "invalid length"]
        .iter()
        .find_map(|p| {
            msg.find(p)
                .map(|i| (msg[..i].trim_end_matches([':', ' ']), &msg[i..]))
        })
        .unwrap_or(("", ""));
    if !detail.is_empty() {
        let msg = detail.to_string();
        let field = if path.is_empty() {
            key_at(text, offset)
        } else {
            Some(path.to_string())
        };
        let span = line_span(offset);
        let name = field.clone().unwrap_or_default();
        // A required value left empty (`text: ~`, `text:`, `text: ""`) or a list that must
        // name something left empty (`transformations: []`).
        let empty = if msg.contains("an empty value, expected a list") {
            Some((
                "empty-value",
                format!("`{name}` is empty"),
                format!("write `{name}: []` for none, or list its values: `{name}: [a, b]`"),
            ))
        } else if msg.contains("expected a text that is not blank")
            || msg.contains("an empty value")
        {
            Some((
                "empty-value",
                format!("`{name}` is empty"),
                format!("write the {name}: it is required and may not be blank"),
            ))
        } else if msg.contains("expected at least one value") {
            Some((
                "empty-list",
                format!("`{name}` lists nothing"),
                format!(
                    "name at least one value, e.g. `{name}: {}`",
                    fields.example(&name)
                ),
            ))
        } else {
            None
        };
        if let Some((code, message, hint)) = empty {
            let mut d = Diagnostic::error(code, message)
                .at(0, span, "empty")
                .hint(hint);
            if let Some(f) = field {
                d = d.field(f);
            }
            return vec![FileDiag(d)];
        }
        let hint = match field.as_deref().and_then(|f| fields.describe(f)) {
            Some(desc) => format!("`{}` must be {}", field.as_deref().unwrap_or(""), desc),
            None => "check the value's type: quote text, write lists as `[a, b]`".into(),
        };
        let mut d = Diagnostic::error("wrong-type", format!("wrong type: {msg}"))
            .at(0, span, "wrong type")
            .hint(hint);
        if let Some(f) = field {
            d = d.field(f);
        }
        return vec![FileDiag(d)];
    }
    if let Some(name) = between(&msg, "duplicate field `", "`") {
        // serde_yaml does not say where: point at the second occurrence of the key.
        let span = top_level_keys(text, range.clone())
            .into_iter()
            .filter(|(k, _)| k == name)
            .nth(1)
            .map_or(range.start..range.start, |(_, s)| s);
        return vec![FileDiag(
            Diagnostic::error(
                "duplicate-field",
                format!("the field `{name}` is written twice"),
            )
            .at(0, span, "written again here")
            .field(name)
            .hint("keep one of the two; YAML does not merge repeated fields"),
        )];
    }
    if msg.contains("more than one document") {
        let at = text[range.clone()]
            .match_indices("---")
            .find(|(i, _)| *i == 0 || text.as_bytes()[range.start + i - 1] == b'\n')
            .map_or(range.start, |(i, _)| range.start + i);
        return vec![FileDiag(
            Diagnostic::error("several-documents", "a record file holds one YAML document")
                .at(0, at..at + 3, "a second document starts here")
                .hint("remove the `---` line, or put the second record in a file of its own"),
        )];
    }
    // Anything else is a YAML syntax problem.
    let mut hint = "check indentation and quoting: a value containing `: ` or starting with `*`, `&`, `!`, `%`, `@`, `` ` `` or `[` must be quoted".to_string();
    if text[range.clone()].contains('\t') {
        hint = "YAML does not allow tabs for indentation: indent with spaces".into();
    } else if msg.contains("recursion limit") || msg.contains("repetition limit") {
        hint = "the YAML nests or repeats aliases too deeply; write the values out".into();
    }
    let span = if offset < text.len() {
        offset..(offset + 1).min(text.len())
    } else {
        offset..offset
    };
    vec![FileDiag(
        Diagnostic::error("invalid-yaml", format!("invalid YAML: {msg}"))
            .at(0, span, "here")
            .hint(hint),
    )]
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

pub(super) fn unknown_field(
    what: &str,
    key: &str,
    span: Range<usize>,
    fields: &schema::Fields,
) -> Diagnostic {
    let names: Vec<&str> = fields.names.iter().map(String::as_str).collect();
    let close = did_you_mean(key, names.iter().copied());
    let hint = if close.is_empty() {
        format!("fields of {}: {}", a_or_the(what), one_of(&names))
    } else {
        format!(
            "did you mean {}? Fields of {}: {}",
            one_of(&close),
            a_or_the(what),
            one_of(&names)
        )
    };
    Diagnostic::error(
        "unknown-field",
        format!("unknown field `{key}` in {}", a_or_the(what)),
    )
    .at(0, span, "unknown field")
    .field(key)
    .hint(hint)
}

/// "a commitment", but "the site settings".
pub(super) fn a_or_the(what: &str) -> String {
    if what == "site settings" {
        format!("the {what}")
    } else {
        format!("a {what}")
    }
}

pub(super) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// Keys of the top-level mapping (no indentation) with their spans.
pub(super) fn top_level_keys(text: &str, range: Range<usize>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut pos = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let first = line.chars().next();
        if let Some(c) = first
            && (c.is_ascii_alphanumeric() || c == '_' || c == '"' || c == '\'')
            && let Some(colon) = line.find(':')
        {
            let key = line[..colon].trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !key.contains(' ') {
                out.push((key.to_string(), pos..pos + key.len()));
            }
        }
        pos += line.len();
    }
    out
}

/// The key of the YAML line holding `offset` (or of the nearest line above with a key).
pub(super) fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut start = line_start;
    loop {
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[start..line_end].trim_start().trim_start_matches("- ");
        if let Some(colon) = line.find(':') {
            let key = line[..colon].trim();
            if !key.is_empty() && !key.contains(' ') {
                return Some(key.to_string());
            }
        }
        if start == 0 {
            return None;
        }
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
}
