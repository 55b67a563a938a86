"""Leadership views of coverage against the plan's target, the units with no model (with drill-down,
Excel export and follow-up), and the spread of replicated models."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.params import parse_id, parse_ids, parse_int, parse_year
from portal.permissions import (
    CELL,
    LEADER,
    has_role,
    require_role,
    require_unit,
    scope_unit,
    units_visible_to,
)
from portal.units.models import Unit
from portal.units.selectors import ancestors_of, path_labels
from portal.units.widgets import UnitPickerWidget
from portal.xlsx import build_xlsx, xlsx_response

from . import coverage, selectors


class FollowUpForm(forms.Form):
    """The follow-up's text, cleaned as every form's text is (NUL bytes refused, length bounded)."""

    message = forms.CharField(max_length=2000, label=gettext_lazy("Nội dung đôn đốc"))


def _year(request) -> int:
    value = request.GET.get("year", "") or request.POST.get("year", "")
    return parse_year(value, timezone.localdate().year)


def _root(request) -> Unit:
    """The unit a leader looks from: their scope, or a unit of it chosen in the picker (drill-down)."""
    root = scope_unit(request.user)
    if root is None:
        raise Http404
    chosen = parse_id(request.GET.get("unit", ""))
    if chosen is not None:
        unit = Unit.objects.select_related("kind").filter(pk=chosen).first()
        require_unit(request.user, unit)
        return unit
    return root


def _picker(root: Unit) -> str:
    return UnitPickerWidget(include_ended=True).render("unit", root.pk, attrs={"id": "unit"})


@login_required
@require_GET
def coverage_view(request):
    """Per unit under the chosen one: its own models of the year against its target, and how many
    units of its subtree have none; from here leaders drill down and send a follow-up."""
    require_role(request.user, LEADER, CELL)
    year, root = _year(request), _root(request)
    scope = scope_unit(request.user)
    trail = [u for u in ancestors_of(root) if u.path.startswith(scope.path)] if scope else [root]
    counts = coverage.measured_counts(root, year)
    return render(request, "models_registry/coverage.html", {
        "year": year, "root": root, "rows": coverage.coverage_rows(root, year, counts),
        "levels": coverage.gaps_by_level(root, year, counts), "trail": trail, "picker": _picker(root),
        "can_follow_up": has_role(request.user, LEADER), "years": range(timezone.localdate().year, 2020, -1),
    })


SPREAD_SOURCES_PER_PAGE = 50

GAP_HEADERS = ["Mã đơn vị", "Đơn vị", "Loại đơn vị", "Thuộc", "Ngày bắt đầu hoạt động",
               "Ngày cuối cùng hoạt động", "Chỉ tiêu mô hình", "Đã đôn đốc (lần)"]


@login_required
@require_GET
def gaps_view(request):
    """The units with no model of the year under the chosen unit, by level; Excel with ?format=xlsx."""
    require_role(request.user, LEADER, CELL)
    year, root = _year(request), _root(request)
    level = request.GET.get("level", "")
    level = parse_int(level, None, lo=0, hi=64)
    units = coverage.gap_units(root, year, level=level)
    if request.GET.get("format") == "xlsx":
        rows_all = list(units[:20000])
        labels = path_labels(rows_all)
        counts = coverage.followup_counts([u.pk for u in rows_all], year)
        rows = ([u.code, u.name, u.kind.name, labels[u.pk].rsplit(" › ", 1)[0] if u.depth > 1 else "",
                 u.valid_from.strftime("%d/%m/%Y") if u.valid_from else "",
                 u.valid_to.strftime("%d/%m/%Y") if u.valid_to else "", u.kind.models_target, counts.get(u.pk, 0)]
                for u in rows_all)
        return xlsx_response(build_xlsx(f"Chưa có mô hình {year}", GAP_HEADERS, rows),
                             f"don-vi-chua-co-mo-hinh-{year}.xlsx")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    labels = path_labels(page.object_list)
    counts = coverage.followup_counts([u.pk for u in page.object_list], year)
    return render(request, "models_registry/coverage_gaps.html", {
        "year": year, "root": root, "level": level, "page_obj": page,
        "rows": [{"unit": u, "path": labels[u.pk], "followups": counts.get(u.pk, 0)} for u in page.object_list],
        "levels": coverage.gaps_by_level(root, year), "picker": _picker(root),
        "can_follow_up": has_role(request.user, LEADER), "years": range(timezone.localdate().year, 2020, -1),
    })


@login_required
@require_POST
def followup_view(request):
    """Send one follow-up to the chosen units (checkboxes of the coverage or gaps list)."""
    require_role(request.user, LEADER)
    year = _year(request)
    ids = parse_ids(request.POST.getlist("units"))
    units = list(units_visible_to(request.user).filter(pk__in=ids))
    if len(units) != len(set(ids)):
        raise Http404
    back = request.POST.get("next", "")
    # Only a path of this site: anything else (another host, or text redirect() would take for a
    # view name) falls back to the coverage page.
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())):
        back = ""
    form = FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        sent = coverage.unit_followup_send(units=units, sender=request.user, message=form.cleaned_data["message"],
                                           year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gửi đôn đốc tới %(n)s đơn vị (%(people)s người nhận).") % {
            "n": len(sent), "people": sum(f.recipients for f in sent)})
    return HttpResponseRedirect(back) if back else redirect("models_registry:coverage")


@login_required
@require_GET
def spread_view(request):
    """Leadership: where the recognised models spread, by area, as the tree stood then or today."""
    require_role(request.user, LEADER, CELL)
    year, root = _year(request), _root(request)
    rollup = selectors.ROLLUP_THEN if request.GET.get("rollup") == selectors.ROLLUP_THEN else selectors.ROLLUP_NOW
    table = selectors.spread_table(root, year=year, rollup=rollup)
    # A province's year holds hundreds of source models: a page of them, most spread first.
    page = Paginator(table.by_source, SPREAD_SOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "models_registry/spread.html", {
        "year": year, "root": root, "rollup": rollup, "table": table, "page_obj": page, "picker": _picker(root),
        "years": range(timezone.localdate().year, 2020, -1),
    })
