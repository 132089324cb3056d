#![no_main]
//! `cargo +nightly fuzz run front_matter`: see fuzz/README.md and `pactgen_fuzz::front_matter`.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pactgen_fuzz::front_matter(data));
