//! Settings that shape URLs and output, and the rewriting of links relative to each page.

use crate::model::Outputs;

/// Settings that shape URLs and output, resolved from `site.yaml` and the command line.
#[derive(Debug, Clone)]
pub(crate) struct RenderSettings {
    /// Path prefix of every link, starting and ending with `/` (`/pact/`).
    pub base_path: String,
    /// Absolute origin + path for sitemap and feed (`https://example.org/pact/`), if known.
    pub absolute_base: Option<String>,
    pub minify: bool,
    /// Write page links relative to each page, for sub-paths and `file://`.
    pub relative: bool,
    /// "Last built" date shown on pages (from SOURCE_DATE_EPOCH or the last commit), if known.
    pub built: Option<String>,
    /// Optional outputs (search, data exports, embeds, feed).
    pub outputs: Outputs,
    /// A `check` run: nothing is kept, so whole-site exports are skipped, and on sites of
    /// more than [`SAMPLE_ABOVE`] records only a sample of pages is rendered.
    pub check: bool,
    /// The live preview: keep each record's JSON and search entry for the next rebuild's
    /// exports, and its rendered body for the next rebuild's page (memory a one-off build need
    /// not spend).
    pub keep_parts: bool,
}

/// Stands for the site root in HTML while rendering with relative URLs; replaced per page by
/// the path back to the root (`../../`). `~` cannot occur in an ID, and URL escaping keeps it.
pub(crate) const ROOT_MARKER: &str = "/~pactgen-root~/";

impl RenderSettings {
    pub(crate) fn from_base_url(base_url: &str, minify: bool) -> Self {
        let trimmed = base_url.trim();
        let (absolute, path) = match trimmed.split_once("://") {
            Some((scheme, rest)) => {
                let path = rest.find('/').map_or("/", |i| &rest[i..]);
                (
                    Some(format!("{scheme}://{}", rest.trim_end_matches('/'))),
                    path.to_string(),
                )
            }
            None => (None, trimmed.to_string()),
        };
        let mut base_path = format!("/{}", path.trim_matches('/'));
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        RenderSettings {
            base_path,
            absolute_base: absolute.map(|a| format!("{a}/")),
            minify,
            relative: false,
            built: None,
            outputs: Outputs::ALL,
            check: false,
            keep_parts: false,
        }
    }

    /// A link to `path` (relative to the site root) for use in HTML.
    pub(crate) fn url(&self, path: &str) -> String {
        if self.relative {
            format!("{ROOT_MARKER}{path}")
        } else {
            format!("{}{}", self.base_path, path)
        }
    }

    /// A URL for data files, feeds and snippets: absolute when the base URL is, else a path.
    pub(crate) fn public_url(&self, path: &str) -> String {
        match &self.absolute_base {
            Some(abs) => format!("{abs}{path}"),
            None => format!("{}{}", self.base_path, path),
        }
    }
}

/// Replaces [`ROOT_MARKER`] in a page written at `page_path` with the relative way back to the
/// root, and points directory links at their `index.html` so `file://` browsing works.
pub(crate) fn relativize(html: &str, page_path: &str) -> String {
    let depth = page_path.matches('/').count();
    let back = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(ROOT_MARKER) {
        out.push_str(&rest[..i]);
        rest = &rest[i + ROOT_MARKER.len()..];
        let end = rest
            .find(['"', '\'', ' ', '>', '<', ')', '#', '?', '\n'])
            .unwrap_or(rest.len());
        let target = &rest[..end];
        let mut link = format!("{back}{target}");
        if target.is_empty() || target.ends_with('/') {
            link.push_str("index.html");
        }
        out.push_str(&link);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
