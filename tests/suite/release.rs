//! The release archive (`scripts/release.sh`): packs the binary this test build made (its
//! `--binary` step: no nested cargo build), with the licences and README, into
//! `pactgen-<version>-<target>.tar.gz` and a `.sha256` file; the archive is the same twice; and
//! its binary, unpacked into an empty folder outside the repository, runs `init` and `build`
//! with a PATH that holds no Rust toolchain and no repository to find a theme in.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn pack(out: &Path) -> PathBuf {
    let run = Command::new("bash")
        .arg(repo().join("scripts/release.sh"))
        .arg("--binary")
        .arg(bin())
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run scripts/release.sh");
    assert!(
        run.status.success(),
        "release.sh: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&run.stdout).trim())
}

#[test]
fn the_release_archive_runs_init_and_build_without_a_toolchain() {
    let dist = tempfile::tempdir().expect("tempdir");
    let archive = pack(dist.path());
    let name = archive
        .file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        name.starts_with(&format!("pactgen-{version}-")) && name.ends_with(".tar.gz"),
        "{name}"
    );
    let stem = name.trim_end_matches(".tar.gz").to_string();
    assert!(
        stem.len() > format!("pactgen-{version}-").len(),
        "a target in {name}"
    );

    // The checksum file, in `sha256sum -c` form, matches.
    let sums = std::fs::read_to_string(dist.path().join(format!("{name}.sha256"))).expect("sha");
    let bytes = std::fs::read(&archive).expect("archive");
    let digest: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(sums, format!("{digest}  {name}\n"));
    let check = Command::new("sha256sum")
        .args(["-c", &format!("{name}.sha256")])
        .current_dir(dist.path())
        .output()
        .expect("sha256sum");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Reproducible: packed again, the same bytes.
    let again = tempfile::tempdir().expect("tempdir");
    assert_eq!(std::fs::read(pack(again.path())).expect("again"), bytes);

    // Unpacked into an empty folder: the binary, the licences and the README, nothing else.
    let unpacked = tempfile::tempdir().expect("tempdir");
    let tar = Command::new("tar")
        .arg("xzf")
        .arg(&archive)
        .current_dir(unpacked.path())
        .output()
        .expect("tar");
    assert!(
        tar.status.success(),
        "{}",
        String::from_utf8_lossy(&tar.stderr)
    );
    let top = unpacked.path().join(&stem);
    let mut files: Vec<String> = std::fs::read_dir(&top)
        .expect("unpacked folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["LICENSE-APACHE", "LICENSE-MIT", "README.md", "pactgen"]
    );
    let binary = top.join("pactgen");

    // A user's machine: no cargo or rustc on PATH, run far from this repository.
    let path = "/usr/local/bin:/usr/bin:/bin";
    for tool in ["cargo", "rustc"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .env("PATH", path)
            .output()
            .expect("sh");
        assert!(
            !found.status.success(),
            "{tool} is on {path}: pick another PATH"
        );
    }
    let home = tempfile::tempdir().expect("tempdir");
    let run = |dir: &Path, args: &[&str]| {
        let out = Command::new(&binary)
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", path)
            .env("HOME", home.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run the unpacked binary");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let version_out = Command::new(&binary)
        .arg("--version")
        .env_clear()
        .output()
        .expect("version");
    assert!(String::from_utf8_lossy(&version_out.stdout).contains(version));
    let work = tempfile::tempdir().expect("tempdir");
    run(work.path(), &["init", "site"]);
    let site = work.path().join("site");
    assert!(!site.join("themes").exists());
    let built = run(&site, &["build"]);
    assert!(built.contains("Built 13 records"), "{built}");
    let home_page = std::fs::read_to_string(site.join("public/index.html")).expect("home");
    assert!(home_page.contains("Our Organisation"), "{home_page}");
    assert!(site.join("public/style.css").is_file());
    assert!(site.join("public/js/search.js").is_file());
    run(&site, &["bundle"]);
    assert!(site.join("site.zip").is_file());
}
