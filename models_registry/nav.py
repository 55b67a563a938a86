from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem
from portal.permissions import CELL, LEADER, STAFF, has_role


def nav_items(request) -> list[NavItem]:
    """The registry for every signed-in user, its figures for leadership and the Party cell."""
    user = request.user
    if not user.is_authenticated:
        return []
    items = [NavItem(_("Danh sách mô hình"), reverse("models_registry:list"), order=10, group="models")]
    if has_role(user, STAFF):
        items.append(NavItem(_("Đăng ký mô hình mới"), reverse("models_registry:create"), order=11, group="models"))
    if has_role(user, LEADER, CELL):
        items += [
            NavItem(_("Thống kê mô hình"), reverse("models_registry:stats"), order=12, group="models"),
            NavItem(_("Đơn vị chưa có mô hình"), reverse("models_registry:coverage"), order=13, group="models"),
            NavItem(_("Nhân rộng mô hình"), reverse("models_registry:spread"), order=14, group="models"),
        ]
    if has_role(user, LEADER):
        items.append(NavItem(_("Hạn đăng ký mô hình"), reverse("models_registry:deadlines"), order=15,
                             group="models"))
    items.append(NavItem(_("Mô hình tiêu biểu (công khai)"), reverse("showcase:list"), order=19, group="models"))
    return items
