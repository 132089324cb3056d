#![no_main]
//! `cargo +nightly fuzz run markdown`: see fuzz/README.md and `pactgen_fuzz::markdown`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pactgen_fuzz::markdown(data));
