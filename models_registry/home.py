"""What the home page asks of each role about DVK models (a few queries at most)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.extensions import HomeCard
from portal.permissions import CELL, LEADER, STAFF, has_role

from .models import DvkModel, State
from .selectors import deadline_for, subtree_counts


def home_cards(request) -> list[HomeCard]:
    user = request.user
    cards: list[HomeCard] = []
    year = timezone.localdate().year
    list_url = reverse("models_registry:list")
    if has_role(user, STAFF) and user.unit_id:
        mine = DvkModel.objects.filter(unit_id=user.unit_id).aggregate(
            drafts=Count("id", filter=Q(state=State.DRAFT)),
            returned=Count("id", filter=Q(state=State.RETURNED)),
            this_year=Count("id", filter=Q(year=year) & ~Q(state=State.DRAFT)),
        )
        deadline = deadline_for(user.unit, year)
        cards.append(HomeCard(
            title=_("Mô hình của đơn vị"),
            text=_("Năm %(year)s: %(count)s mô hình đã gửi. Hạn đăng ký: trước ngày %(deadline)s.") % {
                "year": year, "count": mine["this_year"], "deadline": f"{deadline:%d/%m/%Y}"},
            count=mine["drafts"] + mine["returned"],
            items=[_('%(value)s bản nháp chưa gửi') % {"value": mine['drafts']}, _('%(value)s bản bị trả lại cần sửa') % {"value": mine['returned']}],
            url=reverse("models_registry:create") if not mine["drafts"] else f"{list_url}?state=draft",
            order=10,
        ))
    if has_role(user, LEADER, CELL):
        counts = subtree_counts(user, year)
        pending = next((n for _label, code, n in counts["by_state"] if code == State.SUBMITTED), 0)
        cards.append(HomeCard(
            title=_("Đề xuất mô hình chờ duyệt"),
            text=_("Góp ý, duyệt hoặc trả lại các đề xuất mô hình “Dân vận khéo”."),
            count=pending, url=f"{list_url}?state=submitted", order=5, tone="warning",
        ))
        cards.append(HomeCard(
            title=_('Mô hình năm %(year)s theo lĩnh vực') % {"year": year},
            count=counts["total"],
            items=[f"{label}: {n}" for label, n in counts["by_field"]]
            + [f"{label}: {n}" for label, _code, n in counts["by_state"] if n]
            + [f"{label}: {n}" for label, n in counts["by_level"] if n],
            url=reverse("models_registry:stats"), order=11,
        ))
        cards.append(HomeCard(
            title=_("Đơn vị chưa có mô hình"),
            text=_("Mô hình của từng đơn vị so với chỉ tiêu của Kế hoạch 54-KH/BDVTU; đôn đốc đơn vị chưa có."),
            url=reverse("models_registry:coverage"), order=12, tone="danger",
        ))
    return cards
