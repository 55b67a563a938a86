"""Crispy forms of the plans app, with Vietnamese labels; text is NFC-normalised here."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from models_registry.uploads import CheckedFileField
from portal.accounts.models import Role
from portal.inputs import state_range
from portal.permissions import scope_unit, units_visible_to
from portal.text import nfc
from portal.units.models import Unit
from portal.units.widgets import UnitMultiPickerWidget, UnitPickerWidget

from .models import DueKind, FollowUp, Inspection, Plan, PlanItem


class NfcMixin:
    """Normalise every text field to NFC at the boundary."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = nfc(value).strip()
        return data


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PlanForm(NfcMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị ban hành"), widget=UnitPickerWidget)

    class Meta:
        model = Plan
        fields = ["unit", "number", "issued_on", "title", "phase", "place", "implements", "signer",
                  "signer_title", "monitor", "recipients"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "implements": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user).filter(is_active=True)
        if not self.instance.pk and scope_unit(user) is not None:
            self.fields["unit"].initial = user.unit_id
        if self.instance.pk:
            # The issuing unit is fixed once saved (it may have been merged away since).
            self.fields["unit"].queryset = Unit.objects.filter(pk=self.instance.unit_id)
            self.fields["unit"].disabled = True
        self.helper = _helper(_("Lưu kế hoạch"))

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or getattr(self.instance, "unit", None)
        number = data.get("number")
        if unit and number:
            clash = Plan.objects.filter(unit=unit, number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("Đơn vị đã có kế hoạch số này."))
        return data


class PlanItemForm(NfcMixin, forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["code", "section", "heading", "content", "chair", "responsible_kind", "responsible",
                  "method", "responsible_units", "responsible_roles", "assignees", "due_kind",
                  "due_date", "due_month", "due_year", "recurrence"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "method": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "responsible_units": forms.CheckboxSelectMultiple,
            "responsible_roles": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "due_date": _("Với loại “Trước ngày”: hạn là trước ngày này."),
            "recurrence": _("Với loại “Thường xuyên”: nhắc báo cáo kết quả theo kỳ."),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        unit_ids = [plan.unit_id] + ([plan.unit.successor_id] if plan.unit.successor_id else [])
        departments = Unit.objects.filter(
            is_active=True, depth__gt=plan.unit.depth, kind__category="department"
        ).filter(path__startswith=plan.unit.path)
        if plan.unit.successor_id:
            successor = plan.unit.successor
            departments = departments | Unit.objects.filter(
                is_active=True, kind__category="department", path__startswith=successor.path,
                depth__gt=successor.depth,
            )
        self.fields["responsible_units"].queryset = departments.order_by("name")
        self.fields["responsible_roles"].queryset = Role.objects.all()
        people_units = list(departments.values_list("pk", flat=True)) + unit_ids
        self.fields["assignees"].queryset = get_user_model().objects.filter(
            is_active=True, unit_id__in=people_units
        ).order_by("full_name")
        self.fields["assignees"].widget.attrs["size"] = 6
        state_range(self.fields["due_month"], 1, 12)
        state_range(self.fields["due_year"], 2000, 2100)
        self.helper = _helper(_("Lưu nội dung"))

    def clean(self):
        data = super().clean()
        kind = data.get("due_kind")
        if kind == DueKind.DATE and not data.get("due_date"):
            self.add_error("due_date", _("Vui lòng nhập ngày hạn."))
        if kind == DueKind.MONTH:
            if not data.get("due_month") or not 1 <= data["due_month"] <= 12:
                self.add_error("due_month", _("Vui lòng nhập tháng từ 1 đến 12."))
            if not data.get("due_year"):
                self.add_error("due_year", _("Vui lòng nhập năm."))
        if kind == DueKind.YEAR and not data.get("due_year"):
            self.add_error("due_year", _("Vui lòng nhập năm."))
        if kind != DueKind.ONGOING:
            data["recurrence"] = ""
        return data


class TransitionForm(NfcMixin, forms.Form):
    on = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Nội dung cập nhật"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence = CheckedFileField(label=_("Minh chứng (tệp PDF, Word, Excel, ảnh)"), required=False)

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = transition.note_required
        self.helper = _helper(transition.label)


class InspectionForm(NfcMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị kiểm tra"), widget=UnitPickerWidget)
    inspected_units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(), label=_("Đơn vị được kiểm tra"), widget=UnitMultiPickerWidget,
    )

    class Meta:
        model = Inspection
        fields = ["unit", "title", "inspected_on", "plan", "inspected_units", "findings"]
        widgets = {
            "inspected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        near = units_visible_to(user).filter(is_active=True)
        self.fields["unit"].queryset = near
        self.fields["inspected_units"].queryset = near
        from .selectors import plans_visible_to

        plans = Q(pk__in=plans_visible_to(user).values("pk"))
        if self.instance.pk:
            # What the record already holds stays a valid choice (a unit merged away since, a plan
            # of the former unit): saving it unchanged must work.
            self.fields["inspected_units"].queryset = Unit.objects.filter(
                Q(pk__in=near.values("pk")) | Q(pk__in=self.instance.inspected_units.values("pk"))
            ).order_by("path")
            self.fields["unit"].queryset = Unit.objects.filter(pk=self.instance.unit_id)
            if self.instance.plan_id:
                plans |= Q(pk=self.instance.plan_id)
        self.fields["plan"].queryset = Plan.objects.filter(plans).order_by("-issued_on")
        if not self.instance.pk:
            self.fields["unit"].initial = user.unit_id
        else:
            self.fields["unit"].disabled = True
        self.helper = _helper(_("Lưu đợt kiểm tra"))


class FollowUpForm(NfcMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["unit", "content", "due_date", "assignee"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection.inspected_units.all()
        self.fields["unit"].queryset = units
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            is_active=True, unit__in=units
        ).order_by("full_name")
        self.fields["assignee"].required = False
        self.helper = _helper(_("Lưu nội dung khắc phục"))


class FollowUpTransitionForm(NfcMixin, forms.Form):
    note = forms.CharField(label=_("Kết quả, ghi chú"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = transition.note_required
        self.helper = _helper(transition.label)
