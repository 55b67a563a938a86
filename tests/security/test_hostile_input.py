"""Hostile input through every form and query parameter of the portal.

For each GET page of the access matrix that a role may open, the page's <form>s are parsed with the
stdlib html.parser and submitted with every field filled by each category of the corpus (script
tags, HTML, SQL fragments, a 10,000-character string, combining marks, right-to-left override, NUL,
emoji, decomposed Vietnamese, wrong types); selects get a valid option and a hostile value in turn.
Every GET page also gets the corpus as its query parameters (q, page, sort, year and the fields of
its GET forms). Nothing may answer 500, no page may carry the script/HTML markers unescaped, and
every text stored afterwards is NFC without NUL bytes.
"""

from __future__ import annotations

import itertools
import traceback
import unicodedata
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models

from .access_rules import ROLE_ORDER, RULES
from .harness import WATCHED_APPS, client_for, url_for
from .hostile import CORPUS, UNESCAPED_MARKERS, fill, parse_forms
from .world import build_world

SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/", "/django-admin/")
QUERY_PARAMS = ("q", "page", "sort", "year", "status", "kind", "field", "state", "unit")


def _pages(world):
    """(url, principal) for every GET page of the matrix, opened by the first principal it admits."""
    for rule in RULES:
        if rule.method != "GET":
            continue
        url = url_for(rule, world, rule.side)
        if rule.anon == "200":
            yield rule.name, url, "anon"
        for role, answer in zip(ROLE_ORDER, rule.own, strict=True):
            if answer == "200":
                yield rule.name, url, role
                break


def _trace(response) -> str:
    if getattr(response, "exc_info", None):
        exc = response.exc_info[1]
        frames = traceback.extract_tb(response.exc_info[2])
        where = next((f for f in reversed(frames) if "/work/main/" in f.filename and ".venv" not in f.filename),
                     frames[-1])
        return f"{type(exc).__name__}: {str(exc)[:160]} at {where.filename.split('/work/main/')[-1]}:{where.lineno}"
    return ""


class Findings:
    def __init__(self):
        self.items: list[str] = []

    def check(self, response, what: str) -> None:
        if response.status_code >= 500:
            self.items.append(f"500 {what} :: {_trace(response)}")
            return
        content_type = response.headers.get("Content-Type", "")
        if "html" in content_type and not getattr(response, "streaming", False):
            body = response.content.decode("utf-8", "replace")
            for marker in UNESCAPED_MARKERS:
                if marker in body:
                    self.items.append(f"UNESCAPED {marker[:20]}… in {response.request['PATH_INFO']} after {what}")


def _short(text: str) -> str:
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


@pytest.mark.django_db
def test_hostile_input_through_every_form_and_query_parameter(tree, people, make_user, phase, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tree, people, make_user, phase)
    findings = Findings()
    pages = list(_pages(world))
    seen_forms: set = set()
    form_count = submissions = query_count = 0
    rotation = itertools.count()

    for name, url, principal in pages:
        client = client_for(world, principal)
        response = client.get(url)
        findings.check(response, f"GET {url} as {principal}")
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        forms = parse_forms(response.content.decode("utf-8", "replace"))
        # Query parameters: the usual ones and the fields of the page's GET forms.
        params = set(QUERY_PARAMS) | {f.name for form in forms if form.method == "get" for f in form.fields}
        for category, strings in CORPUS.items():
            text = strings[next(rotation) % len(strings)]
            query = {p: text for p in params}
            r = client.get(url, query)
            query_count += 1
            findings.check(r, f"GET {url}?<all params>={category}:{_short(text)} as {principal} [{name}]")
        for form in forms:
            action = urljoin(url, form.action) if form.action else url
            if action.startswith(SKIPPED_ACTIONS) or urlsplit(action).netloc:
                continue
            key = (principal, *form.signature())
            if key in seen_forms or not any(f.kind not in ("hidden", "checkbox", "radio") for f in form.fields):
                continue  # the same form on another page, or a bare confirmation button
            seen_forms.add(key)
            form_count += 1
            for i, (category, strings) in enumerate(CORPUS.items()):
                text = strings[next(rotation) % len(strings)]
                data = fill(form, text, hostile_select=bool(i % 2))
                if form.method == "get":
                    r = client.get(action, data, follow=True)
                else:
                    r = client.post(action, data, follow=True)
                submissions += 1
                fields = ",".join(sorted(f.name for f in form.fields if f.kind != "hidden"))[:120]
                findings.check(r, f"{form.method.upper()} {action} as {principal} (form on {url}; fields {fields}) "
                                  f"with {category}:{_short(text)}")

    # Stored text comes back escaped on every page afterwards.
    for _name, url, principal in pages:
        findings.check(client_for(world, principal).get(url), f"GET {url} as {principal} after the corpus")

    stored = _stored_text_problems()
    summary = (f"{len(pages)} pages, {form_count} forms × {len(CORPUS)} categories = {submissions} submissions, "
               f"{query_count} query-parameter requests")
    print(summary)
    assert form_count > 40 and submissions >= form_count * len(CORPUS), summary
    problems = findings.items + stored
    assert not problems, f"{summary}\n{len(problems)} problems:\n  " + "\n  ".join(sorted(set(problems)))


def _stored_text_problems() -> list[str]:
    """Every text column of the portal's tables: NFC, and no NUL byte."""
    problems = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            text_fields = [f.name for f in model._meta.concrete_fields
                           if isinstance(f, (models.CharField, models.TextField))]
            if not text_fields:
                continue
            for row in model.objects.values("pk", *text_fields).iterator():
                for name in text_fields:
                    value = row[name]
                    if not isinstance(value, str) or not value:
                        continue
                    if "\x00" in value:
                        problems.append(f"NUL stored in {model._meta.label}.{name} (pk {row['pk']})")
                    elif unicodedata.normalize("NFC", value) != value:
                        problems.append(f"non-NFC stored in {model._meta.label}.{name} (pk {row['pk']}): "
                                        f"{_short(value)}")
    return problems
