from django.urls import reverse
from django.utils.translation import gettext as _

from .extensions import NavItem
from .permissions import ADMIN, has_role


def nav_items(request) -> list[NavItem]:
    items = [NavItem(_("Đơn vị"), reverse("units:list"), order=80)]
    if has_role(request.user, ADMIN):
        items.append(NavItem(_("Người dùng"), reverse("accounts:user_list"), order=90))
        items.append(NavItem(_("Giai đoạn"), reverse("units:phases"), order=91))
    return items
