#!/usr/bin/env bash
# Correlation (issue 4): N occurrences (identifier, tip) bulk-loaded into a
# fresh SQLite file and a fresh PostgreSQL database (dropped and recreated:
# vigil_bench_correlation, never the tests' databases), then the latency of
# "the first 50 related tips of a value seen 12,000 times" through the Store
# trait and the bytes per occurrence, each against a peer measured in the same
# run. Not part of `cargo test`.
#
#   bash bench/correlation/run.sh [N]          # default 10000000
#   VIGIL_BENCH_POSTGRES_URL=postgres://…/postgres   (admin URL; default
#       postgres://vigil:vigil@127.0.0.1:5433/postgres, see .ci/postgres.sh)
#   BACKENDS=sqlite,postgres  QUERIES=2000  EXTRA="--seed 5"
#   EXTRA="--reuse --rounds 3" bash bench/correlation/run.sh   # time again, no reload
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000000}"
OUT="$PWD/bench/out/correlation"
mkdir -p "$OUT"
cargo build -q --release -p vigil-bench-correlation
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/correlation"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load $(cat /proc/loadavg)"
# shellcheck disable=SC2086
"$BIN" --n "$N" --queries "${QUERIES:-2000}" --backends "${BACKENDS:-sqlite,postgres}" \
    --out "$OUT" --compact ${EXTRA:-} | tee "$OUT/results.txt"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cat /proc/loadavg)"
