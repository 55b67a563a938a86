"""The registry's journey in a real browser: register with evidence and submit; leadership
approve; a progress report; year-end evaluation; the district recognises the model and makes it
public; anyone finds it in the showcase with a search typed without diacritics."""

import datetime as dt
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from models_registry.models import DvkModel, RegistrationDeadline, State
from tests.factories import PhaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Phiên chợ nghĩa tình Hàm Đức"


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (196, 30, 58)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def journey_people(tree, make_user, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    today = dt.date.today()
    PhaseFactory(name="2021 – 2025", start_year=2021, end_year=2025, is_current=False)
    # The browser cannot run on a frozen clock (its cookies would expire): the current phase is
    # built around today, so the journey holds in any year, not only 2026 – 2030.
    PhaseFactory(name=f"{today.year} – {today.year + 4}", start_year=today.year, end_year=today.year + 4,
                 is_current=True)
    # Registration stays open during the test, whatever day it runs.
    RegistrationDeadline.objects.create(unit=tree["province"], year=today.year, date=today + dt.timedelta(days=30))
    return {
        "staff": make_user(tree["commune"], "canbo", username="canbo_xa"),
        "leader": make_user(tree["commune"], "lanhdao", username="lanhdao_xa"),
        "district_leader": make_user(tree["district"], "lanhdao", username="lanhdao_huyen"),
    }


def _as(page, login_page, username):
    page.context.clear_cookies()
    login_page(username)


def test_model_journey_from_registration_to_showcase(page, live_server, login_page, journey_people):
    # 1. Staff register the model with a photo as evidence, then submit it.
    _as(page, login_page, "canbo_xa")
    page.goto(f"{live_server.url}/models/new/")
    page.select_option("#id_field", "van-hoa-xa-hoi")
    page.fill("#id_name", NAME)
    expect(page.get_by_text("Bước 1/3: Thông tin chung")).to_be_visible()
    page.get_by_role("button", name="Tiếp").click()
    page.fill("#id_goals", "Hỗ trợ hộ nghèo có hàng hóa thiết yếu mỗi quý.")
    page.fill("#id_target_group", "Hộ nghèo, hộ cận nghèo của xã")
    page.fill("#id_how_it_works", "Vận động nhà hảo tâm góp hàng; tổ chức phiên chợ 0 đồng.")
    page.fill("#id_leader_text", "Ủy ban Mặt trận Tổ quốc xã")
    page.fill("#id_start_date", f"{dt.date.today().year}-03-01")
    page.fill("#id_expected_results", "Mỗi phiên hỗ trợ 100 hộ.")
    page.get_by_role("button", name="Tiếp").click()
    page.set_input_files("#id_attachments", files=[{"name": "phien-cho.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("Nháp")
    expect(page.get_by_alt_text("phien-cho.jpg")).to_be_visible()
    page.get_by_role("link", name="Gửi đăng ký").click()
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ duyệt")
    model = DvkModel.objects.get(name=NAME)

    # 2. Leadership approve it.
    _as(page, login_page, "lanhdao_xa")
    page.goto(f"{live_server.url}/models/{model.pk}/")
    page.get_by_role("link", name="Duyệt đăng ký").click()
    page.fill("#id_comment", "Đồng ý triển khai.")
    page.get_by_role("button", name="Duyệt đăng ký").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã đăng ký")

    # 3. Staff add a progress report, then evaluate the model at year end.
    _as(page, login_page, "canbo_xa")
    page.goto(f"{live_server.url}/models/{model.pk}/")
    page.get_by_role("link", name="Thêm báo cáo tiến độ").click()
    page.fill("#id_period_start", f"{dt.date.today().year}-04-01")
    page.fill("#id_period_end", f"{dt.date.today().year}-06-30")
    page.fill("#id_activities", "Tổ chức 2 phiên chợ, trao 200 phần quà.")
    page.fill("#id_people_reached", "600")
    page.fill("#id_beneficiaries", "200")
    page.fill("#id_money_raised", "40000000")
    page.fill("#id_works_built", "0")
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(page.get_by_test_id("reports")).to_contain_text("Tổ chức 2 phiên chợ, trao 200 phần quà.")
    page.get_by_role("link", name="Đánh giá cuối năm").click()
    page.get_by_label("Hiệu quả", exact=True).check()
    page.fill("#id_reason", "Được nhân dân hưởng ứng, vượt chỉ tiêu.")
    page.get_by_role("button", name="Lưu đánh giá").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã đánh giá")

    # 4. The district recognises it and makes it public.
    _as(page, login_page, "lanhdao_huyen")
    page.goto(f"{live_server.url}/models/{model.pk}/")
    page.get_by_role("link", name="Công nhận").click()
    expect(page.get_by_text("Cấp huyện")).to_be_visible()
    page.get_by_role("button", name="Công nhận").click()
    expect(page.get_by_test_id("state")).to_have_text("Được công nhận")
    page.get_by_role("link", name="Công khai", exact=True).click()
    page.get_by_role("button", name="Công khai").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Công khai")
    model.refresh_from_db()
    assert model.state == State.RECOGNISED and model.is_public and model.recognition_level == 2

    # 5. Anyone finds it in the showcase with a search typed without diacritics.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/showcase/")
    page.fill("#q", "phien cho nghia tinh ham duc")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    link = page.get_by_role("link", name=NAME)
    expect(link).to_be_visible()
    expect(page.get_by_test_id("showcase")).to_contain_text("600 người được vận động")
    link.click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.get_by_alt_text("phien-cho.jpg")).to_be_visible()
    assert page.url.endswith(f"/showcase/{model.slug}/")
