"""Journey: a committee member scores with the keyboard and submits; the chair praises two people
and downloads the result sheet."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from awards.models import Praise, Score, ScoreSubmission
from awards.pledges import services
from tests.awards.conftest import committee, contents, fill, staff_pledges  # noqa: F401


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_scores_with_keyboard_and_chair_praises_two_and_downloads(
    page, live_server, login_page, committee, staff_pledges  # noqa: F811
):
    chair, member = committee[0], committee[1]
    rnd = services.round_create(user=chair, year=2025, quarter=1)
    services.round_open(user=chair, rnd=rnd)
    for other, value in ((chair, "6"), (committee[2], "9")):
        fill(rnd, other, value=value)
        services.scores_submit(user=other, rnd=rnd)
    page.on("dialog", lambda dialog: dialog.accept())

    login_page("bch1")
    page.goto(f"{live_server.url}/awards/rounds/{rnd.pk}/score/")
    expect(page.locator("#remaining")).to_have_text("11")
    first = page.locator(".score-input").first
    first.focus()
    # Enter moves down the column, Shift+Enter back up.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.pledge") == str(staff_pledges[1].pk)
    page.keyboard.press("Shift+Enter")
    assert page.evaluate("document.activeElement.dataset.pledge") == str(staff_pledges[0].pk)
    # Row by row with Tab: four criteria and a comment, then three criteria of the other content.
    rows = [(["8", "7", "9", "6.5"], "Chủ động, đúng hạn"), (["5", "5", "5", "5"], ""),
            (["0", "0", "0"], "Cần cố gắng hơn")]
    for values, comment in rows:
        for value in values:
            page.keyboard.type(value)
            page.keyboard.press("Tab")
        if comment:
            page.keyboard.type(comment)
        page.keyboard.press("Tab")
    totals = page.locator(".row-total")
    # 100 × (8/10·40 + 7/10·20 + 9/10·20 + 6.5/10·20) / 100 = 77.0
    expect(totals.nth(0)).to_have_text("77,0")
    expect(totals.nth(1)).to_have_text("50,0")
    expect(totals.nth(2)).to_have_text("0,0")
    expect(page.locator("#remaining")).to_have_text("0")
    page.click("#submit-scores")
    page.wait_for_url(f"**/awards/rounds/{rnd.pk}/results/")
    assert ScoreSubmission.objects.filter(round=rnd, member=member).exists()
    assert Score.objects.filter(round=rnd, member=member).count() == 11
    assert rnd.comments.get(member=member, pledge=staff_pledges[0]).text == "Chủ động, đúng hạn"

    page.context.clear_cookies()
    login_page(chair.username)
    page.goto(f"{live_server.url}/awards/rounds/{rnd.pk}/results/")
    expect(page.locator("#results-table tbody tr")).to_have_count(3)
    for pledge, reason in ((staff_pledges[0], "Dẫn đầu quý, chủ động tham mưu"),
                           (staff_pledges[2], "Gương mẫu, tận tụy")):
        row = page.locator(f'tr[data-pledge="{pledge.pk}"]')
        row.locator("input[name=reason]").fill(reason)
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator(f'tr[data-pledge="{pledge.pk}"] .badge.text-bg-success')).to_be_visible()
    assert set(Praise.objects.filter(round=rnd).values_list("pledge_id", flat=True)) == {
        staff_pledges[0].pk, staff_pledges[2].pk}
    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename == "ket-qua-danh-gia-quy-1-2025.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4 and sum(1 for r in rows[1:] if r[8] == "Có") == 2
