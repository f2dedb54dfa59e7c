#!/usr/bin/env bash
# Online backup under load: `vigil backup` while `vigil serve` takes report
# load, on SQLite (VACUUM INTO) and, where this machine can run a throwaway
# PostgreSQL cluster, on PostgreSQL (pg_dump, custom format). The copy is
# 0600 and restored as documented (SQLite: the file as vigil.db beside the
# key file; PostgreSQL: pg_restore into an empty database); the restored copy
# passes `vigil audit verify`, holds as many tips as the backup reported, and
# at least every tip acknowledged before the backup began.
#   scripts/reliability/backup.sh [PRELOAD_TIPS]   (default 20000)
source "$(dirname "$0")/lib.sh"
PRELOAD="${1:-${BACKUP_PRELOAD:-20000}}"
build
workdir backup
DATA="$WORK/data" ADDR="$WORK/addr" SLOG="$WORK/serve.log"
status=0
details=""

# Tips already there, so that the copy takes a while: hotline lines imported.
python3 - "$PRELOAD" >"$WORK/preload.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"ref": f"pre-{i}", "text": f"preloaded tip {i}: workers held at a compound near the casino, phone 0{12000000 + i}, building {i % 40}"}))
PY

# backup_under_load NAME EXT [vigil global flags…]: with the server running,
# load on, takes the backup; sets B_JSON, B_BEFORE (tips acknowledged before
# it began), B_MODE, and B_FILE.
backup_under_load() {
    local name="$1" ext="$2"; shift 2
    rm -f "$WORK/stop-$name"
    python3 "$REL_DIR/load.py" run "$ADDR" "$WORK/load-$name.log" "$WORK/stop-$name" --workers 4 --prefix "$name" &
    local load_pid=$!
    sleep 3
    B_FILE="$WORK/$name.$ext"
    B_BEFORE=$((PRELOAD + $(grep -c '"status": 201' "$WORK/load-$name.log" || true)))
    local t0 t1
    t0=$(date +%s.%N)
    B_JSON=$("$VIGIL" backup "$B_FILE" --json "$@" 2>/dev/null) || B_JSON='{}'
    t1=$(date +%s.%N)
    sleep 2
    touch "$WORK/stop-$name"
    wait "$load_pid"
    B_MODE=$(stat -c '%a' "$B_FILE" 2>/dev/null || echo none)
    # Tips acknowledged while the backup ran: the server was not held up.
    B_DURING=$(python3 -c 'import json,sys
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
print(sum(1 for l in open(sys.argv[1]) if (j := json.loads(l))["status"] == 201 and t0 <= j["t1"] <= t1))' "$WORK/load-$name.log" "$t0" "$t1")
    log "$name backup: $B_JSON mode=$B_MODE acknowledged before=$B_BEFORE"
}

# SQLite.
"$VIGIL" import tips "$WORK/preload.jsonl" --no-process --data-dir "$DATA" >/dev/null 2>>"$WORK/import.log"
start_serve "$ADDR" "$SLOG" -- --data-dir "$DATA"
backup_under_load sqlite db --data-dir "$DATA"
stop_serve
tips=$(json_get "$B_JSON" tips)
mkdir -m 0700 "$WORK/restored"
cp "$B_FILE" "$WORK/restored/vigil.db"
cp "$DATA/vigil.key" "$WORK/restored/vigil.key"
audit=$("$VIGIL" audit verify --data-dir "$WORK/restored" 2>&1 | tail -n 1) || true
restored=$(json_get "$("$VIGIL" stats --data-dir "$WORK/restored" --format json)" tips)
details="sqlite: tips_in_copy=$tips restored=$restored acked_before=$B_BEFORE acked_during_backup=$B_DURING bytes=$(json_get "$B_JSON" bytes) seconds=$(printf '%.2f' "$(json_get "$B_JSON" seconds)") mode=$B_MODE"
if [ -n "$tips" ] && [ "$restored" = "$tips" ] && [ "$tips" -ge "$B_BEFORE" ] && [ "$B_MODE" = 600 ] \
   && [[ "$audit" == *"audit chain whole"* ]]; then :; else status=1; details="$details ($audit)"; fi

# PostgreSQL.
if pg_cluster_available && command -v pg_restore >/dev/null; then
    pg_cluster_init "${PG_PORT:-5445}"
    PGDIR="$WORK/pg-data"
    "$VIGIL" import tips "$WORK/preload.jsonl" --no-process --data-dir "$PGDIR" --database-url "$PG_URL" >/dev/null 2>>"$WORK/import.log"
    start_serve "$ADDR" "$SLOG" -- --data-dir "$PGDIR" --database-url "$PG_URL"
    backup_under_load pg dump --data-dir "$PGDIR" --database-url "$PG_URL" --pg-dump "$PG_BIN/pg_dump"
    stop_serve
    tips=$(json_get "$B_JSON" tips)
    psql_pg -c "CREATE DATABASE vigil_restored OWNER vigil"
    PGPASSWORD=vigil "$PG_BIN/pg_restore" --no-owner --role=vigil -h 127.0.0.1 -p "$PG_PORT" -U vigil -d vigil_restored "$B_FILE"
    RURL="postgres://vigil:vigil@127.0.0.1:$PG_PORT/vigil_restored"
    audit=$("$VIGIL" audit verify --data-dir "$PGDIR" --database-url "$RURL" 2>&1 | tail -n 1) || true
    restored=$(json_get "$("$VIGIL" stats --data-dir "$PGDIR" --database-url "$RURL" --format json)" tips)
    details="$details | postgres: tips_in_dump=$tips restored=$restored acked_before=$B_BEFORE acked_during_backup=$B_DURING bytes=$(json_get "$B_JSON" bytes) seconds=$(printf '%.2f' "$(json_get "$B_JSON" seconds)") mode=$B_MODE"
    if [ -n "$tips" ] && [ "$restored" = "$tips" ] && [ "$tips" -ge "$B_BEFORE" ] && [ "$B_MODE" = 600 ] \
       && [[ "$audit" == *"audit chain whole"* ]]; then :; else status=1; details="$details ($audit)"; fi
else
    details="$details | postgres: not run (no PostgreSQL cluster possible here)"
fi

log "$details"
if [ "$status" = 0 ]; then result backup PASS "$details"; else result backup FAIL "$details"; exit 1; fi
