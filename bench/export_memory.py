"""Streaming Excel export at two sizes: time and peak memory of exporting N models.

    DATABASE_URL=postgres://…/dvk_bench_export .venv/bin/python bench/export_memory.py [--sizes 10000,100000]

Fills its own database (recreated) with the largest size of models, bulk-inserted, then for each
size runs the export in a fresh process twice: once plain (seconds, peak RSS of the process over
its RSS before the export) and once under tracemalloc (peak of the Python heap). Writes
bench/results-export.json. `make bench-export` runs it on a database of its own.
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


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def fill(rows: int) -> None:
    """A province, three units under it and `rows` models over 2021–2026, in batches of 5,000."""
    import datetime as dt

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from models_registry.models import DvkModel, ModelField, State
    from portal.units.models import Phase, Unit, UnitKind

    phase = Phase.objects.create(name="2021 – 2025", start_year=2021, end_year=2025)
    kind = UnitKind.objects.order_by("pk").first()
    root = Unit.objects.add_root({"code": "BENCH", "name": "Tỉnh đo hiệu năng", "kind": kind})
    units = [Unit.objects.add_child(root, {"code": f"BENCH{i}", "name": f"Xã đo hiệu năng {i}", "kind": kind})
             for i in range(3)]
    fields = [c for c, _ in ModelField.choices]
    states = [State.SUBMITTED, State.REGISTERED, State.RECOGNISED]
    batch = 5000
    for start in range(0, rows, batch):
        DvkModel.objects.bulk_create([
            DvkModel(
                unit=units[i % 3], phase=phase, year=2021 + i % 5, field=fields[i % len(fields)],
                name=f"Mô hình “Dân vận khéo” số {i}: vận động nhân dân cùng làm đường, thắp sáng đường quê",
                goals="Vận động nhân dân", target_group=f"Hộ gia đình thôn {i % 97}", how_it_works="Góp ngày công",
                leader_text="Ban Dân vận xã", start_date=dt.date(2021 + i % 5, 3, 1), expected_results="2 km đường",
                state=states[i % 3],
            )
            for i in range(start, min(rows, start + batch))
        ])


def _openpyxl_before(qs):
    """The export as it was before XlsxWriter: the same rows into openpyxl's write-only sheet,
    spooled to a temporary file (the streamed export of 2026-12-02, 0.44 ms a row)."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from models_registry import exports

    exports.models_export_check(qs)
    target = tempfile.TemporaryFile(suffix=".xlsx")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Mô hình Dân vận khéo")
    header = []
    for title in exports.HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in exports._rows(qs):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(target)
    target.seek(0)
    return target


def measure(rows: int, traced: bool, before: bool = False) -> dict:
    """Export the first `rows` models (by id) into a temporary file; this process only."""
    from models_registry.exports import models_xlsx_file
    from models_registry.models import DvkModel

    if before:
        models_xlsx_file = _openpyxl_before  # noqa: F811 - the same rows, the old writer

    first = DvkModel.objects.order_by("pk").values_list("pk", flat=True).first()
    qs = DvkModel.objects.filter(pk__lt=first + rows).order_by("pk")
    with models_xlsx_file(DvkModel.objects.filter(pk=first)):  # warm: imports, translations
        pass
    if traced:
        import tracemalloc

        tracemalloc.start()
    before_kb = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    with models_xlsx_file(qs) as handle:
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        size = handle.seek(0, os.SEEK_END)
    result = {"rows": qs.count(), "bytes": size}
    if traced:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1_048_576, 2)
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # CPU seconds of this process beside wall seconds: on a shared machine the wall time waits.
        result |= {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rss_before_mb": round(before_kb / 1024, 1),
                   "rss_peak_mb": round(peak_kb / 1024, 1), "rss_growth_mb": round((peak_kb - before_kb) / 1024, 1)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--before", action="store_true", help="also measure the openpyxl writer it replaced")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results-export.json"))
    args = parser.parse_args()
    if args.child:
        _setup()
        print(json.dumps(measure(args.child, args.traced, args.before)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    if not args.keep:
        from bench.run import recreate_database

        recreate_database(os.environ["DATABASE_URL"])
        _setup()
        started = time.perf_counter()
        fill(max(sizes))
        print(f"filled {max(sizes)} models in {time.perf_counter() - started:.1f} s", flush=True)
    results = {"streamed": [], "openpyxl_before": []}
    for variant, flags in (("streamed", []), ("openpyxl_before", ["--before"])):
        if variant == "openpyxl_before" and not args.before:
            continue
        for rows in sizes:
            outcome = {}
            for traced in (False, True):
                command = [sys.executable, __file__, "--child", str(rows), *flags] + (["--traced"] if traced else [])
                outcome |= json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            print(f"  {variant} {rows:>7} rows: {outcome}", flush=True)
            results[variant].append(outcome)
    Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
