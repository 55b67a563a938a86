from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem
from portal.permissions import CELL, LEADER, STAFF, UNION, has_role


def nav_items(request) -> list[NavItem]:
    if has_role(request.user, LEADER, STAFF, CELL, UNION):
        return [NavItem(_("Sổ văn bản đi"), reverse("documents:register"), order=70)]
    return []
