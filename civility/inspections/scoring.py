"""Scoring arithmetic: weighted, per section and in total, as a percentage.

Each scored criterion earns a fraction between 0 and 1 of its weight: yes = 1, no = 0; a score
s out of N earns s/N; a choice earns its option's score. A not-applicable answer leaves the
criterion out of both the earned and the possible points, so it neither helps nor hurts.
Numbers and texts are recorded, not scored. A section (or inspection) with nothing applicable
has no score (None), not 0 % or 100 %. What each answer kind reads and earns: kinds.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from civility.inspections.kinds import kind_of

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# An applicable criterion earning less than this fraction counts as failed (figures.py).
FAIL_BELOW = Decimal("0.5")


def parse_value(criterion: Any, raw: str) -> str:
    """The canonical stored form of an answer, or ValidationError naming the criterion."""
    return kind_of(criterion).parse(criterion, (raw or "").strip())


def earned_fraction(criterion: Any, value: str) -> Decimal | None:
    """The fraction of the weight a stored answer earns; None when it is not scored."""
    return kind_of(criterion).earned(criterion, value)


@dataclass
class SectionScore:
    section_id: int
    title: str
    earned: Decimal = Decimal(0)
    possible: Decimal = Decimal(0)
    scored: int = 0
    not_applicable: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent(self.earned, self.possible)


@dataclass
class Result:
    sections: list[SectionScore] = field(default_factory=list)

    @property
    def earned(self) -> Decimal:
        return sum((s.earned for s in self.sections), Decimal(0))

    @property
    def possible(self) -> Decimal:
        return sum((s.possible for s in self.sections), Decimal(0))

    @property
    def percent(self) -> Decimal | None:
        return percent(self.earned, self.possible)

    def as_json(self) -> dict[str, str | None]:
        return {
            str(s.section_id): None if s.percent is None else str(s.percent) for s in self.sections
        }


def percent(earned: Decimal, possible: Decimal) -> Decimal | None:
    if not possible:
        return None
    return (HUNDRED * earned / possible).quantize(CENT, rounding=ROUND_HALF_UP)


def score(sections: Iterable[Any], answers_by_criterion: dict[int, Any]) -> Result:
    """`sections`: Section objects with their criteria prefetched; `answers_by_criterion`:
    criterion id → Answer (or any object with `value` and `not_applicable`). Criteria are
    duck-typed (Any): the property tests score plain objects."""
    result = Result()
    for section in sections:
        row = SectionScore(section.pk, section.display_title)
        for criterion in section.criteria.all():
            if not criterion.is_scored:
                continue
            answer = answers_by_criterion.get(criterion.pk)
            if answer is None:
                continue
            if answer.not_applicable:
                row.not_applicable += 1
                continue
            fraction = earned_fraction(criterion, answer.value)
            row.earned += criterion.weight * fraction
            row.possible += criterion.weight
            row.scored += 1
        result.sections.append(row)
    return result
