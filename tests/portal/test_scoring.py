"""Aggregation and normalisation, checked against numbers worked out by hand."""

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards.models import RubricCriterion as PledgeCriterion
from councils.models import RubricCriterion as CouncilCriterion
from portal.scoring import (
    Criterion,
    aggregate,
    cell_value,
    competition_rank,
    mean_std,
    weighted_total,
)

# Content 1 has two criteria: c1 (weight 1, max 10) and c2 (weight 3, max 5).
CRITERIA = [Criterion(id=1, group_id=100, weight=1, max_score=10),
            Criterion(id=2, group_id=100, weight=3, max_score=5)]
P1, P2, P3 = 11, 12, 13
STRICT, LENIENT = 1, 2


def scores():
    # total = 100 × (s1/10 × 1 + s2/5 × 3) / 4
    strict = {P1: (10, 5), P2: (5, 0), P3: (0, 5)}  # totals 100, 12.5, 75
    lenient = {P1: (10, 5), P2: (10, 5), P3: (10, 5)}  # totals 100, 100, 100
    rows = []
    for member, table in ((STRICT, strict), (LENIENT, lenient)):
        for pledge, (s1, s2) in table.items():
            rows += [(member, pledge, 1, s1), (member, pledge, 2, s2)]
    return rows


def results():
    return aggregate(criteria=CRITERIA, subject_groups={P1: 100, P2: 100, P3: 100}, scores=scores())


def test_weighted_total_is_normalised_to_100():
    assert weighted_total({1: 10, 2: 5}, CRITERIA) == 100
    assert weighted_total({1: 5, 2: 0}, CRITERIA) == 12.5
    assert weighted_total({1: 0, 2: 5}, CRITERIA) == 75
    assert weighted_total({1: 0, 2: 0}, CRITERIA) == 0  # all zero is a valid, complete row


def test_a_partly_scored_row_has_no_total():
    assert weighted_total({1: 10}, CRITERIA) is None


def test_mean_and_population_standard_deviation():
    mu, sigma = mean_std([12.5, 100])
    assert mu == 56.25
    assert sigma == 43.75  # population: sqrt(((43.75)² + (43.75)²) / 2)


def test_totals_mean_and_spread_per_pledge():
    r = results()
    assert r[P1].totals == {STRICT: 100, LENIENT: 100}
    assert (r[P1].mean, r[P1].std) == (100, 0)
    assert (r[P2].mean, r[P2].std) == (56.25, 43.75)
    assert (r[P3].mean, r[P3].std) == (87.5, 12.5)


def test_z_scores_standardise_each_member_over_the_pledges_they_scored():
    r = results()
    # The strict member's totals 100, 12.5, 75: mean 62.5, population variance 4062.5 / 3.
    sigma = math.sqrt(4062.5 / 3)
    assert sigma == pytest.approx(36.79900)
    assert r[P1].z[STRICT] == pytest.approx(37.5 / 36.79900, abs=1e-5)  # 1.01905
    assert r[P2].z[STRICT] == pytest.approx(-50 / 36.79900, abs=1e-5)  # -1.35873
    assert r[P3].z[STRICT] == pytest.approx(12.5 / 36.79900, abs=1e-5)  # 0.33968
    # The lenient member gave everyone 100: standard deviation 0, so every z is 0.
    assert r[P1].z[LENIENT] == r[P2].z[LENIENT] == r[P3].z[LENIENT] == 0


def test_normalised_score_is_the_mean_z_and_ranks_the_pledges():
    r = results()
    assert r[P1].mean_z == pytest.approx(0.50952, abs=1e-5)
    assert r[P2].mean_z == pytest.approx(-0.67937, abs=1e-5)
    assert r[P3].mean_z == pytest.approx(0.16984, abs=1e-5)
    assert [r[P1].rank, r[P3].rank, r[P2].rank] == [1, 2, 3]


def test_a_strict_and_a_lenient_scorer_weigh_the_same():
    # Same order of preference, one scorer 20 points harsher: the z-scores are identical.
    criteria = [Criterion(id=1, group_id=1, weight=1, max_score=100)]
    rows = [(1, 1, 1, 90), (1, 2, 1, 70), (2, 1, 1, 70), (2, 2, 1, 50)]
    r = aggregate(criteria=criteria, subject_groups={1: 1, 2: 1}, scores=rows)
    assert r[1].z[1] == r[1].z[2] == 1.0
    assert r[2].z[1] == r[2].z[2] == -1.0


def test_wide_disagreement_is_flagged():
    r = results()
    assert r[P2].disagreement is True  # spread 43.75 > 15
    assert r[P3].disagreement is False  # spread 12.5
    assert r[P1].disagreement is False


def test_competition_ranking_shares_ranks_and_skips():
    assert competition_rank({"a": 3.0, "b": 2.0, "c": 2.0, "d": 1.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert competition_rank({"a": 1.0, "b": 1.0, "c": 1.0}) == {"a": 1, "b": 1, "c": 1}


def test_pledges_scored_identically_tie_in_the_ranking():
    criteria = [Criterion(id=1, group_id=1, weight=1, max_score=10)]
    rows = [(m, p, 1, v) for m in (1, 2) for p, v in ((1, 9), (2, 7), (3, 7), (4, 2))]
    r = aggregate(criteria=criteria, subject_groups={1: 1, 2: 1, 3: 1, 4: 1}, scores=rows)
    assert [r[p].rank for p in (1, 2, 3, 4)] == [1, 2, 2, 4]


def test_a_pledge_nobody_scored_is_not_ranked_and_incomplete_rows_do_not_count():
    rows = [(STRICT, P1, 1, 10), (STRICT, P1, 2, 5), (LENIENT, P1, 1, 3)]  # lenient's row incomplete
    r = aggregate(criteria=CRITERIA, subject_groups={P1: 100, P2: 100}, scores=rows)
    assert r[P1].totals == {STRICT: 100}
    assert r[P1].rank == 1
    assert r[P2].rank is None and r[P2].mean is None


@pytest.mark.parametrize("typed, stored", [("9,5", "9.5"), ("9.5", "9.5"), (" 10 ", "10"), ("0", "0"), ("-0", "0")])
def test_a_grid_cell_takes_a_comma_or_a_point_up_to_the_maximum(typed, stored):
    assert cell_value(typed, max_score=Decimal("10.00")) == Decimal(stored)


@pytest.mark.parametrize("typed, message", [
    ("10,5", "Điểm phải từ 0 đến 10."),  # the maximum as people write it, never 1E+1
    ("-1", "Điểm phải từ 0 đến 10."),
    ("7,3", "Điểm chấm theo bước 0,5"),
    ("bảy", "Điểm phải là một số."),
    ("NaN", "Điểm phải là một số."),
])
def test_a_grid_cell_out_of_range_off_step_or_not_a_number_is_refused(typed, message):
    with pytest.raises(ValidationError) as refused:
        cell_value(typed, max_score=Decimal("10.00"))
    assert message in refused.value.messages[0]


@pytest.mark.parametrize("model", [PledgeCriterion, CouncilCriterion])
def test_both_rubrics_accept_the_smallest_weight_and_maximum_and_refuse_below(model):
    weight, max_score = model._meta.get_field("weight"), model._meta.get_field("max_score")
    weight.clean(Decimal("0.01"), None)
    max_score.clean(Decimal("0.50"), None)
    with pytest.raises(ValidationError):
        weight.clean(Decimal("0.00"), None)
    with pytest.raises(ValidationError):
        max_score.clean(Decimal("0.49"), None)


def test_a_criterion_row_reads_as_the_engine_criterion():
    row = CouncilCriterion(pk=7, name="Hiệu quả", weight=Decimal("2.50"), max_score=Decimal("10.00"))
    assert row.for_scoring(3) == Criterion(id=7, group_id=3, weight=2.5, max_score=10.0)

