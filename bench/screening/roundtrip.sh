#!/usr/bin/env bash
# The officer's round trip: `POST /api/v1/screenings` (parse, evaluate against
# the watchlist built from the tips, seal, store with its audit entry, answer)
# on the release `vigil serve` with embedded SQLite, against a peer request
# through the same server in the same run: `GET /api/v1/places/provinces`
# (routing, headers, JSON, no store write). One client, keep-alive, one request
# at a time, as at a counter.
#   bash bench/screening/roundtrip.sh [TIPS] [REQUESTS]     (default 5000 2000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out/screening-roundtrip"
TIPS="${1:-5000}"
N="${2:-2000}"
rm -rf "$out" && mkdir -p "$out"
(cd "$root" && cargo build -q --release -p vigil --bin vigil && cargo build -q --release -p vigil-synth --example hotline_jsonl)
bin="${CARGO_TARGET_DIR:-$root/target}/release"
data="$out/data"
port=$((20000 + RANDOM % 20000))
cfg="$out/vigil.toml"
printf '[server]\nlisten = "127.0.0.1:%s"\n[storage]\ndata_dir = "%s"\n' "$port" "$data" > "$cfg"
"$bin/examples/hotline_jsonl" "$TIPS" 7 "$out/tips.jsonl" "$out/truth.tsv"
"$bin/vigil" --config "$cfg" import tips "$out/tips.jsonl" > "$out/import.log" 2>&1
"$bin/vigil" --config "$cfg" user add counter --role immigration > /dev/null
token="$("$bin/vigil" --config "$cfg" token create counter | grep -Eo 'vgl_[A-Za-z0-9_-]+' | head -1)"
# A recruiter's number from the tips, for travellers that hit the watchlist.
contact="$(grep -Eo '\+855 ?[0-9 ]{8,11}[0-9]' "$out/tips.jsonl" | head -1 || true)"
"$bin/vigil" --config "$cfg" serve > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/api/v1/places/provinces" > /dev/null && break
    sleep 0.2
done
python3 "$here/roundtrip.py" "http://127.0.0.1:$port" "$token" "$N" "${contact:-012 345 678}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/results.md"
