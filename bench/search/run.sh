#!/usr/bin/env bash
# The vigil-search benchmark: 1M synthetic tips, vigil-search (tantivy + ICU4X)
# against SQLite FTS5 on the same documents in the same run.
# The index and the FTS5 database are built once in bench/out/search (gitignored)
# and reused while N and the schema version match.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${N:-1000000}"
OUT="$(pwd)/bench/out/search"
mkdir -p "$OUT"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench -p vigil-search --bench search -- --n "$N" --out "$OUT" ${ITERS:+--iters "$ITERS"}
python3 bench/search/fts5.py --n "$N" --out "$OUT"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
