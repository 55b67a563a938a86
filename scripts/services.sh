#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer for the test suite; install and start them when missing.
# Prints the environment to use (DATABASE_URL, REDIS_URL) and records what it started in
# .make/started so that scripts/services.sh stop stops only that.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .make
state=.make/started

apt_install() {
  if ! command -v apt-get >/dev/null; then echo "cannot install $*: no apt-get" >&2; return 1; fi
  if [ "$(id -u)" != 0 ]; then echo "cannot install $*: run as root or install it yourself" >&2; return 1; fi
  [ -f .make/apt-updated ] || { apt-get update -qq >/dev/null && touch .make/apt-updated; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}" 2>/dev/null; }
redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

start() {
  : > "$state.new"
  if [ -z "${DATABASE_URL:-}" ]; then
    command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
    if ! pg_ready; then
      version=$(ls /etc/postgresql | sort -n | tail -1)
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
      echo "postgresql $version" >> "$state.new"
      for _ in $(seq 30); do pg_ready && break; sleep 1; done
    fi
    # Trust auth (this machine) lets postgres in over TCP; elsewhere make a role with a password.
    if psql -h 127.0.0.1 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
      echo "DATABASE_URL=postgres://postgres@127.0.0.1:5432/dvk_portal"
    else
      su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='dvk') THEN CREATE ROLE dvk LOGIN CREATEDB PASSWORD 'dvk-local-test'; END IF; END \\\$\\\$;\"" >/dev/null
      echo "DATABASE_URL=postgres://dvk:dvk-local-test@127.0.0.1:5432/dvk_portal"
    fi
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    command -v redis-server >/dev/null || apt_install redis-server
    if ! redis_ready; then
      mkdir -p /tmp/dvk-redis
      redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir /tmp/dvk-redis --logfile /tmp/dvk-redis/redis.log --pidfile /tmp/dvk-redis/redis.pid
      echo "redis /tmp/dvk-redis/redis.pid" >> "$state.new"
      for _ in $(seq 30); do redis_ready && break; sleep 0.5; done
    fi
    echo "REDIS_URL=redis://127.0.0.1:6379/1"
  fi
  # The PostgreSQL fault test runs a private cluster of its own (initdb, pg_ctl): the server binaries
  # must be here even when DATABASE_URL points elsewhere; runuser (util-linux) runs them as postgres.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql >&2
  command -v runuser >/dev/null || apt_install util-linux >&2 || true
  # Browser tests drive Debian's chromium; PDFs need a Vietnamese serif font.
  command -v chromium >/dev/null || apt_install chromium >&2 || true
  fc-list 2>/dev/null | grep -q "Liberation Serif" || apt_install fonts-liberation2 >&2 || true
  cat "$state.new" >> "$state"; rm -f "$state.new"
}

stop() {
  [ -f "$state" ] || exit 0
  while read -r what arg; do
    case "$what" in
      postgresql) pg_ctlcluster --skip-systemctl-redirect "$arg" main stop || true ;;
      redis) [ -f "$arg" ] && kill "$(cat "$arg")" 2>/dev/null || true ;;
    esac
  done < "$state"
  rm -f "$state"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
