"""The showcase's area filter across the 1/7/2025 reorganisation ("then or now"): a unit formed by
the merger also finds the models of the units it carries on, and an ended unit finds its own."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from models_registry.models import RecognitionLevel, State
from portal.units import services
from portal.units.models import UnitKind

pytestmark = pytest.mark.django_db

MERGE_DAY = dt.date(2025, 7, 1)


@pytest.fixture
def reorganised(tree, make_model, time_machine):
    """Xã Hàm Đức (with Thôn Đông Giang) and Xã Phước Thể merge into Xã Hàm Phước on 1/7/2025, and
    Huyện Hàm Thuận Bắc closes that day; on 1/8/2025 the village moves on to Xã Tuy Phong mới.
    One public model per unit, registered in 2024 (before the merger) or 2026."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)

    def public(name, unit, year=2024):
        return make_model(name=name, unit=unit, year=year, state=State.RECOGNISED, is_public=True,
                          recognition_level=RecognitionLevel.DISTRICT)

    models = {
        "district": public("Mô hình của huyện", tree["district"]),
        "commune": public("Mô hình của xã Hàm Đức", tree["commune"]),
        "village": public("Mô hình của thôn Đông Giang", tree["village"]),
        "other_commune": public("Mô hình của xã Phước Thể", tree["other_commune"]),
    }
    kind = UnitKind.objects.get(code="xa")
    merged = services.unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"],
                                 code="X99", name="Xã Hàm Phước", kind=kind, effective_date=MERGE_DAY)
    services.unit_deactivate(unit=tree["district"], effective_date=MERGE_DAY)
    neighbour = services.unit_create(parent=tree["province"], code="X98", name="Xã Tuy Phong mới", kind=kind,
                                     valid_from=MERGE_DAY)
    services.unit_move(unit=tree["village"], new_parent=neighbour, effective_date=dt.date(2025, 8, 1))
    models["merged"] = public("Mô hình của xã Hàm Phước", merged, year=2026)
    for unit in tree.values():
        unit.refresh_from_db()
    merged.refresh_from_db()
    return {"models": models, "merged": merged, "neighbour": neighbour}


def _names(client, area) -> set[str]:
    response = client.get(reverse("showcase:list"), {"area": area.pk})
    assert response.status_code == 200
    return {m.name for m in response.context["models"]}


def test_a_unit_formed_by_the_merger_finds_the_models_of_the_units_it_carries_on(client, tree, reorganised):
    models = reorganised["models"]
    # The village stood in Xã Hàm Đức in 2024 (then) although it is in Xã Tuy Phong mới today.
    assert _names(client, reorganised["merged"]) == {
        models[k].name for k in ("merged", "commune", "village", "other_commune")}
    assert _names(client, reorganised["neighbour"]) == {models["village"].name}  # ... and now


def test_an_ended_unit_finds_its_models_as_it_stood_on_its_last_day(client, tree, reorganised):
    models = reorganised["models"]
    assert _names(client, tree["district"]) == {models[k].name for k in ("district", "commune", "village")}
    assert _names(client, tree["commune"]) == {models[k].name for k in ("commune", "village")}


def test_the_area_choices_offer_current_and_former_units_labelled(client, tree, reorganised):
    page = client.get(reverse("showcase:list")).content.decode()
    assert "Xã Hàm Phước (từ 01/07/2025)</option>" in page
    assert "Huyện Hàm Thuận Bắc (đến 30/06/2025)</option>" in page
    assert "Huyện Tuy Phong</option>" in page  # still standing: no date
    # The chip names a former area with its last day too.
    page = client.get(reverse("showcase:list"), {"area": tree["district"].pk}).content.decode()
    assert "Địa bàn: <strong>Huyện Hàm Thuận Bắc (đến 30/06/2025)</strong>" in page


def test_the_area_filter_keeps_the_showcase_queries_flat(client, tree, reorganised, make_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(area):
        client.get(reverse("showcase:list"), {"area": area.pk})
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("showcase:list"), {"area": area.pk})
        return len(ctx.captured_queries)

    areas = (tree["district"], reorganised["merged"], tree["province"])
    few = [count(area) for area in areas]
    for i in range(12):
        make_model(name=f"Mô hình thêm {i}", unit=tree["village"], year=2024, state=State.RECOGNISED,
                   is_public=True, recognition_level=RecognitionLevel.DISTRICT)
    assert [count(area) for area in areas] == few
    # The page's five, the chosen unit, the area's path on the day it ended; for a unit formed by the
    # merger, the units it carries on and their paths the day before.
    assert few == [7, 9, 6]
