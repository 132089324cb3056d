//! Where a field or value is written in a record's file, for diagnostics: found in the text,
//! since serde reports no positions for values it accepted. A leaf module.

use std::ops::Range;

/// Span of a field's key inside `range` (the least indented match wins).
pub(crate) fn locate_field(text: &str, range: Range<usize>, field: &str) -> Option<Range<usize>> {
    let mut best: Option<(usize, Range<usize>)> = None;
    let mut pos = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let lead = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(field)
            && rest.trim_start().starts_with(':')
            && best.as_ref().is_none_or(|(i, _)| indent < *i)
        {
            best = Some((indent, pos + lead..pos + lead + field.len()));
        }
        pos += line.len();
    }
    best.map(|(_, r)| r)
}

/// Span of `value` written at or after the key `field` inside `range`.
pub(crate) fn locate_value(
    text: &str,
    range: Range<usize>,
    field: &str,
    value: &str,
) -> Option<Range<usize>> {
    let from = locate_field(text, range.clone(), field).map_or(range.start, |r| r.end);
    let hay = &text[from..range.end];
    let lower_hay = hay.to_lowercase();
    let lower_value = value.to_lowercase();
    // Prefer a whole-token match so `3A` does not match inside `13A`.
    let mut search = 0;
    while let Some(i) = lower_hay[search..].find(&lower_value) {
        let at = search + i;
        let before = lower_hay[..at].chars().next_back();
        let after = lower_hay[at + lower_value.len()..].chars().next();
        let is_boundary = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        if is_boundary(before) && is_boundary(after) {
            return Some(from + at..from + at + value.len());
        }
        search = at + lower_value.len().max(1);
    }
    None
}

/// The span of `value` after the key `field` in `range`, else of the key, else the empty span
/// at the start of `range`: where a diagnostic about that field points.
pub(crate) fn field_span(
    text: &str,
    range: Range<usize>,
    field: &str,
    value: Option<&str>,
) -> Range<usize> {
    value
        .and_then(|v| locate_value(text, range.clone(), field, v))
        .or_else(|| locate_field(text, range.clone(), field))
        .unwrap_or(range.start..range.start)
}

/// The key of the YAML line holding `offset` (or of the nearest line above with a key).
pub(crate) fn key_at(text: &str, offset: usize) -> Option<String> {
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
