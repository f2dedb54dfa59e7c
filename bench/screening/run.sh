#!/usr/bin/env bash
# Reproduces the `## Exit screening` figures of BENCHMARKS.md:
#   bash bench/screening/run.sh              (2 rounds)
#   ROUNDS=1 bash bench/screening/run.sh
# Creates a virtual environment with the peer's one dependency (phonenumbers) in
# bench/out/screening/.venv, builds the Rust benchmark in release mode, writes the
# inputs once (a 100,000-entry watchlist, 20,000 travellers timed one by one,
# 100,000 for the batch), then runs Vigil and the Python peer (peer.py) on the
# same files, alternating, and prints the Markdown table (also written to
# bench/out/screening/results.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/screening"
ROUNDS="${ROUNDS:-2}"
mkdir -p "$out"
if [ ! -x "$out/.venv/bin/python" ]; then
    python3 -m venv "$out/.venv"
fi
"$out/.venv/bin/pip" install -q "phonenumbers==9.0.43"
(cd "$root" && cargo build -q --release -p vigil-screening --example decide)
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/decide"
"$bin" gen "$out/data" 100000 20000 100000
: > "$out/data/rust.jsonl"
: > "$out/data/python.jsonl"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$ROUNDS"); do
    "$bin" run "$out/data" >> "$out/data/rust.jsonl"
    "$out/.venv/bin/python" "$here/peer.py" "$out/data" >> "$out/data/python.jsonl"
done
{
    "$out/.venv/bin/python" "$here/compare.py" "$out/data"
    echo
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); Python $("$out/.venv/bin/python" -c 'import platform, phonenumbers; print(platform.python_version(), "with phonenumbers", phonenumbers.__version__)'); load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$out/results.md"
cat "$out/results.md"
