#!/usr/bin/env python3
"""Shows false positives and misses of one extractor for one kind (debugging aid).

Usage: diff.py CORPUS PRED KIND [LIMIT]
"""
import json
import sys
from collections import Counter

corpus, pred, kind = sys.argv[1:4]
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 15
truth = {r["id"]: r for r in map(json.loads, open(corpus, encoding="utf-8"))}
preds = {r["id"]: r for r in map(json.loads, open(pred, encoding="utf-8"))}
shown = 0
for tid, row in truth.items():
    t = Counter(x["value"] for x in row["truth"] if x["kind"] == kind)
    p = Counter(x["value"] for x in preds[tid]["found"] if x["kind"] == kind)
    fp, fn = p - t, t - p
    if fp or fn:
        print(f"#{tid} FP={dict(fp)} FN={dict(fn)}\n   {row['text'][:400]}")
        shown += 1
        if shown >= limit:
            break
