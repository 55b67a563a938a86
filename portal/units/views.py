import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView

from portal.audit import history_entries
from portal.params import parse_id
from portal.permissions import ADMIN, RoleRequiredMixin, require_role, units_visible_to
from portal.text import fold
from portal.xlsx import build_xlsx, xlsx_response

from . import services
from .forms import (
    EffectiveDateForm,
    MembersMoveForm,
    UnitCreateForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
)
from .models import Unit, UnitChange, UnitKind
from .selectors import (
    ancestors_of,
    children_as_of,
    lineage,
    members_of_ended_units,
    planned_changes,
    units_search,
)


class UnitListView(RoleRequiredMixin, ListView):
    """The units of the user's subtree, in tree order, with search and filters."""

    template_name = "units/unit_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = units_visible_to(self.request.user).select_related("kind").order_by("path")
        params = self.request.GET
        if q := params.get("q", "").strip():
            folded = fold(q)
            qs = qs.filter(name_folded__contains=folded) | qs.filter(code__iexact=q)
        if kind := params.get("kind"):
            qs = qs.filter(kind__code=kind)
        if params.get("status") == "inactive":
            qs = qs.filter(is_active=False)
        elif params.get("status") != "all":
            qs = qs.filter(is_active=True)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = kinds = list(UnitKind.objects.all())
        # Names of the coded filters, for the chips of the filters in force.
        context["kind_choices"] = [(kind.code, kind.name) for kind in kinds]
        context["status_choices"] = [("inactive", _("Đã ngừng / hợp nhất")), ("all", _("Tất cả"))]
        # Changes dated in the future show on the tree as planned until their date.
        planned = {}
        for change in planned_changes(context["object_list"]).prefetch_related("sources"):
            for unit_id in {change.unit_id, *(s.pk for s in change.sources.all())}:
                planned.setdefault(unit_id, []).append(change)
        for unit in context["object_list"]:
            unit.planned = planned.get(unit.pk, [])
        context["is_admin"] = self.request.user.has_role(ADMIN) or self.request.user.is_superuser
        return context


class UnitDetailView(RoleRequiredMixin, DetailView):
    template_name = "units/unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset=None):
        qs = units_visible_to(self.request.user).select_related("kind", "successor", "oversees")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        today = timezone.localdate()
        # Sub-units as of a chosen day: today by default; an ended unit shows those of its last day.
        default_day = unit.valid_to if unit.valid_to and unit.valid_to < today else today
        try:
            on = dt.date.fromisoformat(self.request.GET.get("on", ""))
        except ValueError:
            on = default_day
        predecessors, successors = lineage(unit)
        context.update(
            ancestors=ancestors_of(unit)[:-1],
            on=on,
            today=today,
            children=children_as_of(unit, on),
            member_count=unit.members.count(),
            changes=unit.changes.filter(status=UnitChange.Status.APPLIED).select_related("created_by")[:20],
            planned=planned_changes([unit]),
            predecessors=predecessors,
            successors=successors,
            ended=unit.ended_on(today),
            placements=unit.placements.all(),
            followups=unit.model_followups.select_related("sent_by")[:10],
            history_entries=history_entries(unit),
            is_admin=self.request.user.has_role(ADMIN) or self.request.user.is_superuser,
        )
        return context


def _admin_unit(request, pk) -> Unit:
    require_role(request.user, ADMIN)
    return get_object_or_404(Unit, pk=pk)


def _active_units(request):
    return units_visible_to(request.user).filter(is_active=True).order_by("path")


@login_required
def unit_create_view(request):
    require_role(request.user, ADMIN)
    initial = {"parent": request.GET.get("parent")}
    form = UnitCreateForm(request.POST or None, units=_active_units(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _('Đã tạo đơn vị %(unit)s.') % {"unit": unit})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "title": _("Thêm đơn vị")})


@login_required
def unit_edit_view(request, pk):
    unit = _admin_unit(request, pk)
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "kind": unit.kind})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] != unit.kind:
            unit.kind = data["kind"]
            unit.save(update_fields=["kind"])
        if data["name"] != unit.name:
            services.unit_rename(unit=unit, name=data["name"], effective_date=data["effective_date"], user=request.user)
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "title": _('Sửa %(unit)s') % {"unit": unit}, "unit": unit})


@login_required
def unit_move_view(request, pk):
    unit = _admin_unit(request, pk)
    form = UnitMoveForm(request.POST or None, units=_active_units(request), unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(unit=unit, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if form.cleaned_data["effective_date"] > timezone.localdate():
                messages.success(request, _("Đã lên kế hoạch chuyển %(unit)s sang %(value)s từ ngày %(day)s.") % {
                    "unit": unit, "value": form.cleaned_data["new_parent"],
                    "day": form.cleaned_data["effective_date"].strftime("%d/%m/%Y")})
            else:
                messages.success(request, _('Đã chuyển %(unit)s sang %(value)s.') % {"unit": unit, "value": form.cleaned_data['new_parent']})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "title": _('Chuyển %(unit)s') % {"unit": unit}, "unit": unit})


@login_required
def unit_merge_view(request):
    require_role(request.user, ADMIN)
    form = UnitMergeForm(request.POST or None, units=_active_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_merge(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if isinstance(unit, UnitChange):
                messages.success(request, _("Đã lên kế hoạch hợp nhất, có hiệu lực từ ngày %(day)s.")
                                 % {"day": unit.effective_date.strftime("%d/%m/%Y")})
                return redirect("units:detail", pk=unit.unit_id)
            messages.success(request, _('Đã hợp nhất thành %(unit)s.') % {"unit": unit})
            return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "title": _("Hợp nhất đơn vị")})


@login_required
def unit_deactivate_view(request, pk):
    unit = _admin_unit(request, pk)
    form = EffectiveDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_deactivate(unit=unit, effective_date=form.cleaned_data["effective_date"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if form.cleaned_data["effective_date"] > timezone.localdate():
                messages.success(request, _("Đã lên kế hoạch ngừng hoạt động %(unit)s từ ngày %(day)s.") % {
                    "unit": unit, "day": form.cleaned_data["effective_date"].strftime("%d/%m/%Y")})
            else:
                messages.success(request, _('Đã ngừng hoạt động %(unit)s. Dữ liệu của đơn vị được giữ nguyên.') % {"unit": unit})
        return redirect("units:detail", pk=unit.pk)
    return render(request, "units/unit_deactivate.html", {"form": form, "unit": unit,
                                                          "cancel_url": reverse("units:detail", args=[unit.pk])})


UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ ngày", "Đang hoạt động"]


@login_required
def unit_export(request):
    require_role(request.user, ADMIN)
    units = list(units_visible_to(request.user).select_related("kind").order_by("path").values_list(
        "path", "code", "name", "kind__name", "valid_from", "is_active"))
    code_by_path = {path: code for path, code, *_ in units}
    steplen = Unit.steplen
    rows = (
        [code, name, kind, code_by_path.get(path[:-steplen], ""),
         valid_from.strftime("%d/%m/%Y") if valid_from else "", "có" if active else "không"]
        for path, code, name, kind, valid_from, active in units
    )
    return xlsx_response(build_xlsx("Đơn vị", UNIT_HEADERS, rows), "don-vi.xlsx")


@login_required
@require_GET
def unit_pick(request):
    """The picker's JSON: units the user may see matching `q` (diacritics ignored), with their path."""
    within = None
    if (within_id := parse_id(request.GET.get("within", ""))) is not None:
        within = units_visible_to(request.user).filter(pk=within_id).first()
    results = units_search(request.user, request.GET.get("q", "")[:100],
                           include_ended=request.GET.get("ended") == "1", within=within)
    return JsonResponse({"results": results})


@login_required
def members_move_view(request):
    """Administrators move the people of ended units to their successors: preview, then all at once."""
    require_role(request.user, ADMIN)
    rows = members_of_ended_units(request.user)
    units = units_visible_to(request.user).filter(is_active=True)
    form = MembersMoveForm(request.POST or None, rows=rows, units=units)
    preview = None
    if request.method == "POST" and form.is_valid():
        moves = form.cleaned_data["moves"]
        if "confirm" in request.POST:
            try:
                n = services.members_move(moves=moves, user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã chuyển %(n)s người sang đơn vị mới.") % {"n": n})
                return redirect("units:members_move")
        else:
            targets = Unit.objects.in_bulk({t for _p, t in moves})
            by_pk = {row["person"].pk: row for row in rows}
            preview = [{"person": by_pk[p]["person"], "old": by_pk[p]["unit"], "new": targets[t]} for p, t in moves]
    return render(request, "units/members_move.html", {"form": form, "rows": form.rows, "preview": preview})


@login_required
@require_POST
def planned_change_cancel_view(request, pk):
    require_role(request.user, ADMIN)
    change = get_object_or_404(UnitChange, pk=pk, status=UnitChange.Status.PLANNED)
    unit_id = change.unit_id
    services.unit_change_cancel(change=change, user=request.user)
    messages.success(request, _("Đã huỷ thay đổi đã lên kế hoạch."))
    return redirect("units:detail", pk=unit_id)
