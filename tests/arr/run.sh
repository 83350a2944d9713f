#!/usr/bin/env bash
# The real clients of Sonarr's protocols against the real server (issue 19): pyarr reads the
# v3 API (tests/arr/pyarr_check.py), qbittorrent-api drives the qBittorrent API with a magnet
# from the Torznab feed (tests/arr/qbit_check.py). Both are written by others; they run in a
# virtualenv (target/arr-venv) with the server and the fake site (examples/fake_site.rs) on
# loopback, on temp dirs.
#
#   tests/arr/run.sh          # AW_BIN=<server binary> to use another build (e.g. release)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=${CARGO_TARGET_DIR:-target}/arr-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import pyarr, qbittorrentapi' 2>/dev/null ||
  "$venv/bin/pip" install --quiet pyarr qbittorrent-api
source tests/support/serve.sh
serve 'Arr!check1'
json='Content-Type: application/json'
token=$(login)
auth="Authorization: Bearer $token"
key() {
  curl -sf -X POST "$base/api/keys" -H "$json" -H "$auth" -d "{\"name\":\"$1\",\"scopes\":[\"$2\"]}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'
}
read_key=$(key Homepage read)
download_key=$(key Sonarr download)

# pyarr: a series with episodes missing and one queued (the queue not started yet).
curl -sf -X POST "$base/api/anime/add" -H "$json" -H "$auth" \
  -d "{\"link\":\"$provider/anime/stream/attack-on-titan\"}" >/dev/null
curl -sf -X POST "$base/api/queue/add" -H "$json" -H "$auth" \
  -d '{"serie_id":"attack-on-titan","serie_folder":"x","serie_name":"Attack on Titan","episodes":[{"season":1,"episode":2}]}' >/dev/null
echo "== pyarr"
ANIWORLD_URL=$base ANIWORLD_READ_KEY=$read_key ANIWORLD_SERIES=attack-on-titan \
  "$venv/bin/python" tests/arr/pyarr_check.py

# qbittorrent-api: the queue runs, a magnet of the feed downloads for "Sonarr".
curl -sf -X POST "$base/api/queue/start" -H "$auth" >/dev/null
echo "== qbittorrent-api"
ANIWORLD_URL=$base ANIWORLD_DOWNLOAD_KEY=$download_key \
  "$venv/bin/python" tests/arr/qbit_check.py
