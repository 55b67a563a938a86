"""The deadlines of the model registry: the registration deadline and the quarterly progress reports.

Discovered by `plans.reminders.discover()`. Recipients are resolved at every pass from the data
as it is then (who is staff of the unit, which models are registered, which reports exist), in a
fixed number of queries for the whole province, so a unit that has registered, a model that has
reported or been evaluated, or a person who left the unit is reminded no more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from plans import dates
from plans.reminders import Deadline
from portal.accounts.models import RoleCode
from portal.units.models import Phase, Unit

from .models import (
    RUNNING_STATES,
    DvkModel,
    ModelEvent,
    ProgressReport,
    RegistrationDeadline,
    State,
)
from .selectors import DEFAULT_DEADLINE

# A unit has registered for a year once one of its models was sent (waiting for approval or later).
REGISTERED_STATES = (State.SUBMITTED, *RUNNING_STATES)
OPEN_DRAFT_STATES = (State.DRAFT, State.RETURNED)


def _years(start: dt.datetime, end: dt.datetime, before: int = 0) -> list[int]:
    return list(range(dates.localtime(start).year - before, dates.localtime(end).year + 1))


def _phase_years(years: list[int]) -> set[int]:
    """The years among `years` that belong to a phase of the movement (one query)."""
    spans = [(p.start_year, p.end_year) for p in Phase.all_cached()]
    return {y for y in years if any(a <= y <= b for a, b in spans)}


class _UnitPeople:
    """Active staff and leadership of active units, with the units' paths and names (one query)."""

    def __init__(self, *, unit_ids=None, roles=(RoleCode.STAFF, RoleCode.LEADER)):
        self.units: dict[int, tuple[str, str]] = {}  # id -> (path, name)
        self.by_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        rows = get_user_model().objects.filter(
            is_active=True, unit__is_active=True, roles__code__in=roles
        )
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        for pk, unit_id, path, name, code in rows.values_list(
            "pk", "unit_id", "unit__path", "unit__name", "roles__code"
        ):
            self.units[unit_id] = (path, name)
            self.by_role[(unit_id, code)].add(pk)

    def staff(self, unit_id: int) -> frozenset[int]:
        return frozenset(self.by_role.get((unit_id, RoleCode.STAFF), ()))

    def leaders(self, unit_id: int) -> frozenset[int]:
        return frozenset(self.by_role.get((unit_id, RoleCode.LEADER), ()))


def registration_deadlines(paths: dict[int, str], years: list[int]) -> dict[tuple[int, int], dt.date]:
    """`selectors.deadline_for` for many units at once: each unit's own deadline of the year,
    else its nearest ancestor's, else 9 April (one query for all units)."""
    step = Unit.steplen
    set_dates = {
        (path, year): date
        for path, year, date in RegistrationDeadline.objects.filter(year__in=years).values_list(
            "unit__path", "year", "date"
        )
    }
    found = {}
    for unit_id, path in paths.items():
        for year in years:
            date = None
            for length in range(len(path), 0, -step):
                date = set_dates.get((path[:length], year))
                if date is not None:
                    break
            found[(unit_id, year)] = date or dt.date(year, *DEFAULT_DEADLINE)
    return found


class RegistrationDeadlineSource:
    """Hạn đăng ký mô hình: each unit's staff (`canbo`) are reminded of the registration deadline
    of the year (`deadline_for`: the unit's own, an ancestor's, else 9 April; due at the start of
    that day, "trước ngày") until the unit has a model of that year sent for approval or approved.
    After the deadline staff can no longer submit, so there are no overdue repeats: the unit's
    leadership is told the day after, since only they may let a late registration through."""

    kind = "model_registration_deadline"
    label = "Hạn đăng ký mô hình “Dân vận khéo”"
    default_schedule = {
        "days_before": [14, 7, 1], "remind_overdue": False, "repeat_overdue_days": 0,
        "max_overdue_days": 0, "escalate_after_days": 1,
    }

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        years = _years(start, end)
        years = sorted(_phase_years(years)) if years else []
        if not years:
            return []
        if user is not None and not user.unit_id:
            return []
        people = _UnitPeople(unit_ids=[user.unit_id] if user is not None else None)
        paths = {unit_id: path for unit_id, (path, _name) in people.units.items() if people.staff(unit_id)}
        if not paths:
            return []
        due_dates = registration_deadlines(paths, years)
        due = {
            key: dates.local_midnight(day) for key, day in due_dates.items()
            if start <= dates.local_midnight(day) < end
        }
        if not due:
            return []
        candidates = DvkModel.objects.filter(unit_id__in={u for u, _ in due}, year__in={y for _, y in due})
        done = set(candidates.filter(state__in=REGISTERED_STATES).values_list("unit_id", "year").distinct())
        drafts = {}
        for pk, unit_id, year in candidates.filter(state__in=OPEN_DRAFT_STATES).order_by("pk").values_list(
            "pk", "unit_id", "year"
        ):
            drafts[(unit_id, year)] = pk  # the latest proposal not sent yet
        found = []
        for (unit_id, year), due_at in sorted(due.items()):
            if (unit_id, year) in done:
                continue
            draft = drafts.get((unit_id, year))
            url = reverse("models_registry:detail", args=[draft]) if draft else reverse("models_registry:create")
            day = due_dates[(unit_id, year)]
            found.append(
                Deadline(
                    key=f"models_registry.registration:{unit_id}:{year}", due_at=due_at,
                    recipients=people.staff(unit_id),
                    title=f"Đăng ký mô hình “Dân vận khéo” năm {year} – {people.units[unit_id][1]}",
                    url=url, kind=self.kind, escalate_to=people.leaders(unit_id),
                    detail=(
                        f"Hạn gửi đăng ký: trước ngày {day:%d/%m/%Y}. "
                        + ("Đơn vị đã có bản nháp chưa gửi đăng ký." if draft
                           else "Đơn vị chưa có mô hình nào được gửi đăng ký.")
                    ),
                )
            )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


def _quarter(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First day of the quarter and first day after it."""
    first = dt.date(year, 3 * quarter - 2, 1)
    after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, after


class ProgressReportSource:
    """Báo cáo tiến độ mô hình: a model that is registered (approved and running in its year, not
    yet evaluated) reports each quarter of its year. The report of a quarter is due at the end of
    the quarter (the start of the next quarter's first day) and counts as done once the model has
    a progress report whose period overlaps that quarter. Quarters that ended before the model
    started (its start date) or before it was approved are not asked for. Recipients: the active
    staff (`canbo`) of the model's unit; escalation to the unit's leadership."""

    kind = "model_progress_report"
    label = "Báo cáo tiến độ mô hình “Dân vận khéo” hằng quý"
    default_schedule = {
        "days_before": [7], "remind_overdue": True, "repeat_overdue_days": 7,
        "max_overdue_days": 28, "escalate_after_days": 14,
    }

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        # The end of Q4 of a year is 1 January of the next: look one year back.
        quarters = [
            (year, q) for year in _years(start, end, before=1) for q in (1, 2, 3, 4)
            if start <= dates.local_midnight(_quarter(year, q)[1]) < end
        ]
        if not quarters:
            return []
        if user is not None and not user.unit_id:
            return []
        approved = ModelEvent.objects.filter(model=OuterRef("pk"), action=ModelEvent.Action.APPROVE)
        models = DvkModel.objects.filter(
            state=State.REGISTERED, year__in={y for y, _ in quarters}, unit__is_active=True
        ).annotate(approved_at=Subquery(approved.order_by("-at").values("at")[:1]))
        if user is not None:
            models = models.filter(unit_id=user.unit_id)
        rows = list(models.values_list("pk", "name", "unit_id", "year", "start_date", "approved_at"))
        if not rows:
            return []
        ids = [r[0] for r in rows]
        reported = defaultdict(list)
        for model_id, first, last in ProgressReport.objects.filter(model_id__in=ids).values_list(
            "model_id", "period_start", "period_end"
        ):
            reported[model_id].append((first, last))
        people = _UnitPeople(unit_ids={r[2] for r in rows})
        found = []
        for pk, name, unit_id, year, start_date, approved_at in rows:
            recipients = people.staff(unit_id)
            if not recipients:
                continue
            for q_year, quarter in quarters:
                if q_year != year:
                    continue
                first, after = _quarter(year, quarter)
                due_at = dates.local_midnight(after)
                if start_date and start_date >= after:
                    continue  # not started in that quarter
                if approved_at and approved_at >= due_at:
                    continue  # approved after the quarter ended
                if any(a < after and b >= first for a, b in reported[pk]):
                    continue  # a report covers the quarter
                found.append(
                    Deadline(
                        key=f"models_registry.progress:{pk}:{year}-Q{quarter}", due_at=due_at,
                        recipients=recipients,
                        title=f"Báo cáo tiến độ quý {quarter}/{year} của mô hình “{name}”",
                        # The model's page: staff add the report there, the leadership told of it reads it.
                        url=reverse("models_registry:detail", args=[pk]), kind=self.kind,
                        escalate_to=people.leaders(unit_id),
                        detail=(
                            f"Báo cáo kết quả thực hiện mô hình từ ngày {first:%d/%m/%Y} "
                            f"đến ngày {after - dt.timedelta(days=1):%d/%m/%Y}, kèm minh chứng."
                        ),
                    )
                )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


def deadline_sources() -> list:
    return [RegistrationDeadlineSource(), ProgressReportSource()]
