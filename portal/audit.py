"""Audit history: who changed what and when, read from django-simple-history, in words.

Values are shown as people read them: the label of a choice (`Nháp → Chờ duyệt`), `Có`/`Không`
for yes/no, the name of a unit or person instead of its id, dates as dd/mm/yyyy; internal fields
(slugs, counters, folded search text) are left out. Labels follow the interface's language.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext_lazy

ACTIONS = {"+": gettext_lazy("tạo mới"), "~": gettext_lazy("sửa"), "-": gettext_lazy("xóa")}
# Bookkeeping people never need to read about.
INTERNAL_FIELDS = {"slug", "version", "key", "token", "search_folded", "name_folded", "collective_folded",
                   "updated_at", "due_at", "path", "depth", "numchild"}
YES, NO = gettext_lazy("Có"), gettext_lazy("Không")


def display_value(field, value) -> str:
    """One stored value of `field` as a person reads it."""
    if value is None or value == "":
        return ""
    if getattr(field, "many_to_many", False) and isinstance(value, (list, tuple)):
        name = field.m2m_reverse_field_name()
        ids = [row.get(name) if isinstance(row, dict) else row for row in value]
        return ", ".join(str(o) for o in field.related_model.objects.filter(pk__in=ids))
    if getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(field, models.BooleanField):
        return str(YES if value else NO)
    if isinstance(field, models.ForeignKey):
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target is not None else str(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "d/m/Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def history_entries(obj: Model, limit: int = 50) -> list[dict]:
    """The newest changes of `obj`, each with the fields that changed (old -> new), in words."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in INTERNAL_FIELDS:
                    continue
                try:
                    field = record.instance._meta.get_field(change.field)
                except Exception:  # noqa: BLE001 – an m2m or removed field: show its name only
                    field = None
                if field is None or (not field.editable and not getattr(field, "choices", None)):
                    continue
                changes.append({
                    "field": str(getattr(field, "verbose_name", change.field)),
                    "old": display_value(field, change.old), "new": display_value(field, change.new),
                })
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": ACTIONS.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return entries
