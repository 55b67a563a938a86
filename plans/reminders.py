"""The registry of deadlines the portal knows, and when each one is reminded.

Every app that has deadlines offers them as `DeadlineSource`s: an optional `<app>/deadlines.py`
with `deadline_sources() -> list[DeadlineSource]` is discovered like `portal/extensions.py` finds
`nav.py` (plans' own sources live in `plans/deadlines.py`). A source yields `Deadline`s falling due
in a time window; the reminder pass (`plans.services.reminders_send`) turns each into the reminder
steps that are due now, for each person, under that kind's `ReminderSchedule`.

A step is named after the due instant it belongs to (`before-7@20220409T0000`), so a deadline that
moves after reminders went out is reminded again on its new schedule, and the unique
`ReminderDelivery(deadline_key, user, step)` row makes every step go out once.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.apps import apps

from . import dates

DEFAULT_SCHEDULE = {
    "days_before": [7, 1],
    "remind_overdue": True,
    "repeat_overdue_days": 7,
    "max_overdue_days": 90,
    "escalate_after_days": 14,
}


@dataclass(frozen=True)
class Deadline:
    """One thing due at one instant, and who must be reminded of it."""

    key: str  # stable and unique across the portal: "<app>.<what>:<id>[:<occurrence>]"
    due_at: dt.datetime
    recipients: frozenset[int]  # user ids
    title: str
    url: str = ""
    kind: str = "other"
    escalate_to: frozenset[int] = field(default_factory=frozenset)  # the unit's leadership
    detail: str = ""


@runtime_checkable
class DeadlineSource(Protocol):
    """What an app implements to have its deadlines reminded, shown on home and in iCalendar."""

    kind: str  # the ReminderSchedule kind, e.g. "plan_item"
    label: str  # Vietnamese, for the admin's schedule list
    default_schedule: dict  # overrides of DEFAULT_SCHEDULE used when the schedule row is created

    def deadlines(self, *, start: dt.datetime, end: dt.datetime, user=None) -> Iterable[Deadline]:
        """Deadlines due in [start, end); with `user`, only those that concern that person."""
        ...


_registered: list[DeadlineSource] = []
_discovered: list[DeadlineSource] | None = None


def register(source: DeadlineSource) -> DeadlineSource:
    """Add a source by hand (discovery through `<app>/deadlines.py` is the usual way)."""
    _registered.append(source)
    return source


def unregister(source: DeadlineSource) -> None:
    if source in _registered:
        _registered.remove(source)


def discover() -> list[DeadlineSource]:
    """Sources from every installed app's `deadlines.deadline_sources()`, found once."""
    global _discovered
    if _discovered is None:
        found: list[DeadlineSource] = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.deadlines"
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name or module_name.startswith(f"{exc.name}."):
                    continue
                raise
            factory = getattr(module, "deadline_sources", None)
            if factory is not None:
                found.extend(factory())
        _discovered = found
    return list(_discovered)


def sources() -> list[DeadlineSource]:
    return discover() + list(_registered)


# --- The schedule: which steps are due now ----------------------------------------------------------

@dataclass(frozen=True)
class Step:
    deadline: Deadline
    user_id: int
    name: str  # "before-7@…", "overdue-0@…", "escalate-14@…"
    message: str
    escalation: bool = False


def _stamp(moment: dt.datetime) -> str:
    return dates.localtime(moment).strftime("%Y%m%dT%H%M")


def window(schedule, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The due instants a pass at `now` must look at under `schedule`."""
    ahead = max([0, *schedule.days_before]) + 1
    behind = 0
    if schedule.remind_overdue:
        behind = schedule.max_overdue_days
    if schedule.escalate_after_days is not None:
        behind = max(behind, schedule.escalate_after_days)
    return now - dt.timedelta(days=behind + 1), now + dt.timedelta(days=ahead)


def timeline(due_at: dt.datetime, schedule) -> list[tuple[dt.datetime, str, int]]:
    """Every (fire time, step kind, days) for the ordinary recipients, in time order."""
    moments = [(due_at - dt.timedelta(days=d), "before", d) for d in set(schedule.days_before) if d > 0]
    if schedule.remind_overdue:
        every = schedule.repeat_overdue_days
        days = 0
        while days <= schedule.max_overdue_days:
            moments.append((due_at + dt.timedelta(days=days), "overdue", days))
            if not every:
                break
            days += every
    return sorted(moments)


def days_apart(due_at: dt.datetime, now: dt.datetime) -> int:
    """Whole calendar days from the moment of sending to the due date (negative once overdue),
    in local time: the figure a reminder states, whatever step of the schedule it is."""
    return (dates.localtime(due_at).date() - dates.localtime(now).date()).days


def _message(kind: str, days: int, deadline: Deadline) -> str:
    due = dates.format_due(deadline.due_at)
    if kind == "before" and days <= 0:
        return f"Hôm nay đến hạn ({due}): {deadline.title}."
    if kind == "before":
        return f"Còn {days} ngày nữa đến hạn ({due}): {deadline.title}."
    if kind == "overdue" and days == 0:
        return f"Đã hết hạn ({due}) mà chưa hoàn thành: {deadline.title}."
    if kind == "overdue":
        return f"Đã quá hạn {days} ngày ({due}) mà chưa hoàn thành: {deadline.title}."
    return (
        f"Báo cáo lãnh đạo: việc sau đã quá hạn {days} ngày ({due}) mà chưa hoàn thành: "
        f"{deadline.title}."
    )


def steps_due(deadline: Deadline, schedule, now: dt.datetime) -> list[Step]:
    """The steps to send at `now`: for each recipient the latest step whose time has come (older
    missed steps are not sent late), and the escalation to the leadership once it is due."""
    current = None
    for moment, kind, days in timeline(deadline.due_at, schedule):
        if moment <= now:
            current = (kind, days)
    if schedule.remind_overdue and now > deadline.due_at + dt.timedelta(days=schedule.max_overdue_days + 1):
        current = None  # reminded long enough
    if not schedule.remind_overdue and now >= deadline.due_at:
        current = None
    found: list[Step] = []
    if current is not None:
        kind, days = current
        name = f"{kind}-{days}@{_stamp(deadline.due_at)}"
        # The figure is counted to this moment: a pass that runs late does not state the step's days.
        apart = days_apart(deadline.due_at, now)
        text = _message(kind, apart if kind == "before" else max(0, -apart), deadline)
        found += [Step(deadline, uid, name, text) for uid in sorted(deadline.recipients)]
    after = schedule.escalate_after_days
    if after is not None and deadline.escalate_to and now >= deadline.due_at + dt.timedelta(days=after):
        name = f"escalate-{after}@{_stamp(deadline.due_at)}"
        text = _message("escalate", max(after, -days_apart(deadline.due_at, now)), deadline)
        found += [Step(deadline, uid, name, text, True) for uid in sorted(deadline.escalate_to)]
    return found
