//! Scaling: for each input dimension that once grew super-linearly (or could), builds at 1x,
//! 2x and 4x of it and asserts that the work above a build without it grows about linearly:
//! at most 8x for 4x the input, where quadratic growth gives 16x. Output size is deterministic
//! and checked exactly that way; time is the least of two runs, and the sizes are chosen so
//! that the 1x run is well above the timer's noise. Ratios, never absolute times.

use crate::common::*;
use std::time::Duration;

/// One dimension: writes its records for size `n` into the site.
struct Dimension {
    name: &'static str,
    sizes: [usize; 3],
    /// Compare output bytes (deterministic) or build time.
    measure: Measure,
    write: fn(&TestSite, usize),
}

#[derive(Clone, Copy, PartialEq)]
enum Measure {
    Bytes,
    Time,
}

fn commitment(site: &TestSite, id: usize, extra: &str) {
    site.write(
        &format!("content/commitments/{id}.yaml"),
        format!("id: {id}\ntext: Commitment {id}.\ntype: Policy\ncore_responsibilities: [3]\ntransformations: [\"3A\"]\nsource:\n  document: doc\n{extra}"),
    );
}

fn dimensions() -> Vec<Dimension> {
    vec![
        Dimension {
            // Each keyword is a value of the commitments' filter, shown on every filter page.
            name: "distinct keywords",
            sizes: [100, 200, 400],
            measure: Measure::Bytes,
            write: |site, n| {
                for i in 0..n {
                    commitment(site, 200_000 + i, &format!("keywords: [\"Keyword {i}\"]\n"));
                }
            },
        },
        Dimension {
            name: "commitments",
            sizes: [150, 300, 600],
            measure: Measure::Bytes,
            write: |site, n| {
                for i in 0..n {
                    commitment(site, 200_000 + i, "keywords: [Data]\n");
                }
            },
        },
        Dimension {
            name: "aliases",
            sizes: [300, 600, 1200],
            measure: Measure::Bytes,
            write: |site, n| {
                let aliases: Vec<String> = (0..n).map(|i| format!("/old/{i}/")).collect();
                commitment(
                    site,
                    200_000,
                    &format!("aliases: [{}]\n", aliases.join(", ")),
                );
            },
        },
        Dimension {
            // Heading IDs were made unique by trying every suffix from 1 for each heading.
            name: "headings per page",
            sizes: [250, 500, 1000],
            measure: Measure::Time,
            write: |site, n| {
                for p in 0..300 {
                    site.write(
                        &format!("content/pages/h{p}.md"),
                        format!("---\nid: h{p}\ntitle: H\n---\n{}", "## h\n\n".repeat(n)),
                    );
                }
            },
        },
        Dimension {
            // Each section's parent chain was walked whole to look for cycles.
            name: "depth of a section chain",
            sizes: [480, 960, 1920],
            measure: Measure::Time,
            write: |site, n| {
                for i in 0..n {
                    let parent = if i == 0 {
                        String::new()
                    } else {
                        format!("parent: s{}\n", i - 1)
                    };
                    site.write(
                        &format!("content/sections/doc/s{i}.yaml"),
                        format!("id: s{i}\ndocument: doc\n{parent}title: S{i}\nsource:\n  document: doc\n"),
                    );
                }
            },
        },
        Dimension {
            // Each document page looked through every section of the site for its own.
            // (At most 2,000 records: `check` renders every page up to there.)
            name: "documents with a section each",
            sizes: [240, 480, 960],
            measure: Measure::Time,
            write: |site, n| {
                for i in 0..n {
                    site.write(
                        &format!("content/documents/d{i}.yaml"),
                        format!("id: d{i}\ntitle: D{i}\npublisher: P\nyear: 2019\n"),
                    );
                    site.write(
                        &format!("content/sections/d{i}/s.yaml"),
                        format!("id: s\ndocument: d{i}\ntitle: S\nsource:\n  document: d{i}\n"),
                    );
                }
            },
        },
        Dimension {
            // Each unknown reference was located by searching the whole file.
            name: "unknown references in one list",
            sizes: [40_000, 80_000, 160_000],
            measure: Measure::Time,
            write: |site, n| {
                let ids: Vec<String> = (0..n).map(|i| (900_000 + i).to_string()).collect();
                site.write(
                    "content/initiatives/big.yaml",
                    format!(
                        "id: big\nname: Big\ncommitments: [{}]\nsource:\n  document: doc\n",
                        ids.join(", ")
                    ),
                );
            },
        },
    ]
}

/// The output's bytes (`build --pages-only`), or the least CPU time of three runs of `check`
/// (which renders every page of a site this small in memory: no disk time in the figure).
fn measure(site: &TestSite, how: Measure) -> f64 {
    match how {
        Measure::Bytes => {
            let run = site.run(&["build", "--pages-only", "-o", "public"]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            snapshot_tree(&site.path("public"))
                .values()
                .map(|b| b.len() as u64)
                .sum::<u64>() as f64
        }
        Measure::Time => {
            let mut best = Duration::MAX;
            for _ in 0..3 {
                let (code, cpu, stderr) = check_cpu_time(site);
                best = best.min(cpu);
                assert!((0..=1).contains(&code), "crashed: {stderr}");
            }
            best.as_secs_f64()
        }
    }
}

/// Runs `check` and returns its exit code, its CPU time (user and system) and its stderr. The
/// time is the child's own, from `wait4`: steadier than wall time on a shared 2-core machine,
/// and unlike `RUSAGE_CHILDREN` not mixed with other tests' processes in this binary.
fn check_cpu_time(site: &TestSite) -> (i32, Duration, String) {
    let stderr_path = site.path("check.stderr");
    let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
    // Reaped by wait4 below, which std's `Child::wait` cannot do with resource usage.
    #[allow(clippy::zombie_processes)]
    let child = std::process::Command::new(bin())
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .arg("check")
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("run pactgen");
    let mut status = 0;
    // SAFETY: wait4 fills the status and the zeroed rusage it is given, for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let cpu = tv(usage.ru_utime) + tv(usage.ru_stime);
    (
        code,
        cpu,
        std::fs::read_to_string(&stderr_path).unwrap_or_default(),
    )
}

#[test]
fn every_dimension_grows_linearly() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for dim in dimensions() {
        // What a build costs without the dimension: the site at size 1 (a size-0 site can
        // take another path, e.g. build where the others fail).
        let base = TestSite::fixture("minimal");
        (dim.write)(&base, 1);
        let floor = measure(&base, dim.measure);
        let values: Vec<f64> = dim
            .sizes
            .iter()
            .map(|&n| {
                let site = TestSite::fixture("minimal");
                (dim.write)(&site, n);
                measure(&site, dim.measure) - floor
            })
            .collect();
        let ratio = |i: usize| values[i] / values[0].max(f64::EPSILON);
        let (r2, r4) = (ratio(1), ratio(2));
        report.push(format!(
            "{:<32} 1x {:>12.3} · 2x {:>5.2}x · 4x {:>5.2}x ({})",
            dim.name,
            values[0],
            r2,
            r4,
            if dim.measure == Measure::Bytes {
                "bytes"
            } else {
                "s"
            }
        ));
        if r4 > 8.0 || r2 > 4.0 {
            failures.push(dim.name);
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "super-linear: {failures:?}\n{}",
        report.join("\n")
    );
}
