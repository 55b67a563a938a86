from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Dùng đúng tiêu đề cột của tệp mẫu; tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Tải lên và xem trước")))


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: on its fields when it names them, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ImportUnitChoiceForm(forms.Form):
    """On an import's preview, the unit to use where the file's unit is missing, unknown or ended:
    one picker per such row and one for all of them, each searching the reviewer's own units."""

    def __init__(self, *args, rows, units, column: str, **kwargs):
        from portal.units.forms import UnitChoiceField
        from portal.units.selectors import path_labels
        from portal.units.widgets import UnitPickerWidget

        super().__init__(*args, **kwargs)
        chosen = [row.unit_chosen for row in rows if row.unit_chosen] + [self.initial.get("all")]
        labels = path_labels(list(units.filter(pk__in=[pk for pk in chosen if pk])))
        self.row_numbers = [row.number for row in rows if row.unit_problem or row.unit_chosen]
        self.fields["all"] = UnitChoiceField(
            queryset=units, required=False, widget=UnitPickerWidget(labels=labels),
            label=_("Đơn vị dùng cho mọi dòng chưa có đơn vị hợp lệ (%(column)s)") % {"column": column},
        )
        for number in self.row_numbers:
            self.fields[f"row-{number}"] = UnitChoiceField(
                queryset=units, required=False, widget=UnitPickerWidget(labels=labels),
                label=_("Đơn vị cho dòng %(number)s") % {"number": number},
            )

    def clean(self):
        from django.utils import timezone

        from portal.imports import ended_error

        today = timezone.localdate()
        for name, unit in list(self.cleaned_data.items()):
            if unit is not None and unit.ended_on(today):
                self.add_error(name, ended_error(unit.code, unit))
        return self.cleaned_data

    def choices(self) -> dict:
        """{"<row number>" or "all": Unit or None} from the cleaned data."""
        result = {"all": self.cleaned_data.get("all")}
        result.update({str(n): self.cleaned_data.get(f"row-{n}") for n in self.row_numbers})
        return result

    def row_field(self, number):
        return self[f"row-{number}"] if number in self.row_numbers else None


class ErrorSummary:
    """A form and its formsets read as one form by `components/error_summary.html`, so a page with
    rows (a pledge's commitments, a rubric's criteria) shows ONE summary at its top: every error once,
    each linking to its field; a row's own error ("Dòng 2: …") links to the row's first field.

    Use: `{% include "components/error_summary.html" with form=error_summary %}` with
    `error_summary = ErrorSummary(form, formset)` in the context, and render the fields without
    crispy's own error block (`|as_crispy_field`), so the summary is the page's only one.
    """

    class Item:
        def __init__(self, id_for_label: str, label: str, errors, is_hidden: bool = False):
            self.id_for_label, self.label, self.errors, self.is_hidden = id_for_label, label, list(errors), is_hidden

    def __init__(self, *parts, extra=()):
        self.parts = [p for p in parts if p is not None]
        self.extra = list(extra)  # errors of the service that refused the save

    @cached_property
    def _collected(self) -> tuple[list, list]:
        """(errors without a field, items with a field), each message once per place."""
        top, items, seen = [], [], set()

        def once(key) -> bool:
            if key in seen:
                return False
            seen.add(key)
            return True

        top += [e for e in self.extra if once((None, e))]
        for part in self.parts:
            if not part.is_bound:
                continue
            if isinstance(part, forms.BaseFormSet):
                # The formset's own errors ("at least one row") lead to its first row, under the
                # formset's `summary_label` when it has one.
                own = [e for e in part.non_form_errors() if once((None, e))]
                first = next((f for row in part.forms for f in row if not f.is_hidden), None)
                label = getattr(part, "summary_label", "")
                if own and first is not None and label:
                    items.append(self.Item(self._anchor(first), str(label), own))
                else:
                    top += own
                for number, row in enumerate(part.forms, start=1):
                    if getattr(row, "cleaned_data", {}).get(forms.formsets.DELETION_FIELD_NAME):
                        continue  # a row marked for deletion is not checked
                    items += self._form_items(row, once, _("Dòng %(n)s") % {"n": number})
            else:
                top += [e for e in part.non_field_errors() if once((None, e))]
                items += self._form_items(part, once, "")
        return top, items

    @staticmethod
    def _anchor(field) -> str:
        # A radio group has no id of its own (Django leaves its label without `for`): its first option.
        return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")

    def _form_items(self, form, once, row: str) -> list:
        visible = [f for f in form if not f.is_hidden]
        items = []
        own = [e for e in form.non_field_errors() if once((form.prefix, e))]
        if own and row:
            items.append(self.Item(self._anchor(visible[0]) if visible else "", row, own))
        for field in form:
            errors = [e for e in field.errors if once((field.html_name, e))]
            if errors:
                label = f"{row} – {field.label}" if row else str(field.label)
                items.append(self.Item(self._anchor(field), label, errors, field.is_hidden))
        return items

    @property
    def errors(self) -> bool:
        top, items = self._collected
        return bool(top or items)

    def non_field_errors(self) -> list:
        return self._collected[0]

    def __iter__(self):
        return iter(self._collected[1])
