#!/usr/bin/env python3
"""SQLite FTS5 peer for the vigil-search benchmark.

Loads bench/out/search/tips-N.tsv (written by the Rust bench) into FTS5 once
(unicode61 over all tips; trigram over the first 100,000 for Khmer recall),
times the same queries as the Rust side (top-20 by bm25 rank), and prints a
comparison with the Rust results (rust-N.json).
"""
import argparse, json, os, sqlite3, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=1_000_000)
ap.add_argument("--out", default="bench/out/search")
ap.add_argument("--iters", type=int, default=11)
ap.add_argument("--trigram-docs", type=int, default=100_000)
a = ap.parse_args()

tsv = os.path.join(a.out, f"tips-{a.n}.tsv")
db = os.path.join(a.out, f"fts5-{a.n}.db")
rust = json.load(open(os.path.join(a.out, f"rust-{a.n}.json")))

if not os.path.exists(db):
    t0 = time.time()
    con = sqlite3.connect(db + ".tmp")
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("CREATE VIRTUAL TABLE u USING fts5(text, province UNINDEXED, tokenize='unicode61')")
    con.execute("CREATE VIRTUAL TABLE tg USING fts5(text, tokenize='trigram')")
    def rows():
        with open(tsv, encoding="utf-8") as f:
            for line in f:
                tid, prov, text = line.rstrip("\n").split("\t", 2)
                yield int(tid) + 1, text, prov
    con.executemany("INSERT INTO u(rowid, text, province) VALUES (?,?,?)", rows())
    con.execute("INSERT INTO tg(rowid, text) SELECT rowid, text FROM u WHERE rowid <= ?", (a.trigram_docs,))
    con.commit()
    con.execute("INSERT INTO u(u) VALUES ('optimize')")
    con.execute("INSERT INTO tg(tg) VALUES ('optimize')")
    con.commit()
    con.close()
    os.rename(db + ".tmp", db)
    print(f"fts5 load: {a.n} tips in {time.time() - t0:.0f} s")

con = sqlite3.connect(db)

def fts_query(text):
    # The people's syntax is FTS5's for these queries (implicit AND, "phrase",
    # prefix*), except that numbers must be quoted.
    return " ".join(w if w.startswith('"') or not w.isdigit() else f'"{w}"' for w in text.split())

def run(stmts):
    times = []
    for i in range(a.iters + 1):
        t = time.perf_counter()
        for sql, params in stmts:
            con.execute(sql, params).fetchall()
        if i:  # the first run warms the page cache
            times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return statistics.median(times), times[-1]

print(f"sqlite {sqlite3.sqlite_version}; {a.iters} runs each (median, max). 'same work' = what vigil's search() returns:")
print("the total count plus the top 20 by bm25 with a snippet; 'top-20 only' = rowids of the top 20 by rank, no count.")
print("| query | text | vigil p50 ms | vigil p99 ms | FTS5 same work p50 ms | FTS5 max ms | FTS5 / vigil (p50) | FTS5 top-20 only p50 ms | ratio |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for name in ["common", "rare", "and", "phrase", "prefix", "filtered"]:
    q = rust["queries"][name]
    m = fts_query(q["text"])
    where, params = "u MATCH ?", (m,)
    if q["provinces"]:
        where, params = "u MATCH ? AND province = ?", (m, q["provinces"])
    top = (f"SELECT rowid FROM u WHERE {where} ORDER BY rank LIMIT 20", params)
    snip = (f"SELECT rowid, snippet(u, 0, '', '', '', 24) FROM u WHERE {where} ORDER BY rank LIMIT 20", params)
    count = (f"SELECT count(*) FROM u WHERE {where}", params)
    p50, mx = run([count, snip])
    t50, _ = run([top])
    prov = f" (province {q['provinces']})" if q["provinces"] else ""
    v = q["p50_ms"]
    print(f"| {name} | `{q['text']}`{prov} | {v:.3f} | {q['p99_ms']:.3f} | {p50:.3f} | {mx:.3f} | {p50 / v:.1f}× | {t50:.3f} | {t50 / v:.1f}× |")

print(f"\nKhmer recall over the first {a.trigram_docs} tips (truth: text contains the word)")
print("| word | truth | FTS5 trigram | FTS5 unicode61 |")
print("|---|---:|---:|---:|")
st = sg = su = 0
for w in rust["recall"]:
    truth = con.execute("SELECT count(*) FROM u WHERE rowid <= ? AND instr(text, ?) > 0", (a.trigram_docs, w)).fetchone()[0]
    tri = con.execute("SELECT count(*) FROM tg WHERE tg MATCH ?", (f'"{w}"',)).fetchone()[0]
    uni = con.execute("SELECT count(*) FROM u WHERE u MATCH ? AND rowid <= ?", (f'"{w}"', a.trigram_docs)).fetchone()[0]
    st, sg, su = st + truth, sg + tri, su + uni
    pct = lambda x: f"{100 * x / max(truth, 1):.1f}%"
    print(f"| {w} | {truth} | {pct(tri)} | {pct(uni)} |")
print(f"| **all** | {st} | {100 * sg / max(st, 1):.1f}% | {100 * su / max(st, 1):.1f}% |")
