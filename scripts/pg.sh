#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL on 127.0.0.1 for the test suites (Debian's postgresql package).
# usage: scripts/pg.sh start|stop   — `start` prints the database URL on stdout.
set -euo pipefail
PGDIR=${SURVINDEX_PG_DIR:-/tmp/survindex-pg}
PORT=${SURVINDEX_PG_PORT:-55432}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"; [ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
      as_pg "$BIN/initdb" -D "$PGDIR" -U postgres -A trust >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c max_connections=200" start >/dev/null
    fi
    as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='survindex_test'" \
      | grep -q 1 || as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres survindex_test
    echo "postgresql://postgres@127.0.0.1:$PORT/survindex_test"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
