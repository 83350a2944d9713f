"""Schemathesis hooks for tests/schemathesis/run.sh (loaded through SCHEMATHESIS_HOOKS).

- `error_shape`: a check that every error answer (4xx, 5xx) has the error body of API.md
  section 10: success false, error, message, details and request_id, the request id the same
  as the X-Request-Id header.
- `before_call`: keeps fuzzed bodies inside the run's temp dirs. A generated directory that
  exists outside them ("/", "/usr") would become the library, and the queue would write
  there; such a value is replaced with the run's own anime dir (every other value, existing
  or not, absolute or not, reaches the server as generated).
- `after_call`: one line per request in $AW_LOG (method, path, status), the figures' source.
"""

import json
import os

import schemathesis

SAFE_ROOT = os.environ["AW_SAFE_ROOT"]
ANIME_DIR = os.environ["AW_ANIME_DIR"]
LOG = os.environ["AW_LOG"]


def _confine(value):
    if isinstance(value, str) and value.strip() and not value.strip().startswith(SAFE_ROOT):
        try:
            if os.path.exists(value.strip()):
                return ANIME_DIR
        except (OSError, ValueError):
            pass
    return value


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    body = case.body
    if isinstance(body, dict):
        for field in ("directory", "anime_directory"):
            if field in body:
                body[field] = _confine(body[field])


@schemathesis.hook
def after_call(ctx, case, response):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({
            "operation": case.operation.label,
            "method": case.method,
            "path": case.path,
            "status": response.status_code,
        }) + "\n")


@schemathesis.check
def error_shape(ctx, response, case):
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} answer is not JSON: {response.text[:200]!r}")
    if not isinstance(body, dict):
        raise AssertionError(f"{response.status_code} answer is not a JSON object")
    missing = [k for k in ("success", "error", "message", "details", "request_id") if k not in body]
    if missing:
        raise AssertionError(f"{response.status_code} error body lacks {missing}: {body}")
    if body["success"] is not False:
        raise AssertionError("error body has success != false")
    if not isinstance(body["error"], str) or not body["error"].isupper():
        raise AssertionError(f"error code {body['error']!r} is not an upper-case code")
    if body["request_id"] not in response.headers.get("x-request-id", []):
        raise AssertionError("request_id differs from the X-Request-Id header")
    return None
