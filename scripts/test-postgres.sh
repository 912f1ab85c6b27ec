#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster on loopback for the tests, one per run:
# its own folder and a free port, so two runs on one machine never share or stop each other's.
#   eval "$(bash scripts/test-postgres.sh start)"   # exports TEST_DATABASE_URL and PG_TEST_DIR
#   bash scripts/test-postgres.sh stop              # stops and removes the cluster of $PG_TEST_DIR
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "echo 'PostgreSQL is not installed; PostgreSQL tests will start their own or fail' >&2"; exit 0; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    dir=$(mktemp -d /tmp/annex-tracker-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$bin/initdb" -D "$dir" -A trust -U postgres --no-sync >/dev/null
    # A port nobody listens on now; the short window until postgres binds it is retried once.
    for attempt in 1 2; do
      port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
      if as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" start >/dev/null; then break; fi
      [ "$attempt" = 2 ] && { cat "$dir/log" >&2; exit 1; }
    done
    echo "export PG_TEST_DIR=$dir TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${PG_TEST_DIR:?PG_TEST_DIR names the cluster to stop}
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
