"""Journey: the secretary opens a session and takes attendance, members vote on two items by
keyboard (one passes, one does not), the minutes are issued and the passing item appears in the
draft decision."""

import pytest
from playwright.sync_api import expect

from councils.models import AgendaItem, Session
from tests.councils.conftest import (  # noqa: F401
    council,
    effective_model,
    items,
    proposal,
    seats,
    secretary,
    session,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_runs_a_session_members_vote_by_keyboard_minutes_and_draft_decision(
    page, live_server, login_page, session, secretary, seats, items, proposal, settings, tmp_path  # noqa: F811
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    page.on("dialog", lambda dialog: dialog.accept())
    url = f"{live_server.url}/councils/sessions/{session.pk}/"

    login_page(secretary.username)
    page.goto(url)
    page.click("#open-session")
    expect(page.locator("#session-status")).to_have_text("Đang họp")
    for seat in seats[:4]:  # the fifth member is absent
        page.check(f"#present-{seat.pk}")
    page.click("#save-attendance")
    expect(page.locator("#present-count")).to_contain_text("4/5")
    for item in items:
        page.locator(f'[data-item="{item.pk}"] .open-voting').click()
        expect(page.locator(f'[data-item="{item.pk}"] .item-status')).to_have_text("Đang bỏ phiếu")

    # Four members vote by keyboard: item 1 agree ×3, disagree ×1; item 2 agree ×1, disagree ×3.
    choices = {items[0].pk: ["agree", "agree", "agree", "disagree"],
               items[1].pk: ["agree", "disagree", "disagree", "disagree"]}
    order = ["agree", "disagree", "abstain"]
    for i, seat in enumerate(seats[:4]):
        page.context.clear_cookies()
        login_page(seat.user.username)
        page.goto(url)
        for item in items:
            choice = choices[item.pk][i]
            first = page.locator(f"#choice-{item.pk}-agree")
            first.focus()
            page.keyboard.press("Space")  # select the first option of the radio group
            for _ in range(order.index(choice)):
                page.keyboard.press("ArrowRight")  # arrows move within the radio group
            assert page.evaluate("document.activeElement.value") == choice
            page.keyboard.press("Enter")  # submits the ballot form
            page.wait_for_load_state()
            expect(page.locator(f'[data-item="{item.pk}"] .has-voted')).to_be_visible()
        # Secret until the item closes: no tally on the page.
        expect(page.locator(".tally")).to_have_count(0)

    page.context.clear_cookies()
    login_page(secretary.username)
    page.goto(url)
    for item in items:
        page.locator(f'[data-item="{item.pk}"] .close-voting').click()
        page.wait_for_load_state()
    expect(page.locator(f'[data-item="{items[0].pk}"] .conclusion')).to_contain_text("Đạt: 3/5")
    expect(page.locator(f'[data-item="{items[1].pk}"] .conclusion')).to_contain_text("Không đạt: 1/5")
    assert list(AgendaItem.objects.filter(session=session).order_by("order").values_list("outcome", flat=True)) == [
        "passed", "failed"]

    page.click("#issue-minutes")
    expect(page.locator("#minutes-number")).to_contain_text("-BB/")
    assert Session.objects.get(pk=session.pk).minutes.pdf_path

    page.click("#draft-decision")
    passed = page.locator(f"#passed-{proposal.pk}")
    expect(passed).to_contain_text(items[0].subject.name)
    expect(passed).not_to_contain_text(items[1].subject.name)
    expect(page.locator(".returned")).to_contain_text(items[1].subject.name)
