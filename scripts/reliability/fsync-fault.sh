#!/usr/bin/env bash
# fsync failure injection: `vigil serve` (SQLite) runs with an LD_PRELOAD shim
# (failsync.c, built here with gcc) that makes fsync, fdatasync and syncfs
# fail with EIO while a flag file exists. During the fault no tip may be
# acknowledged (posts answer 503 with Retry-After, /readyz 503); once the flag
# is gone, intake works again in the same process, and every acknowledged
# tip is stored exactly once.
#   scripts/reliability/fsync-fault.sh [FAULT_SECONDS]
source "$(dirname "$0")/lib.sh"
FAULT="${1:-${FAULT_SECONDS:-8}}"
build
workdir fsync
DATA="$WORK/data" ADDR="$WORK/addr" SLOG="$WORK/serve.log" FLAG="$WORK/fail-fsync"
gcc -shared -fPIC -O2 -Wall -o "$WORK/failsync.so" "$REL_DIR/failsync.c" -ldl

fault_on() { touch "$FLAG"; }
fault_off() { rm -f "$FLAG"; }

start_serve "$ADDR" "$SLOG" LD_PRELOAD="$WORK/failsync.so" FAILSYNC_FLAG="$FLAG" -- --data-dir "$DATA"
fault_phase fsync "$FAULT"
phase=0; phase_ok || phase=1
detail="$(phase_detail)"
refs=$(json_get "$PHASE_REPORT" refs)
# No graceful shutdown: what was acknowledged must already be on disk.
kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
stored=$(json_get "$("$VIGIL" stats --data-dir "$DATA" --format json)" tips)
audit=$("$VIGIL" audit verify --data-dir "$DATA" 2>&1 | tail -n 1) || true
detail="$detail stored=$stored duplicated=$((stored - refs)) fault=${FAULT}s"
log "stored $stored, refs $refs; $audit"
if [ "$phase" = 0 ] && [ "$stored" = "$refs" ] && [[ "$audit" == *"audit chain whole"* ]]; then
    result fsync PASS "$detail"
else
    result fsync FAIL "$detail; $audit"; exit 1
fi
