"""The searchable unit picker: a plain <select> holding only the chosen unit(s), which
static/js/unit-picker.js turns into a search box asking `units:pick` (server-side search without
diacritics, scoped by permissions). Without JavaScript the select still submits its value."""

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.params import parse_ids

from .selectors import labels_of


class UnitPickerMixin:
    """Render only the selected units as options, labelled with their path, never the whole tree."""

    def __init__(self, attrs=None, *, include_ended: bool = False, labels: dict[int, str] | None = None):
        super().__init__(attrs)
        self.include_ended = include_ended
        self.labels = labels or {}  # paths already known (a form with many pickers reads them once)

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-unit-picker": reverse("units:pick"),
            "data-picker-js": static("vendor/tom-select/dist/js/tom-select.complete.min.js"),
            "data-picker-css": static("vendor/tom-select/dist/css/tom-select.bootstrap5.min.css"),
            "data-no-results": _("Không tìm thấy đơn vị"),
            "data-ended-label": _("đã kết thúc"),
        }
        attrs.setdefault("class", "form-select")
        if self.include_ended:
            attrs["data-include-ended"] = "1"
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        ids = parse_ids([str(v) for v in (value or [])])
        if all(i in self.labels for i in ids):
            labels = {i: self.labels[i] for i in ids}
        else:
            labels = labels_of(ids)
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0, attrs=attrs))
        for index, pk in enumerate((i for i in ids if i in labels), start=1):
            options.append(self.create_option(name, str(pk), labels[pk], True, index, attrs=attrs))
        return [(None, options, 0)]


class UnitPickerWidget(UnitPickerMixin, forms.Select):
    pass


class UnitMultiPickerWidget(UnitPickerMixin, forms.SelectMultiple):
    pass
