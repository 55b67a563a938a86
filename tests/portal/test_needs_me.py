"""The home page's "what needs me" list, asserted for every demo role against the data.

The expected actions are computed here straight from the models (the rules of each workflow, not
the selectors that build the list); deadline-borne ones must agree with the person's deadlines page
(`plans.selectors.upcoming_deadlines`). Every action must open for its person, and the whole list
stays within a query budget however much is waiting.
"""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.extensions import pending_actions

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 4, 3, 9, tzinfo=VN)  # a week before the registration deadline (9/4)
QUERY_BUDGET = 40
HOME_BUDGET = 20  # the project's target for a page; the list comes just after (htmx)


def expected_keys(user) -> set[str]:
    """What waits for `user`, from the models themselves."""
    from awards.models import Pledge, ReviewRound, ScoreSubmission, SelfAssessment
    from councils.models import AgendaItem, Evaluator, Session
    from documents.models import OutgoingDocument
    from models_registry.models import DvkModel, ExtensionRequest, ModelEvent, UnitFollowUp
    from plans.selectors import upcoming_deadlines

    keys: set[str] = set()
    roles = set(user.roles.values_list("code", flat=True))
    unit = user.unit
    scope = (unit.oversees or unit).path if unit else None
    if "canbo" in roles:
        for pk, state in DvkModel.objects.filter(unit=unit, state__in=["draft", "returned"]).values_list("pk", "state"):
            keys.add(f"models_registry.{state}:{pk}")
        sent_years = set(DvkModel.objects.filter(unit=unit).exclude(state__in=["draft", "returned"])
                         .values_list("year", flat=True))
        for year in set(UnitFollowUp.objects.filter(unit=unit).values_list("year", flat=True)) - sent_years:
            keys.add(f"models_registry.followup:{unit.pk}:{year}")
    submitted = DvkModel.objects.filter(state="submitted", unit__path__startswith=scope) if scope else DvkModel.objects.none()
    if "lanhdao" in roles:
        keys |= {f"models_registry.approve:{pk}" for pk in submitted.values_list("pk", flat=True)}
        keys |= {f"models_registry.extension:{pk}" for pk in ExtensionRequest.objects.filter(
            status="pending", model__unit__path__startswith=scope).values_list("pk", flat=True)}
    elif "chiuy" in roles:
        commented = set(ModelEvent.objects.filter(action="comment", actor=user).values_list("model_id", flat=True))
        keys |= {f"models_registry.comment:{pk}" for pk in submitted.values_list("pk", flat=True) if pk not in commented}
    mine = Pledge.objects.filter(Q(person=user) | Q(person__isnull=True, created_by=user))
    for pk, status in mine.filter(status__in=["draft", "returned"]).values_list("pk", "status"):
        keys.add(f"awards.pledge-{status}:{pk}")
    open_rounds = ReviewRound.objects.filter(status="open", unit=unit)
    for rnd in open_rounds:
        for pledge in mine.filter(unit=unit, year=rnd.year, status="accepted"):
            if not SelfAssessment.objects.filter(round=rnd, pledge=pledge).exists():
                keys.add(f"awards.round-self:{rnd.pk}:{pledge.pk}")
    if "congdoan" in roles:
        keys |= {f"awards.pledge-receive:{pk}" for pk in Pledge.objects.filter(unit=unit, status="submitted")
                 .values_list("pk", flat=True)}
        for rnd in open_rounds:
            if not ScoreSubmission.objects.filter(round=rnd, member=user).exists():
                keys.add(f"awards.round-close:{rnd.pk}")
    year = NOW.year
    if (roles & {"canbo", "congdoan", "chiuy", "lanhdao"} and not Pledge.objects.filter(person=user, year=year).exists()
            and User.objects.filter(unit=unit, is_active=True, roles__code="congdoan").exists()):
        keys.add(f"awards.pledge:{unit.pk}:{year}")
    for item in AgendaItem.objects.filter(status="voting", method="ballot", session__status="open"):
        seat = item.session.council.members.filter(user=user).first()
        if (seat and item.session.attendance.filter(member=seat, present=True).exists()
                and not item.voters.filter(member=seat).exists() and not item.conflicts.filter(user=user).exists()):
            keys.add(f"councils.vote:{item.pk}")
    keys |= {f"councils.evaluate:{pk}" for pk in Evaluator.objects.filter(user=user, submitted=False)
             .exclude(session__status=Session.Status.CLOSED).values_list("session_id", flat=True)}
    keys |= {f"documents.sign:{pk}" for pk in OutgoingDocument.objects.filter(
        status="issued", signer__user=user, signer__is_active=True, signature__isnull=True).values_list("pk", flat=True)}
    # Deadline-borne: the same as the person's own deadlines page (those they must meet themselves).
    for deadline in upcoming_deadlines(user, now=NOW, days=30):
        if user.pk in deadline.recipients and (
            deadline.kind not in ("model_registration_deadline", "review_round_open", "review_round_closing",
                                  "pledge_registration")
            or (deadline.kind == "model_registration_deadline"
                and not DvkModel.objects.filter(unit=unit, state__in=["draft", "returned"]).exists())
        ):
            keys.add(deadline.key)
    return keys


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = ""
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--size", "small", stdout=io.StringIO())
        yield


def test_each_demo_role_sees_what_waits_for_them_soonest_first_and_figures_that_match_their_links(demo, django_assert_max_num_queries):
    seen_any = set()
    for username in ("admin", "canbo", "congdoan", "chiuy", "lanhdao"):
        user = User.objects.get(username=username)
        with django_assert_max_num_queries(QUERY_BUDGET):
            actions = pending_actions(user)
        keys = [a.key for a in actions]
        assert len(keys) == len(set(keys)), username
        assert set(keys) == expected_keys(user), username
        dues = [a.due_at for a in actions if a.due_at]
        assert dues == sorted(dues) and all(a.due_at for a in actions[: len(dues)]), username
        seen_any |= {k.split(":")[0] for k in keys}
        # Each action opens, for its person, the page where it is done.
        client = Client()
        client.force_login(user)
        for url in {a.url.split("#")[0] for a in actions}:
            assert client.get(url).status_code == 200, (username, url)
        # The home page shows the first of them, the page of its own all of them.
        with django_assert_max_num_queries(HOME_BUDGET):
            client.get(reverse("home"))
        # (fetched by the home page right after it shows)
        home = client.get(reverse("needs_me"), {"part": "home"}, HTTP_HX_REQUEST="true").content.decode()
        for action in actions[:8]:
            assert f'data-key="{action.key}"' in home, (username, action.key)
        page = client.get(reverse("needs_me"))
        assert page.context["page_obj"].paginator.count == len(actions)
        # Then the unit's figures: each count is what its link opens.
        figures = [item for card in home_context(client) for item in card.items]
        assert figures, username
        for label, count, url in figures:
            opened = client.get(url)
            assert opened.status_code == 200, (username, url)
            assert opened.context["page_obj"].paginator.count == count, (username, label, url)
    # The demo exercises the main kinds of work.
    assert {"models_registry.draft", "models_registry.approve", "models_registry.comment",
            "awards.pledge-receive", "awards.round-close"} <= seen_any


def home_context(client):
    return client.get(reverse("home")).context["cards"]
