from django.urls import reverse

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
            title="Quản trị đơn vị",
            text="Thêm, chuyển, hợp nhất đơn vị theo cơ cấu tổ chức mới.",
            count=Unit.objects.filter(is_active=True).count(),
            url=reverse("units:list"),
            order=90,
        ),
        HomeCard(
            title="Quản trị người dùng",
            text="Tạo tài khoản, gán vai trò, nhập từ Excel.",
            count=User.objects.filter(is_active=True).count(),
            url=reverse("accounts:user_list"),
            order=91,
        ),
    ]
