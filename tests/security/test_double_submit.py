"""Safe to double-click: two identical POSTs of one rendered form, sent at the same moment from two
threads (two connections to PostgreSQL, real transactions), create or change one row, and both
answers lead to the same page.

Every create form of the portal is here, and a few state changes; the form is read from its page as a
browser would (with its one-time submission token) and filled with field-appropriate values.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
from urllib.parse import urljoin

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from plans.models import Plan

from .hostile import fill, parse_forms, unit_picker
from .world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _in_2025():
    """The world is built for 2025 (the test phase is 2021–2025): the forms' "this year" is 2025."""
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True):
        yield

# (url name, kwargs from the world's own side, principal, model counted "app.Model", overrides)
CREATE_FORMS = [
    ("models_registry:create", {}, "canbo", "models_registry.DvkModel", {}),
    ("models_registry:report_create", {"pk": "model_registered"}, "canbo", "models_registry.ProgressReport",
     {"period_start": "2025-03-01", "period_end": "2025-06-30"}),
    ("awards:pledge_create", {}, "congdoan", "awards.Pledge", {}),
    ("awards:round_create", {}, "congdoan", "awards.ReviewRound", {"quarter": "2"}),
    ("awards:proposal_create", {}, "lanhdao", "awards.AwardProposal", {}),
    ("awards:content_create", {}, "admin", "awards.PledgeContent", {}),
    ("plans:plan_create", {}, "canbo", "plans.Plan", {}),
    ("plans:item_create", {"plan_pk": "plan"}, "canbo", "plans.PlanItem", {"due_kind": "none"}),
    ("plans:inspection_create", {}, "canbo", "plans.Inspection", {}),
    ("plans:follow_up_create", {"pk": "inspection"}, "canbo", "plans.FollowUp", {}),
    ("units:create", {}, "admin", "units.Unit", {}),
    ("units:phase_create", {}, "admin", "units.Phase", {"start_year": "2031", "end_year": "2035"}),
    ("accounts:user_create", {}, "admin", "accounts.User", {}),
    # State changes: a workflow comment, a plan item's progress, a subject added to a proposal.
    ("models_registry:transition", {"pk": "model_registered", "action": "=comment"}, "lanhdao",
     "models_registry.ModelEvent", {}),
    ("plans:item_transition", {"pk": "item", "name": "=start"}, "canbo", "plans.PlanItemUpdate", {}),
]


def _url(world, name, spec):
    kwargs = {k: v[1:] if v.startswith("=") else world.own[v].pk for k, v in spec.items()}
    return reverse(name, kwargs=kwargs)


def _rendered_form(client, url):
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    forms = [f for f in parse_forms(page.content.decode())
             if f.method == "post" and f.attackable and f.action in ("", url)]
    form = max(forms, key=lambda f: len(f.fields))
    return urljoin(url, form.action) if form.action else url, form


def _errors(response) -> list[str]:
    """The form errors a refused submission shows (for the failure message)."""
    if response.status_code != 200:
        return [response.status_code, response.get("Location", "")]
    html = response.content.decode()
    return re.findall(r'id="error_\d+_id_(\w+)"[^>]*><strong>([^<]*)', html) + re.findall(
        r'class="alert[^"]*alert-(?:danger|block)[^"]*"[^>]*>(.*?)</', html, re.S)


def _twice_at_once(world, principal, action, data):
    barrier = threading.Barrier(2)
    answers = [None, None]

    def post(i):
        client = Client()
        client.force_login(world.principals[principal])
        barrier.wait()
        try:
            answers[i] = client.post(action, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


@pytest.mark.parametrize("name, spec, principal, counted, overrides", CREATE_FORMS, ids=[c[0] for c in CREATE_FORMS])
def test_two_identical_posts_at_once_act_once(tree, people, make_user, phase, settings, tmp_path,
                                              name, spec, principal, counted, overrides):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world(tree, people, make_user, phase)
    world.own["inspection"].inspected_units.add(tree["commune"])
    client = Client()
    client.force_login(world.principals[principal])
    action, form = _rendered_form(client, _url(world, name, spec))
    data = fill(form, random.Random(7), keep_token=True, picker=unit_picker(client.get))
    data.update(overrides)
    assert data.get("_submission"), "the rendered form carries its one-time token"
    model = apps.get_model(counted)
    before = model.objects.count()
    first, second = _twice_at_once(world, principal, action, data)
    assert model.objects.count() == before + 1, (name, first.status_code, second.status_code,
                                                 _errors(first), _errors(second), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_plan_number_taken_at_the_same_moment_is_a_form_error_not_a_crash(tree, people, make_user, phase):
    """Two tabs (two tokens) saving the same number: the database constraint decides, the other
    person is told the number is taken."""
    world = build_world(tree, people, make_user, phase)
    client = Client()
    client.force_login(world.principals["canbo"])
    action, form = _rendered_form(client, reverse("plans:plan_create"))
    data = fill(form, random.Random(8), picker=unit_picker(client.get))
    data["number"] = "77-KH/BDVTU"
    answers = _twice_at_once(world, "canbo", action, data)
    assert Plan.objects.filter(number="77-KH/BDVTU").count() == 1
    assert sorted(a.status_code for a in answers) == [200, 302]
    refused = next(a for a in answers if a.status_code == 200)
    assert "Đơn vị đã có kế hoạch số này." in refused.content.decode(), _errors(refused)
