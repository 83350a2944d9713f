#!/usr/bin/env bash
# Time to the first result of a search on the release binary, RUNS times each on a fresh
# server and a fresh fake site (examples/fake_site.rs):
#  plain   - the catalogue lets the product in (it sends Chrome's headers);
#  refused - the catalogue refuses everyone without a solver's cookie; the product is set up
#            with the fake FlareSolverr, so its first search is refused, goes through the
#            solver once, and is sent again with the cookie. The second search of the same
#            server (cookie kept) is timed too.
# Prints the medians and the ratio refused/plain.
#
#   benches/refusal.sh          # RUNS=7
#   BIN=… SITE=… benches/refusal.sh   # binaries already built (the server, examples/fake_site)
set -euo pipefail
RUNS=${RUNS:-7}
cd "$(dirname "$0")/.."
BIN=${BIN:-}
SITE=${SITE:-}
if [ -z "$BIN" ]; then cargo build --quiet --release --bin aniworld; BIN=target/release/aniworld; fi
if [ -z "$SITE" ]; then
  cargo build --quiet --profile bench-tools --example fake_site
  SITE=target/bench-tools/examples/fake_site
fi
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# One run: prints "first second" search times in ms.
run() {
  local mode=$1 dir="$work/$RANDOM$RANDOM"
  mkdir -p "$dir/data" "$dir/anime"
  local refuse=0; [ "$mode" = refused ] && refuse=1
  : >"$dir/site"
  FAKE_SITE_REFUSE=$refuse "$SITE" >"$dir/site" &
  local site_pid=$!; pids+=("$site_pid")
  while [ "$(wc -l <"$dir/site")" -lt $((1 + refuse)) ]; do sleep 0.05; done
  local base solver port
  base=$(sed -n 1p "$dir/site"); solver=$(sed -n 2p "$dir/site")
  port=$(free_port)
  "$BIN" serve --port "$port" --data-dir "$dir/data" --provider-url "$base" \
    --rate-limit 0 2>"$dir/log" &
  local app_pid=$!; pids+=("$app_pid")
  local B="http://127.0.0.1:$port"
  until curl -sf "$B/health" >/dev/null; do sleep 0.05; done
  curl -sf -X POST "$B/api/auth/setup" -H 'Content-Type: application/json' \
    -d "{\"master_password\":\"Secr3t!pass\",\"anime_directory\":\"$dir/anime\"}" >/dev/null
  local token
  token=$(curl -sf -X POST "$B/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"password":"Secr3t!pass"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
  if [ -n "$solver" ]; then
    curl -sf -X PUT "$B/api/config" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"provider\":{\"flaresolverr_url\":\"$solver\"}}" >/dev/null
  fi
  local first second
  first=$(curl -sf -o "$dir/r1" -w '%{time_total}' "$B/api/anime/search?query=titan")
  second=$(curl -sf -o "$dir/r2" -w '%{time_total}' "$B/api/anime/search?query=bizarre")
  grep -q '"Attack on Titan"' "$dir/r1" || { echo "no result in $mode run" >&2; cat "$dir/r1" >&2; exit 1; }
  kill "$app_pid" "$site_pid"; wait "$app_pid" "$site_pid" 2>/dev/null || true
  python3 -c "print(round($first*1000,2), round($second*1000,2))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for mode in plain refused; do
  : >"$work/$mode"
  for _ in $(seq "$RUNS"); do run "$mode" >>"$work/$mode"; done
done
p1=$(cut -d' ' -f1 "$work/plain" | median); p2=$(cut -d' ' -f2 "$work/plain" | median)
r1=$(cut -d' ' -f1 "$work/refused" | median); r2=$(cut -d' ' -f2 "$work/refused" | median)
echo "first search, plain:                      $p1 ms (median of $RUNS)"
echo "first search, refused + FlareSolverr:     $r1 ms"
echo "second search, plain / with the cookie:   $p2 ms / $r2 ms"
python3 -c "print('ratio first search refused/plain: %.1fx' % ($r1/$p1))"
