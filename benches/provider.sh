#!/usr/bin/env bash
# The hosters issue's figures on the release binary (examples/provider_figures.rs):
#  1. catalogue requests of one scheduled run on a SERIES-series library, with the
#     new-episodes page naming FEED of them vs a full refresh;
#  2. time for a hoster attempt to fail on a challenge page vs on a page that never answers.
#
#   benches/provider.sh                  # 500 series, feed of 10
#   SERIES=50 FEED=5 benches/provider.sh
set -euo pipefail

SERIES=${SERIES:-500}
FEED=${FEED:-10}
SEASONS=${SEASONS:-2}

cd "$(dirname "$0")/.."
cargo build --quiet --release
cargo build --quiet --profile bench-tools --example provider_figures
target/bench-tools/examples/provider_figures --bin target/release/aniworld \
  --series "$SERIES" --feed "$FEED" --seasons "$SEASONS"
