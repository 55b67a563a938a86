"""Choice labels read the cheap way in lists.

Django's `get_FOO_display()` rebuilds its field's choices into a dict at every call, hashing every
label, and each lazy label is translated to be hashed: a list of 25 models read three labels a
row, some 450 translations a page. `ChoiceDisplay` keeps each field's {value: label} map once (the
labels stay lazy, so each call still answers in the request's language) and translates only the
label asked for."""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str

_LABELS: dict[models.Field, dict] = {}


def _labels(field: models.Field) -> dict:
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = dict(field.flatchoices)
    return labels


class ChoiceDisplay:
    """Mix into a model (before `models.Model`): its `get_FOO_display()` read from the map above."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # a value that cannot be a key (a list from a JSON field): Django's way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
