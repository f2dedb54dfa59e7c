#!/usr/bin/env bash
# Reproduces the `## Extraction` figures of BENCHMARKS.md:
#   bash bench/extract/run.sh            (N=20000 tips, seed 7, 20 timed passes)
#   N=5000 PASSES=5 bash bench/extract/run.sh
# Creates a virtual environment with the peers (phonenumbers, ioc-finder), generates
# the corpus with its ground truth, builds the Rust benchmark in release mode, runs
# Vigil and the peers on the same corpus, and prints the Markdown tables
# (also written to bench/extract/out/results.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
N="${N:-20000}"
SEED="${SEED:-7}"
PASSES="${PASSES:-20}"
target="${CARGO_TARGET_DIR:-$root/target-extract}"
cd "$here"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install -q "phonenumbers==9.0.43" "ioc-finder==9.4.1"
mkdir -p out
.venv/bin/python gen_corpus.py --n "$N" --seed "$SEED" \
    --eth "$root/crates/vigil-extract/tests/data/eip55_accounts.json" > out/corpus.jsonl
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build -q --release -p vigil-extract --example bench)
"$target/release/examples/bench" out/corpus.jsonl out/pred_vigil.jsonl "$PASSES" > out/vigil_summary.json
.venv/bin/python peers.py out/corpus.jsonl out > /dev/null
.venv/bin/python score.py out/corpus.jsonl out/pred_vigil.jsonl out/pred_phonenumbers.jsonl \
    out/pred_ioc_finder.jsonl out/vigil_summary.json out/peer_timings.json > out/results.md
{
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >> out/results.md
cat out/results.md
