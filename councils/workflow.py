"""The declared states and transitions of council sessions and agenda items (one place)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Session

SS = Session.Status
IS = AgendaItem.Status


class TransitionError(Exception):
    pass


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str


SESSION_TRANSITIONS = {
    "open": Transition("open", (SS.PLANNED,), SS.OPEN, _("Khai mạc phiên họp")),
    "close": Transition("close", (SS.OPEN,), SS.CLOSED, _("Kết thúc phiên họp")),
}

ITEM_TRANSITIONS = {
    # Online secret ballot: open, members vote, the secretary closes and the tally appears.
    "open_voting": Transition("open_voting", (IS.PENDING,), IS.VOTING, _("Mở bỏ phiếu")),
    "close": Transition("close", (IS.VOTING,), IS.CLOSED, _("Kết thúc bỏ phiếu, công bố kết quả")),
    # Paper ballot: the secretary enters the counting committee's tally, which closes the item.
    "paper_tally": Transition("paper_tally", (IS.PENDING, IS.VOTING), IS.CLOSED, _("Nhập kết quả kiểm phiếu")),
}


def check_transition(table: dict[str, Transition], name: str, state: str) -> Transition:
    transition = table[name]
    if state not in transition.sources:
        raise TransitionError(_("Không thể “%(label)s” ở trạng thái hiện tại.") % {"label": transition.label})
    return transition
