#!/usr/bin/env bash
# Load and soak of the release binary (hardening issue): for SECONDS (default 600), all at once,
#   - three wrk processes (benches/soak.lua), CONNS connections each (default 16):
#     GET /api/queue/status, GET /api/anime?per_page=100 (rotating pages) and
#     GET /api/anime/search?query=… (rotating queries, each answered by the catalogue site);
#   - CLIENTS WebSocket clients (default 100) in the downloads room, counting every message
#     (examples/ws_load.rs --listen);
#   - downloads the whole time: bench-media S01E01 (a direct MP4 of MP4_MIB MiB, default 32)
#     and S01E02 (HLS, SEGMENTS × 188,000 bytes, default 60) at parallel_downloads 2 under a
#     shared bandwidth_limit_kbps of BANDWIDTH_KIB (default 4096); every completed item is
#     checked (size), its file deleted, the item removed from the history and the episode
#     added again (benches/soak.py drive);
# on a library of SERIES series (default 300, EPISODES episodes each, half of them on disk)
# known by their sidecars. Before the load, PREFILL events (default 4,096, the size of the
# server's replay buffer; 0 = none) fill the buffer of recent events, which otherwise fills
# during the first ~11 minutes at this event rate and shows as RSS growth. Every 10 s: the
# server's VmRSS, open fds, threads, CPU, the replay buffer and the downloads so far (a table,
# and CSV to OUT, default target/soak.csv). At the end: requests and req/s per endpoint
# against GET /health with the same three wrk (BASELINE_SECS, default 10, before the soak,
# same run), p50/p99, socket errors and non-2xx answers, WebSocket messages and disconnects,
# downloads completed and failed, RSS after warm-up (WARMUP seconds, default a tenth of the
# run) vs last vs max, fds min/max. Exits non-zero on any error, non-2xx, disconnect or
# failed download, on RSS growth after warm-up (means of the first and the last minute) over
# RSS_GROWTH_MAX % (default 10) and on fd growth.
# Needs: wrk (installed with apt-get when missing), python3.
# Usage: benches/soak.sh [seconds]
source "$(dirname "$0")/queue_common.sh"
secs=${1:-600}
SERIES=${SERIES:-300}
EPISODES=${EPISODES:-24}
CLIENTS=${CLIENTS:-100}
CONNS=${CONNS:-16}
BASELINE_SECS=${BASELINE_SECS:-10}
WARMUP=${WARMUP:-$((secs / 10))}
MP4_MIB=${MP4_MIB:-32}
SEGMENTS=${SEGMENTS:-60}
BANDWIDTH_KIB=${BANDWIDTH_KIB:-4096}
PREFILL=${PREFILL:-4096}
OUT=${OUT:-$target/soak.csv}
ulimit -n "$(ulimit -Hn)"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null

build bench_site ws_load
start_site --mp4-mib "$MP4_MIB" --hls-segments "$SEGMENTS" --segment-latency-ms 0 \
  --big-episodes 2 --big-seasons 1 --library-series "$SERIES" --library-episodes "$EPISODES"
sidecars "$work/anime" "$site" "$SERIES" "$EPISODES"
start_server
login
library bench-media
python3 benches/soak.py wait-library "$base" "$token" $((SERIES + 1))
api PUT /api/config "{\"downloads\":{\"preferred_hosters\":[\"Vidoza\",\"Vidmoly\"],\"parallel_downloads\":2,\"segment_concurrency\":4,\"bandwidth_limit_kbps\":$BANDWIDTH_KIB}}" >/dev/null
echo "library: $((SERIES + 1)) series; server RSS $(($(rss_kib "$server_pid") / 1024)) MiB"
if [ "$PREFILL" -gt 0 ]; then
  python3 benches/soak.py prefill "$base" "$token" "$PREFILL"
  echo "replay buffer filled with $PREFILL events (queue start/stop); server RSS $(($(rss_kib "$server_pid") / 1024)) MiB"
fi

# load NAME SECONDS PATH...: one wrk in the background, its output in $work/NAME.wrk.
load() {
  local name=$1 d=$2
  shift 2
  wrk -t1 -c"$CONNS" -d"${d}s" --timeout 10s -s benches/soak.lua \
    -H "Authorization: Bearer $token" "$base" -- "$@" >"$work/$name.wrk" 2>&1 &
}
pages=() queries=()
for p in $(seq 1 $(((SERIES + 1 + 99) / 100))); do pages+=("/api/anime?per_page=100&page=$p"); done
for q in series%201 series%207 series%2042 series%20123 series%20250 bench bench%20media nothing%20here; do
  queries+=("/api/anime/search?query=$q")
done

echo "baseline: GET /health, 3 × wrk -t1 -c$CONNS for $BASELINE_SECS s"
baseline=()
for i in 1 2 3; do
  load "health-$i" "$BASELINE_SECS" /health
  baseline+=($!)
done
wait "${baseline[@]}"

echo "soak: $secs s (warm-up $WARMUP s), samples every 10 s into $OUT"
rm -f "$work/stop" "$OUT"
python3 benches/soak.py drive "$base" "$token" "$server_pid" "$work/anime" "$OUT" "$work/stop" \
  "$MP4_MIB" "$SEGMENTS" >"$work/drive.json" &
driver=$!
until [ -f "$OUT" ] && [ "$(wc -l <"$OUT")" -ge 2 ]; do
  kill -0 "$driver" 2>/dev/null || exit 1
  sleep 0.1
done
"$tools/ws_load" --listen --server "$base" --token "$token" --pid "$server_pid" \
  --clients "$CLIENTS" --secs "$secs" --grace-secs 0 >"$work/ws.json" 2>"$work/ws.log" &
ws=$!
sleep 2
soak=()
load status "$secs" /api/queue/status
soak+=($!)
load list "$secs" "${pages[@]}"
soak+=($!)
load search "$secs" "${queries[@]}"
soak+=($!)
wait "${soak[@]}"
wait "$ws"
touch "$work/stop"
wait "$driver"
kill -0 "$server_pid" 2>/dev/null || { echo "the server died" >&2; tail -20 "$work/server.log" >&2; exit 1; }

python3 benches/soak.py report "$work" "$OUT" "$WARMUP" "$secs" "$CONNS" "$CLIENTS"
