"""Reads of pledges and their review rounds: scoped querysets, the data of the grid and results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal import permissions as perms
from portal import scoring
from portal.accounts.models import User
from portal.text import fold
from portal.units.models import Phase

from ..models import (
    AnnualResult,
    Pledge,
    PledgeContent,
    Praise,
    ReviewComment,
    ReviewConflict,
    ReviewRound,
    RubricCriterion,
    Score,
    ScoreSubmission,
    SelfAssessment,
)

PLEDGING_ROLES = (perms.STAFF, perms.UNION, perms.CELL, perms.LEADER)


def phase_for_year(year: int) -> Phase | None:
    """The phase a year belongs to."""
    return Phase.for_year(year)


def contents_for_year(year: int) -> QuerySet[PledgeContent]:
    """The active contents a person may choose from in `year`."""
    return PledgeContent.objects.filter(
        phase__start_year__lte=year, phase__end_year__gte=year, is_active=True
    ).order_by("order", "id")


def pledges_visible_to(user, *, search: str = "", year: int | None = None, status: str = "",
                       content_id: int | None = None) -> QuerySet[Pledge]:
    """Pledges of the user's subtree (a person always sees their own), filtered."""
    qs = perms.scope_queryset(Pledge.objects.all(), user, public_q=Q(person_id=user.pk))
    if search:
        qs = qs.filter(search_folded__contains=fold(search))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if content_id:
        qs = qs.filter(content_id=content_id)
    return qs.select_related("unit", "person", "content").order_by("-year", "unit__name", "person__full_name", "id")


def pledge_detail(user, pk: int) -> Pledge:
    """One pledge the user may see (their own, or one of their subtree), else 404."""
    qs = Pledge.objects.select_related("unit", "person", "content", "phase", "created_by").prefetch_related(
        "commitments", "events__actor"
    )
    pledge = get_object_or_404(qs, pk=pk)
    if pledge.person_id != user.pk and not perms.unit_in_scope(user, pledge.unit):
        raise Http404
    return pledge


def own_pledges(user) -> QuerySet[Pledge]:
    """The user's own pledges, newest first."""
    return Pledge.objects.filter(person=user).select_related("content", "unit").order_by("-year")


def people_to_pledge(unit) -> QuerySet[User]:
    """The people of a unit expected to register a pledge."""
    return (
        User.objects.filter(unit=unit, is_active=True, roles__code__in=PLEDGING_ROLES)
        .distinct()
        .order_by("full_name", "username")
    )


def unregistered_people(unit, year: int) -> QuerySet[User]:
    """People of `unit` who have no pledge for `year` (any status counts as registered)."""
    return people_to_pledge(unit).exclude(pledges__year=year)


def rounds_visible_to(user, *, year: int | None = None) -> QuerySet[ReviewRound]:
    """Review rounds of the user's subtree, with their pledge and praise counts."""
    qs = perms.scope_queryset(ReviewRound.objects.all(), user)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("unit", "chair").annotate(praise_count=Count("praises", distinct=True)).order_by(
        "-year", "-quarter", "unit__name"
    )


def round_detail(user, pk: int) -> ReviewRound:
    """One round inside the user's subtree, else 404."""
    return perms.get_scoped_or_404(ReviewRound.objects.select_related("unit", "chair", "phase"), user, pk=pk)


def round_pledges(rnd: ReviewRound) -> QuerySet[Pledge]:
    """The pledges a round reviews: the accepted pledges of its unit and year."""
    return (
        Pledge.objects.filter(unit_id=rnd.unit_id, year=rnd.year, status=Pledge.Status.ACCEPTED)
        .select_related("person", "content")
        .order_by("content__order", "person__full_name", "collective_name", "id")
    )


def round_members(rnd: ReviewRound) -> QuerySet[User]:
    """The Union Executive Committee members who score a round (its unit's `congdoan`)."""
    # Anyone who scored counts too: a merged unit's old rounds were scored by people now elsewhere.
    # The two sets as a UNION of ids, each read from its index (an OR of them reads every user:
    # 71 ms at nation5 with 95,000 people).
    members = User.objects.filter(unit_id=rnd.unit_id, is_active=True, roles__code=perms.UNION).values("pk")
    scorers = ScoreSubmission.objects.filter(round=rnd).values("member_id")
    return (
        User.objects.filter(pk__in=members.union(scorers))
        .annotate(
            submitted=Exists(ScoreSubmission.objects.filter(round=rnd, member=OuterRef("pk"))),
        )
        .order_by("full_name", "username")
    )


def has_submitted(rnd: ReviewRound, user) -> bool:
    return ScoreSubmission.objects.filter(round=rnd, member=user).exists()


@dataclass
class GridRow:
    pledge: Pledge
    own: bool
    scores: dict  # criterion id -> value
    comment: str
    self_assessment: SelfAssessment | None
    cells: list = field(default_factory=list)  # [(criterion, value or None)] in column order
    conflict: ReviewConflict | None = None

    @property
    def excluded(self) -> bool:
        """The member does not score this row: their own pledge, or a declared conflict."""
        return self.own or self.conflict is not None


@dataclass
class GridSection:
    content: PledgeContent
    criteria: list
    rows: list = field(default_factory=list)


def scoring_grid(rnd: ReviewRound, member) -> list[GridSection]:
    """The grid of one member: a section per content, people × criteria, with their saved values.

    A fixed number of queries whatever the number of pledges or members.
    """
    criteria = list(RubricCriterion.objects.filter(round=rnd).select_related("content").order_by(
        "content__order", "content_id", "order", "id"))
    sections: dict[int, GridSection] = {}
    for c in criteria:
        sections.setdefault(c.content_id, GridSection(content=c.content, criteria=[])).criteria.append(c)
    scores: dict[int, dict[int, object]] = defaultdict(dict)
    for pledge_id, criterion_id, value in Score.objects.filter(round=rnd, member=member).values_list(
        "pledge_id", "criterion_id", "value"
    ):
        scores[pledge_id][criterion_id] = value
    comments = dict(ReviewComment.objects.filter(round=rnd, member=member).values_list("pledge_id", "text"))
    assessments = {a.pledge_id: a for a in SelfAssessment.objects.filter(round=rnd)}
    conflicts = {c.pledge_id: c for c in ReviewConflict.objects.filter(round=rnd, member=member)}
    for pledge in round_pledges(rnd):
        section = sections.get(pledge.content_id)
        if section is None:
            continue
        section.rows.append(
            GridRow(
                pledge=pledge,
                own=pledge.person_id == member.pk,
                scores=scores.get(pledge.pk, {}),
                comment=comments.get(pledge.pk, ""),
                self_assessment=assessments.get(pledge.pk),
                cells=[(c, scores.get(pledge.pk, {}).get(c.pk)) for c in section.criteria],
                conflict=conflicts.get(pledge.pk),
            )
        )
    return [s for s in sections.values() if s.rows or s.criteria]


def grid_remaining(sections: list[GridSection]) -> int:
    """Cells still empty in a member's grid (own pledges and declared conflicts excluded)."""
    return sum(
        1 for s in sections for r in s.rows if not r.excluded for c in s.criteria if c.pk not in r.scores
    )


@dataclass
class ResultRow:
    pledge: Pledge
    result: scoring.SubjectResult
    praise: Praise | None
    member_totals: list  # [(member, total or None, z or None)] in member order


def round_results(rnd: ReviewRound) -> tuple[list, list[ResultRow]]:
    """Members and one row per pledge with totals, mean, spread, z and rank (from submitted scores)."""
    criteria = [c.for_scoring(c.content_id) for c in RubricCriterion.objects.filter(round=rnd)]
    pledges = list(round_pledges(rnd))
    # Only submitted scores count: a member's half-done draft never enters the results.
    scores = Score.objects.filter(
        round=rnd, member_id__in=ScoreSubmission.objects.filter(round=rnd).values("member_id")
    ).values_list("member_id", "pledge_id", "criterion_id", "value")
    results = scoring.aggregate(
        criteria=criteria, subject_groups={p.pk: p.content_id for p in pledges}, scores=scores
    )
    members = list(round_members(rnd))
    praises = {p.pledge_id: p for p in Praise.objects.filter(round=rnd).select_related("selected_by")}
    rows = []
    for pledge in pledges:
        result = results[pledge.pk]
        rows.append(
            ResultRow(
                pledge=pledge,
                result=result,
                praise=praises.get(pledge.pk),
                member_totals=[(m, result.totals.get(m.pk), result.z.get(m.pk)) for m in members],
            )
        )
    rows.sort(key=lambda r: (r.result.rank is None, r.result.rank or 0, r.pledge.holder_name))
    return members, rows


RESULT_SHEET_HEADERS = [
    "Hạng", "Cá nhân / tập thể", "Nội dung đăng ký", "Số thành viên chấm", "Điểm bình quân (/100)",
    "Độ lệch chuẩn", "Điểm chuẩn hóa (z)", "Chênh lệch lớn", "Biểu dương", "Lý do biểu dương",
]


def result_sheet_rows(rnd: ReviewRound) -> tuple[list[str], list[list]]:
    """The rows of a round's result sheet: used by the Excel export, and by the PDF report later."""
    _members, rows = round_results(rnd)
    out = []
    for row in rows:
        r = row.result
        out.append([
            r.rank if r.rank is not None else "",
            row.pledge.holder_name,
            row.pledge.content.title,
            r.n,
            round(r.mean, 2) if r.mean is not None else "",
            round(r.std, 2) if r.std is not None else "",
            round(r.mean_z, 3) if r.mean_z is not None else "",
            "Có" if r.disagreement else "",
            "Có" if row.praise else "",
            row.praise.reason if row.praise else "",
        ])
    return RESULT_SHEET_HEADERS, out


def annual_results(user, *, unit, year: int) -> QuerySet[AnnualResult]:
    """The annual results of a unit and year (and of the units merged into it), best first."""
    perms.require_unit(user, unit)
    return (
        AnnualResult.objects.filter(Q(unit=unit) | Q(unit__successor=unit), year=year)
        .select_related("pledge__person", "pledge__content", "proposal")
        .order_by("rank", "pledge__person__full_name")
    )


def proposals_for_cell(user, *, year: int | None = None):
    """Commendation proposals the Party cell receives (for the commendations issue)."""
    from ..models import CommendationProposal

    qs = perms.scope_queryset(CommendationProposal.objects.all(), user).filter(
        status=CommendationProposal.Status.PROPOSED
    )
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("result__pledge__person", "result__pledge__content", "unit", "proposed_by")


def round_progress(rnd: ReviewRound) -> dict:
    """Counts for the round page: pledges, self-assessments, submissions."""
    pledges = round_pledges(rnd)
    return {
        "pledges": pledges.count(),
        "self_assessed": SelfAssessment.objects.filter(round=rnd, pledge__in=pledges).count(),
        "submitted": ScoreSubmission.objects.filter(round=rnd).count(),
    }
