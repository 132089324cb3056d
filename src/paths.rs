//! Output paths a site's records may claim: which file names pactgen writes itself, which
//! folder and file names are unsafe on some system, and how an alias becomes a folder path.
//! A leaf module: the load, link and render stages all ask it.

use std::collections::BTreeSet;

/// Files every build may write at the root of the output, besides pages and static files.
pub(crate) const ROOT_FILES: [&str; 8] = [
    "index.html",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "syntax.css",
    "brand.css",
    "index.json",
];

/// File names written inside every page's folder.
pub(crate) const PAGE_FILES: [&str; 2] = ["index.html", "index.json"];

// ---------------------------------------------------------------------------------------------
// The URL layout: where every page type is written, relative to the site root. Render,
// sitemap and the link checks all ask here.
// ---------------------------------------------------------------------------------------------

/// The names of a record kind the URL layout uses (implemented by `model::Kind`: this module
/// sits below the data and knows kinds only by these).
pub(crate) trait KindNames {
    /// The name in typed links and embed URLs (`commitment`).
    fn name(self) -> &'static str;
    /// The folder under `content/`, and of its data export (`commitments`).
    fn folder(self) -> &'static str;
    /// The first URL segment of its pages (`commitments`; `funding` for funding tables).
    fn url_segment(self) -> &'static str;
}

/// The home page.
pub(crate) const HOME: &str = "";
/// The not-found page, a file at the root (hosts serve it for missing paths).
pub(crate) const NOT_FOUND: &str = "404.html";
/// The search page (its index is in the same folder).
pub(crate) const SEARCH: &str = "search/";
/// The index of keywords.
pub(crate) const KEYWORDS: &str = "keywords/";
/// Folders pactgen writes that hold no pages of records: data exports, the search index,
/// embed pages, scripts and static files of the theme, the commitments' filter data.
pub(crate) const GENERATED_FOLDERS: [&str; 6] =
    ["data/", "search/", "embed/", "static/", "js/", FILTER_DATA];

/// A kind's index page: `commitments/`.
pub(crate) fn kind_index(kind: impl KindNames) -> String {
    format!("{}/", kind.url_segment())
}

/// The page of one reporting year's self-reports: `reports/2017/`.
pub(crate) fn report_year(year: u16) -> String {
    format!("reports/{year}/")
}

/// A keyword's page: `keywords/data/`.
pub(crate) fn keyword(slug: &str) -> String {
    format!("keywords/{slug}/")
}

/// The commitments with one value of a facet: `commitments/type/policy/`.
pub(crate) fn facet(name: &str, slug: &str) -> String {
    format!("commitments/{name}/{slug}/")
}

// ---------------------------------------------------------------------------------------------
// Pagination: every list page (the commitments index, each facet page, every kind's index and
// each reporting year's page) shows [`LIST_PAGE_SIZE`] items; the rest follow on numbered
// pages below it (`commitments/page/2/`, `commitments/type/policy/page/2/`), so that no page's
// weight grows with the number of records.
// ---------------------------------------------------------------------------------------------

/// Items per page of every list. Measured (docs/benchmarks.md): with 100 commitments a page
/// of the 100,000-commitment corpus stays far under 200 KB and the bundled site's pages under
/// 60 KB, and a reader scrolls rather than clicks.
pub(crate) const LIST_PAGE_SIZE: usize = 100;

/// The number of pages of a list of `items` items: at least one (an empty list still has
/// its first page, which says it is empty).
pub(crate) fn page_count(items: usize) -> usize {
    items.div_ceil(LIST_PAGE_SIZE).max(1)
}

/// The folder holding a list's numbered pages: `commitments/page/` for the list at
/// `commitments/`. No record may take it.
pub(crate) fn pages_folder(list: &str) -> String {
    format!("{list}page/")
}

/// Page `n` (from 1) of the list at the folder path `list`: the list itself for the first
/// page, `commitments/page/2/` for the second.
pub(crate) fn list_page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{n}/")
    }
}

/// Where the commitments' filter data is written: files the filter script loads when the
/// reader filters (see [`filter_facets`] and [`filter_items`]).
pub(crate) const FILTER_DATA: &str = "commitments/filter/";

/// The filter data's facet file: every facet value and the commitments carrying it.
pub(crate) const FILTER_FACETS: &str = "commitments/filter/facets.js";

/// Commitments per file of pre-rendered list items ([`filter_items`]). Small, so that a
/// filter matching commitments scattered over the whole list loads little it does not show.
pub(crate) const FILTER_ITEMS_PER_FILE: usize = 25;

/// The filter data file holding the pre-rendered list items of the commitments at positions
/// `chunk * FILTER_ITEMS_PER_FILE ..` of the index: `commitments/filter/items-3.js`.
pub(crate) fn filter_items(chunk: usize) -> String {
    format!("{FILTER_DATA}items-{chunk}.js")
}

/// A kind's data export: `data/commitments.json`.
pub(crate) fn kind_data(kind: impl KindNames) -> String {
    format!("data/{}.json", kind.folder())
}

/// The commitments as CSV.
pub(crate) const COMMITMENTS_CSV: &str = "data/commitments.csv";

/// The file a page at `path` is written to: its folder's `index.html` (or the file itself).
pub(crate) fn page_file(path: &str) -> String {
    if path.ends_with(".html") {
        path.to_string()
    } else {
        format!("{path}index.html")
    }
}

/// The page of a record: `<kind's segment>/<ID>/` (`commitments/200005/`), unless its kind
/// places it otherwise (reports, sections and pages: below).
pub(crate) fn record_page(kind: impl KindNames, key_id: &str) -> String {
    format!("{}/{key_id}/", kind.url_segment())
}

/// A self-report's page: `reports/2017/3a/`.
pub(crate) fn report_page(year: u16, transformation: &str) -> String {
    format!("reports/{year}/{}/", transformation.to_lowercase())
}

/// A document section's page, under its document: `documents/<document>/<section>/`.
pub(crate) fn section_page(document: &str, section: &str) -> String {
    format!(
        "documents/{}/{}/",
        document.to_lowercase(),
        section.to_lowercase()
    )
}

/// A free page, at the root: `about/`.
pub(crate) fn free_page(id: &str) -> String {
    format!("{}/", id.to_lowercase())
}

/// A record's chrome-less embed page: `embed/commitment/200005/`.
pub(crate) fn embed_page(kind: impl KindNames, key_id: &str) -> String {
    format!("embed/{}/{key_id}/", kind.name())
}

/// The facets of the commitments index, (name, label): each value has a page at
/// `commitments/<name>/<value>/`.
pub(crate) const COMMITMENT_FACETS: [(&str, &str); 7] = [
    ("core-responsibility", "Core responsibility"),
    ("transformation", "Transformation"),
    ("type", "Type"),
    ("keyword", "Keyword"),
    ("initiative", "Initiative"),
    ("year", "Self-report year"),
    ("organisation", "Organisation"),
];

/// Whether `path` (`commitments/type/policy/`) lies where facet pages are written.
pub(crate) fn is_facet_path(path: &str) -> bool {
    let mut segs = path.split('/');
    segs.next() == Some("commitments")
        && segs
            .next()
            .is_some_and(|facet| COMMITMENT_FACETS.iter().any(|(name, _)| *name == facet))
}

/// File names Windows reserves for devices, with or without an extension (`con`, `con.txt`).
const RESERVED_NAMES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The reserved device name a path segment stands for on Windows, if any.
pub(crate) fn reserved_device_name(segment: &str) -> Option<String> {
    let stem = segment.split('.').next().unwrap_or(segment).to_lowercase();
    RESERVED_NAMES.contains(&stem.as_str()).then_some(stem)
}

/// An alias as an output folder path (`/old/Path/` → `old/path/`), or why it is unusable.
/// One leading and one trailing `/` are optional; every segment between must be a safe,
/// non-empty file name (`//host/x/` would be read by browsers as another host).
pub(crate) fn alias_path(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    let trimmed = trimmed.strip_prefix('/').unwrap_or(trimmed);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Err("it names the home page".into());
    }
    let mut out = String::new();
    for seg in trimmed.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return Err("it has an empty, `.` or `..` segment".into());
        }
        if !seg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(format!(
                "segment `{seg}` may only hold letters, digits, `-`, `_` and `.`"
            ));
        }
        if seg.len() > 100 {
            return Err(format!("segment `{seg}` is longer than 100 characters"));
        }
        if let Some(name) = reserved_device_name(seg) {
            return Err(format!("`{name}` is a reserved file name on Windows"));
        }
        out.push_str(&seg.to_lowercase());
        out.push('/');
    }
    Ok(out)
}

/// The file pactgen writes itself that a page at the folder `path` (`a/b/`) would have to
/// replace: a root file or static file named like the folder or one of its parents
/// (`style.css/`, `sitemap.xml/x/`), or a page's own file (`x/index.html/`). `files`
/// holds the static files, as relative paths.
pub(crate) fn written_file_in(path: &str, static_files: &BTreeSet<String>) -> Option<String> {
    let mut prefix = String::new();
    for seg in path.trim_end_matches('/').split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(seg);
        let root_level = !prefix.contains('/');
        if (root_level && ROOT_FILES.contains(&prefix.as_str()))
            || PAGE_FILES.contains(&seg)
            || static_files.contains(&prefix)
        {
            return Some(prefix);
        }
    }
    None
}

/// Static files of a site, as the paths they are written to: the theme's `static/` folder,
/// then the site's own `static/` over it.
pub(crate) fn static_files(root: &std::path::Path, theme: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let source = crate::theme::locate(root, theme);
    if source == Some(crate::theme::ThemeSource::BuiltIn) {
        out.extend(
            crate::theme::built_in_files("static")
                .into_iter()
                .map(|f| f.rel),
        );
    }
    let theme_dir = source.and_then(|s| s.folder("static"));
    for dir in theme_dir.into_iter().chain([root.join("static")]) {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(rel.join("/"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_safe_folder_paths() {
        assert_eq!(alias_path("/old/Path/").as_deref(), Ok("old/path/"));
        assert_eq!(alias_path("old").as_deref(), Ok("old/"));
        for bad in [
            "/",
            "//evil.example/x/",
            "/a//b/",
            "/../x/",
            "/con/",
            "/Con.txt/",
            "/a b/",
            "/lpt1/x/",
        ] {
            assert!(alias_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folders_may_not_replace_written_files() {
        let statics: BTreeSet<String> = ["style.css".to_string(), "js/filter.js".to_string()]
            .into_iter()
            .collect();
        for (path, file) in [
            ("sitemap.xml/", "sitemap.xml"),
            ("index.html/", "index.html"),
            ("style.css/", "style.css"),
            ("style.css/x/", "style.css"),
            ("js/filter.js/", "js/filter.js"),
            ("commitments/index.html/", "commitments/index.html"),
        ] {
            assert_eq!(
                written_file_in(path, &statics).as_deref(),
                Some(file),
                "{path}"
            );
        }
        for path in ["commitments/200005/", "js/", "about/", "x/sitemap.xml/"] {
            assert_eq!(written_file_in(path, &statics), None, "{path}");
        }
    }
}
