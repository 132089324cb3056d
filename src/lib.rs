//! pactgen: typed, cross-referenced records of humanitarian commitments in, a fast static site out.
//!
//! The pipeline has one module per stage: [`load`] (walk files, split front matter, deserialize
//! typed records) → [`link`] (resolve IDs, backlinks, validation) → [`render`] (Markdown,
//! templates) → [`write`] (one sink for disk or memory). [`build`] runs it; [`cli`] is a thin
//! layer on top.

// A `Diagnostic` is the tool's product, returned on the cold path only; boxing it everywhere
// would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod cli;
pub mod console;
pub mod diagnostics;
pub mod export;
pub mod facets;
pub mod incremental;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod sink;
pub mod spans;
pub mod strict;
pub mod text;
pub mod write;
