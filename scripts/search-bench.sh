#!/usr/bin/env bash
# The search at N generated commitments (the benchmark corpus of scripts/bench.sh): what a
# query loads and how long it takes in Chromium (scripts/search-bench.mjs), the index's size,
# and what the index costs a full build. Prints Markdown for docs/benchmarks.md.
#
#   scripts/search-bench.sh                     # N = 10,000
#   SEARCH_BENCH_N=1000 scripts/search-bench.sh
#   SEARCH_BENCH_BASELINE=/path/to/an/older/pactgen scripts/search-bench.sh
#
# Environment:
#   SEARCH_BENCH_N         commitments (default 10000)
#   SEARCH_BENCH_RUNS      timed runs per case (default 5; builds and queries)
#   SEARCH_BENCH_DIR       work folder (default /dev/shm/pactgen-search-bench, removed after)
#   SEARCH_BENCH_BASELINE  another pactgen binary whose default build is timed too, for the
#                          ratio of the two (the index's cost against an older index)
#   SEARCH_BENCH_PACTGEN, SEARCH_BENCH_GEN  the binaries to use instead of building both in
#                          release mode (both or neither)
#
# Needs node with the npm packages of package-lock.json (`npm ci --ignore-scripts`),
# Chromium (/usr/bin/chromium or $CHROMIUM) and /usr/bin/time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${SEARCH_BENCH_N:-10000}
RUNS=${SEARCH_BENCH_RUNS:-5}
WORK=${SEARCH_BENCH_DIR:-/dev/shm/pactgen-search-bench}
log() { printf '[search-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -d node_modules/playwright-core ]] || { echo "search-bench.sh: run npm ci --ignore-scripts first" >&2; exit 2; }
if [[ -n "${SEARCH_BENCH_PACTGEN:-}${SEARCH_BENCH_GEN:-}" ]]; then
    PACTGEN=${SEARCH_BENCH_PACTGEN:?both SEARCH_BENCH_PACTGEN and SEARCH_BENCH_GEN} GEN=${SEARCH_BENCH_GEN:?both SEARCH_BENCH_PACTGEN and SEARCH_BENCH_GEN}
else
    log "building pactgen and the corpus generator (release)"
    cargo build --release --quiet --bin pactgen --example gen_corpus
    PACTGEN=${CARGO_TARGET_DIR:-$ROOT/target}/release/pactgen
    GEN=${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/gen_corpus
fi
rm -rf "$WORK"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
log "generating $N commitments"
"$GEN" --commitments "$N" --out "$WORK/site" >/dev/null
rm -rf "$WORK/site/themes" && cp -r themes "$WORK/site/themes"
# The same site without the search index (the generator spells out `outputs:`).
cp -r "$WORK/site" "$WORK/nosearch"
CONFIG="$WORK/nosearch/content/site.yaml"
if grep -q '^outputs:' "$CONFIG"; then
    sed -i 's/^  search: true$/  search: false/' "$CONFIG"
else
    printf 'outputs:\n  search: false\n' >>"$CONFIG"
fi
grep -q '^  search: false$' "$CONFIG" || { echo "search-bench.sh: cannot turn the search off in $CONFIG" >&2; exit 1; }

# time_build NAME BINARY SITE: the wall time (ms) of one full build into an empty folder. A
# failed build stops the benchmark, not timed (errexit does not reach into $(...)).
time_build() {
    local name=$1 bin=$2 site=$3 start end
    rm -rf "$WORK/out-$name"
    sync
    start=$(date +%s%N)
    "$bin" -q build --root "$site" -o "$WORK/out-$name" >/dev/null || return 1
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 ))"
}
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
log "timing full builds ($RUNS runs of each case, alternating, after a warm-up)"
time_build with "$PACTGEN" "$WORK/site" >/dev/null
time_build without "$PACTGEN" "$WORK/nosearch" >/dev/null
WITH_RUNS=() WITHOUT_RUNS=() BASE_RUNS=()
for _ in $(seq "$RUNS"); do
    WITH_RUNS+=("$(time_build with "$PACTGEN" "$WORK/site")")
    WITHOUT_RUNS+=("$(time_build without "$PACTGEN" "$WORK/nosearch")")
    if [[ -n "${SEARCH_BENCH_BASELINE:-}" ]]; then
        BASE_RUNS+=("$(time_build baseline "$SEARCH_BENCH_BASELINE" "$WORK/site")")
    fi
done
WITH=$(printf '%s\n' "${WITH_RUNS[@]}" | median)
WITHOUT=$(printf '%s\n' "${WITHOUT_RUNS[@]}" | median)
BASE=""
if [[ -n "${SEARCH_BENCH_BASELINE:-}" ]]; then
    BASE=$(printf '%s\n' "${BASE_RUNS[@]}" | median)
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

INDEX_FILES=$(find "$WORK/out-with/search" -type f ! -name index.html | wc -l)
INDEX_KB=$(find "$WORK/out-with/search" -type f ! -name index.html -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / 1024 }')
META_KB=$(awk '{ s += length($0) + 1 } END { printf "%.1f", s / 1024 }' "$WORK/out-with/search/meta.js")
SHARDS=$(find "$WORK/out-with/search" -maxdepth 1 -name 'p*.js' | wc -l)

echo "Measured $(date +%Y-%m-%d) with \`SEARCH_BENCH_N=$N scripts/search-bench.sh\` on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
echo
echo "Index at N = $N: $INDEX_FILES files, $INDEX_KB KB ($SHARDS postings shards, meta.js $META_KB KB, one file per record)."
echo
echo "| full build (median of $RUNS, output on $(df -T "$WORK" | awk 'NR == 2 { print $2 }')) | wall (s) |"
echo "|---|---:|"
echo "| without the search index (\`outputs: search: false\`) | $(ratio "$WITHOUT" 1000) |"
echo "| with the search index | $(ratio "$WITH" 1000) |"
[[ -n "$BASE" ]] && echo "| with the search index, baseline binary | $(ratio "$BASE" 1000) |"
echo
echo "The index adds $(awk -v a="$WITH" -v b="$WITHOUT" 'BEGIN { printf "%.1f", (a / b - 1) * 100 }')% to a full build (ratio $(ratio "$WITH" "$WITHOUT"))$([[ -n "$BASE" ]] && echo "; against the baseline binary's build, ratio $(ratio "$WITH" "$BASE")")."
echo
log "querying in Chromium"
node scripts/search-bench.mjs "$WORK/out-with" "$RUNS"
