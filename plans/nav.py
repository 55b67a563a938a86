"""The plans entries of the main menu."""

from django.urls import reverse

from portal.extensions import NavItem


def nav_items(request) -> list[NavItem]:
    return [
        NavItem(label="Kế hoạch", url=reverse("plans:plan_list"), order=40),
        NavItem(label="Kiểm tra", url=reverse("plans:inspection_list"), order=45),
        NavItem(label="Thời hạn", url=reverse("plans:deadlines"), order=46),
    ]
