#!/bin/sh
# Run a command with a throw-away PostgreSQL server on 127.0.0.1, its URL in KHABAR_TEST_PG.
# If KHABAR_TEST_PG is already set, that server is used and nothing is started.
set -e
if [ -n "$KHABAR_TEST_PG" ]; then exec "$@"; fi
BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BINDIR" ]; then echo "PostgreSQL not installed: run scripts/system-deps.sh" >&2; exit 1; fi
# A free port unless one is given, so parallel runs (and a developer's own server) never collide.
PORT=${KHABAR_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
DIR=$(mktemp -d /tmp/khabar-pg.XXXXXX)
RUN=""
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; RUN="runuser -u postgres --"; fi
$RUN "$BINDIR/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
$RUN "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-h 127.0.0.1 -p $PORT -k $DIR" start >/dev/null
trap '$RUN "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$DIR"' EXIT INT TERM
"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U postgres khabar_test
export KHABAR_TEST_PG="postgresql://postgres@127.0.0.1:$PORT/khabar_test"
"$@"
