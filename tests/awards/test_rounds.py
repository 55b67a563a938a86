"""Quarterly review rounds: lifecycle, scoring rules, hidden scores, praise, the locked round,
the annual roll-up, and bad input."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from awards.models import (
    AnnualResult,
    Praise,
    ReviewRound,
    ReviewRoundEvent,
    RubricCriterion,
    Score,
    ScoreSubmission,
)
from awards.pledges import selectors, services
from awards.pledges.workflow import TransitionError
from tests.awards.conftest import fill
from tests.awards.factories import PledgeFactory


def first_cell(rnd, member):
    section = selectors.scoring_grid(rnd, member)[0]
    row = next(r for r in section.rows if not r.own)
    return row.pledge, section.criteria[0]


# --- Lifecycle ------------------------------------------------------------------------------------

def test_new_round_has_default_rubric_for_both_contents_and_the_creator_chairs(committee, staff_pledges, contents):
    rnd = services.round_create(user=committee[0], year=2025, quarter=2)
    assert rnd.status == ReviewRound.Status.DRAFT and rnd.chair == committee[0]
    by_content = {c: rnd.criteria.filter(content=contents[c]).count() for c in contents}
    assert by_content == {"chuyen-mon": 4, "hoc-tap-lam-theo": 3}
    assert sum(c.weight for c in rnd.criteria.filter(content=contents["chuyen-mon"])) == 100


def test_only_one_round_per_unit_and_quarter(committee, staff_pledges):
    services.round_create(user=committee[0], year=2025, quarter=2)
    with pytest.raises(ValidationError, match="đã có đợt đánh giá quý 2/2025"):
        services.round_create(user=committee[1], year=2025, quarter=2)


def test_staff_cannot_open_a_round(people, staff_pledges, phase):
    with pytest.raises(PermissionDenied):
        services.round_create(user=people["staff"], year=2025, quarter=1)


def test_rubric_is_editable_in_draft_and_frozen_once_open(committee, staff_pledges, contents):
    rnd = services.round_create(user=committee[0], year=2025, quarter=2)
    rows = [{"id": c.pk, "content": c.content, "name": c.name, "description": c.description,
             "weight": c.weight, "max_score": c.max_score} for c in rnd.criteria.all()]
    rows[0]["weight"] = Decimal("55")
    rows.pop()  # the last criterion is removed
    services.rubric_save(user=committee[1], rnd=rnd, rows=rows)
    assert rnd.criteria.count() == 6
    assert rnd.criteria.get(pk=rows[0]["id"]).weight == 55
    services.round_open(user=committee[0], rnd=rnd)
    with pytest.raises(ValidationError, match="cố định"):
        services.rubric_save(user=committee[0], rnd=rnd, rows=rows[:1])
    assert rnd.criteria.count() == 6


def test_round_goes_draft_open_closed_and_no_further(open_round, committee):
    with pytest.raises(TransitionError):
        services.round_open(user=committee[0], rnd=open_round)
    with pytest.raises(PermissionDenied):
        services.round_close(user=committee[1], rnd=open_round)  # not the chair
    services.round_close(user=committee[0], rnd=open_round)
    open_round.refresh_from_db()
    assert open_round.status == ReviewRound.Status.CLOSED and open_round.closed_at
    with pytest.raises(TransitionError):
        services.round_close(user=committee[0], rnd=open_round)
    assert list(ReviewRoundEvent.objects.filter(round=open_round).values_list("action", flat=True)) == [
        "create", "open", "close"]


def test_self_assessment_by_the_holder_only_while_open(open_round, staff_pledges, committee):
    pledge = staff_pledges[0]
    services.self_assessment_save(user=pledge.person, rnd=open_round, pledge=pledge,
                                  achievements="Hoàn thành 02 văn bản", evidence="Công văn số 12-CV/BDVTU")
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(user=committee[1], rnd=open_round, pledge=pledge,
                                      achievements="x", evidence="y")
    services.round_close(user=committee[0], rnd=open_round)
    with pytest.raises(ValidationError, match="đang mở"):
        services.self_assessment_save(user=pledge.person, rnd=open_round, pledge=pledge,
                                      achievements="Sửa", evidence="Sửa")


# --- Scoring --------------------------------------------------------------------------------------

def test_scores_are_upserted_never_counted_twice(open_round, committee):
    pledge, criterion = first_cell(open_round, committee[1])
    for raw in ("7", "8.5", "8,5"):
        services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw=raw)
    score = Score.objects.get(round=open_round, member=committee[1], pledge=pledge, criterion=criterion)
    assert score.value == Decimal("8.5")
    services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="")
    assert not Score.objects.filter(member=committee[1]).exists()


def test_all_zero_scores_are_valid_and_complete(open_round, committee):
    fill(open_round, committee[1], value="0")
    services.scores_submit(user=committee[1], rnd=open_round)
    _members, rows = selectors.round_results(open_round)
    assert all(row.result.totals[committee[1].pk] == 0 for row in rows)


@pytest.mark.parametrize("raw, message", [
    ("abc", "phải là một số"), ("nan", "phải là một số"), ("inf", "phải là một số"), ("1e400", "từ 0 đến 10"),
    ("-1", "từ 0 đến 10"), ("10.5", "từ 0 đến 10"), ("11", "từ 0 đến 10"), ("7.3", "bước 0,5"),
])
def test_bad_scores_are_refused_with_a_clear_message(open_round, committee, raw, message):
    pledge, criterion = first_cell(open_round, committee[1])
    with pytest.raises(ValidationError, match=message):
        services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw=raw)
    assert not Score.objects.exists()


def test_a_criterion_of_the_other_content_is_refused(open_round, committee, staff_pledges, contents):
    other = RubricCriterion.objects.filter(round=open_round, content=contents["hoc-tap-lam-theo"]).first()
    with pytest.raises(ValidationError, match="không thuộc bộ tiêu chí"):
        services.score_save(user=committee[1], rnd=open_round, pledge_id=staff_pledges[0].pk,
                            criterion_id=other.pk, raw="5")


def test_member_cannot_score_their_own_pledge(open_round, committee, contents, phase):
    own = PledgeFactory(person=committee[2], content=contents["chuyen-mon"], phase=phase, year=2025)
    criterion = RubricCriterion.objects.filter(round=open_round, content=own.content).first()
    with pytest.raises(ValidationError, match="chính mình"):
        services.score_save(user=committee[2], rnd=open_round, pledge_id=own.pk, criterion_id=criterion.pk, raw="10")
    grid = selectors.scoring_grid(open_round, committee[2])
    assert [r.own for s in grid for r in s.rows if r.pledge == own] == [True]
    fill(open_round, committee[2])  # every other cell: the own row is not "left"
    services.scores_submit(user=committee[2], rnd=open_round)
    services.score_save(user=committee[1], rnd=open_round, pledge_id=own.pk, criterion_id=criterion.pk, raw="10")


def test_scoring_outside_ones_unit_is_404_and_without_role_403(open_round, people, make_user, tree):
    pledge, criterion = first_cell(open_round, open_round.chair)
    foreign = make_user(tree["other_district"], "congdoan")
    with pytest.raises(Http404):
        services.score_save(user=foreign, rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="5")
    with pytest.raises(PermissionDenied):
        services.score_save(user=people["leader"], rnd=open_round, pledge_id=pledge.pk,
                            criterion_id=criterion.pk, raw="5")
    province_union = make_user(tree["province"], "congdoan")  # has the district in scope, not its committee
    with pytest.raises(PermissionDenied):
        services.score_save(user=province_union, rnd=open_round, pledge_id=pledge.pk,
                            criterion_id=criterion.pk, raw="5")


def test_submission_needs_every_cell_and_happens_once(open_round, committee):
    pledge, criterion = first_cell(open_round, committee[1])
    services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="9")
    with pytest.raises(ValidationError, match="Còn 10 ô chưa chấm"):
        services.scores_submit(user=committee[1], rnd=open_round)
    fill(open_round, committee[1])
    services.scores_submit(user=committee[1], rnd=open_round)
    with pytest.raises(ValidationError, match="đã nộp"):
        services.scores_submit(user=committee[1], rnd=open_round)
    with pytest.raises(ValidationError, match="đã nộp"):
        services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="1")
    assert ScoreSubmission.objects.filter(member=committee[1]).count() == 1


def test_closed_round_is_read_only(open_round, committee, staff_pledges):
    fill(open_round, committee[0])
    services.scores_submit(user=committee[0], rnd=open_round)
    services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[0], reason="Hoàn thành sớm")
    services.round_close(user=committee[0], rnd=open_round)
    pledge, criterion = first_cell(open_round, committee[1])
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.score_save(user=committee[1], rnd=open_round, pledge_id=pledge.pk, criterion_id=criterion.pk, raw="5")
    with pytest.raises(ValidationError):
        services.scores_submit(user=committee[1], rnd=open_round)
    with pytest.raises(ValidationError, match="chỉ xem"):
        services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[1], reason="Tốt")
    with pytest.raises(ValidationError):
        services.praise_remove(user=committee[0], rnd=open_round, pledge=staff_pledges[0])
    assert Praise.objects.filter(round=open_round).count() == 1


# --- Praise ---------------------------------------------------------------------------------------

def test_chair_selects_whom_to_praise_with_a_reason(open_round, committee, staff_pledges):
    with pytest.raises(PermissionDenied):
        services.praise_select(user=committee[1], rnd=open_round, pledge=staff_pledges[0], reason="Tốt")
    with pytest.raises(ValidationError, match="lý do"):
        services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[0], reason=" ")
    services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[0], reason="Chủ động tham mưu")
    services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[2], reason="Gương mẫu")
    with pytest.raises(ValidationError, match="đã được chọn"):
        services.praise_select(user=committee[0], rnd=open_round, pledge=staff_pledges[0], reason="Lần nữa")
    assert set(open_round.praises.values_list("pledge_id", flat=True)) == {staff_pledges[0].pk, staff_pledges[2].pk}
    services.praise_remove(user=committee[0], rnd=open_round, pledge=staff_pledges[2])
    assert open_round.praises.count() == 1


# --- Annual roll-up -------------------------------------------------------------------------------

def _quarter(committee, quarter, values_by_pledge):
    """A closed round where members 1 and 2 give every criterion of pledge p the value given."""
    rnd = services.round_create(user=committee[0], year=2025, quarter=quarter)
    services.round_open(user=committee[0], rnd=rnd)
    for member in committee[1:3]:
        for section in selectors.scoring_grid(rnd, member):
            for row in section.rows:
                for c in section.criteria:
                    services.score_save(user=member, rnd=rnd, pledge_id=row.pledge.pk, criterion_id=c.pk,
                                        raw=values_by_pledge[row.pledge.pk])
        services.scores_submit(user=member, rnd=rnd)
    return rnd


def test_four_quarters_roll_up_into_an_annual_result_and_proposals(committee, staff_pledges):
    a, b, c = staff_pledges
    # Max 10 everywhere, so a pledge scored v on every criterion totals 10·v.
    q1 = _quarter(committee, 1, {a.pk: "9", b.pk: "6", c.pk: "3"})  # totals 90, 60, 30
    services.praise_select(user=committee[0], rnd=q1, pledge=a, reason="Dẫn đầu quý I")
    services.round_close(user=committee[0], rnd=q1)
    q2 = _quarter(committee, 2, {a.pk: "7", b.pk: "8", c.pk: "3"})  # totals 70, 80, 30
    services.round_close(user=committee[0], rnd=q2)
    _quarter(committee, 3, {a.pk: "0", b.pk: "0", c.pk: "0"})  # still open: not counted
    results = {r.pledge_id: r for r in services.annual_results_compute(user=committee[0], unit=a.unit, year=2025)}
    assert results[a.pk].mean_total == Decimal("80.00")  # (90 + 70) / 2
    assert results[b.pk].mean_total == Decimal("70.00")  # (60 + 80) / 2
    assert results[c.pk].mean_total == Decimal("30.00")
    assert results[a.pk].quarters_reviewed == 2 and results[a.pk].praise_count == 1
    # Q1 z (totals 90, 60, 30; σ = √600): a 1.2247, b 0, c -1.2247.
    # Q2 z (70, 80, 30; μ 60, σ = √(1400/3) = 21.602): a 0.4629, b 0.9258, c -1.3887.
    assert float(results[a.pk].mean_z) == pytest.approx((1.22474 + 0.46291) / 2, abs=1e-4)
    assert float(results[b.pk].mean_z) == pytest.approx((0 + 0.92582) / 2, abs=1e-4)
    assert [results[p.pk].rank for p in (a, b, c)] == [1, 2, 3]
    # Idempotent: computing again updates, never duplicates.
    services.annual_results_compute(user=committee[0], unit=a.unit, year=2025)
    assert AnnualResult.objects.count() == 3
    proposal = services.proposal_create(user=committee[1], result=results[a.pk], reason="Dẫn đầu cả năm")
    with pytest.raises(ValidationError, match="Đã đề xuất"):
        services.proposal_create(user=committee[1], result=results[a.pk], reason="Lần nữa")
    cell = committee[0].__class__.objects.get(username="chiuy_d")
    assert list(selectors.proposals_for_cell(cell, year=2025)) == [proposal]


# --- Two members (or two tabs) saving at the same moment ------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_are_all_kept_and_never_doubled(committee, staff_pledges, phase):
    rnd = services.round_create(user=committee[0], year=2025, quarter=1)
    services.round_open(user=committee[0], rnd=rnd)
    pledge, criterion = first_cell(rnd, committee[1])

    def save(args):
        member, raw = args
        try:
            services.score_save(user=member, rnd=rnd, pledge_id=pledge.pk, criterion_id=criterion.pk, raw=raw)
        finally:
            connection.close()

    jobs = [(committee[1], "5"), (committee[1], "6"), (committee[2], "7"), (committee[3], "8")] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(save, jobs))
    cells = Score.objects.filter(round=rnd, pledge=pledge, criterion=criterion)
    assert cells.count() == 3  # one per member
    assert {s.member_id: s.value for s in cells}[committee[2].pk] == Decimal("7")
    assert {s.member_id: s.value for s in cells}[committee[1].pk] in (Decimal("5"), Decimal("6"))
