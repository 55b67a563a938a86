"""The portal's policy for what people type, in one place.

- Text: NFC at the boundary (the middleware normalises every query and form value except passwords);
  a NUL is refused with a message, the same on SQLite and PostgreSQL; a length limit is stated and
  enforced with a message, never cut silently (`clean_text`).
- Dates: 01/01/1900 – 31/12/2100 in every form (a date field states the range in its widget and
  refuses others with a message); numbers a person types: 0 – 10¹² unless a form states tighter.

`install()` (from `PortalConfig.ready`) sets the date and number defaults on Django's form fields,
so every form of the portal and the admin has them without each form repeating them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# The largest number a person may type in any form (about a thousand billion đồng); forms state
# tighter limits where the quantity has one.
NUMBER_MAX = 10**12


def validate_date_in_range(value) -> None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) and not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Ngày phải trong khoảng %(start)s – %(end)s.") % {"start": "01/01/1900", "end": "31/12/2100"},
            code="date_range",
        )


def state_range(field: forms.Field, lo=None, hi=None, *, help_text: bool = True) -> forms.Field:
    """Give a number field its range: enforced with a message, shown in the widget and the help text."""
    if lo is not None:
        field.min_value = lo
        field.validators.append(MinValueValidator(lo))
        field.widget.attrs["min"] = lo
    if hi is not None:
        field.max_value = hi
        field.validators.append(MaxValueValidator(hi))
        field.widget.attrs["max"] = hi
    if help_text and lo is not None and hi is not None:
        span = _("Từ %(lo)s đến %(hi)s.") % {"lo": f"{lo:,}".replace(",", "."), "hi": f"{hi:,}".replace(",", ".")}
        field.help_text = f"{field.help_text} {span}".strip() if field.help_text else span
    return field


def _date_widget_attrs(self, widget):
    attrs = forms.Field.widget_attrs(self, widget)
    if getattr(widget, "input_type", "") == "date":
        attrs.setdefault("min", DATE_MIN.isoformat())
        attrs.setdefault("max", DATE_MAX.isoformat())
    return attrs


def install() -> None:
    """Every date and number field of every form gets the portal's range (see the module doc)."""
    forms.DateField.default_validators = [validate_date_in_range]
    forms.DateField.widget_attrs = _date_widget_attrs
    forms.IntegerField.default_validators = [MinValueValidator(-NUMBER_MAX), MaxValueValidator(NUMBER_MAX)]


def clean_text(value, *, max_length: int | None = None, label: str = "", required: bool = False) -> str:
    """Text from outside (a POST body a service receives directly): NFC, stripped; NUL and text over
    `max_length` refused with a Vietnamese message naming `label`."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    name = label or _("Nội dung")
    if "\x00" in text:
        raise ValidationError(_("%(name)s chứa ký tự không hợp lệ (NUL).") % {"name": name}, code="null_characters")
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            _("%(name)s dài %(length)s ký tự; tối đa %(max)s ký tự.") % {"name": name, "length": len(text),
                                                                          "max": max_length},
            code="max_length",
        )
    if required and not text:
        raise ValidationError(_("Vui lòng nhập %(name)s.") % {"name": name}, code="required")
    return text
