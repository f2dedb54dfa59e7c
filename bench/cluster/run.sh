#!/usr/bin/env bash
# Reproduces `## Clustering quality` and `## Near-duplicate text` of BENCHMARKS.md:
#   bash bench/cluster/run.sh                 (N=10000 tips, seeds 1,2,3, BIG=10000)
#   N=20000 SEEDS=1,2 BIG=100000 bash bench/cluster/run.sh
# Runs the Rust bench (release), then Python datasketch on the same texts in a venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
N="${N:-10000}"; SEEDS="${SEEDS:-1,2,3}"; BIG="${BIG:-10000}"
out="$root/bench/out/cluster"
mkdir -p "$out"
cd "$root"
cargo bench -p vigil-intel --bench cluster -- --n "$N" --seeds "$SEEDS" --big "$BIG" --out "$out"
cd "$here"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q "datasketch==2.0.0"
.venv/bin/python peer_datasketch.py "$out"
