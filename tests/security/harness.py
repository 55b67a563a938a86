"""Requests of the matrix: resolve a rule's URL for a subtree, send it as a principal, classify the answer."""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .access_rules import LOGIN, Rule
from .world import World

# The apps whose rows a refused POST must leave untouched.
WATCHED_APPS = ("accounts", "units", "portal", "models_registry", "awards", "plans", "councils")


def url_for(rule: Rule, world: World, side: str) -> str:
    objs = world.side(side)
    kwargs = {}
    for key, spec in rule.kwargs.items():
        if spec.startswith("="):
            kwargs[key] = spec[1:]
        elif "." in spec:
            obj_name, attr = spec.split(".", 1)
            kwargs[key] = getattr(objs[obj_name], attr)
        else:
            kwargs[key] = objs[spec].pk
    return reverse(rule.name, kwargs=kwargs)


def classify(response) -> str:
    """"L" for a redirect to the login page, else the status code as text."""
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        if location.startswith(reverse("login")):
            return LOGIN
    return str(response.status_code)


_clients: dict = {}


def client_for(world: World, principal: str) -> Client:
    key = (id(world), principal)
    if key not in _clients:
        client = Client(raise_request_exception=False)
        user = world.principals[principal]
        if user is not None:
            client.force_login(user)
        _clients[key] = client
    return _clients[key]


def fingerprint() -> str:
    """A digest of every row of the watched apps (history tables and sessions aside)."""
    digest = hashlib.sha256()
    for app_label in WATCHED_APPS:
        for model in sorted(apps.get_app_config(app_label).get_models(), key=lambda m: m._meta.db_table):
            if model._meta.db_table.endswith("historical") or "historical" in model._meta.db_table:
                continue
            rows = model.objects.order_by("pk").values_list()
            digest.update(model._meta.db_table.encode())
            digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def send(world: World, principal: str, url: str, method: str, data: dict | None = None, *,
         watch: bool = False):
    """Send one request inside a savepoint that is rolled back, so no case changes the world.

    With `watch`, also tell whether the request changed any row: returns (response, changed).
    """
    client = client_for(world, principal)
    changed = False
    with transaction.atomic():
        before = fingerprint() if watch else None
        sid = transaction.savepoint()
        try:
            if method == "GET":
                response = client.get(url, data or {})
            else:
                response = client.post(url, data or {})
            if watch:
                changed = fingerprint() != before
        finally:
            transaction.savepoint_rollback(sid)
    return (response, changed) if watch else response
