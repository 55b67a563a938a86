"""Generated hostile values in every URL converter and every parameter, anonymous and signed in.

For every named URL pattern (all declared in the access table), each converter of its route in turn
gets values generated from Unicode categories (`hostile.url_values`: other-number digits, control
and format characters, NUL, bytes that are not UTF-8, an encoded surrogate, overlong and very large
numbers, far dates, 3,000 characters) while the other converters keep valid values from the world;
POST endpoints also get generated values in the parameters views read from the body. Every principal
(anonymous and each role) sends them, on PostgreSQL. Nothing may answer 500.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import time_machine

from .access_rules import RULES, L, R
from .harness import client_for
from .hostile import SEED, pool, url_values
from .test_hostile_input import Findings
from .urlwalk import named_patterns
from .world import PRINCIPALS, build_world

CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# Parameters the views read from a POST body directly (besides their forms).
POST_PARAMS = ("proposal", "unit", "unit_code", "pledge", "criterion", "value", "comment", "reason", "action",
               "person", "year", "kind", "number", "drop_kept", "remove_attachment", "target_id", "level", "ids",
               "rollup", "selected", "next", "next_query")
PER_PRINCIPAL = 4  # generated values each principal sends into each converter
# Patterns added by the hardening (their access-table entries are the access matrix's to add).
EXTRA = [
    R("accounts:otp_enrol", "GET", L, "302 302 302 302 302", token="=abcdefabcdef"),
    R("accounts:user_2fa_reset", "POST", L, "200 403 403 403 403", "200 403 403 403 403", pk="user"),
]


def _valid(world, rule, key: str) -> str:
    spec = rule.kwargs[key]
    objs = world.side(rule.side)
    if spec.startswith("="):
        return spec[1:]
    if "." in spec:
        name, attr = spec.split(".", 1)
        return str(getattr(objs[name], attr))
    return str(objs[spec].pk)


@pytest.mark.django_db
def test_generated_values_in_every_converter_and_parameter_never_answer_500(tree, people, make_user, phase,
                                                                            settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    rng = random.Random(SEED)
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True):
        world = build_world(tree, people, make_user, phase)
    routes = {p.name: p.route for p in named_patterns()}
    values = url_values(rng)
    body_values = [v for vs in pool(rng).values() for v in vs]
    findings = Findings()
    requests = 0
    known = {r.name for r in RULES}
    for rule in RULES + [r for r in EXTRA if r.name not in known]:
        route = routes[rule.name]
        names = [m.group("name") for m in CONVERTER.finditer(route)]
        for attacked in names or [None]:
            for p_index, principal in enumerate(PRINCIPALS):
                client = client_for(world, principal)
                chosen = [values[(p_index * PER_PRINCIPAL + i) % len(values)] for i in range(PER_PRINCIPAL)]
                if attacked is None:
                    chosen = [None]
                for value in chosen:
                    def part(m, value=value, attacked=attacked, rule=rule):
                        key = m.group("name")
                        return value if key == attacked else _valid(world, rule, key)

                    path = "/" + CONVERTER.sub(part, route)
                    if rule.method == "POST":
                        body = {p: body_values[rng.randrange(len(body_values))] for p in POST_PARAMS}
                        response = client.post(path, body)
                    else:
                        response = client.get(path)
                    requests += 1
                    findings.check(response, f"{rule.method} {path[:120]} as {principal} [{rule.name}]")
    print(f"seed {SEED}: {requests} requests over {len(RULES)} patterns")
    assert requests > 1000
    assert not findings.items, f"{len(findings.items)} problems:\n  " + "\n  ".join(sorted(set(findings.items)))
