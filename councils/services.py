"""Writes of the councils app: sessions, agenda, attendance, conflicts, secret ballots, paper tallies,
model evaluation, public consultation, minutes. Keyword-only, one transaction each.

Each step others must hear of is a workflow event (`portal/workflow_events.py` says who is told):
a session scheduled (its members), voting opened (the members present), an evaluator appointed
(that person), an item closed (whoever proposed the model or the commendation, with the result),
the minutes issued (the chair, to sign), a citizen's comment received (the secretary, to moderate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.models import AwardEvent, AwardProposal, AwardSubject
from portal import permissions as perms
from portal import scoring
from portal.numbers import plain_number
from portal.text import nfc
from portal.workflow_events import workflow_event_emit

from . import calendar, selectors
from . import workflow as wf
from .models import (
    RECOGNITION,
    AgendaItem,
    Attendance,
    BallotCount,
    Conflict,
    Consultation,
    Council,
    CouncilMember,
    DiscussionPost,
    EvaluationScore,
    Evaluator,
    Feedback,
    RubricCriterion,
    Session,
    VoteCast,
)

IS = AgendaItem.Status
RUNNERS = perms.COUNCIL_RUNNERS


def _locked_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update().select_related("session__council").get(pk=item.pk)


# --- The council and its membership (administrators) ------------------------------------------------

@transaction.atomic
def council_save(*, user, council: Council) -> Council:
    """An administrator creates or edits a council (level, term, quorum, scoring threshold)."""
    perms.require_council_admin(user, council if council.pk else None)
    council.name = nfc(council.name).strip()
    if council.term_end < council.term_start:
        raise ValidationError(_("Nhiệm kỳ kết thúc phải sau ngày bắt đầu."))
    if council.quorum_num > council.quorum_den:
        raise ValidationError(_("Tỷ lệ có mặt tối thiểu không lớn hơn 1."))
    council._history_user = user
    council.save()
    return council


def _seat_save(seat: CouncilMember, user) -> CouncilMember:
    seat.position = nfc(seat.position).strip()
    seat._history_user = user  # the membership history names who changed it
    try:
        with transaction.atomic():
            seat.save()
    except IntegrityError as exc:
        if CouncilMember.objects.filter(council=seat.council, user=seat.user).exclude(pk=seat.pk).exists():
            raise ValidationError(_("Người này đã là thành viên Hội đồng.")) from exc
        raise ValidationError(_("Hội đồng đã có Chủ tịch; hãy đổi chức danh của Chủ tịch hiện tại trước.")) from exc
    return seat


@transaction.atomic
def member_add(*, user, council: Council, member, role: str, position: str = "", order: int = 0) -> CouncilMember:
    """An administrator seats a person on the council for its term."""
    perms.require_council_admin(user, council)
    seat = _seat_save(CouncilMember(council=council, user=member, role=role, position=position, order=order), user)
    user_cache = getattr(member, "_council_seats", None)
    if user_cache is not None:
        user_cache.pop(council.pk, None)
    return seat


@transaction.atomic
def member_update(*, user, seat: CouncilMember, role: str, position: str = "", order: int = 0) -> CouncilMember:
    """An administrator changes a member's title (chair, vice-chair, secretary, member) or position."""
    perms.require_council_admin(user, seat.council)
    seat.role, seat.position, seat.order = role, position, order
    return _seat_save(seat, user)


@transaction.atomic
def member_remove(*, user, seat: CouncilMember) -> None:
    """An administrator removes a seat; a member already recorded at a session (attendance, the
    register of who voted) stays, so the minutes keep their names."""
    perms.require_council_admin(user, seat.council)
    if Attendance.objects.filter(member=seat).exists() or VoteCast.objects.filter(member=seat).exists():
        raise ValidationError(_("Thành viên này đã có tên trong điểm danh hoặc bỏ phiếu của phiên họp: giữ lại "
                                "để hồ sơ phiên họp đầy đủ."))
    seat._history_user = user
    seat.delete()


# --- Sessions and agenda ----------------------------------------------------------------------------

@transaction.atomic
def session_create(*, user, council: Council, date: dt.date, place: str = "") -> Session:
    """The secretary (or chair, or an administrator) schedules a session; its members are told."""
    perms.require_council_planner(user, council)
    if not (council.term_start <= date <= council.term_end):
        raise ValidationError(_("Ngày họp phải trong nhiệm kỳ của Hội đồng (%(start)s – %(end)s).") % {
            "start": f"{council.term_start:%d/%m/%Y}", "end": f"{council.term_end:%d/%m/%Y}"})
    session = Session.objects.create(council=council, date=date, place=nfc(place).strip(), created_by=user)
    workflow_event_emit(kind="council.session_scheduled", record=session, actor=user,
                        comment=f"{date:%d/%m/%Y}" + (f" – {session.place}" if session.place else ""))
    return session


@transaction.atomic
def session_delete(*, user, session: Session) -> None:
    """A session not yet opened, with no score entered, can be called off."""
    perms.require_council_planner(user, session.council)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("Chỉ hủy được phiên họp chưa khai mạc."))
    if EvaluationScore.objects.filter(item__session=session).exists():
        raise ValidationError(_("Đã có điểm chấm cho phiên họp này: không hủy được."))
    session.delete()


@transaction.atomic
def item_add(*, user, session: Session, subject: AwardSubject | None = None, model=None,
             method: str = AgendaItem.Method.BALLOT) -> AgendaItem:
    """Put a commendation subject (of a proposal decided by the council's unit) or a model (of the
    council's subtree, evaluated effective, not recognised at this level yet) on the agenda."""
    council = session.council
    perms.require_council_planner(user, council)
    if session.status == Session.Status.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    if method not in AgendaItem.Method.values:
        raise ValidationError(_("Hãy chọn hình thức bỏ phiếu."))
    order = (session.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    if subject is not None:
        if not selectors.eligible_subjects(council).filter(pk=subject.pk).exists():
            raise ValidationError(_("Đề nghị này không thuộc thẩm quyền xét của Hội đồng."))
        return AgendaItem.objects.create(
            session=session, order=order, kind=AgendaItem.Kind.COMMENDATION, subject=subject, method=method,
            title=f"{subject.name} – {subject.get_form_display()}", achievements=subject.reason, form=subject.form)
    if model is None:
        raise ValidationError(_("Hãy chọn mô hình hoặc đối tượng đề nghị khen thưởng."))
    if not selectors.eligible_models(council).filter(pk=model.pk).exists():
        raise ValidationError(_("Chỉ xét công nhận mô hình của địa bàn, đã được đánh giá hiệu quả, chưa được công "
                                "nhận ở cấp này."))
    return AgendaItem.objects.create(
        session=session, order=order, kind=AgendaItem.Kind.MODEL, model=model, method=method,
        title=f"{_('Mô hình')} “{model.name}” – {model.unit}", achievements=model.evaluation_reason,
        form=RECOGNITION)


@transaction.atomic
def item_remove(*, user, session: Session, item: AgendaItem) -> None:
    """Take an item off the agenda before it is put to the vote (its scores and comments go with it)."""
    perms.require_council_planner(user, session.council)
    item = _locked_item(item)
    if item.session_id != session.pk or item.status != IS.PENDING or item.score_final:
        raise ValidationError(_("Chỉ bỏ được nội dung chưa biểu quyết, chưa chốt điểm."))
    item.delete()


@transaction.atomic
def session_open(*, user, session: Session) -> Session:
    perms.require_council_role(user, session.council, *RUNNERS)
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.status = wf.check_transition(wf.SESSION_TRANSITIONS, "open", session.status).target
    session.save()
    return session


@transaction.atomic
def attendance_take(*, user, session: Session, present_ids: set[int]) -> None:
    """The secretary records who is present (seat ids); the others are absent."""
    perms.require_council_role(user, session.council, *RUNNERS)
    if session.status == Session.Status.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    seats = {m.pk for m in session.council.members.all()}
    if set(present_ids) - seats:
        raise ValidationError(_("Người này không phải thành viên Hội đồng."))
    for seat in seats:
        Attendance.objects.update_or_create(session=session, member_id=seat, defaults={"present": seat in present_ids})


@transaction.atomic
def session_close(*, user, session: Session) -> Session:
    perms.require_council_role(user, session.council, *RUNNERS)
    session = Session.objects.select_for_update().get(pk=session.pk)
    transition = wf.check_transition(wf.SESSION_TRANSITIONS, "close", session.status)
    if session.items.exclude(status=IS.CLOSED).exists():
        raise ValidationError(_("Còn nội dung chưa có kết quả."))
    session.status = transition.target
    session.save()
    return session


# --- Conflicts -------------------------------------------------------------------------------------

@transaction.atomic
def conflict_declare(*, user, item: AgendaItem, reason: str) -> Conflict:
    """A member or evaluator declares a conflict with an item: recused from its scores, votes and
    quorum. Not after they voted on it (a ballot cannot be taken back) nor once it is closed."""
    item = _locked_item(item)
    council = item.session.council
    perms.require_session_view(user, item.session)
    seat = perms.council_seat(user, council)
    evaluator = selectors.evaluator_of(item.session, user)
    if seat is None and evaluator is None:
        raise PermissionDenied(_("Chỉ thành viên Hội đồng hoặc người chấm mới khai báo xung đột lợi ích."))
    if item.is_closed:
        raise ValidationError(_("Nội dung này đã có kết quả."))
    if selectors.has_voted(item, seat):
        raise ValidationError(_("Bạn đã bỏ phiếu cho nội dung này: không thể rút lại."))
    reason = nfc(reason).strip()[:500]
    if not reason:
        raise ValidationError(_("Hãy nêu lý do xung đột lợi ích."))
    if evaluator is not None:
        EvaluationScore.objects.filter(evaluator=evaluator, item=item).delete()
    try:
        with transaction.atomic():
            return Conflict.objects.create(item=item, user=user, reason=reason)
    except IntegrityError as exc:
        raise ValidationError(_("Bạn đã khai báo xung đột lợi ích với nội dung này.")) from exc


# --- Voting ----------------------------------------------------------------------------------------

def _require_quorum(item: AgendaItem, e: selectors.ItemElectorate) -> None:
    council = item.session.council
    if not council.quorum_met(len(e.present), e.quorum_base):
        raise ValidationError(
            _("Chưa đủ số thành viên có mặt (%(present)s/%(members)s, cần %(rule)s) để biểu quyết nội dung này.")
            % {"present": len(e.present), "members": e.quorum_base, "rule": council.quorum_text})


def _require_ready(item: AgendaItem) -> None:
    if item.session.status != Session.Status.OPEN:
        raise ValidationError(_("Phiên họp chưa khai mạc hoặc đã kết thúc."))
    setting = selectors.form_setting(item.form)
    if setting and setting.public_consultation:
        consultation = Consultation.objects.filter(item=item).first()
        if consultation is None or consultation.closes_on >= timezone.localdate():
            raise ValidationError(_("Hình thức này cần lấy ý kiến nhân dân: chưa hết thời hạn công khai."))
    if item.kind == AgendaItem.Kind.MODEL and item.session.evaluators.exists() and not item.score_final:
        raise ValidationError(_("Điểm đánh giá mô hình chưa được chốt."))


@transaction.atomic
def voting_open(*, user, item: AgendaItem) -> AgendaItem:
    """The secretary opens the secret ballot on an item, once the quorum is checked."""
    item = _locked_item(item)
    perms.require_council_role(user, item.session.council, *RUNNERS)
    transition = wf.check_transition(wf.ITEM_TRANSITIONS, "open_voting", item.status)
    if item.method != AgendaItem.Method.BALLOT:
        raise ValidationError(_("Nội dung này bỏ phiếu trên giấy: hãy nhập kết quả kiểm phiếu."))
    _require_ready(item)
    _require_quorum(item, selectors.electorate(item))
    # The counters exist before the first ballot, in a fixed order: their rows say nothing of who
    # voted when.
    BallotCount.objects.bulk_create([BallotCount(item=item, choice=c) for c in BallotCount.Choice.values])
    item.status = transition.target
    item.save()
    workflow_event_emit(kind="council.voting_opened", record=item, actor=user, key=f"council.voting:{item.pk}")
    return item


@transaction.atomic
def ballot_cast(*, user, item: AgendaItem, choice: str) -> None:
    """A present, non-recused member casts a secret ballot: the register of who voted and the
    counter of the choice are written; nothing written links the two."""
    if choice not in BallotCount.Choice.values:
        raise ValidationError(_("Phiếu không hợp lệ."))
    item = _locked_item(item)
    council = item.session.council
    perms.require_council_view(user, council)
    seat = perms.council_seat(user, council)
    if seat is None:
        raise PermissionDenied(_("Chỉ thành viên Hội đồng được bỏ phiếu."))
    if item.status != IS.VOTING:
        raise ValidationError(_("Nội dung này không đang bỏ phiếu."))
    e = selectors.electorate(item)
    if seat not in e.present:
        raise ValidationError(_("Bạn đã khai báo xung đột lợi ích với nội dung này.") if seat in e.recused
                              else _("Bạn không có tên trong danh sách có mặt."))
    try:
        with transaction.atomic():
            VoteCast.objects.create(item=item, member=seat)
    except IntegrityError as exc:
        raise ValidationError(_("Bạn đã bỏ phiếu cho nội dung này.")) from exc
    BallotCount.objects.filter(item=item, choice=choice).update(count=F("count") + 1)


def _conclude(item: AgendaItem, *, agree: int, disagree: int, abstain: int, e: selectors.ItemElectorate,
              actor) -> None:
    # The conclusion is part of the record (minutes, decision): written in Vietnamese whatever the
    # language of the secretary's screen.
    with translation.override("vi"):
        _write_conclusion(item, agree=agree, disagree=disagree, abstain=abstain, e=e, actor=actor)


def _write_conclusion(item: AgendaItem, *, agree: int, disagree: int, abstain: int,
                      e: selectors.ItemElectorate, actor) -> None:
    council = item.session.council
    rule = selectors.pass_rule_for(item.form, council.level)
    passed = selectors.item_passes(rule, agree=agree, members=len(e.members), present=len(e.present))
    item.agree, item.disagree, item.abstain = agree, disagree, abstain
    item.members_total, item.members_present = len(e.members), len(e.present)
    item.rule_text = rule.describe()[:200]
    item.outcome = AgendaItem.Outcome.PASSED if passed else AgendaItem.Outcome.FAILED
    tally_text = _("%(agree)s/%(members)s thành viên đồng ý (%(present)s có mặt; %(disagree)s không đồng ý, "
                   "%(abstain)s không biểu quyết); yêu cầu: %(rule)s") % {
        "agree": agree, "members": len(e.members), "present": len(e.present), "disagree": disagree,
        "abstain": abstain, "rule": item.rule_text}
    item.conclusion = (_("Đạt: %(tally)s.") if passed else _("Không đạt: %(tally)s.")) % {"tally": tally_text}
    item.status = IS.CLOSED
    item.save()
    if item.kind == AgendaItem.Kind.COMMENDATION and not passed:
        # Returned to the proposing body with the tally as the reason (shown in the proposal's history).
        AwardEvent.objects.create(proposal_id=item.subject.proposal_id, subject=item.subject,
                                  action="council_return", comment=item.conclusion)
    if item.kind == AgendaItem.Kind.MODEL and passed:
        _recognise(item, actor)
    # Told to whoever proposed it, on their own record (the council's pages are not theirs to open).
    record = item.model if item.kind == AgendaItem.Kind.MODEL else item.subject.proposal
    title = _("Hội đồng thi đua – khen thưởng xét “%(item)s”: %(outcome)s") % {
        "item": item.title, "outcome": item.get_outcome_display()}
    workflow_event_emit(kind="council.item_closed", record=record, actor=actor, comment=item.conclusion,
                        title=title, key=f"council.item_closed:{item.pk}")


def _recognise(item: AgendaItem, actor) -> None:
    """A passing model is recognised at the council's level, by the council's unit, through the
    models registry's own service (its rules, its event, its notification)."""
    from models_registry import services as model_services
    from models_registry import workflow as model_workflow

    council = item.session.council
    model = type(item.model).objects.select_related("unit").get(pk=item.model_id)
    if not model_workflow.recognisable_at(model, council.level):
        return  # already recognised at this level or higher meanwhile: nothing to add
    model_services.model_recognise(model=model, user=actor, on=item.session.date, council=council,
                                   comment=_("Theo kết luận của %(council)s.") % {"council": council})


@transaction.atomic
def item_close(*, user, item: AgendaItem) -> AgendaItem:
    """The secretary closes the ballot: the tally appears, is judged by the pass rule and is final."""
    item = _locked_item(item)
    perms.require_council_role(user, item.session.council, *RUNNERS)
    wf.check_transition(wf.ITEM_TRANSITIONS, "close", item.status)
    counts = dict(item.ballot_counts.values_list("choice", "count"))
    _conclude(item, agree=counts.get("agree", 0), disagree=counts.get("disagree", 0),
              abstain=counts.get("abstain", 0), e=selectors.electorate(item), actor=user)
    return item


@transaction.atomic
def paper_tally_enter(*, user, item: AgendaItem, agree: int, disagree: int, abstain: int,
                      counting_committee: list[str]) -> AgendaItem:
    """The secretary enters the counting committee's tally of a paper ballot; the item closes."""
    item = _locked_item(item)
    perms.require_council_role(user, item.session.council, *RUNNERS)
    wf.check_transition(wf.ITEM_TRANSITIONS, "paper_tally", item.status)
    if item.method != AgendaItem.Method.PAPER:
        raise ValidationError(_("Nội dung này bỏ phiếu kín trên cổng."))
    _require_ready(item)
    e = selectors.electorate(item)
    _require_quorum(item, e)
    names = [nfc(n).strip() for n in counting_committee if nfc(n).strip()]
    if not names:
        raise ValidationError(_("Hãy ghi họ tên các thành viên Ban kiểm phiếu."))
    if min(agree, disagree, abstain) < 0 or agree + disagree + abstain > len(e.present):
        raise ValidationError(_("Tổng số phiếu (%(total)s) không được vượt số thành viên có mặt được bỏ phiếu "
                                "(%(present)s).") % {"total": agree + disagree + abstain, "present": len(e.present)})
    item.counting_committee = "\n".join(names)
    _conclude(item, agree=agree, disagree=disagree, abstain=abstain, e=e, actor=user)
    return item


# --- Model evaluation ------------------------------------------------------------------------------

@transaction.atomic
def evaluator_assign(*, user, session: Session, evaluator, rubric, is_expert: bool = False) -> Evaluator:
    """Appoint a member or an expert to score the session's models on a rubric; they are told."""
    perms.require_council_planner(user, session.council)
    if session.status == Session.Status.CLOSED:
        raise ValidationError(_("Phiên họp đã kết thúc."))
    current = Evaluator.objects.filter(session=session, user=evaluator).first()
    if current is not None and current.submitted:
        raise ValidationError(_("Người này đã nộp kết quả chấm: không đổi được bộ tiêu chí."))
    ev, created = Evaluator.objects.update_or_create(session=session, user=evaluator,
                                                     defaults={"rubric": rubric, "is_expert": is_expert})
    if created:
        workflow_event_emit(kind="council.evaluation_assigned", record=session, actor=user, users=[evaluator],
                            comment=rubric.name, url=reverse("councils:evaluation_grid", args=[session.pk]))
    return ev


@transaction.atomic
def evaluator_remove(*, user, evaluator: Evaluator) -> None:
    """Withdraw an appointment that has not been submitted (the evaluator's scores go with it)."""
    perms.require_council_planner(user, evaluator.session.council)
    if evaluator.submitted:
        raise ValidationError(_("Người này đã nộp kết quả chấm: không rút phân công được."))
    evaluator.delete()


def _evaluation_target(user, item: AgendaItem) -> tuple[Evaluator, AgendaItem]:
    item = _locked_item(item)
    evaluator = selectors.evaluator_of(item.session, user)
    if evaluator is None:
        perms.require_session_view(user, item.session)
        raise PermissionDenied(_("Bạn không được phân công chấm điểm phiên họp này."))
    if evaluator.submitted:
        raise ValidationError(_("Bạn đã nộp kết quả chấm: không thể sửa điểm."))
    if item.kind != AgendaItem.Kind.MODEL or item.score_final or item.is_closed:
        raise ValidationError(_("Nội dung này không chấm điểm được."))
    if item.conflicts.filter(user=user).exists():
        raise ValidationError(_("Bạn đã khai báo xung đột lợi ích với nội dung này."))
    return evaluator, item


@transaction.atomic
def evaluation_score_save(*, user, item: AgendaItem, criterion_id: int, raw) -> EvaluationScore | None:
    """One cell of an evaluator's grid (the pledge grid's rules: 0..max, step 0.5, comma or point)."""
    evaluator, item = _evaluation_target(user, item)
    criterion = RubricCriterion.objects.filter(rubric=evaluator.rubric_id, pk=criterion_id).first()
    if criterion is None:
        raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của bạn."))
    key = dict(evaluator=evaluator, item=item, criterion=criterion)
    if raw is None or str(raw).strip() == "":
        EvaluationScore.objects.filter(**key).delete()
        return None
    value = scoring.cell_value(raw, max_score=criterion.max_score)
    score, _created = EvaluationScore.objects.update_or_create(**key, defaults={"value": value})
    return score


@transaction.atomic
def evaluation_submit(*, user, session: Session) -> Evaluator:
    """An evaluator submits: every cell of every model they are not recused from is scored."""
    evaluator = selectors.evaluator_of(session, user)
    if evaluator is None:
        raise PermissionDenied(_("Bạn không được phân công chấm điểm phiên họp này."))
    evaluator = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    if evaluator.submitted:
        raise ValidationError(_("Bạn đã nộp kết quả chấm rồi."))
    _criteria, rows = selectors.evaluation_grid(session, evaluator)
    remaining = selectors.evaluation_remaining(rows)
    if remaining:
        raise ValidationError(_("Còn %(remaining)s ô chưa chấm.") % {"remaining": remaining})
    evaluator.submitted = True
    evaluator.save(update_fields=["submitted"])
    return evaluator


@transaction.atomic
def discussion_post(*, user, item: AgendaItem, text: str) -> DiscussionPost:
    """A post in the thread of an item (evaluators and members), before its score is final."""
    perms.require_session_view(user, item.session)
    if selectors.evaluator_of(item.session, user) is None and perms.council_seat(user, item.session.council) is None:
        raise PermissionDenied(_("Chỉ người chấm và thành viên Hội đồng được thảo luận."))
    text = nfc(text).strip()
    if not text:
        raise ValidationError(_("Hãy nhập ý kiến."))
    if item.score_final:
        raise ValidationError(_("Điểm đã chốt."))
    return DiscussionPost.objects.create(item=item, author=user, text=text[:5000])


@transaction.atomic
def evaluation_finalise(*, user, item: AgendaItem) -> AgendaItem:
    """The secretary or chair makes an item's score final: every evaluator submitted, and a flagged
    item (evaluators far apart) discussed first."""
    item = _locked_item(item)
    perms.require_council_role(user, item.session.council, *RUNNERS)
    if item.score_final:
        raise ValidationError(_("Điểm đã chốt."))
    if item.session.evaluators.filter(submitted=False).exists():
        raise ValidationError(_("Còn người chấm chưa nộp kết quả."))
    _evaluators, rows, threshold = selectors.evaluation_results(item.session)
    row = next(r for r in rows if r.item.pk == item.pk)
    if row.result.mean is None:
        raise ValidationError(_("Chưa có điểm nào cho nội dung này."))
    if row.result.disagreement and not row.posts:
        raise ValidationError(_("Điểm chênh lệch vượt ngưỡng %(threshold)s: hãy thảo luận trước khi chốt.")
                              % {"threshold": plain_number(threshold)})
    item.score_final = True
    item.score_mean = Decimal(str(round(row.result.mean, 2)))
    item.save()
    return item


# --- Public consultation ----------------------------------------------------------------------------

FEEDBACK_PER_HOUR = 3  # per sender and consultation


class RateLimited(ValidationError):
    """Too many comments from one address: the page answers 429."""


FEEDBACK_PER_DAY = 10  # per sender, all consultations


@transaction.atomic
def consultation_publish(*, user, item: AgendaItem, opens_on: dt.date) -> Consultation:
    """Publish a candidate on the public site for the form's number of working days."""
    perms.require_council_role(user, item.session.council, *RUNNERS)
    setting = selectors.form_setting(item.form)
    if setting is None or not setting.public_consultation:
        raise ValidationError(_("Hình thức này không cần lấy ý kiến nhân dân."))
    closes_on = calendar.add_working_days(opens_on, setting.consultation_working_days)
    consultation, _created = Consultation.objects.update_or_create(
        item=item, defaults={"opens_on": opens_on, "closes_on": closes_on,
                             "working_days": setting.consultation_working_days})
    return consultation


def client_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


@transaction.atomic
def feedback_submit(*, consultation: Consultation, text: str, client_address: str, name: str = "",
                    contact: str = "") -> Feedback:
    """A citizen's comment, held for moderation; at most FEEDBACK_PER_HOUR an hour per candidate and
    FEEDBACK_PER_DAY a day from one address."""
    today = timezone.localdate()
    if not (consultation.opens_on <= today <= consultation.closes_on):
        raise ValidationError(_("Thời hạn góp ý đã hết hoặc chưa bắt đầu."))
    text = nfc(text).strip()
    if len(text) < 10:
        raise ValidationError(_("Hãy viết ý kiến (ít nhất 10 ký tự)."))
    key = client_hash(client_address)
    now = timezone.now()
    recent = Feedback.objects.filter(client_hash=key)
    if (recent.filter(consultation=consultation, created_at__gte=now - dt.timedelta(hours=1)).count()
            >= FEEDBACK_PER_HOUR or recent.filter(created_at__gte=now - dt.timedelta(days=1)).count()
            >= FEEDBACK_PER_DAY):
        raise RateLimited(_("Bạn đã gửi nhiều ý kiến trong thời gian ngắn; vui lòng thử lại sau."))
    feedback = Feedback.objects.create(consultation=consultation, text=text[:5000], name=nfc(name).strip()[:200],
                                       contact=nfc(contact).strip()[:200], client_hash=key)
    workflow_event_emit(kind="council.feedback_received", record=consultation.item, comment=feedback.text[:500],
                        key=f"council.feedback:{feedback.pk}")
    return feedback


@transaction.atomic
def feedback_moderate(*, user, feedback: Feedback, approve: bool) -> Feedback:
    perms.require_council_role(user, feedback.consultation.item.session.council, *RUNNERS)
    feedback.status = Feedback.Status.APPROVED if approve else Feedback.Status.REJECTED
    feedback.moderated_by = user
    feedback.save(update_fields=["status", "moderated_by"])
    return feedback


# --- Minutes and decisions --------------------------------------------------------------------------

MINUTES_KIND = "council-minutes"


def minutes_issue(*, user, session: Session, signer=None, recipients=None):
    """Issue the session's minutes (biên bản) through the documents register: numbered, PDF and DOCX."""
    from documents.services import document_issue

    perms.require_council_role(user, session.council, *RUNNERS)
    if session.minutes_id:
        raise ValidationError(_("Biên bản của phiên họp đã được ban hành."))
    if session.items.exclude(status=IS.CLOSED).exists():
        raise ValidationError(_("Còn nội dung chưa có kết quả."))
    with translation.override("vi"):
        recipients = recipients if recipients is not None else [_("Các thành viên Hội đồng"), _("Lưu hồ sơ")]
        summary = _("Biên bản họp %(council)s") % {"council": session.council.name}
    entry = document_issue(user=user, kind=MINUTES_KIND, params={"session_id": session.pk},
                           unit=session.council.unit, date=session.date, signer=signer,
                           recipients=recipients, summary=summary)
    Session.objects.filter(pk=session.pk).update(minutes=entry)
    session.minutes = entry
    workflow_event_emit(kind="council.minutes_issued", record=session, actor=user, comment=entry.symbol,
                        url=reverse("documents:entry", args=[entry.pk]), key=f"council.minutes:{session.pk}")
    return entry


def decision_issue_from_council(*, user, proposal: AwardProposal, date: dt.date, signer=None, recipients=()):
    """Issue the decision on a proposal with the council's conclusions as its outcomes."""
    from documents.services import decision_issue

    outcomes = selectors.council_outcomes(proposal)
    missing = set(proposal.subjects.values_list("pk", flat=True)) - set(outcomes)
    if missing:
        raise ValidationError(_("Còn đối tượng của đề nghị chưa được Hội đồng xét."))
    return decision_issue(user=user, proposal=proposal, outcomes=outcomes, date=date, signer=signer,
                          recipients=recipients)

