import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.text import nfc

from .models import Unit, UnitKind
from .widgets import UnitMultiPickerWidget, UnitPickerWidget


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class UnitChoiceField(forms.ModelChoiceField):
    """A unit chosen with the searchable picker (the options are never the whole tree)."""

    widget = UnitPickerWidget

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = UnitMultiPickerWidget


class UnitCreateForm(forms.Form):
    parent = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị cấp trên"), required=False,
                             help_text=gettext_lazy("Để trống nếu là đơn vị gốc."))
    code = forms.CharField(label=gettext_lazy("Mã đơn vị"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Tên đơn vị"), max_length=255)
    kind = forms.ModelChoiceField(queryset=UnitKind.objects.all(), label=gettext_lazy("Loại đơn vị"))
    valid_from = forms.DateField(label=gettext_lazy("Hiệu lực từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units if units is not None else Unit.objects.filter(is_active=True)
        self.helper = _helper(_("Tạo đơn vị"))

    def clean_code(self):
        code = nfc(self.cleaned_data["code"]).strip()
        if Unit.objects.filter(code=code).exists():
            raise forms.ValidationError(_('Mã đơn vị “%(code)s” đã tồn tại.') % {"code": code})
        return code

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()


class UnitEditForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên đơn vị"), max_length=255)
    kind = forms.ModelChoiceField(queryset=UnitKind.objects.all(), label=gettext_lazy("Loại đơn vị"))
    effective_date = forms.DateField(label=gettext_lazy("Ngày hiệu lực của việc đổi tên"), initial=dt.date.today,
                                     widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lưu"))

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị cấp trên mới"))
    effective_date = forms.DateField(label=gettext_lazy("Ngày hiệu lực"), initial=dt.date.today,
                                     widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = units if units is not None else Unit.objects.filter(is_active=True)
        if unit is not None:
            qs = qs.exclude(path__startswith=unit.path)
        self.fields["new_parent"].queryset = qs
        self.helper = _helper(_("Chuyển đơn vị"))


class UnitMergeForm(forms.Form):
    sources = UnitMultipleChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Các đơn vị hợp nhất"),
        help_text=gettext_lazy("Gõ tên để tìm, chọn từ hai đơn vị trở lên."),
        error_messages={"required": gettext_lazy("Chọn các đơn vị cần hợp nhất.")},
    )
    parent = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị cấp trên của đơn vị mới"), required=False)
    code = forms.CharField(label=gettext_lazy("Mã đơn vị mới"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Tên đơn vị mới"), max_length=255)
    kind = forms.ModelChoiceField(queryset=UnitKind.objects.all(), label=gettext_lazy("Loại đơn vị mới"))
    effective_date = forms.DateField(label=gettext_lazy("Ngày hiệu lực"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = units if units is not None else Unit.objects.filter(is_active=True)
        self.fields["sources"].queryset = qs
        self.fields["parent"].queryset = qs
        self.helper = _helper(_("Hợp nhất"))

    def clean_sources(self):
        sources = list(self.cleaned_data["sources"])
        if len(sources) < 2:
            raise forms.ValidationError(_("Cần chọn ít nhất hai đơn vị để hợp nhất."))
        return sources

    def clean_code(self):
        code = nfc(self.cleaned_data["code"]).strip()
        if Unit.objects.filter(code=code).exists():
            raise forms.ValidationError(_('Mã đơn vị “%(code)s” đã tồn tại.') % {"code": code})
        return code

    def clean_name(self):
        return nfc(self.cleaned_data["name"]).strip()


class EffectiveDateForm(forms.Form):
    effective_date = forms.DateField(label=gettext_lazy("Ngày hiệu lực"), initial=dt.date.today,
                                     widget=forms.DateInput(attrs={"type": "date"}))


class MembersMoveForm(forms.Form):
    """One row per person of an ended unit: move or not, and to which unit (the successor proposed)."""

    def __init__(self, *args, rows=(), units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        from .selectors import path_labels

        labels = path_labels([row["proposed"] for row in rows if row["proposed"] is not None])
        for row in rows:
            person = row["person"]
            move = forms.BooleanField(required=False, initial=row["proposed"] is not None,
                                      label=_("Chuyển %(person)s") % {"person": person})
            target = UnitChoiceField(queryset=units, required=False, label=_("Đơn vị mới của %(person)s") % {"person": person},
                                     initial=row["proposed"].pk if row["proposed"] else None,
                                     widget=UnitPickerWidget(labels=labels))
            self.fields[f"move_{person.pk}"] = move
            self.fields[f"to_{person.pk}"] = target
            self.rows.append({**row, "move": self[f"move_{person.pk}"], "target": self[f"to_{person.pk}"]})

    def clean(self):
        data = super().clean()
        moves = []
        for row in self.rows:
            pk = row["person"].pk
            if data.get(f"move_{pk}"):
                target = data.get(f"to_{pk}")
                if target is None:
                    self.add_error(f"to_{pk}", _("Chọn đơn vị mới."))
                else:
                    moves.append((pk, target.pk))
        if not moves and not self.errors:
            raise forms.ValidationError(_("Chưa chọn người nào để chuyển."))
        data["moves"] = moves
        return data
