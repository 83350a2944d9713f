"""Helpers of benches/soak.sh (run by it, not by hand):

  soak.py wait-library BASE TOKEN N          waits until GET /api/anime lists N series
  soak.py prefill BASE TOKEN N                publishes events (POST /api/queue/start, /stop;
      two each) until the server's replay buffer holds N
  soak.py drive BASE TOKEN PID ANIME CSV STOP MP4_MIB SEGMENTS
      keeps bench-media S01E01 and S01E02 downloading until the file STOP exists: every
      completed item's file is checked (size) and deleted, the item removed
      (DELETE /api/queue) and the episode added again; failed items are counted, removed and
      added again too. Every 10 s a sample of the server (VmRSS, open fds, threads, CPU % of
      one core since the last sample, the replay buffer's events and KiB from /ws/status) and
      of the downloads goes to CSV and, as a table row,
      to stderr; the first is phase `start` (before the downloads and the other load), the rest `load`, and one more `after`, 5 s after
      STOP appeared (the load over, the downloads still running). Prints one JSON line with
      the totals at the end.
  soak.py report WORK CSV WARMUP SECS CONNS CLIENTS
      the figures of the run; exits 1 on any error.
"""

import csv
import http.client
import json
import os
import sys
import time

SEGMENT_BYTES = 188_000
SAMPLE_EVERY = 10
TICKS = os.sysconf("SC_CLK_TCK")


def client(base, token):
    host, port = base.split("//")[1].split(":")

    def call(method, path, body=None):
        c = http.client.HTTPConnection(host, int(port), timeout=60)
        c.request(method, path, body=None if body is None else json.dumps(body),
                  headers={"Authorization": f"Bearer {token}",
                           "Content-Type": "application/json"})
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status >= 300:
            sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None

    return call


def wait_library(base, token, n):
    api = client(base, token)
    deadline = time.time() + 600
    while True:
        listed, page = 0, 1
        while True:
            got = api("GET", f"/api/anime?per_page=1000&page={page}")
            listed += len(got)
            if len(got) < 1000:
                break
            page += 1
        if listed >= n:
            return
        if time.time() > deadline:
            sys.exit(f"only {listed} of {n} series listed after 600 s")
        time.sleep(0.5)


def prefill(base, token, n):
    api = client(base, token)
    while (held := api("GET", "/ws/status")["replay_buffer"]["events"]) < n:
        for _ in range(min(256, (n - held + 1) // 2)):
            api("POST", "/api/queue/start")
            api("POST", "/api/queue/stop")


def proc(pid):
    """VmRSS (KiB), open fds, threads, utime + stime (ticks) of a process."""
    status = open(f"/proc/{pid}/status").read().split("\n")
    field = {line.split(":")[0]: line.split(":")[1].split() for line in status if ":" in line}
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(field["VmRSS"][0]), len(os.listdir(f"/proc/{pid}/fd")), int(field["Threads"][0]),
            int(stat[11]) + int(stat[12]))


COLUMNS = ["t_s", "phase", "rss_kib", "fds", "threads", "cpu_pct", "replay_ev", "replay_kib",
           "completed", "failed", "mib_done", "active"]


def drive(base, token, pid, anime, out, stop, mp4_mib, segments):
    api = client(base, token)
    sizes = {1: mp4_mib * 2**20, 2: segments * SEGMENT_BYTES}

    def add(episodes):
        got = api("POST", "/api/queue/add", {
            "serie_id": "bench-media", "priority": "NORMAL",
            "episodes": [{"season": 1, "episode": e} for e in episodes]})
        if got["failed_items"]:
            sys.exit(f"add refused: {got['failed_items']}")

    completed = failed = retries = 0
    done_bytes = 0
    errors, bad_sizes = [], []
    rows = []
    t0 = time.monotonic()
    next_sample = t0
    last_cpu = None
    after = None

    def sample(phase, now, status):
        nonlocal last_cpu
        rss, fds, threads, cpu = proc(pid)
        cpu_pct = "" if last_cpu is None else round(
            (cpu - last_cpu[0]) / TICKS / (now - last_cpu[1]) * 100, 1)
        last_cpu = (cpu, now)
        replay = api("GET", "/ws/status")["replay_buffer"]
        row = [round(now - t0), phase, rss, fds, threads, cpu_pct, replay["events"],
               round(replay["bytes"] / 1024), completed, failed,
               round(done_bytes / 2**20), len(status["active_downloads"])]
        writer.writerow(row)
        writer_file.flush()
        rows.append(row)
        print(" ".join(f"{v:>10}" for v in row), file=sys.stderr, flush=True)

    writer_file = open(out, "w", newline="")
    writer = csv.writer(writer_file)
    writer.writerow(COLUMNS)
    print(" ".join(f"{c:>10}" for c in COLUMNS), file=sys.stderr, flush=True)
    sample("start", t0, api("GET", "/api/queue/status")["status"])
    next_sample += SAMPLE_EVERY
    add(sizes)
    api("POST", "/api/queue/start")
    while True:
        status = api("GET", "/api/queue/status")["status"]
        finished = []
        for item in status["completed_downloads"]:
            completed += 1
            retries += item.get("retry_count", 0)
            path = os.path.join(anime, item["file"])
            size = os.path.getsize(path)
            if size != sizes[item["episode"]["episode"]]:
                bad_sizes.append((item["file"], size))
            done_bytes += size
            os.remove(path)
            finished.append(item)
        for item in status["failed_downloads"]:
            failed += 1
            errors.append(item.get("error"))
            finished.append(item)
        if finished:
            api("DELETE", "/api/queue", {"item_ids": [i["id"] for i in finished]})
            add(sorted({i["episode"]["episode"] for i in finished}))
        now = time.monotonic()
        if after is not None and now >= after:
            sample("after", now, status)
            break
        if after is None and now >= next_sample:
            sample("load", now, status)
            next_sample += SAMPLE_EVERY
        if after is None and os.path.exists(stop):
            after = now + 5
        time.sleep(1)
    writer_file.close()
    print(json.dumps({"completed": completed, "failed": failed, "retries": retries,
                      "mib": round(done_bytes / 2**20, 1), "errors": errors[:5],
                      "bad_sizes": bad_sizes, "secs": round(time.monotonic() - t0, 1)}))


def wrk_result(path):
    for line in open(path):
        if line.startswith("SOAK "):
            r = json.loads(line[5:])
            r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
            r["socket_errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
            return r
    sys.exit(f"{path}: no SOAK line:\n" + open(path).read())


def report(work, out, warmup, secs, conns, clients):
    problems = []
    health = [wrk_result(os.path.join(work, f"health-{i}.wrk")) for i in (1, 2, 3)]
    share = sum(h["rps"] for h in health) / 3
    total_health = sum(h["rps"] for h in health)
    ms = lambda us: f"{us / 1000:.1f} ms"
    print(f"\n== HTTP: 3 × wrk -t1 -c{conns}, {secs} s (baseline GET /health, 3 × the same, "
          f"{health[0]['duration_us'] / 1e6:.0f} s before) ==")
    print(f"{'endpoint':<44} {'requests':>10} {'req/s':>9} {'vs /health':>10} {'p50':>9} "
          f"{'p99':>9} {'max':>9} {'sock err':>8} {'non-2xx':>8}")
    rows = [(f"GET /health (baseline, wrk {i})", h) for i, h in enumerate(health, 1)]
    rows += [("GET /api/queue/status", wrk_result(os.path.join(work, "status.wrk"))),
             ("GET /api/anime?per_page=100 (pages)", wrk_result(os.path.join(work, "list.wrk"))),
             ("GET /api/anime/search?query=…", wrk_result(os.path.join(work, "search.wrk")))]
    for name, r in rows:
        print(f"{name:<44} {r['requests']:>10,} {r['rps']:>9,.0f} {r['rps'] / share:>10.3f} "
              f"{ms(r['p50_us']):>9} {ms(r['p99_us']):>9} {ms(r['max_us']):>9} "
              f"{r['socket_errors']:>8} {r['non_2xx']:>8}")
        if r["socket_errors"] or r["non_2xx"]:
            problems.append(f"{name}: {r['socket_errors']} socket errors, statuses {r['statuses']}")
    soak_total = sum(r["rps"] for _, r in rows[3:])
    print(f"{'all three together':<44} {sum(r['requests'] for _, r in rows[3:]):>10,} "
          f"{soak_total:>9,.0f} {soak_total / total_health:>10.3f}  (/health: {total_health:,.0f} req/s)")

    ws = json.load(open(os.path.join(work, "ws.json")))
    window = ws["window_secs"]
    print(f"\n== WebSocket: {clients} clients in the downloads room ==")
    print(f"joined {ws['joined']} of {ws['clients']} in {ws['connect_secs']} s "
          f"(connect failures {ws['connect_failed']}); {ws['messages_received']:,} messages in "
          f"{window} s ({ws['messages_received'] / window:,.0f}/s, "
          f"{ws['messages_received'] / max(ws['joined'], 1):,.0f} per client)")
    print("by type: " + ", ".join(f"{k} {v:,}" for k, v in ws["messages_by_type"].items()))
    print(f"latency p50 {ws['latency_ms_p50']} ms, p99 {ws['latency_ms_p99']} ms, max "
          f"{ws['latency_ms_max']} ms; dropped reported {ws['dropped_reported']}; disconnects "
          f"{ws['disconnects']}; load client CPU {ws['load_client_cpu_percent_of_one_core']:.1f} %")
    if ws["joined"] != clients or ws["connect_failed"] or ws["disconnects"] or ws["dropped_reported"]:
        problems.append(f"WebSocket: joined {ws['joined']}, failed {ws['connect_failed']}, "
                        f"disconnects {ws['disconnects']}, dropped {ws['dropped_reported']}")
    if ws["messages_received"] == 0:
        problems.append("WebSocket: no message received")

    d = json.load(open(os.path.join(work, "drive.json")))
    print(f"\n== Downloads (parallel 2, bandwidth-limited) ==")
    print(f"completed {d['completed']} ({d['mib']:,} MiB, {d['mib'] / d['secs']:.2f} MiB/s), "
          f"failed {d['failed']}, retries {d['retries']}, wrong sizes {len(d['bad_sizes'])}")
    if d["failed"] or d["bad_sizes"] or d["completed"] == 0:
        problems.append(f"downloads: failed {d['failed']} {d['errors']}, sizes {d['bad_sizes']}")

    samples = list(csv.DictReader(open(out)))
    # Samples inside the load window (the WebSocket clients leave at about `secs`).
    load = [s for s in samples if s["phase"] == "load" and int(s["t_s"]) < secs]
    after = [s for s in load if int(s["t_s"]) >= warmup] or load
    start, end = samples[0], samples[-1]
    rss = [int(s["rss_kib"]) for s in after]
    fds = [int(s["fds"]) for s in after]
    threads = [int(s["threads"]) for s in after]
    all_fds = [int(s["fds"]) for s in load]
    cpu = [float(s["cpu_pct"]) for s in after if s["cpu_pct"]]
    mib = lambda k: f"{k / 1024:.1f} MiB"
    growth = (rss[-1] - rss[0]) / rss[0] * 100
    # The same from the means of the first and the last minute after warm-up: one sample
    # moves by ±1 MiB with the downloads' buffers.
    first_min = [int(s["rss_kib"]) for s in after if int(s["t_s"]) < int(after[0]["t_s"]) + 60]
    last_min = [int(s["rss_kib"]) for s in after if int(s["t_s"]) > int(after[-1]["t_s"]) - 60]
    mean = lambda v: sum(v) / len(v)
    growth_means = (mean(last_min) - mean(first_min)) / mean(first_min) * 100
    print(f"\n== Server process, {len(samples)} samples every {SAMPLE_EVERY} s "
          f"(warm-up {warmup} s) ==")
    print(f"RSS under load: first after warm-up (t={after[0]['t_s']} s) {mib(rss[0])}, last "
          f"(t={after[-1]['t_s']} s) {mib(rss[-1])}, min {mib(min(rss))}, max {mib(max(rss))}; "
          f"growth after warm-up {growth:+.1f} %; first vs last minute (means of "
          f"{len(first_min)} and {len(last_min)} samples) {mib(mean(first_min))} vs "
          f"{mib(mean(last_min))}, {growth_means:+.1f} %")
    print(f"open fds under load: min {min(all_fds)}, max {max(all_fds)} (after warm-up "
          f"{min(fds)}–{max(fds)}, last {fds[-1]}); threads {min(threads)}–{max(threads)}; "
          f"server CPU {sum(cpu) / max(len(cpu), 1):.0f} % of one core on average")
    print(f"replay buffer: {after[0]['replay_ev']} events / {after[0]['replay_kib']} KiB after "
          f"warm-up, {after[-1]['replay_ev']} / {after[-1]['replay_kib']} KiB at the end "
          f"(before the load: {start['replay_ev']} / {start['replay_kib']} KiB)")
    print(f"before the load (t={start['t_s']} s): RSS {mib(int(start['rss_kib']))}, "
          f"{start['fds']} fds; 5 s after it (t={end['t_s']} s, downloads running): "
          f"RSS {mib(int(end['rss_kib']))}, {end['fds']} fds")
    if growth_means > float(os.environ.get("RSS_GROWTH_MAX", "10")):
        problems.append(f"RSS grew {growth_means:+.1f} % after warm-up (minute means)")
    if fds[-1] > fds[0] + 10:
        problems.append(f"open fds grew from {fds[0]} to {fds[-1]}")
    print(f"samples: {out}")
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("\nno errors")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "wait-library":
        wait_library(args[0], args[1], int(args[2]))
    elif cmd == "prefill":
        prefill(args[0], args[1], int(args[2]))
    elif cmd == "drive":
        drive(args[0], args[1], int(args[2]), args[3], args[4], args[5], int(args[6]),
              int(args[7]))
    elif cmd == "report":
        report(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), int(args[5]))
    else:
        sys.exit(__doc__)
