"""The national 15/10 roll-up: the commendation report of the whole country for one year, through
today's tree and through the tree as it stood on 15/10, each built in a fresh process by the same
function the worker's `generate_report` task runs (`documents.reporting.build_request`).

    DATABASE_URL=postgres://…/dvk_bench_nation5 .venv/bin/python bench/rollup_national.py --year 2025

Prints, for each roll-up, the wall and CPU seconds of the build and the process's peak RSS
(`ru_maxrss`, which includes Django and WeasyPrint themselves), and the PDF's size and pages.
Targets (issue 15): ≤ 60 s and ≤ 1 GB. The requests it makes stay in the register of reports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(request_id: int) -> None:
    import django

    django.setup()
    from documents.reporting import build_request
    from portal.models import ReportRequest

    wall, cpu = time.perf_counter(), time.process_time()
    request = build_request(request_id)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    request = ReportRequest.objects.get(pk=request_id)
    print(json.dumps({
        "status": request.status, "seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "file_kb": round(request.size / 1024, 1), "pages": request.pages, "message": request.message,
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    if args.child:
        child(args.child)
        return
    import django

    django.setup()
    from documents.reporting import report_request
    from portal.accounts.models import User
    from portal.models import ReportRequest
    from portal.units.models import Unit

    nation = Unit.objects.get(depth=1)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    results = []
    for rollup in ("now", "then"):
        params = {"unit_id": nation.pk, "year": args.year, "rollup": rollup}
        request, _created = report_request(kind="commendation-1510", params=params, unit=nation, user=admin)
        # Without a broker the request was built as it was asked (eager): ask again, in a fresh process.
        ReportRequest.objects.filter(pk=request.pk).update(status=ReportRequest.Status.QUEUED)
        out = subprocess.run([sys.executable, __file__, "--child", str(request.pk)], check=True,
                             capture_output=True, text=True, env=os.environ).stdout
        row = {"rollup": rollup, "unit": nation.name, "year": args.year, **json.loads(out.strip().splitlines()[-1])}
        row["load_average"] = round(os.getloadavg()[0], 2)
        results.append(row)
        print(row, flush=True)


if __name__ == "__main__":
    main()
