"""Journey: a staff member opens the 54-KH/BDVTU plan, sees its overdue items, and finds the
reminder in the notification centre."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from plans import demo
    from portal.demo import seed_foundation

    ctx = seed_foundation("small", 2021)
    demo.seed(ctx)
    return ctx


def test_the_plan_54_shows_overdue_items_and_the_reminder_is_in_the_notification_centre(
    demo, page, live_server, login_page, settings
):
    from portal.demo import DEMO_PASSWORD_FALLBACK

    login_page("canbo", settings.DEMO_PASSWORD or DEMO_PASSWORD_FALLBACK)
    page.goto(f"{live_server.url}/plans/?q=54-KH")
    page.get_by_role("link", name="54-KH/BDVTU").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("giai đoạn 2022 - 2025")
    items = page.get_by_test_id("plan-item")
    expect(items).to_have_count(9)
    overdue = items.filter(has=page.locator(".badge.text-bg-danger", has_text="Quá hạn"))
    expect(overdue).to_have_count(2)
    expect(overdue.nth(0)).to_contain_text("Tháng 3/2022")
    expect(overdue.nth(1)).to_contain_text("Năm 2025")
    expect(page.get_by_test_id("overdue-total")).to_have_text("2")
    expect(page.get_by_test_id("department-summary")).to_contain_text("Phòng Đoàn thể và các hội")

    badge = page.get_by_test_id("unread-count")
    unread = int(badge.inner_text())
    assert unread >= 1
    page.get_by_role("link", name=re.compile("Thông báo")).click()
    reminder = page.get_by_role("link", name="Nhắc việc: Kế hoạch 54-KH/BDVTU, mục 2.5").first
    expect(reminder).to_be_visible()
    reminder.click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/#item-\d+$"))
    expect(page.get_by_test_id("unread-count")).to_have_text(str(unread - 1))
