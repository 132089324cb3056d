#![no_main]
//! `cargo +nightly fuzz run pipeline`: see fuzz/README.md and `pactgen_fuzz::pipeline`.
//!
//! Each process builds its generated sites in one folder on tmpfs (`/dev/shm` where it exists),
//! reused for every input; folders left by fuzzing processes that are gone are removed first.

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PREFIX: &str = "pactgen-fuzz-";

fn site_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let parent = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix(PREFIX)
                    && !Path::new("/proc").join(pid).exists()
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = parent.join(format!("{PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes");
        pactgen_fuzz::prepare_site_dir(&dir, &themes);
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = pactgen_fuzz::pipeline(site_dir(), data);
});
