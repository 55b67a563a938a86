"""The 2025 reorganisation lived day to day: ended units, moving their people, planned changes,
a unit's life on its page, and the picker that finds units among thousands."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import PledgeContent
from awards.pledges import services as award_services
from models_registry.models import DvkModel
from plans import services as plan_services
from plans.models import Plan
from portal.accounts.models import User
from portal.permissions import UnitEnded
from portal.tasks import apply_planned_unit_changes
from portal.units import services
from portal.units.models import Unit, UnitChange, UnitKind
from tests.factories import UnitFactory
from tests.models_registry.conftest import model_form_data
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db

MERGE_DAY = dt.date(2025, 7, 1)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")  # the portal's TIME_ZONE: its days begin at 00:00 here


@pytest.fixture
def merged(tree):
    """Xã Hàm Đức (with its village) and Xã Phước Thể merged into Xã Hàm Phước on 1/7/2025."""
    kind = UnitKind.objects.get(code="xa")
    new = services.unit_merge(
        sources=[tree["commune"], tree["other_commune"]], parent=tree["province"], code="X99",
        name="Xã Hàm Phước", kind=kind, effective_date=MERGE_DAY,
    )
    for unit in tree.values():
        unit.refresh_from_db()
    return new


def test_staff_of_an_ended_unit_cannot_register_a_model_after_its_last_day(
        client, tree, merged, make_user, phase, time_machine):
    staff = make_user(tree["commune"], "canbo")
    client.force_login(staff)
    time_machine.move_to(dt.datetime(2025, 7, 2, 9, 0), tick=False)
    response = client.post(reverse("models_registry:create"), model_form_data(phase))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Xã Hàm Đức đã kết thúc hoạt động (ngày cuối cùng hoạt động: 30/06/2025)" in page
    assert "Công việc của đơn vị nay thuộc Xã Hàm Phước" in page
    assert not DvkModel.objects.filter(unit=tree["commune"]).exists()


def test_on_its_last_day_an_ending_unit_still_registers(client, tree, merged, make_user, phase, time_machine):
    staff = make_user(tree["commune"], "canbo")
    client.force_login(staff)
    time_machine.move_to(dt.datetime(2025, 6, 30, 16, 0), tick=False)
    client.post(reverse("models_registry:create"), model_form_data(phase))
    assert DvkModel.objects.filter(unit=tree["commune"]).count() == 1


def test_ended_unit_cannot_originate_pledges_plans_or_plan_items(tree, merged, make_user, phase, time_machine):
    time_machine.move_to(dt.datetime(2025, 8, 1, 9, 0), tick=False)
    staff = make_user(tree["commune"], "canbo")
    award_services.contents_ensure_defaults(phase=phase)
    content = PledgeContent.objects.filter(phase=phase).first()
    with pytest.raises(UnitEnded, match="Xã Hàm Phước"):
        award_services.pledge_create(user=staff, year=2025, content=content,
                                     commitments=[{"what": "Tham mưu", "due": "Tháng 9/2025", "measure": "Xong"}])
    with pytest.raises(UnitEnded):
        plan_services.plan_create(user=staff, unit=tree["commune"], number="9-KH/DV", title="Kế hoạch",
                                  issued_on=dt.date(2025, 8, 1), signer="Nguyễn Văn A")
    old_plan = PlanFactory(unit=tree["commune"], created_by=staff)
    with pytest.raises(UnitEnded):
        plan_services.item_save(user=staff, plan=old_plan, content="Nội dung mới", chair="Lãnh đạo")
    # The successor's people go on as usual.
    successor_staff = make_user(merged, "canbo")
    plan_services.plan_create(user=successor_staff, unit=merged, number="10-KH/DV", title="Kế hoạch",
                              issued_on=dt.date(2025, 8, 1), signer="Nguyễn Văn B")
    assert Plan.objects.filter(unit=merged).count() == 1


# --- moving people of ended units ----------------------------------------------------------------

def test_admin_moves_people_of_ended_units_to_the_proposed_successor_after_a_preview(
        client, tree, merged, make_user, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 7, 10, 9, 0), tick=False)
    a = make_user(tree["commune"], "canbo", full_name="Trần Thị Lan")
    b = make_user(tree["other_commune"], "lanhdao", full_name="Lê Văn Minh")
    stays = make_user(tree["village"], "canbo", full_name="Người ở thôn")  # the village did not end
    client.force_login(people["admin"])
    page = client.get(reverse("units:members_move")).content.decode()
    assert "Trần Thị Lan" in page and "Lê Văn Minh" in page and "Người ở thôn" not in page
    # The merge's successor is proposed for both.
    assert page.count(f'<option value="{merged.pk}" selected>') == 2
    data = {f"move_{a.pk}": "on", f"to_{a.pk}": merged.pk, f"move_{b.pk}": "on", f"to_{b.pk}": merged.pk}
    preview = client.post(reverse("units:members_move"), {**data, "preview": "1"})
    assert "Sẽ chuyển 2 người" in preview.content.decode()
    a.refresh_from_db()
    assert a.unit == tree["commune"]  # a preview changes nothing
    done = client.post(reverse("units:members_move"), {**data, "confirm": "1"}, follow=True)
    assert "Đã chuyển 2 người sang đơn vị mới." in done.content.decode()
    assert set(User.objects.filter(pk__in=[a.pk, b.pk]).values_list("unit", flat=True)) == {merged.pk}
    stays.refresh_from_db()
    assert stays.unit == tree["village"]
    record = a.history.order_by("-history_id").first()
    assert record.history_user == people["admin"]
    assert "Xã Hàm Đức" in record.history_change_reason


def test_bulk_move_is_all_or_nothing(tree, merged, make_user, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 7, 10, 9, 0), tick=False)
    a = make_user(tree["commune"], "canbo")
    b = make_user(tree["other_commune"], "canbo")
    with pytest.raises(ValidationError, match="đã kết thúc hoạt động"):
        # The second target is itself an ended unit.
        services.members_move(moves=[(a.pk, merged.pk), (b.pk, tree["commune"].pk)], user=people["admin"])
    assert set(User.objects.filter(pk__in=[a.pk, b.pk]).values_list("unit", flat=True)) == {
        tree["commune"].pk, tree["other_commune"].pk}


# --- changes dated in the future -----------------------------------------------------------------

def test_a_merge_entered_early_takes_effect_on_its_date(client, tree, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 20, 9, 0), tick=False)
    kind = UnitKind.objects.get(code="xa")
    client.force_login(people["admin"])
    response = client.post(reverse("units:merge"), {
        "sources": [tree["commune"].pk, tree["other_commune"].pk], "parent": tree["province"].pk,
        "code": "X99", "name": "Xã Hàm Phước", "kind": kind.pk, "effective_date": "2025-07-01",
    }, follow=True)
    page = response.content.decode()
    assert "Đã lên kế hoạch hợp nhất, có hiệu lực từ ngày 01/07/2025." in page
    assert "Thay đổi đã lên kế hoạch (chưa có hiệu lực)" in page
    tree_page = client.get(reverse("units:list")).content.decode()
    assert tree_page.count("Hợp nhất từ 01/07/2025 (đã lên kế hoạch)") == 2  # on both communes
    commune = Unit.objects.get(pk=tree["commune"].pk)
    assert commune.is_active and commune.valid_to is None and commune.successor is None
    assert not Unit.objects.filter(code="X99").exists()
    # The day before, the nightly pass finds nothing due.
    time_machine.move_to(dt.datetime(2025, 6, 30, 10, 0), tick=False)
    assert apply_planned_unit_changes() == 0
    time_machine.move_to(dt.datetime(2025, 7, 1, 2, 0), tick=False)
    assert apply_planned_unit_changes() == 1
    assert apply_planned_unit_changes() == 0  # idempotent
    new = Unit.objects.get(code="X99")
    commune.refresh_from_db()
    assert commune.valid_to == dt.date(2025, 6, 30) and commune.successor == new
    assert new.valid_from == MERGE_DAY
    assert UnitChange.objects.filter(status=UnitChange.Status.PLANNED).count() == 0
    assert UnitChange.objects.filter(kind=UnitChange.Kind.MERGE).count() == 1  # the plan became the change
    assert UnitChange.objects.get(kind=UnitChange.Kind.MERGE).created_by == people["admin"]
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_a_merge_dated_d_is_planned_on_d_minus_1_and_in_effect_from_the_first_minute_of_d(
        client, tree, people, time_machine):
    """Requests read the tree of their own date, before the beat task has run."""
    from django.conf import settings

    time_machine.move_to(dt.datetime(2025, 6, 20, 9, 0), tick=False)
    services.unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"], code="X99",
                       name="Xã Hàm Phước", kind=UnitKind.objects.get(code="xa"), effective_date=MERGE_DAY)
    time_machine.move_to(dt.datetime(2025, 6, 30, 23, 59, tzinfo=HANOI), tick=False)
    client.force_login(people["admin"])
    page = client.get(reverse("units:list")).content.decode()
    assert page.count("Hợp nhất từ 01/07/2025 (đã lên kế hoạch)") == 2
    assert "Xã Hàm Phước" not in page and "Xã Hàm Đức" in page

    # 00:00:30 on the date: no beat task has run, the tree already shows the merge in effect.
    time_machine.move_to(dt.datetime(2025, 7, 1, 0, 0, 30, tzinfo=HANOI), tick=False)
    page = client.get(reverse("units:list")).content.decode()
    assert "Xã Hàm Phước" in page and "(đã lên kế hoạch)" not in page
    assert "Xã Hàm Đức" not in page  # ended units are not live members of today's tree
    commune = Unit.objects.get(pk=tree["commune"].pk)
    assert commune.valid_to == dt.date(2025, 6, 30) and commune.successor.code == "X99"
    # The beat task at 00:01, as scheduled, finds nothing left to do.
    time_machine.move_to(dt.datetime(2025, 7, 1, 0, 1, tzinfo=HANOI), tick=False)
    assert apply_planned_unit_changes() == 0
    schedules = [e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "portal.tasks.apply_planned_unit_changes"]
    assert any(getattr(s, "hour", None) == {0} and getattr(s, "minute", None) == {1} for s in schedules)


def test_a_merge_dated_d_waits_for_d_even_when_requests_come_on_d_minus_1(client, tree, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 20, 9, 0), tick=False)
    services.unit_merge(sources=[tree["commune"], tree["other_commune"]], parent=tree["province"], code="X99",
                       name="Xã Hàm Phước", kind=UnitKind.objects.get(code="xa"), effective_date=MERGE_DAY)
    for hour in (0, 12, 23):
        time_machine.move_to(dt.datetime(2025, 6, 30, hour, 59, tzinfo=HANOI), tick=False)
        client.force_login(people["admin"])
        assert client.get(reverse("units:list")).status_code == 200
    assert not Unit.objects.filter(code="X99").exists()
    assert UnitChange.objects.filter(status=UnitChange.Status.PLANNED).count() == 1


def test_a_future_rename_shows_as_planned_until_its_date(tree, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 9, 0), tick=False)
    services.unit_rename(unit=tree["commune"], name="Xã Hàm Đức mới", effective_date=dt.date(2025, 7, 1))
    tree["commune"].refresh_from_db()
    assert tree["commune"].name == "Xã Hàm Đức"
    time_machine.move_to(dt.datetime(2025, 7, 1, 1, 0), tick=False)
    apply_planned_unit_changes()
    tree["commune"].refresh_from_db()
    assert tree["commune"].name == "Xã Hàm Đức mới"


# --- a unit's life on its page -------------------------------------------------------------------

def test_unit_page_shows_life_lineage_and_sub_units_of_both_periods(client, tree, merged, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    old = client.get(reverse("units:detail", args=[tree["commune"].pk]))
    page = old.content.decode()
    assert "Ngày cuối cùng hoạt động" in page and "30/06/2025" in page
    assert "Đã kết thúc hoạt động" in page
    assert [u.name for u in old.context["successors"]] == ["Xã Hàm Phước"]
    # An ended unit shows the sub-units it had on its last day.
    assert [u.name for u in old.context["children"]] == ["Thôn Đông Giang"]

    new = client.get(reverse("units:detail", args=[merged.pk]))
    page = new.content.decode()
    assert "Ngày bắt đầu hoạt động" in page and "01/07/2025" in page
    assert {u.name for u in new.context["predecessors"]} == {"Xã Hàm Đức", "Xã Phước Thể"}
    # Today the village stands under the new commune; the ended communes are not live members.
    assert [u.name for u in new.context["children"]] == ["Thôn Đông Giang"]

    district_then = client.get(reverse("units:detail", args=[tree["district"].pk]), {"on": "2025-06-01"})
    assert [u.name for u in district_then.context["children"]] == ["Xã Hàm Đức"]
    district_now = client.get(reverse("units:detail", args=[tree["district"].pk]))
    assert district_now.context["children"] == []


# --- the unit picker -----------------------------------------------------------------------------

def test_picker_finds_units_without_diacritics_shows_the_path_and_keeps_to_the_scope(client, tree, people):
    UnitFactory(code="TH03", name="Thôn 3", kind=UnitKind.objects.get(code="thon"), parent=tree["commune"])
    client.force_login(people["staff"])  # district staff
    results = client.get(reverse("units:pick"), {"q": "thon 3"}).json()["results"]
    assert [r["text"] for r in results] == ["Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn 3"]
    assert client.get(reverse("units:pick"), {"q": "phuoc the"}).json()["results"] == []  # another district
    client.force_login(people["admin"])
    assert [r["code"] for r in client.get(reverse("units:pick"), {"q": "PHƯỚC THỂ"}).json()["results"]] == ["X02"]


def test_picker_finds_a_unit_by_its_path_as_shown(client, tree, people):
    kind = UnitKind.objects.get(code="thon")
    UnitFactory(code="TH03", name="Thôn 3", kind=kind, parent=tree["commune"])
    UnitFactory(code="TH23", name="Thôn 3", kind=kind, parent=tree["other_commune"])
    client.force_login(people["admin"])

    def texts(q):
        return [r["text"] for r in client.get(reverse("units:pick"), {"q": q}).json()["results"]]

    assert len(texts("thon 3")) == 2
    assert texts("ham duc › thon 3") == ["Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn 3"]
    assert texts("tuy phong > thon 3") == ["Tỉnh Bình Thuận › Huyện Tuy Phong › Xã Phước Thể › Thôn 3"]
    assert texts("binh thuan / ham thuan bac / thon") == [
        "Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn 3",
        "Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn Đông Giang",
    ]
    assert texts("tuy phong › dong giang") == []
    # The district's staff do not reach the other district through a path either.
    client.force_login(people["staff"])
    assert texts("tuy phong › thon 3") == []


def test_picker_leaves_out_ended_units_unless_asked(client, tree, merged, people, time_machine):
    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    codes = [r["code"] for r in client.get(reverse("units:pick"), {"q": "xa ham"}).json()["results"]]
    assert codes == ["X99"]
    codes = [r["code"] for r in client.get(reverse("units:pick"), {"q": "xa ham", "ended": "1"}).json()["results"]]
    assert set(codes) == {"X99", "X01"}


def test_the_picker_names_its_chosen_units_with_their_path_in_one_query(tree, django_assert_num_queries):
    """The chosen units and all their ancestors are read together, at any depth (a province under
    a national root costs what a root unit does); an id that names no unit is left out."""
    from portal.units.selectors import labels_of, path_labels
    from portal.units.widgets import UnitMultiPickerWidget

    units = [tree[k] for k in ("province", "district", "commune", "village", "other_commune")]
    with django_assert_num_queries(1):
        labels = labels_of([u.pk for u in units] + [10**9])
    assert labels == path_labels(units)
    assert labels[tree["village"].pk] == "Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc › Xã Hàm Đức › Thôn Đông Giang"
    assert labels_of([]) == {}
    with django_assert_num_queries(1):
        html = UnitMultiPickerWidget().render("units", [tree["village"].pk, tree["province"].pk])
    assert f'<option value="{tree["province"].pk}" selected>Tỉnh Bình Thuận</option>' in html


def test_the_1510_dashboard_takes_its_subtree_from_the_picker(client, tree, make_user):
    leader = make_user(tree["province"], "lanhdao")
    client.force_login(leader)
    response = client.get(reverse("awards:dashboard_1510"), {"subtree": tree["district"].pk, "year": 2025})
    assert response.context["unit"] == tree["district"]
    assert f'<option value="{tree["district"].pk}" selected>Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc</option>' in (
        response.content.decode())
    district_leader = make_user(tree["district"], "lanhdao")
    client.force_login(district_leader)
    assert client.get(reverse("awards:dashboard_1510"), {"subtree": tree["other_district"].pk}).status_code == 404


def test_people_are_not_imported_into_an_ended_unit_and_the_file_is_told_its_successor(
        client, tree, merged, people, time_machine):
    from tests.portal.test_imports import upload, workbook

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    headers = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò", "Chức vụ"]
    response = upload(client, "users", workbook(headers, [["lan.tt", "Trần Thị Lan", "", "X01", "canbo", ""]]))
    body = client.get(response["Location"]).content.decode()
    assert "Đơn vị “X01” đã kết thúc hoạt động (ngày cuối cùng hoạt động: 30/06/2025)." in body
    assert "Hãy dùng mã đơn vị kế thừa “X99” (Xã Hàm Phước)." in body
    client.post(response["Location"], {"commit": "1"})
    assert not User.objects.filter(username="lan.tt").exists()


def test_leaders_of_an_ended_unit_cannot_open_a_commendation_proposal(tree, merged, make_user, phase, time_machine):
    from awards.commendations import services as cs
    from awards.models import Occasion, ProposingBody

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    leader = make_user(tree["commune"], "lanhdao")
    with pytest.raises(UnitEnded, match="Công việc của đơn vị nay thuộc Xã Hàm Phước"):
        cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510, year=2025)


def test_an_ended_unit_without_successor_points_to_the_administrator(tree, time_machine):
    from portal.permissions import require_unit_open

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    services.unit_deactivate(unit=tree["village"], effective_date=dt.date(2025, 7, 1))
    tree["village"].refresh_from_db()
    require_unit_open(tree["village"], on=dt.date(2025, 6, 30))  # its last day: still open
    with pytest.raises(UnitEnded, match="Hãy liên hệ quản trị viên"):
        require_unit_open(tree["village"], on=dt.date(2025, 7, 1))


# --- the imports review picks units with the same picker -----------------------------------------

USER_HEADERS = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò", "Chức vụ"]


def test_the_import_review_picks_a_unit_for_a_row_previews_again_and_saves_it(
        client, tree, merged, people, time_machine):
    from portal.models import ImportBatch
    from tests.portal.test_imports import upload, workbook

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    response = upload(client, "users", workbook(USER_HEADERS, [
        ["lan.tt", "Trần Thị Lan", "", "X01", "canbo", ""],  # an ended unit
        ["minh.lv", "Lê Văn Minh", "", "KHONGCO", "canbo", ""],  # no such unit
        ["tam.nv", "Nguyễn Văn Tâm", "", "H01", "canbo", ""],  # fine
    ]))
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    # The two rows whose unit cannot be used get the searchable picker; the good row does not.
    assert page.count('data-unit-picker="/units/pick/"') == 3
    assert 'name="row-2"' in page and 'name="row-3"' in page and 'name="row-4"' not in page
    assert 'name="all"' in page

    # Picking the ended commune itself is refused, naming its successor.
    response = client.post(preview_url, {"choose": "1", "row-2": tree["commune"].pk})
    assert "Hãy dùng mã đơn vị kế thừa “X99” (Xã Hàm Phước)." in response.content.decode()
    assert ImportBatch.objects.get().unit_choices == {}

    # Row 2 goes to the successor; every other row without a valid unit to the district.
    response = client.post(preview_url, {"choose": "1", "row-2": merged.pk, "all": tree["district"].pk})
    assert response.status_code == 302 and response["Location"] == preview_url
    assert ImportBatch.objects.get().unit_choices == {"2": merged.pk, "all": tree["district"].pk}
    preview = client.get(preview_url)
    page = preview.content.decode()
    assert "Tất cả 3 dòng hợp lệ." in page
    assert "Đơn vị do người xem chọn (tệp ghi “X01”)." in page
    assert f'<option value="{merged.pk}" selected>Tỉnh Bình Thuận › Xã Hàm Phước</option>' in page
    assert not User.objects.filter(username="lan.tt").exists()  # nothing before the confirmation

    # Saving posts the picks shown on the page unchanged.
    client.post(preview_url, {"commit": "1", "row-2": merged.pk, "row-3": "", "all": tree["district"].pk})
    assert User.objects.get(username="lan.tt").unit == merged
    assert User.objects.get(username="minh.lv").unit == tree["district"]
    assert User.objects.get(username="tam.nv").unit == tree["district"]


def test_a_pick_changed_at_save_time_is_previewed_again_not_saved(client, tree, merged, people, time_machine):
    from tests.portal.test_imports import upload, workbook

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    response = upload(client, "users", workbook(USER_HEADERS, [["lan.tt", "Trần Thị Lan", "", "X01", "canbo", ""]]))
    preview_url = response["Location"]
    client.post(preview_url, {"choose": "1", "row-2": merged.pk})
    response = client.post(preview_url, {"commit": "1", "row-2": tree["district"].pk})
    assert response.status_code == 302 and response["Location"] == preview_url
    assert not User.objects.filter(username="lan.tt").exists()
    client.post(preview_url, {"commit": "1", "row-2": tree["district"].pk})
    assert User.objects.get(username="lan.tt").unit == tree["district"]


def test_a_units_file_under_an_ended_parent_takes_the_picked_parent(client, tree, merged, people, time_machine):
    from tests.portal.test_imports import UNIT_HEADERS, upload, workbook

    time_machine.move_to(dt.datetime(2025, 9, 1, 9, 0), tick=False)
    client.force_login(people["admin"])
    response = upload(client, "units", workbook(UNIT_HEADERS, [["TH50", "Thôn 5", "thon", "X01", None]]))
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "Đơn vị “X01” đã kết thúc hoạt động" in page and "“X99” (Xã Hàm Phước)" in page
    client.post(preview_url, {"choose": "1", "all": merged.pk})
    client.post(preview_url, {"commit": "1", "row-2": "", "all": merged.pk})
    assert Unit.objects.get_parent(Unit.objects.get(code="TH50")) == merged


def test_the_import_picker_keeps_to_the_reviewers_units(tree, people, make_user):
    from portal import imports
    from portal.forms import ImportUnitChoiceForm
    from portal.imports import Row
    from portal.models import ImportBatch
    from portal.permissions import units_visible_to

    # The picker's choices are the reviewer's subtree: a unit of another district is not one of them.
    reviewer = make_user(tree["district"], "lanhdao")
    rows = [Row(2, {}, unit_problem=True)]
    form = ImportUnitChoiceForm({"row-2": tree["other_commune"].pk}, rows=rows,
                                units=units_visible_to(reviewer), column="Mã đơn vị")
    assert not form.is_valid() and "row-2" in form.errors
    form = ImportUnitChoiceForm({"row-2": tree["commune"].pk}, rows=rows,
                                units=units_visible_to(reviewer), column="Mã đơn vị")
    assert form.is_valid()
    # The service refuses it too, whoever calls it.
    batch = ImportBatch.objects.create(kind="users", filename="x.xlsx", content=b"", created_by=reviewer)
    with pytest.raises(ValidationError, match="ngoài phạm vi"):
        imports.import_choose_units(batch=batch, user=reviewer, choices={"2": tree["other_commune"]})
    batch.refresh_from_db()
    assert batch.unit_choices == {}


# Units offered from a short list that the record itself bounds, not from the tree: a plain list reads better.
BOUNDED_UNIT_FIELDS = {
    ("plans.forms", "FollowUpForm", "unit"),  # one of the units the inspection covered
    ("plans.forms", "PlanItemForm", "responsible_units"),  # the plan unit's own departments, as checkboxes
}


def test_every_form_that_picks_a_unit_among_the_tree_uses_the_searchable_picker():
    import importlib
    import inspect

    from django import forms

    from portal.units.widgets import UnitPickerMixin

    modules = ["portal.forms", "portal.units.forms", "portal.accounts.forms", "models_registry.forms",
               "awards.pledges.forms", "awards.commendations.forms", "plans.forms", "councils.forms", "documents.forms"]
    plain, checked = [], 0
    for name in modules:
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != name:
                continue
            for field_name, field in cls.base_fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is None or queryset.model is not Unit:
                    continue
                checked += 1
                if not isinstance(field.widget, UnitPickerMixin) and (name, cls_name, field_name) not in BOUNDED_UNIT_FIELDS:
                    plain.append(f"{name}.{cls_name}.{field_name}")
    assert checked >= 8
    assert plain == []


def test_a_unit_formed_by_the_merger_reads_its_area_then_as_that_of_the_units_it_carries_on(tree, merged):
    """Xã Hàm Phước did not exist on 15/10/2024: 'as it stood then', its area is that of Xã Hàm Đức
    (with its village) and Xã Phước Thể, so its leader's spread and 15/10 figures of the old years are
    not empty (the 15/10 roll-up still counts nothing for a unit that did not exist then); after the
    merge its own subtree holds them (the tree places merged units under their
    successor)."""
    from portal.units.selectors import subtree_ids_as_of

    assert not subtree_ids_as_of(merged, dt.date(2024, 10, 15)).exists()  # the 15/10 roll-up: it did not exist
    then = set(subtree_ids_as_of(merged, dt.date(2024, 10, 15), through_predecessors=True)
               .values_list("unit_id", flat=True))
    assert then == {tree["commune"].pk, tree["village"].pk, tree["other_commune"].pk}
    after = set(subtree_ids_as_of(merged, dt.date(2025, 10, 15)).values_list("unit_id", flat=True))
    assert after == then | {merged.pk}
    # Before any of them stood, and for a unit that carries on nobody, there is no area then.
    assert not subtree_ids_as_of(tree["other_district"], dt.date(2024, 10, 15),
                                 through_predecessors=True).filter(unit_id=merged.pk).exists()
