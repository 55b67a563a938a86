"""How a round's scores become results: the one place where scores are aggregated.

Formulas (every number below is per round):

* **Weighted total** of member m for pledge p, on a 0..100 scale, over the criteria C of p's content:

      total(m, p) = 100 × Σ_c (score_c / max_c × weight_c) / Σ_c weight_c

  A member's total counts only when they scored *every* criterion of the pledge (an all-zero
  row is a complete, valid row); a partly scored row is left out rather than guessed.
* **Mean and spread** across the members who have a total for p: the arithmetic mean and the
  *population* standard deviation (divide by n): the committee members who scored are the whole
  population of interest, not a sample of a larger one.
* **Normalised score (z)**: each member's totals are standardised across the pledges *that member*
  scored: z(m, p) = (total(m, p) − μ_m) / σ_m with μ_m, σ_m the mean and population standard
  deviation of m's totals; when σ_m = 0 (a member gave every pledge the same total) z = 0. The
  pledge's normalised score is the mean of its z over the members, so a strict and a lenient
  scorer weigh the same.
* **Ranking** by normalised score, highest first, with competition ranking for ties (1, 2, 2, 4);
  values equal to 1e-9 tie. Pledges without any total are not ranked.
* **Disagreement**: a pledge is flagged when the spread (population standard deviation of the
  members' totals) exceeds `DISAGREEMENT_STD` points and at least two members scored it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

DISAGREEMENT_STD = 15.0
TIE_EPSILON = 1e-9


@dataclass(frozen=True)
class Criterion:
    id: int
    content_id: int
    weight: float
    max_score: float


@dataclass
class PledgeResult:
    pledge_id: int
    totals: dict[int, float] = field(default_factory=dict)  # member id -> weighted total
    z: dict[int, float] = field(default_factory=dict)  # member id -> z-score
    mean: float | None = None
    std: float | None = None
    mean_z: float | None = None
    rank: int | None = None
    disagreement: bool = False

    @property
    def n(self) -> int:
        return len(self.totals)


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
    pledge_contents: dict[int, int],
    scores: Iterable[tuple[int, int, int, float]],
    disagreement_std: float = DISAGREEMENT_STD,
) -> dict[int, PledgeResult]:
    """Results per pledge from (member, pledge, criterion, value) scores; see the module docstring."""
    by_content: dict[int, list[Criterion]] = defaultdict(list)
    for c in criteria:
        by_content[c.content_id].append(c)
    rows: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for member_id, pledge_id, criterion_id, value in scores:
        rows[(member_id, pledge_id)][criterion_id] = float(value)

    results = {pid: PledgeResult(pledge_id=pid) for pid in pledge_contents}
    member_totals: dict[int, dict[int, float]] = defaultdict(dict)
    for (member_id, pledge_id), row in rows.items():
        if pledge_id not in results:
            continue
        total = weighted_total(row, by_content.get(pledge_contents[pledge_id], []))
        if total is not None:
            results[pledge_id].totals[member_id] = total
            member_totals[member_id][pledge_id] = total

    for member_id, totals in member_totals.items():
        mu, sigma = mean_std(list(totals.values()))
        for pledge_id, total in totals.items():
            results[pledge_id].z[member_id] = 0.0 if sigma == 0 else (total - mu) / sigma

    for result in results.values():
        if result.totals:
            result.mean, result.std = mean_std(list(result.totals.values()))
            result.mean_z = sum(result.z.values()) / len(result.z)
            result.disagreement = result.n >= 2 and result.std > disagreement_std

    ranks = competition_rank({pid: r.mean_z for pid, r in results.items() if r.mean_z is not None})
    for pid, rank in ranks.items():
        results[pid].rank = rank
    return results
