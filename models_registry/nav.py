from django.urls import reverse

from portal.extensions import NavItem


def nav_items(request) -> list[NavItem]:
    """The registry in the main menu for every signed-in user; the showcase for everyone."""
    return [
        NavItem("Mô hình", reverse("models_registry:list"), order=10),
        NavItem("Mô hình tiêu biểu", reverse("showcase:list"), order=70),
    ]
