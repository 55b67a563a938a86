#!/usr/bin/env bash
# The whole suite on PostgreSQL with a real Celery worker on Redis (started by the tests that need it).
set -euo pipefail
cd "$(dirname "$0")/.."
services_env=$(scripts/services.sh start)
trap 'scripts/services.sh stop' EXIT
while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<< "$services_env"
export DJANGO_SETTINGS_MODULE=portal.settings.test

echo "== translations"
.venv/bin/pybabel compile -d locale -D django
echo "== ruff"
.venv/bin/ruff check .
echo "== migrations match the models"
DJANGO_SETTINGS_MODULE=portal.settings.base DATABASE_URL=sqlite:///:memory: .venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
echo "== deploy checks under production settings"
DJANGO_SETTINGS_MODULE=portal.settings.production DEBUG=0 ALLOWED_HOSTS=dvk.example.org \
  PORTAL_BASE_URL=https://dvk.example.org \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
echo "== static files"
.venv/bin/python manage.py collectstatic --noinput -v0
echo "== pytest"
# Two processes (pytest-xdist) on the 2 cores: each has its own test database (test_…_gw0, _gw1), its own
# Celery queue and live server. PYTEST_WORKERS=0 runs the suite in this one process.
DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
