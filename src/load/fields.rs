//! Problems of a record's fields in a reader's words: a value of the wrong type, out of
//! range or empty; unknown fields, all at once; a field of a mapping written outside it.

use super::words;
use super::yaml::{Block, Fix, top_of, value_span};
use super::*;
use crate::text::count;

/// A value of the wrong type (`invalid type`), out of range (`invalid value`), empty when it
/// may not be, or a list that names nothing (`invalid length`).
pub(super) fn type_problem(
    detail: &str,
    field: Option<&str>,
    span: Range<usize>,
    what: &str,
    fields: &schema::Fields,
    text: &str,
    offset: usize,
) -> Diagnostic {
    let name = field.unwrap_or_default();
    let with_field = |d: Diagnostic| match field {
        Some(f) => d.field(f),
        None => d,
    };
    // A required value left empty (`text: ~`, `text:`, `text: ""`) or a list that must name
    // something left empty (`transformations: []`).
    if detail.contains("an empty value, expected a list") {
        return with_field(
            Diagnostic::error("empty-value", format!("`{name}` is empty"))
                .at(0, span, "empty")
                .hint(format!(
                    "write `{name}: []` for none, or list its values: `{name}: [a, b]`"
                )),
        );
    }
    if detail.contains("expected a text that is not blank") || detail.contains("an empty value") {
        return with_field(
            Diagnostic::error("empty-value", format!("`{name}` is empty"))
                .at(0, span, "empty")
                .hint(format!(
                    "write the {}: it is required and may not be blank",
                    leaf(name)
                )),
        );
    }
    if detail.contains("expected at least one value") {
        return with_field(
            Diagnostic::error("empty-list", format!("`{name}` lists nothing"))
                .at(0, span, "empty")
                .hint(format!(
                    "name at least one value, e.g. `{name}: {}`",
                    fields.example(top_of(name))
                )),
        );
    }
    let (found_raw, expected_raw) = detail
        .split_once(", expected ")
        .map_or((detail, ""), |(f, e)| (f, e));
    let found_raw = found_raw
        .trim_start_matches("invalid type: ")
        .trim_start_matches("invalid value: ")
        .trim_start_matches("invalid length ");
    let found = words::found(found_raw);
    let expected = words::expected(expected_raw, field.and_then(|f| fields.describe(f)));
    // The record itself is not a mapping (a file of one line of text, a list).
    let root = field.is_none()
        || (expected_raw.starts_with("struct ")
            && field.is_some_and(|f| fields.describe(top_of(f)).is_none()));
    if root {
        return Diagnostic::error(
            "wrong-type",
            format!(
                "{} is written as fields, `name: value` on each line, not {found}",
                a_or_the(what)
            ),
        )
        .at(0, span, "not a field")
        .hint(format!(
            "required fields of {}: {}",
            a_or_the(what),
            all_of(&fields.required_names())
        ));
    }
    let shown = if name.chars().count() > 60 {
        format!("{}…", name.chars().take(60).collect::<String>())
    } else {
        name.to_string()
    };
    let mut hint = match fields.describe(top_of(name)) {
        Some(desc) if top_of(name) == name => format!(
            "`{name}` is {desc}, e.g. `{name}: {}`",
            fields.example(name)
        ),
        _ => format!("write {expected} here"),
    };
    let value = words::quoted(found_raw);
    if let Some(v) = value.as_deref().filter(|v| words::grouped_number(v)) {
        let digits: String = v.chars().filter(char::is_ascii_digit).collect();
        hint = format!("write numbers without separators: `{digits}`, not `{v}`");
    } else if expected == "text" && (found.starts_with("the number") || found.starts_with('`')) {
        let written = text[value_span(text, offset)].trim().to_string();
        hint = format!("put it in quotes: `{}: \"{written}\"`", leaf(name));
    } else if let (Some(v), Some(inner)) = (value.as_deref(), fields.of(top_of(name)))
        && let [only] = inner.required_names().as_slice()
    {
        hint = format!(
            "`{name}` holds fields: write it as `{name}: {{{only}: {v}}}`, or `{only}: {v}` on the next line, indented under `{name}:`"
        );
    }
    Diagnostic::error(
        "wrong-type",
        format!("`{shown}` must be {expected}, not {found}"),
    )
    .at(
        0,
        span,
        format!(
            "expected {}",
            expected.split(" (").next().unwrap_or(&expected)
        ),
    )
    .field(name)
    .hint(hint)
}

/// The last segment of a field path: `source.document` → `document`.
fn leaf(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Every unknown top-level field of a file, at once; a key that belongs to a mapping-valued
/// field (`document` of `source`) but is not indented under it is said to be misplaced.
pub(super) fn unknown_fields(
    text: &str,
    range: Range<usize>,
    what: &str,
    fields: &schema::Fields,
    blocks: &[Block],
) -> (Vec<FileDiag>, Option<Fix>) {
    let mut out = Vec::new();
    let mut fix = Fix::default();
    let mut more = 0usize;
    for b in blocks {
        if fields.names.iter().any(|f| f == &b.key) {
            continue;
        }
        fix.blank.push(b.block.clone());
        if out.len() == MAX_REPORTED_PER_FILE {
            more += 1;
            continue;
        }
        if let Some(owner) = fields.owner_of(&b.key) {
            out.push(FileDiag(misplaced(
                text,
                range.clone(),
                &b.key,
                owner,
                b.key_span.clone(),
            )));
            // The mapping it belongs to is read as written without it: replaced, so that it
            // is not reported again as incomplete.
            if !fix.append.iter().any(|f| f == owner) && fields.has_example(owner) {
                fix.blank.extend(
                    blocks
                        .iter()
                        .filter(|o| o.key == owner)
                        .map(|o| o.block.clone()),
                );
                fix.append.push(owner.to_string());
            }
            continue;
        }
        // A misspelled required field (`titel`) is reported once, as unknown: its value stands
        // in for the field, which is not reported missing on top.
        let names: Vec<&str> = fields.names.iter().map(String::as_str).collect();
        if let Some(meant) = did_you_mean(&b.key, names.iter().copied()).first()
            && fields.required.iter().any(|r| r == meant)
            && !blocks.iter().any(|o| o.key == *meant)
            && !fix.append.iter().any(|f| f == meant)
        {
            fix.append.push(meant.to_string());
        }
        let mut d = unknown_field(what, &b.key, b.key_span.clone(), fields);
        // A line of a block of text that lost its indentation reads as a field when it holds
        // `: ` (`Note: ...` in the middle of `actions: |`).
        if let Some(block) = super::syntax::block_text_above(text, range.clone(), b.block.start) {
            d.hint = Some(format!(
                "if this line belongs to the text of `{block}` above, indent it like the other lines of `{block}:`; {}",
                d.hint.unwrap_or_default()
            ));
        }
        out.push(FileDiag(d));
    }
    if more > 0 {
        out.push(FileDiag(
            Diagnostic::error(
                "unknown-field",
                format!("and {} more in this file", count(more, "unknown field")),
            )
            .at(0, range.start..range.start, "in this file")
            .hint("is this a record file? Fields of a record are listed above"),
        ));
    }
    if out.is_empty() {
        // serde met an unknown field this scan of the lines does not see (a quoted or
        // complex key): say so where serde stopped.
        out.push(FileDiag(
            Diagnostic::error(
                "unknown-field",
                format!("unknown field in {}", a_or_the(what)),
            )
            .at(0, range.start..range.start, "in this file")
            .hint(format!(
                "fields of {}: {}",
                a_or_the(what),
                one_of(&fields.names.iter().map(String::as_str).collect::<Vec<_>>())
            )),
        ));
        return (out, None);
    }
    (out, Some(fix))
}

/// `name` written at the start of a line although it is a field of `owner`.
pub(super) fn misplaced(
    text: &str,
    range: Range<usize>,
    name: &str,
    owner: &str,
    span: Range<usize>,
) -> Diagnostic {
    let owner_at = locate_field(text, range, owner);
    let written = text[span.start..]
        .lines()
        .next()
        .unwrap_or(name)
        .trim()
        .to_string();
    let hint = match owner_at {
        Some(o) => format!(
            "indent it under `{owner}:` (line {}), e.g. by two spaces: `  {written}`",
            text[..o.start].matches('\n').count() + 1
        ),
        None => format!("write `{owner}:` on a line of its own and indent `{name}` under it"),
    };
    Diagnostic::error(
        "misplaced-field",
        format!("`{name}` belongs under `{owner}`, but it is not indented under it"),
    )
    .at(0, span, format!("not under `{owner}:`"))
    .field(format!("{owner}.{name}"))
    .hint(hint)
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

/// "a commitment", "an initiative", but "the site settings".
pub(super) fn a_or_the(what: &str) -> String {
    if what == "site settings" {
        format!("the {what}")
    } else {
        format!("{} {what}", crate::text::a_or_an(what))
    }
}
