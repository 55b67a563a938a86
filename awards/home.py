"""What the home page asks of each person about pledges and quarterly reviews (few queries)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.extensions import HomeCard


def home_cards(request) -> list[HomeCard]:
    from .models import Pledge, ReviewRound, ScoreSubmission
    from .pledges import selectors
    from .pledges import workflow as wf

    user = request.user
    if not user.is_authenticated or user.unit_id is None:
        return []
    year = timezone.localdate().year
    cards = []
    if user.has_role(*selectors.PLEDGING_ROLES) and not Pledge.objects.filter(person=user, year=year).exists():
        cards.append(HomeCard(title=_('Đăng ký thi đua năm %(year)s') % {"year": year},
                              text=_("Bạn chưa có bản đăng ký thực hiện phong trào “Dân vận khéo” năm nay."),
                              url=reverse("awards:pledge_create"), order=20, tone="warning"))
    if wf.is_union_member_of(user, user.unit):
        waiting = Pledge.objects.filter(unit_id=user.unit_id, status=Pledge.Status.SUBMITTED).count()
        if waiting:
            cards.append(HomeCard(title=_("Bản đăng ký chờ tiếp nhận"), count=waiting,
                                  url=reverse("awards:pledge_list") + "?status=submitted", order=21))
        to_score = (ReviewRound.objects.filter(unit_id=user.unit_id, status=ReviewRound.Status.OPEN)
                    .exclude(pk__in=ScoreSubmission.objects.filter(member=user).values("round_id")).first())
        if to_score:
            cards.append(HomeCard(title=_('Chấm điểm %(to_score)s') % {"to_score": to_score}, text=_("Bạn chưa nộp kết quả chấm của đợt này."),
                                  url=reverse("awards:score_grid", args=[to_score.pk]), order=22, tone="danger"))
    return cards
