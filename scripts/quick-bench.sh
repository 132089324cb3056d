#!/usr/bin/env bash
# A quick comparison at one corpus size on /dev/shm: 5 alternating runs of
# `pactgen build --pages-only`, `pactgen build`, `hugo` and `pactgen check`, each line
# "case seconds s peak-KB KB" (GNU time). Uses a corpus written by scripts/bench.sh
# (target/bench/n<N>/site and .../hugo) with the repo's current theme.
#   scripts/quick-bench.sh            # N = 10,000
#   QUICK_N=1000 scripts/quick-bench.sh
#   QUICK_DIR=target/quick-bench scripts/quick-bench.sh   # on disk instead of /dev/shm
set -euo pipefail
cd "$(dirname "$0")/.."
N=${QUICK_N:-10000}
CORPUS=target/bench/n$N
[[ -d $CORPUS/site && -d $CORPUS/hugo ]] || { echo "no corpus in $CORPUS: run scripts/bench.sh first" >&2; exit 1; }
cargo build --release --quiet
B=$PWD/target/release/pactgen
W=${QUICK_DIR:-/dev/shm/pactgen-quick-bench}
mkdir -p "$W"; W=$(cd "$W" && pwd)
rm -rf "$W"; mkdir -p "$W"
cp -r "$CORPUS/site" "$W/site"; cp -r "$CORPUS/hugo" "$W/hugo"
rm -rf "$W/site/themes"; cp -r themes "$W/site/themes"
cd "$W"
run() { local name=$1; shift; rm -rf "$W/out-$name"; sync; /usr/bin/time -f "$name %e s %M KB" "$@" >/dev/null 2>>times.txt || echo "$name failed" >>times.txt; }
run pages "$B" -q build --root site -o "$W/out-pages" --pages-only   # warm-up
run hugo hugo --quiet -s hugo -d "$W/out-hugo"
: >times.txt
for _ in 1 2 3 4 5; do
  run pages "$B" -q build --root site -o "$W/out-pages" --pages-only
  run full "$B" -q build --root site -o "$W/out-full"
  run hugo hugo --quiet -s hugo -d "$W/out-hugo"
  run check "$B" -q check --root site
done
cat times.txt
rm -rf "$W"
