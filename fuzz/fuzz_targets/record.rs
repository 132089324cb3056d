#![no_main]
//! `cargo +nightly fuzz run record`: see fuzz/README.md and `pactgen_fuzz::record`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pactgen_fuzz::record(data));
