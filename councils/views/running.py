"""Views of a session as it runs: attendance, votes, scores, minutes, the draft decision, and the
public consultation pages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import permissions as perms
from portal.accounts.lockout import client_ip
from portal.params import parse_id, parse_ids

from .. import selectors, services
from .. import workflow as wf
from ..forms import BallotForm, FeedbackForm, PaperTallyForm, ReasonForm
from ..models import Consultation, Feedback


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _date(value):
    """A date from a form field (yyyy-mm-dd or dd/mm/yyyy), or None for anything else."""
    try:
        return forms.DateField().clean(value)
    except ValidationError:
        return None


@login_required
def index(request):
    return render(request, "councils/index.html", {
        "councils": selectors.councils_for(request.user), "may_admin": perms.is_admin(request.user),
        "evaluating": selectors.sessions_evaluated_by(request.user),
    })


@login_required
def council_detail(request, pk):
    from .setup import council_context

    council = selectors.council_detail(request.user, pk)
    return render(request, "councils/council_detail.html", {
        "council": council, "members": selectors.members_of(council),
        "sessions": council.sessions.all(), **council_context(request.user, council),
    })


@login_required
def session_detail(request, pk):
    session = selectors.session_detail(request.user, pk)
    council = session.council
    seat = perms.council_seat(request.user, council)
    present = selectors.present_member_ids(session)
    rows = []
    for item in session.items.select_related("subject", "model").prefetch_related("conflicts__user"):
        e = selectors.electorate(item)
        rows.append({
            "item": item, "electorate": e, "quorum_met": selectors.quorum_met(item, e),
            "voted": item.voters.count(),
            "has_voted": selectors.has_voted(item, seat),
            "may_vote": seat is not None and seat in e.present and item.status == "voting",
            "recused": seat is not None and seat in e.recused,
            "tally": selectors.tally(item),
            "consultation": getattr(item, "consultation", None),
            "needs_consultation": bool((setting := selectors.form_setting(item.form)) and setting.public_consultation),
            "pending_feedback": list(Feedback.objects.filter(consultation__item=item,
                                                             status=Feedback.Status.PENDING)),
        })
    return render(request, "councils/session_detail.html", {
        "session": session, "council": council, "seat": seat, "rows": rows,
        "members": selectors.members_of(council), "present": present,
        "is_runner": seat is not None and seat.role in perms.COUNCIL_RUNNERS,
        "may_plan": perms.can_plan_council(request.user, council),
        "ballot_form": BallotForm(), "tally_form": PaperTallyForm(),
    })


def _act(request, pk, action):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except wf.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("councils:session_detail", pk=pk)


@login_required
@require_POST
def session_open(request, pk):
    session = selectors.session_detail(request.user, pk)
    return _act(request, pk, lambda: services.session_open(user=request.user, session=session))


@login_required
@require_POST
def attendance(request, pk):
    session = selectors.session_detail(request.user, pk)
    ids = set(parse_ids(request.POST.getlist("present")))

    def run():
        services.attendance_take(user=request.user, session=session, present_ids=ids)
        messages.success(request, _("Đã ghi điểm danh: %(n)s thành viên có mặt.") % {"n": len(ids)})
    return _act(request, pk, run)


@login_required
@require_POST
def item_action(request, pk, action):
    item = selectors.item_detail(request.user, pk)
    sid = item.session_id
    if action == "open":
        return _act(request, sid, lambda: services.voting_open(user=request.user, item=item))
    if action == "close":
        return _act(request, sid, lambda: services.item_close(user=request.user, item=item))
    if action == "vote":
        form = BallotForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy chọn một phương án."))
            return redirect("councils:session_detail", pk=sid)

        def cast():
            services.ballot_cast(user=request.user, item=item, choice=form.cleaned_data["choice"])
            messages.success(request, _("Đã ghi nhận phiếu của bạn (bỏ phiếu kín)."))
        return _act(request, sid, cast)
    if action == "conflict":
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        return _act(request, sid, lambda: services.conflict_declare(user=request.user, item=item, reason=reason))
    if action == "paper":
        form = PaperTallyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy nhập đủ số phiếu và Ban kiểm phiếu."))
            return redirect("councils:session_detail", pk=sid)
        data = form.cleaned_data
        return _act(request, sid, lambda: services.paper_tally_enter(
            user=request.user, item=item, agree=data["agree"], disagree=data["disagree"], abstain=data["abstain"],
            counting_committee=data["counting_committee"].splitlines()))
    if action == "publish":
        opens_on = _date(request.POST.get("opens_on"))
        if opens_on is None:
            messages.error(request, _("Hãy chọn ngày bắt đầu công khai."))
            return redirect("councils:session_detail", pk=sid)
        return _act(request, sid, lambda: services.consultation_publish(user=request.user, item=item,
                                                                       opens_on=opens_on))
    if action == "moderate":
        feedback = get_object_or_404(Feedback, pk=request.POST.get("feedback") or 0, consultation__item=item)
        approve = request.POST.get("decision") == "approve"
        return _act(request, sid, lambda: services.feedback_moderate(user=request.user, feedback=feedback,
                                                                    approve=approve))
    return redirect("councils:session_detail", pk=sid)


@login_required
@require_POST
def minutes_issue(request, pk):
    session = selectors.session_detail(request.user, pk)

    def run():
        entry = services.minutes_issue(user=request.user, session=session)
        messages.success(request, _("Đã ban hành biên bản số %(number)s.") % {"number": entry.symbol})
    return _act(request, pk, run)


@login_required
def draft_decision(request, pk):
    """The decisions the session's results lead to; the person who decides a proposal issues its
    decision here, with the council's conclusions as its outcomes."""
    from awards.commendations.workflow import can_decide
    from awards.models import AwardProposal
    from documents.forms import IssueForm
    from documents.services import decision_issuer, default_recipients

    session = selectors.session_detail(request.user, pk)
    draft = selectors.draft_decision(session)
    today = timezone.localdate()
    for entry in draft["proposals"]:
        proposal = entry["proposal"]
        entry["decidable"] = (proposal.status == AwardProposal.Status.SUBMITTED and not entry["unconsidered"]
                              and entry["passed"] and can_decide(request.user, proposal))
        if entry["decidable"]:
            issuer = decision_issuer(proposal, today)
            entry["issuer"] = issuer
            entry["form"] = IssueForm(initial={
                "date": today, "signer": issuer.signers[0].pk if issuer.signers else None,
                "recipients": "\n".join(default_recipients("QĐ", issuer, [proposal.unit.name])),
            }, signers=issuer.signers)
    return render(request, "councils/draft_decision.html", {"session": session, **draft})


@login_required
@require_POST
def decision_issue(request, pk, proposal_pk):
    """Issue the decision on a proposal from the council's conclusions (documents' register)."""
    from awards.commendations.workflow import TransitionError
    from awards.models import AwardProposal
    from documents.forms import IssueForm
    from documents.services import decision_issuer

    session = selectors.session_detail(request.user, pk)
    proposal = get_object_or_404(AwardProposal.objects.filter(subjects__council_items__session=session).distinct()
                                 .select_related("unit", "decider_unit"), pk=proposal_pk)
    back = redirect("councils:draft_decision", pk=pk)
    date = _date(request.POST.get("date"))
    form = IssueForm(request.POST, signers=decision_issuer(proposal, date).signers) if date else None
    if form is None or not form.is_valid():
        messages.error(request, _("Hãy ghi ngày quyết định và chọn người ký."))
        return back
    try:
        entry = services.decision_issue_from_council(user=request.user, proposal=proposal, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return back
    except TransitionError as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, _("Đã ban hành quyết định số %(number)s.") % {"number": entry.symbol})
    return redirect("awards:proposal_detail", pk=proposal.pk)


# --- Public consultation (no login) ---------------------------------------------------------------

def consultations(request):
    rows = [{"consultation": c, "approved": c.feedback.filter(status=Feedback.Status.APPROVED)}
            for c in selectors.consultations_open()]
    return render(request, "councils/public_consultations.html", {"rows": rows, "form": FeedbackForm()})


@require_POST
def feedback(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    form = FeedbackForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.feedback_submit(consultation=consultation, client_address=client_ip(request),
                                     **form.cleaned_data)
        except services.RateLimited as exc:
            messages.error(request, _errors(exc))
            status = 429
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Cảm ơn bạn. Ý kiến sẽ được hiển thị sau khi được kiểm duyệt."))
            return redirect("councils_public:consultations")
    rows = [{"consultation": c, "approved": c.feedback.filter(status=Feedback.Status.APPROVED)}
            for c in selectors.consultations_open()]
    return render(request, "councils/public_consultations.html", {"rows": rows, "form": form}, status=status)


# --- Model evaluation: the pledge grid's keyboard grid (awards/static/awards/scoring.js) -------------

def _evaluator_or_403(request, session):
    from django.core.exceptions import PermissionDenied

    evaluator = selectors.evaluator_of(session, request.user)
    if evaluator is None:
        raise PermissionDenied(_("Bạn không được phân công chấm điểm phiên họp này."))
    return evaluator


@login_required
def evaluation_grid(request, pk):
    session = selectors.session_detail(request.user, pk)
    evaluator = _evaluator_or_403(request, session)
    criteria, rows = selectors.evaluation_grid(session, evaluator)
    return render(request, "councils/evaluation_grid.html", {
        "session": session, "criteria": criteria, "rows": rows, "evaluator": evaluator,
        "remaining": selectors.evaluation_remaining(rows), "editable": not evaluator.submitted,
    })


@login_required
@require_POST
def evaluation_save(request, pk):
    """One cell, saved as the evaluator types (the grid script posts `pledge` = the item's id)."""
    from django.http import JsonResponse

    from portal.numbers import plain_number

    session = selectors.session_detail(request.user, pk)
    _evaluator_or_403(request, session)
    try:
        item_id, criterion_id = parse_id(request.POST.get("pledge")), parse_id(request.POST.get("criterion"))
        if item_id is None or criterion_id is None:
            raise ValueError
        item = session.items.get(pk=item_id)
        score = services.evaluation_score_save(user=request.user, item=item, criterion_id=criterion_id,
                                               raw=request.POST.get("value", ""))
    except (ValueError, session.items.model.DoesNotExist):
        return JsonResponse({"ok": False, "error": _("Yêu cầu không hợp lệ.")}, status=400)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": _errors(exc)}, status=400)
    return JsonResponse({"ok": True, "value": None if score is None else plain_number(score.value)})


@login_required
@require_POST
def evaluation_submit(request, pk):
    session = selectors.session_detail(request.user, pk)
    try:
        services.evaluation_submit(user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("councils:evaluation_grid", pk=pk)
    return redirect("councils:evaluation_results", pk=pk)


@login_required
def evaluation_results(request, pk):
    """Others' scores appear to an evaluator once their own are submitted; runners see them always."""
    session = selectors.session_detail(request.user, pk)
    seat = perms.council_seat(request.user, session.council)
    evaluator = selectors.evaluator_of(session, request.user)
    is_runner = seat is not None and seat.role in perms.COUNCIL_RUNNERS
    visible = perms.is_admin(request.user) or is_runner or (evaluator is not None and evaluator.submitted)
    context = {"session": session, "visible": visible, "is_runner": is_runner, "evaluator": evaluator}
    if visible:
        evaluators, rows, threshold = selectors.evaluation_results(session)
        context.update(evaluators=evaluators, rows=rows, threshold=threshold)
    return render(request, "councils/evaluation_results.html", context)


@login_required
@require_POST
def evaluation_item(request, pk, action):
    item = selectors.item_detail(request.user, pk)
    sid = item.session_id
    try:
        if action == "post":
            services.discussion_post(user=request.user, item=item, text=request.POST.get("text", ""))
        elif action == "finalise":
            services.evaluation_finalise(user=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("councils:evaluation_results", pk=sid)
