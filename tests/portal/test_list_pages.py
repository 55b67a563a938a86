"""The administration and report lists read as cards on a phone, show their count and filters, and an
empty one says why it is empty and what to do next."""

import pytest
from django.urls import reverse

from portal.models import ReportRequest
from portal.units.models import UnitKind
from tests.factories import PhaseFactory
from tests.pages import cards, chips, empty_state, result_count

pytestmark = pytest.mark.django_db


def test_each_user_is_a_card_with_login_unit_roles_state_and_a_way_to_edit(client, tree, people, make_user):
    mai = make_user(tree["commune"], "canbo", username="mai.tt", full_name="Trần Thị Mai")
    make_user(tree["commune"], username="cu", full_name="Lê Văn Cũ", is_active=False)
    client.force_login(people["admin"])

    response = client.get(reverse("accounts:user_list"), {"q": "Hàm Đức"})

    assert result_count(response) == "2 người dùng"
    assert chips(response) == ["Tìm kiếm: Hàm Đức"]
    by_name = {card["title"]: card for card in cards(response)}
    card = by_name["Trần Thị Mai"]
    assert card["fields"]["Tên đăng nhập"] == "mai.tt" and card["fields"]["Đơn vị"] == "Xã Hàm Đức"
    assert card["fields"]["Vai trò"] == ", ".join(str(label) for label in mai.role_labels())
    assert card["state"] == "Hoạt động" and by_name["Lê Văn Cũ"]["state"] == "Ngừng"
    assert card["action"] == (reverse("accounts:user_edit", args=[mai.pk]), "Sửa: Trần Thị Mai")


def test_a_user_search_that_finds_nobody_says_so_and_offers_to_clear_it(client, people):
    client.force_login(people["admin"])
    empty = empty_state(client.get(reverse("accounts:user_list"), {"q": "không ai tên này"}))
    assert empty["why"] == "Không có người dùng nào khớp từ tìm kiếm."
    assert "họ tên, tên đăng nhập hoặc tên đơn vị" in empty["next"]
    assert empty["action"] == ("?", "Bỏ mọi bộ lọc")


def test_each_unit_is_a_card_and_a_kind_filter_shows_as_a_named_chip(client, tree, people):
    commune_kind = UnitKind.objects.get(code="xa")
    client.force_login(people["admin"])

    response = client.get(reverse("units:list"), {"kind": "xa"})

    assert chips(response) == [f"Loại: {commune_kind.name}"]
    assert result_count(response) == "2 đơn vị"
    card = next(c for c in cards(response) if c["title"].endswith("Xã Hàm Đức"))
    assert card["fields"] == {"Mã": "X01", "Loại": commune_kind.name}
    assert card["state"] == "Hoạt động"
    assert card["action"] == (reverse("units:detail", args=[tree["commune"].pk]), "Xem đơn vị: Xã Hàm Đức")


def test_a_unit_filter_that_finds_nothing_says_why_and_offers_to_clear_it(client, people):
    client.force_login(people["admin"])
    empty = empty_state(client.get(reverse("units:list"), {"q": "không có đơn vị này", "status": "inactive"}))
    assert empty["why"] == "Không có đơn vị nào khớp bộ lọc đang chọn."
    assert "mặc định chỉ hiện đơn vị đang hoạt động" in empty["next"]
    assert empty["action"] == ("?", "Bỏ mọi bộ lọc")


def test_no_phase_yet_leads_the_administrator_to_add_the_first(client, people):
    client.force_login(people["admin"])
    empty = empty_state(client.get(reverse("units:phases")))
    assert empty["why"] == "Chưa có giai đoạn nào."
    assert empty["action"] == (reverse("units:phase_create"), "Thêm giai đoạn")

    phase = PhaseFactory()
    response = client.get(reverse("units:phases"))
    [card] = cards(response)
    assert card["title"] == "2021 – 2025" and card["fields"]["Các năm"] == "2021, 2022, 2023, 2024, 2025"
    assert card["state"] == "Hiện tại"
    assert card["action"] == (reverse("units:phase_edit", args=[phase.pk]), "Sửa: 2021 – 2025")


def test_requested_reports_are_cards_whose_next_step_follows_their_state(client, tree, people):
    client.force_login(people["leader"])
    empty = empty_state(client.get(reverse("reports:list")))
    assert empty["why"] == "Chưa có báo cáo nào được yêu cầu trong phạm vi của bạn."
    assert "trang tổng hợp 15/10" in empty["next"]

    done = ReportRequest.objects.create(kind="unit-list", unit=tree["district"], requested_by=people["leader"],
                                        status="done", params_key="a")
    failed = ReportRequest.objects.create(kind="unit-list", unit=tree["commune"], requested_by=people["leader"],
                                          status="failed", params_key="b")
    response = client.get(reverse("reports:list"))
    assert result_count(response) == "2 báo cáo, mới nhất ở trên"
    by_unit = {card["fields"]["Đơn vị"]: card for card in cards(response)}
    assert by_unit["Huyện Hàm Thuận Bắc"]["title"] == "Danh sách đơn vị"  # the kind's name, not its code
    assert by_unit["Huyện Hàm Thuận Bắc"]["state"] == "Hoàn thành"
    assert by_unit["Huyện Hàm Thuận Bắc"]["action"] == (reverse("reports:download", args=[done.pk]),
                                                         "Tải xuống: Danh sách đơn vị")
    assert by_unit["Xã Hàm Đức"]["state"] == "Lỗi"
    assert by_unit["Xã Hàm Đức"]["action"] == (reverse("reports:detail", args=[failed.pk]),
                                                "Xem lỗi và thử lại: Danh sách đơn vị")
