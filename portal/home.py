from django.urls import reverse
from django.utils.translation import gettext as _

from .extensions import HomeCard
from .permissions import ADMIN, has_role


def home_cards(request) -> list[HomeCard]:
    """The administrator's work: units and accounts."""
    if not has_role(request.user, ADMIN):
        return []
    from portal.accounts.models import User
    from portal.units.models import Unit

    return [
        HomeCard(
            title=_("Quản trị đơn vị"),
            text=_("Thêm, chuyển, hợp nhất đơn vị theo cơ cấu tổ chức mới."),
            count=Unit.objects.filter(is_active=True).count(),
            url=reverse("units:list"),
            order=90,
        ),
        HomeCard(
            title=_("Quản trị người dùng"),
            text=_("Tạo tài khoản, gán vai trò, nhập từ Excel."),
            count=User.objects.filter(is_active=True).count(),
            url=reverse("accounts:user_list"),
            order=91,
        ),
    ]
