"""Set-based writes the ORM has no call for: claim many unique rows at once and learn which were ours,
and load many rows with PostgreSQL's COPY.

`bulk_create(ignore_conflicts=True)` skips rows that already exist but does not say which rows it
wrote, and a "send once" pass must know exactly that (two workers running the same pass must not
both send). `insert_returning` writes `INSERT … ON CONFLICT DO NOTHING RETURNING …`, which both
PostgreSQL and SQLite (3.35+) understand: every returned row is one this statement inserted, and a
row another transaction is inserting at the same moment waits for it and is then skipped.

`copy_create` is `bulk_create` for loading (the demo seeders): on PostgreSQL it writes the rows with
COPY, which skips building an INSERT statement and its parameters per batch; elsewhere it is
`bulk_create`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from django.db import connections, router
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin

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


def copy_create(model: type[Model], objs: Sequence[Model], *, batch_size: int = 5000) -> Sequence[Model]:
    """Insert `objs` as `bulk_create` does (their primary keys set afterwards), with COPY on PostgreSQL.

    Keys are taken from the table's sequence before the COPY, in order, so the same objects get the
    same keys as `bulk_create` would give them on an empty table. No signals, no `save()`: as
    `bulk_create`. Rows with a key already set keep it.
    """
    if not objs:
        return objs
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    opts = model._meta
    quote = connection.ops.quote_name
    fields = list(opts.concrete_fields)
    with connection.cursor() as cursor:
        missing = [obj for obj in objs if obj.pk is None]
        if missing and not isinstance(opts.pk, AutoFieldMixin):
            return model._default_manager.bulk_create(objs, batch_size=batch_size)
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
