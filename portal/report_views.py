from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.params import id_or_404, parse_year
from portal.permissions import scope_queryset, unit_in_scope

from . import reporting
from .models import ReportRequest


def _visible(request, pk) -> ReportRequest:
    report = get_object_or_404(ReportRequest.objects.select_related("unit", "requested_by"), pk=pk)
    kind = reporting.REGISTRY.get(report.kind)
    if kind is None or not (unit_in_scope(request.user, report.unit) and kind.may(request.user, report.unit)):
        raise Http404
    return report


@login_required
def report_list(request):
    reports = scope_queryset(ReportRequest.objects.select_related("unit", "requested_by"), request.user)[:50]
    return render(request, "portal/report_list.html", {"reports": reports, "kinds": reporting.REGISTRY})


@login_required
def report_detail(request, pk):
    report = _visible(request, pk)
    return render(request, "portal/report_detail.html", {"report": report, "kind": reporting.REGISTRY[report.kind]})


@login_required
def report_status(request, pk):
    report = _visible(request, pk)
    return JsonResponse({
        "status": report.status,
        "status_label": report.get_status_display(),
        "progress": report.progress,
        "message": report.message,
        "download_url": reverse("reports:download", args=[report.pk]) if report.status == "done" else "",
    })


@login_required
def report_download(request, pk):
    report = _visible(request, pk)
    if report.status != ReportRequest.Status.DONE:
        raise Http404
    path = reporting.file_of(report)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=report.filename, content_type=report.content_type)


@login_required
@require_POST
def report_retry(request, pk):
    report = _visible(request, pk)
    if report.status == ReportRequest.Status.FAILED:
        report.status = ReportRequest.Status.QUEUED
        report.save(update_fields=["status"])
        if reporting.enqueue(report):
            messages.info(request, _("Đã gửi lại yêu cầu tạo báo cáo."))
        else:
            messages.warning(request, _("Hàng đợi tạm thời không khả dụng; yêu cầu đã được lưu và sẽ chạy khi hệ thống hoạt động lại."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_new(request, kind):
    """Ask for a report of a unit (the kinds whose parameters are a unit and a year)."""
    report_kind = reporting.REGISTRY.get(kind)
    if report_kind is None:
        raise Http404
    from portal.units.models import Unit

    unit = get_object_or_404(Unit, pk=id_or_404(request.POST.get("unit")))
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    params = report_kind.cli_params(unit, year) if report_kind.cli_params else {"unit_id": unit.pk, "year": year}
    return start(request, kind=kind, params=params, unit=unit)


def start(request, *, kind: str, params: dict, unit):
    """For the apps' views: ask for a report and go to its progress page."""
    if not unit_in_scope(request.user, unit) or not reporting.REGISTRY[kind].may(request.user, unit):
        raise Http404
    report, created = reporting.report_request(kind=kind, params=params, unit=unit, user=request.user)
    if not created:
        messages.info(request, _("Báo cáo giống hệt đang được tạo; bạn đã được nối vào yêu cầu đó."))
    else:
        report.refresh_from_db()
        if report.message:
            messages.warning(request, report.message)
    return redirect("reports:detail", pk=report.pk)
