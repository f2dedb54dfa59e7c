#!/usr/bin/env bash
# The national demo's build time and the figures at demo scale, on SQLite and
# (when VIGIL_TEST_POSTGRES_URL names an admin connection) on PostgreSQL:
# `vigil demo --no-serve` timed, then `vigil stats` as a process, the core
# figures, the staff dashboard and the public page in process (p50/p95), and a
# Python peer counting the same totals with bare SQL on the same database.
#
#   ROUNDS=50 SCALE=1 bash bench/figures/run.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-50}"
SCALE="${SCALE:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo build -q --release -p vigil --bin vigil
cargo build -q --release -p vigil-web --example figures_bench
bin="$root/target/release"
python3 -m venv "$out/venv" >/dev/null
"$out/venv/bin/pip" install -q "psycopg[binary]" >/dev/null 2>&1 || echo "psycopg not installed: no PostgreSQL peer" >&2

stats_p95() { # DATA_DIR [URL]
  local ms=()
  for _ in $(seq "$ROUNDS"); do
    local s e
    s=$(date +%s%N)
    VIGIL_DATABASE_URL="${2:-}" "$bin/vigil" --data-dir "$1" stats >/dev/null
    e=$(date +%s%N)
    ms+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${ms[@]}" | sort -n | awk -v b="$3" '{a[NR]=$1} END {
    p50=a[int((NR-1)*0.5+0.5)+1]; p95=a[int((NR-1)*0.95+0.5)+1];
    printf "{\"measure\":\"vigil_stats_process\",\"backend\":\"%s\",\"p50_ms\":%.2f,\"p95_ms\":%.2f}\n", b, p50/1000, p95/1000 }'
}

run() { # NAME DATA_DIR [URL]
  local name="$1" dir="$2" url="${3:-}"
  local s e
  s=$(date +%s%N)
  VIGIL_DATABASE_URL="$url" "$bin/vigil" --data-dir "$dir" demo --scale "$SCALE" --no-serve >"$out/$name.log" 2>&1
  e=$(date +%s%N)
  printf '{"measure":"demo_build","backend":"%s","seconds":%.1f}\n' "$name" "$(echo "($e - $s) / 1000000000" | bc -l)"
  stats_p95 "$dir" "$url" "$name"
  if [ -n "$url" ]; then
    "$bin/examples/figures_bench" "$dir" "$url" "$ROUNDS"
    "$out/venv/bin/python" bench/figures/peer.py postgres "$url" "$ROUNDS" || true
  else
    "$bin/examples/figures_bench" "$dir" "$ROUNDS"
    "$out/venv/bin/python" bench/figures/peer.py sqlite "$dir/vigil.db" "$ROUNDS"
  fi
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run sqlite "$out/sqlite"
if [ -n "${VIGIL_TEST_POSTGRES_URL:-}" ]; then
  db="vigil_figures_bench_$$"
  psql -q "$VIGIL_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url="${VIGIL_TEST_POSTGRES_URL%/*}/$db"
  run postgres "$out/postgres" "$url"
  psql -q "$VIGIL_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
