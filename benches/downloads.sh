#!/usr/bin/env bash
# Download throughput of the release binary (issue 7), against curl on the same URLs of the
# same local server (examples/bench_site.rs), runs alternating, best of RUNS each:
#   - a direct MP4 of MP4_MIB MiB (default 1024) through the queue (POST /api/queue/start →
#     the item completed, file size checked) vs `curl -o` of its media URL (also shown:
#     `curl -o` followed by an fsync of the file, as the product fsyncs what it writes); goal
#     (curl -o + fsync)/ours ≥ 0.9 (issue 17);
#   - an HLS stream of SEGMENTS segments (default 500 × 188,000 bytes, unencrypted) with
#     LATENCY_MS (default 20) added to every segment request: the product at
#     segment_concurrency 8 vs the product at segment_concurrency 1 (goal ≥ 5× faster), and vs
#     `curl --parallel --parallel-max 8` over the same segment URLs (goal curl/ours ≥ 0.9);
#     also shown: one curl fetching the URLs one after another.
# The MP4 is sent by a server that is not ours (issue 17): MP4_SERVER=nginx (the default where
# nginx is installed: sendfile, as a user's hoster's CDN would), python (`python3 -m
# http.server`, single copies in Python) or bench (the bench site itself, as before); the bench
# site's media URL redirects there, and curl fetches the same URL.
# Needs: curl (7.66+ for --parallel), python3; nginx for the default. Usage:
# benches/downloads.sh [runs]
source "$(dirname "$0")/queue_common.sh"
runs=${1:-3}
MP4_MIB=${MP4_MIB:-1024}
SEGMENTS=${SEGMENTS:-500}
SEGMENT_BYTES=${SEGMENT_BYTES:-188000}
LATENCY_MS=${LATENCY_MS:-20}

if [ -z "${MP4_SERVER:-}" ]; then
  command -v nginx >/dev/null && MP4_SERVER=nginx || MP4_SERVER=python
fi
export MP4_SERVER HLS
media_port=$((port + 1))
# MEDIA_DIR keeps the generated MP4 for the next run (generating 1 GiB takes a while).
media=${MEDIA_DIR:-$work/media}
mkdir -p "$media"
# nginx's workers run as nobody: they may pass through to the media and read it only.
chmod o+x "$work"
chmod o+rx "$media"
external=()
case $MP4_SERVER in
  nginx)
    mkdir -p "$work/nginx/logs"
    cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $work/nginx/logs/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type video/mp4;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$media_port; root $media; }
}
CONF
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
    external=(--mp4-file "$media/video.mp4" --mp4-redirect "http://127.0.0.1:$media_port/video.mp4")
    ;;
  python)
    python3 -m http.server "$media_port" --bind 127.0.0.1 --directory "$media" \
      >"$work/http.server.log" 2>&1 &
    external=(--mp4-file "$media/video.mp4" --mp4-redirect "http://127.0.0.1:$media_port/video.mp4")
    ;;
  bench) ;;
  *) echo "MP4_SERVER: nginx, python or bench" >&2; exit 2 ;;
esac

build bench_site
echo "generating the bench site's media ($MP4_MIB MiB MP4, $SEGMENTS HLS segments), MP4 sent by $MP4_SERVER..."
start_site --mp4-mib "$MP4_MIB" --hls-segments "$SEGMENTS" --segment-bytes "$SEGMENT_BYTES" \
  --segment-latency-ms "$LATENCY_MS" --big-episodes 1 "${external[@]}"
if [ "$MP4_SERVER" != bench ]; then
  until curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$media_port/video.mp4"; do sleep 0.05; done
fi
start_server
login
library bench-media
api PUT /api/config '{"downloads":{"preferred_hosters":["Vidoza","Vidmoly"],"segment_concurrency":8,"parallel_downloads":1}}' >/dev/null

python3 - "$base" "$token" "$site_json" "$work" "$runs" <<'PY'
import http.client, json, os, subprocess, sys, time, urllib.request

base, token, site_json, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
site = json.load(open(site_json))
anime = os.path.join(work, "anime")
host, port = base.split("//")[1].split(":")

def api(method, path, body=None):
    c = http.client.HTTPConnection(host, int(port), timeout=600)
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None

def site_get(path):
    return json.load(urllib.request.urlopen(site["base"] + path))

def product(episode, expected_bytes, concurrency):
    """Seconds from POST /api/queue/start to the item completed; checks the file's size."""
    api("PUT", "/api/config", {"downloads": {"segment_concurrency": concurrency}})
    added = api("POST", "/api/queue/add", {"serie_id": site["media_series"],
                "episodes": [{"season": 1, "episode": episode}], "priority": "NORMAL"})
    (item_id,) = added["added_items"]
    urllib.request.urlopen(urllib.request.Request(site["base"] + "/bench/reset", method="POST"))
    t0 = time.perf_counter()
    api("POST", "/api/queue/start")
    while True:
        status = api("GET", "/api/queue/status")["status"]
        done = [i for i in status["completed_downloads"] if i["id"] == item_id]
        if done:
            took = time.perf_counter() - t0
            break
        if any(i["id"] == item_id for i in status["failed_downloads"]):
            sys.exit(f"the download failed: {status['failed_downloads']}")
        time.sleep(0.005)
    api("POST", "/api/queue/stop")
    path = os.path.join(anime, done[0]["file"])
    size = os.path.getsize(path)
    if size != expected_bytes:
        sys.exit(f"{path}: {size} bytes, expected {expected_bytes}")
    os.remove(path)
    api("DELETE", "/api/queue/completed")
    stats = site_get("/bench/stats")
    subprocess.run(["sync"], check=True)
    return took, stats

def timed(cmd, outputs, expected_bytes, then_sync=False):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    if then_sync:
        for o in outputs:
            fd = os.open(o, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
    took = time.perf_counter() - t0
    size = sum(os.path.getsize(o) for o in outputs)
    if size != expected_bytes:
        sys.exit(f"{cmd[0]}: {size} bytes, expected {expected_bytes}")
    for o in outputs:
        os.remove(o)
    subprocess.run(["sync"], check=True)
    return took

def best(samples):
    return min(samples)

def row(label, samples, mib):
    b = best(samples)
    print(f"  {label:<44} best {b:7.3f} s  ({mib / b:7.1f} MiB/s)  runs: "
          + ", ".join(f"{s:.3f}" for s in samples))

# Direct MP4.
mp4 = site["mp4"]
mib = mp4["bytes"] / 2**20
out = os.path.join(work, "curl.mp4")
ours, curl, curl_sync = [], [], []
for _ in range(runs):
    ours.append(product(mp4["episode"], mp4["bytes"], 8)[0])
    curl.append(timed(["curl", "-sf", "-o", out, mp4["url"]], [out], mp4["bytes"]))
    curl_sync.append(timed(["curl", "-sf", "-o", out, mp4["url"]], [out], mp4["bytes"], then_sync=True))
print(f"direct MP4, {mib:.0f} MiB, sent by {os.environ.get('MP4_SERVER', '?')}, best of {runs}:")
row("aniworld queue (start → completed)", ours, mib)
row("curl -o", curl, mib)
row("curl -o; fsync", curl_sync, mib)
print(f"  ratio curl / aniworld: {best(curl) / best(ours):.2f}; "
      f"curl + fsync / aniworld: {best(curl_sync) / best(ours):.2f} (goal >= 0.9)")

# HLS (HLS=0 skips it).
if os.environ.get("HLS", "1") == "0":
    sys.exit(0)
hls = site["hls"]
mib = hls["bytes"] / 2**20
seg_dir = os.path.join(work, "segments")
os.makedirs(seg_dir, exist_ok=True)
outputs = [os.path.join(seg_dir, f"seg-{i}.ts") for i in range(len(hls["segments"]))]
config = os.path.join(work, "segments.curl")
with open(config, "w") as f:
    for url, o in zip(hls["segments"], outputs):
        f.write(f'url = "{url}"\noutput = "{o}"\n')
ours8, ours1, par, seq = [], [], [], []
in_flight = {}
for _ in range(runs):
    took, stats = product(hls["episode"], hls["bytes"], 8)
    ours8.append(took); in_flight[8] = stats
    par.append(timed(["curl", "-sf", "--no-progress-meter", "--parallel", "--parallel-max", "8", "-K", config], outputs, hls["bytes"]))
    took, stats = product(hls["episode"], hls["bytes"], 1)
    ours1.append(took); in_flight[1] = stats
    seq.append(timed(["curl", "-sf", "-K", config], outputs, hls["bytes"]))
print(f"HLS, {len(outputs)} segments x {hls['segment_bytes']} bytes ({mib:.1f} MiB), "
      f"{hls['segment_latency_ms']} ms added to each segment request, best of {runs}:")
row("aniworld, segment_concurrency 8", ours8, mib)
row("aniworld, segment_concurrency 1", ours1, mib)
row("curl --parallel --parallel-max 8", par, mib)
row("curl, one after another", seq, mib)
for c, s in sorted(in_flight.items()):
    print(f"  site saw at concurrency {c}: {s['segment_requests']} segment requests, "
          f"at most {s['segment_max_in_flight']} in flight")
print(f"  speed-up concurrency 8 vs 1: {best(ours1) / best(ours8):.2f}x (goal >= 5x); "
      f"vs curl one after another: {best(seq) / best(ours8):.2f}x")
print(f"  ratio curl --parallel-max 8 / aniworld: {best(par) / best(ours8):.2f} (goal >= 0.9)")
PY
