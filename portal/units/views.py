from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from portal.audit import history_entries
from portal.permissions import ADMIN, RoleRequiredMixin, require_role, units_visible_to
from portal.text import fold
from portal.xlsx import build_xlsx, xlsx_response

from . import services
from .forms import EffectiveDateForm, UnitCreateForm, UnitEditForm, UnitMergeForm, UnitMoveForm
from .models import Unit, UnitKind
from .selectors import ancestors_of


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
        context["kinds"] = UnitKind.objects.all()
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
        context.update(
            ancestors=ancestors_of(unit)[:-1],
            children=Unit.objects.get_children(unit).select_related("kind").order_by("-is_active", "name")[:200],
            member_count=unit.members.count(),
            changes=unit.changes.select_related("created_by")[:20],
            predecessors=unit.predecessors.all(),
            placements=unit.placements.all(),
            history_entries=history_entries(unit),
            is_admin=self.request.user.has_role(ADMIN) or self.request.user.is_superuser,
            counts=Unit.objects.get_children(unit).values("kind__name").annotate(n=Count("id")).order_by("kind__name"),
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
