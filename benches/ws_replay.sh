#!/usr/bin/env bash
# Events that survive a reconnect (issue 10): the release binary's buffer of recent events,
# filled with queue start/stop events (examples/ws_replay.rs): its memory at the size limit
# (VmRSS and the server's own accounting in /ws/status, empty vs full vs after two more
# buffers' worth), and how fast a client reconnecting with since=<oldest kept - 1> is
# replayed the whole buffer (handshake to the replay's closing system_info; median of 5).
# Usage: benches/ws_replay.sh
source "$(dirname "$0")/queue_common.sh"
build ws_replay
site=http://127.0.0.1:9
start_server
login
"$tools/ws_replay" --server "$base" --token "$token" --pid "$server_pid" | tee "$work/replay.json" |
  python3 -c "$(cat <<'PY'
import json, sys
s = json.loads(sys.stdin.read())
full, more = s["buffer_full"], s["buffer_after_more"]
print(f"  buffer full: {full['events']} events, {full['bytes']:,} bytes accounted "
      f"(limits {full['max_events']} events / {full['max_bytes']:,} bytes); after 2 more buffers' "
      f"worth: {more['events']} events, {more['bytes']:,} bytes")
print(f"  server VmRSS: {s['rss_kib_empty']} KiB (20 events) -> {s['rss_kib_full']} KiB (full) "
      f"-> {s['rss_kib_after_more']} KiB (after more): +{s['rss_growth_kib_to_full']} KiB to fill it")
print(f"  replay of the whole buffer: median {s['events_per_sec_median']:,.0f} events/s, "
      f"best {s['events_per_sec_best']:,.0f}; runs: " +
      ", ".join(f"{r['events']} in {r['secs']*1000:.1f} ms" for r in s["replays"]))
PY
)"
