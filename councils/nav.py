from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem


def nav_items(request) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    return [NavItem(_("Hội đồng thi đua"), reverse("councils:index"), order=35, group="awards")]
