"""How the apps plug into shared pages without the project knowing their insides.

Each app may have a `nav.py` with `nav_items(request) -> list[NavItem]` (entries of the main menu,
each in one of the `NAV_GROUPS`, only those the person may use) and a `home.py` with
`home_cards(request) -> list[HomeCard]` (the unit's figures on the home page) and
`pending_actions(user) -> list[PendingAction]` (what waits for this person: the "needs me" list
of the home page and of `/viec-can-lam/`). All must be cheap: a few queries each, whatever the
number of rows (`tests/portal/test_needs_me.py` holds the whole list to a query budget).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext_lazy as _


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 50
    active: bool = False
    group: str = ""  # a key of NAV_GROUPS; "" puts the item on the bar itself


# The menus of the bar, by what people do, in their order on the bar.
NAV_GROUPS: dict[str, str] = {
    "models": _("Mô hình"),
    "awards": _("Điển hình và đánh giá"),
    "reports": _("Khen thưởng và báo cáo"),
    "plans": _("Kế hoạch và kiểm tra"),
    "admin": _("Quản trị"),
    "me": _("Của tôi"),  # the person's own menu, under their name
}


@dataclass
class NavGroup:
    key: str
    label: str
    items: list[NavItem]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


@dataclass
class HomeCard:
    title: str
    text: str = ""
    url: str = ""
    count: int | None = None
    order: int = 50
    tone: str = "primary"
    # The figures: (label, count, url) where the url opens a list of exactly `count` rows.
    items: list = field(default_factory=list)


@dataclass
class PendingAction:
    """One thing waiting for one person, one click from where it is done."""

    key: str  # unique across the portal: "<app>.<what>:<id>", the same key as its Deadline if any
    verb: str  # what to do, as the button says it: "Duyệt", "Chấm điểm", "Ký số"
    title: str  # on what
    url: str
    due_at: dt.datetime | None = None
    detail: str = ""
    kind: str = ""  # the area, for grouping and tests: "models", "awards", "councils", ...

    @property
    def sort_key(self):
        # Soonest deadline first; things without a deadline after them, in a stable order.
        return (self.due_at is None, self.due_at or dt.datetime.max.replace(tzinfo=dt.UTC), self.key)


PORTAL_APPS = ("portal", "models_registry", "awards", "plans", "documents", "councils")


def optional_module(package: str, module_name: str):
    """`package.module_name` if that module exists (an error inside it is not hidden), else None."""
    try:
        return importlib.import_module(f"{package}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{package}.{module_name}":
            return None
        raise


def _collect(module_name: str, func_name: str, arg) -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PORTAL_APPS):
            continue
        module = optional_module(config.name, module_name)
        if module is not None and hasattr(module, func_name):
            found.extend(getattr(module, func_name)(arg))
    return found


def nav_items(request) -> list[NavItem]:
    items = sorted(_collect("nav", "nav_items", request), key=lambda item: item.order)
    # The current place is the item whose address is the longest prefix of the path.
    best = max((item for item in items if item.url != "/" and request.path.startswith(item.url)),
               key=lambda item: len(item.url), default=None)
    for item in items:
        item.active = item is best
    return items


def nav_groups(request) -> list[NavGroup]:
    """The menu as the bar shows it: the groups that have an item for this person, in order."""
    items = nav_items(request)
    return [NavGroup(key, str(label), found) for key, label in NAV_GROUPS.items()
            if (found := [item for item in items if item.group == key])]


def home_cards(request) -> list[HomeCard]:
    return sorted(_collect("home", "home_cards", request), key=lambda item: item.order)


def pending_actions(user) -> list[PendingAction]:
    """Everything waiting for `user` across the portal, soonest deadline first (one per key)."""
    if not user.is_authenticated or not user.is_active:
        return []
    seen: dict[str, PendingAction] = {}
    for action in _collect("home", "pending_actions", user):
        seen.setdefault(action.key, action)
    return sorted(seen.values(), key=lambda action: action.sort_key)
