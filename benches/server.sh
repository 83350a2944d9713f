#!/usr/bin/env bash
# Whole-process figures of the release binary (issue 2):
#   - time from exec to the first 200 of GET /health (median of 20 starts);
#   - idle RSS after start;
#   - requests/s of authenticated GET /api/config vs unauthenticated GET /health, 64
#     connections, rate limit off, measured back to back in the same run (the ratio is
#     the figure; absolute numbers move with the machine).
# Needs: wrk and python3. Usage: benches/server.sh [seconds-per-wrk-run]
# BIN=<binary> measures another build (e.g. the static one of the container) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; fi
bin=${BIN:-target/release/aniworld}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18765

python3 - "$bin" "$work" "$port" <<'PY'
import http.client, os, statistics, subprocess, sys, time
binary, work, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
samples = []
for i in range(20):
    data = os.path.join(work, f"start{i}")
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--port", str(port), "--data-dir", data],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.0005)
    samples.append((time.perf_counter() - t0) * 1000)
    p.terminate(); p.wait()
print(f"exec to first 200 of /health: median {statistics.median(samples):.1f} ms "
      f"(min {min(samples):.1f}, max {max(samples):.1f}, n={len(samples)}; goal <= 100 ms)")
PY

"$bin" serve --port "$port" --data-dir "$work/data" --rate-limit 0 >"$work/server.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.05; done
sleep 1
rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "idle RSS after start: $((rss_kib / 1024)) MiB (${rss_kib} KiB; goal <= 20 MiB)"

curl -sf -X POST "http://127.0.0.1:$port/api/auth/setup" -H 'Content-Type: application/json' \
  -d '{"master_password":"Bench!pass1"}' >/dev/null
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"password":"Bench!pass1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

run() { wrk -t2 -c64 -d"${secs}s" --latency "$@" | tee -a "$work/wrk.log" | awk '/Requests\/sec/ {print $2}'; }
health=$(run "http://127.0.0.1:$port/health")
config=$(run -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/config")
health2=$(run "http://127.0.0.1:$port/health")
grep -E "99%" "$work/wrk.log" | sed 's/^/  p99 latency: /'
python3 - "$health" "$config" "$health2" <<'PY'
import sys
h1, c, h2 = map(float, sys.argv[1:])
h = (h1 + h2) / 2
print(f"GET /health (no auth): {h1:.0f} and {h2:.0f} req/s (mean {h:.0f})")
print(f"GET /api/config (bearer JWT): {c:.0f} req/s")
print(f"ratio config/health: {c / h:.2f} (goal >= 0.8)")
PY
rss_kib=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "RSS after the load: $((rss_kib / 1024)) MiB"
