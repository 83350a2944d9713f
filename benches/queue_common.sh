# Shared by benches/downloads.sh, benches/queue_api.sh, benches/ws_fanout.sh (issue 7) and
# benches/soak.sh; sourced, not run. Builds what a script needs, starts the bench site
# (examples/bench_site.rs) and the release binary on temp dirs, and gives the scripts `api`
# and `token`.
# Honours CARGO_TARGET_DIR (default: target).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
# BIN=<path> times that binary instead of building the release binary (e.g. an earlier commit's).
bin=${BIN:-$target/release/aniworld}
# TOOLS_PROFILE=dev uses the debug build of the bench tools (where the bench site sends no media
# itself, e.g. benches/downloads.sh with MP4_SERVER=nginx, that is fast enough and builds no
# second profile).
tools_profile=${TOOLS_PROFILE:-bench-tools}
tools=$target/$([ "$tools_profile" = dev ] && echo debug || echo "$tools_profile")/examples
work=$(mktemp -d)
cleanup() {
  local pids
  pids=$(jobs -p)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=${PORT:-18767}
base="http://127.0.0.1:$port"
password='Bench!pass1'

# build EXAMPLE...: the release binary and the named bench tools (profile bench-tools: optimised,
# without the release profile's fat LTO).
build() {
  [ -n "${BIN:-}" ] || cargo build --release --quiet --bin aniworld
  local args=()
  for example in "$@"; do args+=(--example "$example"); done
  cargo build --profile "$tools_profile" --quiet "${args[@]}"
}

# start_site ARGS...: starts the bench site; sets $site (its base URL) and $site_json.
start_site() {
  "$tools/bench_site" "$@" >"$work/site.json" 2>"$work/site.log" &
  site_pid=$!
  until [ -s "$work/site.json" ]; do
    kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.log" >&2; exit 1; }
    sleep 0.05
  done
  site_json=$work/site.json
  site=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base"])' "$site_json")
}

# start_server: starts the release binary on $work/data, rate limit off, against the bench site;
# sets $server_pid.
start_server() {
  "$bin" serve --port "$port" --data-dir "$work/data" --rate-limit 0 \
    --provider-url "$site" >>"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -sf "$base/health" >/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$work/server.log" >&2; exit 1; }
    sleep 0.02
  done
}

stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" 2>/dev/null || true
}

# login: sets $token (the master password is set on the first call).
login() {
  curl -sf -X POST "$base/api/auth/setup" -H 'Content-Type: application/json' \
    -d "{\"master_password\":\"$password\"}" >/dev/null || true
  token=$(curl -sf -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
}

# api METHOD PATH [JSON]: an authenticated request; prints the body, fails on an error status.
api() {
  curl -sS --fail-with-body -X "$1" "$base$2" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}

# library SERIES-KEY...: sets the anime directory ($work/anime) and adds the series.
library() {
  mkdir -p "$work/anime"
  api POST /api/config/directory "{\"directory\":\"$work/anime\"}" >/dev/null
  for key in "$@"; do
    api POST /api/anime/add "{\"link\":\"$site/anime/stream/$key\"}" >/dev/null
  done
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# sidecars DIR SITE SERIES EPISODES: series folders `Series <i> (2020)` for series-1 …
# series-SERIES, each with its sidecar (aniworld.json, linking to SITE) and the first half of
# its EPISODES episode files (empty) in `Season 01`, as examples/fake_site.rs and
# `bench_site --library-series` serve them.
sidecars() {
  python3 benches/library_dirs.py "$1" "$2" "$3" $(($4 / 2))
}
