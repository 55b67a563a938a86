"""Phases of the movement: administrators add them and choose the current one."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.inputs import state_range
from portal.permissions import ADMIN, require_role

from .models import Phase


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start_year", "end_year", "is_current"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_year", "end_year"):
            state_range(self.fields[name], 2000, 2100)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Lưu")))

    def _get_validation_exclusions(self):
        # "One current phase" is kept by the view, which clears the flag on the others first.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("is_current")
        return exclusions

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Năm kết thúc phải sau hoặc bằng năm bắt đầu."))
        return data


@login_required
def phase_list(request):
    require_role(request.user, ADMIN)
    return render(request, "units/phase_list.html", {"phases": Phase.objects.all()})


@login_required
def phase_edit(request, pk=None):
    require_role(request.user, ADMIN)
    phase = get_object_or_404(Phase, pk=pk) if pk else None
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if form.cleaned_data["is_current"]:
                Phase.objects.exclude(pk=getattr(phase, "pk", None)).update(is_current=False)
            form.save()
        messages.success(request, _("Đã lưu giai đoạn."))
        return redirect("units:phases")
    return render(request, "units/unit_form.html", {"form": form, "title": _("Giai đoạn") if phase is None else _('Sửa giai đoạn %(phase)s') % {"phase": phase}})
