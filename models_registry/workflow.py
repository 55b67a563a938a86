"""The life of a DVK model, declared in one place: states, transitions, and who may take them.

A transition names the states it leaves from, the state it goes to (None = stays), and the roles
that may take it. `can(user, model, action)` answers with the permission layer: the model's unit
must lie in the user's subtree (else the model is not even visible) and the user must hold a role.
Extra conditions that are about the row (a recognised model only can be published...) live in
`CONDITIONS`. Services call `check(...)`; templates show the buttons `allowed_actions(...)` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.permissions import CELL, LEADER, STAFF, has_role, is_admin, scope_unit, unit_in_scope

from .models import RUNNING_STATES, ModelEvent, RecognitionLevel, State

A = ModelEvent.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None
    roles: tuple[str, ...]
    label: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(A.EDIT, (State.DRAFT, State.RETURNED), None, (STAFF,), gettext_lazy("Sửa")),
        # Staff submit before the deadline; after it, leadership may let a proposal through.
        Transition(A.SUBMIT, (State.DRAFT, State.RETURNED), State.SUBMITTED, (STAFF, LEADER), gettext_lazy("Gửi đăng ký")),
        Transition(
            A.COMMENT,
            (State.SUBMITTED, State.RETURNED, *RUNNING_STATES),
            None,
            # The registering unit's staff answer the Party cell's and leadership's comments.
            (LEADER, CELL, STAFF),
            gettext_lazy("Góp ý"),
        ),
        Transition(A.APPROVE, (State.SUBMITTED,), State.REGISTERED, (LEADER,), gettext_lazy("Duyệt đăng ký")),
        Transition(A.RETURN, (State.SUBMITTED,), State.RETURNED, (LEADER,), gettext_lazy("Trả lại để sửa")),
        Transition(A.REPORT, RUNNING_STATES, None, (STAFF,), gettext_lazy("Thêm báo cáo tiến độ")),
        Transition(A.EVALUATE, (State.REGISTERED,), State.EVALUATED, (STAFF, LEADER), gettext_lazy("Đánh giá cuối năm")),
        Transition(
            A.RECOGNISE, (State.EVALUATED, State.RECOGNISED), State.RECOGNISED, (LEADER,), gettext_lazy("Công nhận")
        ),
        Transition(A.PUBLISH, (State.RECOGNISED,), None, (LEADER,), gettext_lazy("Công khai")),
        Transition(A.UNPUBLISH, (State.RECOGNISED,), None, (LEADER,), gettext_lazy("Thôi công khai")),
    )
}


def recognition_level_for(user) -> int | None:
    """The level a user's leadership recognises at, from the kind of the unit they act for."""
    if is_admin(user) and user.unit is None:
        return RecognitionLevel.PROVINCE
    unit = scope_unit(user)
    if unit is None:
        return None
    level = unit.kind.level
    if level <= 1:
        return RecognitionLevel.PROVINCE
    if level == 2 and unit.kind.category == "administrative":
        return RecognitionLevel.DISTRICT
    return RecognitionLevel.UNIT


def recognisable_at(model, level: int | None) -> bool:
    """Effective, in a state that may be recognised, and not yet at `level` or higher (recognised
    again only by a higher level)."""
    if model.is_effective is not True or model.state not in TRANSITIONS[A.RECOGNISE].sources:
        return False
    return level is not None and (model.recognition_level is None or level > model.recognition_level)


def _recognise_ok(user, model) -> bool:
    return recognisable_at(model, recognition_level_for(user))


def _submit_ok(user, model) -> bool:
    # Staff submit (the service refuses them after the deadline, with the date); leadership may
    # only let a late proposal through.
    from .selectors import deadline_passed

    return has_role(user, STAFF) or deadline_passed(model.unit, model.year)


CONDITIONS: dict[str, Callable] = {
    A.SUBMIT: _submit_ok,
    A.RECOGNISE: _recognise_ok,
    A.PUBLISH: lambda user, model: not model.is_public,
    A.UNPUBLISH: lambda user, model: model.is_public,
}


def can(user, model, action: str) -> bool:
    """May `user` take `action` on `model` now?"""
    transition = TRANSITIONS[action]
    if model.state not in transition.sources:
        return False
    if not unit_in_scope(user, model.unit) or not has_role(user, *transition.roles):
        return False
    condition = CONDITIONS.get(action)
    return condition is None or condition(user, model)


def check(user, model, action: str) -> Transition:
    """Refuse (403) a transition the rules forbid; the caller has already made the model visible."""
    if not can(user, model, action):
        raise PermissionDenied(_("Thao tác này không được phép với mô hình ở trạng thái hiện tại."))
    return TRANSITIONS[action]


def allowed_actions(user, model) -> list[Transition]:
    """The transitions `user` may take on `model`, for the buttons of its page."""
    return [t for t in TRANSITIONS.values() if can(user, model, t.action)]


# The one next step a list row offers, most urgent first: (action, url name, label). Only the state
# and the person's roles decide it (no query per row); the page it opens checks everything else.
NEXT_STEPS = (
    (A.APPROVE, "models_registry:detail", gettext_lazy("Duyệt hoặc trả lại")),
    (A.EDIT, "models_registry:edit", gettext_lazy("Sửa và gửi")),
    (A.RECOGNISE, "models_registry:detail", gettext_lazy("Xem xét công nhận")),
    (A.EVALUATE, "models_registry:evaluate", gettext_lazy("Đánh giá cuối năm")),
    (A.REPORT, "models_registry:report_create", gettext_lazy("Báo cáo tiến độ")),
)


def next_step(user, model) -> tuple[str, str]:
    """(url, label) of the one thing `user` would do next with a visible `model`; else its page."""
    from django.urls import reverse

    for action, url_name, label in NEXT_STEPS:
        transition = TRANSITIONS[action]
        if model.state in transition.sources and has_role(user, *transition.roles):
            return reverse(url_name, args=[model.pk]), label
    return reverse("models_registry:detail", args=[model.pk]), _("Xem")
