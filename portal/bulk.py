"""Set-based writes the ORM has no call for: claim many unique rows at once and learn which were ours.

`bulk_create(ignore_conflicts=True)` skips rows that already exist but does not say which rows it
wrote, and a "send once" pass must know exactly that (two workers running the same pass must not
both send). `insert_returning` writes `INSERT … ON CONFLICT DO NOTHING RETURNING …`, which both
PostgreSQL and SQLite (3.35+) understand: every returned row is one this statement inserted, and a
row another transaction is inserting at the same moment waits for it and is then skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from django.db import connections, router
from django.db.models import Model

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_returning(model: type[Model], rows: Iterable[dict], returning: Sequence[str]) -> list[tuple]:
    """Insert `rows` (field name → value; other fields take their defaults), skip those that break a
    unique constraint, and return `returning` of the rows inserted, in one statement."""
    rows = list(rows)
    if not rows:
        return []
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [
        f for f in model._meta.concrete_fields
        if not (f.primary_key and f.name not in rows[0])
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    params: list = []
    for row in rows:
        for field in fields:
            value = row[field.name] if field.name in row else row.get(field.attname, _MISSING)
            if value is _MISSING:
                value = field.get_default()
            params.append(field.get_db_prep_save(value, connection))
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    back = [model._meta.get_field(name).column for name in returning]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        + ", ".join([placeholder] * len(rows))
        + " ON CONFLICT DO NOTHING RETURNING "
        + ", ".join(quote(c) for c in back)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


_MISSING = object()
