#!/usr/bin/env python3
"""Scores predictions against the corpus's ground truth; prints Markdown.

Usage: score.py CORPUS PRED_VIGIL PRED_PHONENUMBERS PRED_IOC_FINDER VIGIL_SUMMARY PEER_TIMINGS
"""
import json
import sys
from collections import Counter, defaultdict

SECOND_LEVEL = {"com", "net", "org", "edu", "gov"}


def load(path):
    return {r["id"]: r for r in (json.loads(l) for l in open(path, encoding="utf-8"))}


def registrable(host):
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def lenient(kind, value):
    v = value.lower()
    if kind == "url":
        for p in ("https://", "http://"):
            if v.startswith(p):
                v = v[len(p):]
        return v.rstrip("/")
    if kind == "domain":
        return registrable(v)
    return v


def score(truth_rows, preds, kinds=None, norm=None, tag=None, prefix=None):
    """Per kind: [tp, fp, fn]."""
    acc = defaultdict(lambda: [0, 0, 0])
    for tid, row in truth_rows.items():
        truth = Counter()
        for t in row["truth"]:
            if tag and t.get("tag") != tag:
                continue
            truth[(t["kind"], norm(t["kind"], t["value"]) if norm else t["value"])] += 1
        pred = Counter()
        for f in preds.get(tid, {"found": []})["found"]:
            pred[(f["kind"], norm(f["kind"], f["value"]) if norm else f["value"])] += 1
        for key in set(truth) | set(pred):
            kind, value = key
            if kinds and kind not in kinds:
                continue
            if prefix and not value.startswith(prefix):
                continue
            tp = min(truth[key], pred[key])
            a = acc[kind]
            a[0] += tp
            a[1] += pred[key] - tp
            a[2] += truth[key] - tp
    return acc


def pr(a):
    tp, fp, fn = a
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return p, r


def main():
    corpus, pv, pp, pi, summary, timings = sys.argv[1:7]
    truth = load(corpus)
    vigil, pnm, ioc = load(pv), load(pp), load(pi)
    summ = json.load(open(summary))
    tim = json.load(open(timings))
    n = len(truth)
    print(f"Corpus: {n} generated tips, {summ['avg_bytes']:.0f} bytes on average "
          f"(English, Khmer, Chinese, Vietnamese, Thai), {sum(len(r['truth']) for r in truth.values())} "
          "known identifiers, plus traps (dates, amounts, ranges, order/invoice numbers, IMEIs, broken wallets).\n")
    print("### Throughput (one core)\n")
    print("Texts per second on one core: wall clock, and per CPU-second of the process "
          "(the machine is shared, so wall time includes waiting for a core).\n")
    print("| extractor | kinds | texts/s (wall) | texts per CPU-s | vs phonenumbers (CPU) | vs ioc-finder (CPU) |")
    print("|---|---|---:|---:|---:|---:|")
    v, vc = summ["texts_per_s"], summ.get("texts_per_cpu_s") or summ["texts_per_s"]
    pc, ic = tim["phonenumbers_cpu"], tim["ioc_finder_cpu"]
    print(f"| Vigil `vigil-extract` (release) | all 17 | {v:,.0f} | {vc:,.0f} | {vc / pc:.0f}× | {vc / ic:.0f}× |")
    print(f"| Python `phonenumbers.PhoneNumberMatcher` (KH) | phone | {tim['phonenumbers']:,.0f} | {pc:,.0f} | 1× | |")
    print(f"| Python `ioc-finder` `find_iocs` | url, domain, email (+ others) | {tim['ioc_finder']:,.0f} | {ic:,.0f} | | 1× |")
    print()
    print("### Vigil per kind (exact normal form)\n")
    print("| kind | truth | precision | recall |")
    print("|---|---:|---:|---:|")
    acc = score(truth, vigil)
    tot = [0, 0, 0]
    for kind in sorted(acc):
        a = acc[kind]
        tot = [x + y for x, y in zip(tot, a)]
        p, r = pr(a)
        print(f"| {kind} | {a[0] + a[2]} | {p:.4f} | {r:.4f} |")
    p, r = pr(tot)
    print(f"| **all** | {tot[0] + tot[2]} | **{p:.4f}** | **{r:.4f}** |")
    print()
    print("### Side by side on the kinds the peers find\n")
    print("URLs compared without scheme and trailing slash, domains reduced to the registrable "
          "domain, e-mails lowercased (for every extractor alike).\n")
    print("| kind | Vigil P | Vigil R | peer | peer P | peer R |")
    print("|---|---:|---:|---|---:|---:|")
    av = score(truth, vigil, norm=lenient)
    ap = score(truth, pnm, kinds={"phone"}, norm=lenient)
    ai = score(truth, ioc, kinds={"url", "domain", "email"}, norm=lenient)
    for kind, peer, a in [("phone", "phonenumbers", ap), ("url", "ioc-finder", ai),
                          ("domain", "ioc-finder", ai), ("email", "ioc-finder", ai)]:
        vp, vr = pr(av[kind])
        pp_, pr_ = pr(a[kind])
        print(f"| {kind} | {vp:.4f} | {vr:.4f} | {peer} | {pp_:.4f} | {pr_:.4f} |")
    print()
    print("### Chinese mobiles written locally (`1[3-9]` + 9 digits, no +86)\n")
    cv = score(truth, vigil, kinds={"phone"}, tag="cn_local")["phone"]
    cp = score(truth, pnm, kinds={"phone"}, tag="cn_local")["phone"]
    pv86 = score(truth, vigil, kinds={"phone"}, prefix="+86")["phone"]
    pp86 = score(truth, pnm, kinds={"phone"}, prefix="+86")["phone"]
    print("| extractor | recall on local CN mobiles | precision of all +86 results |")
    print("|---|---:|---:|")
    print(f"| Vigil | {cv[0] / max(1, cv[0] + cv[2]):.4f} ({cv[0]}/{cv[0] + cv[2]}) | {pr(pv86)[0]:.4f} |")
    print(f"| phonenumbers | {cp[0] / max(1, cp[0] + cp[2]):.4f} ({cp[0]}/{cp[0] + cp[2]}) | {pr(pp86)[0]:.4f} |")


if __name__ == "__main__":
    main()
