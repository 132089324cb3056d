//! serde's descriptions of values and types in a reader's words: never a Rust type.

/// What was written: `string "three"` → `the text "three"`, `integer \`2019\`` → `the
/// number 2019`, `sequence` → `a list`.
pub(super) fn found(raw: &str) -> String {
    let raw = raw.trim();
    if let Some(q) = quoted(raw) {
        return format!("the text \"{q}\"");
    }
    let ticked = raw.split('`').nth(1);
    match raw.split(' ').next().unwrap_or("") {
        "integer" | "floating" => format!("the number {}", ticked.unwrap_or("")),
        "boolean" => format!("`{}`", ticked.unwrap_or("")),
        "unit" | "null" => "an empty value".into(),
        "sequence" => "a list".into(),
        "map" => "a mapping of fields".into(),
        _ if raw.starts_with("an empty value") => "an empty value".into(),
        _ if raw.starts_with("a number out of range") => "a number out of range".into(),
        // `invalid length 3` and serde's other words for values.
        _ if raw.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            crate::text::count(raw.parse().unwrap_or(0), "value")
        }
        _ => "another kind of value".into(),
    }
}

/// The text inside `string "..."`, if `raw` is one.
pub(super) fn quoted(raw: &str) -> Option<String> {
    let rest = raw.trim().strip_prefix("string \"")?;
    Some(rest.strip_suffix('"').unwrap_or(rest).to_string())
}

/// What was expected: serde's words, or the field's description when serde names a Rust
/// type (`struct Source`, `u32`).
pub(super) fn expected(raw: &str, described: Option<&str>) -> String {
    let raw = raw.trim();
    // serde's and serde_yaml's own words (a Rust type, "a YAML tag starting with '!'" for an
    // enum written as a list): the field's description says it better.
    let rust = raw.starts_with("struct ")
        || raw.contains("YAML tag")
        || raw.starts_with("variant")
        || raw.starts_with("enum ")
        || raw.starts_with("tuple")
        || [
            "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "f32", "f64",
        ]
        .contains(&raw);
    if rust || raw.is_empty() {
        return match (described, raw) {
            (Some(d), _) => d.to_string(),
            (None, r) if r.starts_with("struct ") => "a mapping of fields".into(),
            (None, r) if r.starts_with('f') => "a number".into(),
            (None, r) if r.starts_with("enum ") => "one of the allowed values".into(),
            (None, _) => "a whole number".into(),
        };
    }
    match raw {
        "a boolean" => "`true` or `false`".into(),
        "a string" | "a borrowed string" => "text".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping of fields".into(),
        _ => {
            let words = raw.split(" (").next().unwrap_or(raw);
            // "a text" reads as "text" ("`title` must be text").
            if words == "a text" {
                "text".into()
            } else {
                words.to_string()
            }
        }
    }
}

/// Whether a text is a number written with thousands separators (`5,247,000`,
/// `5 247 000`, `5.247.000`), which YAML reads as text.
pub(super) fn grouped_number(v: &str) -> bool {
    let v = v.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let separators = v
        .chars()
        .filter(|c| matches!(c, ',' | ' ' | '.' | '_' | '\'' | '\u{a0}'))
        .count();
    digits >= 4
        && separators >= 1
        && v.chars().next().is_some_and(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '.' | '_' | '\'' | '\u{a0}'))
}
