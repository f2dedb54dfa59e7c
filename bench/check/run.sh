#!/usr/bin/env bash
# The public check at scale: N sightings (N/4 tips) bulk-loaded into a fresh
# SQLite store in bench/out/check/, then a whole message's check, a value
# seen k - 1 times against one never seen, and the range API (in process
# and over HTTP with 32 clients), each against the same lookups as plain SQL
# in the same run. Not part of `cargo test`.
#
#   bash bench/check/run.sh [N…]        # default: 1250000 10000000 (8× apart)
#   QUERIES=2000 SECONDS_EACH=10 EXTRA="--reuse"
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$PWD/bench/out/check"
mkdir -p "$OUT"
cargo build -q --release -p vigil-bench-check
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/check"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1250000 10000000)
for n in "${SIZES[@]}"; do
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    "$BIN" --n "$n" --out "$OUT" --queries "${QUERIES:-2000}" --seconds "${SECONDS_EACH:-10}" ${EXTRA:-}
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
done | tee "$OUT/results.txt"
