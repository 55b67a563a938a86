"""Rows per second of `bulk_create` against `portal.bulk.copy_create` (COPY) on the seeders' big tables.

    DATABASE_URL=postgres://…/dvk_n5 .venv/bin/python bench/copy_rows.py [--rows 20000]

Copies rows already in a seeded database (models and their events) as new objects, inserts them
both ways inside a transaction that is rolled back, twice each (the faster run counts), and checks
that both ways wrote the same rows (apart from `updated_at`, the time of writing).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class _Rollback(Exception):
    pass


def _insert(model, objs, how: str):
    from django.db import transaction

    from portal.bulk import copy_create

    rows = []
    for obj in objs:
        new = copy.copy(obj)
        new.pk = None
        new._state = type(obj._state)()
        rows.append(new)
    try:
        with transaction.atomic():
            started = time.perf_counter()
            if how == "bulk_create":
                model.objects.bulk_create(rows, batch_size=2000)
            else:
                copy_create(model, rows)
            seconds = time.perf_counter() - started
            stored = list(model.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk").values())
            for row in stored:
                row.pop("id")
                row.pop("updated_at", None)
            raise _Rollback(seconds, stored)
    except _Rollback as done:
        return done.args


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from models_registry.models import DvkModel, ModelEvent

    for model, count in ((DvkModel, args.rows), (ModelEvent, 2 * args.rows)):
        objs = list(model.objects.order_by("pk")[:count])
        best, stored = {}, {}
        for how in ("bulk_create", "COPY", "bulk_create", "COPY"):
            seconds, rows = _insert(model, objs, how)
            best[how] = min(best.get(how, seconds), seconds)
            stored[how] = rows
        n = len(objs)
        print(
            f"{model.__name__}: {n} rows; bulk_create {best['bulk_create']:.2f} s ({n / best['bulk_create']:,.0f} rows/s), "
            f"COPY {best['COPY']:.2f} s ({n / best['COPY']:,.0f} rows/s); same rows: {stored['bulk_create'] == stored['COPY']}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
