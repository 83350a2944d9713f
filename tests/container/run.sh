#!/usr/bin/env bash
# The container image end to end (issue 22): built from the Dockerfile with the static binary
# (no base image pulled), run with --network host on a loopback port against the fake site
# (examples/fake_site.rs), its library a temp folder of the host's:
# - the image is about the binary's size, and compose.yaml parses with both services;
# - the image's HEALTHCHECK (aniworld health) turns healthy;
# - setup, login, a search and one download (Dr. Stone S01E05, an MP4 on Vidoza): the file in
#   the host's folder is byte-exact with what the fake hoster serves, owned by 1000:1000;
# - docker stop (SIGTERM) exits 0 within Docker's 10 s, also in the middle of a download (S01E06,
#   served slowly), whose .part file stays; docker start finishes it, byte-exact;
# - figures: image size, idle RSS in the container against the same binary outside it.
#
#   tests/container/run.sh     # needs a running Docker engine and the static binary:
#   RUSTFLAGS="-C target-feature=+crt-static" cargo build --release --target x86_64-unknown-linux-gnu
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/x86_64-unknown-linux-gnu/release/aniworld
image=${AW_IMAGE:-aniworld:ci}
name=aniworld-ci-$$
password='Cont41ner!ok'
json='Content-Type: application/json'

fail() { echo "container test: $*" >&2; exit 1; }
docker info >/dev/null 2>&1 || fail "no Docker engine answers (start dockerd)"
[ -x "$bin" ] || fail "no static binary at $bin (build it as the header says)"
# static: no program interpreter, no shared library needed
if readelf -ld "$bin" | grep -E 'program interpreter|\(NEEDED\)'; then fail "$bin is not static"; fi
site=target/debug/examples/fake_site
[ -x "$site" ] || cargo build --quiet --example fake_site

work=$(mktemp -d)
pids=()
cleanup() {
  docker rm -f "$name" "$name-idle" >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# waits up to $1 tenths of a second for the command after it to succeed
until_ok() {
  local tries=$1
  shift
  for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
token_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

echo "== docker build"
started=$SECONDS
docker build -q -t "$image" . >/dev/null
echo "   built in $((SECONDS - started)) s"
image_bytes=$(docker image inspect "$image" --format '{{.Size}}')
bin_bytes=$(stat -c %s "$bin")
echo "figure: image $image_bytes bytes, static binary $bin_bytes bytes ($(python3 -c "print(f'{$image_bytes/$bin_bytes:.4f}')")x)"
[ "$image_bytes" -le $((bin_bytes + 65536)) ] || fail "the image holds more than the binary"
python3 - <<'EOF'
import yaml
c = yaml.safe_load(open("compose.yaml"))
s = c["services"]
assert set(s) == {"aniworld", "flaresolverr"}, s
assert s["aniworld"]["environment"]["ANIWORLD_FLARESOLVERR_URL"] == "http://flaresolverr:8191"
assert any(v.endswith(":/anime") for v in s["aniworld"]["volumes"]), s["aniworld"]["volumes"]
assert any(v.endswith(":/data") for v in s["aniworld"]["volumes"]), s["aniworld"]["volumes"]
assert s["flaresolverr"]["image"].startswith("ghcr.io/flaresolverr/flaresolverr")
EOF

FAKE_SITE_SLOW_MEDIA=8192 "$site" >"$work/site.url" 2>"$work/site.log" &
pids+=($!)
until_ok 200 test -s "$work/site.url" || fail "the fake site did not start"
until_ok 50 grep -q 'S01E05' "$work/site.log" || fail "the fake site named no media"
provider=$(head -n1 "$work/site.url")
media=$(awk '/^media: dr-stone S01E05 / {print $4}' "$work/site.log")
slow_media=$(awk '/^media: dr-stone S01E06 / {print $4}' "$work/site.log")

mkdir -p "$work/data" "$work/anime" "$work/idle-data" "$work/outside"
chown 1000:1000 "$work/data" "$work/anime" "$work/idle-data"

run() { # name, port, data folder, more docker flags...
  local who=$1 port=$2 data=$3
  shift 3
  docker run -d --name "$who" --network host "$@" \
    -e ANIWORLD_HOST=127.0.0.1 -e ANIWORLD_PORT="$port" -e ANIWORLD_PROVIDER_URL="$provider" \
    -e ANIWORLD_RATE_LIMIT=0 -v "$data:/data" -v "$work/anime:/anime" "$image" >/dev/null
}
setup() { # base
  curl -sf -X POST "$1/api/auth/setup" -H "$json" -d "{\"master_password\":\"$password\"}" >/dev/null
}

echo "== idle RSS, in the container and outside it (after setup, 3 s of rest)"
port=$(free_port)
run "$name-idle" "$port" "$work/idle-data"
until_ok 300 curl -sf "http://127.0.0.1:$port/health" || fail "the idle container did not serve"
setup "http://127.0.0.1:$port"
sleep 3
inside=$(rss_kib "$(docker inspect -f '{{.State.Pid}}' "$name-idle")")
docker rm -f "$name-idle" >/dev/null
port=$(free_port)
"$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$work/outside" --anime-dir "$work/anime" \
  --provider-url "$provider" --rate-limit 0 >"$work/outside.log" 2>&1 &
outside_pid=$!
pids+=($outside_pid)
until_ok 300 curl -sf "http://127.0.0.1:$port/health" || fail "the binary did not serve outside"
setup "http://127.0.0.1:$port"
sleep 3
outside=$(rss_kib "$outside_pid")
kill "$outside_pid"
echo "figure: idle RSS $inside KiB in the container, $outside KiB outside ($(python3 -c "print(f'{$inside/$outside:.2f}')")x)"

echo "== the image as a user runs it"
port=$(free_port)
base="http://127.0.0.1:$port"
# the image's own HEALTHCHECK command, asked every second instead of every 30
run "$name" "$port" "$work/data" --health-interval 1s
until_ok 300 curl -sf "$base/health" || { docker logs "$name" >&2; fail "the container did not serve"; }
docker logs "$name" 2>&1 | grep -q 'Mozilla roots built into the binary' ||
  fail "the scratch image did not fall back to the built-in roots: $(docker logs "$name" 2>&1 | head -3)"
healthy() { [ "$(docker inspect -f '{{.State.Health.Status}}' "$name")" = healthy ]; }
until_ok 300 healthy || fail "HEALTHCHECK: $(docker inspect -f '{{json .State.Health}}' "$name")"
echo "   healthy: $(docker inspect -f '{{(index .State.Health.Log 0).Output}}' "$name" | head -c 120)"

setup "$base" || fail "setup refused"
token=$(curl -sf -X POST "$base/api/auth/login" -H "$json" -d "{\"password\":\"$password\"}" | token_of)
auth="Authorization: Bearer $token"
curl -sf "$base/api/anime/search?query=stone" | grep -q '"dr-stone"' || fail "search found no Dr. Stone"
curl -sf -X POST "$base/api/anime/add" -H "$json" -H "$auth" \
  -d "{\"link\":\"$provider/anime/stream/dr-stone\"}" >/dev/null || fail "add refused"
curl -sf -X POST "$base/api/queue/add" -H "$json" -H "$auth" \
  -d '{"serie_id":"dr-stone","episodes":[{"season":1,"episode":5}]}' >/dev/null || fail "queue add refused"
curl -sf -X POST "$base/api/queue/start" -H "$auth" >/dev/null
downloaded() { find "$work/anime" -name '*S01E05*.mp4' | grep -q .; }
until_ok 600 downloaded || fail "no file after 60 s: $(curl -s "$base/api/queue/status" -H "$auth" | head -c 600)"
file=$(find "$work/anime" -name '*S01E05*.mp4')
curl -sf -o "$work/expected.mp4" "$media"
cmp "$file" "$work/expected.mp4" || fail "the file differs from the hoster's"
owner=$(stat -c %u:%g "$file")
[ "$owner" = 1000:1000 ] || fail "$file is owned by $owner"
echo "   downloaded ${file#"$work/"} ($(stat -c %s "$file") bytes, byte-exact, owner $owner)"

stop_in_time() { # what it is stopping
  local started took code
  started=$(date +%s.%N)
  docker stop -t 10 "$name" >/dev/null
  took=$(python3 -c "import time; print(f'{time.time() - $started:.2f}')")
  code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
  echo "figure: docker stop $1 took $took s, exit code $code"
  [ "$code" = 0 ] || fail "exit code $code after SIGTERM: $(docker logs --tail 5 "$name" 2>&1)"
  python3 -c "import sys; sys.exit(0 if $took < 10 else 1)" || fail "stopping took $took s"
}

echo "== docker stop (SIGTERM) in the middle of a download, then docker start"
# S01E06 comes at 8 KiB/s: 8 s for its 64 KiB
curl -sf -o "$work/expected-6.mp4" "$slow_media" &
expected_pid=$!
curl -sf -X POST "$base/api/queue/add" -H "$json" -H "$auth" \
  -d '{"serie_id":"dr-stone","episodes":[{"season":1,"episode":6}]}' >/dev/null || fail "queue add refused"
partial() { find "$work/anime" -name '*S01E06*.part' -size +0c | grep -q .; }
until_ok 300 partial || fail "no partial file of S01E06"
stop_in_time "during a download"
part=$(find "$work/anime" -name '*S01E06*.part')
[ -n "$part" ] || fail "the partial file is gone after the stop"
echo "   kept ${part#"$work/"} ($(stat -c %s "$part") bytes)"
docker start "$name" >/dev/null
finished() { find "$work/anime" -name '*S01E06*.mp4' | grep -q .; }
until_ok 600 finished || fail "S01E06 not finished 60 s after the restart"
wait "$expected_pid"
cmp "$(find "$work/anime" -name '*S01E06*.mp4')" "$work/expected-6.mp4" ||
  fail "S01E06 differs from the hoster's after the restart"
echo "   S01E06 finished after the restart, byte-exact"

echo "== docker stop (SIGTERM), idle"
stop_in_time "idle"
echo "container test: passed"
