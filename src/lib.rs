//! pactgen: typed, cross-referenced records of humanitarian commitments in, a fast static site out.
//!
//! A one-way pipeline, one module per stage, each using only the stages before it:
//! [`load`] (typed records) → [`link`] (IDs, backlinks, checks; then [`facets`]) → [`render`]
//! (Markdown, templates, pages) → [`export`] (data files, search index, feeds) → [`write`] (one
//! sink for disk, memory or nothing). Leaf helpers ([`text`], [`diagnostics`], [`spans`], [`theme`],
//! [`paths`], [`strict`], [`markdown`]) and the data ([`model`], [`schema`]) sit below it;
//! [`build`] runs it; [`incremental`], [`serve`] and the thin [`cli`] sit on top. The order is
//! checked by `tests/suite/architecture.rs` and described in docs/architecture.md.

// A `Diagnostic` is the tool's product, returned on the cold path only; boxing it everywhere
// would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod bundle;
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
pub mod starter;
pub mod strict;
pub mod text;
pub mod theme;
pub mod write;
