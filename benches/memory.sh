#!/usr/bin/env bash
# Memory at scale (issue 11): the server's RSS with a 10,000-series library and 10,000 queue
# items, through the release binary. The fake catalogue (examples/fake_site.rs) serves SERIES
# series of EPISODES episodes; the library on disk holds FILES episode files of each series
# plus its sidecar; the server learns the library from the sidecars (POST
# /api/config/directory) and asks the catalogue about every series; then every series' first
# missing episode is queued (queue stopped), one POST /api/queue/add a series.
# VmRSS is read after each step once the server has been idle for a second.
#   CACHE_MINUTES=0   provider.cache_minutes before the import (default: the default, 10)
#   PROFILE=dhat      a heap profile: the server built with the `dhat-heap` feature (build
#                     profile `profiling`, symbols kept) records every allocation's stack;
#                     at the end it is stopped and the bytes live at the heap's peak are
#                     summed by where they were allocated (the innermost aniworld frame, and
#                     the crate below it), DHAT_OUT=FILE keeps the profile
# Needs: python3.
# Usage: benches/memory.sh            SERIES=10000 EPISODES=51 FILES=50
set -euo pipefail
cd "$(dirname "$0")/.."
SERIES=${SERIES:-10000}
EPISODES=${EPISODES:-51}
FILES=${FILES:-50}
profile=${PROFILE:-}
if [ "$profile" = dhat ]; then
  cargo build --profile profiling --features dhat-heap --quiet --bin aniworld --example fake_site
  bin=target/profiling/aniworld
  site_bin=target/profiling/examples/fake_site
else
  cargo build --release --quiet --bin aniworld --example fake_site
  bin=target/release/aniworld
  site_bin=target/release/examples/fake_site
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=${PORT:-18768}
base="http://127.0.0.1:$port"

"$site_bin" "$SERIES" "$EPISODES" >"$work/site.url" &
until [ -s "$work/site.url" ]; do sleep 0.05; done
site=$(head -1 "$work/site.url")

python3 benches/library_dirs.py "$work/anime" "$site" "$SERIES" "$FILES"
echo "library on disk: $SERIES series, $FILES files each; catalogue: $EPISODES episodes each"

if curl -s "$base/health" >/dev/null; then
  echo "port $port is in use (another benchmark?); set PORT" >&2
  exit 1
fi
launch=("$bin" serve --port "$port" --data-dir "$work/data" --rate-limit 0 --provider-url "$site")
DHAT_FILE=${DHAT_OUT:-$work/dhat.json} "${launch[@]}" >"$work/server.log" 2>&1 &
pid=$!
until curl -sf "$base/health" >/dev/null; do sleep 0.05; done

rss() { sleep 1; awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
echo "fresh server: $(rss)"

python3 - "$base" "$work/anime" "$SERIES" "${CACHE_MINUTES:-}" "$pid" <<'PY'
import http.client, json, sys, time
base, anime, n, cache, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
host, port = base.split("//")[1].split(":")
conn = http.client.HTTPConnection(host, int(port), timeout=600)
token = None

def call(method, path, body=None, want=200):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != want:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None

def rss():
    time.sleep(1)
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return f"{int(line.split()[1]) / 1024:.1f} MiB"

call("POST", "/api/auth/setup", {"master_password": "Bench!pass1"}, want=201)
token = call("POST", "/api/auth/login", {"password": "Bench!pass1"})["access_token"]
if cache:
    call("PUT", "/api/config", {"provider": {"cache_minutes": int(cache)}})
    print(f"provider.cache_minutes = {cache}")
print(f"after setup + login: {rss()}")
t0 = time.time()
call("POST", "/api/config/directory", {"directory": anime})
while True:
    pages = (n + 999) // 1000
    last = call("GET", f"/api/anime?per_page=1000&page={pages}")
    if len(last) == n - 1000 * (pages - 1):
        break
    if time.time() - t0 > 900:
        sys.exit("the import did not finish within 900 s")
    time.sleep(0.5)
print(f"imported {n} series in {time.time() - t0:.1f} s: {rss()}")
t0 = time.time()
for i in range(1, n + 1):
    answer = call("POST", "/api/queue/add", {"serie_id": f"series-{i}",
                  "episodes": [{"season": 1, "episode": 51}], "priority": "NORMAL"}, want=201)
    if len(answer["added_items"]) != 1:
        sys.exit(f"series-{i}: {answer}")
print(f"queued {n} items in {time.time() - t0:.1f} s: {rss()}")
status = call("GET", "/api/queue/status")["status"]
assert len(status["pending_queue"]) == n and not status["is_running"], status["statistics"]
print(f"after GET /api/queue/status ({n} pending, queue stopped): {rss()}")
PY
grep -i -E "warn|error" "$work/server.log" | head -5 || true
echo "database file: $(du -h "$work"/data/*.redb | cut -f1)"

if [ "$profile" = dhat ]; then
  kill -TERM "$pid"
  wait "$pid" || true
  python3 - "${DHAT_OUT:-$work/dhat.json}" <<'PY'
import collections, json, re, sys
d = json.load(open(sys.argv[1]))
frames, pps = d["ftbl"], d["pps"]
peak = sum(pp["gb"] for pp in pps)
# Our frames name files under src/; a dependency's name its crate and version.
OURS = re.compile(r"\((?:src/)?(adapters|app|domain|ports|wiring|main|lib)[/.][^)]*\)$")
CRATE = re.compile(r"\(([A-Za-z_][A-Za-z0-9_-]*?)-\d+\.\d+\.\d+[^/]*/")

def ours(pp):
    for i in pp["fs"]:
        if OURS.search(frames[i]):
            f = re.sub(r"^0x[0-9a-f]+: ", "", frames[i])
            return re.sub(r"^(\S+) \((.*)\)$", r"\2 \1", f)[:100]
    return "(no frame of ours)"

def crate(pp):
    for i in pp["fs"][1:]:
        if OURS.search(frames[i]):
            return "aniworld"
        m = CRATE.search(frames[i])
        if m and m.group(1) != "dhat":
            return m.group(1)
    return "?"

by_site, by_crate = collections.Counter(), collections.Counter()
for pp in pps:
    by_site[(ours(pp), crate(pp))] += pp["gb"]
    by_crate[crate(pp)] += pp["gb"]
print(f"heap at its peak: {peak / 2**20:.1f} MiB; by the crate allocating: "
      + ", ".join(f"{c} {b / 2**20:.1f}" for c, b in by_crate.most_common(6)))
print("by the innermost frame of ours [the crate allocating]:")
for (where, c), b in by_site.most_common(20):
    print(f"  {b / 2**20:6.2f} MiB {b / peak:6.1%}  [{c}] {where}")
PY
fi
