"""Index arithmetic, with no database access: component scores, small samples, confidence
bands, the weighted index, ranks. docs/insights.md explains the method to readers.

- Each component is a rate (a share, a mean, events per 100 officials or per 1,000
  dossiers), never a raw count, turned into a score from 0 to 100, higher is better. A rate
  with no natural 100 per cent (violations, good models, complaints) is scored on a scale
  the province sets: the value that scores 0 (lower is better) or 100 (higher is better).
- A component with no data (its denominator is zero: no inspection, no rating, no official)
  is *missing*, never zero: it is left out, and the index is the weighted mean of the
  components present, so the weights of those present are scaled up to 100%. The share of
  the configured weight that had data is kept and shown ("based on 70% of the weights").
- Small samples: below a component's minimum sample m (its denominator, e.g. 30 ratings) a
  figure is, by the province's rule, either left out as "not enough data" or *shrunk*
  toward the nearest ancestor that has the minimum: the unit's n observations are topped up
  to m with m − n observations at the ancestor's rate, estimate = (n·rate + (m − n)·parent
  rate) / m. The pull toward the parent falls in proportion to the unit's own sample and
  vanishes at m, so there is no jump at the threshold; a unit with m or more is not moved.
- Confidence bands (95%): per component, the Wilson interval of a share; for a mean score
  (0–100) the Wilson interval of mean/100 (a mean of bounded scores varies at most as much
  as a share, so the band is conservative); for events per officials the Poisson score
  interval. A shrunk figure's band is that of its estimate over m observations. Bands are
  mapped through the score function; the index band is index ± 1.96·σ where σ² = Σ (wᵢ/W)²
  σᵢ² over the components present, σᵢ = (band width of component i) / (2 · 1.96),
  taking the components as independent.
- Below MIN_WEIGHT_COVERED the unit gets no index and no rank.
- Ranks: standard competition ranking on the index rounded to 2 decimals (1, 2, 2, 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from civility.insights.sources import COMPONENTS, COUNT, MEAN, Component

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
MIN_WEIGHT_COVERED = Decimal(50)
BOTTOM_SHARE = Decimal("0.1")  # the bottom tenth of ranked siblings is flagged
MIN_SIBLINGS_FOR_BOTTOM = 3
Z = Decimal("1.96")  # 95% two-sided

SHRINK = "shrink"
HIDE = "hide"

# How a figure was treated against its minimum sample.
AS_IS = ""
SHRUNK = "shrunk"
NOT_ENOUGH = "not_enough"


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    """A province's settings for a year (WeightSet, or the components' defaults)."""

    weights: Mapping[str, int | float | Decimal]
    scales: Mapping[str, Decimal]
    min_samples: Mapping[str, int]
    rule: str = SHRINK


@dataclass(frozen=True)
class Prior:
    """The figure a small sample is shrunk toward: the nearest ancestor with enough data."""

    unit_id: int
    numerator: Decimal
    denominator: Decimal


@dataclass
class ComponentResult:
    key: str
    weight: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None  # % or per 100 officials, as counted
    score: Decimal | None  # 0..100, higher is better; None: left out of the index
    effective_weight: Decimal | None = None  # share of the index, after missing ones
    min_sample: int = 0
    treatment: str = AS_IS  # AS_IS, SHRUNK or NOT_ENOUGH
    estimate: Decimal | None = None  # the shrunk value the score is computed from
    toward: int | None = None  # the unit shrunk toward
    toward_value: Decimal | None = None
    score_low: Decimal | None = None
    score_high: Decimal | None = None

    @property
    def missing(self) -> bool:
        return self.score is None

    def as_json(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "key": self.key,
            "weight": text(self.weight),
            "numerator": text(self.numerator),
            "denominator": text(self.denominator),
            "value": text(self.value),
            "score": text(self.score),
            "effective_weight": text(self.effective_weight),
            "min_sample": self.min_sample,
            "treatment": self.treatment,
            "estimate": text(self.estimate),
            "toward": self.toward,
            "toward_value": text(self.toward_value),
            "score_low": text(self.score_low),
            "score_high": text(self.score_high),
        }


@dataclass
class IndexResult:
    score: Decimal | None
    weight_covered: Decimal
    components: list[ComponentResult]
    low: Decimal | None = None
    high: Decimal | None = None


def component_score(
    component: Component, value: Decimal | None, *, scale: Decimal | None
) -> Decimal | None:
    return None if value is None else _scored(component, value, scale=scale)


def _scored(component: Component, value: Decimal, *, scale: Decimal | None) -> Decimal:
    if scale is not None:
        share = value * HUNDRED / scale
        score = HUNDRED - share if component.lower_is_better else share
        return q2(min(HUNDRED, max(Decimal(0), score)))
    return q2(min(HUNDRED, max(Decimal(0), value)))


def interval(distribution: str, x: Decimal, n: Decimal) -> tuple[Decimal, Decimal]:
    """95% interval of the rate x/n: Wilson for a share (a mean is passed as a share of
    100), the Poisson score interval for events per unit of exposure."""
    z2 = Z * Z
    if distribution == COUNT:
        root = Z * (x + z2 / 4).sqrt()
        return max(Decimal(0), (x + z2 / 2 - root) / n), (x + z2 / 2 + root) / n
    p = min(Decimal(1), max(Decimal(0), x / n))
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
    return max(Decimal(0), centre - half), min(Decimal(1), centre + half)


def _band(
    component: Component, x: Decimal, n: Decimal, scale: Decimal | None
) -> tuple[Decimal, Decimal]:
    if component.band_kind == MEAN:
        low, high = interval(MEAN, x / HUNDRED, n)
        values = (low * HUNDRED, high * HUNDRED)
    else:
        low, high = interval(component.band_kind, x, n)
        values = (low * component.factor, high * component.factor)
    scores = sorted(_scored(component, v, scale=scale) for v in values)
    return scores[0], scores[1]


def find_prior(
    key: str,
    ancestor_ids: list[int],
    figures: Mapping[int, Mapping[str, tuple[Decimal, Decimal]]],
    minimum: int,
) -> Prior | None:
    """The nearest ancestor (`ancestor_ids` nearest first) whose figure for `key` has at
    least `minimum` observations."""
    for unit_id in ancestor_ids:
        num, den = figures.get(unit_id, {}).get(key, (None, None))
        if num is not None and den and den >= minimum:
            return Prior(unit_id, Decimal(num), Decimal(den))
    return None


def _component(
    component: Component,
    weight: Decimal,
    figure: tuple[Decimal | None, Decimal | None],
    *,
    scale: Decimal | None,
    minimum: int,
    rule: str,
    prior: Prior | None,
) -> ComponentResult:
    num, den = figure
    result = ComponentResult(
        key=component.key,
        weight=weight,
        numerator=num,
        denominator=den,
        value=component.value(num, den) if num is not None and den else None,
        score=None,
        min_sample=minimum,
    )
    if num is None or not den:
        return result
    x, n = Decimal(num), Decimal(den)
    if n < minimum:
        if rule != SHRINK or prior is None:
            result.treatment = NOT_ENOUGH
            return result
        prior_rate = prior.numerator / prior.denominator
        x, n = x + (minimum - n) * prior_rate, Decimal(minimum)
        result.treatment = SHRUNK
        result.estimate = component.value(x, n)
        result.toward = prior.unit_id
        result.toward_value = component.value(prior.numerator, prior.denominator)
    shown = result.estimate if result.treatment == SHRUNK else result.value
    result.score = component_score(component, shown, scale=scale)
    result.score_low, result.score_high = _band(component, x, n, scale)
    return result


def compute(
    figures: Mapping[str, tuple[Decimal, Decimal]],
    weights: Mapping[str, int | float | Decimal],
    *,
    scales: Mapping[str, Decimal] | None = None,
    min_samples: Mapping[str, int] | None = None,
    rule: str = SHRINK,
    priors: Mapping[str, Prior] | None = None,
) -> IndexResult:
    """`figures`: component key -> (numerator, denominator) for one unit and period.
    `scales`: per component with a scale (default: the component's). `min_samples`: per
    component (default: none). `priors`: per component below its minimum, the figure to
    shrink toward (see find_prior)."""
    scales = scales or {}
    min_samples = min_samples or {}
    priors = priors or {}
    results = []
    for component in COMPONENTS:
        results.append(
            _component(
                component,
                Decimal(str(weights.get(component.key, 0) or 0)),
                figures.get(component.key, (None, None)),
                scale=scales.get(component.key, component.default_scale),
                minimum=int(min_samples.get(component.key, 0) or 0),
                rule=rule,
                prior=priors.get(component.key),
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
    # A component present has a score and a band (_component sets them together).
    counted = [
        (r.weight, r.score, r.score_low, r.score_high)
        for r in results
        if r.weight and r.score is not None and r.score_low is not None and r.score_high is not None
    ]
    score = sum((weight * value for weight, value, _low, _high in counted), Decimal(0)) / present
    variance = sum(
        (
            (weight / present) ** 2 * ((high - low) / (2 * Z)) ** 2
            for weight, _value, low, high in counted
        ),
        Decimal(0),
    )
    half = Z * variance.sqrt()
    return IndexResult(
        score=q2(score),
        weight_covered=covered,
        components=results,
        low=q2(max(Decimal(0), score - half)),
        high=q2(min(HUNDRED, score + half)),
    )


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
