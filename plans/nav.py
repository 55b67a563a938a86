"""The plans entries of the main menu."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem


def nav_items(request) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    return [
        NavItem(label=_("Kế hoạch"), url=reverse("plans:plan_list"), order=40, group="plans"),
        NavItem(label=_("Kiểm tra"), url=reverse("plans:inspection_list"), order=45, group="plans"),
        NavItem(label=_("Thời hạn của tôi"), url=reverse("plans:deadlines"), order=46, group="plans"),
    ]
