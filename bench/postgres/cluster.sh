# Sourced by bench/postgres/run.sh: a throwaway PostgreSQL cluster, as the end-to-end tests make
# one (Tests/OutreachEndToEndTests/Support/PostgresCluster.swift): initdb (as `postgres` under
# root: the server refuses to run as root) in a temporary directory, pg_ctl start on a free port
# of 127.0.0.1 and a Unix socket in that directory; `pg_stop_cluster` (call it from the caller's
# EXIT trap) stops it at once and removes the directory.
# fsync stays on (the server's default; PG_FSYNC=off to leave it out): the durable enqueue is
# measured, and every commit costs the same on both sides of a ratio. PG_OPTS: more server options
# (`-c log_min_duration_statement=5`); BENCH_KEEP=1 keeps the directory and its server.log.
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL is not installed: scripts/install-deps.sh --bench" >&2; exit 1; }
PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench-pg.XXXXXX")
PG_PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
pg_as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" != 0 ] || chown postgres:postgres "$PG_DIR"
pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >/dev/null
pg_options="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on} -c max_connections=200"
pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 60 -l "$PG_DIR/server.log" -o "$pg_options ${PG_OPTS:-}" \
    start >/dev/null
pg_stop_cluster() {
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    if [ -n "${BENCH_KEEP:-}" ]; then echo "kept: $PG_DIR" >&2; else rm -rf "$PG_DIR"; fi
}
# psql on database $1 over the socket, quiet, stopping at the first error.
pg_sql() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$db" "$@"; }
pg_url() { echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"; }
