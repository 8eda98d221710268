#!/bin/sh
# Install the Debian packages the tests need (PostgreSQL server, Chromium, Arabic fonts, and
# SQLite's headers for the compiled search ranker)
# when they are missing. Needs root or sudo; prints what to do otherwise.
set -e
need=""
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -d /usr/share/fonts/truetype/noto ] || need="$need fonts-noto-core"
[ -f /usr/include/sqlite3ext.h ] || need="$need libsqlite3-dev"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "missing system packages:$need; install them with apt-get (root needed)" >&2; exit 1; fi
echo "installing system packages:$need"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
