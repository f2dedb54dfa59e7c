#!/usr/bin/env bash
# Disk full: the data directory is a small tmpfs (8 MiB; needs root). A file
# fills it while report load runs: posts answer 503 with Retry-After and
# /readyz 503; the file is removed and intake recovers in the same process
# within seconds; every acknowledged tip is stored exactly once.
#   scripts/reliability/disk-full.sh [FAULT_SECONDS]
source "$(dirname "$0")/lib.sh"
FAULT="${1:-${FAULT_SECONDS:-8}}"
if [ "$(id -u)" -ne 0 ]; then
    result disk-full SKIP "needs root to mount a tmpfs"; exit 0
fi
build
workdir diskfull
DATA="$WORK/data" ADDR="$WORK/addr" SLOG="$WORK/serve.log"
mkdir -p "$DATA"
mount -t tmpfs -o size=8m,mode=0700 vigil-rel-full "$DATA"
unmount_data() { stop_serve; umount "$DATA" 2>/dev/null || true; }
cleanup_fns+=(unmount_data)

fault_on() {
    log "data dir before: $(df -h "$DATA" | tail -n 1 | awk '{print $3" used, "$4" free"}')"
    # Fill every block left (dd stops at ENOSPC).
    dd if=/dev/zero of="$DATA/filler" bs=64k 2>/dev/null || true
    log "data dir full: $(df -h "$DATA" | tail -n 1 | awk '{print $3" used, "$4" free"}'), filler $(du -h "$DATA/filler" | cut -f1)"
}
fault_off() { rm -f "$DATA/filler"; }

start_serve "$ADDR" "$SLOG" -- --data-dir "$DATA"
# A steady trickle (about 40 tips a second): the space freed must not be
# eaten again at once by the tips themselves.
LOAD_PACE="${LOAD_PACE:-0.1}"
fault_phase diskfull "$FAULT"
phase=0; phase_ok || phase=1
detail="$(phase_detail)"
refs=$(json_get "$PHASE_REPORT" refs)
kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
stored=$(json_get "$("$VIGIL" stats --data-dir "$DATA" --format json)" tips)
audit=$("$VIGIL" audit verify --data-dir "$DATA" 2>&1 | tail -n 1) || true
detail="$detail stored=$stored duplicated=$((stored - refs)) fault=${FAULT}s"
log "stored $stored, refs $refs; $audit"
if [ "$phase" = 0 ] && [ "$stored" = "$refs" ] && [[ "$audit" == *"audit chain whole"* ]]; then
    result disk-full PASS "$detail"
else
    result disk-full FAIL "$detail; $audit"; exit 1
fi
