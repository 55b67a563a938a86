"""The second round of hardening, finding by finding (issue 13): each test fails on the old behaviour."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from awards.models import ReviewComment
from awards.pledges import services as award_services
from plans.models import PlanItem
from portal import scoring
from portal.params import parse_id, parse_year
from tests.factories import TEST_USER_LOGIN as PASSWORD

from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, people, make_user, phase, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True):
        yield build_world(tree, people, make_user, phase)


def test_ids_and_years_accept_ascii_digits_in_range_only():
    assert parse_id("12") == 12
    assert [parse_id(v) for v in ("²", "٣", "-1", "0", "9" * 40, str(2**63), "1e3", " ", None)] == [None] * 9
    assert parse_year("2025") == 2025 and parse_year("²") is None and parse_year("0") is None


@pytest.mark.parametrize("path", ["/showcase/%00/", "/verify/%00/", "/plans/calendar/%00.ics", "/showcase/%C2%B2/",
                                  "/showcase/%01abc/"])
def test_control_characters_and_unicode_digits_in_a_path_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_unicode_digits_in_query_parameters_fall_back(client, world):
    client.force_login(world.principals["canbo"])
    for url in (reverse("models_registry:create") + "?replicate=²", reverse("models_registry:similar") + "?year=²&pk=²",
                reverse("awards:pledge_list") + "?year=²", reverse("awards:round_list") + "?year=²",
                reverse("plans:plan_list") + "?year=²"):
        assert client.get(url).status_code == 200, url


def test_non_numeric_ids_in_post_bodies_are_not_found(client, world):
    client.force_login(world.principals["congdoan"])
    response = client.post(reverse("awards:annual"), {"action": "withdraw", "proposal": "abc", "year": "2025"})
    assert response.status_code == 404
    client.force_login(world.principals["canbo"])
    response = client.post(reverse("reports:new", args=["unit-list"]), {"unit": "abc", "year": "²"})
    assert response.status_code == 404


def test_an_over_long_name_at_the_admin_login_is_refused_not_a_crash(client):
    response = client.post("/django-admin/login/", {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200


def test_a_nul_in_posted_text_is_refused_with_a_message(client, world):
    client.force_login(world.principals["congdoan"])
    rnd = world.own["round"]
    response = client.post(reverse("awards:score_save", args=[rnd.pk]),
                           {"pledge": str(world.own["pledge_accepted"].pk), "comment": "Tốt\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_grid_comment_over_its_limit_is_refused_not_cut(world):
    union, rnd, pledge = world.principals["congdoan"], world.own["round"], world.own["pledge_accepted"]
    with pytest.raises(Exception) as refused:
        award_services.comment_save(user=union, rnd=rnd, pledge_id=pledge.pk, text="x" * 6000)
    assert "tối đa 5000 ký tự" in str(refused.value)
    assert not ReviewComment.objects.exists()


def test_a_score_of_minus_zero_is_zero():
    assert str(scoring.parse_score("-0")) == "0"


def test_a_plan_item_due_in_year_one_is_refused(client, world):
    client.force_login(world.principals["canbo"])
    plan = world.own["plan"]
    before = PlanItem.objects.count()
    response = client.post(reverse("plans:item_create", args=[plan.pk]), {
        "code": "9.9", "content": "Nội dung", "responsible_kind": "unit", "due_kind": "date",
        "due_date": "0001-01-01"})
    assert response.status_code == 200 and "01/01/1900" in response.content.decode()
    assert PlanItem.objects.count() == before


def test_money_beyond_the_stated_range_is_refused(client, world):
    client.force_login(world.principals["canbo"])
    url = reverse("models_registry:report_create", args=[world.own["model_registered"].pk])
    page = client.get(url).content.decode()
    assert 'max="1000000000000"' in page  # the range is stated in the form
    before = world.own["model_registered"].reports.count()
    response = client.post(url, {"period_start": "2025-03-01", "period_end": "2025-06-30", "activities": "Họp",
                                 "people_reached": "10", "beneficiaries": "5", "money_raised": str(2**63 - 1),
                                 "works_built": "1"})
    assert response.status_code == 200
    assert world.own["model_registered"].reports.count() == before


def test_signed_in_pages_are_not_stored_by_caches_public_ones_may_be(client, world):
    client.force_login(world.principals["canbo"])
    for url in ("/", reverse("models_registry:export"), reverse("plans:plan_list")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.logout()
    assert "no-store" not in client.get(reverse("showcase:list")).get("Cache-Control", "")


def test_staff_of_another_subtree_see_only_the_public_fields_of_a_public_model(client, world, people):
    from models_registry import services as model_services

    model = world.foreign["model_public"]
    model_services.model_comment(model=model, user=world.shared["province_leader"], comment="Ý kiến nội bộ riêng")
    client.force_login(people["staff"])  # district H01, the model is in H02
    page = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert model.name in page
    assert "Ý kiến nội bộ riêng" not in page and 'data-testid="timeline"' not in page
    assert "Lịch sử thay đổi" not in page
    client.force_login(people["foreign_staff"])
    own_side = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert "Ý kiến nội bộ riêng" in own_side


def test_a_wrong_password_never_locks_the_owner_on_another_client(client, people):
    from django.test import Client

    leader = people["leader"]
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(6):
        attacker.post("/accounts/login/", {"username": leader.username, "password": "sai"})
    assert attacker.post("/accounts/login/", {"username": leader.username, "password": PASSWORD}).status_code == 429
    owner = Client(REMOTE_ADDR="198.51.100.1")
    assert owner.post("/accounts/login/", {"username": leader.username, "password": PASSWORD}).status_code == 302
