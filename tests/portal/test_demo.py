import pytest
from django.core.management import call_command
from django.test import Client

from portal.accounts.models import User
from portal.demo import DEMO_PASSWORD_FALLBACK
from portal.units.models import Unit

pytestmark = pytest.mark.django_db


def test_seed_small_creates_the_demo_accounts_and_both_eras(settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small", "--seed", "7")
    for username, role in [("admin", "admin"), ("canbo", "canbo"), ("congdoan", "congdoan"),
                           ("chiuy", "chiuy"), ("lanhdao", "lanhdao")]:
        user = User.objects.get(username=username)
        assert user.has_role(role)
        assert user.unit.code == "BTGDVTU"
    client = Client()
    client.post("/accounts/login/", {"username": "lanhdao", "password": DEMO_PASSWORD_FALLBACK})
    assert client.session.get("_auth_user_id") == str(User.objects.get(username="lanhdao").pk)
    binh_thuan = Unit.objects.get(code="BT")
    lam_dong = Unit.objects.get(code="LD")
    assert not binh_thuan.is_active and binh_thuan.successor == lam_dong
    assert Unit.objects.get(code="BDVTU").successor.code == "BTGDVTU"
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    names = [u.name for u in Unit.objects.all()]
    assert any("ư" in n or "ơ" in n or "ạ" in n for n in names)


@pytest.mark.django_db(transaction=True)
def test_seed_is_deterministic_for_a_seed():
    call_command("seed_demo", "--size", "small", "--seed", "11")
    first = list(Unit.objects.order_by("path").values_list("path", "name"))
    people = list(User.objects.order_by("username").values_list("username", "full_name"))
    # Empty the database and seed again with the same seed.
    call_command("flush", "--noinput")
    call_command("seed_demo", "--size", "small", "--seed", "11")
    assert list(Unit.objects.order_by("path").values_list("path", "name")) == first
    assert list(User.objects.order_by("username").values_list("username", "full_name")) == people


def test_seed_if_empty_leaves_existing_data_alone(tree):
    before = Unit.objects.count()
    call_command("seed_demo", "--size", "small", "--if-empty")
    assert Unit.objects.count() == before
