#!/usr/bin/env bash
# Floods `pactgen serve` on loopback with wrk while a record is edited every 250 ms, and reports
# requests, failures and the server's memory before and after.
#
#   scripts/flood.sh              # the bundled site, 2 × 10 s at 50 connections
#   FLOOD_SECONDS=5 scripts/flood.sh
#
# Needs wrk (Debian: apt-get install -y wrk). Installs nothing; works on a copy of the site.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_EACH=${FLOOD_SECONDS:-10}
PORT=${FLOOD_PORT:-18111}
command -v wrk >/dev/null || { echo "flood.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
cargo build --release --quiet --bin pactgen --manifest-path "$ROOT/Cargo.toml"
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cp -r "$ROOT/content" "$ROOT/themes" "$WORK/"
"$ROOT/target/release/pactgen" serve --root "$WORK" --port "$PORT" >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 50); do grep -q "Serving" "$WORK/serve.log" && break; sleep 0.2; done
grep "Serving" "$WORK/serve.log"
cat >"$WORK/paths.lua" <<'LUA'
-- Nine pages and files that exist, one that does not (404 expected: a tenth of the requests).
local paths = {"/", "/commitments/", "/commitments/200005/", "/transformations/3a/",
  "/initiatives/hdx/", "/style.css", "/search/", "/data/commitments.json",
  "/commitments/200005/index.json", "/no/such/page/"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
rss() { ps -o rss= -p "$PID" | tr -d ' '; }
echo "server RSS before: $(rss) KiB"
(
    end=$((SECONDS + 2 * SECONDS_EACH + 2))
    i=0
    while ((SECONDS < end)); do
        i=$((i + 1))
        printf '# edit %s\n' "$i" >>"$WORK/content/commitments/200005.yaml"
        sleep 0.25
    done
) &
EDITOR_PID=$!
for round in 1 2; do
    wrk -t2 -c50 -d"${SECONDS_EACH}s" -s "$WORK/paths.lua" "http://127.0.0.1:$PORT/" |
        grep -E "requests in|Non-2xx|Socket errors|Requests/sec"
    echo "server RSS after round $round: $(rss) KiB"
done
wait "$EDITOR_PID" || true
echo "rebuilds during the flood: $(grep -c '^Rebuilt' "$WORK/serve.log" || true)"
