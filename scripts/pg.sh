#!/usr/bin/env bash
# Runs a private PostgreSQL cluster for Ariadne's tests and `make demo`:
# project-local data dir, loopback only, non-default port. Idempotent:
# initdb only once, start only when stopped, create databases only if absent.
#
#   scripts/pg.sh start   # prints the admin URL on stdout
#   scripts/pg.sh stop
#   scripts/pg.sh url
source "$(dirname "$0")/lib.sh"

# One port per checkout (two clones on one machine each get their own
# cluster), stable across runs, and below the ephemeral range (32768+) so
# no outgoing connection holds it; ARIADNE_PG_PORT overrides it.
PORT=${ARIADNE_PG_PORT:-$((24000 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 2000))}
DIR=$(data_dir)/pg
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
	[ -n "$PGBIN" ] || { log "PostgreSQL is not installed: run scripts/install.sh"; exit 1; }
	if [ "$(id -u)" -eq 0 ]; then
		install -d -o postgres -g postgres -m 700 "$DIR"
	else
		install -d -m 700 "$DIR"
	fi
	if [ ! -f "$DIR/PG_VERSION" ]; then
		as_pg "$PGBIN/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	if as_pg "$PGBIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
		# Already running, perhaps started on another port: report that one.
		PORT=$(sed -n 4p "$DIR/postmaster.pid")
		URL="postgres://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
	else
		as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200 -c fsync=off" start >/dev/null
	fi
	echo "$URL"
}

stop() {
	[ -f "$DIR/PG_VERSION" ] || return 0
	as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
}

# createdb NAME creates a database if it does not exist yet.
createdb() {
	local name=$1
	if ! psql "$URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
		psql "$URL" -qc "CREATE DATABASE \"$name\"" >/dev/null
	fi
	echo "postgres://postgres@127.0.0.1:$PORT/$name?sslmode=disable"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) echo "$URL" ;;
createdb) createdb "$2" ;;
*) log "usage: $0 start|stop|url|createdb NAME"; exit 2 ;;
esac
