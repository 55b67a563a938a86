"""The deadlines of plans: plan items, inspection follow-ups and the 15/10 preparation.

Discovered by `plans.reminders.discover()` like any other app's `deadlines.py`. Recipients are
resolved from the current assignment at every pass, in a few queries for the whole window, so a
reassigned item reminds its new people only and a deleted or finished item reminds nobody.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from portal.accounts.models import RoleCode
from portal.units.models import Unit

from . import dates
from .models import CLOSED_STATUSES, DueKind, FollowUp, FollowUpStatus, PlanItem
from .reminders import Deadline


def effective_unit_id(unit: Unit) -> int:
    """Where a unit's people work today: a closed unit hands over to its successor."""
    if not unit.is_active and unit.successor_id:
        return unit.successor_id
    return unit.pk


def units_handing_over_to(unit_id: int | None) -> list[int]:
    """The unit itself and the closed units whose work it took over."""
    if unit_id is None:
        return []
    from portal.memo import memo

    return memo(("units_handing_over_to", unit_id), lambda: [
        unit_id, *Unit.objects.filter(successor_id=unit_id, is_active=False).values_list("pk", flat=True)
    ])


class People:
    """Active people of some units, by unit and role, loaded in one query."""

    def __init__(self, unit_ids: Iterable[int]):
        self.by_unit: dict[int, set[int]] = defaultdict(set)
        self.by_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        ids = set(unit_ids)
        if not ids:
            return
        rows = get_user_model().objects.filter(is_active=True, unit_id__in=ids).values_list(
            "pk", "unit_id", "roles__code"
        )
        for pk, unit_id, code in rows:
            self.by_unit[unit_id].add(pk)
            if code:
                self.by_role[(unit_id, code)].add(pk)

    def with_role(self, unit_ids: Iterable[int], code: str) -> set[int]:
        found: set[int] = set()
        for unit_id in unit_ids:
            found |= self.by_role.get((unit_id, code), set())
        return found


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split()).lstrip("- ").rstrip(" .;:")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PlanItemSource:
    kind = "plan_item"
    label = "Nội dung kế hoạch"
    default_schedule = {"days_before": [7, 1], "repeat_overdue_days": 7, "escalate_after_days": 14}

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        open_items = PlanItem.objects.exclude(status__in=CLOSED_STATUSES).select_related(
            "plan__unit"
        )
        single = Q(due_at__gte=start, due_at__lt=end)
        ongoing = Q(due_kind=DueKind.ONGOING) & ~Q(recurrence="") & Q(
            plan__issued_on__lt=dates.localtime(end).date()
        )
        items = open_items.filter(single | ongoing)
        if user is not None:
            mine = Q(assignees=user) | Q(plan__unit_id__in=units_handing_over_to(user.unit_id))
            if user.unit_id:
                mine |= Q(responsible_units=user.unit_id)
            items = items.filter(mine).distinct()
        items = list(items.prefetch_related("assignees", "responsible_units", "responsible_roles"))
        units = set()
        for item in items:
            units |= {item.plan.unit_id, effective_unit_id(item.plan.unit)}
            units |= {u.pk for u in item.responsible_units.all()}
        people = People(units)
        found = []
        pages: dict[int, str] = {}  # a plan's address, reversed once for all its items
        for item in items:
            plan_units = {item.plan.unit_id, effective_unit_id(item.plan.unit)}
            recipients = {u.pk for u in item.assignees.all() if u.is_active}
            for unit in item.responsible_units.all():
                recipients |= people.by_unit.get(unit.pk, set())
            for role in item.responsible_roles.all():
                recipients |= people.with_role(plan_units, role.code)
            if not recipients:
                recipients = people.with_role(plan_units, RoleCode.STAFF)
            leaders = frozenset(people.with_role(plan_units, RoleCode.LEADER))
            if item.plan_id not in pages:
                pages[item.plan_id] = reverse("plans:plan_detail", args=[item.plan_id])
            url = pages[item.plan_id] + f"#item-{item.pk}"
            title = f"Kế hoạch {item.plan.number}, mục {item.code or item.position}: {_short(item.heading or item.content)}"
            if item.due_at is not None:
                found.append(
                    Deadline(
                        key=f"plans.item:{item.pk}", due_at=item.due_at, recipients=frozenset(recipients),
                        title=title, url=url, kind=self.kind, escalate_to=leaders,
                        detail=f"Thời gian thực hiện: {item.due_label}. Chủ trì: {item.chair or '—'}.",
                    )
                )
                continue
            for period in dates.periods(
                item.recurrence, first_day=item.plan.issued_on, last_year=item.plan.end_year,
                start=start, end=end,
            ):
                if item.last_update_on and item.last_update_on >= period.start.date():
                    continue  # reported within the period
                found.append(
                    Deadline(
                        key=f"plans.item:{item.pk}:{period.key}", due_at=period.end,
                        recipients=frozenset(recipients), title=f"{title} ({period.label})", url=url,
                        kind=self.kind, escalate_to=leaders,
                        detail=f"Thời gian thực hiện: {item.due_label}; báo cáo kết quả {period.label}.",
                    )
                )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


class FollowUpSource:
    kind = "inspection_follow_up"
    label = "Khắc phục sau kiểm tra"
    default_schedule = {"days_before": [7, 1], "repeat_overdue_days": 7, "escalate_after_days": 7}

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        rows = FollowUp.objects.filter(
            status=FollowUpStatus.OPEN, due_at__gte=start, due_at__lt=end
        ).select_related("unit", "inspection", "assignee")
        if user is not None:
            rows = rows.filter(Q(assignee=user) | Q(unit_id__in=units_handing_over_to(user.unit_id)))
        rows = list(rows)
        people = People({effective_unit_id(f.unit) for f in rows} | {f.unit_id for f in rows})
        found = []
        for follow_up in rows:
            units = {follow_up.unit_id, effective_unit_id(follow_up.unit)}
            if follow_up.assignee_id and follow_up.assignee.is_active:
                recipients = {follow_up.assignee_id}
            else:
                recipients = people.with_role(units, RoleCode.STAFF)
            found.append(
                Deadline(
                    key=f"plans.followup:{follow_up.pk}", due_at=follow_up.due_at,
                    recipients=frozenset(recipients),
                    title=f"Khắc phục sau kiểm tra “{_short(follow_up.inspection.title, 60)}”: {_short(follow_up.content)}",
                    url=reverse("plans:inspection_detail", args=[follow_up.inspection_id]) + f"#follow-up-{follow_up.pk}",
                    kind=self.kind, escalate_to=frozenset(people.with_role(units, RoleCode.LEADER)),
                    detail=f"Đơn vị thực hiện: {follow_up.unit.name}.",
                )
            )
        if user is not None:
            found = [d for d in found if user.pk in d.recipients or user.pk in d.escalate_to]
        return found


class TraditionDaySource:
    """Ngày truyền thống công tác dân vận 15/10: the Union Executive Committee and the Party cell
    committee report and propose commendations of exemplars on that day, so they are reminded to
    prepare a configurable number of days before."""

    kind = "tradition_day_1510"
    label = "Chuẩn bị Ngày truyền thống công tác dân vận 15/10"
    default_schedule = {
        "days_before": [30, 7], "remind_overdue": False, "repeat_overdue_days": 0,
        "max_overdue_days": 0, "escalate_after_days": None,
    }
    roles = (RoleCode.UNION, RoleCode.CELL)

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> list[Deadline]:
        years = range(dates.localtime(start).year, dates.localtime(end).year + 1)
        # Due at the end of 15/10 (the start of 16/10).
        moments = [dates.local_midnight(dt.date(y, 10, 16)) for y in years]
        moments = [m for m in moments if start <= m < end]
        if not moments:
            return []
        if user is not None:
            recipients = frozenset([user.pk]) if user.is_active and user.has_role(*self.roles) else frozenset()
        else:
            recipients = frozenset(
                get_user_model().objects.filter(is_active=True, roles__code__in=self.roles)
                .values_list("pk", flat=True).distinct()
            )
        if not recipients:
            return []
        return [
            Deadline(
                key=f"plans.day1510:{m.year}", due_at=m, recipients=recipients,
                title=f"Chuẩn bị Ngày truyền thống công tác dân vận 15/10/{m.year}: báo cáo kết quả, "
                "đề xuất khen thưởng điển hình “Dân vận khéo”",
                url=reverse("plans:plan_list"), kind=self.kind,
            )
            for m in moments
        ]


def deadline_sources() -> list:
    return [PlanItemSource(), FollowUpSource(), TraditionDaySource()]
