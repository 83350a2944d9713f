#!/usr/bin/env bash
# Library scan against `find`: generates SERIES series folders (each with a sidecar and
# FILES episode files in two season folders) in a temp dir, then times `find | wc -l` and
# the product's scan (examples/library_scan.rs), best of RUNS, with the page cache warm.
#
# Goal (issue "library"): scan <= 1.5x find, peak RSS <= 60 MiB at 2,000 x 50.
#
#   benches/library_scan.sh                 # 2000 x 50, release build
#   SERIES=20 FILES=5 PROFILE=dev benches/library_scan.sh   # a quick smoke run
set -euo pipefail

SERIES=${SERIES:-2000}
FILES=${FILES:-50}
RUNS=${RUNS:-5}
PROFILE=${PROFILE:-release}

cd "$(dirname "$0")/.."
if [ "$PROFILE" = release ]; then
  cargo build --quiet --release --example library_scan
  BIN=target/release/examples/library_scan
else
  cargo build --quiet --example library_scan
  BIN=target/debug/examples/library_scan
fi

LIB=$(mktemp -d -t aniworld-scan-XXXXXX)
trap 'rm -rf "$LIB"' EXIT

echo "generating $SERIES series x $FILES files in $LIB"
for s in $(seq 1 "$SERIES"); do
  dir="$LIB/Series $s (2020)"
  mkdir -p "$dir/Season 01" "$dir/Season 02"
  printf '{"key":"series-%d","name":"Series %d","site":"aniworld.to","link":"https://aniworld.to/anime/stream/series-%d"}' \
    "$s" "$s" "$s" > "$dir/aniworld.json"
  half=$((FILES / 2))
  for e in $(seq 1 "$FILES"); do
    if [ "$e" -le "$half" ]; then season=01; else season=02; fi
    : > "$dir/Season $season/Series $s (2020) - S${season}E$(printf '%02d' "$e").mp4"
  done
done

best() { sort -n | head -1; }
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }

# Warm the page cache once, so both sides read from memory.
find "$LIB" | wc -l

find_ms=$(for _ in $(seq 1 "$RUNS"); do ms sh -c "find '$LIB' | wc -l"; done | best)
scan_ms=$(for _ in $(seq 1 "$RUNS"); do ms "$BIN" "$LIB"; done | best)
report=$("$BIN" "$LIB")

echo "find | wc -l : ${find_ms} ms (best of $RUNS)"
echo "library scan : ${scan_ms} ms (best of $RUNS, whole process)  $report"
awk -v s="$scan_ms" -v f="$find_ms" 'BEGIN { if (f == 0) f = 1; printf "ratio        : %.2fx find (goal <= 1.5x)\n", s / f }'
