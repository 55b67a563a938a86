"""The 15/10 figures roll up through the tree as it stood then, or through today's successors."""

import datetime as dt

import pytest
from django.urls import reverse

from awards.commendations import selectors as cs
from models_registry.models import State
from portal.units.models import UnitKind
from portal.units.services import unit_merge
from tests.models_registry.factories import DvkModelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(tree, phase, people):
    """A 2024 model of Xã Hàm Đức (district H01); on 1/7/2025 that commune and Xã Phước Thể
    (district H02) merge into a new commune directly under the province."""
    DvkModelFactory(unit=tree["commune"], phase=phase, year=2024, state=State.REGISTERED,
                    created_by=people["staff"])
    new = unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"], code="XM1",
                     name="Xã Hàm Phước", kind=UnitKind.objects.get(code="xa"), effective_date=dt.date(2025, 7, 1))
    for unit in tree.values():
        unit.refresh_from_db()
    return new


def test_as_it_stood_then_the_district_counts_its_commune(tree, merged):
    then = cs.figures_1510(tree["district"], 2024, rollup=cs.ROLLUP_THEN)
    now = cs.figures_1510(tree["district"], 2024, rollup=cs.ROLLUP_NOW)
    assert then.models_total == 1
    assert now.models_total == 0  # today the commune's records stand under its successor


def test_through_successors_the_new_commune_counts_what_it_took_over(tree, merged):
    assert cs.figures_1510(merged, 2024, rollup=cs.ROLLUP_NOW).models_total == 1
    assert cs.figures_1510(merged, 2024, rollup=cs.ROLLUP_THEN).models_total == 0  # it did not exist


def test_the_province_counts_the_model_once_either_way(tree, merged):
    for rollup in (cs.ROLLUP_NOW, cs.ROLLUP_THEN):
        assert cs.figures_1510(tree["province"], 2024, rollup=rollup).models_total == 1


def test_leadership_chooses_the_rollup_on_the_dashboard(client, tree, merged, make_user):
    leader = make_user(tree["district"], "lanhdao")
    client.force_login(leader)
    url = reverse("awards:dashboard_1510")
    now = client.get(url, {"year": 2024}).content.decode()
    then = client.get(url, {"year": 2024, "rollup": "then"}).content.decode()
    assert 'data-figure="models">0<' in now
    assert 'data-figure="models">1<' in then
    assert 'value="then" selected' in then


@pytest.mark.parametrize("year", ["-1", "0", "99999", "abc"])
def test_an_impossible_year_falls_back_to_this_year(client, tree, make_user, year):
    client.force_login(make_user(tree["district"], "lanhdao"))
    response = client.get(reverse("awards:dashboard_1510"), {"year": year, "rollup": "then"})
    assert response.status_code == 200
