#!/usr/bin/env bash
# Connections (issue 20) through the release binary, against the fake site
# (examples/fake_site.rs, debug build; its episodes are 64 KiB MP4s on Vidoza):
#   - latency: SERIES library series × EPISODES episodes downloaded (parallel_downloads 2),
#     a Jellyfin connection and a webhook connection for `download`, both answered (200) by
#     one receiver in the measuring Python process. Per file, the time from its
#     `download_complete` (the event's `timestamp`, read on the WebSocket) to the first
#     request naming its path (Jellyfin: an `Updates[].Path` of `POST /Library/Media/Updated`;
#     webhook: `episodeFile.path`), taken with `time.time()` on arrival (same machine, same
#     clock): median, p99 (nearest rank), max; also from the WebSocket message's arrival.
#   - memory: VmRSS of the server with QUEUED episodes queued (queue stopped; 10 series of
#     QUEUED/10 episodes, not in the library, added CHUNK at a time), fresh data dir each run,
#     sampled every second for SETTLE s after the last add (figure: median of the last 5), and
#     again for RESTARTED s after a restart on the same data dir (the outbox read back from
#     the database, none of the adds' and retries' garbage):
#       plain   no connection;
#       outbox  one webhook for `grab`. While adding, its URL is the receiver answering 500, so
#               each message's first try (webhooks are sent at once) counts what the outbox
#               took, and the next add waits for it (the event bus keeps 1,024 events for a
#               slow subscriber); then its URL becomes http://127.0.0.1:9/hook (unreachable)
#               for the sampling and the restart. Checked: `last_error` of
#               GET /api/connections/ID, no "connections fell behind" in the log, and after
#               the restart every message delivered once the URL is the receiver answering
#               200 (at most DRAIN s: the retries back off 10 s doubling);
#       burst   the same connection unreachable from the start and 10 adds of QUEUED/10 as
#               fast as they answer: how many grab messages the outbox missed (the log's
#               "connections fell behind the events", missed=N).
# Needs python3 and curl. Usage: benches/connections.sh (SERIES=10 EPISODES=10 QUEUED=10000
# CHUNK=500 SETTLE=20 RESTARTED=10 DRAIN=300; LIMIT_KBPS=48 spreads the downloads out, one at a
# time; MEMORY=0 measures the latency only; BIN=<binary> skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
series=${SERIES:-10}
episodes=${EPISODES:-10}
queued=${QUEUED:-10000}
chunk=${CHUNK:-500}
settle=${SETTLE:-20}
restarted=${RESTARTED:-10}
drain=${DRAIN:-300}
limit=${LIMIT_KBPS:-0}
target=${CARGO_TARGET_DIR:-target}
bin=${BIN:-$target/release/aniworld}
[ -n "${BIN:-}" ] || cargo build --release --quiet --bin aniworld
cargo build --quiet --example fake_site
work=$(mktemp -d)
cleanup() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=${PORT:-18769}
base="http://127.0.0.1:$port"
json='Content-Type: application/json'

# start_site NAME SERIES EPISODES: the fake site; sets $site.
start_site() {
  "$target/debug/examples/fake_site" "$2" "$3" >"$work/$1.url" 2>"$work/$1.log" &
  for _ in $(seq 400); do [ -s "$work/$1.url" ] && break; sleep 0.05; done
  site=$(head -n1 "$work/$1.url")
}

# start_server NAME: the server on a fresh data dir and library, against $site; sets $pid
# and $token.
start_server() {
  mkdir -p "$work/$1/data" "$work/$1/anime"
  "$bin" serve --port "$port" --data-dir "$work/$1/data" --provider-url "$site" --rate-limit 0 \
    >"$work/$1/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do curl -sf "$base/health" >/dev/null && break; sleep 0.05; done
  curl -sf -X POST "$base/api/auth/setup" -H "$json" \
    -d "{\"master_password\":\"Bench!pass1\",\"anime_directory\":\"$work/$1/anime\"}" >/dev/null
  token=$(curl -sf -X POST "$base/api/auth/login" -H "$json" -d '{"password":"Bench!pass1"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -X POST "$base/api/config/directory" -H "$json" -H "Authorization: Bearer $token" \
    -d "{\"directory\":\"$work/$1/anime\"}" >/dev/null
}

stop_server() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# What both Python parts share: the API, a receiver, the log's warnings.
cat >"$work/common.py" <<'PY'
import http.client, http.server, json, re, sys, threading

def client(base, token):
    host, port = base.split("//")[1].split(":")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    def api(method, path, body=None):
        if body is None and method != "GET":
            body = {}
        c = http.client.HTTPConnection(host, int(port), timeout=120)
        c.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status >= 300:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None
    return host, int(port), api

def receiver(on_request):
    """An HTTP server on loopback; `on_request(path, body)` answers the status to send."""
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def handle_one(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(on_request(self.path, body))
            self.send_header("Content-Length", "0")
            self.end_headers()
        do_POST = do_GET = handle_one
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"

def log_warnings(path):
    """(tries refused, events the connections missed, events the history missed)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", open(path, errors="replace").read())
    missed = lambda what: sum(int(n) for n in re.findall(what + r".*?missed=(\d+)", text))
    return (text.count("a connection refused a message"),
            missed("connections fell behind the events"), missed("the history fell behind"))
PY

echo "== latency: download_complete → the media server's request ($series series × $episodes episodes)"
start_site latency "$series" "$episodes"
start_server latency
PYTHONPATH="$work" python3 - "$base" "$token" "$site" "$work/latency/anime" "$series" "$episodes" \
  "$work/latency/server.log" "$limit" <<'PY'
import base64, calendar, json, math, os, socket, statistics, struct, sys, threading, time
from common import client, receiver, log_warnings
base, token, site, anime = sys.argv[1:5]
nseries, neps, log, limit = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7], int(sys.argv[8])
host, port, api = client(base, token)

lock = threading.Lock()
requests = []        # (time.time(), path, body) as the receiver got them
completes = {}       # file (relative to the library) → (event timestamp, WebSocket arrival)
failures = []

def on_request(path, body):
    t = time.time()
    with lock:
        requests.append((t, path, body))
    return 200

rurl = receiver(on_request)

def event_time(stamp):
    """RFC 3339 (UTC, any fraction) → seconds since the epoch."""
    whole, _, frac = stamp.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (frac or "0"))

# A minimal WebSocket client (RFC 6455) over a socket: text frames in, pongs out.
def ws_reader(path):
    s = socket.create_connection((host, port))
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
              f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
              f"Sec-WebSocket-Version: 13\r\n\r\n".encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    head, buf = buf.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        sys.exit(f"WebSocket refused: {head[:200]!r}")
    ready.set()
    def need(n):
        nonlocal buf
        while len(buf) < n:
            chunk = s.recv(65536)
            if not chunk:
                raise EOFError
            buf += chunk
    text = b""
    while True:
        need(2)
        op, n, off = buf[0] & 0x0F, buf[1] & 0x7F, 2
        if n == 126:
            need(4)
            n, off = struct.unpack(">H", buf[2:4])[0], 4
        elif n == 127:
            need(10)
            n, off = struct.unpack(">Q", buf[2:10])[0], 10
        need(off + n)
        fin, payload, buf = buf[0] & 0x80, buf[off:off + n], buf[off + n:]
        t = time.time()
        if op == 9:  # ping → pong, masked with zeros
            s.sendall(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
            continue
        if op == 8:
            return
        if op in (0, 1):
            text += payload
            if not fin:
                continue
            m, text = json.loads(text), b""
            if m.get("type") == "download_complete":
                with lock:
                    completes.setdefault(m["data"]["file"], (event_time(m["timestamp"]), t))
            elif m.get("type") == "download_failed":
                failures.append(m["data"])

ready = threading.Event()
threading.Thread(target=ws_reader, args=(f"/ws/connect?token={token}&rooms=downloads",),
                 daemon=True).start()
if not ready.wait(10):
    sys.exit("no WebSocket")

keys = [f"series-{i}" for i in range(1, nseries + 1)]
for key in keys:
    api("POST", "/api/anime/add", {"link": f"{site}/anime/stream/{key}"})
downloads = {"preferred_hosters": ["Vidoza"], "parallel_downloads": 2}
if limit:
    downloads.update(parallel_downloads=1, bandwidth_limit_kbps=limit)
api("PUT", "/api/config", {"downloads": downloads})
api("POST", "/api/connections", {"name": "Jellyfin", "kind": "jellyfin", "enabled": True,
    "events": ["download"], "settings": {"server": rurl, "api_key": "x", "path_mappings": []}})
api("POST", "/api/connections", {"name": "Hook", "kind": "webhook", "enabled": True,
    "events": ["download"], "settings": {"url": f"{rurl}/hook"}})
api("POST", "/api/queue/stop")
for i, key in enumerate(keys, 1):
    eps = [{"season": 1, "episode": e} for e in range(1, neps + 1)]
    added = api("POST", "/api/queue/add", {"serie_id": key, "serie_folder": f"Series {i}",
                                          "serie_name": f"Series {i}", "episodes": eps})
    if len(added["added_items"]) != neps:
        sys.exit(f"{key}: {added}")
total = nseries * neps
t0 = time.time()
api("POST", "/api/queue/start")

def first(kind):
    """file → (time of the first request of `kind` naming it, how often it was named);
    and the number of requests of that kind."""
    with lock:
        got = list(requests)
    times, n = {}, 0
    for t, path, body in got:
        b = json.loads(body)
        if kind == "jellyfin" and path == "/Library/Media/Updated":
            paths = [u["Path"] for u in b["Updates"]]
        elif kind == "webhook" and path == "/hook" and b.get("eventType") == "Download":
            paths = [b["episodeFile"]["path"]]
        else:
            continue
        n += 1
        for p in paths:
            f = os.path.relpath(p, anime)
            at, named = times.get(f, (t, 0))
            times[f] = (at, named + 1)
    return times, n

deadline = time.time() + 180
while True:
    with lock:
        done = len(completes)
    jf, wh = first("jellyfin")[0], first("webhook")[0]
    if done >= total and len(jf) >= total and len(wh) >= total:
        break
    if failures:
        sys.exit(f"a download failed: {failures[0]}")
    if time.time() > deadline:
        sys.exit(f"timed out: {done} completed, {len(jf)} told to Jellyfin, {len(wh)} to the webhook")
    time.sleep(0.1)
took = max(c[0] for c in completes.values()) - t0
time.sleep(4)  # anything sent twice would come now
print(f"{total} downloads in {took:.2f} s (queue start → last download_complete)", file=sys.stderr)

def p99(xs):
    xs = sorted(xs)
    return xs[math.ceil(0.99 * len(xs)) - 1]

for kind in ("jellyfin", "webhook"):
    times, n = first(kind)
    missing = set(completes) - set(times)
    if missing:
        sys.exit(f"{kind}: never told of {sorted(missing)[:3]}")
    for which, at in (("event timestamp", 0), ("WebSocket arrival", 1)):
        lat = [(times[f][0] - c[at]) * 1000 for f, c in completes.items()]
        print(f"{kind:8} from the {which:17}: n = {len(lat)}, median {statistics.median(lat):.1f} ms, "
              f"p99 {p99(lat):.1f} ms, min {min(lat):.1f}, max {max(lat):.1f}", file=sys.stderr)
    twice = sum(1 for _, k in times.values() if k > 1)
    print(f"{kind:8} {n} requests for {len(times)} files ({len(times) / n:.2f} a request); "
          f"files named twice: {twice}", file=sys.stderr)
tries, missed, history = log_warnings(log)
print(f"server log: refused tries {tries}, events the connections missed {missed}", file=sys.stderr)
PY
stop_server

# The memory runs' Python: `fill` queues and samples (and, for outbox, checks the outbox);
# `restarted` samples the server started again on the same data dir (and, for outbox, has
# the messages delivered).
cat >"$work/memory.py" <<'PY'
import json, os, statistics, sys, threading, time
from common import client, receiver, log_warnings
base, token, pid = sys.argv[1:4]
queued, chunk, settle, drain = map(int, sys.argv[4:8])
mode, dir, phase = sys.argv[8:11]
log = f"{dir}/server.log"
host, port, api = client(base, token)

def rss():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

def sample(seconds, out):
    """VmRSS every second; the median of the last 5 is the figure."""
    samples = []
    for _ in range(seconds):
        time.sleep(1)
        samples.append(rss())
    figure = statistics.median(samples[-5:])
    open(out, "w").write(f"{figure:.3f}\n")
    return f"{min(samples):.1f}–{max(samples):.1f} MiB, median of the last 5 {figure:.1f} MiB"

lock = threading.Lock()
answer = [500]
tried, delivered = set(), set()

def on_request(path, body):
    b = json.loads(body or b"{}")
    if b.get("eventType") == "Grab":
        with lock:
            tried.add(b["downloadId"])
            if answer[0] == 200:
                delivered.add(b["downloadId"])
    return answer[0]

def waiting_for(n, what, timeout):
    deadline = time.time() + timeout
    while True:
        with lock:
            got = len(delivered if what == "delivered" else tried)
        if got >= n:
            return
        if time.time() > deadline:
            sys.exit(f"{mode}: {got} of {n} {what} after {timeout} s")
        time.sleep(0.05)

rurl = receiver(on_request)
gone = "http://127.0.0.1:9/hook"
hook = {"name": "Gone", "kind": "webhook", "enabled": True, "events": ["grab"],
        "settings": {"url": gone if mode == "burst" else f"{rurl}/hook"}}

if phase == "restarted":
    print(f"{mode}, restarted: VmRSS every second for {settle} s: "
          f"{sample(settle, f'{dir}/rss_restarted')}", file=sys.stderr)
    if mode == "outbox":
        hook_id = open(f"{dir}/hook").read().strip()
        answer[0] = 200
        hook["settings"]["url"] = f"{rurl}/hook"
        api("PUT", f"/api/connections/{hook_id}", hook)
        t1 = time.time()
        waiting_for(queued, "delivered", drain)
        took = time.time() - t1
        time.sleep(2)
        conn = api("GET", f"/api/connections/{hook_id}")
        print(f"outbox, restarted: all {len(delivered)} messages delivered {took:.0f} s after the URL "
              f"answered 200 (last_error {conn['last_error']!r}); VmRSS then {rss():.1f} MiB",
              file=sys.stderr)
    sys.exit(0)

if mode != "plain":
    hook_id = api("POST", "/api/connections", hook)["id"]
    open(f"{dir}/hook", "w").write(hook_id)
fresh = rss()
series, per = 10, queued // 10
step = per if mode == "burst" else chunk
t0 = time.time()
added = 0
for i in range(1, series + 1):
    for first in range(1, per + 1, step):
        eps = [{"season": 1, "episode": e} for e in range(first, min(first + step, per + 1))]
        got = api("POST", "/api/queue/add", {"serie_id": f"series-{i}", "serie_folder": f"Series {i}",
                                            "serie_name": f"Series {i}", "episodes": eps})
        if len(got["added_items"]) != len(eps):
            sys.exit(f"series-{i}: {len(got['added_items'])} of {len(eps)} added")
        added += len(eps)
        if mode == "outbox":
            waiting_for(added, "tried", 120)
adds = time.time() - t0
if mode == "burst":
    time.sleep(5)
    tries, missed, history = log_warnings(log)
    print(f"burst: {added} queued in {series} adds in {adds:.2f} s; the outbox missed {missed} "
          f"grab messages (connections fell behind), so it holds {added - missed}; "
          f"the history missed {history} events; tries logged {tries}", file=sys.stderr)
    sys.exit(0)
if mode == "outbox":
    hook["settings"]["url"] = gone
    api("PUT", f"/api/connections/{hook_id}", hook)
print(f"{mode}: {added} queued in {adds:.1f} s; VmRSS fresh {fresh:.1f} MiB; every second for "
      f"{settle} s after: {sample(settle, f'{dir}/rss')}", file=sys.stderr)
if mode == "outbox":
    conn = api("GET", f"/api/connections/{hook_id}")
    tries, missed, history = log_warnings(log)
    print(f"outbox: {len(tried)} distinct messages tried while adding; last_error "
          f"{conn['last_error']!r}; tries logged {tries} (log {os.path.getsize(log) / 1024:.0f} KiB); "
          f"events the connections missed {missed}",
          file=sys.stderr)
PY

# memory NAME: queues $queued episodes as NAME says (plain, outbox, burst) and samples RSS;
# then (not burst) again after a restart on the same data dir.
memory() {
  start_server "$1"
  curl -sf -X POST "$base/api/queue/stop" -H "$json" -H "Authorization: Bearer $token" -d '{}' >/dev/null
  PYTHONPATH="$work" python3 "$work/memory.py" "$base" "$token" "$pid" "$queued" "$chunk" \
    "$settle" "$drain" "$1" "$work/$1" fill
  stop_server
  [ "$1" = burst ] && return
  "$bin" serve --port "$port" --data-dir "$work/$1/data" --provider-url "$site" --rate-limit 0 \
    >>"$work/$1/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 400); do curl -sf "$base/health" >/dev/null && break; sleep 0.05; done
  token=$(curl -sf -X POST "$base/api/auth/login" -H "$json" -d '{"password":"Bench!pass1"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  PYTHONPATH="$work" python3 "$work/memory.py" "$base" "$token" "$pid" "$queued" "$chunk" \
    "$restarted" "$drain" "$1" "$work/$1" restarted
  stop_server
}

[ "${MEMORY:-1}" = 1 ] || exit 0
echo "== memory: $queued episodes queued (queue stopped), without a connection and with an unreachable webhook for grab"
start_site memory 10 $((queued / 10))
memory plain
memory outbox
memory burst
python3 - "$work" "$queued" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
for what, suffix in (("after the adds", "rss"), ("after a restart", "rss_restarted")):
    without, with_ = (float(open(f"{work}/{m}/{suffix}").read()) for m in ("plain", "outbox"))
    d = with_ - without
    print(f"RSS {what}, {n} queued: without a connection {without:.1f} MiB, with {n} messages "
          f"in the outbox {with_:.1f} MiB: +{d:.1f} MiB = {d * 1024 * 1024 / n:.0f} B a message")
PY
