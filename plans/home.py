"""What the home page shows from plans: the person's overdue and upcoming deadlines.

They come from every deadline source of the portal (a few queries each), so the home page loads
them after it is shown (`HomeCard.lazy_url`); `deadline_cards` builds them for that request.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.extensions import HomeCard

from . import dates, selectors


def home_cards(request) -> list[HomeCard]:
    return [HomeCard(
        title=_("Thời hạn của tôi"), order=10, tone="warning", url=reverse("plans:deadlines"),
        lazy_url=reverse("plans:home_deadlines"),
    )]


def deadline_cards(user) -> list[HomeCard]:
    now = timezone.now()
    found = selectors.upcoming_deadlines(user, now=now, days=30)
    overdue = [d for d in found if d.due_at <= now]
    upcoming = [d for d in found if d.due_at > now]
    cards = []
    if overdue:
        cards.append(HomeCard(
            title=_("Việc đã quá hạn"), count=len(overdue), tone="danger", order=10,
            url=reverse("plans:deadlines"),
            items=[f"{d.title} — {dates.format_due(d.due_at)}" for d in overdue[:5]],
        ))
    cards.append(HomeCard(
        title=_("Thời hạn sắp tới (30 ngày)"), count=len(upcoming), tone="warning", order=11,
        url=reverse("plans:deadlines"),
        text="" if upcoming else _("Không có thời hạn nào trong 30 ngày tới."),
        items=[f"{d.title} — {dates.format_due(d.due_at)}" for d in upcoming[:5]],
    ))
    return cards
