"""The access matrix: every named URL × anonymous and every role × own subtree and a foreign one.

The URL list comes from the URL configuration (tests/security/urlwalk.py); who may reach each URL is
declared in tests/security/access_rules.py. A URL without an entry fails, so new URLs get declared.
The world (one object of each kind in H01 and in H02) is built once for the module's matrix test.
"""

from __future__ import annotations

import fnmatch
import os

import pytest

from .access_rules import BODIES, EXCLUDED, LOGIN, ROLE_ORDER, RULES, cell_count
from .harness import classify, send, url_for
from .urlwalk import named_patterns
from .world import build_world

DENIED = {LOGIN, "403", "404", "405"}


def _excluded(name: str) -> str | None:
    for pattern, reason in EXCLUDED.items():
        if fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def test_every_url_pattern_has_an_access_entry():
    declared = {rule.name for rule in RULES}
    missing = [f"{p.name}  (/{p.route})" for p in named_patterns()
               if p.name not in declared and _excluded(p.name) is None]
    assert not missing, (
        "URL patterns without an entry in tests/security/access_rules.py (declare who may reach them, "
        "or exclude them with a reason):\n  " + "\n  ".join(missing)
    )


def test_every_access_entry_names_an_existing_url_once():
    names = [rule.name for rule in RULES]
    existing = {p.name for p in named_patterns()}
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
    assert sorted(set(names) - existing) == []
    assert not any(_excluded(n) for n in names), "an entry is both declared and excluded"


def test_every_post_endpoint_has_a_valid_body():
    posts = {rule.name for rule in RULES if rule.method == "POST"}
    assert sorted(posts - set(BODIES)) == [], "POST endpoints without a valid body in access_rules.BODIES"
    assert sorted(set(BODIES) - posts) == []


def test_excluded_urls_all_have_a_reason():
    assert all(reason.strip() for reason in EXCLUDED.values())


def _cases(world):
    """(rule, principal, side, url, expected) for every cell of the table."""
    for rule in RULES:
        sides = [(rule.side, rule.own)]
        if rule.foreign is not None:
            sides.append(("foreign", rule.foreign))
        for side, answers in sides:
            url = url_for(rule, world, side)
            if side != "foreign":
                yield rule, "anon", side, url, rule.anon
            for role, expected in zip(ROLE_ORDER, answers, strict=True):
                yield rule, role, side, url, expected


@pytest.mark.django_db
def test_access_matrix(tree, people, make_user, phase, settings, tmp_path):
    """Every cell of access_rules.RULES answers as declared, and refused POSTs change nothing."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tree, people, make_user, phase)
    failures: list[str] = []
    observed: dict = {}
    count = 0
    for rule, principal, side, url, expected in _cases(world):
        count += 1
        if rule.method == "GET":
            got = classify(send(world, principal, url, "GET"))
        else:
            body = BODIES[rule.name](world.side(side))
            response, changed = send(world, principal, url, "POST", body, watch=True)
            # "+": the request changed rows. A refused answer with "+" never matches its expectation.
            got = classify(response) + ("+" if changed else "")
            # The GET of a POST-only endpoint is refused (405), or sends to the login page.
            get_answer = classify(send(world, principal, url, "GET"))
            # ...except a public POST endpoint (anon may POST): its GET is refused to anon too.
            get_expected = LOGIN if principal == "anon" and rule.anon == LOGIN else rule.get
            if get_answer != get_expected:
                failures.append(f"{rule.name} GET {url} as {principal} ({side}): expected {get_expected}, "
                                f"got {get_answer}")
        observed[(rule.name, side, principal)] = got
        if got != expected:
            failures.append(f"{rule.name} {rule.method} {url} as {principal} ({side}): expected {expected}, "
                            f"got {got}")
        # A page a principal may not GET must not be writable by POST either.
        if rule.method == "GET" and expected in DENIED and expected != "405":
            response, changed = send(world, principal, url, "POST", watch=True)
            post_got = classify(response)
            if post_got not in DENIED or changed:
                failures.append(f"{rule.name} POST {url} as {principal} ({side}): GET is refused ({expected}) "
                                f"but POST answered {post_got}{' and changed rows' if changed else ''}")
    if os.environ.get("SECURITY_OBSERVE"):
        _write_observed(observed, os.environ["SECURITY_OBSERVE"])
    assert count == cell_count()  # the figure `python -m tests.security.access_rules` prints
    assert not failures, f"{len(failures)} of {count} cells differ:\n  " + "\n  ".join(failures)


def _write_observed(observed: dict, path: str) -> None:
    """A helper for maintainers: what each cell answered, in the table's own layout."""
    lines = []
    for rule in RULES:
        anon = observed.get((rule.name, rule.side, "anon"))
        own = " ".join(observed.get((rule.name, rule.side, r), "?") for r in ROLE_ORDER)
        line = f'{rule.name}\tanon={anon}\town="{own}"'
        if rule.foreign is not None:
            foreign = " ".join(observed.get((rule.name, "foreign", r), "?") for r in ROLE_ORDER)
            line += f'\tforeign="{foreign}"'
        lines.append(line)
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
