"""Audit history: who changed what and when, read from django-simple-history."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext_lazy

ACTIONS = {"+": gettext_lazy("tạo mới"), "~": gettext_lazy("sửa"), "-": gettext_lazy("xóa")}


def history_entries(obj: Model, limit: int = 50) -> list[dict]:
    """The newest changes of `obj`, each with the fields that changed (old -> new)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance._meta.get_field(change.field)
                changes.append(
                    {"field": str(getattr(field, "verbose_name", change.field)), "old": change.old, "new": change.new}
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": ACTIONS.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return entries
