from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import ReportRequest
from portal.params import id_or_404, parse_year
from portal.permissions import (
    CELL,
    LEADER,
    STAFF,
    UNION,
    get_scoped_or_404,
    has_role,
    require_role,
    scope_queryset,
    unit_in_scope,
)
from portal.xlsx import build_xlsx, xlsx_response

from . import reporting, selectors, services
from .builders import DOCX_TYPE
from .forms import ManualEntryForm, RegisterFilterForm, ReportIssueForm
from .models import OutgoingDocument
from .selectors import issuer_as_of


def _visible(request, pk) -> ReportRequest:
    report = get_object_or_404(ReportRequest.objects.select_related("unit", "requested_by"), pk=pk)
    kind = reporting.REGISTRY.get(report.kind)
    if kind is None or not (unit_in_scope(request.user, report.unit) and kind.may(request.user, report.unit)):
        raise Http404
    return report


@login_required
def report_list(request):
    reports = scope_queryset(ReportRequest.objects.select_related("unit", "requested_by"), request.user)
    page_obj = Paginator(reports.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    for report in page_obj.object_list:
        kind = reporting.REGISTRY.get(report.kind)
        report.kind_label = kind.label if kind else report.kind
    return render(request, "documents/report_list.html", {"page_obj": page_obj})


@login_required
def report_detail(request, pk):
    report = _visible(request, pk)
    return render(request, "documents/report_detail.html", {"report": report, "kind": reporting.REGISTRY[report.kind]})


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
    try:
        report, created = reporting.report_request(kind=kind, params=params, unit=unit, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:list")
    if not created:
        messages.info(request, _("Báo cáo giống hệt đang được tạo; bạn đã được nối vào yêu cầu đó."))
    else:
        report.refresh_from_db()
        if report.message:
            messages.warning(request, report.message)
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_download_docx(request, pk):
    """The editable DOCX of a finished report (same header, text and tables as its PDF)."""
    report = _visible(request, pk)
    if report.status != ReportRequest.Status.DONE or report.content_type != "application/pdf":
        raise Http404
    built = reporting.REGISTRY[report.kind].build({**report.params, "format": "docx"}, lambda pct: None)
    return HttpResponse(built.content, content_type=built.content_type,
                        headers={"Content-Disposition": f'attachment; filename="{built.filename}"'})


def _issue_date(report_kind, params: dict):
    """The date a document of these params is dated by default (15/10 for the 15/10 report...)."""
    import datetime as dt

    year = params.get("year")
    if report_kind.code == "commendation-1510" and year:
        return dt.date(int(year), 10, 15)
    return timezone.localdate()


@login_required
def report_issue(request, pk):
    """Issue a finished report: a register number, the chosen signer and recipients, its files kept."""
    report = _visible(request, pk)
    report_kind = reporting.REGISTRY[report.kind]
    if not report_kind.doc_type or report.kind == "decision" or report.status != ReportRequest.Status.DONE:
        raise Http404
    require_role(request.user, LEADER, CELL)
    date = _issue_date(report_kind, report.params)
    if request.method == "POST":
        try:
            date = forms.DateField().clean(request.POST.get("date"))
        except ValidationError:
            pass
    issuer = issuer_as_of(report.unit, date)
    initial = {"date": date, "summary": report_kind.label,
               "recipients": "\n".join(services.default_recipients(report_kind.doc_type, issuer)),
               "signer": issuer.signers[0].pk if issuer.signers else None}
    form = ReportIssueForm(request.POST or None, initial=initial, signers=issuer.signers)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.document_issue(user=request.user, kind=report.kind, params=report.params,
                                            unit=report.unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ban hành văn bản số %(number)s.") % {"number": entry.symbol})
            return redirect("documents:entry", pk=entry.pk)
    return render(request, "documents/issue.html", {"form": form, "report": report, "kind": report_kind,
                                                    "issuer": issuer})


# --- The register of outgoing documents -----------------------------------------------------------

REGISTER_ROLES = (LEADER, STAFF, CELL, UNION)
PAGE_SIZE = 50


@login_required
def register(request):
    """The register (sổ văn bản đi) of the user's subtree: filter, search, page, Excel."""
    require_role(request.user, *REGISTER_ROLES)
    form = RegisterFilterForm(request.GET or None)
    qs = selectors.register_entries_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        qs = selectors.register_search(qs, q=data["q"] or "", year=data["year"], body_code=data["body_code"] or "",
                                       doc_type=data["doc_type"] or "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(register_xlsx(qs), "so-van-ban-di.xlsx")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/register.html", {
        "form": form, "page_obj": page, "entries": page.object_list, "query": query.urlencode(),
        "can_enter": has_role(request.user, LEADER, STAFF),
    })


def register_xlsx(qs) -> bytes:
    headers = [_("Số"), _("Ngày"), _("Loại"), _("Trích yếu"), _("Người ký"), _("Nơi nhận"), _("Trạng thái"),
               _("Tệp")]
    rows = ([e.symbol, e.date, e.doc_type, e.summary, e.signer_name, "; ".join(e.recipient_list),
             e.get_status_display(), e.filename and f"{e.filename}.pdf"] for e in qs.iterator())
    return build_xlsx(_("Sổ văn bản đi"), headers, rows)


def _entry_visible(request, pk) -> OutgoingDocument:
    require_role(request.user, *REGISTER_ROLES)
    return get_scoped_or_404(OutgoingDocument.objects.select_related("unit", "signer", "decision"),
                             request.user, pk=pk)


@login_required
def entry_detail(request, pk):
    entry = _entry_visible(request, pk)
    return render(request, "documents/entry.html", {"entry": entry})


@login_required
def entry_download(request, pk, fmt):
    """The issued PDF or DOCX of a register line (rendered once if it is not kept yet)."""
    entry = _entry_visible(request, pk)
    if fmt not in ("pdf", "docx") or not entry.kind:
        raise Http404
    path = services.file_of(entry, fmt)
    if path is None or not path.exists():
        entry = services.document_render(entry=entry)
        path = services.file_of(entry, fmt)
    content_type = "application/pdf" if fmt == "pdf" else DOCX_TYPE
    name = f"{entry.filename or entry.symbol.replace('/', '-')}.{fmt}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
def entry_new(request):
    """Enter a document numbered by hand outside the portal, so the numbering continues after it."""
    require_role(request.user, LEADER, STAFF)
    form = ManualEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.register_enter_manual(user=request.user, unit=request.user.unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản số %(number)s.") % {"number": entry.symbol})
            return redirect("documents:register")
    return render(request, "documents/entry_form.html", {"form": form})
