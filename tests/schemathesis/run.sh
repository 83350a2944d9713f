#!/usr/bin/env bash
# Schema fuzzing (issue 11): schemathesis against the server's own /api/openapi.json, every
# operation, authenticated with a bearer token, on temp dirs, the catalogue pointed at the
# fake site (examples/fake_site.rs), rate limit off. Checks: no 5xx, responses match their
# documented schema, status codes and content types documented, and every error body has the
# API.md section 10 shape (hooks.py). Logout (it revokes the token) runs first, on its own.
#
#   tests/schemathesis/run.sh [max-examples-per-operation]   # default 100: the long run
#
# .ci/run runs it with a small count. Prints the number of requests sent and their statuses.
# schemathesis is installed from PyPI when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-100}
here=tests/schemathesis

command -v schemathesis >/dev/null || python3 -m pip install --quiet schemathesis
# the server (rate limit off) and the fake site; `login` answers a fresh token
source tests/support/serve.sh
serve 'Fuzz!pass1' --rate-limit 0

export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=hooks
export AW_SAFE_ROOT="$work" AW_ANIME_DIR="$work/anime" AW_LOG="$work/requests.jsonl"
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,error_shape
fuzz() {
  schemathesis run "$base/api/openapi.json" --header "Authorization: Bearer $(login)" \
    --checks "$checks" --max-examples "$examples" --workers 1 --no-color \
    --suppress-health-check all --request-timeout 30 "$@"
}

# Logout first, with a token of its own: the main run's failed logins (fuzzed passwords)
# lock further logins out for a while.
status=0
fuzz --include-path /api/auth/logout || status=1
fuzz --exclude-path /api/auth/logout || status=1

python3 - "$work/requests.jsonl" <<'PY'
import collections, json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
statuses = collections.Counter(r["status"] for r in rows)
ops = {r["operation"] for r in rows}
print(f"schemathesis: {len(rows)} requests over {len(ops)} operations; statuses: "
      + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
PY
if grep -q "panicked" "$work/server.log"; then
  echo "the server log names a panic:" >&2
  grep -m5 "panicked" "$work/server.log" >&2
  status=1
fi
exit $status
