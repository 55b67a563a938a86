"""Rubric-scored evaluation of models, checked against numbers worked out by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from councils import selectors, services
from councils.models import AgendaItem
from models_registry.models import State
from tests.councils.conftest import open_session
from tests.councils.factories import RubricCriterionFactory, RubricFactory
from tests.models_registry.factories import DvkModelFactory


@pytest.fixture
def evaluation(session, secretary, seats, tree, phase, effective_model):
    """Two criteria: c1 weight 1, max 10; c2 weight 3, max 5. Three models, three evaluators."""
    rubric = RubricFactory(phase=phase)
    c1 = RubricCriterionFactory(rubric=rubric, name="Sáng tạo", weight=1, max_score=10, order=1)
    c2 = RubricCriterionFactory(rubric=rubric, name="Hiệu quả", weight=3, max_score=5, order=2)
    others = [DvkModelFactory(unit=tree["commune"], phase=phase, state=State.EVALUATED, is_effective=True,
                              name=f"Mô hình {n}") for n in ("B", "C")]
    items = [services.item_add(user=secretary, session=session, model=m) for m in (effective_model, *others)]
    evaluators = [seats[0].user, seats[1].user, seats[3].user]
    for user in evaluators:
        services.evaluator_assign(user=secretary, session=session, evaluator=user, rubric=rubric)
    return {"items": items, "c1": c1, "c2": c2, "evaluators": evaluators, "rubric": rubric}


def score(user, item, c1, v1, c2, v2):
    services.evaluation_score_save(user=user, item=item, criterion_id=c1.pk, raw=v1)
    services.evaluation_score_save(user=user, item=item, criterion_id=c2.pk, raw=v2)


def test_weighted_totals_mean_population_sd_z_and_disagreement_by_hand(session, secretary, evaluation):
    e = evaluation
    p1, p2, p3 = e["items"]
    strict, lenient, third = e["evaluators"]
    # total = 100 × (s1/10 × 1 + s2/5 × 3) / 4
    score(strict, p1, e["c1"], "10", e["c2"], "5")     # 100
    score(strict, p2, e["c1"], "5", e["c2"], "0")      # 12,5
    score(strict, p3, e["c1"], "0", e["c2"], "5")      # 75
    for p in (p1, p2, p3):
        score(lenient, p, e["c1"], "10", e["c2"], "5")  # 100 each
    score(third, p1, e["c1"], "8", e["c2"], "4,5")      # 100 × (0,8 + 2,7) / 4 = 87,5
    score(third, p2, e["c1"], "6", e["c2"], "3")        # 100 × (0,6 + 1,8) / 4 = 60
    score(third, p3, e["c1"], "4", e["c2"], "2,5")      # 100 × (0,4 + 1,5) / 4 = 47,5
    # Hidden until one's own are submitted: nothing is in the results before submission.
    _ev, rows, threshold = selectors.evaluation_results(session)
    assert all(r.result.mean is None for r in rows) and threshold == 15
    for user in e["evaluators"]:
        services.evaluation_submit(user=user, session=session)
    evaluators, rows, _t = selectors.evaluation_results(session)
    r1, r2, r3 = (r.result for r in rows)
    assert r1.totals == {evaluators[0].pk: 100, evaluators[1].pk: 100, evaluators[2].pk: 87.5}
    # Mean and population SD of p2: (12,5 + 100 + 60) / 3 = 57,5; deviations −45, 42,5, 2,5:
    # variance (2025 + 1806,25 + 6,25) / 3 = 1279,1667, SD 35,765.
    assert r2.mean == pytest.approx(57.5)
    assert r2.std == pytest.approx(35.76543, abs=1e-4)
    assert r2.disagreement is True and r1.disagreement is False
    # z of the third evaluator: totals 87,5, 60, 47,5: mean 65, deviations 22,5, −5, −17,5,
    # population variance (506,25 + 25 + 306,25) / 3 = 279,1667, SD 16,70828.
    assert r1.z[evaluators[2].pk] == pytest.approx(22.5 / 16.70828, abs=1e-4)  # 1,34664
    assert r3.z[evaluators[2].pk] == pytest.approx(-17.5 / 16.70828, abs=1e-4)  # −1,04738
    # The lenient evaluator gave everyone 100: z = 0; mean z ranks p1 first.
    assert r1.z[evaluators[1].pk] == 0
    assert [r1.rank, r3.rank, r2.rank] == [1, 2, 3]


def test_a_flagged_item_is_discussed_before_its_score_is_final(session, secretary, seats, evaluation):
    e = evaluation
    p1, p2, p3 = e["items"]
    for user, values in zip(e["evaluators"], (("10", "5"), ("0", "0"), ("5", "2,5")), strict=True):
        for p in (p1, p2, p3):
            score(user, p, e["c1"], values[0], e["c2"], values[1])
    with pytest.raises(ValidationError, match="chưa nộp"):
        services.evaluation_finalise(user=secretary, item=p1)
    for user in e["evaluators"]:
        services.evaluation_submit(user=user, session=session)
    with pytest.raises(ValidationError, match="thảo luận"):
        services.evaluation_finalise(user=secretary, item=p1)
    services.discussion_post(user=e["evaluators"][1], item=p1, text="Tôi chấm thấp vì chưa có số liệu.")
    item = services.evaluation_finalise(user=secretary, item=p1)
    assert item.score_final and item.score_mean == Decimal("50.00")
    with pytest.raises(ValidationError):
        services.evaluation_score_save(user=e["evaluators"][0], item=p1, criterion_id=e["c1"].pk, raw="1")


def test_a_recused_evaluator_scores_nothing_of_that_model(session, secretary, seats, evaluation):
    e = evaluation
    p1 = e["items"][0]
    user = e["evaluators"][2]
    services.evaluation_score_save(user=user, item=p1, criterion_id=e["c1"].pk, raw="7")
    services.conflict_declare(user=user, item=p1, reason="Tôi là người xây dựng mô hình")
    assert not p1.scores.filter(evaluator__user=user).exists()
    with pytest.raises(ValidationError, match="xung đột"):
        services.evaluation_score_save(user=user, item=p1, criterion_id=e["c1"].pk, raw="7")
    ev = selectors.evaluator_of(session, user)
    _criteria, rows = selectors.evaluation_grid(session, ev)
    assert rows[0].excluded and selectors.evaluation_remaining(rows) == 4


def test_only_assigned_evaluators_score(session, secretary, seats, evaluation):
    with pytest.raises(PermissionDenied):
        services.evaluation_score_save(user=seats[4].user, item=evaluation["items"][0],
                                       criterion_id=evaluation["c1"].pk, raw="5")


def test_a_model_item_votes_only_once_its_score_is_final(session, secretary, seats, evaluation):
    open_session(session, secretary, seats)
    with pytest.raises(ValidationError, match="chưa được chốt"):
        services.voting_open(user=secretary, item=evaluation["items"][0])
    assert AgendaItem.objects.get(pk=evaluation["items"][0].pk).status == "pending"
