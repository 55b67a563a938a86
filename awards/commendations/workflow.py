"""The declared workflow of commendation proposals and who may take each step.

A proposal is prepared by a proposing body and decided by the body above it:

* the Union Executive Committee of a unit (``congdoan``) → the Party cell of the same unit (``chiuy``);
* a Party cell (``chiuy``) or a unit's mass mobilisation leadership (``lanhdao``) → the leadership of
  the unit directly above (the root unit's leadership decides its own, for the Standing Committee).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import permissions as perms

from ..models import AwardProposal, ProposingBody
from ..pledges.workflow import Transition, TransitionError, check_transition

AS = AwardProposal.Status

PROPOSAL_TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", (AS.DRAFT,), AS.SUBMITTED, gettext_lazy("Gửi đề nghị lên cấp trên")),
        Transition("decide", (AS.SUBMITTED,), AS.DECIDED, gettext_lazy("Ra quyết định khen thưởng")),
    )
}
EDITABLE = (AS.DRAFT,)
# Which role proposes as which body.
BODY_ROLE = {ProposingBody.UNION: perms.UNION, ProposingBody.CELL: perms.CELL, ProposingBody.LEADERSHIP: perms.LEADER}

__all__ = ["PROPOSAL_TRANSITIONS", "TransitionError", "check_transition", "proposing_unit", "decider_unit"]


def proposing_unit(user, body: str):
    """The unit a user proposes for as `body`: a leadership acts for its whole area."""
    return perms.scope_unit(user) if body == ProposingBody.LEADERSHIP else user.unit


def decider_unit(unit, body: str):
    """The unit whose body decides a proposal of `body` at `unit` (the body above)."""
    if body == ProposingBody.UNION:
        return unit
    return type(unit).objects.get_parent(unit) or unit


def bodies_for(user) -> list[tuple[str, str]]:
    """The bodies a user may propose as (value, label)."""
    if perms.is_admin(user):
        return list(ProposingBody.choices)
    return [(value, label) for value, label in ProposingBody.choices if user.has_role(BODY_ROLE[value])]


def require_proposer(user, body: str) -> None:
    if perms.is_admin(user):
        return
    if user.unit_id is None or not user.has_role(BODY_ROLE[body]):
        raise PermissionDenied(_("Bạn không có quyền lập đề nghị khen thưởng thay cho cơ quan này."))


def can_edit(user, proposal: AwardProposal) -> bool:
    if proposal.status not in EDITABLE or not perms.unit_in_scope(user, proposal.unit):
        return False
    if perms.is_admin(user) or proposal.created_by_id == user.pk:
        return True
    return user.has_role(BODY_ROLE[proposal.body]) and proposing_unit(user, proposal.body) == proposal.unit


def require_editor(user, proposal: AwardProposal) -> None:
    perms.require_unit(user, proposal.unit)
    if not can_edit(user, proposal):
        raise PermissionDenied(_("Chỉ cơ quan lập đề nghị được sửa đề nghị đang lập."))


def can_decide(user, proposal: AwardProposal) -> bool:
    """The body above: the unit's Party cell for the union's proposals, else the leadership above."""
    if not perms.unit_in_scope(user, proposal.decider_unit):
        return False
    if perms.is_admin(user):
        return True
    if proposal.body == ProposingBody.UNION:
        return user.has_role(perms.CELL) and user.unit_id == proposal.decider_unit_id
    return user.has_role(perms.LEADER) and perms.scope_unit(user) == proposal.decider_unit


def require_decider(user, proposal: AwardProposal) -> None:
    if not (perms.unit_in_scope(user, proposal.unit) or perms.unit_in_scope(user, proposal.decider_unit)):
        raise Http404
    if not can_decide(user, proposal):
        raise PermissionDenied(_("Chỉ cấp trên của cơ quan đề nghị được quyết định khen thưởng."))


def can_see(user, proposal: AwardProposal) -> bool:
    return perms.unit_in_scope(user, proposal.unit) or perms.unit_in_scope(user, proposal.decider_unit)


def may_commend_reports(user, unit) -> bool:
    """Commendation reports: leadership, Party cells and union committees of the subtree."""
    return perms.unit_in_scope(user, unit) and perms.has_role(user, perms.LEADER, perms.CELL, perms.UNION)
