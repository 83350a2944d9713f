"""Writes a library on disk for the benchmarks: SERIES folders `Series <i> (2020)`, each with
its aniworld.json sidecar (key series-<i>, linked to SITE) and FILES empty episode files
S01E01.. in `Season 01`. Usage: python3 benches/library_dirs.py ROOT SITE SERIES FILES"""
import json
import os
import sys

root, site, n, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(1, n + 1):
    folder = os.path.join(root, f"Series {i} (2020)")
    os.makedirs(os.path.join(folder, "Season 01"), exist_ok=True)
    with open(os.path.join(folder, "aniworld.json"), "w") as f:
        json.dump({"key": f"series-{i}", "name": f"Series {i}", "site": "aniworld.to",
                   "link": f"{site}/anime/stream/series-{i}"}, f)
    for e in range(1, files + 1):
        open(os.path.join(folder, "Season 01", f"Series {i} (2020) - S01E{e:02d}.mp4"), "w").close()
