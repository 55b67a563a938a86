"""Due times as the movement's documents write them, turned into instants in Asia/Ho_Chi_Minh.

"Trước ngày 09/4/2022" falls due at the start of 9 April; "Tháng 3/2022" at the end of March
(the start of 1 April); "Năm 2025" at the end of 2025. An ongoing item ("Thường xuyên") recurring
monthly, quarterly or yearly has one checkpoint at the end of each period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

# Kinds (mirrors models.DueKind; kept as strings so this module has no model import).
ONGOING, MONTH, YEAR, DATE, UNSPECIFIED = "ongoing", "month", "year", "date", "none"
RECURRENCE_LABELS = {"monthly": "hằng tháng", "quarterly": "hằng quý", "yearly": "hằng năm"}


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the portal's time zone (Asia/Ho_Chi_Minh)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz())


def localtime(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(tz())


def _first_of_next_month(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def due_at(kind: str, *, date: dt.date | None = None, month: int | None = None,
           year: int | None = None) -> dt.datetime | None:
    """The instant a single deadline falls due, or None (ongoing, unspecified)."""
    if kind == DATE and date:
        return local_midnight(date)
    if kind == MONTH and month and year:
        return local_midnight(_first_of_next_month(year, month))
    if kind == YEAR and year:
        return local_midnight(dt.date(year + 1, 1, 1))
    return None


def due_label(kind: str, *, date: dt.date | None = None, month: int | None = None,
              year: int | None = None, recurrence: str = "") -> str:
    """The due time in the documents' words: "Thường xuyên", "Tháng 3/2022", "Năm 2025"…"""
    if kind == ONGOING:
        return "Thường xuyên"
    if kind == MONTH and month and year:
        return f"Tháng {month}/{year}"
    if kind == YEAR and year:
        return f"Năm {year}"
    if kind == DATE and date:
        return f"Trước ngày {date.day:02d}/{date.month}/{date.year}"
    return "Không ghi thời gian"


def last_day(moment: dt.datetime) -> dt.date:
    """The last calendar day before an exclusive end instant (for display and all-day events)."""
    return (localtime(moment) - dt.timedelta(seconds=1)).date()


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.datetime
    end: dt.datetime  # exclusive; the checkpoint of an ongoing item

    @property
    def label(self) -> str:
        if "-Q" in self.key:
            year, quarter = self.key.split("-Q")
            return f"Quý {quarter}/{year}"
        if "-" in self.key:
            year, month = self.key.split("-")
            return f"Tháng {int(month)}/{year}"
        return f"Năm {self.key}"


def _period_containing(recurrence: str, day: dt.date) -> Period:
    if recurrence == "monthly":
        start = dt.date(day.year, day.month, 1)
        end = _first_of_next_month(day.year, day.month)
        key = f"{day.year}-{day.month:02d}"
    elif recurrence == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        start = dt.date(day.year, 3 * quarter - 2, 1)
        end = _first_of_next_month(day.year, 3 * quarter)
        key = f"{day.year}-Q{quarter}"
    elif recurrence == "yearly":
        start, end, key = dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1), str(day.year)
    else:
        raise ValueError(f"unknown recurrence {recurrence!r}")
    return Period(key, local_midnight(start), local_midnight(end))


def periods(recurrence: str, *, first_day: dt.date, last_year: int,
            start: dt.datetime, end: dt.datetime) -> Iterator[Period]:
    """Full periods of an ongoing item (from `first_day` to the end of `last_year`) whose checkpoint
    falls in [start, end)."""
    if not recurrence:
        return
    day = max(first_day, localtime(start).date() - dt.timedelta(days=1))
    stop = min(local_midnight(dt.date(last_year + 1, 1, 1)), end)
    while True:
        period = _period_containing(recurrence, day)
        if period.end > stop:
            return
        # The period the plan was signed in is reported on only if the plan ran for most of it.
        midpoint = (period.start + (period.end - period.start) / 2).date()
        if period.end >= start and first_day <= midpoint:
            yield period
        day = localtime(period.end).date()


def previous_period(recurrence: str, now: dt.datetime) -> Period | None:
    """The latest period that has already ended at `now`."""
    if not recurrence:
        return None
    current = _period_containing(recurrence, localtime(now).date())
    return _period_containing(recurrence, localtime(current.start).date() - dt.timedelta(days=1))


def format_due(moment: dt.datetime) -> str:
    """A due instant for people: "hết ngày 08/04/2022" when it falls at midnight."""
    local = localtime(moment)
    if local.time() == dt.time.min:
        return "hết ngày " + last_day(moment).strftime("%d/%m/%Y")
    return local.strftime("%H:%M ngày %d/%m/%Y")
