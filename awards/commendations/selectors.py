"""Reads for commendations, the 15/10 dashboard and the reports (over models_registry data too).

Report builders run in the worker without a user: the functions taking a `unit` read that unit's
subtree; the views check the user's scope (portal.permissions) before calling them.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from models_registry.models import DvkModel, ModelField, ProgressReport, RecognitionLevel, State
from portal import permissions as perms
from portal.units.models import Phase, Unit

from ..models import (
    AnnualResult,
    AwardDecision,
    AwardForm,
    AwardProposal,
    AwardSubject,
    Occasion,
    Pledge,
    Praise,
    ReviewRound,
)
from . import workflow as cwf

# How a report rolls a subtree up: today's tree (merged units under their successors) or the tree
# as it stood on 15/10 of the report's year.
ROLLUP_NOW = "now"
ROLLUP_THEN = "then"

SS = AwardSubject.Status
RUNNING = (State.REGISTERED, State.EVALUATED, State.RECOGNISED)


def vn_int(value) -> str:
    """1234567 -> "1.234.567" (Vietnamese thousands separator)."""
    return f"{int(value or 0):,}".replace(",", ".")


def vn_dec(value, places: int = 2) -> str:
    """87.5 -> "87,50"."""
    return f"{float(value):.{places}f}".replace(".", ",")


# --- Proposals ------------------------------------------------------------------------------------

def proposals_visible_to(user, *, year: int | None = None, status: str = "") -> QuerySet[AwardProposal]:
    """Proposals made in the user's subtree or to be decided by it."""
    prefix = perms.scope_path(user)
    qs = AwardProposal.objects.all()
    if prefix is None:
        qs = qs.none()
    elif prefix:
        qs = qs.filter(Q(unit__path__startswith=prefix) | Q(decider_unit__path__startswith=prefix))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("unit", "decider_unit", "phase", "created_by", "decision")
            .annotate(n_subjects=Count("subjects")).order_by("-year", "-id"))


def proposals_to_decide(user) -> QuerySet[AwardProposal]:
    """Submitted proposals this user's body decides."""
    qs = proposals_visible_to(user, status=AwardProposal.Status.SUBMITTED)
    return [p for p in qs if cwf.can_decide(user, p)]


def proposal_detail(user, pk: int) -> AwardProposal:
    """One proposal the user may see (its subtree, or the deciding body's), else 404."""
    from django.http import Http404

    proposal = (AwardProposal.objects.select_related("unit", "decider_unit", "phase", "created_by")
                .filter(pk=pk).first())
    if proposal is None or not cwf.can_see(user, proposal):
        raise Http404
    return proposal


def proposal_subjects(proposal: AwardProposal) -> QuerySet[AwardSubject]:
    return proposal.subjects.select_related("unit", "model", "person", "decision").order_by("order", "id")


def _years_of(proposal: AwardProposal) -> tuple[int, int]:
    if proposal.occasion == Occasion.PHASE_FINAL:
        return proposal.phase.start_year, proposal.phase.end_year
    return proposal.year, proposal.year


def candidate_models(proposal: AwardProposal) -> QuerySet[DvkModel]:
    """Models of the proposing unit's subtree for the occasion, judged effective or recognised."""
    first, last = _years_of(proposal)
    return (
        DvkModel.objects.filter(unit__path__startswith=proposal.unit.path, year__gte=first, year__lte=last)
        .filter(Q(state=State.RECOGNISED) | Q(state=State.EVALUATED, is_effective=True))
        .select_related("unit").order_by("-recognition_level", "name", "id")
    )


def candidate_pledges(proposal: AwardProposal) -> QuerySet[Pledge]:
    """Accepted pledges (individual exemplars and collectives) of the subtree, best ranked first."""
    first, last = _years_of(proposal)
    return (
        Pledge.objects.filter(unit__path__startswith=proposal.unit.path, year__gte=first, year__lte=last,
                              status=Pledge.Status.ACCEPTED)
        .select_related("person", "unit", "content", "annual_result")
        .order_by("annual_result__rank", "person__full_name", "collective_name", "id")
    )


def model_reason(model: DvkModel) -> str:
    """The record of a model in one sentence: field, recognition, replication, results."""
    parts = [f"Mô hình lĩnh vực {ModelField(model.field).label.lower()}, năm {model.year}"]
    if model.recognition_level:
        parts.append(f"được công nhận {RecognitionLevel(model.recognition_level).label.lower()}"
                     + (f" ngày {model.recognised_on:%d/%m/%Y}" if model.recognised_on else ""))
    elif model.is_effective:
        parts.append("được đánh giá hiệu quả")
    replicated = DvkModel.objects.filter(replicated_from=model, state__in=RUNNING).count()
    if replicated:
        parts.append(f"được nhân rộng tại {replicated} đơn vị")
    totals = ProgressReport.objects.filter(model=model).aggregate(
        people=Coalesce(Sum("people_reached"), 0), beneficiaries=Coalesce(Sum("beneficiaries"), 0),
        money=Coalesce(Sum("money_raised"), 0), works=Coalesce(Sum("works_built"), 0))
    results = []
    if totals["people"]:
        results.append(f"tuyên truyền, vận động {vn_int(totals['people'])} lượt người")
    if totals["beneficiaries"]:
        results.append(f"{vn_int(totals['beneficiaries'])} người hưởng lợi")
    if totals["money"]:
        results.append(f"vận động {vn_int(totals['money'])} đồng")
    if totals["works"]:
        results.append(f"{vn_int(totals['works'])} công trình, phần việc")
    if results:
        parts.append("kết quả: " + ", ".join(results))
    return "; ".join(parts) + "."


def pledge_reason(pledge: Pledge) -> str:
    """The record of a pledge holder in the year: annual score and rank, praise received."""
    result = AnnualResult.objects.filter(pledge=pledge).first()
    parts = [f"Đăng ký thi đua năm {pledge.year}: {pledge.content.title}"]
    if result and result.mean_total is not None:
        parts.append(f"điểm bình quân cả năm {vn_dec(result.mean_total)}/100"
                     + (f", xếp hạng {result.rank}" if result.rank else "")
                     + f" qua {result.quarters_reviewed} quý đánh giá")
    praised = Praise.objects.filter(pledge=pledge).count()
    if praised:
        parts.append(f"được biểu dương {praised} lần trong năm")
    return "; ".join(parts) + "."


# --- Commended subjects ---------------------------------------------------------------------------

def commended(unit: Unit, *, occasion: str, year: int, include_revoked: bool = False,
              rollup: str = ROLLUP_NOW) -> QuerySet[AwardSubject]:
    """Approved subjects of the subtree's proposals for an occasion, by form and level."""
    statuses = [SS.APPROVED, SS.REVOKED] if include_revoked else [SS.APPROVED]
    return (
        AwardSubject.objects.filter(in_subtree(unit, "proposal__unit", year=year, rollup=rollup),
                                    occasion=occasion, year=year, status__in=statuses)
        .select_related("unit", "decision")
        .order_by("-level", "form", "kind", "unit__path", "name", "id")
    )


def decisions_of(unit: Unit, *, occasion: str, year: int) -> QuerySet[AwardDecision]:
    """Decisions the unit's bodies made for an occasion (the unit's own, not its subtree's)."""
    return (AwardDecision.objects.filter(unit=unit, proposal__occasion=occasion, proposal__year=year)
            .select_related("proposal__unit", "unit").order_by("date", "id"))


def latest_decision(unit: Unit, year: int) -> AwardDecision | None:
    """The unit's latest 15/10 decision of `year`, else the latest one in its subtree."""
    own = decisions_of(unit, occasion=Occasion.DAY_1510, year=year).last()
    if own is not None:
        return own
    return (AwardDecision.objects.filter(unit__path__startswith=unit.path, proposal__year=year)
            .order_by("date", "id").last())


def latest_year() -> int | None:
    """The latest year with models or commendations."""
    years = [DvkModel.objects.order_by("-year").values_list("year", flat=True).first(),
             AwardSubject.objects.order_by("-year").values_list("year", flat=True).first()]
    years = [y for y in years if y]
    return max(years) if years else None


# --- The 15/10 dashboard --------------------------------------------------------------------------

@dataclass
class Figures:
    unit: Unit
    year: int
    models_total: int = 0
    by_field: list = field(default_factory=list)  # [(label, n)]
    by_state: list = field(default_factory=list)  # [(label, n)]
    field_state: list = field(default_factory=list)  # [(field label, [n per state], total)]
    states: list = field(default_factory=list)  # state labels in column order
    recognised: int = 0
    recognised_by_level: list = field(default_factory=list)
    replicated: int = 0
    praised_by_quarter: list = field(default_factory=list)  # [("Quý 1", n)]
    proposals_by_status: list = field(default_factory=list)
    subjects_by_status: list = field(default_factory=list)
    commended_by_form: list = field(default_factory=list)
    decisions: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.models_total or sum(n for _, n in self.praised_by_quarter)
                    or sum(n for _, n in self.proposals_by_status))


def in_subtree(unit: Unit, field: str, *, year: int, rollup: str = ROLLUP_NOW) -> Q:
    """Records of `unit`'s subtree through `field` (a path to a unit FK): today's tree, where merged
    units stand under their successors (ROLLUP_NOW), or the tree as it stood on 15/10 of `year`."""
    if rollup == ROLLUP_THEN:
        from portal.units.selectors import subtree_ids_as_of

        return Q(**{f"{field}_id__in": subtree_ids_as_of(unit, dt.date(year, 10, 15))})
    return Q(**{f"{field}__path__startswith": unit.path})


def figures_1510(unit: Unit, year: int, rollup: str = ROLLUP_NOW) -> Figures:
    """The 15/10 figures of a subtree and year, in a fixed number of queries."""
    fig = Figures(unit=unit, year=year)
    models = DvkModel.objects.filter(in_subtree(unit, "unit", year=year, rollup=rollup), year=year).exclude(
        state=State.DRAFT)
    states = [s for s in State if s != State.DRAFT]
    grid = OrderedDict((f.value, OrderedDict((s.value, 0) for s in states)) for f in ModelField)
    for row in models.values("field", "state").annotate(n=Count("id")).order_by():
        grid.setdefault(row["field"], OrderedDict((s.value, 0) for s in states))[row["state"]] = row["n"]
    fig.states = [s.label for s in states]
    fig.field_state = [(ModelField(f).label, list(cols.values()), sum(cols.values())) for f, cols in grid.items()]
    fig.by_field = [(label, total) for label, _cols, total in fig.field_state]
    fig.by_state = [(s.label, sum(grid[f][s.value] for f in grid)) for s in states]
    fig.models_total = sum(n for _, n in fig.by_field)
    levels = dict(models.filter(state=State.RECOGNISED).values_list("recognition_level")
                  .annotate(n=Count("id")).order_by())
    fig.recognised_by_level = [(lv.label, levels.get(lv.value, 0)) for lv in RecognitionLevel]
    fig.recognised = sum(levels.values())
    fig.replicated = models.filter(replicated_from__isnull=False, state__in=RUNNING).count()
    praised = dict(
        Praise.objects.filter(in_subtree(unit, "round__unit", year=year, rollup=rollup), round__year=year)
        .values_list("round__quarter").annotate(n=Count("pledge", distinct=True)).order_by()
    )
    fig.praised_by_quarter = [(f"Quý {q}", praised.get(q, 0)) for q in range(1, 5)]
    proposals = dict(
        AwardProposal.objects.filter(in_subtree(unit, "unit", year=year, rollup=rollup), year=year,
                                     occasion=Occasion.DAY_1510)
        .values_list("status").annotate(n=Count("id")).order_by()
    )
    fig.proposals_by_status = [(s.label, proposals.get(s.value, 0)) for s in AwardProposal.Status]
    subjects = AwardSubject.objects.filter(in_subtree(unit, "proposal__unit", year=year, rollup=rollup),
                                           year=year, occasion=Occasion.DAY_1510)
    by_status = dict(subjects.values_list("status").annotate(n=Count("id")).order_by())
    fig.subjects_by_status = [(s.label, by_status.get(s.value, 0)) for s in SS]
    by_form = dict(subjects.filter(status=SS.APPROVED).values_list("form").annotate(n=Count("id")).order_by())
    fig.commended_by_form = [(f.label, by_form.get(f.value, 0)) for f in AwardForm]
    fig.decisions = (AwardDecision.objects.filter(in_subtree(unit, "proposal__unit", year=year, rollup=rollup),
                                                  proposal__year=year, proposal__occasion=Occasion.DAY_1510).count())
    return fig


# --- Year and phase summaries ---------------------------------------------------------------------

def year_row(unit: Unit, year: int) -> dict:
    """The figures of one year for the summaries (sơ kết, tổng kết)."""
    models = DvkModel.objects.filter(unit__path__startswith=unit.path, year=year).exclude(state=State.DRAFT)
    counts = models.aggregate(
        total=Count("id"), running=Count("id", filter=Q(state__in=RUNNING)),
        recognised=Count("id", filter=Q(state=State.RECOGNISED)),
        replicated=Count("id", filter=Q(replicated_from__isnull=False)),
    )
    pledges = Pledge.objects.filter(unit__path__startswith=unit.path, year=year, status=Pledge.Status.ACCEPTED)
    counts["pledges"] = pledges.count()
    counts["rounds"] = ReviewRound.objects.filter(unit__path__startswith=unit.path, year=year,
                                                  status=ReviewRound.Status.CLOSED).count()
    counts["praised"] = Praise.objects.filter(round__unit__path__startswith=unit.path, round__year=year).count()
    counts["commended"] = AwardSubject.objects.filter(proposal__unit__path__startswith=unit.path, year=year,
                                                      status=SS.APPROVED).count()
    counts["year"] = year
    return counts


def praised_of_year(unit: Unit, year: int) -> QuerySet[Praise]:
    return (Praise.objects.filter(round__unit__path__startswith=unit.path, round__year=year)
            .select_related("pledge__person", "round__unit")
            .order_by("round__quarter", "round__unit__path", "pledge__person__full_name", "id"))


def recognised_models(unit: Unit, first: int, last: int) -> QuerySet[DvkModel]:
    return (DvkModel.objects.filter(unit__path__startswith=unit.path, year__gte=first, year__lte=last,
                                    state=State.RECOGNISED)
            .select_related("unit").order_by("-recognition_level", "year", "unit__path", "name", "id"))


def phase_of(year: int) -> Phase | None:
    return Phase.for_year(year)

