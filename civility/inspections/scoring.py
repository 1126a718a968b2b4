"""Scoring arithmetic: weighted, per section and in total, as a percentage.

Each scored criterion earns a fraction between 0 and 1 of its weight: yes = 1, no = 0; a score
s out of N earns s/N; a choice earns its option's score. A not-applicable answer leaves the
criterion out of both the earned and the possible points, so it neither helps nor hurts.
Numbers and texts are recorded, not scored. A section (or inspection) with nothing
applicable has no score (None), not 0 % or 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# An applicable criterion earning less than this fraction counts as failed in analytics.
FAIL_BELOW = Decimal("0.5")


def parse_value(criterion, raw: str) -> str:
    """The canonical stored form of an answer, or ValidationError naming the criterion."""
    from civility.inspections.models import AnswerKind

    value = (raw or "").strip()
    kind = criterion.answer_kind
    if kind == AnswerKind.YES_NO:
        lowered = value.lower()
        if lowered in {"yes", "y", "true", "1", "có", "co"}:
            return "yes"
        if lowered in {"no", "n", "false", "0", "không", "khong"}:
            return "no"
        raise ValidationError(
            _("Criterion %(ref)s: answer yes or no.") % {"ref": criterion.ref}, code="invalid"
        )
    if kind == AnswerKind.SCORE:
        try:
            number = int(value)
        except ValueError:
            number = -1
        if not 0 <= number <= (criterion.max_score or 0):
            raise ValidationError(
                _("Criterion %(ref)s: give a whole number from 0 to %(max)d.")
                % {"ref": criterion.ref, "max": criterion.max_score or 0},
                code="invalid",
            )
        return str(number)
    if kind == AnswerKind.CHOICE:
        allowed = [str(option["value"]) for option in criterion.options]
        if value not in allowed:
            raise ValidationError(
                _("Criterion %(ref)s: choose one of %(choices)s.")
                % {"ref": criterion.ref, "choices": ", ".join(allowed)},
                code="invalid",
            )
        return value
    if kind == AnswerKind.NUMBER:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(
                _("Criterion %(ref)s: give a number.") % {"ref": criterion.ref}, code="invalid"
            )
        return str(number.normalize()) if number == number.to_integral() else str(number)
    return value


def earned_fraction(criterion, value: str) -> Decimal | None:
    """The fraction of the weight a stored answer earns; None when it is not scored."""
    from civility.inspections.models import AnswerKind

    kind = criterion.answer_kind
    if kind == AnswerKind.YES_NO:
        return Decimal(1) if value == "yes" else Decimal(0)
    if kind == AnswerKind.SCORE:
        return Decimal(int(value)) / Decimal(criterion.max_score)
    if kind == AnswerKind.CHOICE:
        for option in criterion.options:
            if str(option["value"]) == value:
                score = Decimal(str(option.get("score", 0)))
                return min(max(score, Decimal(0)), Decimal(1))
        return Decimal(0)
    return None


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

    def as_json(self) -> dict:
        return {
            str(s.section_id): None if s.percent is None else str(s.percent) for s in self.sections
        }


def percent(earned: Decimal, possible: Decimal) -> Decimal | None:
    if not possible:
        return None
    return (HUNDRED * earned / possible).quantize(CENT, rounding=ROUND_HALF_UP)


def score(sections, answers_by_criterion: dict) -> Result:
    """`sections`: Section objects with their criteria prefetched; `answers_by_criterion`:
    criterion id → Answer (or any object with `value` and `not_applicable`)."""
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
