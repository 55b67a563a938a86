from django.urls import reverse
from django.utils.translation import gettext as _

from .extensions import HomeCard
from .permissions import is_admin, units_visible_to


def home_cards(request) -> list[HomeCard]:
    """The administrator's figures: each count is what its link lists (units: the active ones,
    as the unit list opens; accounts: all of them, as the user list opens)."""
    if not is_admin(request.user):
        return []
    from portal.accounts.models import User

    return [HomeCard(
        title=_("Quản trị"), order=90,
        items=[
            (_("Đơn vị đang hoạt động"), units_visible_to(request.user).filter(is_active=True).count(),
             reverse("units:list")),
            (_("Tài khoản người dùng"), User.objects.count(), reverse("accounts:user_list")),
        ],
        text=_("Thêm, chuyển, hợp nhất đơn vị theo cơ cấu tổ chức mới; tạo tài khoản, gán vai trò, nhập từ Excel."),
    )]
