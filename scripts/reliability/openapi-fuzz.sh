#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with schemathesis:
# builds the release `vigil serve`, starts it on a temporary data directory
# and a free port, runs schemathesis against /api/v1/openapi.json with the
# checks not_a_server_error, status_code_conformance,
# content_type_conformance and response_schema_conformance, stops the server
# and exits non-zero on any failure. The staff operations run with an admin's
# API token made for the run.
#
#   scripts/reliability/openapi-fuzz.sh              # 100 examples per operation
#   MAX_EXAMPLES=300 scripts/reliability/openapi-fuzz.sh
#
# The venv lives in $VENV (default /tmp/vigil-openapi-fuzz-venv); the report
# in target/openapi-fuzz/. CARGO_TARGET_DIR defaults to target.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
VENV="${VENV:-/tmp/vigil-openapi-fuzz-venv}"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
MAX_EXAMPLES="${MAX_EXAMPLES:-100}"
OUT="$CARGO_TARGET_DIR/openapi-fuzz"

if [ ! -x "$VENV/bin/st" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --release --locked -p vigil
VIGIL="$CARGO_TARGET_DIR/release/vigil"
mkdir -p "$OUT"

WORK="$(mktemp -d /tmp/vigil-openapi-fuzz.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# An admin's API token, so the staff operations are fuzzed past their 401.
"$VIGIL" --data-dir "$WORK/data" user add --role admin fuzz.admin >/dev/null
TOKEN="$("$VIGIL" --data-dir "$WORK/data" token create --name openapi-fuzz fuzz.admin | tail -n 1)"

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"
# Cheap receipts, so thousands of generated requests finish in minutes.
VIGIL_RECEIPTS__ARGON2_MEMORY_KIB=256 VIGIL_RECEIPTS__ARGON2_ITERATIONS=1 \
  "$VIGIL" --data-dir "$WORK/data" serve --listen "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null

status=0
"$VENV/bin/st" run "$URL/api/v1/openapi.json" \
  --url "$URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$MAX_EXAMPLES" \
  --seed 7 \
  --report junit --report-dir "$OUT" \
  2>&1 | tee "$OUT/schemathesis.log" || status=$?

kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
if [ "$status" -ne 0 ]; then
  echo "openapi-fuzz: schemathesis found failures (exit $status); see $OUT/schemathesis.log" >&2
fi
exit "$status"
