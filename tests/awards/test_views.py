"""The pages: the grid's query count, hidden scores, the save endpoint, results and the Excel sheet."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Score
from awards.pledges import selectors, services
from tests.awards.conftest import fill
from tests.awards.factories import PledgeFactory


def add_scored_pledges(rnd, members, contents, phase, tree, make_user, n, start):
    """`n` more accepted pledges, each scored on every criterion by every member but the first."""
    criteria = list(rnd.criteria.filter(content=contents["chuyen-mon"]))
    scores = []
    for i in range(start, start + n):
        person = make_user(tree["district"], "canbo", username=f"nguoi{i}", full_name=f"Người số {i}")
        pledge = PledgeFactory(person=person, content=contents["chuyen-mon"], phase=phase, year=2025)
        for member in members[1:]:
            scores += [Score(round=rnd, member=member, pledge=pledge, criterion=c, value=(i + c.pk) % 11)
                       for c in criteria]
    Score.objects.bulk_create(scores)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_grid_and_results_query_counts_do_not_grow_with_pledges(client, committee, contents, phase, tree, make_user):
    rnd = services.round_create(user=committee[0], year=2025, quarter=1)
    services.round_open(user=committee[0], rnd=rnd)
    add_scored_pledges(rnd, committee, contents, phase, tree, make_user, 10, 0)
    client.force_login(committee[1])
    grid_url = reverse("awards:score_grid", args=[rnd.pk])
    results_url = reverse("awards:round_results", args=[rnd.pk])
    services.scores_submit(user=committee[1], rnd=rnd)
    client.get(grid_url)  # the first signed-in page writes the session's expiry (once a minute): not per pledge
    small_grid, response = count_queries(client, grid_url)
    assert response.content.decode().count('class="score-row"') == 10
    small_results, _ = count_queries(client, results_url)
    add_scored_pledges(rnd, committee, contents, phase, tree, make_user, 90, 10)
    big_grid, response = count_queries(client, grid_url)
    assert response.content.decode().count('class="score-row"') == 100
    big_results, response = count_queries(client, results_url)
    assert response.content.decode().count("<tr data-pledge=") == 100
    assert big_grid == small_grid
    assert big_results == small_results
    assert big_grid <= 20


def test_others_scores_are_hidden_until_one_submits(client, open_round, committee):
    fill(open_round, committee[1], value="9.5")
    services.scores_submit(user=committee[1], rnd=open_round)
    fill(open_round, committee[2], value="3")
    client.force_login(committee[2])
    url = reverse("awards:round_results", args=[open_round.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="results-hidden"' in page and "95,0" not in page and "95.0" not in page
    assert client.get(reverse("awards:results_xlsx", args=[open_round.pk])).status_code == 403
    grid = client.get(reverse("awards:score_grid", args=[open_round.pk])).content.decode()
    assert 'value="9.5"' not in grid and 'value="3"' in grid  # the grid shows one's own scores only
    assert 'data-max="10.00"' in grid  # machine-readable numbers, not "10,00"
    client.post(reverse("awards:score_submit", args=[open_round.pk]))
    page = client.get(url).content.decode()
    assert 'data-testid="results-hidden"' not in page and "95,0" in page


def test_staff_of_the_unit_cannot_see_results_of_an_open_round(client, open_round, people):
    client.force_login(people["staff"])
    page = client.get(reverse("awards:round_results", args=[open_round.pk])).content.decode()
    assert 'data-testid="results-hidden"' in page
    assert client.get(reverse("awards:score_grid", args=[open_round.pk])).status_code == 403
    client.force_login(people["foreign_staff"])
    assert client.get(reverse("awards:round_results", args=[open_round.pk])).status_code == 404


def test_save_endpoint_stores_a_cell_and_answers_errors_in_vietnamese(client, open_round, committee, staff_pledges):
    client.force_login(committee[1])
    url = reverse("awards:score_save", args=[open_round.pk])
    criterion = open_round.criteria.filter(content=staff_pledges[0].content).first()
    ok = client.post(url, {"pledge": staff_pledges[0].pk, "criterion": criterion.pk, "value": "7,5"})
    assert ok.json() == {"ok": True, "value": "7,5"}  # as people write it, in the page's locale
    bad = client.post(url, {"pledge": staff_pledges[0].pk, "criterion": criterion.pk, "value": "mười"})
    assert bad.status_code == 400 and bad.json()["error"] == "Điểm phải là một số."
    assert client.post(url, {"pledge": "x", "criterion": criterion.pk, "value": "1"}).status_code == 400
    comment = client.post(url, {"pledge": staff_pledges[0].pk, "comment": "Chủ động, đúng hạn"})
    assert comment.json() == {"ok": True}
    assert Score.objects.get(member=committee[1]).value == 7.5


def test_result_sheet_downloads_as_excel_with_the_ranked_rows(client, open_round, committee, staff_pledges):
    fill(open_round, committee[0], value="6")
    services.scores_submit(user=committee[0], rnd=open_round)
    fill(open_round, committee[1], value="8")
    services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[1], reason="=Tận tụy")
    client.force_login(committee[0])
    response = client.get(reverse("awards:results_xlsx", args=[open_round.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(selectors.RESULT_SHEET_HEADERS)
    assert len(rows) == 4
    praised = next(r for r in rows[1:] if r[1] == staff_pledges[1].holder_name)
    assert praised[8] == "Có" and praised[9] == "=Tận tụy"  # stored as text, not a formula
    assert praised[4] == 60  # member 1 has not submitted: their 8s do not count yet


def test_praise_and_close_through_the_pages(client, open_round, committee, staff_pledges):
    fill(open_round, committee[0])
    services.scores_submit(user=committee[0], rnd=open_round)
    client.force_login(committee[0])
    url = reverse("awards:praise", args=[open_round.pk])
    client.post(url, {"pledge": staff_pledges[0].pk, "reason": "Hoàn thành xuất sắc"})
    client.post(url, {"pledge": staff_pledges[1].pk, "reason": ""})
    assert list(open_round.praises.values_list("pledge_id", flat=True)) == [staff_pledges[0].pk]
    confirm = client.get(reverse("awards:round_close", args=[open_round.pk]))
    assert "Kết thúc đợt đánh giá" in confirm.content.decode()
    client.post(reverse("awards:round_close", args=[open_round.pk]))
    open_round.refresh_from_db()
    assert open_round.is_closed
    page = client.get(reverse("awards:round_results", args=[open_round.pk])).content.decode()
    assert "chỉ xem" in page and 'name="reason"' not in page


@pytest.mark.parametrize("name", ["awards:index", "awards:pledge_list", "awards:round_list", "awards:annual",
                                  "awards:pledge_create"])
def test_pages_render_for_a_union_member(client, committee, open_round, name):
    client.force_login(committee[0])
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()  # CSP: no inline script


def test_round_pages_render(client, committee, open_round, staff_pledges):
    client.force_login(committee[0])
    assert client.get(reverse("awards:round_detail", args=[open_round.pk])).status_code == 200
    client.force_login(staff_pledges[0].person)
    url = reverse("awards:self_assessment", args=[open_round.pk, staff_pledges[0].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"achievements": "Đã ban hành 02 hướng dẫn", "evidence": "Hướng dẫn số 05-HD/BDVTU"})
    assert response.status_code == 302
    assert staff_pledges[0].self_assessments.get().evidence == "Hướng dẫn số 05-HD/BDVTU"


def test_home_asks_staff_to_register_their_pledge_until_they_have(client, people, contents):
    import datetime as dt

    import time_machine

    from portal.extensions import pending_actions

    with time_machine.travel(dt.datetime(2025, 3, 20, 9), tick=False):
        actions = [a for a in pending_actions(people["staff"]) if a.verb == "Đăng ký thi đua"]
        assert [a.url for a in actions] == [reverse("awards:pledge_create")]
        PledgeFactory(person=people["staff"], year=2025)
        assert not [a for a in pending_actions(people["staff"]) if a.verb == "Đăng ký thi đua"]
