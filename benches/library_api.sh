#!/usr/bin/env bash
# GET /api/anime?per_page=100 on a 2,000-series library (issue 4), through the release
# binary: a fake catalogue site (examples/fake_site.rs) serves SERIES series of EPISODES
# episodes, the library holds half of each series' files, the server learns the library from
# the sidecars (POST /api/config/directory) and asks the catalogue about each series; then wrk
# measures the list endpoint at 64 connections (rate limit off) against GET /health in the
# same run. Goal: >= 10,000 req/s on a 2-core machine; p99 reported.
# Needs: wrk, python3. Usage: benches/library_api.sh [seconds-per-wrk-run]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
SERIES=${SERIES:-2000}
EPISODES=${EPISODES:-50}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet --bin aniworld --example fake_site
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18766

target/release/examples/fake_site "$SERIES" "$EPISODES" >"$work/site.url" &
until [ -s "$work/site.url" ]; do sleep 0.05; done
site=$(head -1 "$work/site.url")

echo "generating $SERIES series folders with $((EPISODES / 2)) of $EPISODES episode files each"
python3 benches/library_dirs.py "$work/anime" "$site" "$SERIES" $((EPISODES / 2))

target/release/aniworld serve --port "$port" --data-dir "$work/data" --rate-limit 0 \
  --provider-url "$site" >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/health" >/dev/null; do sleep 0.05; done
curl -sf -X POST "$base/api/auth/setup" -H 'Content-Type: application/json' -d '{"master_password":"Bench!pass1"}' >/dev/null
token=$(curl -sf -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"password":"Bench!pass1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Bearer $token"
t0=$(date +%s%N)
curl -sf -X POST "$base/api/config/directory" -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"directory\":\"$work/anime\"}"; echo
# The catalogue lookups run in the background; wait until every series lists its missing half.
python3 - "$base" "$token" "$SERIES" <<'PY'
import json, sys, time, urllib.request
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.time() + 600
while True:
    req = urllib.request.Request(f"{base}/api/anime?per_page=1000&page=1", headers={"Authorization": f"Bearer {token}"})
    first = json.load(urllib.request.urlopen(req))
    req = urllib.request.Request(f"{base}/api/anime?per_page=1000&page={(n + 999) // 1000}", headers={"Authorization": f"Bearer {token}"})
    last = json.load(urllib.request.urlopen(req))
    listed = 1000 * ((n + 999) // 1000 - 1) + len(last) if len(first) == 1000 else len(first)
    if listed >= n:
        break
    if time.time() > deadline:
        sys.exit(f"only {listed} of {n} series listed after 600 s")
    time.sleep(0.5)
PY
t1=$(date +%s%N)
echo "library learnt from sidecars + catalogue: $SERIES series in $(((t1 - t0) / 1000000)) ms"
curl -sf "$base/api/anime?per_page=100&page=3" -H "$auth" | python3 -c 'import json,sys; d=json.load(sys.stdin); s=d[0]; print("page 3:", len(d), "series, first", s["key"], "missing", sum(len(v) for v in s["missing_episodes"].values()))'
rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "server RSS with the library loaded: $((rss_kib / 1024)) MiB"

run() { wrk -t2 -c64 -d"${secs}s" --latency "$@" >"$work/wrk.out"; awk '/Requests\/sec/ {print $2}' "$work/wrk.out"; awk '/ 99%/ {print $2}' "$work/wrk.out" >"$work/p99"; }
health=$(run "$base/health"); health_p99=$(cat "$work/p99")
list=$(run -H "$auth" "$base/api/anime?per_page=100"); list_p99=$(cat "$work/p99")
echo "GET /health: $health req/s (p99 $health_p99)"
echo "GET /api/anime?per_page=100: $list req/s (p99 $list_p99; goal >= 10,000 req/s)"
python3 -c "print(f'ratio list/health: {float(\"$list\") / float(\"$health\"):.2f}')"
