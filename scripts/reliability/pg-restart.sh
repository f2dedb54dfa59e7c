#!/usr/bin/env bash
# PostgreSQL restart and connection drop: a throwaway cluster of its own
# (initdb in a temp dir, run as the postgres user, port $PG_PORT, default
# 5444; the test cluster on 5433 is never touched). `vigil serve` runs on it
# under report load while (1) the server is stopped for FAULT_SECONDS and
# started again, and (2) every Vigil connection is ended with
# pg_terminate_backend. Posts answer 503 while PostgreSQL is away and succeed
# after, /readyz follows, Vigil is never restarted, and the database holds
# exactly the tips acknowledged.
#   scripts/reliability/pg-restart.sh [FAULT_SECONDS]
source "$(dirname "$0")/lib.sh"
FAULT="${1:-${FAULT_SECONDS:-8}}"
if ! pg_cluster_available; then
    result pg-restart SKIP "needs PostgreSQL's binaries, root and the postgres user"; exit 0
fi
build
workdir pg
DATA="$WORK/data" ADDR="$WORK/addr" SLOG="$WORK/serve.log"
pg_cluster_init "${PG_PORT:-5444}"
URL="$PG_URL"

start_serve "$ADDR" "$SLOG" -- --data-dir "$DATA" --database-url "$URL"
status=0
details=""
refs=0

# (1) The server stopped (fast: every session ended) and started again.
fault_on() { pg_stop; }
fault_off() { pg_start; }
fault_phase pgrestart "$FAULT"
phase_ok || status=1
details="restart: $(phase_detail)"
refs=$((refs + $(json_get "$PHASE_REPORT" refs)))

# (2) Every Vigil connection dropped at once; no downtime of the server. The
# window is the instant of the drop: requests then answer 503 or, on a new
# connection, succeed.
fault_on() {
    psql_pg -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = 'vigil'" >"$WORK/terminated"
}
fault_off() { :; }
fault_phase pgterminate 3
terminated=$(cat "$WORK/terminated")
r="$PHASE_REPORT"
if [ "$(json_get "$r" lost_on_replay)" = 0 ] && [ "$(json_get "$r" never_acknowledged)" = 0 ] \
   && [ "$(json_get "$r" receipt_changed)" = 0 ] && [ "$READY_DURING" = 200 ] && [ "$SAME_PROCESS" = yes ] \
   && [ "$terminated" -gt 0 ]; then :; else status=1; fi
details="$details | terminate: connections_ended=$terminated acked=$(json_get "$r" acknowledged) lost=$(json_get "$r" lost_on_replay) answers=$(json_get "$r" answers) first_ack_after=$(json_get "$r" recovery_seconds)s restart=$([ "$SAME_PROCESS" = yes ] && echo no || echo YES)"
refs=$((refs + $(json_get "$r" refs)))

kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
stored=$(json_get "$("$VIGIL" stats --data-dir "$DATA" --database-url "$URL" --format json)" tips)
audit=$("$VIGIL" audit verify --data-dir "$DATA" --database-url "$URL" 2>&1 | tail -n 1) || true
details="$details | stored=$stored refs=$refs duplicated=$((stored - refs))"
log "$details; $audit"
if [ "$status" = 0 ] && [ "$stored" = "$refs" ] && [[ "$audit" == *"audit chain whole"* ]]; then
    result pg-restart PASS "$details"
else
    result pg-restart FAIL "$details; $audit"; exit 1
fi
