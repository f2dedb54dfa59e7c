"""Prints the Markdown table of bench/screening/run.sh from the two summaries,
and how often Vigil and the peer reached the same outcome and score."""

import json
import sys


def agreement(d, name):
    def read(who):
        with open(f"{d}/{who}_{name}.tsv", encoding="utf-8") as f:
            return [line.rstrip("\n").split("\t") for line in f]
    r, p = read("rust"), read("python")
    same_outcome = sum(a[1] == b[1] for a, b in zip(r, p))
    same_score = sum(a[1:] == b[1:] for a, b in zip(r, p))
    return len(r), same_outcome, same_score


def main():
    d = sys.argv[1]
    rust = [json.loads(line) for line in open(f"{d}/rust.jsonl", encoding="utf-8")]
    py = [json.loads(line) for line in open(f"{d}/python.jsonl", encoding="utf-8")]
    print("| round | measurement | Vigil (Rust) | Python peer | Vigil ÷ peer |")
    print("|---|---|---:|---:|---:|")
    for n, (r, p) in enumerate(zip(rust, py), 1):
        rows = [
            ("watchlist build (100,000 entries), s", r["build_s"], p["build_s"], "time"),
            ("decision p50, ms", r["p50_ms"], p["p50_ms"], "time"),
            ("decision p99, ms", r["p99_ms"], p["p99_ms"], "time"),
            ("decision p99.9, ms", r["p999_ms"], p["p999_ms"], "time"),
            ("batch, travellers/s (wall)", r["batch_per_s"], p["batch_per_s"], "rate"),
            ("batch, travellers per CPU-s", r["batch_per_cpu_s"], p["batch_per_cpu_s"], "rate"),
        ]
        for what, a, b, kind in rows:
            ratio = (b / a if kind == "time" else a / b) if a and b else 0
            fmt = "{:,.0f}" if kind == "rate" else "{:.3f}"
            print(f"| {n} | {what} | {fmt.format(a)} | {fmt.format(b)} | {ratio:,.1f}× |")
    r = rust[-1]
    print()
    print(f"Watchlist: {r['watchlist_entries']:,} entries, {r['watchlist_keys']:,} keys in Vigil "
          f"({py[-1]['watchlist_keys']:,} in the peer); Vigil's resident memory grew by "
          f"{r['watchlist_rss_mib']:.1f} MiB while building it.")
    for name in ("decide", "batch"):
        n, o, s = agreement(d, name)
        print(f"Same outcome on {o:,} of {n:,} {name} travellers ({100 * o / n:.2f}%), "
              f"same outcome and score on {s:,}.")
    print("Goals (Vigil): p99 < 5 ms: " + ("met" if max(x["p99_ms"] for x in rust) < 5 else "MISSED")
          + f" (worst round {max(x['p99_ms'] for x in rust):.3f} ms); ≥ 50,000 travellers/s: "
          + ("met" if min(x["batch_per_s"] for x in rust) >= 50000 else "not met in every round")
          + " (wall, rounds: " + ", ".join(f"{x['batch_per_s']:,.0f}" for x in rust)
          + "; per CPU-s: " + ", ".join(f"{x['batch_per_cpu_s']:,.0f}" for x in rust) + ").")


if __name__ == "__main__":
    main()
