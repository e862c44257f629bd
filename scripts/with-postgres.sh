#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster on a free local port, then stops it.
# Exports ONCOFED_TEST_DATABASE_URL for the test suite. Uses Debian's postgresql packages.
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ]; then PG_BIN=$(dirname "$(command -v initdb)"); fi
WORK=$(mktemp -d /tmp/oncofed-pg.XXXXXX)
chmod 755 "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
RUN=""
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root: run the cluster as the postgres user
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$WORK"
  RUN="runuser -u postgres --"
fi
cleanup() {
  $RUN "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
$RUN "$PG_BIN/initdb" -D "$WORK/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log"; exit 1; }
$RUN "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$WORK/pg.log"; exit 1; }
export ONCOFED_TEST_DATABASE_URL="postgresql+psycopg://app@127.0.0.1:$PORT/postgres"
echo "with-postgres: throw-away PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
set +e
"$@"
rc=$?
set -e
exit $rc
