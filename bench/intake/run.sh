#!/usr/bin/env bash
# The intake benchmark (issue 2, "Performance"): builds in release and runs, in
# one process and on one disk, a plain SQLite loop with one fsynced INSERT per
# transaction (the peer), the store alone, core intake (argon2 receipts) and the
# HTTP API of the release `vigil serve` driven by wrk and a paced client on
# 127.0.0.1. Results go to bench/out/ (gitignored): intake-latest.md, one
# timestamped copy per run, the wrk logs and the servers' logs.
#
#   bench/intake/run.sh                  # everything, about 3-4 minutes on 2 cores
#   bench/intake/run.sh --secs 3         # shorter measurements
#   bench/intake/run.sh --phases peer,store
#
# Options after the script name go to the benchmark (see the top of
# crates/vigil-synth/benches/intake/main.rs). CARGO_TARGET_DIR defaults to
# target-bench so a benchmark build does not disturb other builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"

if ! command -v wrk >/dev/null; then
  echo "wrk not found: trying apt-get (the benchmark falls back to its own client otherwise)" >&2
  (apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1)) || true
fi

cargo build --release -p vigil
mkdir -p bench/out
cargo bench -p vigil-synth --bench intake -- \
  --vigil-bin "$CARGO_TARGET_DIR/release/vigil" --out "$PWD/bench/out" "$@" \
  2>&1 | tee bench/out/intake-run.log
