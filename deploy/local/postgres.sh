# A throwaway PostgreSQL cluster made with initdb under .local/, one database per service.
# Sourced after common.sh. As root, the server runs as the unprivileged 'postgres' user.

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local dir="$STATE/pg"
  mkdir -p "$dir" "$LOGS"
  if [ "$(id -u)" = 0 ]; then
    # The server refuses to run as root; its files belong to 'postgres', which must reach them.
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" \
      || die "user 'postgres' cannot reach $dir: clone Convene to a folder other users can enter"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -U convene --auth=trust -E UTF8 --no-locale \
      >"$LOGS/initdb.log" 2>&1 || die "initdb failed (see $LOGS/initdb.log)"
  fi
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    say "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    mkdir -p "$dir/run" && touch "$LOGS/postgres.log"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir/run" "$LOGS/postgres.log"; fi
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$LOGS/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" \
      start >/dev/null || die "PostgreSQL did not start (see $LOGS/postgres.log)"
  fi
  local db
  for db in membership conference notifications; do
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U convene -d postgres -tAqc \
      "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
      || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U convene "$db"
  done
  say "PostgreSQL ready on 127.0.0.1:$PG_PORT (databases: membership, conference, notifications)"
}

stop_postgres() {
  local dir="$STATE/pg"
  [ -f "$dir/data/PG_VERSION" ] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
