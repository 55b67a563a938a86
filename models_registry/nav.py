from django.urls import reverse
from django.utils.translation import gettext as _

from portal.extensions import NavItem


def nav_items(request) -> list[NavItem]:
    """The registry in the main menu for every signed-in user; the showcase for everyone."""
    return [
        NavItem(_("Mô hình"), reverse("models_registry:list"), order=10),
        NavItem(_("Mô hình tiêu biểu"), reverse("showcase:list"), order=70),
    ]
