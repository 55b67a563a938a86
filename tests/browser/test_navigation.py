"""The header a person finds their way with: grouped menus on one line at 1280 px, a compact side
menu at 360 px, the current place marked, the search box, and the home's "what needs me" list;
no sideways scrolling and no serious axe-core violation at either width."""

from pathlib import Path

import pytest
from django.conf import settings

from models_registry.models import State
from tests.factories import TEST_USER_LOGIN
from tests.models_registry.factories import DvkModelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_USER_LOGIN)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"{base}/")


def _problems(page, label):
    found = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found.append(f"{label}: wider than the window by {overflow} px")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            found.append(f"{label}: {violation['id']} — {violation['help']} {[n['target'] for n in violation['nodes'][:3]]}")
    return found


@pytest.fixture
def world(people, tree, phase):
    people["admin"].full_name = "Phạm Thị Hồng Nhung"  # a long name, as real ones are
    people["admin"].save()
    DvkModelFactory(unit=tree["commune"], phase=phase, state=State.SUBMITTED, name="Thắp sáng đường quê")
    return people


def test_the_header_fits_one_line_at_1280_and_a_side_menu_at_360(browser, live_server, world):
    context = browser.new_context(bypass_csp=True, viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    problems = []
    for username in ("quantri", "lanhdao_d"):
        context.clear_cookies()
        _login(page, live_server.url, username)
        nav = page.get_by_test_id("main-nav")
        # One line: the bar is no taller than its tallest single item (brand, toggles, search).
        height = nav.evaluate("n => n.getBoundingClientRect().height")
        line = page.locator(".navbar-brand").evaluate("n => n.getBoundingClientRect().height")
        tops = page.locator("[data-testid=nav-group]").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, (username, tops)
        assert height <= line + 24, (username, height, line)
        # Nothing hidden past the edge of the bar either.
        assert nav.evaluate("n => n.scrollWidth <= n.clientWidth"), username
        groups = page.locator("[data-testid=nav-group]").all_inner_texts()
        if username == "quantri":
            assert groups == ["Mô hình", "Điển hình và đánh giá", "Khen thưởng và báo cáo", "Kế hoạch và kiểm tra",
                              "Quản trị"]
        else:
            assert "Quản trị" not in groups
        # The home's list of what waits: the leader has a proposal to approve.
        if username == "lanhdao_d":
            needs = page.get_by_test_id("needs-me")
            needs.wait_for()  # fetched right after the page shows
            assert "Duyệt: Thắp sáng đường quê" in needs.inner_text()
        problems += _problems(page, f"home 1280 ({username})")
    # Keyboard: open the first menu with Enter, move with the arrow key, follow with Enter.
    page.goto(live_server.url + "/")
    page.locator("#nav-models").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/models/")
    models_toggle = page.locator("#nav-models")
    assert "active" in models_toggle.get_attribute("class")
    assert models_toggle.get_attribute("aria-current") == "true"
    current = page.locator("[aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "Danh sách mô hình"
    # The search box finds a model whatever the diacritics.
    page.fill("#site-search", "thap sang duong que")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem/**")
    assert page.get_by_role("link", name="Thắp sáng đường quê").is_visible()
    problems += _problems(page, "search 1280")
    context.close()

    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    _login(page, live_server.url, "quantri")
    assert not page.locator("#mainnav").is_visible()
    problems += _problems(page, "home 360")
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#mainnav.show").wait_for()
    page.get_by_role("button", name="Điển hình và đánh giá").click()
    page.get_by_role("link", name="Đợt đánh giá quý").click()
    page.wait_for_url("**/awards/rounds/")
    problems += _problems(page, "rounds 360")
    page.goto(live_server.url + "/tim-kiem/?q=zzzz")
    assert "Không tìm thấy kết quả nào" in page.content()
    problems += _problems(page, "search 360")
    page.goto(live_server.url + "/accounts/login/")
    context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    assert page.get_by_role("link", name="Xem mô hình tiêu biểu").is_visible()
    problems += _problems(page, "login 360")
    context.close()
    assert not problems, "\n".join(problems)
