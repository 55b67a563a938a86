"""How the apps plug into shared pages without the project knowing their insides.

Each app may have a `nav.py` with `nav_items(request) -> list[NavItem]` (entries of the main menu)
and a `home.py` with `home_cards(request) -> list[HomeCard]` (what the home page asks the user
to do). Both must be cheap: a few queries at most.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.apps import apps


@dataclass
class NavItem:
    label: str
    url: str
    order: int = 50
    active: bool = False


@dataclass
class HomeCard:
    title: str
    text: str = ""
    url: str = ""
    count: int | None = None
    order: int = 50
    tone: str = "primary"
    items: list = field(default_factory=list)
    # When set, the card's content is fetched from this URL after the page loads (htmx): for
    # cards that cost many queries, so the home page itself stays quick. Without JavaScript the
    # card links to `url`.
    lazy_url: str = ""


PORTAL_APPS = ("portal", "models_registry", "awards", "plans", "documents", "councils")


def optional_module(package: str, module_name: str):
    """`package.module_name` if that module exists (an error inside it is not hidden), else None."""
    try:
        return importlib.import_module(f"{package}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{package}.{module_name}":
            return None
        raise


def _collect(module_name: str, func_name: str, request) -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PORTAL_APPS):
            continue
        module = optional_module(config.name, module_name)
        if module is not None:
            found.extend(getattr(module, func_name)(request))
    return sorted(found, key=lambda item: item.order)


def nav_items(request) -> list[NavItem]:
    items = _collect("nav", "nav_items", request)
    for item in items:
        item.active = bool(item.url and item.url != "/" and request.path.startswith(item.url))
    return items


def home_cards(request) -> list[HomeCard]:
    return _collect("home", "home_cards", request)
