"""The peer of the figures benchmark: the same national totals as `vigil stats`
counted with bare SQL on the same database (sqlite3 or psycopg), timed the
same way. It does only the counting: no jurisdiction, no rendering.

python3 peer.py sqlite PATH/vigil.db ROUNDS
python3 peer.py postgres URL ROUNDS
"""
import json
import sys
import time

QUERIES = [
    "SELECT COUNT(*) FROM tips",
    "SELECT COUNT(*) FROM facilities",
    "SELECT COUNT(*) FROM operations WHERE status = 'done'",
    "SELECT COUNT(*) FROM networks WHERE dismantled_by_operation IS NOT NULL",
    "SELECT kind, COUNT(*) FROM seized_items GROUP BY kind",
    "SELECT COUNT(DISTINCT person_id) FROM person_records",
    "SELECT role, COUNT(DISTINCT person_id) FROM person_records GROUP BY role",
    "SELECT nationality, COUNT(DISTINCT person_id) FROM person_records GROUP BY nationality",
    "SELECT COUNT(DISTINCT person_id) FROM person_records WHERE likely_victim",
    "SELECT COUNT(DISTINCT person_id) FROM person_records WHERE referred",
    "SELECT COUNT(*), COUNT(name) FROM cases",
    "SELECT COUNT(DISTINCT person_id) FROM charges",
    "SELECT COUNT(DISTINCT person_id) FROM case_defendants WHERE outcome = 'convicted'",
    "SELECT kind, nationality, COUNT(*) FROM departures GROUP BY kind, nationality",
]


def main():
    backend, target, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    else:
        import psycopg

        conn = psycopg.connect(target)
    cur = conn.cursor()
    ms = []
    for _ in range(rounds):
        t = time.perf_counter()
        for q in QUERIES:
            cur.execute(q)
            cur.fetchall()
        ms.append((time.perf_counter() - t) * 1e3)
    ms.sort()
    at = lambda q: ms[round((len(ms) - 1) * q)]
    print(json.dumps({"measure": "peer_bare_sql", "backend": backend,
                      "p50_ms": round(at(0.5), 2), "p95_ms": round(at(0.95), 2)}))


if __name__ == "__main__":
    main()
