//! Every integration test in one test binary (one link of the library instead of one per
//! file). Each module is a former `tests/<name>.rs`; `cargo test --test suite <module>::`
//! runs one of them, e.g. `cargo test --test suite browser::`.

mod common;
/// The benchmark corpus generator, shared with `examples/gen_corpus.rs`.
#[path = "../../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;
/// The fuzz targets' code (`fuzz/src/lib.rs`), replayed by `fuzz_regressions` on stable and
/// holding the active-content oracle `output_safety` uses too.
#[path = "../../fuzz/src/lib.rs"]
mod harness;

mod architecture;
mod authoring;
mod bench_script;
mod browser;
mod bundled_site;
mod cli;
mod corpus_generator;
mod crash_safety;
mod diagnostics;
mod fuzz_regressions;
mod hostile;
mod incremental;
mod judges;
mod lighthouse;
mod list_pages;
mod output_safety;
mod page_snapshots;
mod publishing;
mod reader_site;
mod release;
mod scaling;
mod search_tokenizer;
mod serve;
