from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem
from portal.permissions import CELL, LEADER, STAFF, UNION, has_role


def nav_items(request) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    items = [NavItem(_("Báo cáo, văn bản"), reverse("reports:list"), order=55, group="reports")]
    if has_role(request.user, LEADER, STAFF, CELL, UNION):
        items.append(NavItem(_("Sổ văn bản đi"), reverse("documents:register"), order=56, group="reports"))
    return items
