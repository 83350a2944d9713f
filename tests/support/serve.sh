# Sourced by the scripts that drive the real server with outside tools (tests/schemathesis,
# tests/arr): the server binary and the fake site (examples/fake_site.rs) on loopback, on temp
# dirs removed at exit, the master password set and the anime directory in the temp dir.
#
#   source tests/support/serve.sh
#   serve PASSWORD [server flags...]   # sets work, provider, base; defines login (a fresh token)
#
# AW_BIN: a server binary built elsewhere (e.g. the release build); else the debug build is
# built here. Honours CARGO_TARGET_DIR.
target=${CARGO_TARGET_DIR:-target}
if [ -z "${AW_BIN:-}" ]; then cargo build --quiet --bin aniworld --example fake_site; fi
bin=${AW_BIN:-$target/debug/aniworld}
site=$target/debug/examples/fake_site
[ -x "$site" ] || cargo build --quiet --example fake_site

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/anime" "$work/data"

serve() {
  password=$1
  shift
  "$site" >"$work/site.url" 2>"$work/site.log" &
  pids+=($!)
  for _ in $(seq 200); do [ -s "$work/site.url" ] && break; sleep 0.05; done
  provider=$(head -n1 "$work/site.url")
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  "$bin" serve --port "$port" --data-dir "$work/data" --provider-url "$provider" "$@" \
    >"$work/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 400); do curl -sf "$base/health" >/dev/null && break; sleep 0.05; done
  curl -sf -X POST "$base/api/auth/setup" -H 'Content-Type: application/json' \
    -d "{\"master_password\":\"$password\",\"anime_directory\":\"$work/anime\"}" >/dev/null
}

login() {
  curl -sf -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"password\":\"$password\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}
