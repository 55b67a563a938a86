"""Journey: a provincial leader finds the units with no model, drills down to a commune with the
searchable picker and the table, and sends a follow-up; the commune's staff find it in their
notification centre. On a 360 px phone, by keyboard where it matters."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_follows_up_a_commune_with_no_model_and_its_staff_see_it(
        tree, make_user, page, live_server, login_page):
    from models_registry.models import State
    from tests.factories import PhaseFactory
    from tests.models_registry.factories import DvkModelFactory

    year = timezone.localdate().year
    phase = PhaseFactory(name="Giai đoạn thử", start_year=year - 1, end_year=year + 1)
    leader = make_user(tree["province"], "lanhdao", username="lanhdao_tinh", full_name="Lãnh đạo Ban")
    make_user(tree["commune"], "canbo", username="canbo_xa", full_name="Cán bộ xã Hàm Đức")
    # The district built its model this year; Xã Hàm Đức and its village have none.
    DvkModelFactory(unit=tree["district"], phase=phase, year=year, state=State.REGISTERED, created_by=leader)

    page.set_viewport_size({"width": 360, "height": 740})
    login_page("lanhdao_tinh")
    page.goto(f"{live_server.url}/models/coverage/?year={year}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Xây dựng mô hình năm {year}")
    expect(page.get_by_test_id("levels")).to_contain_text("Xã: 2/2")

    # The picker: type without diacritics, choose with the keyboard, show that subtree.
    page.locator("#unit-ts-control").focus()  # as a keyboard user tabbing in
    page.keyboard.type("huyen ham thuan")
    option = page.get_by_role("option", name="Tỉnh Bình Thuận › Huyện Hàm Thuận Bắc", exact=True)
    expect(option).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Tuy Phong"))).to_have_count(0)  # the server's answer
    expect(option).to_have_class(re.compile("active"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # on to the "Xem" button, and press it
    expect(page.get_by_role("button", name="Xem")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("trail")).to_contain_text("Huyện Hàm Thuận Bắc")

    row = page.locator("tr[data-unit='X01']")
    expect(row.locator("[data-status]")).to_have_text("Chưa có mô hình")
    row.get_by_role("checkbox").check()
    page.get_by_label("Nội dung đôn đốc").fill("Đề nghị xã đăng ký mô hình trước ngày 30/4.")
    page.get_by_role("button", name="Gửi đôn đốc").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi đôn đốc tới 1 đơn vị (1 người nhận).")
    expect(page.locator("tr[data-unit='X01'] td").last).not_to_have_text("—")

    page.context.clear_cookies()
    login_page("canbo_xa")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto(live_server.url + reverse("plans:notifications"))
    note = page.get_by_text(f"Đôn đốc xây dựng mô hình “Dân vận khéo” năm {year}").first
    expect(note).to_be_visible()
