#!/usr/bin/env bash
# Sonarr's protocols through the release binary (issue 19), against the fake site
# (examples/fake_site.rs, debug build: it answers at once, so "uncached" counts the product's
# own work and the loopback round trips, not a real site's latency):
#   - Torznab tvsearch (q = a series' name, season=1: its 12 episodes, each episode page read
#     for its languages), median of RUNS: uncached (each a series not asked before) against
#     the same query answered again (the catalogue's page cache and the language cache);
#   - torrents/info with 1,000+ items Sonarr added (84 series × 12 episodes, one language,
#     queue stopped): requests per second and p99 with wrk (2 threads, 8 connections, 10 s),
#     against the product's own GET /api/queue/status of the same items in the same run.
# Needs python3 and wrk. Usage: benches/arr.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-25}
series=84
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/aniworld}
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin aniworld
cargo build --quiet --example fake_site
work=$(mktemp -d)
cleanup() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data" "$work/anime"
"$target/debug/examples/fake_site" "$series" 12 >"$work/site.url" 2>"$work/site.log" &
for _ in $(seq 200); do [ -s "$work/site.url" ] && break; sleep 0.05; done
site=$(head -n1 "$work/site.url")
port=${PORT:-18768}
base="http://127.0.0.1:$port"
"$bin" serve --port "$port" --data-dir "$work/data" --provider-url "$site" --rate-limit 0 >"$work/server.log" 2>&1 &
for _ in $(seq 400); do curl -sf "$base/health" >/dev/null && break; sleep 0.05; done
json='Content-Type: application/json'
curl -sf -X POST "$base/api/auth/setup" -H "$json" \
  -d "{\"master_password\":\"Bench!pass1\",\"anime_directory\":\"$work/anime\"}" >/dev/null
token=$(curl -sf -X POST "$base/api/auth/login" -H "$json" -d '{"password":"Bench!pass1"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
key=$(curl -sf -X POST "$base/api/keys" -H "$json" -H "Authorization: Bearer $token" \
  -d '{"name":"bench","scopes":["download"]}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')

sid=$(python3 - "$base" "$key" "$runs" "$series" <<'PY'
import http.client, re, statistics, sys, time, urllib.parse
base, key, runs, series = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
host, port = base.split("//")[1].split(":")

def call(method, path, body=None, headers=None):
    c = http.client.HTTPConnection(host, int(port), timeout=120)
    t0 = time.perf_counter()
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    took = time.perf_counter() - t0
    c.close()
    if r.status != 200:
        sys.exit(f"{method} {path}: {r.status} {data[:200]!r}")
    return took, data.decode(), r

def tvsearch(i):
    q = urllib.parse.quote(f"Series {i}")
    took, rss, _ = call("GET", f"/torznab/api?t=tvsearch&q={q}&season=1&apikey={key}")
    items = rss.count("<item>")
    if items < 12:
        sys.exit(f"Series {i}: {items} items")
    return took, rss

uncached = [tvsearch(i)[0] for i in range(1, runs + 1)]
cached = [tvsearch(1)[0] for _ in range(runs)]
u, c = statistics.median(uncached) * 1000, statistics.median(cached) * 1000
print(f"tvsearch (12 episodes): uncached median {u:.1f} ms, cached median {c:.2f} ms: "
      f"cached = {c / u:.3f}× uncached ({u / c:.0f}× faster)", file=sys.stderr)

_, _, r = call("POST", "/api/v2/auth/login", f"username=b&password={key}",
               {"Content-Type": "application/x-www-form-urlencoded"})
sid = r.getheader("Set-Cookie").split(";")[0]
total = 0
for i in range(1, series + 1):
    _, rss = tvsearch(i)
    magnets = [m.replace("&amp;", "&") for m in re.findall(r'<enclosure url="([^"]+)"', rss)]
    magnets = [m for m in magnets if ".German.DL." in m]
    body = urllib.parse.urlencode({"urls": "\n".join(magnets), "category": "tv-sonarr"})
    _, answer, _ = call("POST", "/api/v2/torrents/add", body,
                        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": sid})
    if answer != "Ok.":
        sys.exit(f"add: {answer}")
    total += len(magnets)
took, info, _ = call("GET", "/api/v2/torrents/info", headers={"Cookie": sid})
hashes = info.count('"hash"')
print(f"torrents/info: {hashes} items ({total} added), {len(info) / 1024:.0f} KiB, one answer in {took * 1000:.1f} ms", file=sys.stderr)
print(sid)
PY
)
echo "== wrk torrents/info (SID cookie)"
wrk -t2 -c8 -d10s --latency -H "Cookie: $sid" "$base/api/v2/torrents/info" | grep -E 'Requests/sec|99%|50%'
echo "== wrk baseline: GET /api/queue/status (bearer token), the same items"
wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $token" "$base/api/queue/status" | grep -E 'Requests/sec|99%|50%'
