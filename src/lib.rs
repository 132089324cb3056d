//! pactgen: typed, cross-referenced records of humanitarian commitments in, a fast static site out.
//!
//! The pipeline has one module per stage: [`load`] (walk files, split front matter, deserialize
//! typed records) → [`link`] (resolve IDs, backlinks, validation) → [`render`] (Markdown,
//! templates) → [`write`] (one sink for disk or memory). [`build`] runs it; [`cli`] is a thin
//! layer on top.

pub mod build;
pub mod cli;
pub mod diagnostics;
pub mod export;
pub mod link;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod write;
