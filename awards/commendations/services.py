"""Writes of commendations: proposals, their subjects, the decision, revocation.

Each service checks `workflow.py`, runs in one transaction and writes an `AwardEvent`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import permissions as perms
from portal.text import fold, nfc
from portal.workflow_events import workflow_event_emit

from ..models import (
    AwardDecision,
    AwardEvent,
    AwardForm,
    AwardLevel,
    AwardProposal,
    AwardSubject,
    CommendationProposal,
    Occasion,
    ProposingBody,
)
from ..pledges.selectors import phase_for_year
from . import selectors as cs
from . import workflow as cwf

AS = AwardProposal.Status
SS = AwardSubject.Status
DUPLICATE = gettext_lazy("{name} đã được đề nghị hoặc khen thưởng hình thức “{form}” cho dịp này.")


def _event(proposal: AwardProposal, *, actor, action: str, comment: str = "", subject=None) -> None:
    AwardEvent.objects.create(proposal=proposal, actor=actor, action=action, comment=comment, subject=subject)


@transaction.atomic
def award_proposal_create(*, user, body: str, occasion: str, year: int, number: str = "",
                          note: str = "") -> AwardProposal:
    """Open a commendation proposal of `body` for an occasion (15/10 of `year` or the phase's end)."""
    cwf.require_proposer(user, body)
    unit = cwf.proposing_unit(user, body)
    if unit is None:
        raise ValidationError(_("Tài khoản chưa gắn với đơn vị."))
    perms.require_unit_open(unit)
    if occasion not in Occasion.values:
        raise ValidationError(_("Dịp khen thưởng không hợp lệ."))
    phase = phase_for_year(year)
    if phase is None:
        raise ValidationError(_('Năm %(year)s không thuộc giai đoạn nào.') % {"year": year})
    if occasion == Occasion.PHASE_FINAL:
        year = phase.end_year
    proposal = AwardProposal.objects.create(
        unit=unit, body=body, decider_unit=cwf.decider_unit(unit, body), occasion=occasion, year=year,
        phase=phase, number=nfc(number).strip(), note=nfc(note).strip(), created_by=user,
    )
    _event(proposal, actor=user, action="create")
    return proposal


def _subject_fields(proposal: AwardProposal, kind: str, target_id: int) -> dict:
    """Who the subject is (name, unit, key) and the reason drawn from the record."""
    if kind == AwardSubject.Kind.MODEL:
        model = cs.candidate_models(proposal).filter(pk=target_id).first()
        if model is None:
            raise ValidationError(_("Mô hình không thuộc phạm vi hoặc chưa được đánh giá hiệu quả."))
        return dict(model=model, unit=model.unit, name=model.name, subject_key=f"model:{model.pk}",
                    reason=cs.model_reason(model))
    pledge = cs.candidate_pledges(proposal).filter(pk=target_id).first()
    if pledge is None:
        raise ValidationError(_("Bản đăng ký không thuộc phạm vi hoặc chưa được tiếp nhận."))
    if pledge.person_id:
        return dict(kind=AwardSubject.Kind.INDIVIDUAL, pledge=pledge, person=pledge.person, unit=pledge.unit,
                    name=pledge.person.full_name or pledge.person.username,
                    subject_key=f"person:{pledge.person_id}", reason=cs.pledge_reason(pledge))
    return dict(kind=AwardSubject.Kind.COLLECTIVE, pledge=pledge, unit=pledge.unit, name=pledge.collective_name,
                subject_key=f"collective:{pledge.unit_id}:{fold(pledge.collective_name)}"[:60],
                reason=cs.pledge_reason(pledge))


@transaction.atomic
def award_subject_add(*, user, proposal: AwardProposal, kind: str, target_id: int, form: str, level: int,
                      reason: str = "") -> AwardSubject:
    """Name a subject in a proposal; a subject is never proposed twice for one occasion and form."""
    cwf.require_editor(user, proposal)
    if form not in AwardForm.values or int(level) not in AwardLevel.values:
        raise ValidationError(_("Hình thức hoặc cấp khen thưởng không hợp lệ."))
    if form == AwardForm.PROVINCIAL_EXEMPLAR and int(level) != AwardLevel.PROVINCE:
        raise ValidationError(_("Công nhận điển hình cấp tỉnh do Ban Thường vụ Tỉnh ủy quyết định: chọn cấp tỉnh."))
    fields = _subject_fields(proposal, kind, int(target_id))
    fields.setdefault("kind", kind)
    own = nfc(reason).strip()
    if own:
        fields["reason"] = f"{own} {fields['reason']}".strip() if fields["reason"] else own
    taken = AwardSubject.objects.filter(subject_key=fields["subject_key"], occasion=proposal.occasion,
                                        year=proposal.year, form=form, status__in=[SS.PROPOSED, SS.APPROVED])
    message = DUPLICATE.format(name=fields["name"], form=AwardForm(form).label)
    if taken.exists():
        raise ValidationError(message)
    try:
        with transaction.atomic():
            subject = AwardSubject.objects.create(
                proposal=proposal, occasion=proposal.occasion, year=proposal.year, form=form, level=int(level),
                order=proposal.subjects.count() + 1, **fields,
            )
    except IntegrityError as exc:  # two people adding at once: the constraint has the last word
        raise ValidationError(message) from exc
    _event(proposal, actor=user, action="add", subject=subject, comment=subject.name)
    return subject


@transaction.atomic
def award_subject_remove(*, user, subject: AwardSubject) -> None:
    """Take a subject out of a proposal that is still being prepared."""
    cwf.require_editor(user, subject.proposal)
    _event(subject.proposal, actor=user, action="remove", comment=subject.name)
    subject.delete()


@transaction.atomic
def award_proposal_submit(*, user, proposal: AwardProposal, number: str = "") -> AwardProposal:
    """Send the proposal to the body above."""
    cwf.require_editor(user, proposal)
    proposal = AwardProposal.objects.select_for_update().get(pk=proposal.pk)
    transition = cwf.check_transition(cwf.PROPOSAL_TRANSITIONS, "submit", proposal.status)
    if not proposal.subjects.exists():
        raise ValidationError(_("Đề nghị chưa có đối tượng nào."))
    proposal.status, proposal.submitted_at = transition.target, timezone.now()
    if number:
        proposal.number = nfc(number).strip()
        limit = AwardProposal._meta.get_field("number").max_length
        if len(proposal.number) > limit or "\x00" in proposal.number:
            raise ValidationError(_("Số tờ trình tối đa %(limit)s ký tự.") % {"limit": limit})
    proposal.save()
    _event(proposal, actor=user, action="submit")
    workflow_event_emit(kind="award.submitted", record=proposal, actor=user)
    return proposal


def can_comment(user, proposal: AwardProposal) -> bool:
    """Who may see a proposal and works on proposals talks on it (the proposing and the deciding body)."""
    return cwf.can_see(user, proposal) and (
        proposal.created_by_id == user.pk or perms.has_role(user, perms.UNION, perms.CELL, perms.LEADER)
    )


@transaction.atomic
def award_proposal_comment(*, user, proposal: AwardProposal, comment: str) -> None:
    """A message in the proposal's thread between the proposing body and the deciding one."""
    if not can_comment(user, proposal):
        raise PermissionDenied(_("Bạn không tham gia trao đổi về đề nghị này."))
    comment = nfc(comment).strip()
    if not comment:
        raise ValidationError(_("Vui lòng nhập nội dung."))
    _event(proposal, actor=user, action="comment", comment=comment)
    workflow_event_emit(kind="award.commented", record=proposal, actor=user, comment=comment)


def _new_code() -> str:
    while True:
        code = secrets.token_hex(5).upper()
        if not AwardSubject.objects.filter(code=code).exists():
            return code


@transaction.atomic
def award_proposal_decide(*, user, proposal: AwardProposal, number: str, date: dt.date, signer_title: str,
                          signer_name: str, outcomes: dict[int, tuple[bool, str]]) -> AwardDecision:
    """Decide every subject: approved ones are commended under the decision (numbered, with a
    verification code), rejected ones keep the reason."""
    cwf.require_decider(user, proposal)
    proposal = AwardProposal.objects.select_for_update().get(pk=proposal.pk)
    transition = cwf.check_transition(cwf.PROPOSAL_TRANSITIONS, "decide", proposal.status)
    number, signer_title, signer_name = (nfc(v).strip() for v in (number, signer_title, signer_name))
    if not (number and signer_title and signer_name and date):
        raise ValidationError(_("Hãy ghi số, ngày quyết định, chức vụ và họ tên người ký."))
    subjects = list(proposal.subjects.order_by("order", "id"))
    if {s.pk for s in subjects} != set(outcomes):
        raise ValidationError(_("Hãy quyết định cho từng đối tượng được đề nghị."))
    for s in subjects:
        approve, why = outcomes[s.pk]
        if not approve and not nfc(why or "").strip():
            raise ValidationError(_('Hãy ghi lý do không khen thưởng %(name)s.') % {"name": s.name})
    if AwardDecision.objects.filter(unit=proposal.decider_unit, number=number).exists():
        raise ValidationError(_('Số quyết định %(number)s đã được dùng.') % {"number": number})
    decision = AwardDecision.objects.create(
        proposal=proposal, unit=proposal.decider_unit, number=number, date=date, signer_title=signer_title,
        signer_name=signer_name, decided_by=user,
    )
    certificate_no = 0
    for s in subjects:
        approve, why = outcomes[s.pk]
        if approve:
            certificate_no += 1
            s.status, s.decision, s.certificate_no, s.code = SS.APPROVED, decision, certificate_no, _new_code()
        else:
            s.status, s.rejection_reason = SS.REJECTED, nfc(why).strip()
        s.save()
    proposal.status, proposal.decided_at = transition.target, timezone.now()
    proposal.save()
    _event(proposal, actor=user, action="decide", comment=f"Quyết định số {number}")
    workflow_event_emit(kind="award.decided", record=proposal, actor=user, comment=f"Quyết định số {number}")
    return decision


@transaction.atomic
def award_subject_revoke(*, user, subject: AwardSubject, reason: str) -> AwardSubject:
    """Revoke a commendation (the verification page then says so)."""
    cwf.require_decider(user, subject.proposal)
    reason = nfc(reason).strip()
    if subject.status != SS.APPROVED:
        raise ValidationError(_("Chỉ thu hồi được khen thưởng đã được quyết định."))
    if not reason:
        raise ValidationError(_("Hãy ghi lý do thu hồi."))
    subject.status, subject.revoked_at, subject.revoke_reason = SS.REVOKED, timezone.now(), reason
    subject.save()
    _event(subject.proposal, actor=user, action="revoke", subject=subject, comment=reason)
    workflow_event_emit(kind="award.revoked", record=subject.proposal, actor=user,
                        users=[subject.person] if subject.person_id else [], comment=f"{subject.name}: {reason}")
    return subject


@transaction.atomic
def award_proposal_from_union(*, user, year: int) -> AwardProposal:
    """The Party cell takes the union committee's 15/10 proposals of its unit into one proposal
    (body: the union committee) that the cell then decides."""
    perms.require_role(user, perms.CELL)
    unit = user.unit
    received = list(
        CommendationProposal.objects.filter(unit=unit, year=year, status=CommendationProposal.Status.PROPOSED)
        .select_related("result__pledge__person").order_by("result__rank", "id")
        # Locked: a second click waits for the first, then finds every subject taken in already.
        .select_for_update(of=("self",))
    )
    if not received:
        raise ValidationError(_('BCH Công đoàn chưa đề xuất khen thưởng nào năm %(year)s.') % {"year": year})
    phase = phase_for_year(year)
    if phase is None:
        raise ValidationError(_('Năm %(year)s không thuộc giai đoạn nào.') % {"year": year})
    proposal = AwardProposal.objects.create(
        unit=unit, body=ProposingBody.UNION, decider_unit=unit, occasion=Occasion.DAY_1510, year=year,
        phase=phase, created_by=user, note="Tiếp nhận đề xuất của Ban Chấp hành Công đoàn.",
    )
    _event(proposal, actor=user, action="receive")
    for order, item in enumerate(received, start=1):
        pledge = item.result.pledge
        fields = _subject_fields(proposal, AwardSubject.Kind.INDIVIDUAL, pledge.pk)
        fields["reason"] = f"{nfc(item.reason).strip()} {fields['reason']}".strip()
        if AwardSubject.objects.filter(subject_key=fields["subject_key"], occasion=proposal.occasion,
                                       year=year, form=AwardForm.CERTIFICATE,
                                       status__in=[SS.PROPOSED, SS.APPROVED]).exists():
            continue  # already proposed elsewhere for this occasion and form
        fields.setdefault("kind", AwardSubject.Kind.INDIVIDUAL)
        AwardSubject.objects.create(proposal=proposal, occasion=proposal.occasion, year=year,
                                    form=AwardForm.CERTIFICATE, level=AwardLevel.UNIT, order=order, **fields)
    if not proposal.subjects.exists():
        raise ValidationError(_("Các đề xuất của BCH Công đoàn năm %(year)s đã được tiếp nhận.") % {"year": year})
    proposal.status, proposal.submitted_at = AS.SUBMITTED, timezone.now()
    proposal.save()
    return proposal

