"""Coverage against the plan's target (Kế hoạch 54-KH/BDVTU), the units with no model, the
follow-up leadership send them, and the spread of replicated models by area (then and now)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from models_registry.models import ModelField, RegistrationKind, State, UnitFollowUp
from models_registry.selectors import replication_spread, spread_table
from plans.models import Notification
from portal.accounts.models import User
from portal.units import services as unit_services
from portal.units.models import Unit, UnitKind
from portal.units.selectors import ROLLUP_NOW, ROLLUP_THEN, areas_on
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(tree):
    """Villages of Xã Hàm Đức and Xã Phước Thể that began or ended around 2025."""
    thon = UnitKind.objects.get(code="thon")
    return {
        "began_mid_2025": UnitFactory(code="TH02", name="Thôn Mới Lập", kind=thon, parent=tree["commune"],
                                      valid_from=dt.date(2025, 7, 1)),
        "ended_in_2025": UnitFactory(code="TH03", name="Thôn Sáp Nhập", kind=thon, parent=tree["other_commune"],
                                     valid_to=dt.date(2025, 3, 31), is_active=False),
        "ended_2024": UnitFactory(code="TH04", name="Thôn Cũ", kind=thon, parent=tree["commune"],
                                  valid_to=dt.date(2024, 12, 31), is_active=False),
        "began_2026": UnitFactory(code="TH05", name="Thôn Tương Lai", kind=thon, parent=tree["commune"],
                                  valid_from=dt.date(2026, 1, 1)),
    }


@pytest.fixture
def models_2025(tree, villages, make_model):
    """Hand-counted: the district has one new and one maintained (recognised) model; Thôn Mới Lập
    one; everything else only drafts, proposals, or models of another year."""
    make_model(unit=tree["district"], field=ModelField.ECONOMY, state=State.REGISTERED)
    make_model(unit=tree["district"], field=ModelField.CULTURE_SOCIETY, state=State.RECOGNISED,
               registration_kind=RegistrationKind.MAINTAINED)
    make_model(unit=villages["began_mid_2025"], state=State.REGISTERED)
    make_model(unit=tree["village"], state=State.SUBMITTED)
    make_model(unit=tree["commune"], state=State.DRAFT)
    make_model(unit=tree["other_commune"], state=State.REGISTERED, year=2024)


def test_coverage_counts_each_units_own_models_against_its_target(client, tree, villages, models_2025, make_user):
    leader = make_user(tree["province"], "lanhdao")
    client.force_login(leader)
    response = client.get(reverse("models_registry:coverage"), {"year": 2025})
    rows = {r.unit.code: r for r in response.context["rows"]}
    assert set(rows) == {"H01", "H02"}
    h01, h02 = rows["H01"], rows["H02"]
    assert (h01.new, h01.maintained, h01.recognised, h01.target, h01.status) == (1, 1, 1, 1, "met")
    assert h01.fields == ["Kinh tế", "Văn hóa – xã hội"]
    # Below Hàm Thuận Bắc: Xã Hàm Đức and Thôn Đông Giang have none; Thôn Mới Lập (formed in July)
    # has one; Thôn Cũ (ended 2024) and Thôn Tương Lai (formed 2026) are not measured in 2025.
    assert (h01.measured_below, h01.gaps_below) == (3, 2)
    # Tuy Phong: its commune's model is of 2024; Thôn Sáp Nhập lived until March, so it counts.
    assert (h02.total, h02.status, h02.measured_below, h02.gaps_below) == (0, "gap", 2, 2)
    levels = {lv["level"]: (lv["total"], lv["gaps"]) for lv in response.context["levels"]}
    assert levels == {2: (2, 1), 3: (2, 2), 4: (3, 2)}
    page = response.content.decode()
    assert "Chưa có mô hình" in page and "Đạt" in page


def test_units_with_no_model_by_level_drill_down_and_excel(client, tree, villages, models_2025, make_user):
    client.force_login(make_user(tree["province"], "lanhdao"))
    villages_gaps = client.get(reverse("models_registry:coverage_gaps"), {"year": 2025, "level": 4})
    assert [r["unit"].code for r in villages_gaps.context["rows"]] == ["TH01", "TH03"]
    assert "Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn Đông Giang" in villages_gaps.content.decode()
    # Drill down: province -> district -> commune.
    district = client.get(reverse("models_registry:coverage"), {"year": 2025, "unit": tree["district"].pk})
    assert [r.unit.code for r in district.context["rows"]] == ["X01"]
    commune = client.get(reverse("models_registry:coverage"), {"year": 2025, "unit": tree["commune"].pk})
    assert {r.unit.code: r.status for r in commune.context["rows"]} == {"TH01": "gap", "TH02": "met"}
    export = client.get(reverse("models_registry:coverage_gaps"), {"year": 2025, "format": "xlsx"})
    sheet = load_workbook(filename=__import__("io").BytesIO(export.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["X01", "TH01", "H02", "X02", "TH03"]  # in tree order


def test_a_unit_formed_by_the_merger_is_not_a_gap_before_it_existed(client, tree, make_user, time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, 0), tick=False)
    new = unit_services.unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"],
                                   code="X99", name="Xã Hàm Phước", kind=UnitKind.objects.get(code="xa"),
                                   effective_date=dt.date(2025, 7, 1))
    client.force_login(make_user(tree["province"], "lanhdao"))
    rows_2024 = {r.unit.code: r for r in client.get(reverse("models_registry:coverage"), {"year": 2024}).context["rows"]}
    assert rows_2024["X99"].status == "absent"
    # Its old communes and the village lived in 2024 and are measured under it.
    assert (rows_2024["X99"].measured_below, rows_2024["X99"].gaps_below) == (3, 3)
    rows_2026 = {r.unit.code: r for r in client.get(reverse("models_registry:coverage"), {"year": 2026}).context["rows"]}
    assert rows_2026["X99"].status == "gap" and rows_2026["X99"].measured_below == 1  # only the village now
    assert new.pk


def test_follow_up_reaches_exactly_the_chosen_units_staff_and_is_recorded_on_each(
        client, tree, villages, models_2025, make_user):
    leader = make_user(tree["province"], "lanhdao")
    commune_staff = make_user(tree["commune"], "canbo")
    commune_leader = make_user(tree["commune"], "lanhdao")
    commune_union = make_user(tree["commune"], "congdoan")
    village_staff = make_user(villages["ended_in_2025"], "canbo")
    other_staff = make_user(tree["other_commune"], "canbo")
    client.force_login(leader)
    response = client.post(reverse("models_registry:coverage_followup"), {
        "year": 2025, "units": [tree["commune"].pk, villages["ended_in_2025"].pk],
        "message": "Đề nghị khẩn trương đăng ký mô hình.", "next": reverse("models_registry:coverage_gaps"),
    }, follow=True)
    # Told through the workflow routing ("unit.urged"): each unit's staff and the nearest leadership
    # over each unit (for the village that ended, the leadership above it); nobody else.
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert {commune_staff.pk, commune_leader.pk, village_staff.pk} <= told
    assert commune_union.pk not in told and other_staff.pk not in told and leader.pk not in told
    assert all(u.has_role("lanhdao") for u in User.objects.filter(pk__in=told - {commune_staff.pk, village_staff.pk}))
    count = Notification.objects.count()
    assert f"Đã gửi đôn đốc tới 2 đơn vị ({count} người nhận)." in response.content.decode()
    assert set(UnitFollowUp.objects.values_list("unit__code", "year")) == {("X01", 2025), ("TH03", 2025)}
    note = Notification.objects.get(user=commune_staff)
    assert "Đề nghị khẩn trương đăng ký mô hình." in note.body
    district = client.get(reverse("models_registry:coverage"), {"year": 2025, "unit": tree["district"].pk})
    assert district.context["rows"][0].last_followup is not None
    sent = timezone.localtime(UnitFollowUp.objects.get(unit=tree["commune"]).sent_at)
    row = _row_html(district, "X01")
    assert f'<td class="small">{sent:%d/%m/%Y}</td>' in row and f'value="{tree["commune"].pk}"' in row
    # The village that ended in March is shown with its last day, and (it lived in 2025) can be urged.
    village = _row_html(client.get(reverse("models_registry:coverage"),
                                   {"year": 2025, "unit": tree["other_commune"].pk}), "TH03")
    assert "Thôn · ngày cuối cùng hoạt động 31/03/2025" in village and 'type="checkbox"' in village
    assert f'<td class="small">{sent:%d/%m/%Y}</td>' in village
    never_urged = _row_html(client.get(reverse("models_registry:coverage"), {"year": 2025}), "H02")
    assert '<td class="small">—</td>' in never_urged
    unit_page = client.get(reverse("units:detail", args=[tree["commune"].pk])).content.decode()
    assert "Đôn đốc xây dựng mô hình" in unit_page and "Đề nghị khẩn trương đăng ký mô hình." in unit_page


def _row_html(response, code: str) -> str:
    page = response.content.decode()
    start = page.index(f'<tr data-unit="{code}">')
    return page[start:page.index("</tr>", start)]


def test_follow_up_is_for_leadership_within_their_subtree(client, tree, people):
    client.force_login(people["staff"])
    data = {"year": 2025, "units": [tree["commune"].pk], "message": "Đôn đốc"}
    assert client.post(reverse("models_registry:coverage_followup"), data).status_code == 403
    client.force_login(people["foreign_leader"])
    assert client.post(reverse("models_registry:coverage_followup"), data).status_code == 404
    assert not UnitFollowUp.objects.exists() and not Notification.objects.exists()


# --- spread of replicated models -----------------------------------------------------------------

@pytest.fixture
def spread(tree, make_model, time_machine):
    """A model of Xã Phước Thể replicated in 2024 at Thôn Đông Giang and Xã Hàm Đức (Hàm Thuận Bắc),
    then on 1/7/2025 the two communes merge into Xã Hàm Phước and the districts end."""
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, 0), tick=False)
    source = make_model(unit=tree["other_commune"], state=State.RECOGNISED, year=2024, name="Tiết kiệm 1.000 đồng")
    make_model(unit=tree["village"], replicated_from=source, state=State.REGISTERED, year=2024)
    make_model(unit=tree["commune"], replicated_from=source, state=State.EVALUATED, year=2024)
    make_model(unit=tree["commune"], replicated_from=source, state=State.DRAFT, year=2024)  # not counted
    unit_services.unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"],
                             code="X99", name="Xã Hàm Phước", kind=UnitKind.objects.get(code="xa"),
                             effective_date=dt.date(2025, 7, 1))
    for key in ("district", "other_district"):
        unit_services.unit_deactivate(unit=tree[key], effective_date=dt.date(2025, 7, 1))
    return source


def test_spread_by_area_then_counts_districts_and_now_counts_todays_communes(client, tree, people, spread):
    then = spread_table(tree["province"], year=2024, rollup=ROLLUP_THEN)
    assert [(r["area"].name, r["total"], r["sources"]) for r in then.by_area] == [("Huyện Hàm Thuận Bắc", 2, 1)]
    now = spread_table(tree["province"], year=2024, rollup=ROLLUP_NOW)
    assert [(r["area"].name, r["total"]) for r in now.by_area] == [("Xã Hàm Phước", 2)]
    assert [(r["source"].name, r["total"], r["areas"]) for r in now.by_source] == [
        ("Tiết kiệm 1.000 đồng", 2, [("Xã Hàm Phước", 2)])]
    assert replication_spread(spread, ROLLUP_THEN)[1] == [("Huyện Hàm Thuận Bắc", 2)]
    assert replication_spread(spread, ROLLUP_NOW)[1] == [("Xã Hàm Phước", 2)]
    # On the model page and in the leadership view.
    client.force_login(people["admin"])
    page = client.get(reverse("models_registry:detail", args=[spread.pk]), {"rollup": "then"}).content.decode()
    assert "Huyện Hàm Thuận Bắc: 2" in page
    page = client.get(reverse("models_registry:detail", args=[spread.pk])).content.decode()
    assert "Xã Hàm Phước: 2" in page
    leader = client.get(reverse("models_registry:spread"), {"year": 2024, "rollup": "then"})
    assert leader.context["table"].total == 2
    assert "Huyện Hàm Thuận Bắc" in leader.content.decode()


def test_a_unit_formed_by_the_merger_sees_its_spread_then_in_the_areas_it_carries_on(tree, spread):
    """Xã Hàm Phước did not exist in 2024: 'as it stood then' its spread is that of the communes it carries
    on, by their old district (before, the view was empty for every unit formed on 1/7/2025)."""
    merged = Unit.objects.get(code="X99")
    then = spread_table(merged, year=2024, rollup=ROLLUP_THEN)
    assert [(r["area"].name, r["total"]) for r in then.by_area] == [("Huyện Hàm Thuận Bắc", 2)]
    assert then.total == spread_table(merged, year=2024, rollup=ROLLUP_NOW).total == 2


def test_each_unit_s_area_is_its_district_then_its_commune_now_and_an_agency_is_its_own(tree, spread):
    """The rules every spread count rests on, through the 1/7/2025 reorganisation of the fixture."""
    kind = {k.code: k for k in UnitKind.objects.all()}
    agency = UnitFactory(code="S01", name="Sở Nội vụ", kind=kind["so-nganh"], parent=tree["province"])
    office = UnitFactory(code="P01", name="Phòng Tổ chức", kind=kind["phong"], parent=agency)
    merged = Unit.objects.get(code="X99")
    units = [*(tree[k] for k in ("province", "district", "commune", "village", "other_commune")), agency, office, merged]

    def names(day):
        areas = areas_on([u.pk for u in units], day)
        return {u.code: areas[u.pk].name for u in units}

    assert names(dt.date(2024, 10, 15)) == {
        "T01": "Tỉnh Bình Thuận", "H01": "Huyện Hàm Thuận Bắc", "X01": "Huyện Hàm Thuận Bắc",
        "TH01": "Huyện Hàm Thuận Bắc", "X02": "Huyện Tuy Phong", "S01": "Sở Nội vụ", "P01": "Phòng Tổ chức",
        # Formed on 1/7/2025: no place in the tree of 2024, so its own area.
        "X99": "Xã Hàm Phước",
    }
    # Today the districts have ended: a village and its merged commune count in the new commune; an
    # ended district, with nothing alive above it but the province, is its own area.
    assert names(dt.date(2026, 1, 10)) == {
        "T01": "Tỉnh Bình Thuận", "H01": "Huyện Hàm Thuận Bắc", "X01": "Xã Hàm Phước", "TH01": "Xã Hàm Phước",
        "X02": "Xã Hàm Phước", "S01": "Sở Nội vụ", "P01": "Phòng Tổ chức", "X99": "Xã Hàm Phước",
    }


def test_the_spread_s_planner_setting_does_not_outlive_its_statement(tree, spread):
    """The spread turns PostgreSQL's sequential scans off for its one statement (areas_fetch); the
    rest of the transaction it runs in (every test runs in one) plans as usual."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    spread_table(tree["province"], year=2024, rollup=ROLLUP_THEN)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


def test_a_follow_up_with_a_nul_byte_is_refused_not_a_server_error(client, tree, make_user):
    client.force_login(make_user(tree["province"], "lanhdao"))
    response = client.post(reverse("models_registry:coverage_followup"),
                           {"year": 2025, "units": [tree["commune"].pk], "message": "Tên\x00có NUL"}, follow=True)
    # The input policy refuses a NUL in any posted value at the boundary, with a message.
    assert response.status_code == 400
    assert "Đã gửi đôn đốc" not in response.content.decode()
    assert not UnitFollowUp.objects.exists()
