#!/usr/bin/env bash
# The pipeline end to end through the release binary: N synthetic tips about
# known facilities (vigil-synth) are imported twice into fresh data
# directories, once storing only (--no-process: the peer, same run, same disk)
# and once followed by the pipeline (extract, sightings, cluster, score,
# index). The difference is the pipeline's cost. Then `vigil export
# facilities` is scored against the ground truth (pairwise precision/recall).
#
#   bench/pipeline/run.sh [N] [SEED]        # default 5000 tips, seed 7
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
N="${1:-5000}"
SEED="${2:-7}"
OUT="$PWD/bench/out/pipeline"
rm -rf "$OUT" && mkdir -p "$OUT"
cargo build -q --release -p vigil
cargo build -q --release -p vigil-synth --example hotline_jsonl
"$CARGO_TARGET_DIR/release/examples/hotline_jsonl" "$N" "$SEED" "$OUT/tips.jsonl" "$OUT/truth.tsv"
VIGIL="$CARGO_TARGET_DIR/release/vigil"
echo "load before: $(cat /proc/loadavg)"
t0=$(date +%s.%N)
"$VIGIL" --data-dir "$OUT/store-only" import tips --no-process "$OUT/tips.jsonl" > "$OUT/store-only.log" 2>&1
t1=$(date +%s.%N)
"$VIGIL" --data-dir "$OUT/full" import tips "$OUT/tips.jsonl" > "$OUT/full.log" 2>&1
t2=$(date +%s.%N)
"$VIGIL" --data-dir "$OUT/full" export facilities --format jsonl > "$OUT/facilities.jsonl" 2> "$OUT/export.log"
echo "load after: $(cat /proc/loadavg)"
python3 - "$N" "$t0" "$t1" "$t2" "$OUT" <<'PY'
import itertools, json, sys
n, t0, t1, t2, out = int(sys.argv[1]), *map(float, sys.argv[2:5]), sys.argv[5]
store, full = t1 - t0, t2 - t1
pipeline = max(full - store, 1e-9)
truth = {}
for line in open(f"{out}/truth.tsv"):
    ref, fac = line.rstrip("\n").split("\t")
    truth[ref] = None if fac == "-" else fac
got = {}
for line in open(f"{out}/facilities.jsonl"):
    f = json.loads(line)
    for ref in f["tips"]:
        got[ref] = f["id"]
def pairs(assign):
    groups = {}
    for ref, g in assign.items():
        if g is not None:
            groups.setdefault(g, []).append(ref)
    return {tuple(sorted(p)) for refs in groups.values() for p in itertools.combinations(refs, 2)}
tp_pairs, got_pairs = pairs(truth), pairs(got)
tp = len(tp_pairs & got_pairs)
precision = tp / len(got_pairs) if got_pairs else 1.0
recall = tp / len(tp_pairs) if tp_pairs else 1.0
print(f"tips: {n}")
print(f"import, store only (--no-process): {store:.1f} s = {n/store:.0f} tips/s")
print(f"import + pipeline: {full:.1f} s; the pipeline alone {pipeline:.1f} s = {n/pipeline:.0f} tips/s")
print(f"facilities: {len(set(got.values()))}; pairwise precision {precision:.3f}, recall {recall:.3f}")
PY
