"""Working days: not Saturday or Sunday, not a public holiday (the `Holiday` table: Tết, 30/4, 1/5,
2/9, Giỗ Tổ Hùng Vương and compensatory days, entered as data because Tết moves every year)."""

from __future__ import annotations

import datetime as dt

from .models import Holiday


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def is_working_day(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The last day of a period of `n` working days counted from `start` (start counts when it is
    a working day). A period of 5 from Friday 23/1/2026 with Tết off ends after the holiday."""
    if n < 1:
        raise ValueError("n >= 1")
    # Tết and the longest holiday runs are under two weeks: look far enough ahead in one query.
    holidays = holidays_between(start, start + dt.timedelta(days=n * 2 + 30))
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == n:
                return day
        day += dt.timedelta(days=1)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included."""
    holidays = holidays_between(start, end)
    return sum(1 for i in range((end - start).days + 1) if is_working_day(start + dt.timedelta(days=i), holidays))
