"""The answer kinds of a checklist criterion, each defined once: what the criterion needs
besides its text, how an answer is read and stored, what it earns, how a report writes it
and which input the phone shows. Adding a kind is one entry of ANSWER_KINDS (one member of
AnswerKind, one partial in inspections/_answer_input.html).

No model is imported here: the models, scoring, forms, the .xlsx import, documents and demo
data all read this table (a criterion is anything with `answer_kind`, `max_score` and
`options`, so scoring runs on plain objects too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", gettext_lazy("Yes / no")
    SCORE = "score", gettext_lazy("Score 0..N")
    CHOICE = "choice", gettext_lazy("Choice")
    NUMBER = "number", gettext_lazy("Number")
    TEXT = "text", gettext_lazy("Text")


@dataclass(frozen=True)
class Requirement:
    """A criterion field a kind cannot do without, and the messages when it is missing: in
    a template's structure (naming the criterion), and on the criterion form (under the field
    when the form edits it, else under the answer kind)."""

    field: str
    in_structure: Promise
    on_form: Promise


@dataclass(frozen=True)
class Kind:
    """What one answer kind means. `parse` returns the canonical stored answer or raises a
    ValidationError naming the criterion; `earned` the fraction of the weight a stored answer
    earns (None for kinds that are recorded, not scored); `values` the answers the kind can
    take when they are a fixed set (empty otherwise); `text` how a report writes an answer;
    `example` an answer that passes (demo data); `input` the partial the phone shows."""

    kind: AnswerKind
    scored: bool
    parse: Callable[[Any, str], str]
    earned: Callable[[Any, str], Decimal | None]
    values: Callable[[Any], list[str]]
    text: Callable[[Any, str], str]
    example: Callable[[Any], str]
    requirement: Requirement | None = None

    @property
    def input(self) -> str:
        return f"inspections/_answer_input.html#{self.kind.value}"


# --- How each kind reads, scores and writes an answer -------------------------------------

_YES = {"yes", "y", "true", "1", "có", "co"}
_NO = {"no", "n", "false", "0", "không", "khong"}


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid")


def _parse_yes_no(criterion: Any, value: str) -> str:
    lowered = value.lower()
    if lowered in _YES:
        return "yes"
    if lowered in _NO:
        return "no"
    raise _invalid(_("Criterion %(ref)s: answer yes or no.") % {"ref": criterion.ref})


def _parse_score(criterion: Any, value: str) -> str:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= (criterion.max_score or 0):
        raise _invalid(
            _("Criterion %(ref)s: give a whole number from 0 to %(max)d.")
            % {"ref": criterion.ref, "max": criterion.max_score or 0}
        )
    return str(number)


def _option_values(criterion: Any) -> list[str]:
    return [str(option["value"]) for option in criterion.options]


def _parse_choice(criterion: Any, value: str) -> str:
    allowed = _option_values(criterion)
    if value not in allowed:
        raise _invalid(
            _("Criterion %(ref)s: choose one of %(choices)s.")
            % {"ref": criterion.ref, "choices": ", ".join(allowed)}
        )
    return value


def _parse_number(criterion: Any, value: str) -> str:
    try:
        number: Decimal | None = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _invalid(_("Criterion %(ref)s: give a number.") % {"ref": criterion.ref})
    return str(number.normalize()) if number == number.to_integral() else str(number)


def _parse_text(criterion: Any, value: str) -> str:
    return value


def _earned_choice(criterion: Any, value: str) -> Decimal:
    for option in criterion.options:
        if str(option["value"]) == value:
            score = Decimal(str(option.get("score", 0)))
            return min(max(score, Decimal(0)), Decimal(1))
    return Decimal(0)


def display_options(criterion: Any) -> list[tuple[str, str]]:
    """A choice criterion's (value, label) pairs in the page's language."""
    english = get_language() == "en"
    return [
        (str(o["value"]), (o.get("label_en") if english else "") or o.get("label", o["value"]))
        for o in criterion.options
    ]


def _not_scored(criterion: Any, value: str) -> None:
    return None


def _no_fixed_values(criterion: Any) -> list[str]:
    return []


def _as_written(criterion: Any, value: str) -> str:
    return value


ANSWER_KINDS: dict[str, Kind] = {
    AnswerKind.YES_NO: Kind(
        AnswerKind.YES_NO,
        scored=True,
        parse=_parse_yes_no,
        earned=lambda criterion, value: Decimal(1) if value == "yes" else Decimal(0),
        values=lambda criterion: ["yes", "no"],
        text=lambda criterion, value: _("Yes") if value == "yes" else _("No"),
        example=lambda criterion: "yes",
    ),
    AnswerKind.SCORE: Kind(
        AnswerKind.SCORE,
        scored=True,
        parse=_parse_score,
        earned=lambda criterion, value: Decimal(int(value)) / Decimal(criterion.max_score),
        values=lambda criterion: [str(n) for n in range((criterion.max_score or 0) + 1)],
        text=lambda criterion, value: f"{value}/{criterion.max_score}",
        example=lambda criterion: str(criterion.max_score or 0),
        requirement=Requirement(
            "max_score",
            in_structure=gettext_lazy("Criterion %(ref)s: a score answer needs its highest score."),
            on_form=gettext_lazy("A score answer needs its highest score."),
        ),
    ),
    AnswerKind.CHOICE: Kind(
        AnswerKind.CHOICE,
        scored=True,
        parse=_parse_choice,
        earned=_earned_choice,
        values=_option_values,
        text=lambda criterion, value: dict(display_options(criterion)).get(value, value),
        example=lambda criterion: str(criterion.options[0]["value"]) if criterion.options else "",
        requirement=Requirement(
            "options",
            in_structure=gettext_lazy("Criterion %(ref)s: a choice answer needs choices."),
            # The criterion form has no field for choices.
            on_form=gettext_lazy("Choices are edited in the .xlsx file; import it."),
        ),
    ),
    AnswerKind.NUMBER: Kind(
        AnswerKind.NUMBER,
        scored=False,
        parse=_parse_number,
        earned=_not_scored,
        values=_no_fixed_values,
        text=_as_written,
        example=lambda criterion: "4",
    ),
    AnswerKind.TEXT: Kind(
        AnswerKind.TEXT,
        scored=False,
        parse=_parse_text,
        earned=_not_scored,
        values=_no_fixed_values,
        text=_as_written,
        example=lambda criterion: "Đơn vị thực hiện tương đối tốt Quy tắc ứng xử.",
    ),
}

SCORED_KINDS = tuple(kind for kind, entry in ANSWER_KINDS.items() if entry.scored)
# The kinds whose criterion cannot do without a highest score: the database refuses a row
# without one (Criterion's constraint criterion_score_has_max is written from this).
NEED_MAX_SCORE = tuple(
    kind
    for kind, entry in ANSWER_KINDS.items()
    if entry.requirement is not None and entry.requirement.field == "max_score"
)


def kind_of(criterion: Any) -> Kind:
    return ANSWER_KINDS[criterion.answer_kind]


def missing_requirement(kind: str, fields: dict[str, Any]) -> Requirement | None:
    """The requirement of `kind` that `fields` (a criterion's structure, a form's data) does
    not meet, if any."""
    entry = ANSWER_KINDS.get(kind)
    if entry is None or entry.requirement is None:
        return None
    return None if fields.get(entry.requirement.field) else entry.requirement
