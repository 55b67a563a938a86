"""The scoring grid as members use it: numbers shown as people write them, the decimal comma,
conflicts of interest with any pledge, the rubric editor's blank row, and the results' method."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import ReviewComment, ReviewConflict, Score
from awards.pledges import selectors, services
from tests.awards.conftest import fill


def _input_values(html: str, pledge_id: int) -> list[str]:
    import re

    return re.findall(rf'data-pledge="{pledge_id}" data-criterion="\d+"[^>]*?value="([^"]*)"', html, flags=re.S)


def test_a_full_score_of_ten_comes_back_as_10_not_1e1_after_reload(client, open_round, committee, staff_pledges):
    member, pledge = committee[1], staff_pledges[0]
    criteria = list(open_round.criteria.filter(content=pledge.content))
    services.score_save(user=member, rnd=open_round, pledge_id=pledge.pk, criterion_id=criteria[0].pk, raw="10")
    services.score_save(user=member, rnd=open_round, pledge_id=pledge.pk, criterion_id=criteria[1].pk, raw="9,5")
    services.score_save(user=member, rnd=open_round, pledge_id=pledge.pk, criterion_id=criteria[2].pk, raw="0")
    client.force_login(member)
    html = client.get(reverse("awards:score_grid", args=[open_round.pk])).content.decode()
    assert "1E+1" not in html and "E+" not in html
    assert _input_values(html, pledge.pk)[:4] == ["10", "9,5", "0", ""]
    # The header's maxima and weights too (10.00 → "10", 40.00 → "40").
    assert "tối đa 10 · trọng số 40" in html


@pytest.mark.parametrize("raw", ["9,5", "9.5", " 9,5 ", "9,50"])
def test_the_decimal_comma_and_the_point_both_mean_nine_and_a_half(open_round, committee, staff_pledges, raw):
    pledge = staff_pledges[0]
    criterion = open_round.criteria.filter(content=pledge.content).first()
    services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw=raw)
    assert Score.objects.get(member=committee[1], pledge=pledge, criterion=criterion).value == Decimal("9.5")


def test_the_save_endpoint_answers_with_the_value_as_people_write_it(client, open_round, committee, staff_pledges):
    pledge = staff_pledges[0]
    criterion = open_round.criteria.filter(content=pledge.content).first()
    client.force_login(committee[1])
    url = reverse("awards:score_save", args=[open_round.pk])
    assert client.post(url, {"pledge": pledge.pk, "criterion": criterion.pk, "value": "10"}).json()["value"] == "10"
    assert client.post(url, {"pledge": pledge.pk, "criterion": criterion.pk, "value": "9.5"}).json()["value"] == "9,5"
    response = client.post(url, {"pledge": pledge.pk, "criterion": criterion.pk, "value": "a"})
    assert response.status_code == 400
    # A refused value leaves the saved score as it was.
    assert Score.objects.get(member=committee[1], pledge=pledge, criterion=criterion).value == Decimal("9.5")


def test_a_member_declares_a_conflict_with_someone_elses_pledge(client, open_round, committee, staff_pledges):
    member, pledge = committee[1], staff_pledges[1]
    fill(open_round, member, value="7")
    ReviewComment.objects.create(round=open_round, member=member, pledge=pledge, text="tốt")
    before = selectors.grid_remaining(selectors.scoring_grid(open_round, member))
    assert before == 0
    client.force_login(member)
    response = client.post(reverse("awards:conflict_declare", args=[open_round.pk]),
                           {"pledge": pledge.pk, "reason": "Người thân (em ruột)"})
    assert response.status_code == 302
    conflict = ReviewConflict.objects.get(round=open_round, member=member)
    assert conflict.pledge == pledge
    # Their scores and comment on it are gone; the row is out of their grid and of what is left.
    assert not Score.objects.filter(round=open_round, member=member, pledge=pledge).exists()
    assert not ReviewComment.objects.filter(round=open_round, member=member, pledge=pledge).exists()
    row = next(r for s in selectors.scoring_grid(open_round, member) for r in s.rows if r.pledge == pledge)
    assert row.excluded and not row.own
    assert selectors.grid_remaining(selectors.scoring_grid(open_round, member)) == 0
    with pytest.raises(ValidationError, match="xung đột"):
        services.score_save(user=member, rnd=open_round, pledge_id=pledge.pk,
                            criterion_id=open_round.criteria.filter(content=pledge.content).first().pk, raw="5")
    html = client.get(reverse("awards:score_grid", args=[open_round.pk])).content.decode()
    assert "Đã khai báo xung đột lợi ích" in html
    # They can still submit: a conflicted row is not a missing one; the results leave them out of it.
    services.scores_submit(user=member, rnd=open_round)
    _members, rows = selectors.round_results(open_round)
    result = next(r.result for r in rows if r.pledge == pledge)
    assert member.pk not in result.totals


def test_a_conflict_needs_a_reason(open_round, committee, staff_pledges):
    with pytest.raises(ValidationError, match="lý do"):
        services.conflict_declare(user=committee[1], rnd=open_round, pledge_id=staff_pledges[0].pk, reason="  ")


def _rubric_post(rnd, *, extra_blank=True):
    criteria = list(rnd.criteria.all())
    data = {"r-TOTAL_FORMS": len(criteria) + (1 if extra_blank else 0), "r-INITIAL_FORMS": len(criteria),
            "r-MIN_NUM_FORMS": 0, "r-MAX_NUM_FORMS": 30}
    for i, c in enumerate(criteria):
        data.update({f"r-{i}-id": c.pk, f"r-{i}-content": c.content_id, f"r-{i}-name": c.name,
                     f"r-{i}-description": c.description, f"r-{i}-weight": str(c.weight),
                     f"r-{i}-max_score": str(c.max_score)})
    if extra_blank:
        i = len(criteria)
        # What the browser sends for the untouched blank row: its content select has a value.
        data.update({f"r-{i}-id": "", f"r-{i}-content": criteria[0].content_id, f"r-{i}-name": "",
                     f"r-{i}-description": "", f"r-{i}-weight": "", f"r-{i}-max_score": ""})
    return data, criteria


def test_the_rubric_saves_without_ticking_the_blank_extra_row(client, committee, staff_pledges):
    rnd = services.round_create(user=committee[0], year=2025, quarter=2)
    data, criteria = _rubric_post(rnd)
    data["r-0-weight"] = "35"
    client.force_login(committee[0])
    response = client.post(reverse("awards:rubric_edit", args=[rnd.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rnd.criteria.count() == len(criteria)
    assert rnd.criteria.get(pk=criteria[0].pk).weight == 35


def test_a_half_filled_extra_row_is_still_refused(client, committee, staff_pledges):
    rnd = services.round_create(user=committee[0], year=2025, quarter=2)
    data, criteria = _rubric_post(rnd)
    data[f"r-{len(criteria)}-name"] = "Tiêu chí mới"
    client.force_login(committee[0])
    response = client.post(reverse("awards:rubric_edit", args=[rnd.pk]), data)
    assert response.status_code == 200
    assert rnd.criteria.count() == len(criteria)


def test_results_show_the_normalisation_and_the_disagreement_threshold(client, open_round, committee):
    fill(open_round, committee[1])
    services.scores_submit(user=committee[1], rnd=open_round)
    client.force_login(committee[1])
    html = client.get(reverse("awards:round_results", args=[open_round.pk])).content.decode()
    assert "độ lệch chuẩn tổng thể" in html and "chia cho n, không phải n − 1" in html
    assert "lớn hơn 15 điểm" in html
