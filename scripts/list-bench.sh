#!/usr/bin/env bash
# Measures the weight of the list pages and the time to filter the commitments at size, and
# writes the results into docs/benchmarks.md between `<!-- list-bench:start -->` and
# `<!-- list-bench:end -->`.
#
#   scripts/list-bench.sh                           # N = 10,000 and 100,000
#   LIST_BENCH_SIZES="1000 10000" scripts/list-bench.sh
#
# For each N: generates the benchmark corpus (examples/gen_corpus), builds it (release build),
# and reports the size of the commitments index, of the largest HTML page (and which), the
# number of HTML pages and of the commitments index's pages, the filter data (facets.js and the
# item files), then times the filter in Chromium (scripts/list-bench.mjs: first filter, a
# second one combined with it, clearing; medians of LIST_BENCH_RUNS runs, default 5).
# Fails when an HTML page is over 200 KB (LIST_BENCH_MAX_PAGE bytes): no list page may grow
# with N.
#
# Environment: LIST_BENCH_SIZES, LIST_BENCH_RUNS, LIST_BENCH_DIR (work folder, default
# /dev/shm/pactgen-list-bench-PID, removed at the end), LIST_BENCH_DOC (default
# docs/benchmarks.md; "-" for stdout only), CHROMIUM (default /usr/bin/chromium).
# Needs the npm packages (`npm ci`) for playwright-core.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${LIST_BENCH_SIZES:-"10000 100000"}
RUNS=${LIST_BENCH_RUNS:-5}
MAX_PAGE=${LIST_BENCH_MAX_PAGE:-200000}
WORK=${LIST_BENCH_DIR:-/dev/shm/pactgen-list-bench-$$}
DOC=${LIST_BENCH_DOC:-$ROOT/docs/benchmarks.md}
COMMAND="scripts/list-bench.sh"
[[ -n "${LIST_BENCH_SIZES:-}" ]] && COMMAND="LIST_BENCH_SIZES=\"$LIST_BENCH_SIZES\" $COMMAND"

log() { printf '[list-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
group() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

BUILT_FROM="commit \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git diff --quiet HEAD -- src themes 2>/dev/null || echo ' (with local changes)')"
cargo build --release --quiet --bin pactgen --example gen_corpus
PACTGEN=$CARGO_TARGET_DIR/release/pactgen
GEN=$CARGO_TARGET_DIR/release/examples/gen_corpus
[[ -z "${LIST_BENCH_DIR:-}" ]] && trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"

rows=()
fail=0
for n in $SIZES; do
    site=$WORK/$n
    log "N = $n: generating"
    "$GEN" --commitments "$n" --out "$site" >/dev/null 2>&1
    rm -rf "$site/public"
    log "N = $n: building"
    start=$(date +%s.%N)
    "$PACTGEN" build -q --root "$site" -o "$site/public"
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    pub=$site/public
    index=$(stat -c %s "$pub/commitments/index.html")
    read -r big_size big_page < <(find "$pub" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
    pages=$(find "$pub" -name '*.html' | wc -l)
    index_pages=$(( $(find "$pub/commitments/page" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l) + 1 ))
    facets=$(stat -c %s "$pub/commitments/filter/facets.js")
    item_files=$(find "$pub/commitments/filter" -name 'items-*.js' | wc -l)
    item_bytes=$(find "$pub/commitments/filter" -name 'items-*.js' -printf '%s\n' | awk '{ s += $1 } END { print s }')
    log "N = $n: index $(kb "$index"), largest page $(kb "$big_size") ($big_page); timing the filter"
    timing=$(node scripts/list-bench.mjs "$pub" "$RUNS")
    ms() { node -e 'const t = JSON.parse(process.argv[1]); console.log(t[process.argv[2]].toFixed(0))' "$timing" "$1"; }
    if (( big_size > MAX_PAGE )); then
        log "N = $n: $big_page is $big_size bytes, over $MAX_PAGE"
        fail=1
    fi
    rows+=("| $(group "$n") | $secs s | $(kb "$index") ($(group "$index_pages") pages) | $(kb "$big_size") \`$big_page\` | $(group "$pages") | $(kb "$facets") | $(group "$item_files") files, $(kb "$((item_bytes / item_files))") each | $(ms first_ms) ms | $(ms second_ms) ms | $(ms clear_ms) ms |")
    rm -rf "$site/public"
done

table=$(cat <<TABLE
Measured with \`$COMMAND\` on $(date -u +%Y-%m-%d), $BUILT_FROM, Chromium $(${CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null | awk '{ print $2 }'), $(nproc) CPUs; filter times are medians of $RUNS runs, each on a fresh page (the first filter loads the facet data and the item files it shows).

| N | build | commitments index | largest HTML page | HTML pages | filter data: facets.js | item files | first filter (Policy) | second filter (+ a transformation) | clear |
|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
TABLE
)
echo "$table"
if [[ "$DOC" != "-" ]]; then
    python3 - "$DOC" "$table" <<'PY'
import sys
doc, table = sys.argv[1], sys.argv[2]
s = open(doc).read()
start, end = "<!-- list-bench:start -->", "<!-- list-bench:end -->"
if start in s and end in s:
    s = s[: s.index(start) + len(start)] + "\n" + table + "\n" + s[s.index(end):]
else:
    s += f"\n{start}\n{table}\n{end}\n"
open(doc, "w").write(s)
PY
    log "wrote $DOC"
fi
exit $fail
