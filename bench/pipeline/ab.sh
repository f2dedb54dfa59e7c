#!/usr/bin/env bash
# Same-run comparison of two vigil binaries on one hotline file: storing only
# and import + pipeline, alternating, R rounds.
set -euo pipefail
TIPS=$1; R=${2:-2}; shift 2
for r in $(seq 1 $R); do
  for b in "$@"; do
    d=$(mktemp -d); t0=$(date +%s.%N)
    $b --data-dir $d/s import tips --no-process $TIPS >/dev/null 2>&1
    t1=$(date +%s.%N)
    $b --data-dir $d/f import tips $TIPS >/dev/null 2>&1
    t2=$(date +%s.%N)
    python3 -c "import sys; n=$(wc -l < $TIPS); s=$t1-$t0; f=$t2-$t1; p=f-s; print(f'{sys.argv[1]} round $r: store {n/s:,.0f} tips/s, pipeline {n/p:,.0f} tips/s, ratio {s/p:.2f}')" $(basename $b)
    rm -rf $d
  done
done
