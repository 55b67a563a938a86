#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer for the test suite; install and start them when missing.
# Prints the environment to use (DATABASE_URL, REDIS_URL) and records what it started in
# .make/started so that scripts/services.sh stop stops only that. `scripts/services.sh fonts` only
# makes sure the reports' font is installed (used by `make run`).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .make
state=.make/started

apt_install() {
  if ! command -v apt-get >/dev/null; then echo "cannot install $*: no apt-get" >&2; return 1; fi
  if [ "$(id -u)" != 0 ]; then echo "cannot install $*: run as root or install it yourself" >&2; return 1; fi
  # One apt at a time when several checkouts share the machine.
  local lock=()
  command -v flock >/dev/null && lock=(flock /tmp/apt.lock)
  [ -f .make/apt-updated ] || { "${lock[@]}" apt-get update -qq >/dev/null && touch .make/apt-updated; }
  DEBIAN_FRONTEND=noninteractive "${lock[@]}" apt-get install -y -qq "$@" >/dev/null
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
  fonts >&2
  # The font test shows Liberation Serif *1* refused under the v2 names: it reads the v1 files.
  [ -e /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || apt_install fonts-liberation >&2 || true
  # Document signatures: a software PKCS#11 token (SoftHSM2), poppler's pdfsig and NSS's certutil
  # (pdfsig checks trust through an NSS database) for tests/documents.
  signing_missing=()
  { command -v softhsm2-util >/dev/null && [ -e /usr/lib/softhsm/libsofthsm2.so ]; } || signing_missing+=(softhsm2)
  command -v pdfsig >/dev/null || signing_missing+=(poppler-utils)
  command -v certutil >/dev/null || signing_missing+=(libnss3-tools)
  [ ${#signing_missing[@]} -eq 0 ] || apt_install "${signing_missing[@]}" >&2 || true
  cat "$state.new" >> "$state"; rm -f "$state.new"
}

# Reports need Liberation Serif *2* (fonts-liberation2): the older fonts-liberation registers the same
# family name "Liberation Serif" but lacks most Vietnamese letters, so the family name proves nothing.
# Look for the file fonts-liberation2 ships and its version (fontconfig's fontversion is 16.16 fixed:
# 2.0 = 131072) instead.
SERIF2=/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
serif2_ok() {
  [ -f "$SERIF2" ] || return 1
  command -v fc-query >/dev/null || return 0
  local version
  version=$(fc-query -f '%{fontversion}\n' "$SERIF2" 2>/dev/null | head -1)
  [ "${version:-0}" -ge 131072 ]
}

fonts() {
  if serif2_ok; then echo "font: Liberation Serif 2 ($SERIF2)"; return 0; fi
  echo "font: Liberation Serif 2 missing (fonts-liberation v1 is not enough): installing fonts-liberation2"
  if apt_install fonts-liberation2 && serif2_ok; then
    command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
    echo "font: Liberation Serif 2 installed"
  else
    echo "font: WARNING: fonts-liberation2 could not be installed; PDF reports fall back to DejaVu Serif" \
      "(install it: apt-get install fonts-liberation2)"
  fi
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
  fonts) fonts ;;
  *) echo "usage: $0 start|stop|fonts" >&2; exit 2 ;;
esac
