"""Work handed on in a real browser: a commune's staff submit a model; the leader finds it in the
notification centre, opens it from there and returns it with a note on a field; the staff see the
note beside that field, fix it and resubmit; the leader approves; the staff are told."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from models_registry.models import DvkModel, RegistrationDeadline, State
from tests.factories import PhaseFactory
from tests.models_registry.factories import DvkModelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Tổ tự quản đường hoa Hàm Đức"


@pytest.fixture
def handoff(tree, make_user, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    today = dt.date.today()
    # The browser cannot run on a frozen clock: the phase is built around today, so the model's year
    # lies in it whatever year the test runs.
    phase = PhaseFactory(name=f"{today.year} – {today.year + 4}", start_year=today.year, end_year=today.year + 4,
                         is_current=True)
    RegistrationDeadline.objects.create(unit=tree["province"], year=today.year, date=today + dt.timedelta(days=30))
    staff = make_user(tree["commune"], "canbo", username="canbo_xa")
    make_user(tree["commune"], "lanhdao", username="lanhdao_xa")
    return DvkModelFactory(unit=tree["commune"], phase=phase, year=today.year, name=NAME, created_by=staff,
                           start_date=today, goals="Làm đẹp đường làng.")


def _as(page, login_page, username):
    page.context.clear_cookies()
    login_page(username)


def _open_from_notifications(page, live_server, text):
    page.goto(f"{live_server.url}/plans/notifications/")
    page.get_by_test_id("notification-list").get_by_role("link", name=text).first.click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()


def test_a_return_with_field_notes_goes_back_and_forth_until_approved(page, live_server, login_page, handoff):
    model = handoff
    # 1. Staff submit.
    _as(page, login_page, "canbo_xa")
    page.goto(f"{live_server.url}/models/{model.pk}/")
    page.get_by_role("link", name="Gửi đăng ký").click()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ duyệt")

    # 2. The leader sees it in the notification centre, opens it from there, returns it with a field note.
    _as(page, login_page, "lanhdao_xa")
    expect(page.locator(".badge", has_text="1").first).to_be_visible()
    _open_from_notifications(page, live_server, f"Mô hình “{NAME}” được gửi đăng ký, chờ duyệt")
    page.get_by_role("link", name="Trả lại để sửa").click()
    page.fill("#id_comment", "Cần bổ sung để trình duyệt.")
    page.fill("#id_note_goals", "Mục tiêu cần nêu số hộ tham gia.")
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại để sửa")

    # 3. Staff open the notice, see the note beside the goals field, fix and resubmit.
    _as(page, login_page, "canbo_xa")
    _open_from_notifications(page, live_server, f"Mô hình “{NAME}” được trả lại để sửa")
    page.get_by_role("link", name="Sửa", exact=True).click()
    note = page.locator('[data-field-note="goals"]')
    expect(note).to_contain_text("Mục tiêu cần nêu số hộ tham gia.")
    goals_box, note_box = page.locator("#id_goals").bounding_box(), note.bounding_box()
    assert 0 <= note_box["y"] - (goals_box["y"] + goals_box["height"]) < 80  # right under the field
    page.fill("#id_goals", "Làm đẹp đường làng với 120 hộ tham gia.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("link", name="Gửi đăng ký").click()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ duyệt")

    # 4. The leader approves from the new notification; the staff are told.
    _as(page, login_page, "lanhdao_xa")
    _open_from_notifications(page, live_server, f"Mô hình “{NAME}” được gửi đăng ký, chờ duyệt")
    page.get_by_role("link", name="Duyệt đăng ký").click()
    page.get_by_role("button", name="Duyệt đăng ký").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã đăng ký")
    assert DvkModel.objects.get(pk=model.pk).state == State.REGISTERED

    _as(page, login_page, "canbo_xa")
    page.goto(f"{live_server.url}/plans/notifications/")
    expect(page.get_by_test_id("notification-list")).to_contain_text(f"Mô hình “{NAME}” được duyệt đăng ký")
