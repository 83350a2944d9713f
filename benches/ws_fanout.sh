#!/usr/bin/env bash
# WebSocket fan-out of the release binary (issue 7): CLIENTS connections (default 1,000) in
# the downloads room, RATE events a second (default 10) for SECS seconds (default 60), made
# with POST /api/queue/reorder on two pending items (each publishes one queue_status); the
# load client is examples/ws_load.rs. Figures: the delivery ratio (queue_status messages
# received / events × clients) and the server's CPU (utime + stime from /proc/<pid>/stat over
# the publishing window, % of one core). For scale, the same run with one client first.
# The machine's cores are shared by the load client and the server.
# Usage: benches/ws_fanout.sh
source "$(dirname "$0")/queue_common.sh"
CLIENTS=${CLIENTS:-1000}
RATE=${RATE:-10}
SECS=${SECS:-60}
ulimit -n "$(ulimit -Hn)"

build bench_site ws_load
start_site --mp4-mib 1 --hls-segments 2 --big-episodes 2 --big-seasons 1
start_server
login
library bench-big
ids=$(api POST /api/queue/add '{"serie_id":"bench-big","episodes":[{"season":1,"episode":1},{"season":1,"episode":2}]}' |
  python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["added_items"]))')

load() {
  "$tools/ws_load" --server "$base" --token "$token" --items "$ids" --pid "$server_pid" \
    --rate "$RATE" "$@"
}
summary() {
  python3 -c "$(cat <<'PY'
import json, sys
s = json.loads(sys.stdin.read())
print(f"  {s['joined']} clients joined in {s['connect_secs']} s; {s['events_published']} events "
      f"in {s['window_secs']} s ({s['events_per_sec']}/s), slowest reorder {s['slowest_reorder_ms']} ms")
print(f"  queue_status received {s['messages_received']:,} of {s['messages_expected']:,} expected: "
      f"delivery ratio {s['delivery_ratio']:.4f}; dropped reported by the server: {s['dropped_reported']}")
print(f"  delivery latency p50 {s['latency_ms_p50']} ms, p99 {s['latency_ms_p99']} ms, "
      f"max {s['latency_ms_max']} ms")
print(f"  server CPU {s['server_cpu_percent_of_one_core']:.1f} % of one core; "
      f"load client {s['load_client_cpu_percent_of_one_core']:.1f} %; "
      f"server RSS with every client connected {s['server_rss_mib_connected']} MiB")
PY
)"
}
echo "baseline: 1 client, $RATE events/s for 10 s"
load --clients 1 --secs 10 | tee "$work/one.json" | summary
echo "$CLIENTS clients, $RATE events/s for $SECS s"
load --clients "$CLIENTS" --secs "$SECS" | tee "$work/many.json" | summary
echo "server RSS after the clients left: $(($(rss_kib "$server_pid") / 1024)) MiB"
echo "raw: $(cat "$work/many.json")"
