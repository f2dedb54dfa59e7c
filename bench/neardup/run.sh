#!/usr/bin/env bash
# Reproduces `## Near-duplicate text` of BENCHMARKS.md:
#   bash bench/neardup/run.sh                      (N=10000, SEED=1, SAMPLE=4000, REPEAT=5)
#   N=20000 CORPORA=varied bash bench/neardup/run.sh
# For each corpus (synth: vigil_synth::facilities::tips; varied: random words with
# edited copies), runs the Rust bench (release, one thread) and then Python
# datasketch MinHashLSH on the same texts, one after the other in this run, with 128
# permutations (as many values as Vigil's 32 bands × 4 rows) and with 63 (the
# earlier peer setting, matching the old 21 × 3), and prints one table row per
# corpus: texts/s (wall clock and per CPU-second), the ratios, and recall/precision
# against exact all-pairs Jaccard on the sample.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
N="${N:-10000}"; SEED="${SEED:-1}"; SAMPLE="${SAMPLE:-4000}"; REPEAT="${REPEAT:-5}"
CORPORA="${CORPORA:-synth varied}"
venv="$root/bench/.venv"   # git-ignored
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q "datasketch==2.0.0"
cd "$root"
cargo bench -p vigil-intel --bench neardup --no-run
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rows=()
for corpus in $CORPORA; do
  out="$root/bench/out/neardup/$corpus"
  mkdir -p "$out"
  cargo bench -q -p vigil-intel --bench neardup -- --n "$N" --seed "$SEED" --sample "$SAMPLE" \
    --repeat "$REPEAT" --corpus "$corpus" --out "$out"
  "$venv/bin/python" "$root/bench/cluster/peer_datasketch.py" "$out" 128 | tee "$out/datasketch.json"
  "$venv/bin/python" "$root/bench/cluster/peer_datasketch.py" "$out" 63 | tee "$out/datasketch63.json"
  rows+=("$(python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
v = json.load(open(f"{out}/vigil.json"))
d = json.load(open(f"{out}/datasketch.json"))
e = json.load(open(f"{out}/datasketch63.json"))
print(f"| {v['corpus']} | {v['texts']} | {v['texts_per_s']:,.0f} | {v['texts_per_cpu_s']:,.0f} "
      f"| {d['texts_per_s']:,.0f} | {d['texts_per_cpu_s']:,.0f} "
      f"| {v['texts_per_s'] / d['texts_per_s']:.1f}× | {v['texts_per_cpu_s'] / d['texts_per_cpu_s']:.1f}× "
      f"| {e['texts_per_s']:,.0f} | {e['texts_per_cpu_s']:,.0f} "
      f"| {v['texts_per_s'] / e['texts_per_s']:.1f}× | {v['texts_per_cpu_s'] / e['texts_per_cpu_s']:.1f}× "
      f"| {v['sample']} | {v['exact_pairs']} | {v['recall']:.4f} | {v['precision']:.4f} "
      f"| {d['recall']:.4f} / {d['candidate_precision']:.4f} |")
PY
)")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| corpus | texts | Vigil texts/s (wall) | Vigil texts/CPU-s | datasketch 128 texts/s (wall) | datasketch 128 texts/CPU-s | ratio (wall) | ratio (CPU) | datasketch 63 texts/s (wall) | datasketch 63 texts/CPU-s | ratio (wall) | ratio (CPU) | sample | exact pairs J≥0.5 | Vigil recall | Vigil precision | datasketch 128 candidates: recall / precision |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
