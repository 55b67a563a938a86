from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
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
