"""Python datasketch MinHashLSH on the texts the Rust bench wrote (same shingles:
lower case, punctuation and spaces folded, 4-character shingles; threshold 0.5;
63 permutations unless a second argument says otherwise). Prints texts/s and
recall/precision of its candidates on the sample against the exact pairs
(datasketch does not verify candidates).

    python peer_datasketch.py OUT_DIR [NUM_PERM]"""
import json, re, sys, time
from datasketch import MinHash, MinHashLSH

out = sys.argv[1]
num_perm = int(sys.argv[2]) if len(sys.argv) > 2 else 63
texts = [l.rstrip("\n") for l in open(f"{out}/texts.txt", encoding="utf-8")]
sep = re.compile(r"[\s!-/:-@\[-`{-~\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\u17d4-\u17da\u00a1-\u00bf]+")

def shingles(t):
    n = sep.sub(" ", t.lower()).strip()
    if len(n) <= 4:
        return {n} if n else set()
    return {n[i:i + 4] for i in range(len(n) - 3)}

def run(ts):
    lsh = MinHashLSH(threshold=0.5, num_perm=num_perm)
    pairs = set()
    for i, t in enumerate(ts):
        m = MinHash(num_perm=num_perm)
        m.update_batch([s.encode("utf-8") for s in shingles(t)])
        for j in lsh.query(m):
            pairs.add((j, i))
        lsh.insert(i, m)
    return pairs

t0 = time.perf_counter(); c0 = time.process_time()
run(texts)
wall = time.perf_counter() - t0; cpu = time.process_time() - c0
lines = open(f"{out}/exact_pairs.txt").read().split("\n")
sample = int(lines[0])
exact = {tuple(map(int, l.split())) for l in lines[1:] if l.strip()}
got = run(texts[:sample])
hit = len(exact & got)
print(json.dumps({"num_perm": num_perm, "texts": len(texts), "wall_s": wall, "cpu_s": cpu,
                  "texts_per_s": len(texts) / wall, "texts_per_cpu_s": len(texts) / cpu,
                  "sample": sample, "recall": hit / max(1, len(exact)),
                  "candidate_precision": hit / max(1, len(got))}))
