"""Views of pledges and review rounds (thin: parse input, call one service or selector, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import permissions as perms
from portal import scoring
from portal.audit import history_entries
from portal.forms import ErrorSummary
from portal.numbers import plain_number
from portal.params import id_or_404, parse_id, parse_ids, parse_year
from portal.xlsx import build_xlsx, xlsx_response

from ..models import AnnualResult, CommendationProposal, Pledge, PledgeContent, ReviewRound
from . import selectors, services
from . import workflow as wf
from .forms import (
    CommentForm,
    CommitmentFormSet,
    PledgeContentForm,
    PledgeForm,
    ProposalForm,
    RoundForm,
    RubricFormSet,
    SelfAssessmentForm,
)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _required_id(value) -> int:
    pk = parse_id(value)
    if pk is None:
        raise ValueError("not an id")
    return pk


def _year(request) -> int:
    return parse_year(request.GET.get("year"), timezone.localdate().year)


# --- Overview -------------------------------------------------------------------------------------

@login_required
def index(request):
    user = request.user
    year = timezone.localdate().year
    context = {
        "year": year,
        "own_pledges": list(selectors.own_pledges(user)[:5]),
        "is_union": user.unit_id is not None and wf.is_union_member_of(user, user.unit),
        "rounds": list(selectors.rounds_visible_to(user)[:8]),
    }
    if context["is_union"]:
        context["to_decide"] = selectors.pledges_visible_to(user, status=Pledge.Status.SUBMITTED).filter(
            unit_id=user.unit_id).count()
        context["unregistered"] = selectors.unregistered_people(user.unit, year).count()
    return render(request, "awards/index.html", context)


# --- Pledges --------------------------------------------------------------------------------------

@login_required
def pledge_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    year = request.GET.get("year", "")
    qs = selectors.pledges_visible_to(
        request.user, search=q, status=status if status in Pledge.Status.values else "",
        year=parse_year(year),
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "awards/pledge_list.html", {
        "page_obj": page, "q": q, "status": status, "year": year, "statuses": Pledge.Status.choices,
    })


def _commitment_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@login_required
def pledge_create(request):
    perms.require_role(request.user, *selectors.PLEDGING_ROLES)
    year = _year(request)
    contents = selectors.contents_for_year(year)
    allow_collective = True
    form = PledgeForm(request.POST or None, contents=contents, allow_collective=allow_collective)
    formset = CommitmentFormSet(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            pledge = services.pledge_create(
                user=request.user, year=year, content=form.cleaned_data["content"],
                commitments=_commitment_rows(formset), goal=form.cleaned_data["goal"],
                collective_name=form.cleaned_data.get("collective_name", ""),
                submit="send" in request.POST,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu bản đăng ký.") if pledge.status == Pledge.Status.DRAFT
                             else _("Đã gửi bản đăng ký tới BCH Công đoàn."))
            return redirect("awards:pledge_detail", pk=pledge.pk)
    return render(request, "awards/pledge_form.html", {"form": form, "formset": formset, "year": year,
                                                       "creating": True,
                                                       "error_summary": ErrorSummary(form, formset)})


@login_required
def pledge_edit(request, pk):
    pledge = selectors.pledge_detail(request.user, pk)
    if not wf.can_edit_pledge(request.user, pledge):
        raise PermissionDenied(_("Bản đăng ký này không sửa được."))
    contents = selectors.contents_for_year(pledge.year)
    initial = {"content": pledge.content_id, "goal": pledge.goal}
    form = PledgeForm(request.POST or None, initial=initial, contents=contents, allow_collective=False)
    formset = CommitmentFormSet(
        request.POST or None, prefix="c",
        initial=[{"what": c.what, "due": c.due, "measure": c.measure} for c in pledge.commitments.all()],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.pledge_update(user=request.user, pledge=pledge, content=form.cleaned_data["content"],
                                   commitments=_commitment_rows(formset), goal=form.cleaned_data["goal"])
            if "send" in request.POST:
                services.pledge_submit(user=request.user, pledge=pledge)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu bản đăng ký."))
            return redirect("awards:pledge_detail", pk=pledge.pk)
    return render(request, "awards/pledge_form.html", {"form": form, "formset": formset, "year": pledge.year,
                                                       "pledge": pledge,
                                                       "error_summary": ErrorSummary(form, formset)})


@login_required
def pledge_detail(request, pk):
    pledge = selectors.pledge_detail(request.user, pk)
    return render(request, "awards/pledge_detail.html", {
        "pledge": pledge,
        "can_edit": wf.can_edit_pledge(request.user, pledge),
        "can_decide": wf.can_decide_pledge(request.user, pledge) and pledge.status == Pledge.Status.SUBMITTED,
        "decide_form": CommentForm(),
        "history_entries": history_entries(pledge),
        "can_comment": services.can_comment_pledge(request.user, pledge),
    })


@login_required
@require_POST
def pledge_comment(request, pk):
    pledge = selectors.pledge_detail(request.user, pk)
    if not services.can_comment_pledge(request.user, pledge):
        raise PermissionDenied
    form = CommentForm(request.POST, required=True)
    try:
        if not form.is_valid():
            raise ValidationError(_("Vui lòng nhập nội dung."))
        services.pledge_comment(user=request.user, pledge=pledge, comment=form.cleaned_data["comment"])
        messages.success(request, _("Đã gửi."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("awards:pledge_detail", pk=pk)


@login_required
@require_POST
def pledge_submit(request, pk):
    pledge = selectors.pledge_detail(request.user, pk)
    try:
        services.pledge_submit(user=request.user, pledge=pledge)
        messages.success(request, _("Đã gửi bản đăng ký tới BCH Công đoàn."))
    except (ValidationError, wf.TransitionError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("awards:pledge_detail", pk=pk)


@login_required
@require_POST
def pledge_decide(request, pk):
    pledge = selectors.pledge_detail(request.user, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("action") == "accept":
            services.pledge_accept(user=request.user, pledge=pledge, comment=comment)
            messages.success(request, _("Đã tiếp nhận bản đăng ký."))
        else:
            services.pledge_return(user=request.user, pledge=pledge, comment=comment)
            messages.success(request, _("Đã trả lại bản đăng ký kèm ý kiến."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except wf.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("awards:pledge_detail", pk=pk)


@login_required
def unregistered(request):
    user = request.user
    if user.unit is None:
        raise Http404
    wf.require_union_of(user, user.unit)
    year = _year(request)
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("person"))
        sent = services.pledge_remind(user=user, unit=user.unit, year=year,
                                      person_ids=ids if "selected" in request.POST else None)
        messages.success(request, _('Đã gửi nhắc nhở tới %(sent)s người.') % {"sent": sent} if sent
                         else _("Không có ai cần nhắc (hôm nay đã nhắc rồi)."))
        return redirect(f"{reverse('awards:unregistered')}?year={year}")
    people = selectors.unregistered_people(user.unit, year)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "awards/unregistered.html", {"page_obj": page, "year": year, "unit": user.unit})


# --- Rounds ---------------------------------------------------------------------------------------

@login_required
def round_list(request):
    year = request.GET.get("year", "")
    qs = selectors.rounds_visible_to(request.user, year=parse_year(year))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    can_create = request.user.unit_id is not None and wf.is_union_member_of(request.user, request.user.unit)
    return render(request, "awards/round_list.html", {"page_obj": page, "year": year, "can_create": can_create})


@login_required
def round_create(request):
    if request.user.unit is None:
        raise Http404
    wf.require_union_of(request.user, request.user.unit)
    today = timezone.localdate()
    form = RoundForm(request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1})
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã tạo đợt đánh giá với bộ tiêu chí mặc định; hãy xem lại trước khi mở."))
            return redirect("awards:round_detail", pk=rnd.pk)
    return render(request, "awards/round_form.html", {"form": form})


def _round_context(request, rnd):
    user = request.user
    submitted = selectors.has_submitted(rnd, user)
    return {
        "round": rnd,
        "is_member": wf.is_union_member_of(user, rnd.unit),
        "is_chair": rnd.chair_id == user.pk or perms.is_admin(user),
        "submitted": submitted,
        "can_see_results": wf.can_see_results(user, rnd, submitted),
    }


@login_required
def round_detail(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    context = _round_context(request, rnd)
    context.update(
        criteria=list(rnd.criteria.select_related("content")),
        progress=selectors.round_progress(rnd),
        members=list(selectors.round_members(rnd)),
        own_pledge=selectors.round_pledges(rnd).filter(person=request.user).first(),
        events=list(rnd.events.select_related("actor")),
    )
    return render(request, "awards/round_detail.html", context)


@login_required
def rubric_edit(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    wf.require_union_of(request.user, rnd.unit)
    if rnd.status != ReviewRound.Status.DRAFT:
        messages.error(request, _("Bộ tiêu chí đã cố định từ khi mở đợt đánh giá."))
        return redirect("awards:round_detail", pk=pk)
    contents = selectors.contents_for_year(rnd.year)
    initial = [
        {"id": c.pk, "content": c.content_id, "name": c.name, "description": c.description,
         "weight": c.weight, "max_score": c.max_score}
        for c in rnd.criteria.all()
    ]
    formset = RubricFormSet(request.POST or None, initial=initial, prefix="r", form_kwargs={"contents": contents})
    refused = []
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
        try:
            services.rubric_save(user=request.user, rnd=rnd, rows=rows)
        except ValidationError as exc:
            refused = exc.messages
        else:
            messages.success(request, _("Đã lưu bộ tiêu chí."))
            return redirect("awards:round_detail", pk=pk)
    return render(request, "awards/rubric_form.html", {"round": rnd, "formset": formset,
                                                       "error_summary": ErrorSummary(formset, extra=refused)})


@login_required
def round_transition(request, pk, action):
    rnd = selectors.round_detail(request.user, pk)
    wf.require_union_of(request.user, rnd.unit)
    if request.method != "POST":
        return render(request, "components/confirm_delete.html", {
            "confirm_title": f"{wf.ROUND_TRANSITIONS[action].label}: {rnd}",
            "confirm_text": (_("Sau khi mở, bộ tiêu chí không sửa được nữa.") if action == "open" else
                             _("Sau khi kết thúc, đợt đánh giá chỉ còn để xem: không sửa điểm, không đổi danh sách biểu dương.")),
            "confirm_button": wf.ROUND_TRANSITIONS[action].label,
            "cancel_url": reverse("awards:round_detail", args=[pk]),
        })
    service = {"open": services.round_open, "close": services.round_close}[action]
    try:
        service(user=request.user, rnd=rnd)
        messages.success(request, f"{wf.ROUND_TRANSITIONS[action].label}: xong.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except wf.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("awards:round_detail", pk=pk)


@login_required
def self_assessment(request, pk, pledge_pk):
    rnd = selectors.round_detail(request.user, pk)
    pledge = get_object_or_404(selectors.round_pledges(rnd), pk=pledge_pk)
    if pledge.person_id != request.user.pk and not (pledge.person_id is None and pledge.created_by_id == request.user.pk):
        raise PermissionDenied(_("Chỉ người đăng ký mới tự đánh giá bản đăng ký của mình."))
    existing = pledge.self_assessments.filter(round=rnd).first()
    initial = {"achievements": existing.achievements, "evidence": existing.evidence} if existing else None
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(user=request.user, rnd=rnd, pledge=pledge, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu bản tự đánh giá."))
            return redirect("awards:round_detail", pk=pk)
    return render(request, "awards/self_assessment_form.html", {"round": rnd, "pledge": pledge, "form": form})


# --- Scoring --------------------------------------------------------------------------------------

@login_required
def score_grid(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    wf.require_scorer(request.user, rnd)
    sections = selectors.scoring_grid(rnd, request.user)
    submitted = selectors.has_submitted(rnd, request.user)
    return render(request, "awards/score_grid.html", {
        "round": rnd,
        "sections": sections,
        "remaining": selectors.grid_remaining(sections),
        "submitted": submitted,
        "editable": rnd.status == ReviewRound.Status.OPEN and not submitted,
        "conflict_choices": [r.pledge for s in sections for r in s.rows if not r.excluded],
    })


@login_required
@require_POST
def score_save(request, pk):
    """One cell or one comment, saved as the member types (fetch from scoring.js)."""
    rnd = selectors.round_detail(request.user, pk)
    try:
        pledge_id = _required_id(request.POST.get("pledge"))
        if "comment" in request.POST:
            services.comment_save(user=request.user, rnd=rnd, pledge_id=pledge_id, text=request.POST["comment"])
            return JsonResponse({"ok": True})
        criterion_id = _required_id(request.POST.get("criterion"))
    except ValueError:
        return JsonResponse({"ok": False, "error": _("Yêu cầu không hợp lệ.")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": _errors(exc)}, status=400)
    try:
        score = services.score_save(user=request.user, rnd=rnd, pledge_id=pledge_id, criterion_id=criterion_id,
                                    raw=request.POST.get("value", ""))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": _errors(exc)}, status=400)
    # Formatted for people with the locale (10 → "10", 9.5 → "9,5"), never Decimal.normalize() ("1E+1").
    return JsonResponse({"ok": True, "value": None if score is None else plain_number(score.value)})


@login_required
@require_POST
def conflict_declare(request, pk):
    """A member declares a conflict of interest with one pledge of the round (any pledge)."""
    rnd = selectors.round_detail(request.user, pk)
    pledge_id = request.POST.get("pledge", "")
    try:
        services.conflict_declare(user=request.user, rnd=rnd, pledge_id=parse_id(pledge_id, 0),
                                  reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích: bạn không chấm bản đăng ký này."))
    return redirect("awards:score_grid", pk=pk)


@login_required
@require_POST
def score_submit(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    try:
        services.scores_submit(user=request.user, rnd=rnd)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("awards:score_grid", pk=pk)
    messages.success(request, _("Đã nộp kết quả chấm. Bạn có thể xem kết quả của cả BCH."))
    return redirect("awards:round_results", pk=pk)


@login_required
def round_results(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    context = _round_context(request, rnd)
    if context["can_see_results"]:
        members, rows = selectors.round_results(rnd)
        context.update(members=members, rows=rows, disagreement_threshold=scoring.DISAGREEMENT_STD)
    context["can_praise"] = context["is_chair"] and rnd.status == ReviewRound.Status.OPEN
    return render(request, "awards/results.html", context)


@login_required
@require_POST
def praise(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    pledge_id = request.POST.get("pledge", "")
    pledge = get_object_or_404(selectors.round_pledges(rnd), pk=parse_id(pledge_id, 0))
    try:
        if request.POST.get("action") == "remove":
            services.praise_remove(user=request.user, rnd=rnd, pledge=pledge)
            messages.success(request, _('Đã bỏ chọn biểu dương %(holder_name)s.') % {"holder_name": pledge.holder_name})
        else:
            services.praise_select(user=request.user, rnd=rnd, pledge=pledge, reason=request.POST.get("reason", ""))
            messages.success(request, _('Đã chọn biểu dương %(holder_name)s.') % {"holder_name": pledge.holder_name})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("awards:round_results", pk=pk)


@login_required
def results_xlsx(request, pk):
    rnd = selectors.round_detail(request.user, pk)
    if not wf.can_see_results(request.user, rnd, selectors.has_submitted(rnd, request.user)):
        raise PermissionDenied(_("Chỉ xem được kết quả sau khi đã nộp kết quả chấm của mình."))
    headers, rows = selectors.result_sheet_rows(rnd)
    content = build_xlsx(_('Quý %(quarter)s-%(year)s') % {"quarter": rnd.quarter, "year": rnd.year}, headers, rows)
    return xlsx_response(content, f"ket-qua-danh-gia-quy-{rnd.quarter}-{rnd.year}.xlsx")


# --- Annual results and proposals -----------------------------------------------------------------

@login_required
def annual(request):
    user = request.user
    if user.unit is None:
        raise Http404
    year = _year(request)
    unit = user.unit
    is_union = wf.is_union_member_of(user, unit) or perms.is_admin(user)
    if not (is_union or perms.has_role(user, perms.CELL, perms.LEADER)):
        raise PermissionDenied
    if request.method == "POST":
        wf.require_union_of(user, unit)
        try:
            if request.POST.get("action") == "compute":
                services.annual_results_compute(user=user, unit=unit, year=year)
                messages.success(request, _("Đã tổng hợp kết quả cả năm từ các đợt đã kết thúc."))
            elif request.POST.get("action") == "withdraw":
                proposal = get_object_or_404(CommendationProposal, pk=id_or_404(request.POST.get("proposal")), unit=unit)
                services.proposal_withdraw(user=user, proposal=proposal)
                messages.success(request, _("Đã rút đề xuất."))
            else:
                form = ProposalForm(request.POST, results=AnnualResult.objects.filter(unit=unit, year=year))
                if not form.is_valid():
                    raise ValidationError(_("Hãy ghi lý do đề xuất khen thưởng."))
                services.proposal_create(user=user, **form.cleaned_data)
                messages.success(request, _("Đã đề xuất Chi bộ khen thưởng."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect(f"{reverse('awards:annual')}?year={year}")
    return render(request, "awards/annual.html", {
        "year": year, "unit": unit, "is_union": is_union,
        "results": selectors.annual_results(user, unit=unit, year=year),
        "years": range(timezone.localdate().year, 2020, -1),
    })


# --- Pledge contents (administrators) -------------------------------------------------------------

@login_required
def content_list(request):
    perms.require_role(request.user, perms.ADMIN)
    contents = PledgeContent.objects.select_related("phase").order_by("-phase__start_year", "order")
    return render(request, "awards/content_list.html", {"contents": contents})


@login_required
def content_edit(request, pk=None):
    perms.require_role(request.user, perms.ADMIN)
    instance = get_object_or_404(PledgeContent, pk=pk) if pk else None
    form = PledgeContentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu nội dung đăng ký."))
        return redirect("awards:content_list")
    return render(request, "awards/content_form.html", {
        "form": form, "content": instance,
        "history_entries": history_entries(instance) if instance else [],
    })
