"""The scoring engine: the one place where rubric scores become results.

Shared by the quarterly pledge reviews (awards: subjects are pledges, evaluators are Union
committee members, a criteria group is a pledge content) and the councils' evaluation of models
(councils: subjects are agenda items, evaluators are council members or experts, one group per
rubric). Callers turn their rows into `Criterion` and (evaluator, subject, criterion, value)
tuples; nothing here knows about models (their common criterion fields are
`portal.models.RubricCriterionBase`).

* **A cell** as typed is read by `cell_value`: a comma or a point as the decimal separator
  (`9,5` and `9.5`), from 0 to the criterion's maximum, in steps of `SCORE_STEP`.

Formulas (every number below is per round or per evaluation):

* **Weighted total** of evaluator m for subject p, on a 0..100 scale, over the criteria C of p's group:

      total(m, p) = 100 × Σ_c (score_c / max_c × weight_c) / Σ_c weight_c

  An evaluator's total counts only when they scored *every* criterion of the subject (an all-zero
  row is a complete, valid row); a partly scored row is left out rather than guessed.
* **Mean and spread** across the evaluators who have a total for p: the arithmetic mean and the
  *population* standard deviation (divide by n): the evaluators who scored are the whole
  population of interest, not a sample of a larger one.
* **Normalised score (z)**: each evaluator's totals are standardised across the subjects *that
  evaluator* scored: z(m, p) = (total(m, p) − μ_m) / σ_m with μ_m, σ_m the mean and population
  standard deviation of m's totals; when σ_m = 0 (an evaluator gave every subject the same total)
  z = 0. The subject's normalised score is the mean of its z over the evaluators, so a strict and
  a lenient scorer weigh the same.
* **Ranking** by normalised score, highest first, with competition ranking for ties (1, 2, 2, 4);
  values equal to 1e-9 tie. Subjects without any total are not ranked.
* **Disagreement**: a subject is flagged when the spread (population standard deviation of the
  evaluators' totals) exceeds the threshold (`DISAGREEMENT_STD` points unless the caller passes
  its own) and at least two evaluators scored it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.numbers import plain_number

DISAGREEMENT_STD = 15.0
TIE_EPSILON = 1e-9
SCORE_STEP = Decimal("0.5")


@dataclass(frozen=True)
class Criterion:
    id: int
    group_id: int  # the criteria that apply together: a pledge content, an evaluation's rubric
    weight: float
    max_score: float


@dataclass
class SubjectResult:
    subject_id: int
    totals: dict[int, float] = field(default_factory=dict)  # evaluator id -> weighted total
    z: dict[int, float] = field(default_factory=dict)  # evaluator id -> z-score
    mean: float | None = None
    std: float | None = None
    mean_z: float | None = None
    rank: int | None = None
    disagreement: bool = False

    @property
    def n(self) -> int:
        return len(self.totals)


def parse_score(raw) -> Decimal:
    """A score as typed (comma or point) as a finite Decimal; else ValidationError."""
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Điểm phải là một số.")) from exc
    if not value.is_finite():
        raise ValidationError(_("Điểm phải là một số."))
    # "-0" and "0.0" are the score 0, shown as 0.
    return value if value != 0 else Decimal(0)


def cell_value(raw, *, max_score: Decimal) -> Decimal:
    """One cell of a scoring grid as typed: a number from 0 to `max_score` in steps of `SCORE_STEP`."""
    value = parse_score(raw)
    if value < 0 or value > max_score:
        raise ValidationError(_("Điểm phải từ 0 đến %(max)s.") % {"max": plain_number(max_score)})
    if value % SCORE_STEP != 0:
        raise ValidationError(_("Điểm chấm theo bước 0,5 (ví dụ 7 hoặc 7,5)."))
    return value


def mean_std(values: list[float]) -> tuple[float, float]:
    """Arithmetic mean and population standard deviation of a non-empty list."""
    n = len(values)
    mu = sum(values) / n
    return mu, math.sqrt(sum((v - mu) ** 2 for v in values) / n)


def weighted_total(scores: dict[int, float], criteria: list[Criterion]) -> float | None:
    """The 0..100 weighted total of one row, or None when a criterion is missing."""
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weight_sum = sum(c.weight for c in criteria)
    return 100.0 * sum(scores[c.id] / c.max_score * c.weight for c in criteria) / weight_sum


def competition_rank(values: dict[int, float]) -> dict[int, int]:
    """Rank keys by value, highest first, ties sharing the best rank (1, 2, 2, 4)."""
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[int, int] = {}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is not None and abs(previous[1] - value) <= TIE_EPSILON:
            ranks[key] = previous[0]
        else:
            ranks[key] = position
            previous = (position, value)
    return ranks


def aggregate(
    *,
    criteria: Iterable[Criterion],
    subject_groups: dict[int, int],
    scores: Iterable[tuple[int, int, int, float]],
    disagreement_std: float = DISAGREEMENT_STD,
) -> dict[int, SubjectResult]:
    """Results per subject from (evaluator, subject, criterion, value) scores; `subject_groups` maps
    each subject to its criteria group. See the module docstring."""
    by_group: dict[int, list[Criterion]] = defaultdict(list)
    for c in criteria:
        by_group[c.group_id].append(c)
    rows: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for evaluator_id, subject_id, criterion_id, value in scores:
        rows[(evaluator_id, subject_id)][criterion_id] = float(value)

    results = {sid: SubjectResult(subject_id=sid) for sid in subject_groups}
    evaluator_totals: dict[int, dict[int, float]] = defaultdict(dict)
    for (evaluator_id, subject_id), row in rows.items():
        if subject_id not in results:
            continue
        total = weighted_total(row, by_group.get(subject_groups[subject_id], []))
        if total is not None:
            results[subject_id].totals[evaluator_id] = total
            evaluator_totals[evaluator_id][subject_id] = total

    for evaluator_id, totals in evaluator_totals.items():
        mu, sigma = mean_std(list(totals.values()))
        for subject_id, total in totals.items():
            results[subject_id].z[evaluator_id] = 0.0 if sigma == 0 else (total - mu) / sigma

    for result in results.values():
        if result.totals:
            result.mean, result.std = mean_std(list(result.totals.values()))
            result.mean_z = sum(result.z.values()) / len(result.z)
            result.disagreement = result.n >= 2 and result.std > disagreement_std

    ranks = competition_rank({sid: r.mean_z for sid, r in results.items() if r.mean_z is not None})
    for sid, rank in ranks.items():
        results[sid].rank = rank
    return results
