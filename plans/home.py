"""What waits for a person in plans: plan items, inspection follow-ups and the 15/10 preparation,
from the deadline sources that also remind them (`plans/deadlines.py`)."""

from __future__ import annotations

from portal.extensions import PendingAction

from . import selectors
from .deadlines import FollowUpSource, PlanItemSource, TraditionDaySource


def pending_actions(user) -> list[PendingAction]:
    return selectors.deadline_actions(user, [PlanItemSource(), FollowUpSource(), TraditionDaySource()], area="plans")
