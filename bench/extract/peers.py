#!/usr/bin/env python3
"""Runs the peers over the corpus: phonenumbers.PhoneNumberMatcher (region KH) and
ioc-finder (URLs, domains, e-mails). Writes predictions per peer and prints timings.

Usage: peers.py CORPUS OUT_DIR
"""
import json
import sys
import time

import phonenumbers
from ioc_finder import find_iocs


def main():
    corpus, out_dir = sys.argv[1], sys.argv[2]
    rows = [json.loads(l) for l in open(corpus, encoding="utf-8")]
    texts = [r["text"] for r in rows]
    timings = {}

    # phonenumbers: warm up, then one timed pass.
    for t in texts[:200]:
        list(phonenumbers.PhoneNumberMatcher(t, "KH"))
    t0, c0 = time.perf_counter(), time.process_time()
    preds = []
    for r, t in zip(rows, texts):
        found = [{"kind": "phone", "value": phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)}
                 for m in phonenumbers.PhoneNumberMatcher(t, "KH")]
        preds.append({"id": r["id"], "found": found})
    timings["phonenumbers"] = len(texts) / (time.perf_counter() - t0)
    timings["phonenumbers_cpu"] = len(texts) / (time.process_time() - c0)
    with open(f"{out_dir}/pred_phonenumbers.jsonl", "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")

    # ioc-finder: warm up, then one timed pass.
    for t in texts[:50]:
        find_iocs(t)
    t0, c0 = time.perf_counter(), time.process_time()
    preds = []
    for r, t in zip(rows, texts):
        iocs = find_iocs(t)
        found = [{"kind": "url", "value": u} for u in iocs.get("urls", [])]
        found += [{"kind": "domain", "value": d} for d in iocs.get("domains", [])]
        found += [{"kind": "email", "value": e} for e in iocs.get("email_addresses", [])]
        preds.append({"id": r["id"], "found": found})
    timings["ioc_finder"] = len(texts) / (time.perf_counter() - t0)
    timings["ioc_finder_cpu"] = len(texts) / (time.process_time() - c0)
    with open(f"{out_dir}/pred_ioc_finder.jsonl", "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    json.dump(timings, open(f"{out_dir}/peer_timings.json", "w"))
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
