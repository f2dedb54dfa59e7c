#!/usr/bin/env bash
# Peak memory under hostile load: starts the release `vigil serve` on a
# temporary data directory and a free port, sends N parallel maximum-size
# bodies (half multipart reports with the most photos at their largest, half
# JSON tips with the same photos in base64) and reads the server's peak RSS
# (VmHWM in /proc/PID/status). Peers in the same run: the same server idle
# (one small report), and the same server with the body budget disabled
# (`[http] max_body_bytes_in_flight = 0`) under PEER_N parallel bodies.
#
#   bench/limits/run.sh                 # N=100, PEER_N=24
#   N=100 PEER_N=0 bench/limits/run.sh  # no unbudgeted peer
#
# CARGO_TARGET_DIR defaults to target-bench. Results: bench/out/limits-latest.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-bench}"
N="${N:-100}"
PEER_N="${PEER_N:-24}"
JPEG="$PWD/crates/vigil-media/tests/fixtures/photo.jpg"

cargo build --release --locked -p vigil
VIGIL="$CARGO_TARGET_DIR/release/vigil"
mkdir -p bench/out

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

SERVER_PID=""
WORK=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# start NAME [ENV=VALUE...]: a fresh server; sets SERVER_PID and URL.
start() {
  local name="$1"; shift
  WORK="$(mktemp -d /tmp/vigil-bench-limits.XXXXXX)"
  local port; port="$(free_port)"
  URL="http://127.0.0.1:$port"
  env "$@" VIGIL_RECEIPTS__ARGON2_MEMORY_KIB=256 "$VIGIL" --data-dir "$WORK/data" serve --listen "127.0.0.1:$port" \
    >"bench/out/limits-$name.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if curl -fsS "$URL/healthz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "the server did not start; see bench/out/limits-$name.log" >&2
  exit 1
}

stop() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  rm -rf "$WORK"; WORK=""
}

hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status"; }

echo "== budgeted (defaults): $N parallel maximum-size bodies"
start budgeted
budgeted="$(python3 bench/limits/client.py --url "$URL" --pid "$SERVER_PID" --n "$N" --jpeg "$JPEG")"
echo "$budgeted"
stop

echo "== peer: the same server idle (one small report)"
start idle
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"text":"one small report"}' "$URL/api/v1/tips"
sleep 1
idle_kib="$(hwm)"
echo "idle peak RSS: $idle_kib KiB"
stop

unbudgeted='null'
if [ "$PEER_N" -gt 0 ]; then
  echo "== peer: body budget disabled, $PEER_N parallel maximum-size bodies"
  start unbudgeted VIGIL_HTTP__MAX_BODY_BYTES_IN_FLIGHT=0 VIGIL_HTTP__MAX_REQUESTS_IN_FLIGHT=0
  unbudgeted="$(python3 bench/limits/client.py --url "$URL" --pid "$SERVER_PID" --n "$PEER_N" --jpeg "$JPEG")"
  echo "$unbudgeted"
  stop
fi

python3 - "$budgeted" "$idle_kib" "$unbudgeted" "$N" <<'PY' | tee bench/out/limits-latest.json
import json, sys
b = json.loads(sys.argv[1]); idle = int(sys.argv[2]); u = json.loads(sys.argv[3]); n = int(sys.argv[4])
peak = b["peak_rss_kib_after"] / 1024
print(json.dumps({
    "budgeted": b, "idle_peak_rss_mib": round(idle / 1024, 1),
    "unbudgeted": u,
    "budgeted_peak_rss_mib": round(peak, 1),
    "unbudgeted_peak_rss_mib": round(u["peak_rss_kib_after"] / 1024, 1) if u else None,
    "target_mib": 512, "under_target": peak < 512,
}, indent=1))
PY
