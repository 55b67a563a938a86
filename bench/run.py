"""`make bench`: seed PostgreSQL at a size, then measure every key page and the heavy jobs.

Pages go through the real URL routing, middleware and templates (Django's test client, DEBUG off),
each as its natural user: SQL query count, median and p95 server time over N requests, the time
of the page's SQL alone (a connection execute_wrapper) and the ratio of server time to SQL time. Jobs: seed_demo, the 15/10 report made by a real worker beside a bare
WeasyPrint render of the same rows, an Excel export of 10,000 models, a reminder pass over the tree.
Writes bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recreate_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class QueryMeter:
    """Counts the queries of a request and sums their time (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def measure_page(client, url: str, repeats: int) -> dict:
    from django.db import connection

    for _ in range(2):  # warm caches (templates, connection)
        response = client.get(url)
    if response.status_code != 200:
        return {"error": f"HTTP {response.status_code}"}
    times, sql_times, counts = [], [], []
    for _ in range(repeats):
        meter = QueryMeter()
        with connection.execute_wrapper(meter):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        times.append(elapsed * 1000)
        sql_times.append(meter.seconds * 1000)
        counts.append(meter.count)
    median, sql = statistics.median(times), statistics.median(sql_times)
    return {
        "queries": max(counts),
        "median_ms": round(median, 1),
        "p95_ms": round(percentile(times, 95), 1),
        "sql_ms": round(sql, 1),
        # Server time over its SQL time: near 1 the SQL is the floor; large, the framework's share is.
        "server_over_sql": round(median / sql, 1) if sql else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE", "province"))
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", "30")))
    parser.add_argument("--keep", action="store_true", help="reuse the seeded database")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--pages", default="", help="only the pages whose name contains one of these (comma-separated)")
    parser.add_argument("--no-jobs", action="store_true", help="pages only, not the heavy jobs")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    url = os.environ["DATABASE_URL"]
    jobs = []
    if not args.keep:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.keep:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", "--size", args.size)
        jobs.append({"name": "seed_demo", "seconds": round(time.perf_counter() - started, 1), "size": args.size})

    # The statistics and visibility map a production database keeps through autovacuum (off on some
    # machines): without them PostgreSQL misjudges every count and cannot answer from an index alone.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # Pages are served as gunicorn serves them: the portal loaded through portal.wsgi (which moves
    # what is loaded out of the collector's generations).
    import portal.wsgi  # noqa: F401
    from bench import scenarios

    results = {"size": args.size, "pages": [], "jobs": jobs}
    wanted = [w for w in args.pages.split(",") if w] or [""]
    for page in [p for p in scenarios.pages() if any(w in p["name"] for w in wanted)]:
        client = scenarios.client_for(page["user"])
        outcome = measure_page(client, page["url"], args.repeats)
        results["pages"].append({"name": page["name"], "url": page["url"], "user": page["user"], **outcome})
        print(f"  {page['name']:<40} {outcome}", flush=True)
    for job in [] if args.no_jobs else scenarios.jobs(args.size):
        print(f"  job {job['name']}: {job}", flush=True)
        results["jobs"].append(job)

    Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    return 0


def print_table(results: dict) -> None:
    print(f"\nKích thước dữ liệu: {results['size']}")
    print(f"{'trang':<42}{'truy vấn':>9}{'median ms':>11}{'p95 ms':>9}{'SQL ms':>9}{'máy chủ/SQL':>13}")
    for page in results["pages"]:
        if "error" in page:
            print(f"{page['name']:<42}{page['error']:>38}")
            continue
        ratio = page.get("server_over_sql")
        ratio = f"{ratio}×" if ratio is not None else "–"
        print(f"{page['name']:<42}{page['queries']:>9}{page['median_ms']:>11}{page['p95_ms']:>9}{page['sql_ms']:>9}{ratio:>13}")
    print(f"\n{'việc':<42}{'giây':>9}  chi tiết")
    for job in results["jobs"]:
        extra = {k: v for k, v in job.items() if k not in ("name", "seconds")}
        print(f"{job['name']:<42}{job['seconds']:>9}  {extra or ''}")


if __name__ == "__main__":
    sys.exit(main())
