"""What the apps' legal rule sets share: each is a version of the law in force for a span of
days, and a record keeps the key of the one in force on its date, so that a record made under
a replaced text stays readable. Each app's `rules` module declares its own rule sets on this
base (awards: emulation and commendation; conduct: discipline)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils.functional import Promise


@dataclass(frozen=True)
class DatedRuleSet:
    key: str
    name: str | Promise
    legal_basis: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None  # last day in force

    def is_in_force(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


_RuleSet = TypeVar("_RuleSet", bound=DatedRuleSet)


def in_force_on(rule_sets: Sequence[_RuleSet], day: datetime.date, *, law: str) -> _RuleSet:
    """The rule set in force on `day`; LookupError names `law` (which body of rules) when none
    is."""
    for rule_set in rule_sets:
        if rule_set.is_in_force(day):
            return rule_set
    raise LookupError(f"no {law} rule set in force on {day}")


def by_key(rule_sets: Sequence[_RuleSet], key: str) -> _RuleSet | None:
    return next((rule_set for rule_set in rule_sets if rule_set.key == key), None)


def choices(rule_sets: Sequence[DatedRuleSet]) -> list[tuple[str, str | Promise]]:
    """The rule sets as a model field's choices: the key stored, the name shown."""
    return [(rule_set.key, rule_set.name) for rule_set in rule_sets]
