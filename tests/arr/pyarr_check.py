"""Sonarr's v3 read API (INTEGRATIONS.md section 4) as the real client pyarr reads it.

Calls pyarr.SonarrAPI's get_system_status, get_health, get_series, get_queue, get_wanted
(wanted/missing) and get_calendar against a running server and checks what they answer, not
only that nothing was raised. Exits 0 when every check passed, 1 with a line per failure.

Environment:
  ANIWORLD_URL       the server's base URL, e.g. http://127.0.0.1:8000
  ANIWORLD_READ_KEY  an API key with the `read` scope
  ANIWORLD_SERIES    the key of a series in the library (e.g. attack-on-titan) with at least
                     one episode missing and one queued (pending: the queue not started);
                     added today, so the calendar's default range holds its episodes

How to run it by hand (from the repository root; curl and python3 needed):

  python3 -m venv /tmp/pyarr-venv && /tmp/pyarr-venv/bin/pip install pyarr
  cargo build --bin aniworld --example fake_site
  target/debug/examples/fake_site > /tmp/site.url &        # prints the fake site's URL
  mkdir -p /tmp/aw/data /tmp/aw/anime
  target/debug/aniworld serve --port 8000 --data-dir /tmp/aw/data \\
      --provider-url "$(head -n1 /tmp/site.url)" --rate-limit 0 &
  B=http://127.0.0.1:8000; J='Content-Type: application/json'
  curl -s -X POST $B/api/auth/setup -H "$J" \\
      -d '{"master_password":"Check!pass1","anime_directory":"/tmp/aw/anime"}'
  T=$(curl -s -X POST $B/api/auth/login -H "$J" -d '{"password":"Check!pass1"}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -X POST $B/api/anime/add -H "$J" -H "Authorization: Bearer $T" \\
      -d "{\\"link\\":\\"$(head -n1 /tmp/site.url)/anime/stream/attack-on-titan\\"}"
  curl -s -X POST $B/api/queue/add -H "$J" -H "Authorization: Bearer $T" \\
      -d '{"serie_id":"attack-on-titan","serie_folder":"x","serie_name":"Attack on Titan",
           "episodes":[{"season":1,"episode":2}]}'
  K=$(curl -s -X POST $B/api/keys -H "$J" -H "Authorization: Bearer $T" \\
      -d '{"name":"pyarr","scopes":["read"]}' |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
  ANIWORLD_URL=$B ANIWORLD_READ_KEY=$K ANIWORLD_SERIES=attack-on-titan \\
      /tmp/pyarr-venv/bin/python tests/arr/pyarr_check.py
"""

import os
import re
import sys
from datetime import datetime, timedelta, timezone

try:
    from pyarr import SonarrAPI
except ImportError:
    sys.exit("pyarr_check: pyarr is not installed (pip install pyarr)")

failures = []


def check(ok, what):
    """Notes a failed check; answers whether it held."""
    if not ok:
        failures.append(what)
    return bool(ok)


def instant(text):
    """An ISO date-time as Sonarr writes it (Z or an offset, fractions of a second)."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text)


def all_pages(fetch):
    """Every record of a paged endpoint, checking its paging fields on the way."""
    records, page = [], 1
    while True:
        answer = fetch(page)
        if not check(isinstance(answer, dict), f"page {page} is not an object: {answer!r}"):
            return records, 0
        total = answer.get("totalRecords")
        check(answer.get("page") == page, f"page {page} answered page {answer.get('page')}")
        check(isinstance(total, int), f"totalRecords is not a number: {total!r}")
        records += answer.get("records", [])
        if not answer.get("records") or len(records) >= (total or 0):
            return records, total or 0
        page += 1


def main():
    try:
        url = os.environ["ANIWORLD_URL"]
        key = os.environ["ANIWORLD_READ_KEY"]
        wanted_key = os.environ["ANIWORLD_SERIES"]
    except KeyError as missing:
        sys.exit(f"pyarr_check: set {missing.args[0]} (see the top of {__file__})")
    sonarr = SonarrAPI(url, key)

    status = sonarr.get_system_status()
    check(status.get("appName") == "aniworld", f"system/status appName: {status}")
    check(bool(status.get("version")), f"system/status has no version: {status}")
    started = instant(status["startTime"])
    check(started <= datetime.now(timezone.utc) + timedelta(minutes=1),
          f"startTime {started} is in the future")

    health = sonarr.get_health()
    check(isinstance(health, list), f"health is not a list: {health!r}")
    for issue in health:
        check(issue.get("type") in ("ok", "notice", "warning", "error"), f"health type: {issue}")
        check(bool(issue.get("source")) and bool(issue.get("message")), f"health issue: {issue}")

    all_series = sonarr.get_series()
    found = [s for s in all_series if s.get("titleSlug") == wanted_key]
    slugs = [s.get("titleSlug") for s in all_series]
    if not check(len(found) == 1, f"{wanted_key} is not once in get_series, whose keys are {slugs}"):
        return
    series = found[0]
    series_id, title = series["id"], series["title"]
    check(isinstance(series_id, int) and series_id > 0, f"series id {series_id!r}")
    check(bool(title), "the series has no title")
    check(os.path.isabs(series.get("path", "")), f"series path not absolute: {series.get('path')}")
    stats = series["statistics"]
    missing_count = stats["episodeCount"] - stats["episodeFileCount"]
    check(missing_count >= 1, f"the series has no missing episode: {stats}")
    check(sum(s["statistics"]["episodeCount"] for s in series["seasons"]) == stats["episodeCount"],
          f"the seasons' counts do not add up: {series['seasons']}")
    check(len({s["id"] for s in all_series}) == len(all_series), "two series share an id")

    missing, total = all_pages(lambda p: sonarr.get_wanted(page=p, page_size=50))
    check(len(missing) == total, f"wanted/missing listed {len(missing)} of {total}")
    ours = [m for m in missing if m.get("seriesId") == series_id]
    check(len(ours) == missing_count,
          f"wanted/missing has {len(ours)} episodes of {wanted_key}, its statistics {missing_count}")
    for m in ours:
        check(m["series"]["title"] == title, f"missing record's series: {m}")
        check(m.get("hasFile") is False, f"a missing episode has a file: {m}")
        check(isinstance(m["seasonNumber"], int) and isinstance(m["episodeNumber"], int)
              and bool(m["title"]), f"missing record: {m}")
    missing_ids = {m["id"] for m in ours}

    queue, total = all_pages(lambda p: sonarr.get_queue(page=p, page_size=50,
                                                        include_series=True, include_episode=True))
    check(len(queue) == total, f"queue listed {len(queue)} of {total}")
    queued = [q for q in queue if q.get("seriesId") == series_id]
    check(len(queued) >= 1, f"nothing of {wanted_key} in the queue: {queue}")
    for q in queued:
        check(q["status"] in ("queued", "paused", "downloading", "completed", "failed"),
              f"queue status: {q}")
        check(q["trackedDownloadState"] in ("downloading", "imported", "importPending", "failed"),
              f"queue trackedDownloadState: {q}")
        episode = q["episode"]
        check(episode["id"] == q["episodeId"] and episode["seasonNumber"] == q["seasonNumber"],
              f"queue record's episode: {q}")
        check(q["size"] >= q["sizeleft"] >= 0, f"queue sizes: {q}")
        if "timeleft" in q:
            check(re.fullmatch(r"(\d+\.)?\d\d:\d\d:\d\d", q["timeleft"]), f"timeleft: {q}")
        if q["status"] in ("queued", "paused"):
            check(q["episodeId"] in missing_ids,
                  f"a queued episode's id is not among the missing episodes' ids: {q}")

    # The series was added today: its episodes are dated today, none in the year 2000.
    today = datetime.now(timezone.utc)
    calendar = sonarr.get_calendar(today - timedelta(days=1), today + timedelta(days=1))
    dated = [c for c in calendar if c.get("seriesId") == series_id]
    check(len(dated) >= missing_count, f"the calendar holds {len(dated)} episodes of {wanted_key}")
    for c in dated:
        at = instant(c["airDateUtc"])
        check(today - timedelta(days=2) <= at <= today + timedelta(days=2), f"airDateUtc: {c}")
        check(c["series"]["titleSlug"] == wanted_key and c["series"]["title"] == title,
              f"calendar record's series: {c}")
        check(isinstance(c["hasFile"], bool), f"calendar hasFile: {c}")
    check(sonarr.get_calendar(datetime(2000, 1, 1), datetime(2000, 1, 2)) == [],
          "the calendar of 1 January 2000 is not empty")
    # Without a range: today (UTC) and the next two days, as Sonarr.
    midnight = today.replace(hour=0, minute=0, second=0, microsecond=0)
    default = {c["id"] for c in sonarr.get_calendar() if c.get("seriesId") == series_id}
    since_midnight = {c["id"] for c in dated if instant(c["airDateUtc"]) >= midnight}
    check(default == since_midnight,
          f"the default calendar holds {len(default)} episodes of {wanted_key}, "
          f"not the {len(since_midnight)} dated today")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # pyarr's errors (401, 403, ...) and unexpected shapes alike
        failures.append(f"{type(error).__name__}: {error}")
    if failures:
        for failure in failures:
            print(f"pyarr_check: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print("pyarr_check: every check passed")
