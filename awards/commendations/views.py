"""Views of commendations, the 15/10 dashboard, the reports and the public verification page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.forms import IssueForm
from documents.services import decision_issue, decision_issuer, default_recipients
from documents.signatures import decision_signature
from documents.views import start
from portal import permissions as perms
from portal.audit import history_entries
from portal.params import parse_id, parse_year
from portal.units.models import Unit
from portal.units.widgets import UnitPickerWidget

from ..models import AwardForm, AwardLevel, AwardProposal, AwardSubject
from ..pledges.forms import CommentForm
from . import selectors as cs
from . import services
from . import workflow as cwf
from .charts import bar_chart
from .forms import ProposalCreateForm, RevokeForm, SubjectAddForm

REPORT_ROLES = (perms.LEADER, perms.CELL, perms.UNION)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _year(request) -> int:
    # Dates are built from it (15/10 of the year): keep it to years a record can have.
    return parse_year(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)


def _dashboard_unit(request) -> Unit:
    """The subtree a person's dashboard shows: their scope, or a unit of it chosen in the picker
    (?subtree=<id>; ?unit=<code> still works for old links)."""
    root = perms.scope_unit(request.user)
    if root is None:
        raise Http404
    picked = parse_id(request.GET.get("subtree", ""))
    if picked is not None:
        unit = Unit.objects.filter(pk=picked).first()
        perms.require_unit(request.user, unit)
        return unit
    code = request.GET.get("unit") or request.POST.get("unit_code")
    if code:
        unit = Unit.objects.filter(code=code).first()
        perms.require_unit(request.user, unit)
        return unit
    return root


# --- The 15/10 dashboard and its reports ----------------------------------------------------------

@login_required
def dashboard_1510(request):
    perms.require_role(request.user, *REPORT_ROLES)
    unit = _dashboard_unit(request)
    year = _year(request)
    rollup = cs.ROLLUP_THEN if request.GET.get("rollup") == cs.ROLLUP_THEN else cs.ROLLUP_NOW
    fig = cs.figures_1510(unit, year, rollup=rollup)
    charts = [
        bar_chart(_("Mô hình theo lĩnh vực"), fig.by_field),
        bar_chart(_("Mô hình theo trạng thái"), fig.by_state, color="#2e7d32"),
        bar_chart(_("Điển hình được biểu dương theo quý"), fig.praised_by_quarter, color="#b7791f"),
        bar_chart(_("Khen thưởng theo hình thức"), fig.commended_by_form, color="#c0392b"),
    ]
    return render(request, "awards/commendations/dashboard.html", {
        "fig": fig, "unit": unit, "year": year, "charts": charts, "rollup": rollup,
        "subtree_picker": UnitPickerWidget(include_ended=True).render("subtree", unit.pk, attrs={"id": "subtree"}),
        "years": range(timezone.localdate().year, 2020, -1),
        "to_decide": cs.proposals_to_decide(request.user),
        "decisions": list(cs.decisions_of(unit, occasion="1510", year=year)),
    })


REPORT_KINDS = ("commendation-1510", "pack-1510", "year-summary", "phase-summary")


@login_required
@require_POST
def report_1510(request):
    """Ask for one of the unit-and-year reports of the dashboard; go to its progress page."""
    perms.require_role(request.user, *REPORT_ROLES)
    kind = request.POST.get("kind", "")
    if kind not in REPORT_KINDS:
        raise Http404
    unit = _dashboard_unit(request)
    year = _year(request)
    if kind == "phase-summary":
        phase = cs.phase_of(year)
        if phase is None:
            messages.error(request, _('Năm %(year)s không thuộc giai đoạn nào.') % {"year": year})
            return redirect("awards:dashboard_1510")
        params = {"unit_id": unit.pk, "phase_id": phase.pk}
    else:
        params = {"unit_id": unit.pk, "year": year}
        if kind == "commendation-1510" and request.POST.get("rollup") == cs.ROLLUP_THEN:
            params["rollup"] = cs.ROLLUP_THEN
    return start(request, kind=kind, params=params, unit=unit)


@login_required
@require_POST
def decision_report(request, pk, kind):
    """The decision with its annex, or its certificates, of a decided proposal."""
    proposal = cs.proposal_detail(request.user, pk)
    if kind not in ("decision", "certificates") or proposal.status != AwardProposal.Status.DECIDED:
        raise Http404
    decision = proposal.decision
    unit = decision.unit if perms.unit_in_scope(request.user, decision.unit) else proposal.unit
    return start(request, kind=kind, params={"decision_id": decision.pk}, unit=unit)


# --- Proposals ------------------------------------------------------------------------------------

@login_required
def proposal_list(request):
    perms.require_role(request.user, *REPORT_ROLES)
    status = request.GET.get("status", "")
    year = request.GET.get("year", "")
    qs = cs.proposals_visible_to(request.user, year=parse_year(year),
                                 status=status if status in AwardProposal.Status.values else "")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "awards/commendations/proposal_list.html", {
        "page_obj": page, "status": status, "year": year, "statuses": AwardProposal.Status.choices,
        "can_create": bool(cwf.bodies_for(request.user)),
        "can_receive": perms.has_role(request.user, perms.CELL),
    })


@login_required
def proposal_create(request):
    bodies = cwf.bodies_for(request.user)
    if not bodies:
        raise PermissionDenied(_("Bạn không có quyền lập đề nghị khen thưởng."))
    form = ProposalCreateForm(request.POST or None, bodies=bodies,
                              initial={"year": timezone.localdate().year, "body": bodies[-1][0]})
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.award_proposal_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lập đề nghị; hãy chọn các đối tượng đề nghị khen thưởng."))
            return redirect("awards:proposal_detail", pk=proposal.pk)
    return render(request, "awards/commendations/proposal_form.html", {"form": form})


@login_required
@require_POST
def proposal_receive(request):
    """The Party cell takes in the union committee's proposals of a year."""
    try:
        proposal = services.award_proposal_from_union(user=request.user, year=_year(request))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("awards:proposal_list")
    messages.success(request, _("Đã tiếp nhận đề xuất của BCH Công đoàn; hãy quyết định khen thưởng."))
    return redirect("awards:proposal_detail", pk=proposal.pk)


@login_required
def proposal_detail(request, pk):
    proposal = cs.proposal_detail(request.user, pk)
    editable = cwf.can_edit(request.user, proposal)
    decidable = proposal.status == AwardProposal.Status.SUBMITTED and cwf.can_decide(request.user, proposal)
    context = {
        "proposal": proposal, "subjects": list(cs.proposal_subjects(proposal)), "editable": editable,
        "decidable": decidable, "can_revoke": proposal.status == AwardProposal.Status.DECIDED
        and cwf.can_decide(request.user, proposal),
        "history_entries": history_entries(proposal), "events": proposal.events.select_related("actor"),
        "can_comment": services.can_comment(request.user, proposal),
        "decision": getattr(proposal, "decision", None) if proposal.status == AwardProposal.Status.DECIDED else None,
    }
    if editable:
        context["form_choices"] = AwardForm.choices
        context["level_choices"] = AwardLevel.choices
        context["candidate_models"] = cs.candidate_models(proposal)[:200]
        context["candidate_pledges"] = cs.candidate_pledges(proposal)[:200]
    if decidable:
        # Issued through the register of outgoing documents: number at issue, signer from the body's list.
        today = timezone.localdate()
        issuer = decision_issuer(proposal, today)
        context["decision_form"] = IssueForm(initial={
            "date": today, "signer": issuer.signers[0].pk if issuer.signers else None,
            "recipients": "\n".join(default_recipients("QĐ", issuer, [proposal.unit.name])),
        }, signers=issuer.signers)
        context["issuer"] = issuer
    return render(request, "awards/commendations/proposal_detail.html", context)


@login_required
@require_POST
def subject_add(request, pk):
    proposal = cs.proposal_detail(request.user, pk)
    form = SubjectAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn đối tượng, hình thức và cấp khen thưởng."))
    else:
        try:
            services.award_subject_add(user=request.user, proposal=proposal, **form.cleaned_data)
            messages.success(request, _("Đã thêm đối tượng vào đề nghị."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("awards:proposal_detail", pk=pk)


@login_required
@require_POST
def subject_remove(request, pk, subject_pk):
    proposal = cs.proposal_detail(request.user, pk)
    subject = get_object_or_404(AwardSubject, pk=subject_pk, proposal=proposal)
    services.award_subject_remove(user=request.user, subject=subject)
    messages.success(request, _("Đã bỏ đối tượng khỏi đề nghị."))
    return redirect("awards:proposal_detail", pk=pk)


@login_required
@require_POST
def proposal_submit(request, pk):
    proposal = cs.proposal_detail(request.user, pk)
    try:
        services.award_proposal_submit(user=request.user, proposal=proposal, number=request.POST.get("number", ""))
        messages.success(request, _("Đã gửi đề nghị lên cấp trên."))
    except (ValidationError, cwf.TransitionError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("awards:proposal_detail", pk=pk)


@login_required
@require_POST
def proposal_decide(request, pk):
    proposal = cs.proposal_detail(request.user, pk)
    outcomes = {}
    for subject in proposal.subjects.all():
        approve = request.POST.get(f"outcome-{subject.pk}") == "approve"
        outcomes[subject.pk] = (approve, request.POST.get(f"why-{subject.pk}", ""))
    try:
        date = forms.DateField().clean(request.POST.get("date"))
    except ValidationError:
        messages.error(request, _("Hãy ghi ngày quyết định và chọn người ký."))
        return redirect("awards:proposal_detail", pk=pk)
    form = IssueForm(request.POST, signers=decision_issuer(proposal, date).signers)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi ngày quyết định và chọn người ký."))
        return redirect("awards:proposal_detail", pk=pk)
    try:
        entry = decision_issue(user=request.user, proposal=proposal, outcomes=outcomes, **form.cleaned_data)
        messages.success(request, _("Đã ban hành quyết định số %(number)s.") % {"number": entry.symbol})
    except (ValidationError, cwf.TransitionError) as exc:
        messages.error(request, _errors(exc) if isinstance(exc, ValidationError) else str(exc))
    return redirect("awards:proposal_detail", pk=pk)


@login_required
def subject_revoke(request, pk, subject_pk):
    proposal = cs.proposal_detail(request.user, pk)
    subject = get_object_or_404(AwardSubject, pk=subject_pk, proposal=proposal)
    cwf.require_decider(request.user, proposal)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_subject_revoke(user=request.user, subject=subject, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã thu hồi khen thưởng."))
            return redirect("awards:proposal_detail", pk=pk)
    return render(request, "awards/commendations/revoke.html", {"form": form, "subject": subject,
                                                                 "proposal": proposal})


# --- Public verification --------------------------------------------------------------------------

def verify(request, code):
    """Who was commended, for what, by which decision — or that the code is unknown or revoked."""
    subject = (AwardSubject.objects.select_related("unit", "decision", "proposal__phase")
               .filter(code=(code or "").strip().upper()).first())
    status = 200 if subject is not None else 404
    signature = decision_signature(subject.decision) if subject is not None else None
    return render(request, "awards/commendations/verify.html", {"subject": subject, "code": code,
                                                                "signature": signature}, status=status)


@login_required
@require_POST
def proposal_comment(request, pk):
    proposal = cs.proposal_detail(request.user, pk)
    if not services.can_comment(request.user, proposal):
        raise PermissionDenied
    form = CommentForm(request.POST, required=True)
    try:
        if not form.is_valid():
            raise ValidationError(_("Vui lòng nhập nội dung."))
        services.award_proposal_comment(user=request.user, proposal=proposal, comment=form.cleaned_data["comment"])
        messages.success(request, _("Đã gửi."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("awards:proposal_detail", pk=pk)
