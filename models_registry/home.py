"""What the home page shows of DVK models: the person's pending actions on them, and the unit's
figures, each a link to the list that shows exactly that many models (a few queries at most)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import dates
from portal.extensions import HomeCard, PendingAction
from portal.permissions import CELL, LEADER, STAFF, has_role, scope_queryset

from .models import DvkModel, ExtensionRequest, ModelEvent, State, UnitFollowUp
from .selectors import visible_parts


def _figures(user, specs: list[tuple[str, dict]]) -> list[tuple[str, int, str]]:
    """[(label, count, link)]: each count is that of the models list opened with the same filters
    (state and year filter the list exactly as `Q(**params)` does), all counted in one query.

    The figures are grouped by their year (or none): each group of each part of what the user sees
    (`visible_parts`) is one branch of a UNION ALL, `state IN (…)` with that year counted by state,
    so PostgreSQL reads it from the index that answers it (the state index for all drafts, the
    (year, state) index for a year's registrations) and counts each row once. One COUNT over their
    OR made it read every model of the country (the administrator's home at nation5: 86 ms for the
    unit card); a COUNT … FILTER per figure tested every figure's condition on every row (26 ms for
    the year's 54,000 models of the country, 11 ms grouped by state)."""
    years: dict[int | None, set[str]] = {}
    for _label, params in specs:
        years.setdefault(params.get("year"), set()).add(params["state"])
    branches = [
        part.filter(state__in=sorted(states), **({"year": year} if year is not None else {}))
        .order_by().annotate(y=Value(-1 if year is None else year)).values("y", "state").annotate(n=Count("*"))
        for part in visible_parts(user) for year, states in years.items()
    ]
    counts = Counter()
    for row in branches[0].union(*branches[1:], all=True):
        counts[(None if row["y"] == -1 else row["y"], row["state"])] += row["n"]
    list_url = reverse("models_registry:list")
    return [(label, counts[(params.get("year"), params["state"])], f"{list_url}?{urlencode(params)}")
            for label, params in specs]


def home_cards(request) -> list[HomeCard]:
    user = request.user
    year = timezone.localdate().year
    unit_specs = [
        (_("Bản nháp chưa gửi"), {"state": State.DRAFT}),
        (_("Bị trả lại, cần sửa"), {"state": State.RETURNED}),
        (_("Đã đăng ký năm %(year)s") % {"year": year}, {"state": State.REGISTERED, "year": year}),
    ] if has_role(user, STAFF) and user.unit_id else []
    year_specs = [
        (_("Chờ duyệt"), {"state": State.SUBMITTED, "year": year}),
        (_("Đã đăng ký"), {"state": State.REGISTERED, "year": year}),
        (_("Đã đánh giá"), {"state": State.EVALUATED, "year": year}),
        (_("Được công nhận"), {"state": State.RECOGNISED, "year": year}),
    ] if has_role(user, LEADER, CELL) else []
    if not unit_specs and not year_specs:
        return []
    # Both cards in one query: for someone who sees both (an administrator, a leader who is also
    # staff), the year's models are read once for the two (an administrator's at nation5: two
    # queries of 12 ms each before, one of 18 ms).
    figures = _figures(user, unit_specs + year_specs)
    cards: list[HomeCard] = []
    if unit_specs:
        cards.append(HomeCard(title=_("Mô hình của đơn vị"), order=10, items=figures[:len(unit_specs)]))
    if year_specs:
        cards.append(HomeCard(
            title=_("Mô hình năm %(year)s") % {"year": year}, order=11, items=figures[len(unit_specs):],
            text=_("Đơn vị chưa có mô hình: xem trang độ phủ để đôn đốc."),
            url=reverse("models_registry:coverage"),
        ))
    return cards


def pending_actions(user) -> list[PendingAction]:
    """Drafts to send and returned models to fix (staff of the unit), proposals to approve and
    extension requests to decide (leadership), proposals to comment on (the Party cell committee),
    follow-ups received, registration deadlines and progress reports due.

    Only roles the person holds count: an administrator, who may act everywhere, is not asked to
    do every unit's work."""
    from .deadlines import (
        OPEN_DRAFT_STATES,
        REGISTERED_STATES,
        ProgressReportSource,
        RegistrationDeadlineSource,
        registration_deadlines,
    )

    found: list[PendingAction] = []
    detail = "models_registry:detail"
    if user.has_role(STAFF) and user.unit_id:
        open_drafts = list(DvkModel.objects.filter(unit_id=user.unit_id, state__in=OPEN_DRAFT_STATES)
                           .select_related("unit").order_by("pk"))
        due = registration_deadlines({user.unit_id: user.unit.path}, sorted({m.year for m in open_drafts}))
        for model in open_drafts:
            day = model.submit_until or due[(user.unit_id, model.year)]
            returned = model.state == State.RETURNED
            found.append(PendingAction(
                key=f"models_registry.{'returned' if returned else 'draft'}:{model.pk}",
                verb=_("Sửa và gửi lại") if returned else _("Gửi đăng ký"), title=model.name,
                url=reverse("models_registry:edit" if returned else detail, args=[model.pk]),
                due_at=dates.local_midnight(day + dt.timedelta(days=1)) if model.submit_until
                else dates.local_midnight(day),
                detail=model.return_note if returned else "", kind="models",
            ))
        # A follow-up (đôn đốc) of a year for which the unit has sent no model yet.
        sent = DvkModel.objects.filter(unit_id=OuterRef("unit_id"), year=OuterRef("year"), state__in=REGISTERED_STATES)
        for follow_up in (UnitFollowUp.objects.filter(unit_id=user.unit_id).exclude(Exists(sent))
                          .order_by("year", "-sent_at").distinct("year")):
            found.append(PendingAction(
                key=f"models_registry.followup:{follow_up.unit_id}:{follow_up.year}",
                verb=_("Xây dựng mô hình"),
                title=_("Đôn đốc xây dựng mô hình năm %(year)s") % {"year": follow_up.year},
                url=reverse("models_registry:create"), detail=follow_up.message, kind="models",
            ))
        sources = [ProgressReportSource()]
        if not open_drafts:
            sources.append(RegistrationDeadlineSource())
        from plans.selectors import deadline_actions

        found += deadline_actions(user, sources, area="models")
    if user.has_role(LEADER):
        for pk, name in (scope_queryset(DvkModel.objects.filter(state=State.SUBMITTED), user)
                         .order_by("pk").values_list("pk", "name")):
            found.append(PendingAction(key=f"models_registry.approve:{pk}", verb=_("Duyệt"), title=name,
                                       url=reverse(detail, args=[pk]), kind="models"))
        for pk, model_id, name in (
            scope_queryset(ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING), user,
                           "model__unit").order_by("pk").values_list("pk", "model_id", "model__name")
        ):
            found.append(PendingAction(key=f"models_registry.extension:{pk}", verb=_("Xem xét gia hạn"),
                                       title=name, url=reverse(detail, args=[model_id]), kind="models"))
    if user.has_role(CELL) and not user.has_role(LEADER):
        commented = ModelEvent.objects.filter(model=OuterRef("pk"), action=ModelEvent.Action.COMMENT, actor=user)
        for pk, name in (scope_queryset(DvkModel.objects.filter(state=State.SUBMITTED), user)
                         .exclude(Exists(commented)).order_by("pk").values_list("pk", "name")):
            found.append(PendingAction(key=f"models_registry.comment:{pk}", verb=_("Góp ý"), title=name,
                                       url=reverse(detail, args=[pk]), kind="models"))
    return found
