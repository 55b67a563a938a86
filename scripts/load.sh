#!/usr/bin/env bash
# make load: gunicorn (production settings) + Celery worker and beat + PostgreSQL + Redis on
# loopback, and a bounded locust run of a realistic mix. LOAD_USERS (40), LOAD_SECONDS (100; deadline 180),
# LOAD_SPAWN_RATE (users arriving a second, 1).
# LOAD_SCENARIO=mix (default) | deadline (commune staff registering models with photos and submitting
# the day before the deadline; LOAD_DEADLINE_MODELS each, default 10) | both (the two beside each other).
set -euo pipefail
cd "$(dirname "$0")/.."
services_env=$(scripts/services.sh start)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/services.sh stop; }
trap cleanup EXIT
while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<< "$services_env"
size=${BENCH_SIZE:-province}
export DATABASE_URL="${LOAD_DATABASE_URL:-${DATABASE_URL%/*}/dvk_load_${size}}"
export DJANGO_SETTINGS_MODULE=portal.settings.production DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  SECURE_SSL_REDIRECT=0 STATIC_ROOT="$PWD/.make/static-production" CELERY_QUEUE=load \
  PRIVATE_MEDIA_ROOT="$PWD/.make/load-private" MEDIA_ROOT="$PWD/.make/load-media" REQUIRE_2FA=0
db=${DATABASE_URL##*/}
if ! psql "${DATABASE_URL%/*}/postgres" -Atc "select 1 from pg_database where datname='$db'" | grep -q 1; then
  psql "${DATABASE_URL%/*}/postgres" -qc "create database \"$db\""
  .venv/bin/python manage.py migrate -v0
  echo "Nạp dữ liệu mẫu cỡ $size cho lần chạy tải…"
  DJANGO_SETTINGS_MODULE=portal.settings.base .venv/bin/python manage.py seed_demo --size "$size"
fi
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/load_prepare.py
port=${LOAD_PORT:-8088}
# --keep-alive longer than a user's pause: with gunicorn's 2 s an idle connection the client reuses can
# be closed under it ("Connection reset by peer" on the next request).
.venv/bin/gunicorn portal.wsgi -b 127.0.0.1:$port -w "${LOAD_WORKERS:-4}" --threads 2 --timeout 60 --keep-alive 30 \
  --access-logfile /dev/null --error-logfile .make/load-gunicorn.log & pids+=($!)
.venv/bin/celery -A portal worker --pool=solo -Q load -l warning --logfile .make/load-worker.log & pids+=($!)
.venv/bin/celery -A portal beat -l warning -s .make/load-beat-schedule --logfile .make/load-beat.log & pids+=($!)
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
# People arrive one a second (a sign-in is hundreds of milliseconds of PBKDF2 by design; 40 of them in
# 8 s would be a storm no office makes); bench/load_summary.py counts every request from the first
# second but the sign-ins, which it reports apart.
case "${LOAD_SCENARIO:-mix}" in
  mix) classes=(PortalUser) seconds=100 ;;
  deadline) classes=(DeadlineCommuneUser) seconds=180 ;;
  both) classes=(PortalUser DeadlineCommuneUser) seconds=180 ;;
  *) echo "LOAD_SCENARIO: mix, deadline or both" >&2; exit 2 ;;
esac
.venv/bin/locust -f bench/locustfile.py "${classes[@]}" --headless -u "${LOAD_USERS:-40}" -r "${LOAD_SPAWN_RATE:-1}" -t "${LOAD_SECONDS:-$seconds}s" \
  --host "http://127.0.0.1:$port" --csv bench/load --only-summary --stop-timeout 10 || true
.venv/bin/python bench/load_summary.py bench/load_stats.csv
