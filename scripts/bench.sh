#!/usr/bin/env bash
# make bench: BENCH_SIZE=small|province|nation|nation5 (default province) on PostgreSQL, with a real worker.
# `scripts/bench.sh export` (make bench-export): the streaming Excel export at 10,000 and 100,000 rows.
set -euo pipefail
cd "$(dirname "$0")/.."
services_env=$(scripts/services.sh start)
trap 'scripts/services.sh stop' EXIT
while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <<< "$services_env"
if [ "${1:-}" = export ]; then
  shift
  export DATABASE_URL="${DATABASE_URL%/*}/dvk_bench_export"
  exec .venv/bin/python bench/export_memory.py --before "$@"
fi
size=${BENCH_SIZE:-province}
# A database of its own for each size, next to the one DATABASE_URL names.
export DATABASE_URL="${DATABASE_URL%/*}/dvk_bench_${size}"
export BENCH_SIZE=$size
exec .venv/bin/python bench/run.py --size "$size" "$@"
