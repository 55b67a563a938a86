from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem
from portal.permissions import ADMIN, has_role


def nav_items(request) -> list[NavItem]:
    items = [NavItem(_("Điển hình, đánh giá"), reverse("awards:index"), order=30)]
    if has_role(request.user, ADMIN):
        items.append(NavItem(_("Nội dung đăng ký"), reverse("awards:content_list"), order=85))
    return items
