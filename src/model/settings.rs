//! `content/site.yaml`: the site's settings.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title.
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// One-line description (home page, feed, meta description).
    #[serde(default, deserialize_with = "crate::strict::opt_text_or_empty")]
    #[schemars(with = "Option<String>")]
    pub description: String,
    /// Absolute URL or path the site is published under; `--base-url` overrides it.
    #[serde(default = "default_base_url", deserialize_with = "crate::strict::text")]
    pub base_url: String,
    /// `lang` attribute of every page.
    #[serde(default = "default_language", deserialize_with = "crate::strict::text")]
    pub language: String,
    /// Folder under `themes/`.
    #[serde(default = "default_theme", deserialize_with = "crate::strict::text")]
    pub theme: String,
    /// ID of the site's own organisation, the default for records that omit `organisation`.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub organisation: Option<String>,
    /// Minify HTML with minify-html. Off by default: on a 10,000-commitment site it saves 4.8%
    /// of the HTML bytes (0.7% after gzip) and nearly doubles the build time
    /// (docs/benchmarks.md); turn it on for hosts that serve pages uncompressed.
    #[serde(default)]
    pub minify: bool,
    /// Write links relative to each page (`../../commitments/200005/index.html`) so the output
    /// works from any sub-path and opened straight from disk (`file://`).
    #[serde(default)]
    pub relative_urls: bool,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Site menu.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Which files besides the HTML pages a build writes.
    #[serde(default)]
    pub outputs: Outputs,
}

/// Optional outputs. All on by default; `pactgen build --pages-only` turns them all off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// The search page and its index (`/search/`).
    #[serde(default = "yes")]
    pub search: bool,
    /// Data exports: `index.json` beside every record page, `/data/<kind>.json`,
    /// `/data/commitments.csv`.
    #[serde(default = "yes")]
    pub data: bool,
    /// Chrome-less record pages for `<iframe>` embedding (`/embed/<kind>/<id>/`).
    #[serde(default = "yes")]
    pub embeds: bool,
    /// The Atom feed (`/atom.xml`).
    #[serde(default = "yes")]
    pub feed: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs::ALL
    }
}

impl Outputs {
    pub const ALL: Outputs = Outputs {
        search: true,
        data: true,
        embeds: true,
        feed: true,
    };
    pub const PAGES_ONLY: Outputs = Outputs {
        search: false,
        data: false,
        embeds: false,
        feed: false,
    };
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "default".into()
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in Markdown through. Off by default: record text is escaped.
    #[serde(default)]
    pub unsafe_html: bool,
    /// Curly quotes and dashes.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks with CSS classes.
    #[serde(default = "yes")]
    pub highlight_code: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: false,
            smart_punctuation: true,
            highlight_code: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub title: String,
    /// A path (`/commitments/`) or a typed link (`page:about`).
    #[serde(deserialize_with = "crate::strict::text")]
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub link: String,
}

impl From<&MarkdownConfig> for crate::markdown::MarkdownOptions {
    fn from(c: &MarkdownConfig) -> Self {
        crate::markdown::MarkdownOptions {
            unsafe_html: c.unsafe_html,
            smart_punctuation: c.smart_punctuation,
            highlight_code: c.highlight_code,
        }
    }
}
