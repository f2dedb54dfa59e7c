# Shared by the reliability scripts: the release binary, temp dirs, starting
# and stopping `vigil serve`, and one-line results for the summary table.
# Sourced, not run.

set -euo pipefail
REL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$REL_DIR/../.." && pwd)"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
VIGIL="${VIGIL_BIN:-$TARGET/release/vigil}"
# Receipts hashed with little memory: the checks are about faults, not Argon2.
export VIGIL_RECEIPTS__ARGON2_MEMORY_KIB="${VIGIL_RECEIPTS__ARGON2_MEMORY_KIB:-64}"
export RUST_LOG="${RUST_LOG:-warn}"
unset VIGIL_DATABASE_URL VIGIL_DATA_DIR VIGIL_CONFIG

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Builds the release binary once per run (skipped when VIGIL_BIN is given
# or the run script already built it).
build() {
    if [ -z "${VIGIL_BIN:-}" ] && [ -z "${REL_BUILT:-}" ]; then
        log "cargo build --release -p vigil"
        (cd "$REPO" && cargo build --release -p vigil --locked >&2)
    fi
    [ -x "$VIGIL" ] || { echo "no binary at $VIGIL" >&2; exit 1; }
}

# A fresh temp dir removed on exit (unless KEEP=1).
WORK=""
cleanup_fns=()
on_exit() {
    local f
    for f in "${cleanup_fns[@]}"; do "$f" || true; done
    if [ -n "$WORK" ] && [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap on_exit EXIT
workdir() { WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-rel-$1.XXXXXX")"; }

# start_serve OUT_ADDR_FILE LOG [ENV=VALUE…] -- [vigil args…]
# Starts `vigil serve --listen 127.0.0.1:0 …`, waits for its address and
# writes `host:port` to OUT_ADDR_FILE. SERVE_PID is the server's pid.
start_serve() {
    local addr_file="$1" logf="$2"; shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    local out="$WORK/serve.stdout.$$.$RANDOM"
    env "${envs[@]}" "$VIGIL" serve --listen 127.0.0.1:0 "$@" >"$out" 2>>"$logf" &
    SERVE_PID=$!
    local i
    for i in $(seq 1 300); do
        if grep -q "listening on http://" "$out" 2>/dev/null; then
            sed -n 's|.*listening on http://\([^/ ]*\).*|\1|p' "$out" | head -n 1 >"$addr_file.new"
            mv "$addr_file.new" "$addr_file"
            rm -f "$out"
            return 0
        fi
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            echo "vigil serve exited; its log:" >&2; tail -n 30 "$logf" >&2; return 1
        fi
        sleep 0.05
    done
    echo "vigil serve did not start" >&2; tail -n 30 "$logf" >&2; return 1
}

stop_serve() {
    if [ -n "${SERVE_PID:-}" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
        kill "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
    fi
    SERVE_PID=""
}
cleanup_fns+=(stop_serve)

# readyz ADDR: prints the status code of /readyz.
readyz() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://$1/readyz" || true; }

# json_get JSON KEY: one field of a flat JSON object.
json_get() {
    python3 -c 'import json,sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
print("" if v is None else v if isinstance(v, (str, int, float)) else json.dumps(v, separators=(",", ":")))' "$1" "$2"
}

# result PART STATUS DETAIL: the line the run script's summary table shows.
result() {
    local line="RESULT|$1|$2|$3"
    echo "$line"
    if [ -n "${REL_RESULTS:-}" ]; then echo "$line" >>"$REL_RESULTS"; fi
}

# fault_phase TAG FAULT_SECS: (LOAD_PACE: seconds each of the four load
# workers waits after an acknowledgement, default none) with `vigil serve` running (SERVE_PID, its
# address in $ADDR) and the functions fault_on and fault_off defined, runs
# report load, turns the fault on for FAULT_SECS, off again, and waits for
# /readyz. Sets PHASE_REPORT (load.py check, JSON), READY_DURING (the
# /readyz code seen during the fault), READY_SECONDS (fault end to /readyz
# 200) and SAME_PROCESS (yes when the server was never restarted).
fault_phase() {
    local tag="$1" secs="$2" pid0="$SERVE_PID" i code t_on t_off t_ready
    rm -f "$WORK/stop-$tag"
    python3 "$REL_DIR/load.py" run "$ADDR" "$WORK/load-$tag.log" "$WORK/stop-$tag" --workers 4 --prefix "$tag" --pace "${LOAD_PACE:-0}" &
    local load_pid=$!
    sleep 3
    t_on=$(date +%s.%N)
    log "$tag: fault on"
    fault_on
    # Past the readiness probe's two-second memory, so /readyz shows the fault.
    sleep 3
    READY_DURING=$(readyz "$(cat "$ADDR")")
    sleep "$(echo "$secs - 3" | bc)"
    fault_off
    t_off=$(date +%s.%N)
    log "$tag: fault off"
    READY_SECONDS=""
    for i in $(seq 1 600); do
        code=$(readyz "$(cat "$ADDR")")
        if [ "$code" = 200 ]; then
            t_ready=$(date +%s.%N)
            READY_SECONDS=$(printf '%.2f' "$(echo "$t_ready - $t_off" | bc)")
            break
        fi
        sleep 0.1
    done
    sleep 3
    touch "$WORK/stop-$tag"
    wait "$load_pid"
    PHASE_REPORT=$(python3 "$REL_DIR/load.py" check "$(cat "$ADDR")" "$WORK/load-$tag.log" --fault-on "$t_on" --fault-off "$t_off")
    if [ "$pid0" = "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then SAME_PROCESS=yes; else SAME_PROCESS=no; fi
    log "$tag: $PHASE_REPORT ready_during=$READY_DURING ready_after=${READY_SECONDS}s same_process=$SAME_PROCESS"
}

# phase_ok: the last phase held every promise: nothing acknowledged during
# the fault, every 503 with Retry-After, every tip acknowledged in the end and
# found again by its client_ref, /readyz 503 during and 200 after, no restart.
phase_ok() {
    local r="$PHASE_REPORT"
    [ "$(json_get "$r" acked_during_fault)" = 0 ] &&
    [ "$(json_get "$r" lost_on_replay)" = 0 ] &&
    [ "$(json_get "$r" never_acknowledged)" = 0 ] &&
    [ "$(json_get "$r" receipt_changed)" = 0 ] &&
    [ "$(json_get "$r" receipt_shared)" = 0 ] &&
    [ "$(json_get "$r" 503_without_retry_after)" = 0 ] &&
    [ -n "$(json_get "$r" recovery_seconds)" ] &&
    [ "${READY_DURING:-}" = 503 ] && [ -n "$READY_SECONDS" ] && [ "$SAME_PROCESS" = yes ]
}

# phase_detail: the last phase's figures, for the summary table.
phase_detail() {
    local r="$PHASE_REPORT"
    echo "acked=$(json_get "$r" acknowledged) lost=$(json_get "$r" lost_on_replay) posts_in_fault=$(json_get "$r" posts_during_fault) acked_in_fault=$(json_get "$r" acked_during_fault) 503s_in_fault=$(json_get "$r" 503_during_fault) readyz_in_fault=$READY_DURING recovery=$(json_get "$r" recovery_seconds)s readyz_back=${READY_SECONDS}s restart=$([ "$SAME_PROCESS" = yes ] && echo no || echo YES)"
}

# A throwaway PostgreSQL cluster of its own in $WORK/pgdata on PG_PORT (never
# the test cluster on 5433), run as the postgres user. pg_cluster_available
# says whether this machine can; pg_cluster_init creates and starts it with a
# role vigil/vigil and a database vigil, and sets PG_URL.
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
pg_cluster_available() { [ -n "$PG_BIN" ] && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; }
as_pg() { runuser -u postgres -- "$@"; }
pg_start() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null; }
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true; }
psql_pg() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDATA" -p "$PG_PORT" -U postgres -d postgres "$@"; }
pg_cluster_init() {
    PG_PORT="$1"
    PGDATA="$WORK/pgdata"
    chmod 0755 "$WORK"
    mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"; chmod 0700 "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    as_pg tee -a "$PGDATA/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDATA'
synchronous_commit = on
fsync = on
CONF
    cleanup_fns+=(stop_serve pg_stop)
    pg_start
    psql_pg -c "CREATE ROLE vigil LOGIN SUPERUSER PASSWORD 'vigil'" -c "CREATE DATABASE vigil OWNER vigil"
    PG_URL="postgres://vigil:vigil@127.0.0.1:$PG_PORT/vigil"
}
