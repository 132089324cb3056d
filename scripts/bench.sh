#!/usr/bin/env bash
# Benchmarks pactgen (and Hugo, when installed) on synthetic corpora and writes the results
# into docs/benchmarks.md between the `<!-- bench:start -->` and `<!-- bench:end -->` markers.
#
#   scripts/bench.sh                              # N = 1,000, 10,000 and 100,000
#   BENCH_SIZES="1000 10000" scripts/bench.sh     # a quicker run
#
# Environment:
#   BENCH_SIZES     corpus sizes (default "1000 10000 100000")
#   BENCH_RUNS      measured runs per case, after one warm-up (default 5)
#   BENCH_HUGO_MAX  largest N at which Hugo is run (default 10000; Hugo is slow at 100,000)
#   BENCH_FS        where to build, a list of: "disk" (BENCH_DIR), "shm" (/dev/shm) or the
#                   absolute path of a folder on another file system, for example a journaled
#                   ext4 mounted from an image (see docs/benchmarks.md) (default "disk shm")
#   BENCH_DISK_MAX  largest N built on disk and on path entries (default: no limit; on a slow
#                   virtual disk the 100,000 runs spend most of their time flushing gigabytes)
#   BENCH_LIVE_MAX  largest N at which the live preview's edit-to-reload time is measured
#                   (default 10000; 0 skips it; the preview builds the corpus in memory first)
#   BENCH_DIR       work folder on disk (default $CARGO_TARGET_DIR/bench)
#   BENCH_DOC       the document to update (default docs/benchmarks.md; "-" for stdout only)
#   CARGO_TARGET_DIR  as usual (default ./target)
#   BENCH_PACTGEN, BENCH_GEN  the pactgen binary and the corpus generator (examples/gen_corpus)
#                   to measure, instead of building both in release mode (both or neither; the
#                   test suite passes its own debug builds)
#
# Installs nothing. Needs /usr/bin/time (Debian: `apt-get install -y time`); Hugo is optional
# (Debian: `apt-get install -y hugo`) and skipped, with a note, when `hugo` is not on PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${BENCH_SIZES:-"1000 10000 100000"}
RUNS=${BENCH_RUNS:-5}
HUGO_MAX=${BENCH_HUGO_MAX:-10000}
FSES=${BENCH_FS:-"disk shm"}
DISK_MAX=${BENCH_DISK_MAX:-}
LIVE_MAX=${BENCH_LIVE_MAX:-10000}
WORK_DISK=${BENCH_DIR:-$CARGO_TARGET_DIR/bench}
WORK_SHM=/dev/shm/pactgen-bench-$$
DOC=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
COMMAND="scripts/bench.sh"
[[ -n "${BENCH_SIZES:-}" ]] && COMMAND="BENCH_SIZES=\"$BENCH_SIZES\" $COMMAND"
[[ -n "${BENCH_RUNS:-}" ]] && COMMAND="BENCH_RUNS=$BENCH_RUNS $COMMAND"
[[ -n "${BENCH_HUGO_MAX:-}" ]] && COMMAND="BENCH_HUGO_MAX=$BENCH_HUGO_MAX $COMMAND"
[[ -n "${BENCH_FS:-}" ]] && COMMAND="BENCH_FS=\"$BENCH_FS\" $COMMAND"
[[ -n "${BENCH_DISK_MAX:-}" ]] && COMMAND="BENCH_DISK_MAX=$BENCH_DISK_MAX $COMMAND"
[[ -n "${BENCH_LIVE_MAX:-}" ]] && COMMAND="BENCH_LIVE_MAX=$BENCH_LIVE_MAX $COMMAND"

# fs_kind DIR: the file system type of DIR and, for ext4, whether it has a journal. A journal-less
# ext4 skips inodes deleted in the last minute when it allocates new ones (ext4's
# `recently_deleted()`), a scan that grows with every file the previous run deleted.
fs_kind() {
    local type src
    type=$(df -T "$1" | awk 'NR == 2 { print $2 }')
    src=$(df --output=source "$1" | tail -1)
    if [[ $type == ext4 ]]; then
        if compgen -G "/proc/fs/jbd2/${src##*/}-*" >/dev/null; then
            echo "ext4 with journal"
        else
            echo "ext4 without journal"
        fi
    else
        echo "$type"
    fi
}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
    echo "bench.sh: /usr/bin/time is missing (Debian: apt-get install -y time)" >&2
    exit 2
fi
HUGO=$(command -v hugo || true)
if [[ -z "$HUGO" ]]; then
    log "hugo not found on PATH: Hugo is skipped (Debian: apt-get install -y hugo)"
fi

# What was built, noted now: the sources may be edited while the benchmark runs.
BUILT_FROM="commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock themes 2>/dev/null || echo ' (with local changes)')"
if [[ -n "${BENCH_PACTGEN:-}" || -n "${BENCH_GEN:-}" ]]; then
    if [[ ! -x "${BENCH_PACTGEN:-}" || ! -x "${BENCH_GEN:-}" ]]; then
        echo "bench.sh: BENCH_PACTGEN and BENCH_GEN must both name executables" >&2
        exit 2
    fi
    PACTGEN=$BENCH_PACTGEN GEN=$BENCH_GEN
    BUILT_FROM="$PACTGEN (given), sources at $BUILT_FROM"
else
    log "building pactgen and the corpus generator (release)"
    cargo build --release --quiet --bin pactgen --example gen_corpus
    PACTGEN=$CARGO_TARGET_DIR/release/pactgen
    GEN=$CARGO_TARGET_DIR/release/examples/gen_corpus
    BUILT_FROM="$BUILT_FROM, release profile"
fi
# The live preview is measured by an ignored test of tests/suite/serve.rs (it drives `pactgen serve`).
LIVE_TEST=(cargo test --release --quiet --test suite -- --ignored --nocapture --exact serve::live_preview_latency_on_bundled_site)
if [[ $LIVE_MAX -gt 0 ]] && ! cargo test --release --quiet --test suite --no-run; then
    echo "bench.sh: cannot build the live preview test (BENCH_LIVE_MAX=0 skips it)" >&2
    exit 1
fi

mkdir -p "$WORK_DISK"
RESULTS=$WORK_DISK/results.tsv
: >"$RESULTS"
trap 'rm -rf "$WORK_SHM"' EXIT

# measure N FS CASE CMD...: one run; appends "N FS CASE wall cpu rss_kib user sys" to $RESULTS
# (cpu = user + sys, all in seconds).
# Wall time from `date` (ms resolution), CPU (user+sys) and peak RSS from /usr/bin/time.
measure() {
    local n=$1 fs=$2 case=$3
    shift 3
    local tf start end
    tf=$(mktemp)
    # Flush what earlier runs left to write back, untimed: otherwise the kernel throttles
    # whichever run comes next for the previous run's output (on disk, 5 back-to-back
    # default builds at N = 10,000 went from 3.4 s to 10.6 s, Hugo from 5.8 s to 7.4 s).
    sync
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >/dev/null 2>"$tf.err"; then
        echo "bench.sh: failed: $*" >&2
        cat "$tf.err" >&2
        exit 1
    fi
    end=$(date +%s%N)
    read -r _ user sys rss <"$tf"
    rm -f "$tf" "$tf.err"
    awk -v n="$n" -v fs="$fs" -v c="$case" -v w="$(((end - start) / 1000000))" \
        -v u="$user" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%s\t%s\t%s\t%.3f\t%.2f\t%d\t%.2f\t%.2f\n", n, fs, c, w / 1000, u + s, m, u, s }' >>"$RESULTS"
}

# A build from an empty output folder (removing the old one is not timed).
fresh() {
    local out=$1
    shift
    rm -rf "$out"
    measure "$@"
}

files_of() { find "$1" -type f | wc -l; }
size_of() { du -sm "$1" | cut -f1; }

declare -A NOTES
for n in $SIZES; do
    hugo_here=""
    [[ -n "$HUGO" && "$n" -le "$HUGO_MAX" ]] && hugo_here=1
    for fs in $FSES; do
        if [[ $fs != shm && -n "$DISK_MAX" && "$n" -gt "$DISK_MAX" ]]; then
            log "N=$n on $fs: skipped (BENCH_DISK_MAX=$DISK_MAX)"
            continue
        fi
        case $fs in
        disk) base=$WORK_DISK/n$n ;;
        shm) base=$WORK_SHM/n$n ;;
        /*) base=$fs/pactgen-bench/n$n ;;
        *)
            echo "bench.sh: unknown BENCH_FS entry $fs" >&2
            exit 2
            ;;
        esac
        rm -rf "$base"
        mkdir -p "$base"
        log "N=$n on $fs: generating the corpus in $base"
        "$GEN" --commitments "$n" --out "$base/site" --hugo "$base/hugo" 2>/dev/null
        site=$base/site hsite=$base/hugo
        P=$base/out-pactgen H=$base/out-hugo
        pbuild=("$PACTGEN" build -q --root "$site" -o "$P")
        hbuild=("$HUGO" --quiet -s "$hsite" -d "$H")
        # Warm-up (page cache, Hugo's module/cache folders), then alternate the tools.
        log "N=$n on $fs: warm-up"
        rm -rf "$P" "$H"
        "${pbuild[@]}" >/dev/null 2>&1
        [[ -n "$hugo_here" ]] && "${hbuild[@]}" >/dev/null 2>&1
        # The bytes of pactgen's default output, for the floor that writes as many into one file.
        out_mib=$(du -sm --apparent-size "$P" | cut -f1)
        for i in $(seq "$RUNS"); do
            log "N=$n on $fs: run $i/$RUNS"
            # Only the pages Hugo also builds: no search index, exports, feed or embeds.
            fresh "$P" "$n" "$fs" pactgen-pages "${pbuild[@]}" --pages-only
            # The default build: every output (search, exports, feed, embeds), no minification.
            fresh "$P" "$n" "$fs" pactgen-full "${pbuild[@]}"
            [[ -n "$hugo_here" ]] && fresh "$H" "$n" "$fs" hugo "${hbuild[@]}"
            fresh "$P" "$n" "$fs" pactgen-minify "${pbuild[@]}" --minify
            [[ -n "$hugo_here" ]] && fresh "$H" "$n" "$fs" hugo-minify "${hbuild[@]}" --minify
            # Nothing changed: the same build again over the previous output.
            measure "$n" "$fs" pactgen-again "${pbuild[@]}"
            [[ -n "$hugo_here" ]] && measure "$n" "$fs" hugo-again "${hbuild[@]}"
            measure "$n" "$fs" check "$PACTGEN" check -q --root "$site"
            # Floor: read every input file, copy the output tree.
            measure "$n" "$fs" floor-read sh -c 'tar cf - -C "$1" content | wc -c' _ "$site"
            rm -rf "$base/copy"
            measure "$n" "$fs" floor-copy-pactgen cp -r "$P" "$base/copy"
            rm -rf "$base/copy"
            # The same bytes into one new file: what the memory (page cache) costs, without the
            # inodes and folders `cp -r` also makes.
            measure "$n" "$fs" floor-write-bytes dd if=/dev/zero of="$base/bytes" bs=1M count="$out_mib" status=none
            rm -f "$base/bytes"
            if [[ -n "$hugo_here" ]]; then
                measure "$n" "$fs" floor-read-hugo sh -c 'tar cf - -C "$1" content | wc -c' _ "$hsite"
                measure "$n" "$fs" floor-copy-hugo cp -r "$H" "$base/copy"
                rm -rf "$base/copy"
            fi
        done
        # The live preview, once per N: from saving an edit of one commitment to the `reload`
        # event, 10 edits (the test copies the site, serves it from memory, and prints the
        # times). Its line: "edit-to-reload: median M ms, min A ms, max B ms, all [...]".
        if [[ $LIVE_MAX -gt 0 && $n -le $LIVE_MAX && -z "${NOTES[$n.live]:-}" ]]; then
            log "N=$n: live preview, edit to reload"
            sync
            live_log=$(mktemp)
            live=$(PACTGEN_LATENCY_SITE=$site "${LIVE_TEST[@]}" 2>"$live_log" | grep '^edit-to-reload:' || true)
            if [[ -z "$live" ]]; then
                echo "bench.sh: the live preview test failed at N=$n:" >&2
                cat "$live_log" >&2
                exit 1
            fi
            rm -f "$live_log"
            NOTES[$n.live]=${live#edit-to-reload: }
        fi
        NOTES[$n.$fs.pfiles]=$(files_of "$P")
        NOTES[$n.$fs.pmb]=$(size_of "$P")
        NOTES[$n.$fs.inmb]=$(size_of "$site/content")
        NOTES[$n.$fs.infiles]=$(files_of "$site/content")
        if [[ -n "$hugo_here" ]]; then
            NOTES[$n.$fs.hfiles]=$(files_of "$H")
            NOTES[$n.$fs.hmb]=$(size_of "$H")
        fi
        rm -rf "$base/copy" "$H"
        # Keep the disk copy's output for inspection; free /dev/shm and other file systems.
        [[ $fs != disk ]] && rm -rf "$base"
    done
done

# --- report -----------------------------------------------------------------------------------

# median N FS CASE COLUMN (4 wall, 5 cpu, 6 rss)
median() {
    awk -F'\t' -v n="$1" -v fs="$2" -v c="$3" -v col="$4" \
        '$1 == n && $2 == fs && $3 == c { print $col }' "$RESULTS" |
        sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# ratio N FS CASE_A CASE_B: median over runs i of wall(A_i) / wall(B_i).
ratio() {
    paste <(awk -F'\t' -v n="$1" -v fs="$2" -v c="$3" '$1 == n && $2 == fs && $3 == c { print $4 }' "$RESULTS") \
        <(awk -F'\t' -v n="$1" -v fs="$2" -v c="$4" '$1 == n && $2 == fs && $3 == c { print $4 }' "$RESULTS") |
        awk '$2 > 0 { print $1 / $2 }' | sort -g |
        awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) printf "%.2f\n", a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# growth A B: B / A to one decimal, or – when either is missing or A is 0.
growth() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == 0) print "–"; else printf "%.1f", b / a }'; }
fmt_s() { [[ -z "$1" ]] && echo "–" || awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
fmt_mb() { [[ -z "$1" ]] && echo "–" || awk -v v="$1" 'BEGIN { printf "%.0f", v / 1024 }'; }

label() {
    case $1 in
    pactgen-pages) echo "pactgen build --pages-only (the pages Hugo builds)" ;;
    pactgen-full) echo "pactgen build (default: every output, no minification)" ;;
    pactgen-minify) echo "pactgen build --minify" ;;
    hugo) echo "hugo" ;;
    hugo-minify) echo "hugo --minify" ;;
    pactgen-again) echo "pactgen build, nothing changed (2nd build)" ;;
    hugo-again) echo "hugo, nothing changed (2nd build)" ;;
    check) echo "pactgen check" ;;
    floor-read) echo "floor: read pactgen input (tar cf - content \| wc -c)" ;;
    floor-read-hugo) echo "floor: read Hugo input" ;;
    floor-copy-pactgen) echo "floor: copy pactgen output (cp -r)" ;;
    floor-write-bytes) echo "floor: write as many bytes as pactgen's output into one file (dd)" ;;
    floor-copy-hugo) echo "floor: copy Hugo output (cp -r)" ;;
    esac
}
# The Hugo case each pactgen case is compared with: plain `hugo` (column 1) and
# `hugo --minify` (column 2).
pair() {
    case $1 in
    pactgen-pages | pactgen-full | pactgen-minify) echo hugo ;;
    esac
}
pair_min() {
    case $1 in
    pactgen-minify | pactgen-full) echo hugo-minify ;;
    pactgen-again) echo hugo-again ;;
    esac
}

# fs_label FS: how a BENCH_FS entry is named in the report.
fs_label() {
    case $1 in
    disk) echo "disk: \`BENCH_DIR\` on $(fs_kind "$WORK_DISK")" ;;
    shm) echo "shm: \`/dev/shm\` (tmpfs)" ;;
    *) echo "\`$1\`: $(fs_kind "$1")" ;;
    esac
}

mem_kib=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
# page_reporting: a note when this is a virtual machine that hands freed memory back to its
# host (Linux "free page reporting", used by virtio-balloon): a page touched again after that
# costs a fault on the host, so a run that needs more memory than the guest keeps at hand pays
# for every page beyond it, and the cost per byte grows with the size of the run.
page_reporting() {
    local p=/sys/module/page_reporting/parameters
    [[ -r $p/reported_kib ]] || return 0
    local kib
    kib=$(cat "$p/reported_kib")
    [[ $kib -gt 0 ]] || return 0
    local extra=""
    for f in page_reporting_order min_free_ms max_waiting_mib; do
        [[ -r $p/$f ]] && extra+="${extra:+, }$f $(cat "$p/$f")"
    done
    echo "- Memory: a VM with free page reporting (freed memory goes back to the host, $((kib / 1024 / 1024)) GiB so far${extra:+; $extra}): memory touched again after that is slow, more so the more a run needs"
}
hugo_version=${HUGO:+$("$HUGO" version 2>/dev/null | head -1)}
report() {
    echo "<!-- bench:start -->"
    echo "<!-- Written by scripts/bench.sh; edit outside the markers. -->"
    echo
    echo "### Results"
    echo
    echo "Measured $(date -u +%Y-%m-%d) with \`$COMMAND\` ($RUNS runs per case after a warm-up; medians)."
    echo
    echo "- Machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $((mem_kib / 1024 / 1024)) GiB RAM, Linux $(uname -r)"
    page_reporting
    echo "- pactgen: $("$PACTGEN" --version) built from $BUILT_FROM, $(rustc --version)"
    echo "- Hugo: ${hugo_version:-not installed: skipped}"
    for fs in $FSES; do
        echo "- $(fs_label "$fs")"
    done
    echo
    echo "Ratio: pactgen wall time ÷ Hugo wall time, computed per pair of consecutive runs, median of the pairs (below 1: pactgen faster)."
    echo
    for n in $SIZES; do
        for fs in $FSES; do
            [[ -z "${NOTES[$n.$fs.pfiles]:-}" ]] && continue
            echo "#### N = $(printf "%'d" "$n") commitments, $(fs_label "$fs")"
            echo
            local hpart=""
            [[ -n "${NOTES[$n.$fs.hfiles]:-}" ]] && hpart="; Hugo writes ${NOTES[$n.$fs.hfiles]} files, ${NOTES[$n.$fs.hmb]} MB (unminified)"
            echo "Input: ${NOTES[$n.$fs.infiles]} files, ${NOTES[$n.$fs.inmb]} MB. pactgen writes ${NOTES[$n.$fs.pfiles]} files, ${NOTES[$n.$fs.pmb]} MB (default build)$hpart."
            echo
            echo "| case | wall (s) | CPU user+sys (s) | peak RSS (MB) | ÷ hugo | ÷ hugo --minify (or its 2nd build) |"
            echo "|---|---:|---:|---:|---:|---:|"
            for c in pactgen-pages pactgen-full hugo pactgen-minify hugo-minify pactgen-again hugo-again check \
                floor-read floor-copy-pactgen floor-write-bytes floor-read-hugo floor-copy-hugo; do
                local w
                w=$(median "$n" "$fs" "$c" 4)
                [[ -z "$w" ]] && continue
                local r="" r2="" p
                p=$(pair "$c")
                [[ -n "$p" ]] && r=$(ratio "$n" "$fs" "$c" "$p")
                p=$(pair_min "$c")
                [[ -n "$p" ]] && r2=$(ratio "$n" "$fs" "$c" "$p")
                echo "| $(label "$c") | $(fmt_s "$w") | $(fmt_s "$(median "$n" "$fs" "$c" 5)") | $(fmt_mb "$(median "$n" "$fs" "$c" 6)") | ${r:-} | ${r2:-} |"
            done
            echo
            local hm pm
            hm=$(median "$n" "$fs" hugo 6)
            pm=$(median "$n" "$fs" pactgen-full 6)
            if [[ -n "$hm" && -n "$pm" ]]; then
                echo "Peak memory, default pactgen build ÷ hugo: $(awk -v a="$pm" -v b="$hm" 'BEGIN { printf "%.2f", a / b }')."
                echo
            fi
        done
    done
    local live_lines=""
    for n in $SIZES; do
        [[ -n "${NOTES[$n.live]:-}" ]] && live_lines+="| $(printf "%'d" "$n") | ${NOTES[$n.live]} |"$'\n'
    done
    if [[ -n "$live_lines" ]]; then
        echo "#### Live preview: from saving an edit of one commitment to the reload event"
        echo
        echo "10 edits per size, by the ignored test \`live_preview_latency_on_bundled_site\` (\`PACTGEN_LATENCY_SITE=DIR cargo test --release --test suite -- --ignored --nocapture serve::\`; see \"Live preview\" below)."
        echo
        echo "| N | edit to reload (ms) |"
        echo "|---:|---|"
        printf '%s' "$live_lines"
        echo
    fi
    # Growth from one size to the next (×10 commitments each step), of the medians. User and
    # system CPU apart: what the program does against what the kernel does for it (the floor,
    # `cp -r` of the output, is nearly all kernel).
    local prev=""
    for n in $SIZES; do
        if [[ -n "$prev" ]]; then
            for fs in $FSES; do
                local lines=""
                for c in pactgen-pages pactgen-full check floor-copy-pactgen floor-write-bytes; do
                    local a b cols="" col
                    a=$(median "$prev" "$fs" "$c" 4)
                    b=$(median "$n" "$fs" "$c" 4)
                    [[ -z "$a" || -z "$b" ]] && continue
                    for col in 4 7 8 6; do
                        cols+=" $(growth "$(median "$prev" "$fs" "$c" "$col")" "$(median "$n" "$fs" "$c" "$col")") |"
                    done
                    lines+="| $(label "$c") |$cols"$'\n'
                done
                [[ -z "$lines" ]] && continue
                echo "#### Growth from N = $(printf "%'d" "$prev") to N = $(printf "%'d" "$n"), $fs"
                echo
                echo "| case | wall time × | user CPU × | system CPU × | peak RSS × |"
                echo "|---|---:|---:|---:|---:|"
                printf '%s' "$lines"
                echo
            done
        fi
        prev=$n
    done
    echo "<!-- bench:end -->"
}

SECTION=$(mktemp)
report >"$SECTION"
if [[ "$DOC" == "-" ]]; then
    cat "$SECTION"
else
    mkdir -p "$(dirname "$DOC")"
    if [[ ! -f "$DOC" ]]; then
        printf '# Benchmarks\n\n' >"$DOC"
    fi
    # Whole lines only: the prose may name the markers.
    if grep -qx '<!-- bench:start -->' "$DOC" && grep -qx '<!-- bench:end -->' "$DOC"; then
        # Replace only the marked section; everything else in the file stays as it is.
        awk -v section="$SECTION" '
            /^<!-- bench:start -->$/ { while ((getline line < section) > 0) print line; skip = 1; next }
            /^<!-- bench:end -->$/ { skip = 0; next }
            !skip { print }' "$DOC" >"$DOC.tmp"
        mv "$DOC.tmp" "$DOC"
    else
        { echo; cat "$SECTION"; } >>"$DOC"
    fi
    log "wrote $DOC"
fi
cp "$SECTION" "$WORK_DISK/section.md"
rm -f "$SECTION"
log "raw measurements: $RESULTS"
