"""The declared workflows of pledges and review rounds and who may take each step.

States and transitions are data here; each transition is carried out by one service in
`services.py`, which asks these rules (built on `portal.permissions`) before writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import permissions as perms

from ..models import Pledge, ReviewRound

PS = Pledge.Status
RS = ReviewRound.Status


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str


PLEDGE_TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", (PS.DRAFT, PS.RETURNED), PS.SUBMITTED, gettext_lazy("Gửi BCH Công đoàn")),
        Transition("accept", (PS.SUBMITTED,), PS.ACCEPTED, gettext_lazy("Tiếp nhận")),
        Transition("return", (PS.SUBMITTED,), PS.RETURNED, gettext_lazy("Trả lại để bổ sung")),
    )
}
PLEDGE_EDITABLE = (PS.DRAFT, PS.RETURNED)
# The workflow event (portal/workflow_events.py) each pledge transition emits.
PLEDGE_EVENT_KINDS = {"submit": "submitted", "accept": "accepted", "return": "returned"}

ROUND_TRANSITIONS = {
    t.name: t
    for t in (
        Transition("open", (RS.DRAFT,), RS.OPEN, gettext_lazy("Mở đợt đánh giá")),
        Transition("close", (RS.OPEN,), RS.CLOSED, gettext_lazy("Kết thúc đợt đánh giá")),
    )
}


class TransitionError(Exception):
    """A step the workflow does not allow from the current state (shown to the user as is)."""


def check_transition(table: dict, name: str, current: str) -> Transition:
    transition = table[name]
    if current not in transition.sources:
        raise TransitionError(_("Không thể thực hiện thao tác này ở trạng thái hiện tại."))
    return transition


# --- Who may do what ------------------------------------------------------------------------------

def is_union_member_of(user, unit) -> bool:
    """A member of the Union Executive Committee *of this very unit* (not of an overseen area)."""
    return bool(
        user.is_authenticated and user.is_active and user.unit_id == unit.pk and user.has_role(perms.UNION)
    )


def can_edit_pledge(user, pledge: Pledge) -> bool:
    if pledge.status not in PLEDGE_EDITABLE or not perms.unit_in_scope(user, pledge.unit):
        return False
    if pledge.person_id:
        return pledge.person_id == user.pk
    return pledge.created_by_id == user.pk or is_union_member_of(user, pledge.unit)


def can_decide_pledge(user, pledge: Pledge) -> bool:
    return is_union_member_of(user, pledge.unit) or perms.is_admin(user)


def require_union_of(user, unit) -> None:
    """404 outside the subtree; 403 unless a Union Executive Committee member of `unit` (or admin)."""
    perms.require_unit(user, unit)
    if not (is_union_member_of(user, unit) or perms.is_admin(user)):
        raise PermissionDenied(_("Chỉ thành viên BCH Công đoàn của đơn vị được thực hiện thao tác này."))


def require_chair(user, rnd: ReviewRound) -> None:
    perms.require_unit(user, rnd.unit)
    if not (rnd.chair_id == user.pk or perms.is_admin(user)):
        raise PermissionDenied(_("Chỉ người chủ trì đợt đánh giá được thực hiện thao tác này."))


def require_scorer(user, rnd: ReviewRound) -> None:
    """May `user` score in `rnd`: a committee member of the round's own unit."""
    if not perms.unit_in_scope(user, rnd.unit):
        raise Http404
    if not is_union_member_of(user, rnd.unit):
        raise PermissionDenied(_("Chỉ thành viên BCH Công đoàn của đơn vị được chấm điểm."))


def can_see_results(user, rnd: ReviewRound, submitted: bool) -> bool:
    """Scores stay hidden from a member until they submitted theirs; after closing, the unit's
    committee, Party cell and leadership read them; administrators always."""
    if perms.is_admin(user):
        return True
    if not perms.unit_in_scope(user, rnd.unit):
        return False
    if is_union_member_of(user, rnd.unit):
        return submitted or rnd.is_closed
    return rnd.is_closed and perms.has_role(user, perms.UNION, perms.CELL, perms.LEADER)
