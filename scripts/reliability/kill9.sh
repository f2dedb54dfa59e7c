#!/usr/bin/env bash
# kill -9 loop: `vigil serve` (SQLite) killed KILLS times (default 50) under
# concurrent API posts with client_ref, restarted each time. Afterwards every
# acknowledged tip must be stored once: replaying each client_ref answers the
# first receipt, the store holds exactly as many tips as distinct client_refs,
# and the audit chain verifies.
#   scripts/reliability/kill9.sh [KILLS]
source "$(dirname "$0")/lib.sh"
KILLS="${1:-${KILLS:-50}}"
build
workdir kill9
DATA="$WORK/data" ADDR="$WORK/addr" SLOG="$WORK/serve.log"

start_serve "$ADDR" "$SLOG" -- --data-dir "$DATA"
python3 "$REL_DIR/load.py" run "$ADDR" "$WORK/load.log" "$WORK/stop" --workers 8 --prefix k9 &
LOAD_PID=$!
t_start=$(date +%s.%N)
for i in $(seq 1 "$KILLS"); do
    sleep "0.$(( RANDOM % 7 + 3 ))"
    kill -9 "$SERVE_PID"
    wait "$SERVE_PID" 2>/dev/null || true
    start_serve "$ADDR" "$SLOG" -- --data-dir "$DATA"
    [ $((i % 10)) -eq 0 ] && log "kill -9 #$i"
done
sleep 1
touch "$WORK/stop"
wait "$LOAD_PID"
t_end=$(date +%s.%N)
report=$(python3 "$REL_DIR/load.py" check "$(cat "$ADDR")" "$WORK/load.log")
stop_serve
stored=$(json_get "$("$VIGIL" stats --data-dir "$DATA" --format json)" tips)
audit=$("$VIGIL" audit verify --data-dir "$DATA" 2>&1 | tail -n 1) || audit="FAILED: $audit"
acked=$(json_get "$report" acknowledged)
refs=$(json_get "$report" refs)
lost=$(json_get "$report" lost_on_replay)
dup=$(( stored - refs ))
log "report: $report"
log "stored tips: $stored; audit: $audit"
detail="kills=$KILLS acked=$acked stored=$stored lost=$lost duplicated=$dup replayed=$(json_get "$report" replayed_in_run) answers=$(json_get "$report" answers | tr -d ' ') seconds=$(printf '%.0f' "$(echo "$t_end - $t_start" | bc)")"
if [ "$lost" = 0 ] && [ "$dup" = 0 ] && [ "$acked" = "$refs" ] && [ "$(json_get "$report" receipt_changed)" = 0 ] \
   && [ "$(json_get "$report" receipt_shared)" = 0 ] && [[ "$audit" == *"audit chain whole"* ]]; then
    result kill9 PASS "$detail"
else
    result kill9 FAIL "$detail; $audit"; exit 1
fi
