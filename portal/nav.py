from django.urls import reverse
from django.utils.translation import gettext as _

from .extensions import NavItem
from .permissions import is_admin


def nav_items(request) -> list[NavItem]:
    """Administration for administrators; everyone else finds the units in their own menu."""
    if not request.user.is_authenticated:
        return []
    items = [NavItem(_("Việc cần làm"), reverse("needs_me"), order=1, group="me")]
    if is_admin(request.user):
        items += [
            NavItem(_("Đơn vị"), reverse("units:list"), order=80, group="admin"),
            NavItem(_("Người dùng"), reverse("accounts:user_list"), order=90, group="admin"),
            NavItem(_("Giai đoạn"), reverse("units:phases"), order=91, group="admin"),
        ]
    else:
        items.append(NavItem(_("Đơn vị"), reverse("units:list"), order=80, group="me"))
    return items
