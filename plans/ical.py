"""The iCalendar feed of a person's deadlines (RFC 5545, built with the `icalendar` library)."""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from . import dates, selectors


def calendar_for(user, *, now: dt.datetime, base_url: str = "", back_days: int = 90,
                 ahead_days: int = 400) -> bytes:
    """Every deadline that concerns `user`, as all-day events on their last day."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Dan van kheo//Nhac viec//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Thời hạn “Dân vận khéo”")
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    deadlines = selectors.deadlines_for(
        user, start=now - dt.timedelta(days=back_days), end=now + dt.timedelta(days=ahead_days)
    )
    for deadline in deadlines:
        event = icalendar.Event()
        uid = hashlib.sha256(deadline.key.encode()).hexdigest()[:32]
        event.add("uid", f"{uid}@dan-van-kheo")
        event.add("summary", deadline.title)
        day = dates.last_day(deadline.due_at)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("dtstamp", now)
        description = f"Hạn: {dates.format_due(deadline.due_at)}."
        if deadline.detail:
            description += f"\n{deadline.detail}"
        event.add("description", description)
        if deadline.url:
            event.add("url", f"{base_url}{deadline.url}")
        event.add("categories", [deadline.kind])
        cal.add_component(event)
    return cal.to_ical()
