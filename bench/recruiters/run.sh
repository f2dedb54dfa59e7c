#!/usr/bin/env bash
# Recruiters at two sizes 8x apart: N victims recorded through Vigil (home
# villages in 400 communes, one recruiter per 20 victims named by a phone
# number or a handle in varied formats, a tenth of the recruiters arrested),
# into a fresh SQLite store in bench/out/recruiters/; then the recruiter's
# page, the commune view, the list and the prevention ranking, each timed
# against the persons figures over the same records in the same run. Not
# part of `cargo test`.
#
#   bash bench/recruiters/run.sh [N…]     # default: 4000 32000
#   ROUNDS=200
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$PWD/bench/out/recruiters"
mkdir -p "$OUT"
cargo build -q --release -p vigil-bench-recruiters
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/recruiters"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(4000 32000)
for n in "${SIZES[@]}"; do
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "${OUT:?}/$n"
    "$BIN" --n "$n" --out "$OUT/$n" --rounds "${ROUNDS:-200}"
    echo
done | tee "$OUT/results.txt"
