"""Index arithmetic, with no database access: component scores, the weighted index, ranks.

- Each component's value is a percentage (or, for violations, a rate per 100 officials)
  turned into a score from 0 to 100, higher is better.
- A component with no data (its denominator is zero: no inspection, no rating, no official)
  is *missing*, never zero: it is left out, and the index is the weighted mean of the
  components present, so the weights of those present are scaled up to 100%. The share of
  the configured weight that had data is kept and shown ("based on 70% of the weights").
- Below MIN_WEIGHT_COVERED the unit gets no index and no rank.
- Ranks: standard competition ranking on the index rounded to 2 decimals (1, 2, 2, 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from civility.insights.sources import BY_KEY, COMPONENTS

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
MIN_WEIGHT_COVERED = Decimal(50)
BOTTOM_SHARE = Decimal("0.1")  # the bottom tenth of ranked siblings is flagged
MIN_SIBLINGS_FOR_BOTTOM = 3


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass
class ComponentResult:
    key: str
    weight: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None  # % or per 100 officials
    score: Decimal | None  # 0..100, higher is better
    effective_weight: Decimal | None = None  # share of the index, after missing ones

    @property
    def missing(self) -> bool:
        return self.score is None

    def as_json(self) -> dict:
        def text(value):
            return None if value is None else str(value)

        return {
            "key": self.key,
            "weight": text(self.weight),
            "numerator": text(self.numerator),
            "denominator": text(self.denominator),
            "value": text(self.value),
            "score": text(self.score),
            "effective_weight": text(self.effective_weight),
        }


@dataclass
class IndexResult:
    score: Decimal | None
    weight_covered: Decimal
    components: list[ComponentResult]


def component_score(key: str, value: Decimal | None, *, violations_zero_at: Decimal):
    if value is None:
        return None
    if BY_KEY[key].lower_is_better:
        score = HUNDRED - value * HUNDRED / Decimal(violations_zero_at)
        return q2(max(Decimal(0), score))
    return q2(min(HUNDRED, max(Decimal(0), value)))


def compute(
    figures: dict[str, tuple[Decimal, Decimal]],
    weights: dict[str, int | float | Decimal],
    *,
    violations_zero_at: Decimal = Decimal(10),
) -> IndexResult:
    """`figures`: component key -> (numerator, denominator) for one unit and period."""
    results = []
    for component in COMPONENTS:
        weight = Decimal(str(weights.get(component.key, 0) or 0))
        num, den = figures.get(component.key, (None, None))
        value = component.value(num, den) if den else None
        results.append(
            ComponentResult(
                key=component.key,
                weight=weight,
                numerator=num,
                denominator=den,
                value=value,
                score=component_score(component.key, value, violations_zero_at=violations_zero_at),
            )
        )
    total = sum((r.weight for r in results), Decimal(0))
    present = sum((r.weight for r in results if not r.missing), Decimal(0))
    covered = q2(HUNDRED * present / total) if total else Decimal(0)
    for result in results:
        if not result.missing and present:
            result.effective_weight = q2(HUNDRED * result.weight / present)
    if not present or covered < MIN_WEIGHT_COVERED:
        return IndexResult(score=None, weight_covered=covered, components=results)
    score = sum((r.weight * r.score for r in results if not r.missing), Decimal(0)) / present
    return IndexResult(score=q2(score), weight_covered=covered, components=results)


def rank(scores: dict[int, Decimal | None]) -> dict[int, int | None]:
    """Competition ranking of sibling units by score (ties share a rank); no score, no rank."""
    ordered = sorted(
        ((unit, q2(score)) for unit, score in scores.items() if score is not None),
        key=lambda item: -item[1],
    )
    ranks: dict[int, int | None] = dict.fromkeys(scores)
    previous_score = None
    previous_rank = 0
    for position, (unit, score) in enumerate(ordered, start=1):
        if score != previous_score:
            previous_rank, previous_score = position, score
        ranks[unit] = previous_rank
    return ranks


def bottom(ranks: dict[int, int | None]) -> set[int]:
    """The units flagged at the bottom: the last tenth of the ranked (at least one, when
    there are MIN_SIBLINGS_FOR_BOTTOM or more), ties with the cut included."""
    ranked = {unit: r for unit, r in ranks.items() if r is not None}
    if len(ranked) < MIN_SIBLINGS_FOR_BOTTOM:
        return set()
    count = max(1, math.ceil(len(ranked) * BOTTOM_SHARE))
    cut = sorted(ranked.values())[-count]
    return {unit for unit, r in ranked.items() if r >= cut}
