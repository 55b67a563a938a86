from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem
from portal.permissions import ADMIN, CELL, LEADER, UNION, has_role


def nav_items(request) -> list[NavItem]:
    """Pledges and quarterly reviews for everyone; the year's results and the 15/10 commendations
    for the Union Executive Committee, the Party cell and leadership."""
    user = request.user
    if not user.is_authenticated:
        return []
    items = [
        NavItem(_("Tổng quan thi đua"), reverse("awards:index"), order=30, group="awards"),
        NavItem(_("Bản đăng ký thi đua"), reverse("awards:pledge_list"), order=31, group="awards"),
        NavItem(_("Đợt đánh giá quý"), reverse("awards:round_list"), order=33, group="awards"),
    ]
    if has_role(user, UNION):
        items.append(NavItem(_("Người chưa đăng ký"), reverse("awards:unregistered"), order=32, group="awards"))
    if has_role(user, UNION, CELL, LEADER):
        items += [
            NavItem(_("Kết quả cả năm"), reverse("awards:annual"), order=34, group="awards"),
            NavItem(_("Ngày truyền thống 15/10"), reverse("awards:dashboard_1510"), order=50, group="reports"),
            NavItem(_("Đề nghị khen thưởng"), reverse("awards:proposal_list"), order=51, group="reports"),
        ]
    if has_role(user, ADMIN):
        items.append(NavItem(_("Nội dung đăng ký"), reverse("awards:content_list"), order=85, group="admin"))
    return items
