"""The declared workflows of plans: states and transitions of a plan item and of a follow-up.

A transition is carried out by `plans.services.item_transition` / `follow_up_transition`, which
check `may_*` here (through the permission layer), write the event row and cancel what no longer
needs reminding.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from portal.permissions import CELL, LEADER, STAFF, UNION, has_role, unit_in_scope

from .models import FollowUpStatus, ItemStatus

# Who works on items of a unit's plan, and who decides about them.
WORKERS = (STAFF, UNION, CELL, LEADER)
DECIDERS = (LEADER,)
# Who writes plans and inspections.
EDITORS = (STAFF, LEADER)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    note_required: bool = False
    button: str = "primary"


ITEM_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("start", gettext_lazy("Bắt đầu thực hiện"), (ItemStatus.NOT_STARTED,), ItemStatus.IN_PROGRESS, WORKERS),
        Transition(
            "report", gettext_lazy("Báo cáo tiến độ"), (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS),
            ItemStatus.IN_PROGRESS, WORKERS, note_required=True, button="outline-primary",
        ),
        Transition(
            "complete", gettext_lazy("Hoàn thành"), (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS),
            ItemStatus.DONE, WORKERS, button="success",
        ),
        Transition(
            "reopen", gettext_lazy("Mở lại"), (ItemStatus.DONE, ItemStatus.CANCELLED), ItemStatus.IN_PROGRESS,
            DECIDERS, note_required=True, button="outline-secondary",
        ),
        Transition(
            "cancel", gettext_lazy("Hủy bỏ"), (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS), ItemStatus.CANCELLED,
            DECIDERS, note_required=True, button="outline-danger",
        ),
    )
}

FOLLOW_UP_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("resolve", gettext_lazy("Đã khắc phục"), (FollowUpStatus.OPEN,), FollowUpStatus.DONE, WORKERS,
                   note_required=True, button="success"),
        Transition("reopen", gettext_lazy("Mở lại"), (FollowUpStatus.DONE,), FollowUpStatus.OPEN, DECIDERS,
                   note_required=True, button="outline-secondary"),
    )
}


def may_view_plan(user, plan) -> bool:
    return unit_in_scope(user, plan.unit)


def may_edit_plan(user, plan_unit) -> bool:
    """Write a plan of `plan_unit` and its items: staff or leadership within the subtree."""
    return unit_in_scope(user, plan_unit) and has_role(user, *EDITORS)


def may_transition(user, item, transition: Transition) -> bool:
    return (
        item.status in transition.sources
        and unit_in_scope(user, item.plan.unit)
        and has_role(user, *transition.roles)
    )


def item_transitions_for(user, item) -> list[Transition]:
    """The transitions `user` may take on `item` now (for the buttons)."""
    return [t for t in ITEM_TRANSITIONS.values() if may_transition(user, item, t)]


def may_follow_up(user, follow_up, transition: Transition) -> bool:
    """The inspecting unit and the inspected unit may both act on a follow-up."""
    in_scope = unit_in_scope(user, follow_up.unit) or unit_in_scope(user, follow_up.inspection.unit)
    return follow_up.status in transition.sources and in_scope and has_role(user, *transition.roles)


def follow_up_transitions_for(user, follow_up) -> list[Transition]:
    return [t for t in FOLLOW_UP_TRANSITIONS.values() if may_follow_up(user, follow_up, t)]
