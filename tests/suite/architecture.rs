//! The architecture, checked: the modules of `src/` form a one-way chain, each using only
//! modules before it in [`LAYERS`] (the pipeline `model → load → link → render → export →
//! write`, leaf helpers below it, the commands on top); no source file is over 800 lines;
//! docs/architecture.md names every module; and `src/lib.rs` keeps every module private behind
//! its facade. A module that names a later one fails here (found
//! by the text `crate::<module>`, so a path a macro builds is not seen).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module of the crate, in the order they may use each other: a module may
/// use any module before it, never one after it.
const LAYERS: &[&str] = &[
    // Leaves: text helpers, diagnostics, where a field is written, where the theme is, the
    // URL layout, value rules, Markdown.
    "text",
    "diagnostics",
    "console",
    "spans",
    "theme",
    "paths",
    "strict",
    "markdown",
    // The data and its schemas.
    "model",
    "schema",
    // The pipeline.
    "load",
    "link",
    "facets",
    "search",
    "sink",
    "render",
    "export",
    "write",
    "build",
    // Around the pipeline: the offline zip, the live preview, skeletons, the starter site,
    // the preview server, the commands.
    "bundle",
    "incremental",
    "scaffold",
    "starter",
    "serve",
    "cli",
];

const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a source file belongs to (`render/views.rs` → `render`).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// The crate's modules a file's code names (`crate::link::...`, `use crate::{a, b}`), comments
/// left out.
fn used_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(list) = rest.strip_prefix('{') {
                // `use crate::{a, b::c};`
                for item in list.split('}').next().unwrap_or("").split(',') {
                    let name = item.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() {
                        out.insert(name.to_string());
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

fn sources() -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(src())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("read source");
            (e.path().to_path_buf(), text)
        })
        .collect()
}

#[test]
fn modules_form_a_one_way_chain() {
    let rank: BTreeMap<&str, usize> = LAYERS.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let mut wrong = Vec::new();
    let mut modules = BTreeSet::new();
    for (path, text) in sources() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        modules.insert(module.clone());
        let Some(&own) = rank.get(module.as_str()) else {
            wrong.push(format!(
                "{}: module `{module}` is not in LAYERS",
                path.display()
            ));
            continue;
        };
        for used in used_modules(&text) {
            if used == module {
                continue;
            }
            match rank.get(used.as_str()) {
                Some(&r) if r < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{module}` uses `{used}`, which comes after it",
                    path.strip_prefix(src()).unwrap_or(&path).display()
                )),
                None => wrong.push(format!("{}: unknown module `{used}`", path.display())),
            }
        }
    }
    let declared: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        modules, declared,
        "LAYERS lists exactly the crate's modules"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_source_file_is_over_800_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .map(|(path, text)| (path, text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(path, n)| format!("{}: {n} lines", path.display()))
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn the_architecture_document_names_every_module() {
    let doc = std::fs::read_to_string(src().join("../docs/architecture.md"))
        .expect("docs/architecture.md");
    let missing: Vec<&&str> = LAYERS
        .iter()
        .filter(|m| !doc.contains(&format!("`{m}`")) && !doc.contains(&format!("`{m}/`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name {missing:?}"
    );
}

/// The library's surface is the facade in `src/lib.rs` (re-exports, and the hidden
/// `internals`): every module is declared private there, each in `LAYERS`, and the crate warns
/// about `pub` items nobody outside can reach and public items without docs (errors in CI).
#[test]
fn modules_are_private_behind_the_facade() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let mut declared = BTreeSet::new();
    let mut public = Vec::new();
    for line in lib.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
            declared.insert(name.to_string());
        } else if line.starts_with("pub mod ") && line.ends_with(';') {
            public.push(line.to_string());
        }
    }
    assert!(
        public.is_empty(),
        "public modules in src/lib.rs: {public:?}"
    );
    let layers: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        declared, layers,
        "src/lib.rs declares exactly the modules of LAYERS"
    );
    for lint in ["unreachable_pub", "missing_docs"] {
        assert!(
            lib.lines()
                .any(|l| l.starts_with("#![warn(") && l.contains(lint)),
            "src/lib.rs does not turn on `{lint}`"
        );
    }
}

#[test]
fn used_modules_reads_paths_and_use_lists() {
    let text = "use crate::{link, render::views};\nlet x = crate::paths::HOME; // crate::cli\n";
    let found: Vec<String> = used_modules(text).into_iter().collect();
    assert_eq!(found, ["link", "paths", "render"]);
}
