#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers and decoders, one target after another on one core.
#
#   fuzz/run.sh [seconds-per-target] [target...]     (default: 600 s, every target)
#
# Needs only the stable toolchain: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's -Z flags.
# Each run starts from the seeds (fuzz/seeds/ and tests/fixtures/hosters/), kept with what it
# finds in fuzz/corpus/<target>/; findings (crash-*, oom-*, leak-*, timeout-*) land in
# fuzz/artifacts/<target>/, the fuzzer's output in fuzz/logs/<target>.log. Exits 1 when any
# target found something. Reproduce a finding with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
# and shrink it with `cargo fuzz tmin <target> <file>`.
set -euo pipefail

secs="${1:-600}"
shift || true
all_targets=(catalogue hosters decoders hls episode_names)
targets=("${@:-${all_targets[@]}}")

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
cd "$here"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

# A seed file named `<n>-...` is given the selector byte n in front; the others are used as
# they are.
selector_byte() { printf "\\$(printf '%03o' "$1")"; }

seed() { # seed <target> <selector or -> <file> [suffix]
    local out="corpus/$1/seed-$2-$(basename "$3")"
    { [ "$2" = - ] || selector_byte "$2"; cat "$3"; printf '%s' "${4:-}"; } >"$out"
}

prepare_corpus() {
    local t="$1" f n
    mkdir -p "corpus/$t" "artifacts/$t"
    for f in "seeds/$t"/*; do
        [ -e "$f" ] || continue
        n="$(basename "$f")"
        if [[ "$n" =~ ^([0-9]+)- ]]; then seed "$t" "${BASH_REMATCH[1]}" "$f"; else seed "$t" - "$f"; fi
    done
    local fixtures="$repo/tests/fixtures/hosters"
    case "$t" in
    hosters)
        for f in "$fixtures"/*.html; do
            case "$(basename "$f")" in
            voe*) seed "$t" 0 "$f" ;;
            filemoon*) seed "$t" 1 "$f" ;;
            vidmoly*) seed "$t" 2 "$f" ;;
            doodstream*) seed "$t" 3 "$f" $'\x00https://cdn.example/d/' ;;
            vidoza*) seed "$t" 4 "$f" ;;
            streamtape*) seed "$t" 5 "$f" ;;
            esac
        done
        ;;
    decoders)
        for f in "$fixtures"/voe_a168c.html "$fixtures"/voe_json_player.html; do seed "$t" 0 "$f"; done
        seed "$t" 2 "$fixtures/filemoon_packed.html"
        ;;
    esac
}

echo "building the fuzz targets"
cargo fuzz build
# The binaries are run as built (what `cargo fuzz run` does, without its rebuild check
# before each target).
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"

summary=()
found_any=0
mkdir -p logs
for t in "${targets[@]}"; do
    prepare_corpus "$t"
    log="logs/$t.log"
    start="logs/$t.start"
    touch "$start"
    echo "fuzzing $t for ${secs} s (log: fuzz/$log)"
    # One process, so one core. -malloc_limit_mb fails a run on any single allocation of
    # 256 MB or more ("unbounded allocation"), -rss_limit_mb on 512 MB resident, -timeout on
    # one input taking 10 s.
    set +e
    "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$secs" -rss_limit_mb=512 -malloc_limit_mb=256 -timeout=10 \
        -max_len=8192 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    stat() { grep -o "^stat::$1: *[0-9]*" "$log" | grep -o '[0-9]*$' | tail -1; }
    execs="$(stat number_of_executed_units)"
    rate="$(stat average_exec_per_sec)"
    rss="$(stat peak_rss_mb)"
    last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
    cov="$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)"
    ft="$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)"
    corpus="$(find "corpus/$t" -type f | wc -l)"
    new="$(find "artifacts/$t" -type f -newer "$start" -printf '%f ')"
    if [ "$rc" -eq 0 ] && [ -z "$new" ]; then
        findings="none"
    else
        found_any=1
        findings="rc=$rc: $new"
        findings="$findings$(grep -m1 -E 'panicked at|ERROR: libFuzzer|SUMMARY' "$log" || true)"
    fi
    summary+=("$(printf '%-14s %12s %8s %6s %7s %7s %9s  %s' "$t" "${execs:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "$corpus" "${rss:-?} MB" "$findings")")
    rm -f "$start"
done

echo
printf '%-14s %12s %8s %6s %7s %7s %9s  %s\n' target executions exec/s cov features corpus "peak RSS" findings
printf '%s\n' "${summary[@]}"
exit "$found_any"
