"""Reads of the councils app: scoped querysets, who may vote on an item, pass rules, results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal import permissions as perms
from portal import scoring

from .models import (
    AgendaItem,
    Attendance,
    Consultation,
    Council,
    CouncilMember,
    DiscussionPost,
    EvaluationScore,
    Evaluator,
    Feedback,
    FormSetting,
    PassRule,
    Session,
)

# When no rule is entered for a form and level: more than half of all members agree.
DEFAULT_RULE = PassRule(num=1, den=2, strict=True, base=PassRule.Base.ALL)


def councils_for(user) -> QuerySet[Council]:
    """The councils the user may see, newest term first."""
    return perms.councils_visible_to(user, Council.objects.select_related("unit"))


def council_detail(user, pk: int) -> Council:
    council = get_object_or_404(Council.objects.select_related("unit"), pk=pk)
    perms.require_council_view(user, council)
    return council


def session_detail(user, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("council__unit", "minutes"), pk=pk)
    perms.require_session_view(user, session)
    return session


def item_detail(user, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("session__council__unit", "model", "subject"), pk=pk)
    perms.require_session_view(user, item.session)
    return item


def sessions_evaluated_by(user) -> QuerySet[Session]:
    """The sessions the user is appointed to score (experts reach them from the index)."""
    return (Session.objects.filter(evaluators__user=user).select_related("council__unit")
            .order_by("-date", "-id"))


# --- What may be put before a council ---------------------------------------------------------------

def _on_agenda(council: Council, field: str) -> QuerySet:
    """Ids already before this council: on an agenda and not yet closed, or closed and passed."""
    # Without the NULLs of the other kind: `NOT IN` a list holding NULL matches nothing.
    return (AgendaItem.objects.filter(session__council=council, **{f"{field}__isnull": False})
            .exclude(status=AgendaItem.Status.CLOSED, outcome=AgendaItem.Outcome.FAILED)
            .values(field))


def eligible_models(council: Council) -> QuerySet:
    """Models the council may consider for recognition at its level: of its subtree, evaluated
    effective, not yet recognised at this level or higher, and not already before it."""
    from models_registry.models import DvkModel, State

    return (DvkModel.objects.filter(unit__path__startswith=council.unit.path, is_effective=True,
                                    state__in=[State.EVALUATED, State.RECOGNISED])
            .filter(Q(recognition_level__isnull=True) | Q(recognition_level__lt=council.level))
            .exclude(pk__in=_on_agenda(council, "model_id"))
            .select_related("unit").order_by("unit__path", "name"))


def eligible_subjects(council: Council) -> QuerySet:
    """Subjects of submitted proposals the council's unit decides on, not yet before the council."""
    from awards.models import AwardProposal, AwardSubject

    return (AwardSubject.objects.filter(proposal__decider_unit=council.unit,
                                        proposal__status=AwardProposal.Status.SUBMITTED,
                                        status=AwardSubject.Status.PROPOSED)
            .exclude(pk__in=_on_agenda(council, "subject_id"))
            .select_related("proposal__unit", "unit").order_by("proposal_id", "order", "id"))


def people_for_council(council: Council) -> QuerySet:
    """Who may be seated or appointed to score: people of the council's unit, of the bodies that
    oversee it, and of its departments and units one level below (experts included)."""
    from django.contrib.auth import get_user_model

    unit = council.unit
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(unit=unit) | Q(unit__oversees=unit)
                    | Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1))
            .select_related("unit").order_by("full_name", "id"))


def membership_history(council: Council, limit: int = 100) -> list[dict]:
    """Who was seated, changed or removed, newest first, in the words of `portal.audit` (the
    council's own changes, such as its term, are read with `history_entries(council)`)."""
    from django.contrib.auth import get_user_model

    from portal.audit import display_value

    records = list(CouncilMember.history.filter(council_id=council.pk).select_related("history_user")
                   .order_by("-history_date", "-history_id")[:limit])
    previous_of = {}
    ids = {r.id for r in records if r.history_type == "~"}
    if ids:
        for r in CouncilMember.history.filter(id__in=ids).order_by("history_date", "history_id"):
            previous_of.setdefault(r.id, []).append(r)
    users = get_user_model().objects.in_bulk({r.user_id for r in records})
    entries = []
    for record in records:
        changes = []
        if record.history_type == "~":
            chain = previous_of.get(record.id, [])
            before = [r for r in chain if (r.history_date, r.history_id) < (record.history_date, record.history_id)]
            if before:
                for change in record.diff_against(before[-1]).changes:
                    field = CouncilMember._meta.get_field(change.field)
                    if field.name == "council":
                        continue
                    changes.append({"field": str(field.verbose_name), "old": display_value(field, change.old),
                                    "new": display_value(field, change.new)})
        entries.append({
            "when": record.history_date, "who": record.history_user, "action": record.history_type,
            "member": users.get(record.user_id), "role": CouncilMember.Role(record.role).label,
            "changes": changes,
        })
    return entries


def members_of(council: Council) -> list[CouncilMember]:
    return list(council.members.select_related("user").order_by("order", "id"))


def present_member_ids(session: Session) -> set[int]:
    return set(Attendance.objects.filter(session=session, present=True).values_list("member_id", flat=True))


def recused_user_ids(item: AgendaItem) -> set[int]:
    return set(item.conflicts.values_list("user_id", flat=True))


@dataclass
class ItemElectorate:
    """Who counts for one item: members not recused, and of them those present."""

    members: list[CouncilMember]  # all seats minus the recused
    present: list[CouncilMember]  # present and not recused: they vote
    recused: list[CouncilMember]

    @property
    def quorum_base(self) -> int:
        return len(self.members)


def electorate(item: AgendaItem) -> ItemElectorate:
    council = item.session.council
    seats = members_of(council)
    recused_users = recused_user_ids(item)
    present = present_member_ids(item.session)
    members = [m for m in seats if m.user_id not in recused_users]
    return ItemElectorate(
        members=members,
        present=[m for m in members if m.pk in present],
        recused=[m for m in seats if m.user_id in recused_users],
    )


def quorum_met(item: AgendaItem, e: ItemElectorate | None = None) -> bool:
    e = e or electorate(item)
    return item.session.council.quorum_met(len(e.present), e.quorum_base)


def pass_rule_for(form: str, level: int) -> PassRule:
    """The pass rule of a form at a level (data), or the default: more than half of all members."""
    return PassRule.objects.filter(form=form, level=level).first() or DEFAULT_RULE


def item_passes(rule: PassRule, *, agree: int, members: int, present: int) -> bool:
    """Does `agree` meet the rule? Base: members present (not recused) or all members (not recused)."""
    base = present if rule.base == PassRule.Base.PRESENT else members
    return rule.met(agree, base)


def form_setting(form: str) -> FormSetting | None:
    return FormSetting.objects.filter(form=form).first()


def has_voted(item: AgendaItem, seat: CouncilMember | None) -> bool:
    return seat is not None and item.voters.filter(member=seat).exists()


def tally(item: AgendaItem) -> dict | None:
    """The tally of a closed item; None while voting (tallies appear only when the item closes)."""
    if not item.is_closed:
        return None
    return {"agree": item.agree, "disagree": item.disagree, "abstain": item.abstain,
            "members": item.members_total, "present": item.members_present}


# --- Evaluation -------------------------------------------------------------------------------------

def evaluator_of(session: Session, user) -> Evaluator | None:
    return session.evaluators.select_related("rubric").filter(user=user).first()


def model_items(session: Session) -> list[AgendaItem]:
    return list(session.items.filter(kind=AgendaItem.Kind.MODEL).select_related("model").order_by("order", "id"))


@dataclass
class EvalRow:
    item: AgendaItem
    recused: bool
    cells: list = field(default_factory=list)  # [(criterion, value or None)]

    @property
    def excluded(self) -> bool:
        return self.recused


def evaluation_grid(session: Session, evaluator: Evaluator) -> tuple[list, list[EvalRow]]:
    """The evaluator's grid: criteria and one row per model item, with their saved values."""
    criteria = list(evaluator.rubric.criteria.order_by("order", "id"))
    saved: dict[int, dict[int, object]] = defaultdict(dict)
    for item_id, criterion_id, value in EvaluationScore.objects.filter(evaluator=evaluator).values_list(
        "item_id", "criterion_id", "value"
    ):
        saved[item_id][criterion_id] = value
    items = model_items(session)
    recused = set(
        AgendaItem.objects.filter(pk__in=[i.pk for i in items], conflicts__user=evaluator.user).values_list(
            "pk", flat=True)
    )
    rows = [EvalRow(item=i, recused=i.pk in recused, cells=[(c, saved[i.pk].get(c.pk)) for c in criteria])
            for i in items]
    return criteria, rows


def evaluation_remaining(rows: list[EvalRow]) -> int:
    return sum(1 for r in rows if not r.recused for _c, v in r.cells if v is None)


@dataclass
class EvalResultRow:
    item: AgendaItem
    result: scoring.SubjectResult
    evaluator_totals: list  # [(evaluator, total or None, z or None)]
    posts: list


def evaluation_results(session: Session) -> tuple[list[Evaluator], list[EvalResultRow], float]:
    """Per model item: totals per evaluator, mean, population SD, mean z, rank and the disagreement
    flag, from submitted evaluators only (portal/scoring.py: the engine pledge reviews use too)."""
    evaluators = list(session.evaluators.select_related("user", "rubric").filter(submitted=True).order_by("id"))
    items = model_items(session)
    criteria = []
    seen = set()
    for ev in evaluators:
        if ev.rubric_id in seen:
            continue
        seen.add(ev.rubric_id)
        criteria += [c.for_scoring(ev.rubric_id) for c in ev.rubric.criteria.all()]
    rubric_id = evaluators[0].rubric_id if evaluators else 0
    scores = EvaluationScore.objects.filter(evaluator__in=evaluators, item__in=items).values_list(
        "evaluator_id", "item_id", "criterion_id", "value")
    threshold = float(session.council.disagreement_std)
    results = scoring.aggregate(criteria=criteria, subject_groups={i.pk: rubric_id for i in items}, scores=scores,
                                disagreement_std=threshold)
    posts = defaultdict(list)
    for post in DiscussionPost.objects.filter(item__in=items).select_related("author"):
        posts[post.item_id].append(post)
    rows = [EvalResultRow(item=i, result=results[i.pk], posts=posts[i.pk],
                          evaluator_totals=[(ev, results[i.pk].totals.get(ev.pk), results[i.pk].z.get(ev.pk))
                                            for ev in evaluators]) for i in items]
    return evaluators, rows, threshold


# --- Public consultation ----------------------------------------------------------------------------

def consultations_open(today: dt.date | None = None) -> QuerySet[Consultation]:
    """Candidates on the public site today."""
    today = today or timezone.localdate()
    return (Consultation.objects.filter(opens_on__lte=today, closes_on__gte=today)
            .select_related("item__session__council__unit", "item__model", "item__subject__unit"))


def feedback_summary(consultation: Consultation) -> dict:
    rows = list(consultation.feedback.all())
    approved = [f for f in rows if f.status == Feedback.Status.APPROVED]
    return {"total": len(rows), "approved": approved,
            "pending": sum(1 for f in rows if f.status == Feedback.Status.PENDING),
            "rejected": sum(1 for f in rows if f.status == Feedback.Status.REJECTED)}


# --- Draft decision ---------------------------------------------------------------------------------

def council_outcomes(proposal) -> dict[int, tuple[bool, str]]:
    """The council's conclusions on a proposal's subjects as decision outcomes: passing subjects
    approved, the others returned with the tally as the reason (closed items only)."""
    outcomes = {}
    for item in AgendaItem.objects.filter(subject__proposal=proposal, status=AgendaItem.Status.CLOSED):
        outcomes[item.subject_id] = (item.outcome == AgendaItem.Outcome.PASSED,
                                     "" if item.outcome == AgendaItem.Outcome.PASSED else item.conclusion)
    return outcomes


def draft_decision(session: Session) -> dict:
    """What the session's results put into decisions: per proposal, passing and returned subjects;
    and the models proposed for recognition."""
    proposals: dict = {}
    models = {"passed": [], "failed": []}
    for item in session.items.filter(status=AgendaItem.Status.CLOSED).select_related(
            "subject__proposal__unit", "subject__proposal__decider_unit", "model"):
        passed = item.outcome == AgendaItem.Outcome.PASSED
        if item.kind == AgendaItem.Kind.MODEL:
            models["passed" if passed else "failed"].append(item)
            continue
        entry = proposals.setdefault(item.subject.proposal_id, {"proposal": item.subject.proposal,
                                                                "passed": [], "returned": []})
        entry["passed" if passed else "returned"].append(item)
    for entry in proposals.values():
        # Subjects of the proposal the council has not concluded on (here or at another session).
        outcomes = council_outcomes(entry["proposal"])
        entry["unconsidered"] = [s for s in entry["proposal"].subjects.all() if s.pk not in outcomes]
    return {"proposals": list(proposals.values()), "models": models}
