#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster on loopback for the tests.
#   eval "$(bash scripts/test-postgres.sh start)"   # exports TEST_DATABASE_URL
#   bash scripts/test-postgres.sh stop
set -euo pipefail
dir=${PG_TEST_DIR:-/tmp/annex-tracker-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "echo 'PostgreSQL is not installed; PostgreSQL tests will start their own or fail' >&2"; exit 0; }
port=${PG_TEST_PORT:-55432}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -A trust -U postgres --no-sync >/dev/null
    fi
    # Already running (a second run on the same machine): reuse it.
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c fsync=off -c max_connections=300" start >/dev/null
    fi
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
