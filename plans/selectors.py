"""Reads of the plans app, every one through the permission layer."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import get_scoped_or_404, scope_queryset, units_visible_to
from portal.text import fold

from . import reminders
from .models import (
    CLOSED_STATUSES,
    FollowUp,
    Inspection,
    ItemStatus,
    Notification,
    Plan,
    PlanItem,
    PlanItemUpdate,
)


def unread_count(user) -> int:
    """How many notifications the user has not read (one query, for the navbar badge)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def plans_visible_to(user, *, q: str = "", unit_id: int | None = None, year: int | None = None,
                     now: dt.datetime | None = None) -> QuerySet[Plan]:
    """Plans of the user's subtree, with item counts (total, done, overdue), filtered."""
    now = now or timezone.now()
    qs = scope_queryset(Plan.objects.select_related("unit", "phase"), user)
    if q:
        qs = qs.filter(search_folded__contains=fold(q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if year:
        qs = qs.filter(issued_on__year=year)
    open_items = ~Q(items__status__in=CLOSED_STATUSES)
    return qs.annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__status=ItemStatus.DONE), distinct=True),
        overdue_count=Count("items", filter=open_items & Q(items__due_at__lte=now), distinct=True),
    )


def plan_for(user, pk: int) -> Plan:
    """One plan of the user's subtree, else 404."""
    return get_scoped_or_404(Plan.objects.select_related("unit", "phase", "created_by"), user, pk=pk)


def plan_items(plan: Plan) -> list[PlanItem]:
    """A plan's items with who is responsible and their latest updates, in a fixed few queries."""
    updates = PlanItemUpdate.objects.select_related("author").order_by("-on", "-id")
    return list(
        plan.items.prefetch_related(
            "responsible_units", "responsible_roles", "assignees", Prefetch("updates", queryset=updates)
        )
    )


@dataclass
class GroupSummary:
    label: str
    due: int = 0
    overdue: int = 0
    done: int = 0
    items: list = field(default_factory=list)


def plan_summary(plan: Plan, items: list[PlanItem], now: dt.datetime | None = None):
    """Per department (and committee role) what is due, overdue and done; plus the totals."""
    now = now or timezone.now()
    groups: OrderedDict[str, GroupSummary] = OrderedDict()
    total = GroupSummary(_("Tổng cộng"))
    for item in items:
        item.plan = plan  # avoid one query per item in is_overdue
        labels = [u.name for u in item.responsible_units.all()]
        labels += [r.get_code_display() for r in item.responsible_roles.all()]
        labels += [str(u) for u in item.assignees.all()]
        item.overdue = item.is_overdue(now)
        for label in labels or [_("Chưa phân công")]:
            group = groups.setdefault(label, GroupSummary(label))
            _count(group, item)
            group.items.append(item)
        _count(total, item)
    return list(groups.values()), total


def _count(group: GroupSummary, item: PlanItem) -> None:
    if item.status == ItemStatus.DONE:
        group.done += 1
    elif item.status == ItemStatus.CANCELLED:
        return
    elif item.overdue:
        group.overdue += 1
    else:
        group.due += 1


def inspections_visible_to(user, *, q: str = "") -> QuerySet[Inspection]:
    """Inspections made in the user's subtree, and those of units in it."""
    inspected_here = Q(pk__in=Inspection.objects.filter(inspected_units__in=units_visible_to(user)).values("pk"))
    qs = scope_queryset(Inspection.objects.select_related("unit", "plan"), user, public_q=inspected_here)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.annotate(
        follow_up_count=Count("follow_ups", distinct=True),
        open_count=Count("follow_ups", filter=Q(follow_ups__status="open"), distinct=True),
    )


def inspection_for(user, pk: int) -> Inspection:
    """One inspection the user may see (made in or of the subtree), else 404."""
    try:
        return inspections_visible_to(user).prefetch_related("inspected_units").get(pk=pk)
    except Inspection.DoesNotExist as exc:
        raise Http404 from exc


def follow_ups_of(inspection: Inspection) -> list[FollowUp]:
    return list(inspection.follow_ups.select_related("unit", "assignee").prefetch_related("events__author"))


def deadlines_for(user, *, start: dt.datetime, end: dt.datetime) -> list[reminders.Deadline]:
    """Every deadline of the portal that concerns `user` in [start, end), soonest first."""
    found = []
    for source in reminders.sources():
        found.extend(source.deadlines(start=start, end=end, user=user))
    return sorted(found, key=lambda d: (d.due_at, d.key))


def upcoming_deadlines(user, *, now: dt.datetime | None = None, days: int = 30, overdue_days: int = 90):
    """What the user must finish: overdue (up to `overdue_days` back) and due in `days`."""
    now = now or timezone.now()
    return deadlines_for(user, start=now - dt.timedelta(days=overdue_days), end=now + dt.timedelta(days=days))


@dataclass
class PreferenceRow:
    kind: str
    label: str
    action: bool
    delivery: str


def preference_rows(user) -> list[PreferenceRow]:
    """Every kind of workflow event with how the user receives it (their choice, else the default)."""
    import re

    from portal.workflow_events import ROUTES, default_delivery

    from .models import NotificationPreference

    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        PreferenceRow(kind=kind, label=re.sub(r"%\((\w+)\)s", "…", str(route.title)), action=route.action,
                      delivery=chosen.get(kind, default_delivery(kind)))
        for kind, route in ROUTES.items()
    ]


def preference_groups(user) -> list[tuple[str, list[PreferenceRow]]]:
    """`preference_rows` grouped by area (models, awards, plans), in the table's order."""
    from portal.workflow_events import ROUTES

    groups: dict[str, list[PreferenceRow]] = {}
    for row in preference_rows(user):
        groups.setdefault(str(ROUTES[row.kind].group), []).append(row)
    return list(groups.items())


# --- "What needs me": deadlines as pending actions -----------------------------------------------

NEEDS_ME_DAYS_AHEAD = 30
NEEDS_ME_DAYS_BACK = 90

DEADLINE_VERBS = {
    "plan_item": _("Thực hiện"),
    "inspection_follow_up": _("Khắc phục"),
    "tradition_day_1510": _("Chuẩn bị"),
    "model_registration_deadline": _("Đăng ký mô hình"),
    "model_progress_report": _("Báo cáo tiến độ"),
    "review_round_open": _("Tự đánh giá"),
    "review_round_closing": _("Chấm điểm"),
    "pledge_registration": _("Đăng ký thi đua"),
}


def deadline_actions(user, sources, *, area: str, now: dt.datetime | None = None) -> list:
    """The deadlines of `sources` the user must meet themselves (not those they are only told of
    as leadership), overdue up to 90 days back or due in the next 30, as pending actions."""
    from portal.extensions import PendingAction

    now = now or timezone.now()
    start, end = now - dt.timedelta(days=NEEDS_ME_DAYS_BACK), now + dt.timedelta(days=NEEDS_ME_DAYS_AHEAD)
    found = []
    for source in sources:
        for deadline in source.deadlines(start=start, end=end, user=user):
            if user.pk in deadline.recipients:
                found.append(PendingAction(
                    key=deadline.key, verb=str(DEADLINE_VERBS.get(deadline.kind, _("Thực hiện"))),
                    title=deadline.title, url=deadline.url, due_at=deadline.due_at, detail=deadline.detail,
                    kind=area,
                ))
    return found
