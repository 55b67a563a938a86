"""What the home page shows of pledges and quarterly reviews: the person's pending actions and the
committee's figures, each a link to the list that shows exactly that many (few queries)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import dates
from portal.extensions import HomeCard, PendingAction
from portal.permissions import UNION, has_role


def home_cards(request) -> list[HomeCard]:
    from .models import Pledge
    from .pledges import selectors

    user = request.user
    if not has_role(user, UNION) or user.unit_id is None:
        return []
    year = timezone.localdate().year

    # Each count is that of the pledge list opened with the same filters, counted in one query.
    specs = [(_("Chờ tiếp nhận"), Pledge.Status.SUBMITTED), (_("Đã tiếp nhận"), Pledge.Status.ACCEPTED),
             (_("Trả lại để bổ sung"), Pledge.Status.RETURNED)]
    # COUNT(status) (never null) rather than COUNT(id): the (year, status) index answers it alone.
    counts = selectors.pledges_visible_to(user, year=year).aggregate(
        **{f"n{i}": Count("status", filter=Q(status=status)) for i, (_label, status) in enumerate(specs)})
    list_url = reverse("awards:pledge_list")
    return [HomeCard(
        title=_("Đăng ký thi đua năm %(year)s") % {"year": year}, order=21,
        items=[(label, counts[f"n{i}"], f"{list_url}?{urlencode({'status': status, 'year': year})}")
               for i, (label, status) in enumerate(specs)],
        text=_("Người chưa đăng ký: xem danh sách để nhắc."), url=reverse("awards:unregistered"),
    )]


def pending_actions(user) -> list[PendingAction]:
    """Pledges to send or complete (their holder), to receive and review grids to score (the
    unit's Union Executive Committee), self-assessments of an open round (the pledge holder) and
    the year's pledge not yet registered."""
    from portal.units.models import Phase

    from .deadlines import PLEDGING_ROLES, pledge_deadline, round_meeting, self_assessment_days
    from .models import Pledge, ReviewRound, ScoreSubmission, SelfAssessment

    if user.unit_id is None:
        return []
    found: list[PendingAction] = []
    mine = Q(person=user) | Q(person__isnull=True, created_by=user)
    for pk, status, year, name in (Pledge.objects.filter(mine, status__in=[Pledge.Status.DRAFT, Pledge.Status.RETURNED])
                                   .order_by("pk").values_list("pk", "status", "year", "collective_name")):
        returned = status == Pledge.Status.RETURNED
        title = (_("Bản đăng ký thi đua năm %(year)s của tập thể %(name)s") % {"year": year, "name": name} if name
                 else _("Bản đăng ký thi đua năm %(year)s") % {"year": year})
        found.append(PendingAction(
            key=f"awards.pledge-{status}:{pk}", verb=_("Bổ sung và gửi lại") if returned else _("Gửi"),
            title=title, url=reverse("awards:pledge_detail", args=[pk]),
            due_at=dates.local_midnight(pledge_deadline(year)), kind="awards",
        ))
    open_rounds = list(ReviewRound.objects.filter(status=ReviewRound.Status.OPEN, unit_id=user.unit_id)
                       .values_list("pk", "year", "quarter", "meeting_date", "opened_at"))
    # Self-assessments: an open round of the unit and year of an accepted pledge the user holds.
    window = dt.timedelta(days=self_assessment_days())
    held = list(Pledge.objects.filter(mine, unit_id=user.unit_id, status=Pledge.Status.ACCEPTED,
                                      year__in={r[1] for r in open_rounds}).values_list("pk", "year"))
    done = set(SelfAssessment.objects.filter(round_id__in=[r[0] for r in open_rounds], pledge_id__in=[p for p, _y in held])
               .values_list("round_id", "pledge_id"))
    for round_pk, year, quarter, _meeting, opened_at in open_rounds:
        for pk in [p for p, y in held if y == year and (round_pk, p) not in done]:
            found.append(PendingAction(
                key=f"awards.round-self:{round_pk}:{pk}", verb=_("Tự đánh giá"),
                title=_("Đợt đánh giá quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year},
                url=reverse("awards:self_assessment", args=[round_pk, pk]),
                due_at=opened_at + window if opened_at else None, kind="awards",
            ))
    if user.has_role(UNION):
        for pk, person, collective, year in (
            Pledge.objects.filter(unit_id=user.unit_id, status=Pledge.Status.SUBMITTED).order_by("pk")
            .values_list("pk", "person__full_name", "collective_name", "year")
        ):
            found.append(PendingAction(
                key=f"awards.pledge-receive:{pk}", verb=_("Tiếp nhận"),
                title=_("Bản đăng ký năm %(year)s của %(who)s") % {"year": year, "who": person or collective},
                url=reverse("awards:pledge_detail", args=[pk]), kind="awards",
            ))
        scored = set(ScoreSubmission.objects.filter(member=user, round_id__in=[r[0] for r in open_rounds])
                     .values_list("round_id", flat=True))
        for round_pk, year, quarter, meeting, _opened in open_rounds:
            if round_pk in scored:
                continue
            day, _set = round_meeting(year, quarter, meeting)
            found.append(PendingAction(
                key=f"awards.round-close:{round_pk}", verb=_("Chấm điểm"),
                title=_("Đợt đánh giá quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year},
                url=reverse("awards:score_grid", args=[round_pk]), due_at=dates.local_midnight(day), kind="awards",
            ))
    # The year's pledge, where the unit has a Union Executive Committee to receive it.
    year = timezone.localdate().year
    if (user.has_role(*PLEDGING_ROLES) and any(p.start_year <= year <= p.end_year for p in Phase.all_cached())
            and not Pledge.objects.filter(person=user, year=year).exists()
            and get_user_model().objects.filter(unit_id=user.unit_id, is_active=True, roles__code=UNION).exists()):
        found.append(PendingAction(
            key=f"awards.pledge:{user.unit_id}:{year}", verb=_("Đăng ký thi đua"),
            title=_("Đăng ký thực hiện phong trào “Dân vận khéo” năm %(year)s") % {"year": year},
            url=reverse("awards:pledge_create"), due_at=dates.local_midnight(pledge_deadline(year)), kind="awards",
        ))
    return found
