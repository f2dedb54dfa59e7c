#!/usr/bin/env bash
# Starts a private PostgreSQL for Vigil's tests and prints, as its last line,
#   export VIGIL_TEST_POSTGRES_URL=postgres://vigil:vigil@127.0.0.1:5433/postgres
# so callers can:   eval "$(.ci/postgres.sh | tail -1)"
#
# Debian, run as root. Idempotent: installs PostgreSQL only if missing, creates
# the cluster only once, and when the server already runs just prints the line.
#
#   .ci/postgres.sh [DATA_DIR]      (default: $VIGIL_PG_DIR or /tmp/vigil-ci-postgres)
#
# The cluster listens on 127.0.0.1:5433 only (no clash with a system cluster on
# 5432), its Unix socket lives in the data directory, and the role `vigil`
# (password `vigil`, SUPERUSER CREATEDB) logs in over TCP with a password.
# Stop it with: runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D DATA_DIR stop
set -euo pipefail

PORT=5433
HOST=127.0.0.1
DATA="${1:-${VIGIL_PG_DIR:-/tmp/vigil-ci-postgres}}"
URL="postgres://vigil:vigil@${HOST}:${PORT}/postgres"

log() { echo "postgres.sh: $*" >&2; }

# Runs a command as the `postgres` user (or as ourselves when not root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# 1. PostgreSQL itself.
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    log "installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
log "using $BIN"

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

ready() { "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 2; }

ensure_role() {
    as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres >&2 <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigil') THEN
        CREATE ROLE vigil LOGIN SUPERUSER CREATEDB PASSWORD 'vigil';
    ELSE
        ALTER ROLE vigil LOGIN SUPERUSER CREATEDB PASSWORD 'vigil';
    END IF;
END
$$;
SQL
}

# 2. Already running? Then there is nothing to do (but make sure of the role
#    when the running server is ours).
if ready; then
    log "a server already answers on $HOST:$PORT"
    if [ -f "$DATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        ensure_role
    fi
    echo "export VIGIL_TEST_POSTGRES_URL=$URL"
    exit 0
fi

# 3. The cluster, created once.
if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    mkdir -p "$DATA"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DATA"; fi
    chmod 0700 "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >&2
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<CONF

# Vigil CI (.ci/postgres.sh)
listen_addresses = '$HOST'
port = $PORT
unix_socket_directories = '$DATA'
max_connections = 200
synchronous_commit = on
CONF
fi

# 4. Start it and wait until it answers.
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "starting the server"
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start >&2 || {
        log "the server did not start; its log:"
        tail -n 50 "$DATA/server.log" >&2 || true
        exit 1
    }
fi
for _ in $(seq 1 60); do
    if ready; then break; fi
    sleep 1
done
if ! ready; then
    log "the server does not answer on $HOST:$PORT"
    tail -n 50 "$DATA/server.log" >&2 || true
    exit 1
fi

# 5. The role the tests log in as.
ensure_role
log "ready on $HOST:$PORT"
echo "export VIGIL_TEST_POSTGRES_URL=$URL"
