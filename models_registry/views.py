"""Pages of the registry for signed-in users. Views parse input, call a service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.audit import history_entries
from portal.forms import add_service_errors
from portal.paging import SEARCH_COUNT_CAP, IdPaginator
from portal.params import parse_id, parse_ids, parse_int, parse_year
from portal.permissions import (
    CELL,
    LEADER,
    STAFF,
    has_role,
    require_role,
    scope_unit,
    unit_in_scope,
    units_visible_to,
)
from portal.xlsx import xlsx_file_response

from . import selectors, services, workflow
from .exports import models_xlsx_file
from .forms import (
    BulkDecisionForm,
    CommentForm,
    DeadlineForm,
    DvkModelForm,
    EvaluateForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ModelFilterForm,
    ProgressReportForm,
    ReturnForm,
)
from .models import (
    Attachment,
    DvkModel,
    ExtensionRequest,
    ModelEvent,
    ProgressReport,
    State,
)

A = ModelEvent.Action
PAGE_SIZE = 25


# --- list, export, bulk decisions ------------------------------------------------------------------

def _filter_data(request):
    form = ModelFilterForm(request.GET or None)
    return form, form.cleaned_data if form.is_valid() else {}


def _filtered(request):
    form, data = _filter_data(request)
    return form, selectors.filter_models(selectors.model_list(request.user), request.user, data)


@login_required
@require_GET
def model_list_view(request):
    """Models the user may see, filtered, sorted, paginated; leadership can decide many at once.
    The count is taken part by part and the page by its ids, each from an index (portal.paging)."""
    form, data = _filter_data(request)
    user = request.user
    qs = selectors.filter_models(selectors.model_list(user), user, data)
    searched = bool(data.get("q"))
    page = IdPaginator(
        qs, PAGE_SIZE,
        count=lambda limit: selectors.count_visible(user, lambda part: selectors.filter_models(part, user, data), limit),
        rows=lambda ids: selectors.model_list_rows(ids, qs.query.order_by),
        # Only a search is capped; over the cap its words are tested late (selectors.filter_models).
        cap=SEARCH_COUNT_CAP if searched else None,
        capped_list=selectors.filter_models(selectors.model_list(user), user, data, words_late=True) if searched else None,
    ).get_page(request.GET.get("page"))
    is_leader = has_role(request.user, LEADER)
    return render(request, "models_registry/model_list.html", {
        "filter_form": form,
        "page_obj": page,
        "models": page.object_list,
        "is_leader": is_leader,
        "can_set_deadline": is_leader and scope_unit(request.user) is not None,
        "is_staff_role": has_role(request.user, STAFF),
        "bulk_form": BulkDecisionForm() if is_leader else None,
        "query": request.GET.urlencode(),
    })


@login_required
@require_GET
def model_export_view(request):
    """The filtered list as an Excel workbook with Vietnamese headers, streamed; a list over the
    export limit is refused before any work, back on the list with the reason."""
    _form, qs = _filtered(request)
    stamp = timezone.localdate().strftime("%Y%m%d")
    try:
        handle = models_xlsx_file(qs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("models_registry:list") + ("?" + request.GET.urlencode() if request.GET else ""))
    return xlsx_file_response(handle, f"mo-hinh-dan-van-kheo-{stamp}.xlsx")


@login_required
@require_POST
def bulk_decide_view(request):
    """Approve, or return with one comment, the proposals ticked in the list."""
    require_role(request.user, LEADER)
    form = BulkDecisionForm(request.POST)
    back = reverse("models_registry:list") + ("?" + request.POST["next_query"] if request.POST.get("next_query") else "")
    if not form.is_valid():
        messages.error(request, _("Chọn ít nhất một mô hình và một thao tác."))
        return redirect(back)
    try:
        done, refused = services.models_bulk_decide(
            user=request.user, ids=form.cleaned_data["ids"], action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if done:
        messages.success(request, _('Đã xử lý %(done)s mô hình.') % {"done": done})
    if refused:
        messages.warning(request, _("Không xử lý được (không đúng trạng thái hoặc không có quyền): ") + "; ".join(refused))
    return redirect(back)


# --- create and edit -------------------------------------------------------------------------------

def _form_kwargs(request, model: DvkModel | None):
    unit = model.unit if model else request.user.unit
    year = model.year if model else timezone.localdate().year
    continues_qs = DvkModel.objects.filter(unit=unit, state__in=(State.REGISTERED, State.EVALUATED, State.RECOGNISED))
    if model:
        continues_qs = continues_qs.exclude(pk=model.pk)
    replicate_qs = selectors.models_visible_to(request.user).filter(state=State.RECOGNISED).exclude(unit=unit)
    return {"user": request.user, "continues_qs": continues_qs.filter(year__lt=year + 1).order_by("-year"),
            "replicate_qs": replicate_qs}


def _bound(request) -> tuple:
    """(data, files) for a form: bound on POST even when the body is empty."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _keep_uploads(request, form) -> None:
    """A refused form keeps the valid files the user chose, so they need not be chosen again."""
    files = form.valid_new_files()
    kept_ids = form.kept_ids()
    drop = set(parse_ids(request.POST.getlist("drop_kept")))
    if files:
        kept_ids += [a.pk for a in services.uploads_keep(user=request.user, files=files)]
    kept_ids = [i for i in kept_ids if i not in drop]
    data = form.data.copy()
    data["kept_uploads"] = ",".join(map(str, kept_ids))
    form.data = data
    form.kept = list(
        Attachment.objects.filter(pk__in=kept_ids, model__isnull=True, uploaded_by=request.user)
    )


def _kept_ids(request, form) -> list[int]:
    drop = set(parse_ids(request.POST.getlist("drop_kept")))
    return [i for i in form.kept_ids() if i not in drop]


@login_required
def model_create_view(request):
    """Register a model: one form, saved as a draft visible only inside the unit."""
    require_role(request.user, STAFF)
    if request.user.unit is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc đơn vị nào."))
    initial = {}
    source = None
    if parse_id(request.GET.get("replicate")) is not None:
        source = selectors.models_visible_to(request.user).filter(
            pk=parse_id(request.GET["replicate"]), state=State.RECOGNISED
        ).select_related("unit").first()
        if source is not None:
            initial = {"replicated_from": source.pk, "field": source.field, "name": source.name,
                       "goals": source.goals, "target_group": source.target_group,
                       "how_it_works": source.how_it_works}
    form = DvkModelForm(*_bound(request), initial=initial, **_form_kwargs(request, None))
    if request.method == "POST":
        if form.is_valid():
            try:
                model = services.model_create(
                    user=request.user, data=form.cleaned_data, files=form.cleaned_data["attachments"],
                    kept_ids=_kept_ids(request, form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if SEND in request.POST:
                    return _send_saved(request, model)
                messages.success(request, _("Đã lưu bản nháp. Kiểm tra lại rồi bấm “Gửi đăng ký” khi sẵn sàng."))
                return redirect("models_registry:detail", pk=model.pk)
        _keep_uploads(request, form)
    today = timezone.localdate()
    return render(request, "models_registry/model_form.html", {
        "form": form, "title": _("Đăng ký mô hình “Dân vận khéo”"), "source": source,
        "deadline": selectors.deadline_for(request.user.unit, today.year),
        "late": selectors.deadline_passed(request.user.unit, today.year, today),
        # The year is chosen on the form (next year's registrations open early): sending checks its deadline.
        "can_send": True,
    })


# The registration form's "Gửi đăng ký" button: save the draft, then send it if it is complete.
SEND = "send"


def _send_saved(request, model: DvkModel):
    """After the form saved `model`: send it, or come back to the form with what it still lacks
    (marked on the fields, listed at the top). Nothing typed is lost: the draft is saved first."""
    if selectors.submit_gaps(model):
        # The list's own anchor, so the browser does not carry a field's anchor over the redirect.
        return redirect(reverse("models_registry:edit", args=[model.pk]) + f"?{SEND}=1#submit-gaps")
    try:
        services.model_submit(model=model, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        # Past the deadline, say: the draft is kept and the page says what may still be done.
        messages.error(request, _("Đã lưu bản nháp nhưng chưa gửi được: %(reason)s")
                       % {"reason": " ".join(getattr(exc, "messages", None) or [str(exc)])})
    else:
        messages.success(request, _("Đã gửi đăng ký. Lãnh đạo sẽ xem xét và duyệt."))
    return redirect("models_registry:detail", pk=model.pk)


def _can_send(user, model: DvkModel) -> bool:
    """Whether the form offers "Gửi đăng ký": staff before the deadline, or within an extension."""
    today = timezone.localdate()
    extended = model.submit_until is not None and today <= model.submit_until
    return workflow.can(user, model, A.SUBMIT) and has_role(user, STAFF) and (
        extended or not selectors.deadline_passed(model.unit, model.year, today))


@login_required
def model_edit_view(request, pk):
    """Edit a draft or a returned proposal; a save over someone else's newer save is refused."""
    model = selectors.model_for_detail(request.user, pk)
    workflow.check(request.user, model, A.EDIT)
    # Back from a refused "Gửi đăng ký": the fields the draft still lacks are marked.
    gaps = selectors.submit_gaps(model) if request.method == "GET" and request.GET.get(SEND) else []
    form = DvkModelForm(*_bound(request), instance=model, gaps=gaps, **_form_kwargs(request, model))
    if request.method == "POST":
        if form.is_valid():
            try:
                model = services.model_update(
                    model=model, user=request.user, data=form.cleaned_data,
                    version=form.cleaned_data.get("version") or 0,
                    files=form.cleaned_data["attachments"], kept_ids=_kept_ids(request, form),
                    remove_ids=parse_ids(request.POST.getlist("remove_attachment")),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if SEND in request.POST:
                    return _send_saved(request, model)
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("models_registry:detail", pk=model.pk)
        _keep_uploads(request, form)
    return render(request, "models_registry/model_form.html", {
        "form": form, "title": _('Sửa: %(name)s') % {"name": model.name}, "model": model,
        "attachments": selectors.model_attachments(model),
        "deadline": selectors.deadline_for(model.unit, model.year),
        "late": selectors.deadline_passed(model.unit, model.year, timezone.localdate()),
        "gaps": gaps, "missing": selectors.submit_gaps(model) if model.state == State.DRAFT else [],
        "can_send": _can_send(request.user, model),
    })


@login_required
@require_GET
def similar_view(request):
    """The htmx warning under the name: models that look like the one being typed."""
    if request.user.unit is None:
        return render(request, "models_registry/_similar.html", {"matches": []})
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    exclude = parse_id(request.GET.get("pk"))
    unit = request.user.unit
    if exclude:
        model = selectors.models_visible_to(request.user).filter(pk=exclude).select_related("unit").first()
        unit = model.unit if model else unit
    matches = selectors.similar_models(
        request.user, name=request.GET.get("name", ""), unit=unit, year=year, exclude_pk=exclude
    )
    return render(request, "models_registry/_similar.html", {"matches": matches})


# --- detail and transitions ------------------------------------------------------------------------

@login_required
@require_GET
def model_detail_view(request, pk):
    """A model: its content, evidence, timeline of events, progress reports and where it spread."""
    model = selectors.model_for_detail(request.user, pk)
    reports = selectors.model_reports(model)
    rollup = selectors.ROLLUP_THEN if request.GET.get("rollup") == selectors.ROLLUP_THEN else selectors.ROLLUP_NOW
    replications, spread = selectors.replication_spread(model, rollup)
    actions = {t.action: t for t in workflow.allowed_actions(request.user, model)}
    # A public model of another subtree shows its public fields, not the internal record
    # (workflow comments, the change history, evidence files other than its photos).
    internal = unit_in_scope(request.user, model.unit)
    attachments = selectors.model_attachments(model)
    return render(request, "models_registry/model_detail.html", {
        "model": model,
        "internal": internal,
        "actions": actions,
        "events": model.events.select_related("actor").all() if internal else [],
        "attachments": attachments if internal else [a for a in attachments if a.is_image],
        "reports": reports,
        "totals": selectors.report_totals([model.pk]),
        "replications": replications,
        "spread": spread,
        "rollup": rollup,
        "comment_form": CommentForm(),
        "history_entries": history_entries(model) if internal else [],
        "deadline": selectors.deadline_for(model.unit, model.year),
        "can_replicate": model.state == State.RECOGNISED and has_role(request.user, STAFF)
        and request.user.unit_id != model.unit_id,
        "can_continue": services.can_continue(request.user, model),
        "continuations": model.continuations.filter(pk__in=selectors.models_visible_to(request.user).values("pk")),
        "can_delete": model.state == State.DRAFT and A.EDIT in actions,
        "can_request_extension": A.EDIT in actions and has_role(request.user, STAFF)
        and selectors.deadline_passed(model.unit, model.year, timezone.localdate())
        and not (model.submit_until and model.submit_until >= timezone.localdate())
        and not model.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists(),
        "extension_requests": model.extension_requests.select_related("requested_by", "decided_by"),
        "can_decide_extension": has_role(request.user, LEADER),
        "editable_reports": {r.pk for r in reports if services.can_edit_report(request.user, r)},
        "gaps": selectors.submit_gaps(model) if model.state == State.DRAFT else [],
    })


TRANSITION_SERVICES = {
    A.SUBMIT: (services.model_submit, False, gettext_lazy("Ghi chú (lãnh đạo cho phép gửi sau hạn cần ghi lý do)")),
    A.COMMENT: (services.model_comment, True, gettext_lazy("Nội dung góp ý")),
    A.APPROVE: (services.model_approve, False, gettext_lazy("Ý kiến (không bắt buộc)")),
    A.RETURN: (services.model_return, True, gettext_lazy("Nội dung cần sửa")),
    A.RECOGNISE: (services.model_recognise, False, gettext_lazy("Ghi chú (số quyết định, nếu có)")),
    A.PUBLISH: (services.model_publish, False, gettext_lazy("Ghi chú")),
    A.UNPUBLISH: (services.model_unpublish, False, gettext_lazy("Lý do thôi công khai")),
}


@login_required
def model_transition_view(request, pk, action):
    """One step of the workflow: GET shows what will happen, POST does it. Forbidden steps answer 403."""
    if action not in TRANSITION_SERVICES:
        raise Http404
    model = selectors.model_for_detail(request.user, pk)
    transition = workflow.check(request.user, model, action)
    service, required, label = TRANSITION_SERVICES[action]
    form_class = ReturnForm if action == A.RETURN else CommentForm
    form = form_class(request.POST if request.method == "POST" else None, required=required, label=label)
    if request.method == "POST" and form.is_valid():
        extra = {"field_notes": form.field_notes()} if action == A.RETURN else {}
        try:
            service(model=model, user=request.user, comment=form.cleaned_data["comment"], **extra)
        except services.IncompleteModel:
            pass  # the page lists what is missing, with links, in place of the form's error
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _('Đã thực hiện: %(label)s.') % {"label": transition.label})
            return redirect("models_registry:detail", pk=model.pk)
    context = {"model": model, "transition": transition, "form": form}
    if action == A.SUBMIT:
        context["gaps"] = selectors.submit_gaps(model)
        context["can_edit"] = workflow.can(request.user, model, A.EDIT)
        context["matches"] = selectors.similar_models(
            request.user, name=model.name, unit=model.unit, year=model.year, exclude_pk=model.pk
        )
        context["deadline"] = selectors.deadline_for(model.unit, model.year)
        context["late"] = selectors.deadline_passed(model.unit, model.year, timezone.localdate())
    if action == A.RECOGNISE:
        context["level"] = workflow.recognition_level_for(request.user)
        context["level_label"] = dict(
            (v, label) for v, label in DvkModel._meta.get_field("recognition_level").choices
        ).get(context["level"])
    return render(request, "models_registry/transition.html", context)


@login_required
def model_evaluate_view(request, pk):
    """Year-end evaluation by the unit: effective or not, with a reason."""
    model = selectors.model_for_detail(request.user, pk)
    workflow.check(request.user, model, A.EVALUATE)
    form = EvaluateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.model_evaluate(model=model, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi kết quả đánh giá."))
            return redirect("models_registry:detail", pk=model.pk)
    return render(request, "models_registry/evaluate.html", {"model": model, "form": form})


@login_required
def report_create_view(request, pk):
    """Add a progress report with results in numbers and evidence."""
    model = selectors.model_for_detail(request.user, pk)
    workflow.check(request.user, model, A.REPORT)
    form = ProgressReportForm(*_bound(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_add(
                    model=model, user=request.user, data=form.cleaned_data,
                    files=form.cleaned_data["attachments"], kept_ids=_kept_ids(request, form),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã thêm báo cáo tiến độ."))
                return redirect("models_registry:detail", pk=model.pk)
        _keep_uploads(request, form)
    return render(request, "models_registry/report_form.html", {"model": model, "form": form})


@login_required
def report_edit_view(request, pk):
    """Correct a progress report until the model is evaluated."""
    report = get_object_or_404(ProgressReport.objects.select_related("model"), pk=pk)
    model = selectors.model_for_detail(request.user, report.model_id)
    if not services.can_edit_report(request.user, report):
        raise PermissionDenied
    form = ProgressReportForm(*_bound(request), instance=report)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update(report=report, user=request.user, data=form.cleaned_data,
                                       files=form.cleaned_data["attachments"], kept_ids=_kept_ids(request, form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu báo cáo tiến độ."))
                return redirect("models_registry:detail", pk=model.pk)
        _keep_uploads(request, form)
    return render(request, "models_registry/report_form.html", {"model": model, "form": form, "report": report})


@login_required
def model_delete_view(request, pk):
    """Withdraw a draft: GET asks for confirmation, POST deletes."""
    model = selectors.model_for_detail(request.user, pk)
    if model.state != State.DRAFT or not workflow.can(request.user, model, A.EDIT):
        raise PermissionDenied
    if request.method == "POST":
        services.model_delete(model=model, user=request.user)
        messages.success(request, _("Đã xóa bản nháp “%(name)s”.") % {"name": model.name})
        return redirect("models_registry:list")
    return render(request, "models_registry/confirm_delete.html", {"model": model})


@login_required
@require_POST
def model_continue_view(request, pk):
    """"Duy trì sang năm …": open the next year's prefilled draft (made once)."""
    model = selectors.model_for_detail(request.user, pk)
    try:
        copy = services.model_continue(model=model, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("models_registry:detail", pk=model.pk)
    messages.success(request, _("Đã tạo bản đăng ký duy trì năm %(year)s: hãy xem lại rồi gửi.") % {"year": copy.year})
    return redirect("models_registry:edit", pk=copy.pk)


@login_required
def extension_request_view(request, pk):
    """The registering unit asks for time to submit after the deadline."""
    model = selectors.model_for_detail(request.user, pk)
    if not (workflow.can(request.user, model, A.EDIT) and has_role(request.user, STAFF)):
        raise PermissionDenied
    form = ExtensionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(model=model, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi đề nghị gia hạn tới lãnh đạo."))
            return redirect("models_registry:detail", pk=model.pk)
    return render(request, "models_registry/extension_form.html", {
        "model": model, "form": form, "title": _("Xin gia hạn gửi đăng ký"),
    })


@login_required
def extension_decide_view(request, pk):
    """Leadership grant an extension with a date, or refuse it with a reason."""
    extension = get_object_or_404(ExtensionRequest, pk=pk)
    model = selectors.model_for_detail(request.user, extension.model_id)
    require_role(request.user, LEADER)
    form = ExtensionDecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_decide(request=extension, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã trả lời đề nghị gia hạn."))
            return redirect("models_registry:detail", pk=model.pk)
    return render(request, "models_registry/extension_form.html", {
        "model": model, "form": form, "extension": extension, "title": _("Xem xét đề nghị gia hạn"),
    })


@login_required
@require_GET
def attachment_view(request, pk, variant="file"):
    """Evidence is served through this permission check, never from a public URL."""
    attachment = selectors.attachment_for(request.user, pk)
    return _serve(attachment, variant)


def _serve(attachment: Attachment, variant: str):
    field = attachment.thumbnail if variant == "thumb" and attachment.thumbnail else attachment.file
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = attachment.is_image or attachment.kind == Attachment.Kind.PDF
    content_type = "image/jpeg" if variant == "thumb" and attachment.thumbnail else attachment.content_type
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline,
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- leadership: counts, coverage, deadlines -----------------------------------------------------

def _year(request) -> int:
    return parse_int(request.GET.get("year"), timezone.localdate().year, lo=2000, hi=2100)


@login_required
@require_GET
def stats_view(request):
    """Counts by field, state and recognition level for the user's subtree."""
    require_role(request.user, LEADER, CELL)
    year = _year(request)
    return render(request, "models_registry/stats.html", {
        "year": year, "counts": selectors.subtree_counts(request.user, year), "root": scope_unit(request.user),
    })


@login_required
def deadline_view(request):
    """Leadership set the registration deadline for their unit and everything below it."""
    require_role(request.user, LEADER)
    unit = scope_unit(request.user)
    if unit is None:
        raise PermissionDenied
    form = DeadlineForm(request.POST if request.method == "POST" else None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_set(user=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _('Đã đặt hạn đăng ký năm %(value)s.') % {"value": form.cleaned_data['year']})
            return redirect("models_registry:deadlines")
    from .models import RegistrationDeadline

    rows = RegistrationDeadline.objects.filter(unit__in=units_visible_to(request.user)).select_related("unit")
    year = timezone.localdate().year
    return render(request, "models_registry/deadlines.html", {
        "form": form, "unit": unit, "rows": rows.order_by("-year", "unit__path")[:100],
        "effective": selectors.deadline_for(unit, year), "year": year, "today": dt.date.today(),
        "bound": selectors.deadline_bound(unit, year),
    })
