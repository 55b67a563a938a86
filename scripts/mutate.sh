#!/usr/bin/env bash
# make mutate: mutation testing (mutmut 3) of the permission layer and the declared workflows
# against a focused test selection ([tool.mutmut] in pyproject.toml). Not part of `make test`.
# Bounded: it stops after MUTATE_BUDGET_SECONDS (default 1800 s); run it again to go on where it
# stopped (mutmut keeps its results in mutants/). Report: bench/mutation-report.txt (every mutant
# and its result) and bench/mutation-stats.json (the counts).
set -euo pipefail
cd "$(dirname "$0")/.."
services_env=$(scripts/services.sh start)
trap 'scripts/services.sh stop' EXIT
while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<< "$services_env"
# A database of its own, made afresh and migrated once here; the tests then use it as it is
# (DVK_TEST_DATABASE_MIGRATED, tests/conftest.py): each mutant runs its tests in a pytest session of
# its own, which would otherwise spend seconds checking every migration before a test of 0.2 s.
export DATABASE_URL="${DATABASE_URL%/*}/${MUTATE_DB:-dvk_mutate}"
export DJANGO_SETTINGS_MODULE=portal.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true DVK_TEST_DATABASE_MIGRATED=1
.venv/bin/python - <<'PY'
import os

import psycopg

server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.execute(f'CREATE DATABASE "{name}"')
PY
.venv/bin/python manage.py migrate -v0
.venv/bin/pybabel compile -d locale -D django >/dev/null 2>&1
budget=${MUTATE_BUDGET_SECONDS:-1800}
mkdir -p .make bench
started=$(date +%s)
status=0
timeout --signal=INT --kill-after=60 "$budget" .venv/bin/mutmut run --max-children "${MUTATE_CHILDREN:-2}" \
  > .make/mutmut.log 2>&1 || status=$?
echo "mutmut ran $(( $(date +%s) - started )) s (exit $status; 124 = stopped at the ${budget} s budget)"
.venv/bin/mutmut export-cicd-stats >/dev/null
cp mutants/mutmut-cicd-stats.json bench/mutation-stats.json
.venv/bin/mutmut results --all true > bench/mutation-report.txt
cat bench/mutation-stats.json; echo
echo "surviving mutants (each killed by a test or explained in README.md):"
grep -E ": survived$" bench/mutation-report.txt || echo "  none"
