"""What waits for a council member: ballots to cast and model evaluations to submit."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from plans import dates
from portal.extensions import PendingAction


def pending_actions(user) -> list[PendingAction]:
    """Open online ballots of a session the member attends (present, not recused, not yet voted),
    and the evaluation grids of sessions still open to which they were assigned and not submitted.
    Both are due by the end of the session's day."""
    from .models import AgendaItem, Attendance, Conflict, Evaluator, Session, VoteCast

    found: list[PendingAction] = []
    voted = VoteCast.objects.filter(item=OuterRef("pk"), member__user=user)
    recused = Conflict.objects.filter(item=OuterRef("pk"), user=user)
    present = Attendance.objects.filter(session=OuterRef("session_id"), member__user=user, present=True)
    ballots = (AgendaItem.objects.filter(status=AgendaItem.Status.VOTING, method=AgendaItem.Method.BALLOT,
                                         session__status=Session.Status.OPEN)
               .filter(Exists(present)).exclude(Exists(voted)).exclude(Exists(recused))
               .order_by("pk").values_list("pk", "title", "session_id", "session__date"))
    for pk, title, session_id, day in ballots:
        found.append(PendingAction(
            key=f"councils.vote:{pk}", verb=_("Bỏ phiếu"), title=title,
            url=reverse("councils:session_detail", args=[session_id]),
            due_at=dates.local_midnight(day + dt.timedelta(days=1)), kind="councils",
        ))
    for session_id, day, council in (
        Evaluator.objects.filter(user=user, submitted=False).exclude(session__status=Session.Status.CLOSED)
        .order_by("pk").values_list("session_id", "session__date", "session__council__name")
    ):
        found.append(PendingAction(
            key=f"councils.evaluate:{session_id}", verb=_("Chấm điểm mô hình"),
            title=_("%(council)s, phiên họp ngày %(day)s") % {"council": council, "day": f"{day:%d/%m/%Y}"},
            url=reverse("councils:evaluation_grid", args=[session_id]),
            due_at=dates.local_midnight(day + dt.timedelta(days=1)), kind="councils",
        ))
    return found
