//! Record IDs: safe as a URL segment and a file name on every system.

use super::*;

pub(crate) fn id_hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Transformation | Kind::Report => {
            "a transformation code is the core responsibility's number and a capital letter, e.g. `3A`"
        }
        Kind::CoreResponsibility => "core responsibilities are numbered 1 to 9",
        Kind::Commitment => "commitment IDs are positive whole numbers, e.g. `200005`",
        _ => "use lower-case letters, digits and `-`, e.g. `missing-migrants`",
    }
}

/// Checks that an ID is safe to use as a URL segment and a file name on every system.
pub fn validate_id(kind: Kind, id: &str) -> Result<(), String> {
    match kind {
        Kind::CoreResponsibility => match id.parse::<u8>() {
            Ok(1..=9) => Ok(()),
            _ => Err("not a number from 1 to 9".into()),
        },
        Kind::Commitment => match id.parse::<u32>() {
            Ok(n) if n > 0 => Ok(()),
            _ => Err("not a positive number".into()),
        },
        Kind::Transformation => validate_code(id),
        Kind::Report => {
            let code = id.split_once('/').map_or("", |x| x.1);
            validate_code(code)
        }
        Kind::Section => {
            let (doc, sec) = id.split_once('/').unwrap_or(("", id));
            validate_slug(doc).and_then(|_| validate_slug(sec))
        }
        _ => validate_slug(id),
    }
}

pub(super) fn validate_code(code: &str) -> Result<(), String> {
    let mut chars = code.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('1'..='9'), Some('A'..='Z'), None) => Ok(()),
        _ => Err("not a transformation code such as `3A`".into()),
    }
}

pub(super) fn validate_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("it is empty".into());
    }
    if slug.len() > 100 {
        return Err("it is longer than 100 characters".into());
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err("it may only hold letters, digits, `-`, `_` and `.`".into());
    }
    if slug.starts_with('.') || slug.contains("..") {
        return Err("it may not start with `.` or contain `..`".into());
    }
    if let Some(name) = crate::paths::reserved_device_name(slug) {
        return Err(format!("`{name}` is a reserved file name on Windows"));
    }
    Ok(())
}
