"""The key pages at an office PC's 1280 px and a phone's 360 px: no sideways scrolling, no serious
accessibility violation, lists as cards and filters folded on the phone, one error summary after an
invalid submit. Screenshots of each page at both widths go to test-results/screenshots/ (not committed)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "test-results" / "screenshots"
WIDTHS = (1280, 360)


def key_pages() -> list[tuple[str, str, str]]:
    """(name, user, path) of the five pages a reviewer looks at."""
    from awards.models import ReviewRound
    from models_registry.models import DvkModel

    model = DvkModel.objects.filter(unit__code="BTGDVTU").order_by("-year", "pk").first()
    rnd = ReviewRound.objects.filter(unit__code="BTGDVTU", status="open").first()
    assert rnd is not None, "the demo keeps the current quarter's round open for the committee"
    return [
        ("home", "canbo", "/"),
        ("models-list", "canbo", reverse("models_registry:list")),
        ("model-page", "canbo", reverse("models_registry:detail", args=[model.pk])),
        ("scoring-grid", "congdoan", reverse("awards:score_grid", args=[rnd.pk])),
        ("dashboard-1510", "lanhdao", reverse("awards:dashboard_1510")),
    ]


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")


def _problems(page, label) -> list[str]:
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{label}: wider than the window by {overflow} px")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in violation["nodes"][:3]]
            problems.append(f"{label}: {violation['id']} — {violation['help']} {targets}")
    return problems


def test_key_pages_fit_both_widths_pass_axe_and_are_photographed(browser, live_server, demo):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800}, locale="vi-VN")
        page = context.new_page()
        current = None
        for name, username, path in key_pages():
            if username != current:
                _login(page, live_server.url, username)
                current = username
            response = page.goto(live_server.url + path)
            assert response.status == 200, (username, path, response.status)
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            problems += _problems(page, f"{name} at {width} px")
        context.close()
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_models_list_is_cards_with_folded_filters_and_removable_chips(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _login(page, live_server.url, "lanhdao")
    page.goto(live_server.url + reverse("models_registry:list") + "?state=submitted")
    panel = page.locator("details.filter-details")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("result-bar")).to_be_visible()
    expect(page.locator("#id_sort")).to_be_visible()
    row = page.get_by_test_id("model-row").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.locator("#model-table thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    expect(row.get_by_test_id("state")).to_have_text("Chờ duyệt")
    expect(row.get_by_test_id("next-step")).to_contain_text("Duyệt hoặc trả lại")
    chip = page.get_by_test_id("filter-chips").get_by_role("link", name="Trạng thái: Chờ duyệt")
    expect(chip).to_be_visible()
    page.locator("details.filter-details > summary").click()
    expect(page.locator("#id_q")).to_be_visible()
    chip.click()
    page.wait_for_url("**/models/?*")
    assert "state=" not in page.url
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.locator("details.filter-details")).to_have_attribute("open", "")
    assert page.get_by_test_id("model-row").first.evaluate("r => getComputedStyle(r).display") == "table-row"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_invalid_or_incomplete_registration_shows_one_focused_error_summary_that_leads_to_the_field(
    browser, live_server, demo, width
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # bypass_csp: axe-core is injected as an inline script (the portal's CSP allows none).
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    _login(page, live_server.url, "canbo")
    page.goto(live_server.url + reverse("models_registry:create"))
    expect(page.get_by_text("Bước 1/3: Thông tin chung")).to_be_visible()
    # A value the server refuses (a name over 255 characters) on step 1, a goal typed on step 2.
    page.get_by_role("button", name="Tiếp").click()
    page.fill("#id_goals", "Giảm rác thải nhựa ở chợ phiên.")
    page.locator("#id_name").evaluate("(el, v) => { el.removeAttribute('maxlength'); el.value = v; }", "M" * 300)
    page.get_by_role("button", name="Lưu bản nháp").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    assert page.locator(".alert-danger").count() == 1  # no second copy of the messages
    expect(page.get_by_text("Bước 1/3: Thông tin chung")).to_be_visible()  # the step holding the error
    summary.locator('a[href="#id_name"]').click()
    expect(page.locator("#id_name")).to_be_focused()
    page.fill("#id_name", "Mô hình còn thiếu nội dung")
    # Sent with only a name and a goal: the draft is saved, and what a proposal still needs is listed once.
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(summary).to_contain_text("Chưa gửi được")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Chưa gửi được")
    assert page.locator(".alert-danger").count() == 1
    expect(page.locator("#id_name")).to_have_value("Mô hình còn thiếu nội dung")
    expect(page.locator("#id_goals")).to_have_value("Giảm rác thải nhựa ở chợ phiên.")
    summary.locator('a[href="#id_how_it_works"]').click()
    expect(page.locator("#id_how_it_works")).to_be_focused()
    assert _problems(page, f"incomplete registration at {width} px") == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / f"error-summary-{width}.png"), full_page=True)
    context.close()
