"""The scoring grid tried by keyboard as members do: a saved 10 reads "10" after reload, "9,5" is
nine and a half, arrows move between cells without touching scores, a letter never empties a
saved score; the rubric editor fits 1280 px and saves without ticking its blank row."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from awards.models import Score
from awards.pledges import services
from tests.awards.conftest import committee, contents, staff_pledges  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_keyboard_defects_are_fixed(page, live_server, login_page, committee, staff_pledges):  # noqa: F811
    chair, member = committee[0], committee[1]
    rnd = services.round_create(user=chair, year=2025, quarter=1)
    services.round_open(user=chair, rnd=rnd)
    first_pledge = staff_pledges[0]
    criteria = list(rnd.criteria.filter(content=first_pledge.content).order_by("order", "id"))
    services.score_save(user=member, rnd=rnd, pledge_id=first_pledge.pk, criterion_id=criteria[0].pk, raw="10")

    def saved(criterion, pledge=first_pledge):
        row = Score.objects.filter(round=rnd, member=member, pledge=pledge, criterion=criterion).first()
        return None if row is None else row.value

    login_page(member.username)
    page.goto(f"{live_server.url}/awards/rounds/{rnd.pk}/score/")
    cell = page.locator(f'.score-input[data-pledge="{first_pledge.pk}"][data-criterion="{criteria[0].pk}"]')
    expect(cell).to_have_value("10")  # was "1E+1"

    def active():
        return page.evaluate("[document.activeElement.dataset.pledge, document.activeElement.dataset.criterion]")

    cell.focus()
    page.keyboard.press("ArrowDown")  # a number field turned this into 9.5 / 10.5
    assert active() == [str(staff_pledges[1].pk), str(criteria[0].pk)]
    page.keyboard.press("ArrowUp")
    assert active() == [str(first_pledge.pk), str(criteria[0].pk)]
    expect(cell).to_have_value("10")
    page.keyboard.press("ArrowRight")
    assert active() == [str(first_pledge.pk), str(criteria[1].pk)]
    page.keyboard.press("ArrowLeft")
    assert active() == [str(first_pledge.pk), str(criteria[0].pk)]

    # A letter on a saved score: refused with a message, the score stays (it used to be emptied).
    page.keyboard.type("x")
    page.keyboard.press("Tab")
    expect(page.locator("#grid-error")).to_contain_text("chỉ nhập chữ số")
    expect(cell).to_have_value("10")
    assert saved(criteria[0]) == Decimal("10")

    # The focus is now on the second criterion: the Vietnamese decimal comma.
    page.keyboard.type("9,5")
    page.keyboard.press("Tab")
    import re

    expect(page.locator(f'.score-input[data-criterion="{criteria[1].pk}"][data-pledge="{first_pledge.pk}"]')
           ).to_have_class(re.compile(r"is-valid"))
    assert saved(criteria[1]) == Decimal("9.5")
    page.keyboard.type("9.5")
    page.keyboard.press("Tab")
    expect(page.locator(f'.score-input[data-criterion="{criteria[2].pk}"][data-pledge="{first_pledge.pk}"]')
           ).to_have_value("9,5")
    assert saved(criteria[2]) == Decimal("9.5")

    page.reload()
    expect(cell).to_have_value("10")
    expect(page.locator(f'.score-input[data-criterion="{criteria[1].pk}"][data-pledge="{first_pledge.pk}"]')
           ).to_have_value("9,5")
    # Arrows over saved cells after the reload change nothing either.
    cell.focus()
    for key in ("ArrowUp", "ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp"):
        page.keyboard.press(key)
    assert saved(criteria[0]) == Decimal("10")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rubric_editor_fits_1280_and_saves_without_ticking_the_blank_row(
    page, live_server, login_page, committee, staff_pledges  # noqa: F811
):
    chair = committee[0]
    rnd = services.round_create(user=chair, year=2025, quarter=2)
    page.set_viewport_size({"width": 1280, "height": 800})
    login_page(chair.username)
    page.goto(f"{live_server.url}/awards/rounds/{rnd.pk}/rubric/")
    for name in ("weight", "max_score"):
        box = page.locator(f'input[name="r-0-{name}"]').bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, (name, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.fill('input[name="r-0-weight"]', "35")
    page.get_by_role("button", name="Lưu bộ tiêu chí").click()
    page.wait_for_url(f"**/awards/rounds/{rnd.pk}/")
    assert rnd.criteria.order_by("content__order", "order", "id").first().weight == 35
