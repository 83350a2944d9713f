#!/usr/bin/env bash
# The queue API at 10,000 items (issue 7), through the release binary against the bench site
# (examples/bench_site.rs, a series `bench-big` of EPISODES episodes in SEASONS seasons, added
# to the library first so the queue knows its episodes; 10 × 1,000 by default, as one season
# page of 10,000 episodes is more than the 8 MiB the catalogue adapter reads of a page):
#   - idle RSS of the server with 10,000 pending items (queue stopped), and after a restart on
#     the same data dir, against the same server before anything was queued; goal ≤ 80 MiB;
#   - POST /api/queue/add with all 10,000 episodes in one request (goal ≤ 1 s) and
#     POST /api/queue/reorder with all 10,000 ids, reversed (goal ≤ 200 ms), median of RUNS,
#     each run on an emptied queue (DELETE /api/queue/pending between runs); for scale, the
#     same requests with one episode / one id.
# Requests are timed in Python from sending the request to the whole answer read, one new
# connection per request (as curl does). Needs: python3. Usage: benches/queue_api.sh [runs]
source "$(dirname "$0")/queue_common.sh"
runs=${1:-5}
EPISODES=${EPISODES:-10000}
SEASONS=${SEASONS:-10}

build bench_site
start_site --mp4-mib 1 --hls-segments 2 --big-episodes "$EPISODES" --big-seasons "$SEASONS"
start_server
sleep 1
rss_start=$(rss_kib "$server_pid")
login
sleep 1
rss_empty=$(rss_kib "$server_pid")
t0=$(date +%s%N)
library bench-big
t1=$(date +%s%N)
echo "library: bench-big ($EPISODES episodes in $SEASONS seasons) added in $(((t1 - t0) / 1000000)) ms (catalogue fetch and parse included)"
sleep 1
rss_library=$(rss_kib "$server_pid")

driver() {
  python3 - "$base" "$token" "$site_json" "$@" <<'PY'
import http.client, json, statistics, sys, time
base, token, site, mode = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), sys.argv[4]
host, port = base.split("//")[1].split(":")

def call(method, path, body=None, want=None):
    payload = None if body is None else json.dumps(body).encode()
    c = http.client.HTTPConnection(host, int(port), timeout=600)
    t0 = time.perf_counter()
    c.request(method, path, body=payload,
              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    took = time.perf_counter() - t0
    c.close()
    if want is not None and r.status != want:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return took, (json.loads(data) if data else None)

episodes = [{"season": s, "episode": e} for s, count in site["big_seasons"]
            for e in range(1, count + 1)]
n = len(episodes)

def add(eps):
    took, answer = call("POST", "/api/queue/add", {"serie_id": "bench-big", "episodes": eps,
                                                    "priority": "NORMAL"}, want=201)
    if len(answer["added_items"]) != len(eps) or answer["failed_items"]:
        sys.exit(f"added {len(answer['added_items'])} of {len(eps)}: {answer['failed_items'][:3]}")
    return took, answer["added_items"]

if mode == "fill":
    took, ids = add(episodes)
    print(f"queue filled: {len(ids)} items in {took * 1000:.0f} ms")
    sys.exit()
if mode == "check":
    _, status = call("GET", "/api/queue/status", want=200)
    s = status["status"]
    print(f"after the restart: {len(s['pending_queue'])} pending, running={s['is_running']}")
    sys.exit()

call("DELETE", "/api/queue/pending", want=200)
adds, reorders, clears, add1, reorder1 = [], [], [], [], []
for _ in range(runs := int(sys.argv[5])):
    took, ids = add(episodes)
    adds.append(took)
    took, _ = call("POST", "/api/queue/reorder", {"item_ids": ids[::-1]}, want=200)
    reorders.append(took)
    _, status = call("GET", "/api/queue/status", want=200)
    pending = [i["id"] for i in status["status"]["pending_queue"]]
    if pending != ids[::-1]:
        sys.exit("the pending queue is not in the reordered order")
    took, _ = call("POST", "/api/queue/reorder", {"item_ids": [ids[0]]}, want=200)
    reorder1.append(took)
    took, _ = call("DELETE", "/api/queue/pending", want=200)
    clears.append(took)
    took, one = add(episodes[:1])
    add1.append(took)
    call("DELETE", "/api/queue/pending", want=200)

def line(label, samples, goal=""):
    ms = [s * 1000 for s in samples]
    print(f"  {label:<44} median {statistics.median(ms):8.1f} ms  (min {min(ms):.1f}, "
          f"max {max(ms):.1f}; n={len(ms)}){goal}")

print(f"queue API with {n} items, runs on an emptied queue:")
line(f"POST /api/queue/add, {n} episodes", adds, "  goal <= 1000 ms")
line(f"POST /api/queue/reorder, {n} ids", reorders, "  goal <= 200 ms")
line(f"DELETE /api/queue/pending, {n} items", clears)
line("POST /api/queue/add, 1 episode", add1)
line(f"POST /api/queue/reorder, 1 id of {n}", reorder1)
PY
}

driver fill
sleep 2
rss_full=$(rss_kib "$server_pid")
stop_server
start_server
sleep 2
rss_restart=$(rss_kib "$server_pid")
login
sleep 1
rss_restart_login=$(rss_kib "$server_pid")
driver check
mib() { python3 -c "print(f'{$1 / 1024:.1f}')"; }
echo "idle RSS (VmRSS; goal <= 80 MiB with $EPISODES items):"
echo "  fresh server, before any request:              $(mib "$rss_start") MiB"
echo "  fresh server after setup + login (argon2):     $(mib "$rss_empty") MiB"
echo "  with bench-big in the library:                 $(mib "$rss_library") MiB"
echo "  with $EPISODES pending items, queue stopped:    $(mib "$rss_full") MiB"
echo "  restarted on the same data dir, no request:    $(mib "$rss_restart") MiB"
echo "  restarted, after a login:                      $(mib "$rss_restart_login") MiB"
driver runs "$runs"
