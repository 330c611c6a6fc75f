#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a Unix socket: initdb, start, run, stop, remove.
# Installs the PostgreSQL server from Debian's packages when it is missing.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

PG_BIN=$(find_bin || true)
if [ -z "$PG_BIN" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_bin)
fi

WORK=$(mktemp -d /tmp/faportal-pg.XXXXXX)
chmod 755 "$WORK"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user (created by the Debian package).
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$WORK"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U faportal --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -w -l "$WORK/log" \
  -o "-k $WORK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"${RUN_AS[@]}" "$PG_BIN/createdb" -h "$WORK" -U faportal faportal

export DATABASE_URL="postgres://faportal@/faportal?host=$WORK"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $WORK"
"$@"
