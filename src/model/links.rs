//! Typed links in Markdown (`initiative:dtm`, `keyword:data`): what a link destination names.

use super::Kind;

/// What a typed link names: a record of a kind, or a keyword's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Record(Kind),
    Keyword,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Record(kind) => kind.fmt(f),
            Target::Keyword => f.write_str("keyword"),
        }
    }
}

/// A parsed typed-link destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedLink<'a> {
    pub target: Target,
    pub id: &'a str,
    pub fragment: Option<&'a str>,
}

impl TypedLink<'_> {
    /// The record kind it names (`None` for a keyword).
    pub fn kind(&self) -> Option<Kind> {
        match self.target {
            Target::Record(kind) => Some(kind),
            Target::Keyword => None,
        }
    }
}

/// URL schemes that are never typed links and never get a "did you mean" (`gs:` is not a
/// misspelt `glossary:`): the permanent IANA schemes and common provisional ones that a
/// record might link to.
pub(crate) const URL_SCHEMES: &[&str] = &[
    "about",
    "blob",
    "callto",
    "cid",
    "data",
    "dav",
    "dict",
    "dns",
    "doi",
    "facetime",
    "fax",
    "feed",
    "file",
    "ftp",
    "geo",
    "git",
    "gopher",
    "gs",
    "http",
    "https",
    "im",
    "imap",
    "info",
    "ipfs",
    "ipns",
    "irc",
    "irc6",
    "ircs",
    "isbn",
    "jabber",
    "javascript",
    "ldap",
    "ldaps",
    "magnet",
    "mailto",
    "maps",
    "market",
    "matrix",
    "mid",
    "mms",
    "news",
    "nfs",
    "nntp",
    "onenote",
    "pop",
    "s3",
    "sftp",
    "sip",
    "sips",
    "skype",
    "slack",
    "sms",
    "smsto",
    "snmp",
    "spotify",
    "ssh",
    "steam",
    "svn",
    "tag",
    "teams",
    "tel",
    "telnet",
    "tg",
    "urn",
    "vbscript",
    "viber",
    "vnc",
    "webcal",
    "whatsapp",
    "ws",
    "wss",
    "xmpp",
    "zoommtg",
];

/// Classifies a link destination: `None` for an ordinary URL or path, `Some(Ok)` for a typed
/// link, `Some(Err)` for something that looks like a typed link with an unknown kind.
pub fn parse_typed_link(dest: &str) -> Option<Result<TypedLink<'_>, String>> {
    let (scheme, rest) = dest.split_once(':')?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
    {
        return None;
    }
    let (id, fragment) = match rest.split_once('#') {
        Some((id, f)) => (id, Some(f)),
        None => (rest, None),
    };
    if let Some(kind) = Kind::from_name(scheme) {
        let target = Target::Record(kind);
        return Some(Ok(TypedLink {
            target,
            id,
            fragment,
        }));
    }
    if scheme == "keyword" {
        let target = Target::Keyword;
        return Some(Ok(TypedLink {
            target,
            id,
            fragment,
        }));
    }
    if URL_SCHEMES.contains(&scheme) {
        return None;
    }
    // Plurals and folder names are common slips: `initiatives:dtm`.
    if let Some(kind) = Kind::from_folder(scheme) {
        return Some(Err(format!(
            "`{scheme}:` is not a link type; did you mean `{}:`?",
            kind.name()
        )));
    }
    let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    names.push("keyword");
    // Short schemes are too far from every kind to be a slip of one.
    let close = if scheme.len() < 4 {
        Vec::new()
    } else {
        crate::diagnostics::did_you_mean(scheme, names.iter().copied())
    };
    if close.is_empty() {
        None // an ordinary URL scheme such as `https:` or `mailto:`
    } else {
        Some(Err(format!(
            "`{scheme}:` is not a link type; did you mean {}?",
            crate::diagnostics::one_of(&close)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_kinds_are_classified() {
        assert!(matches!(
            parse_typed_link("keyword:data"),
            Some(Ok(TypedLink {
                target: Target::Keyword,
                ..
            }))
        ));
        for scheme in ["gs://bucket/x", "s3://b/k", "tel:+41", "urn:isbn:1"] {
            assert_eq!(parse_typed_link(scheme), None, "{scheme}");
        }
        assert_eq!(parse_typed_link("https://iom.int"), None);
        assert_eq!(parse_typed_link("mailto:a@b"), None);
        assert!(matches!(parse_typed_link("initiative:dtm"), Some(Ok(_))));
        assert!(matches!(parse_typed_link("initiatives:dtm"), Some(Err(_))));
        assert!(matches!(parse_typed_link("comitment:200001"), Some(Err(_))));
    }
}
