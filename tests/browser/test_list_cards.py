"""On a 360 px phone the inspections and users lists are cards (each cell says what it is, the next step
is a full-width button), the filters are folded with the count in sight, and nothing scrolls sideways;
at 1280 px the same lists are tables with their filters open."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accessibility import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")


LISTS = [
    # (user, list, table, a labelled cell the card shows, its label)
    ("lanhdao", "plans:inspection_list", "inspection-table", 2, "Đơn vị kiểm tra"),
    ("admin", "accounts:user_list", "user-table", 2, "Tên đăng nhập"),
]


@pytest.mark.parametrize(("username", "url_name", "table", "cell", "label"), LISTS)
def test_on_a_phone_the_list_is_cards_with_folded_filters_and_no_sideways_scrolling(
        browser, live_server, demo, username, url_name, table, cell, label):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    _login(page, live_server.url, username)
    page.goto(live_server.url + reverse(url_name))

    expect(page.locator("details.filter-details")).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("result-bar")).to_be_visible()
    rows = page.get_by_test_id(table).locator("tbody > tr")
    assert rows.count() >= 1
    row = rows.first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert page.get_by_test_id(table).locator("thead").evaluate("h => h.getBoundingClientRect().height") <= 1
    labelled = row.locator(f"td:nth-child({cell})")
    assert labelled.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}: "'
    step = row.locator("td.card-action a")
    expect(step).to_be_visible()
    card_width = row.evaluate("r => r.getBoundingClientRect().width")
    assert step.evaluate("a => a.getBoundingClientRect().width") > 0.8 * card_width  # a full-width button
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.locator("details.filter-details")).to_have_attribute("open", "")
    assert page.get_by_test_id(table).locator("tbody > tr").first.evaluate(
        "r => getComputedStyle(r).display") == "table-row"
    context.close()
