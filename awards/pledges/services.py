"""Writes of pledges and their review rounds: each service checks the rules in `workflow.py`,
runs in one transaction and, for a workflow step, writes an event row (who, when, comment)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import permissions as perms
from portal import scoring
from portal.inputs import clean_text
from portal.text import fold, nfc
from portal.workflow_events import workflow_event_emit

from ..models import (
    AnnualResult,
    CommendationProposal,
    Pledge,
    PledgeCommitment,
    PledgeContent,
    PledgeEvent,
    PledgeReminder,
    Praise,
    ReviewComment,
    ReviewConflict,
    ReviewRound,
    ReviewRoundEvent,
    RubricCriterion,
    Score,
    ScoreSubmission,
    SelfAssessment,
)
from . import selectors
from . import workflow as wf

PS = Pledge.Status
RS = ReviewRound.Status

# The plan's two contents (seeds/000, 1.3), created for a phase that has none yet.
DEFAULT_CONTENTS = [
    ("chuyen-mon", "Chủ động, trách nhiệm, hiệu quả cao",
     "Xây dựng điển hình trong thực hiện nhiệm vụ chuyên môn."),
    ("hoc-tap-lam-theo", "Gương mẫu, tận tụy; nỗ lực học tập, rèn luyện nâng cao trình độ, năng lực công tác",
     "Xây dựng điển hình trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."),
]
# Default rubric per content code: (name, description, weight, max score).
DEFAULT_RUBRIC = {
    "chuyen-mon": [
        ("Mức độ hoàn thành cam kết", "Các việc đã cam kết được thực hiện đúng hạn, đạt chỉ tiêu đo được.", 40, 10),
        ("Chủ động, sáng tạo", "Chủ động đề xuất, có cách làm mới, giải pháp hay trong chuyên môn.", 20, 10),
        ("Tinh thần trách nhiệm", "Tận tâm với công việc, phối hợp tốt, không để chậm trễ.", 20, 10),
        ("Hiệu quả, sức lan tỏa", "Kết quả được ghi nhận, có thể nhân rộng trong cơ quan.", 20, 10),
    ],
    "hoc-tap-lam-theo": [
        ("Mức độ hoàn thành cam kết", "Các việc đã cam kết được thực hiện đúng hạn, đạt chỉ tiêu đo được.", 40, 10),
        ("Gương mẫu, tận tụy", "Nêu gương trong lời nói, việc làm; tận tụy với nhân dân, đồng nghiệp.", 30, 10),
        ("Học tập, rèn luyện", "Tham gia học tập, bồi dưỡng, nâng cao trình độ, năng lực công tác.", 30, 10),
    ],
}
GENERIC_RUBRIC = DEFAULT_RUBRIC["chuyen-mon"]


def _pledge_event(pledge: Pledge, *, actor, action: str, from_status: str, comment: str = "") -> None:
    PledgeEvent.objects.create(pledge=pledge, actor=actor, action=action, from_status=from_status,
                               to_status=pledge.status, comment=comment)


def _round_event(rnd: ReviewRound, *, actor, action: str, comment: str = "") -> None:
    ReviewRoundEvent.objects.create(round=rnd, actor=actor, action=action, comment=comment)


# --- Contents -------------------------------------------------------------------------------------

@transaction.atomic
def contents_ensure_defaults(*, phase) -> list[PledgeContent]:
    """Create the plan's two contents for `phase` when it has none (idempotent)."""
    if not PledgeContent.objects.filter(phase=phase).exists():
        for order, (code, title, description) in enumerate(DEFAULT_CONTENTS, start=1):
            PledgeContent.objects.create(phase=phase, code=code, title=title, description=description, order=order)
    return list(PledgeContent.objects.filter(phase=phase))


# --- Pledges --------------------------------------------------------------------------------------

def _clean_commitments(commitments: list[dict]) -> list[dict]:
    rows = [
        {k: nfc(str(c.get(k, ""))).strip() for k in ("what", "due", "measure")}
        for c in commitments
        if any(str(c.get(k, "")).strip() for k in ("what", "due", "measure"))
    ]
    if not rows:
        raise ValidationError(_("Cần ít nhất một cam kết cụ thể (việc gì, thời hạn, cách đo kết quả)."))
    for row in rows:
        if not all(row.values()):
            raise ValidationError(_("Mỗi cam kết cần đủ: việc cam kết, thời hạn và cách đo kết quả."))
    return rows


def _write_commitments(pledge: Pledge, rows: list[dict]) -> None:
    pledge.commitments.all().delete()
    PledgeCommitment.objects.bulk_create(
        [PledgeCommitment(pledge=pledge, order=i, **row) for i, row in enumerate(rows)]
    )


DUPLICATE_PLEDGE = gettext_lazy("Mỗi người chỉ đăng ký một bản mỗi năm: {who} đã có bản đăng ký năm {year}.")
DUPLICATE_COLLECTIVE = gettext_lazy("Tập thể “{who}” đã có bản đăng ký năm {year} tại đơn vị này.")


@transaction.atomic
def pledge_create(
    *, user, year: int, content: PledgeContent, commitments: list[dict], goal: str = "",
    collective_name: str = "", submit: bool = False,
) -> Pledge:
    """Register a pledge for the user (or, with `collective_name`, for a collective of their unit)."""
    perms.require_role(user, *selectors.PLEDGING_ROLES)
    if user.unit_id is None:
        raise ValidationError(_("Tài khoản chưa thuộc đơn vị nào nên chưa thể đăng ký."))
    perms.require_unit_open(user.unit)
    phase = selectors.phase_for_year(year)
    if phase is None or content.phase_id != phase.pk or not content.is_active:
        raise ValidationError(_("Nội dung đăng ký không thuộc giai đoạn của năm đã chọn."))
    rows = _clean_commitments(commitments)
    collective_name = nfc(collective_name).strip()
    pledge = Pledge(
        phase=phase, year=year, unit_id=user.unit_id, content=content, goal=nfc(goal).strip(),
        created_by=user,
    )
    if collective_name:
        pledge.kind, pledge.collective_name = Pledge.Kind.COLLECTIVE, collective_name
        duplicate = Pledge.objects.filter(unit_id=user.unit_id, year=year, person__isnull=True,
                                          collective_folded=fold(collective_name)).exists()
        message = DUPLICATE_COLLECTIVE.format(who=collective_name, year=year)
    else:
        pledge.kind, pledge.person = Pledge.Kind.INDIVIDUAL, user
        duplicate = Pledge.objects.filter(person=user, year=year).exists()
        message = DUPLICATE_PLEDGE.format(who=user, year=year)
    if duplicate:
        raise ValidationError(message)
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError as exc:  # two tabs submitting at the same moment
        raise ValidationError(message) from exc
    _write_commitments(pledge, rows)
    _pledge_event(pledge, actor=user, action="create", from_status="")
    if submit:
        pledge = pledge_submit(user=user, pledge=pledge)
    return pledge


@transaction.atomic
def pledge_update(
    *, user, pledge: Pledge, content: PledgeContent, commitments: list[dict], goal: str = "",
) -> Pledge:
    """Edit a draft or returned pledge (its holder only)."""
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not wf.can_edit_pledge(user, pledge):
        raise PermissionDenied(_("Bản đăng ký này không sửa được (đã gửi hoặc không phải của bạn)."))
    if content.phase_id != pledge.phase_id or not content.is_active:
        raise ValidationError(_("Nội dung đăng ký không thuộc giai đoạn của bản đăng ký."))
    rows = _clean_commitments(commitments)
    pledge.content = content
    pledge.goal = nfc(goal).strip()
    pledge.save()
    _write_commitments(pledge, rows)
    return pledge


def _pledge_step(user, pledge: Pledge, name: str, comment: str = "") -> Pledge:
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("unit", "person").get(pk=pledge.pk)
    transition = wf.check_transition(wf.PLEDGE_TRANSITIONS, name, pledge.status)
    source = pledge.status
    pledge.status = transition.target
    now = timezone.now()
    if name == "submit":
        pledge.submitted_at = now
    else:
        pledge.decided_at = now
        pledge.review_comment = comment
    pledge.save()
    _pledge_event(pledge, actor=user, action=name, from_status=source, comment=comment)
    workflow_event_emit(kind=f"pledge.{wf.PLEDGE_EVENT_KINDS[name]}", record=pledge, actor=user, comment=comment)
    return pledge


@transaction.atomic
def pledge_submit(*, user, pledge: Pledge) -> Pledge:
    """Send a pledge to the Union Executive Committee of its unit."""
    if not wf.can_edit_pledge(user, pledge):
        raise PermissionDenied(_("Chỉ người đăng ký mới gửi được bản đăng ký này."))
    return _pledge_step(user, pledge, "submit")


@transaction.atomic
def pledge_accept(*, user, pledge: Pledge, comment: str = "") -> Pledge:
    """The committee accepts a submitted pledge."""
    wf.require_union_of(user, pledge.unit)
    return _pledge_step(user, pledge, "accept", nfc(comment).strip())


@transaction.atomic
def pledge_return(*, user, pledge: Pledge, comment: str) -> Pledge:
    """The committee returns a submitted pledge with comments (required)."""
    wf.require_union_of(user, pledge.unit)
    comment = nfc(comment).strip()
    if not comment:
        raise ValidationError(_("Khi trả lại, hãy ghi rõ nội dung cần bổ sung."))
    return _pledge_step(user, pledge, "return", comment)


def _notify(person, *, title: str, body: str, url: str, key: str) -> str:
    """Tell a person: through the plans app's notification centre (which also emails) when it is
    installed, else by email alone; returns the channel used."""
    try:
        from plans.services import notify
    except ImportError:
        notify = None
    if notify is not None:
        notify(user=person, title=title, body=body, url=url, key=key)
        return "portal"
    if person.email:
        send_mail(title, f"{body}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [person.email])
    return "email"


def can_comment_pledge(user, pledge: Pledge) -> bool:
    """The holder and the people who deal with a pledge talk on it: its union committee, Party cell
    and leadership of the subtree."""
    if pledge.person_id == user.pk or pledge.created_by_id == user.pk:
        return True
    return perms.unit_in_scope(user, pledge.unit) and perms.has_role(user, perms.UNION, perms.CELL, perms.LEADER)


@transaction.atomic
def pledge_comment(*, user, pledge: Pledge, comment: str) -> PledgeEvent:
    """A message in the pledge's thread; the holder and the committee answer each other."""
    if not can_comment_pledge(user, pledge):
        raise PermissionDenied(_("Bạn không tham gia trao đổi về bản đăng ký này."))
    comment = nfc(comment).strip()
    if not comment:
        raise ValidationError(_("Vui lòng nhập nội dung."))
    event = PledgeEvent.objects.create(pledge=pledge, actor=user, action="comment", from_status=pledge.status,
                                       to_status=pledge.status, comment=comment)
    workflow_event_emit(kind="pledge.commented", record=pledge, actor=user, comment=comment)
    return event


@transaction.atomic
def pledge_remind(*, user, unit, year: int, person_ids: list[int] | None = None) -> int:
    """Remind people of `unit` without a pledge for `year` (all, or those listed); once a day each."""
    wf.require_union_of(user, unit)
    people = selectors.unregistered_people(unit, year)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    today = timezone.localdate()
    already = set(PledgeReminder.objects.filter(year=year, sent_on=today, person__in=people)
                  .values_list("person_id", flat=True))
    sent = 0
    url = reverse("awards:pledge_create")
    for person in people:
        if person.pk in already:
            continue
        channel = _notify(
            person,
            title=f"Nhắc đăng ký thi đua “Dân vận khéo” năm {year}",
            body=(f"Kính gửi {person}, đồng chí chưa có bản đăng ký thực hiện phong trào thi đua "
                  f"“Dân vận khéo” năm {year}. Đề nghị đồng chí đăng ký trên cổng thông tin."),
            url=url, key=f"awards:remind:{person.pk}:{year}:{today:%Y%m%d}",
        )
        PledgeReminder.objects.create(unit=unit, year=year, person=person, sent_by=user, sent_on=today,
                                      channel=channel)
        sent += 1
    return sent


# --- Rounds ---------------------------------------------------------------------------------------

@transaction.atomic
def round_create(*, user, year: int, quarter: int, meeting_date: dt.date | None = None) -> ReviewRound:
    """Open a draft round for the user's own unit, with the default rubric; the user chairs it."""
    unit = user.unit
    if unit is None:
        raise PermissionDenied(_("Tài khoản chưa thuộc đơn vị nào."))
    wf.require_union_of(user, unit)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Quý phải từ 1 đến 4."))
    phase = selectors.phase_for_year(year)
    if phase is None:
        raise ValidationError(_('Năm %(year)s không thuộc giai đoạn nào của phong trào.') % {"year": year})
    if ReviewRound.objects.filter(unit=unit, year=year, quarter=quarter).exists():
        raise ValidationError(_('Đơn vị đã có đợt đánh giá quý %(quarter)s/%(year)s.') % {"quarter": quarter, "year": year})
    try:
        with transaction.atomic():
            rnd = ReviewRound.objects.create(unit=unit, phase=phase, year=year, quarter=quarter, chair=user,
                                             meeting_date=meeting_date)
    except IntegrityError as exc:
        raise ValidationError(_('Đơn vị đã có đợt đánh giá quý %(quarter)s/%(year)s.') % {"quarter": quarter, "year": year}) from exc
    criteria = []
    for content in contents_ensure_defaults(phase=phase):
        for order, (name, description, weight, max_score) in enumerate(
            DEFAULT_RUBRIC.get(content.code, GENERIC_RUBRIC)
        ):
            criteria.append(RubricCriterion(round=rnd, content=content, name=name, description=description,
                                            weight=weight, max_score=max_score, order=order))
    RubricCriterion.objects.bulk_create(criteria)
    _round_event(rnd, actor=user, action="create")
    return rnd


def _locked_round(rnd: ReviewRound) -> ReviewRound:
    return ReviewRound.objects.select_for_update().select_related("unit").get(pk=rnd.pk)


@transaction.atomic
def rubric_save(*, user, rnd: ReviewRound, rows: list[dict]) -> None:
    """Replace the rubric of a draft round: rows with `id` update, without create, missing delete."""
    rnd = _locked_round(rnd)
    wf.require_union_of(user, rnd.unit)
    if rnd.status != RS.DRAFT:
        raise ValidationError(_("Bộ tiêu chí đã cố định từ khi mở đợt đánh giá."))
    keep = []
    for order, row in enumerate(rows):
        fields = dict(content_id=row["content"].pk, name=nfc(row["name"]).strip(),
                      description=nfc(row.get("description", "")).strip(), weight=row["weight"],
                      max_score=row["max_score"], order=order)
        if row.get("id"):
            RubricCriterion.objects.filter(round=rnd, pk=row["id"]).update(**fields)
            keep.append(row["id"])
        else:
            keep.append(RubricCriterion.objects.create(round=rnd, **fields).pk)
    RubricCriterion.objects.filter(round=rnd).exclude(pk__in=keep).delete()
    _round_event(rnd, actor=user, action="rubric")


@transaction.atomic
def round_open(*, user, rnd: ReviewRound, comment: str = "") -> ReviewRound:
    """Open a round: its rubric freezes, people self-assess and members score."""
    rnd = _locked_round(rnd)
    wf.require_union_of(user, rnd.unit)
    transition = wf.check_transition(wf.ROUND_TRANSITIONS, "open", rnd.status)
    contents = set(selectors.round_pledges(rnd).values_list("content_id", flat=True))
    covered = set(RubricCriterion.objects.filter(round=rnd).values_list("content_id", flat=True))
    if contents - covered:
        raise ValidationError(_("Mỗi nội dung đăng ký trong đợt cần ít nhất một tiêu chí."))
    rnd.status, rnd.opened_at = transition.target, timezone.now()
    rnd.save()
    _round_event(rnd, actor=user, action="open", comment=nfc(comment).strip())
    workflow_event_emit(kind="round.opened", record=rnd, actor=user, comment=comment)
    return rnd


@transaction.atomic
def round_close(*, user, rnd: ReviewRound, comment: str = "") -> ReviewRound:
    """The chair closes a round: from then on it is read-only."""
    rnd = _locked_round(rnd)
    wf.require_chair(user, rnd)
    transition = wf.check_transition(wf.ROUND_TRANSITIONS, "close", rnd.status)
    rnd.status, rnd.closed_at = transition.target, timezone.now()
    rnd.save()
    _round_event(rnd, actor=user, action="close", comment=nfc(comment).strip())
    workflow_event_emit(kind="round.closed", record=rnd, actor=user, comment=comment)
    return rnd


@transaction.atomic
def self_assessment_save(*, user, rnd: ReviewRound, pledge: Pledge, achievements: str, evidence: str
                         ) -> SelfAssessment:
    """The pledge holder writes (or rewrites) their self-assessment while the round is open."""
    rnd = _locked_round(rnd)
    if pledge.person_id != user.pk and not (pledge.person_id is None and pledge.created_by_id == user.pk):
        raise PermissionDenied(_("Chỉ người đăng ký mới tự đánh giá bản đăng ký của mình."))
    if pledge.unit_id != rnd.unit_id or pledge.year != rnd.year or pledge.status != PS.ACCEPTED:
        raise ValidationError(_("Bản đăng ký này không thuộc đợt đánh giá."))
    if rnd.status != RS.OPEN:
        raise ValidationError(_("Chỉ tự đánh giá được khi đợt đánh giá đang mở."))
    achievements, evidence = nfc(achievements).strip(), nfc(evidence).strip()
    if not achievements or not evidence:
        raise ValidationError(_("Hãy nêu kết quả đạt được và minh chứng."))
    assessment, _created = SelfAssessment.objects.update_or_create(
        round=rnd, pledge=pledge, defaults={"achievements": achievements, "evidence": evidence, "author": user}
    )
    return assessment


# --- Scores ---------------------------------------------------------------------------------------

# Stated beside the fields of the grid and the results page.
COMMENT_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000


def _scoring_target(user, rnd: ReviewRound, pledge_id: int) -> tuple[ReviewRound, Pledge]:
    """Lock the round and check that `user` may still score `pledge_id` in it."""
    wf.require_scorer(user, rnd)
    rnd = _locked_round(rnd)
    if rnd.status != RS.OPEN:
        raise ValidationError(_("Đợt đánh giá không mở để chấm điểm.") if rnd.status == RS.DRAFT
                              else _("Đợt đánh giá đã kết thúc: không thể sửa điểm."))
    if ScoreSubmission.objects.filter(round=rnd, member=user).exists():
        raise ValidationError(_("Bạn đã nộp kết quả chấm của đợt này: không thể sửa điểm."))
    pledge = selectors.round_pledges(rnd).filter(pk=pledge_id).first()
    if pledge is None:
        raise ValidationError(_("Bản đăng ký không thuộc đợt đánh giá này."))
    if pledge.person_id == user.pk:
        raise ValidationError(_("Không tự chấm điểm bản đăng ký của chính mình."))
    if ReviewConflict.objects.filter(round=rnd, member=user, pledge=pledge).exists():
        raise ValidationError(_("Bạn đã khai báo xung đột lợi ích với bản đăng ký này: không chấm điểm."))
    return rnd, pledge


@transaction.atomic
def conflict_declare(*, user, rnd: ReviewRound, pledge_id: int, reason: str) -> ReviewConflict:
    """A member declares a conflict of interest with any pledge of the round (not only their own):
    their scores and comment on it are removed and the row leaves their grid and the results."""
    rnd, pledge = _scoring_target(user, rnd, pledge_id)
    reason = nfc(reason).strip()[:500]
    if not reason:
        raise ValidationError(_("Hãy nêu lý do xung đột lợi ích."))
    Score.objects.filter(round=rnd, member=user, pledge=pledge).delete()
    ReviewComment.objects.filter(round=rnd, member=user, pledge=pledge).delete()
    conflict = ReviewConflict.objects.create(round=rnd, member=user, pledge=pledge, reason=reason)
    _round_event(rnd, actor=user, action="conflict", comment=f"{pledge.holder_name}: {reason}")
    return conflict


@transaction.atomic
def score_save(*, user, rnd: ReviewRound, pledge_id: int, criterion_id: int, raw) -> Score | None:
    """Save one cell of the grid (an empty value clears it). Upsert: a cell is stored once."""
    rnd, pledge = _scoring_target(user, rnd, pledge_id)
    criterion = RubricCriterion.objects.filter(round=rnd, pk=criterion_id, content_id=pledge.content_id).first()
    if criterion is None:
        raise ValidationError(_("Tiêu chí không thuộc bộ tiêu chí của nội dung này."))
    key = dict(round=rnd, member=user, pledge=pledge, criterion=criterion)
    if raw is None or str(raw).strip() == "":
        Score.objects.filter(**key).delete()
        return None
    value = scoring.cell_value(raw, max_score=criterion.max_score)
    # The round row is locked, and the unique constraint (round, member, pledge, criterion)
    # backs update_or_create, so a double click or two tabs never store a cell twice.
    score, _created = Score.objects.update_or_create(**key, defaults={"value": value})
    return score


@transaction.atomic
def comment_save(*, user, rnd: ReviewRound, pledge_id: int, text: str) -> ReviewComment:
    """Save a member's comment on one row of the grid."""
    text = clean_text(text, max_length=COMMENT_MAX_LENGTH, label=_("Nhận xét"))
    rnd, pledge = _scoring_target(user, rnd, pledge_id)
    comment, _created = ReviewComment.objects.update_or_create(
        round=rnd, member=user, pledge=pledge, defaults={"text": text}
    )
    return comment


@transaction.atomic
def scores_submit(*, user, rnd: ReviewRound) -> ScoreSubmission:
    """A member submits their scores: complete, final, and from now on they see the others'."""
    wf.require_scorer(user, rnd)
    rnd = _locked_round(rnd)
    if rnd.status != RS.OPEN:
        raise ValidationError(_("Đợt đánh giá không mở để nộp kết quả chấm."))
    if ScoreSubmission.objects.filter(round=rnd, member=user).exists():
        raise ValidationError(_("Bạn đã nộp kết quả chấm của đợt này rồi."))
    remaining = selectors.grid_remaining(selectors.scoring_grid(rnd, user))
    if remaining:
        raise ValidationError(_('Còn %(remaining)s ô chưa chấm: hãy chấm đủ trước khi nộp (điểm 0 cũng là điểm).') % {"remaining": remaining})
    submission = ScoreSubmission.objects.create(round=rnd, member=user)
    _round_event(rnd, actor=user, action="submit")
    workflow_event_emit(kind="round.scores_submitted", record=rnd, actor=user)
    return submission


# --- Praise, annual results and proposals ---------------------------------------------------------

@transaction.atomic
def praise_select(*, user, rnd: ReviewRound, pledge: Pledge, reason: str) -> Praise:
    """The chair selects a pledge of the round to praise at the periodic meeting, with a reason."""
    rnd = _locked_round(rnd)
    wf.require_chair(user, rnd)
    if rnd.status != RS.OPEN:
        raise ValidationError(_("Chỉ chọn biểu dương khi đợt đánh giá đang mở (đợt đã kết thúc thì chỉ xem)."))
    if not selectors.round_pledges(rnd).filter(pk=pledge.pk).exists():
        raise ValidationError(_("Bản đăng ký không thuộc đợt đánh giá này."))
    reason = clean_text(reason, max_length=REASON_MAX_LENGTH, label=_("Lý do biểu dương"))
    if not reason:
        raise ValidationError(_("Hãy ghi lý do biểu dương."))
    if Praise.objects.filter(round=rnd, pledge=pledge).exists():
        raise ValidationError(_('%(holder_name)s đã được chọn biểu dương trong đợt này.') % {"holder_name": pledge.holder_name})
    praise = Praise.objects.create(round=rnd, pledge=pledge, reason=reason, selected_by=user)
    _round_event(rnd, actor=user, action="praise", comment=f"{pledge.holder_name}: {reason}")
    workflow_event_emit(kind="praise.selected", record=pledge, actor=user, comment=f"{rnd}: {reason}")
    return praise


@transaction.atomic
def praise_remove(*, user, rnd: ReviewRound, pledge: Pledge) -> None:
    """The chair withdraws a praise selection while the round is open."""
    rnd = _locked_round(rnd)
    wf.require_chair(user, rnd)
    if rnd.status != RS.OPEN:
        raise ValidationError(_("Đợt đánh giá đã kết thúc: không thể sửa danh sách biểu dương."))
    Praise.objects.filter(round=rnd, pledge=pledge).delete()
    _round_event(rnd, actor=user, action="praise_remove", comment=pledge.holder_name)


@transaction.atomic
def annual_results_compute(*, user, unit, year: int) -> list[AnnualResult]:
    """Roll the closed rounds of `year` up into one result per accepted pledge (idempotent).

    Annual total = mean of the quarterly mean totals; annual normalised score = mean of the
    quarterly normalised scores; ranked with ties like a quarter.
    """
    wf.require_union_of(user, unit)
    rounds = list(ReviewRound.objects.filter(unit=unit, year=year, status=RS.CLOSED))
    per_pledge: dict[int, dict[str, list[float]]] = {}
    for rnd in rounds:
        _members, rows = selectors.round_results(rnd)
        for row in rows:
            if row.result.mean is None:
                continue
            entry = per_pledge.setdefault(row.pledge.pk, {"total": [], "z": []})
            entry["total"].append(row.result.mean)
            entry["z"].append(row.result.mean_z)
    praise_counts = dict(
        Praise.objects.filter(round__in=rounds).values("pledge_id").annotate(n=Count("id"))
        .values_list("pledge_id", "n")
    )
    pledges = Pledge.objects.filter(unit=unit, year=year, status=PS.ACCEPTED)
    means_z = {pid: sum(v["z"]) / len(v["z"]) for pid, v in per_pledge.items()}
    ranks = scoring.competition_rank(means_z)
    results = []
    for pledge in pledges:
        entry = per_pledge.get(pledge.pk)
        result, _created = AnnualResult.objects.update_or_create(
            pledge=pledge,
            defaults=dict(
                unit=unit, year=year,
                quarters_reviewed=len(entry["total"]) if entry else 0,
                mean_total=round(Decimal(sum(entry["total"]) / len(entry["total"])), 2) if entry else None,
                mean_z=round(Decimal(means_z[pledge.pk]), 4) if entry else None,
                praise_count=praise_counts.get(pledge.pk, 0),
                rank=ranks.get(pledge.pk),
            ),
        )
        results.append(result)
    if results:
        workflow_event_emit(kind="annual.computed", record=results[0], actor=user, comment=str(year))
    return results


@transaction.atomic
def proposal_create(*, user, result: AnnualResult, reason: str) -> CommendationProposal:
    """The committee proposes a pledge holder to the Party cell for commendation on 15/10."""
    wf.require_union_of(user, result.unit)
    perms.require_unit_open(result.unit)
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do đề xuất khen thưởng."))
    proposal, created = CommendationProposal.objects.get_or_create(
        result=result, defaults=dict(unit=result.unit, year=result.year, reason=reason, proposed_by=user)
    )
    if not created:
        if proposal.status == CommendationProposal.Status.PROPOSED:
            raise ValidationError(_("Đã đề xuất khen thưởng cho bản đăng ký này."))
        proposal.status, proposal.reason, proposal.proposed_by = CommendationProposal.Status.PROPOSED, reason, user
        proposal.save()
    workflow_event_emit(kind="proposal.created", record=proposal, actor=user, comment=reason)
    return proposal


@transaction.atomic
def proposal_withdraw(*, user, proposal: CommendationProposal) -> CommendationProposal:
    """Withdraw a proposal before the Party cell decides."""
    wf.require_union_of(user, proposal.unit)
    proposal.status = CommendationProposal.Status.WITHDRAWN
    proposal.save()
    workflow_event_emit(kind="proposal.withdrawn", record=proposal, actor=user)
    return proposal
