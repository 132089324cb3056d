//! pactgen: typed, cross-referenced records of humanitarian commitments in, a fast static site out.
//!
//! The library behind the `pactgen` command. Its API is small: build a site folder into a
//! [`Sink`] ([`build_into`] with [`BuildOptions`], giving a [`BuildReport`]), keep the files in
//! memory ([`MemorySink`]) or drop them ([`NullSink`], what `pactgen check` does), read the
//! [`Diagnostic`]s of the run (rendered by [`render_diagnostics`] or
//! [`diagnostics_to_json`]), list the record [`Kind`]s and their JSON Schemas
//! ([`schema_of`]).
//!
//! Inside, a one-way pipeline of private modules, each using only the ones before it: `load`
//! (typed records) → `link` (IDs, backlinks, checks; then `facets`) → `render` (Markdown,
//! templates, pages) → `export` (data files, search index, feeds) → `write` (one sink for
//! disk, memory or nothing). Leaf helpers (`text`, `diagnostics`, `console`, `spans`, `theme`,
//! `paths`, `strict`, `markdown`) and the data (`model`, `schema`) sit below it; `build` runs
//! it; `bundle`, `incremental`, `scaffold`, `starter`, `serve` and the thin `cli` sit on top.
//! The order is checked by `tests/suite/architecture.rs` and described, with what is API and
//! what is not, in docs/architecture.md.

// A `Diagnostic` is the tool's product, returned on the cold path only; boxing it everywhere
// would add noise for no measurable gain.
#![allow(clippy::result_large_err)]
#![warn(unreachable_pub, missing_docs)]

mod build;
mod bundle;
mod cli;
mod console;
mod diagnostics;
mod export;
mod facets;
mod incremental;
mod link;
mod load;
mod markdown;
mod model;
mod paths;
mod render;
mod scaffold;
mod schema;
mod search;
mod serve;
mod sink;
mod spans;
mod starter;
mod strict;
mod text;
mod theme;
mod write;

pub use build::{BuildOptions, BuildReport, build_into};
pub use diagnostics::{
    Diagnostic, Severity, SourceMap, render as render_diagnostics, to_json as diagnostics_to_json,
};
pub use model::Kind;
pub use schema::schema_of;
pub use sink::{MemorySink, NullSink, Sink};

/// Not API: what the `pactgen` binary, the integration tests (`tests/suite/`), the fuzz
/// targets (`fuzz/src/lib.rs`) and the corpus generator need from inside the pipeline. Hidden
/// from the documentation and free to change with any release.
#[doc(hidden)]
pub mod internals {
    /// The `pactgen` command line: parses the arguments, runs the command and returns the
    /// process's exit code (`src/main.rs` is this one call).
    pub use crate::cli::main as cli_main;

    /// Reading one record file (the `record` and `front_matter` fuzz targets, the judges).
    pub mod load {
        pub use crate::load::{parse_record_file, split_front_matter, validate_id};
    }
    /// The Markdown renderer on its own (the `markdown` fuzz target, the CommonMark judge).
    pub mod markdown {
        pub use crate::markdown::{
            Abbreviations, MarkdownOptions, render_commonmark, render_with, scan,
        };
    }
    /// Typed links, skeleton records and site settings (fuzz targets, judges, the corpus
    /// generator).
    pub mod model {
        pub use crate::model::{MenuItem, Outputs, SiteConfig, Skeleton, parse_typed_link};
    }
    /// Text helpers the fuzz targets check on any input.
    pub mod text {
        pub use crate::text::{plain_text, slugify};
    }
    /// The skeleton record `pactgen new` writes (fuzz's pipeline target, judges).
    pub mod scaffold {
        pub use crate::scaffold::skeleton;
    }
    /// The one writer of a site's source files (settings, records, copied folders), shared by
    /// `pactgen new`, the fuzz targets' generated sites and the benchmark corpus generator.
    pub mod site_files {
        pub use crate::scaffold::{Fields, SiteWriter, copy_tree};
    }
    /// Encodings the browser's scripts decode, compared with them in Node by the tests.
    pub mod render {
        pub use crate::render::{decode_positions, encode_positions, minify_page};
    }
    /// The search tokenizer's rules, compared with `search.js` by the tests.
    pub mod search {
        pub use crate::search::Rules;
    }
    /// The live preview's site, tested byte for byte against whole builds.
    pub mod incremental {
        pub use crate::incremental::{LiveSite, Method, Outcome, OutputTree};
    }
}
