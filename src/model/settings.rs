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
    /// The publishing organisation's identity: name, logo, icon and colour.
    #[serde(default)]
    pub brand: Brand,
}

impl SiteConfig {
    /// The settings of a site titled `title`, every other field at the default serde gives it
    /// (what a site.yaml holding only `title:` means).
    pub fn new(title: impl Into<String>) -> Self {
        SiteConfig {
            title: title.into(),
            description: String::new(),
            base_url: default_base_url(),
            language: default_language(),
            theme: default_theme(),
            organisation: None,
            minify: false,
            relative_urls: false,
            markdown: MarkdownConfig::default(),
            menu: Vec::new(),
            outputs: Outputs::default(),
            brand: Brand::default(),
        }
    }
}

/// The publishing organisation's identity on every page (`brand:` in site.yaml).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// The name in the page header (default: the site's `title`).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub name: Option<String>,
    /// A logo shown before the name: a file of the site's `static/` folder, by its path
    /// there (`logo.svg`); shown 32 px high.
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub logo: Option<String>,
    /// The favicon: a file of `static/` by its path there (default: the theme's
    /// `favicon.svg`).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    pub icon: Option<String>,
    /// The brand colour as `#rrggbb`: the header's background (under white text) and the
    /// colour of links and buttons. It must contrast with white at least 4.5:1 (WCAG AA).
    #[serde(default, deserialize_with = "crate::strict::opt_text")]
    #[schemars(regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    pub colour: Option<String>,
}

/// The theme's favicon, used unless `brand.icon` names another.
pub(crate) const DEFAULT_ICON: &str = "favicon.svg";

/// `#rrggbb` as red, green and blue.
pub(crate) fn parse_colour(hex: &str) -> Option<[u8; 3]> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2 relative luminance of a colour.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` mixed with `toward` (0: `c`, 1: `toward`), stepped until it contrasts with `against`
/// at least `ratio`: the nearest shade of a brand colour that passes.
pub(crate) fn shade_for_contrast(
    c: [u8; 3],
    toward: [u8; 3],
    against: [u8; 3],
    ratio: f64,
) -> [u8; 3] {
    (0..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            let mix = |i: usize| {
                (f64::from(c[i]) + (f64::from(toward[i]) - f64::from(c[i])) * t).round() as u8
            };
            [mix(0), mix(1), mix(2)]
        })
        .find(|shade| contrast(*shade, against) >= ratio)
        .unwrap_or(toward)
}

pub(crate) fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// The dark background of the default theme's dark mode, which links must contrast with.
pub(crate) const DARK_BACKGROUND: [u8; 3] = [0x12, 0x16, 0x1b];
const WHITE: [u8; 3] = [255, 255, 255];
const BLACK: [u8; 3] = [0, 0, 0];

impl Brand {
    /// The stylesheet of the brand colour (`brand.css`): the colour itself, on white, and a
    /// lighter shade of it for links in dark mode. `None` without a (valid) colour.
    pub(crate) fn css(&self) -> Option<String> {
        let c = parse_colour(self.colour.as_deref()?)?;
        let on_dark = shade_for_contrast(c, WHITE, DARK_BACKGROUND, 4.5);
        Some(format!(
            ":root {{ --brand: {}; --brand-on-dark: {}; }}\n",
            hex(c),
            hex(on_dark)
        ))
    }
}

/// Checks `brand:` of site.yaml: a colour must be `#rrggbb` and readable as text on white
/// and under white text (contrast 4.5:1, WCAG AA), a logo or icon must be a file the build
/// publishes (under the site's or the theme's `static/`).
pub(crate) fn check_brand(
    config: &SiteConfig,
    root: &std::path::Path,
    sources: &crate::diagnostics::SourceMap,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::Diagnostic;
    let settings = sources.text(0);
    let at = |d: Diagnostic, field: &str| {
        let span = crate::spans::locate_field(settings, 0..settings.len(), field);
        match span {
            Some(span) => d.at(0, span, "here").field(format!("brand.{field}")),
            None => d.in_file(0).field(format!("brand.{field}")),
        }
    };
    let mut out = Vec::new();
    if let Some(value) = &config.brand.colour {
        match parse_colour(value.trim()) {
            None => out.push(at(
                Diagnostic::error(
                    "bad-brand-colour",
                    format!("brand colour `{}` is not a colour of the form `#rrggbb`", value.trim()),
                )
                .hint("write six hexadecimal digits after `#`, e.g. `colour: \"#0b5cad\"` (quoted: YAML reads `#` as a comment)"),
                "colour",
            )),
            Some(c) => {
                let ratio = contrast(c, WHITE);
                if ratio < 4.5 {
                    let darker = shade_for_contrast(c, BLACK, WHITE, 4.5);
                    out.push(at(
                        Diagnostic::error(
                            "brand-colour-contrast",
                            format!(
                                "brand colour `{}` contrasts with white only {:.2}:1; links and the header's white text need 4.5:1 (WCAG AA)",
                                hex(c),
                                (ratio * 100.0).floor() / 100.0
                            ),
                        )
                        .hint(format!(
                            "the nearest darker shade that passes is `{}` (contrast {:.2}:1)",
                            hex(darker),
                            (contrast(darker, WHITE) * 100.0).floor() / 100.0
                        )),
                        "colour",
                    ));
                }
            }
        }
    }
    let theme_static = root.join("themes").join(&config.theme).join("static");
    for (field, value) in [("logo", &config.brand.logo), ("icon", &config.brand.icon)] {
        let Some(file) = value else { continue };
        let rel = file.trim().trim_start_matches('/');
        let exists = !rel.contains("..")
            && (root.join("static").join(rel).is_file() || theme_static.join(rel).is_file());
        if !exists {
            out.push(at(
                Diagnostic::error(
                    "missing-brand-file",
                    format!("brand {field} `{}` is not a file under static/", file.trim()),
                )
                .hint(format!("put the file in the site's static/ folder and write its path there, e.g. `{field}: {field}.svg`")),
                field,
            ));
        }
    }
    out
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
    pub(crate) const ALL: Outputs = Outputs {
        search: true,
        data: true,
        embeds: true,
        feed: true,
    };
    pub(crate) const PAGES_ONLY: Outputs = Outputs {
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

/// How the Markdown texts of records are rendered.
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

/// One link of the site menu.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link's text in the menu.
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
