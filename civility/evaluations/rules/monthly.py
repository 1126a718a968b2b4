"""Monthly scoring: work items, task rates, parts and quotas, and the monthly rule sets
(Hanoi's Decision 3814-QĐ/TU framework; the national 100-point scale of Decree 335/2025)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.core.rules import DatedRuleSet
from civility.evaluations import policies
from civility.evaluations.rules.common import (
    ALL_CATEGORIES,
    DECISION_3814,
    DECREE_335,
    HANOI,
    HUNDRED,
    ZERO,
    Level,
    RuleLine,
    cite,
    q2,
)
from civility.orgs.models import StaffCategory

# --- Monthly scoring ---------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """One assigned work item of the month, in converted units (`weight`).

    `delays` and `quality_failures` count the times the item was late or failed a quality
    review; `excused` items (an objectively confirmed cause) are left out of the rates.
    """

    title: str
    weight: Decimal = Decimal(1)
    done: bool = True
    delays: int = 0
    quality_failures: int = 0
    exceeded: bool = False
    excused: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WorkItem:
        return cls(
            title=str(data.get("title", "")),
            weight=Decimal(str(data.get("weight", 1))),
            done=bool(data.get("done", True)),
            delays=int(data.get("delays", 0)),
            quality_failures=int(data.get("quality_failures", 0)),
            exceeded=bool(data.get("exceeded", False)),
            excused=bool(data.get("excused", False)),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "weight": str(self.weight),
            "done": self.done,
            "delays": self.delays,
            "quality_failures": self.quality_failures,
            "exceeded": self.exceeded,
            "excused": self.excused,
        }

    @property
    def on_time(self) -> bool:
        return self.done and self.delays == 0

    @property
    def late(self) -> bool:
        return self.done and self.delays > 0

    @property
    def meets_quality_and_schedule(self) -> bool:
        return self.done and self.delays == 0 and self.quality_failures == 0


def task_counts(items: list[WorkItem]) -> dict[str, int]:
    counted = [item for item in items if not item.excused]
    return {
        "assigned": len(counted),
        "on_time": sum(1 for item in counted if item.on_time),
        "late": sum(1 for item in counted if item.late),
        "not_done": sum(1 for item in counted if not item.done),
        "excused": len(items) - len(counted),
    }


@dataclass(frozen=True)
class TaskRates:
    quantity: Decimal  # share of assigned weight completed, 0..1
    quality: Decimal  # 0..1, each failed review deducts 25% of that item's points
    progress: Decimal  # 0..1, each delay deducts 25% of that item's points


def task_rates(items: list[WorkItem], *, deduction: Decimal = Decimal("0.25")) -> TaskRates:
    counted = [item for item in items if not item.excused]
    total = sum((item.weight for item in counted), ZERO)
    if not total:
        return TaskRates(ZERO, ZERO, ZERO)
    done = [item for item in counted if item.done]
    quantity = sum((item.weight for item in done), ZERO) / total
    quality = (
        sum((item.weight * max(ZERO, 1 - deduction * item.quality_failures) for item in done), ZERO)
        / total
    )
    progress = (
        sum((item.weight * max(ZERO, 1 - deduction * item.delays) for item in done), ZERO) / total
    )
    return TaskRates(quantity, quality, progress)


@dataclass(frozen=True)
class Part:
    """One component of a monthly score: its name and maximum."""

    key: str
    label: str | Promise
    maximum: Decimal


def share_of(count: int, percent: int, rounding: str) -> int:
    """`percent`% of `count` people as a whole number, rounded as the setting says
    (policies.QUOTA_ROUNDING): 30% of 4 is 1 rounded down or to the nearest, 2 rounded up."""
    exact = Fraction(count * percent, 100)
    if rounding == policies.UP:
        return math.ceil(exact)
    if rounding == policies.NEAREST:
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact)


@dataclass(frozen=True)
class Quota:
    """At most `percent` of those rated in an agency may reach `level`
    (`exceptional_percent` in agencies with outstanding results)."""

    level: str
    percent: int
    exceptional_percent: int
    source: dict[str, str]

    def cap(self, population: int, *, exceptional: bool, rounding: str) -> int:
        share = self.exceptional_percent if exceptional else self.percent
        return share_of(population, share, rounding)


@dataclass(frozen=True)
class MonthlyRuleSet(DatedRuleSet):
    valid_from: datetime.date  # every monthly rule set starts on a known day
    # Province codes where it applies; None: nationwide.
    provinces: tuple[str, ...] | None
    staff_categories: tuple[str, ...]
    parts: tuple[Part, ...]
    # Lowest total for each level, best first; anything lower is "not completed".
    thresholds: tuple[tuple[str, Decimal], ...]
    grades: dict[str, str]  # level → letter shown (A/B/C/D), empty when the rule has none
    quota: Quota | None
    computed_tasks: bool  # task points computed from work items (Decree 335) or rated
    # Leaders are also scored on their unit's results (Decree 335/2025).
    scores_leaders_on_unit: bool = False
    task_axis_weights: tuple[Decimal, Decimal, Decimal] = (
        Decimal(1) / 3,
        Decimal(1) / 3,
        Decimal(1) / 3,
    )
    notes: tuple[RuleLine, ...] = ()

    def applies(self, day: datetime.date, staff_category: str, province: str | None) -> bool:
        """In force on `day` for this staff category in the province (by code)."""
        return (
            self.is_in_force(day)
            and staff_category in self.staff_categories
            and (self.provinces is None or province in self.provinces)
        )

    @property
    def is_national(self) -> bool:
        return self.provinces is None

    @property
    def maximum(self) -> Decimal:
        return sum((part.maximum for part in self.parts), ZERO)

    def part(self, key: str) -> Part | None:
        return next((part for part in self.parts if part.key == key), None)

    def is_computed(self, part: Part) -> bool:
        """Whether `part`'s points come from the work items (the tasks part, Decree 335)
        rather than from people."""
        return part.key == "tasks" and self.computed_tasks

    def rated_parts(self) -> tuple[Part, ...]:
        """The parts people give points for."""
        return tuple(part for part in self.parts if not self.is_computed(part))

    def level_for(self, total: Decimal) -> str:
        for level, lowest in self.thresholds:
            if total >= lowest:
                return level
        return Level.NOT_COMPLETED

    def grade_for(self, level: str) -> str:
        return self.grades.get(level, "")

    def task_points(
        self, items: list[WorkItem], *, unit_rate: Decimal | None = None, unit_weight: int = 0
    ) -> Decimal:
        """Decree 335: quantity, quality and progress rates of the work items, weighted,
        times the task maximum. For a leader, `unit_rate` (the unit's results, 100 or 50)
        counts for `unit_weight`% of it (policies.LEADER_UNIT_RESULTS_WEIGHT)."""
        rates = task_rates(items)
        wq, wl, wp = self.task_axis_weights
        share = rates.quantity * wq + rates.quality * wl + rates.progress * wp
        if unit_rate is not None:
            weight = Decimal(unit_weight) / HUNDRED
            share = share * (1 - weight) + unit_rate / HUNDRED * weight
        return q2(share * next(part.maximum for part in self.parts if part.key == "tasks"))


@dataclass
class Score:
    points: dict[str, Decimal]
    total: Decimal
    level: str
    grade: str
    errors: dict[str, str | Promise] = field(default_factory=dict)


def score(
    rule_set: MonthlyRuleSet,
    *,
    points: Mapping[str, object],
    items: list[WorkItem],
    unit_rate: Decimal | None = None,
    unit_weight: int = 0,
) -> Score:
    """Total and level from the rated parts (and, under Decree 335, from the work items and,
    for a leader, the unit's results). Out-of-range points are reported per part, naming the
    rule's maximum."""
    result: dict[str, Decimal] = {}
    errors: dict[str, str | Promise] = {}
    for part in rule_set.parts:
        if rule_set.is_computed(part):
            result[part.key] = rule_set.task_points(
                items, unit_rate=unit_rate, unit_weight=unit_weight
            )
            continue
        raw = points.get(part.key)
        value = Decimal(str(raw)) if raw not in (None, "") else ZERO
        if value < 0 or value > part.maximum:
            errors[part.key] = _(
                "%(part)s must be between 0 and %(maximum)s points under %(rule)s."
            ) % {"part": part.label, "maximum": part.maximum, "rule": rule_set.legal_basis}
        result[part.key] = q2(value)
    total = q2(sum(result.values(), ZERO))
    level = rule_set.level_for(total)
    return Score(result, total, level, rule_set.grade_for(level), errors)


def unit_results_rate(levels: list[str]) -> Decimal | None:
    """Decree 335/2025 (article to be confirmed): a leader's unit results count 100% when
    every subordinate rated reaches at least "completed", 50% when any did not complete;
    None when no subordinate is rated (no ground either way)."""
    if not levels:
        return None
    if any(level == Level.NOT_COMPLETED for level in levels):
        return Decimal(50)
    return HUNDRED


CUT_OFFS_90_70_50 = (
    (Level.EXCELLENT, Decimal(90)),
    (Level.GOOD, Decimal(70)),
    (Level.COMPLETED, Decimal(50)),
)

HANOI_3814 = MonthlyRuleSet(
    key="hanoi-3814-2018",
    name=_("Hanoi monthly framework (Decision 3814-QĐ/TU)"),
    legal_basis=DECISION_3814,
    valid_from=datetime.date(2018, 5, 16),
    valid_to=None,
    provinces=(HANOI,),
    staff_categories=ALL_CATEGORIES,
    parts=(
        Part("general", _("Discipline and ethics"), Decimal(20)),
        Part("tasks", _("Task results"), Decimal(70)),
        Part("bonus", _("Bonus"), Decimal(10)),
    ),
    thresholds=CUT_OFFS_90_70_50,
    grades={Level.EXCELLENT: "A", Level.GOOD: "B", Level.COMPLETED: "C", Level.NOT_COMPLETED: "D"},
    quota=Quota(
        level=Level.EXCELLENT,
        percent=30,
        exceptional_percent=40,
        source=cite(DECISION_3814, kind="decision"),
    ),
    computed_tasks=False,
    notes=(
        RuleLine(
            _(
                "Applies to cadres, civil servants, public employees and contract workers of "
                "Hà Nội's political system, from 16/05/2018."
            ),
            cite(DECISION_3814, kind="decision"),
        ),
        RuleLine(
            _(
                "100 points = 20 discipline and ethics + 70 task results + 10 bonus; A ≥ 90, "
                "B 70 to under 90, C 50 to under 70, D under 50."
            ),
            cite(DECISION_3814, kind="decision"),
        ),
        RuleLine(
            _(
                "At most 30 per cent of those rated in an agency get A; at most 40 per cent in "
                "agencies with outstanding results. Counted per agency (cơ quan, đơn vị), not "
                "per division."
            ),
            cite(DECISION_3814, kind="decision"),
        ),
        RuleLine(
            _("Which agencies have outstanding results, and who names them."),
            setting=(policies.OUTSTANDING_UNITS_NAMED_BY.key),
        ),
        RuleLine(_("Rounding of the quota."), setting=policies.QUOTA_ROUNDING.key),
        RuleLine(
            _("Who keeps grade A when candidates exceed the quota."),
            setting=policies.QUOTA_ORDER.key,
        ),
        RuleLine(
            _("Who approves a deputy head's evaluation."),
            setting=policies.MONTHLY_DEPUTY_APPROVER.key,
        ),
        RuleLine(
            _("Where Decree 335/2025 also applies (civil servants from 2026), which one is used."),
            setting=policies.MONTHLY_RULE_SET_OVERLAP.key,
        ),
    ),
)

DECREE_335_MONTHLY = MonthlyRuleSet(
    key="decree-335-2025",
    name=_("National 100-point scale (Decree 335/2025/NĐ-CP)"),
    legal_basis=DECREE_335,
    valid_from=datetime.date(2026, 1, 1),
    valid_to=None,
    provinces=None,
    staff_categories=(StaffCategory.CIVIL_SERVANT,),
    parts=(
        Part("general", _("General criteria"), Decimal(30)),
        Part("tasks", _("Task results"), Decimal(70)),
    ),
    thresholds=CUT_OFFS_90_70_50,
    grades={},
    quota=None,
    computed_tasks=True,
    scores_leaders_on_unit=True,
    notes=(
        RuleLine(
            _(
                "Applies to civil servants (công chức) nationwide from 01/01/2026; not to "
                "cadres, public employees or contract workers."
            ),
            cite(DECREE_335, "1"),
        ),
        RuleLine(
            _(
                "General criteria up to 30 points; task results up to 70, from the quantity, "
                "quality and timeliness of the assigned work items. Each failed quality review "
                "deducts 25 per cent of that item's quality points, each delay 25 per cent of its "
                "progress points."
            ),
            cite(DECREE_335),
        ),
        RuleLine(
            _(
                "90 and above excellent, 70 to under 90 well completed, 50 to under 70 "
                "completed, under 50 not completed."
            ),
            cite(DECREE_335, "20", clause="1–4"),
        ),
        RuleLine(
            _(
                "The three task axes are weighted equally here; the Decree's exact combination was "
                "not confirmed in our sources. Items excused for an objectively confirmed cause "
                "are left out."
            ),
        ),
        RuleLine(
            _(
                "Leaders (deputies included, in their own field) are also scored on their "
                "unit's results: 100 per cent when every subordinate completes their tasks, 50 "
                "per cent when any does not."
            ),
            cite(DECREE_335),
        ),
        RuleLine(
            _("How the unit's results enter a leader's task points."),
            setting=policies.LEADER_UNIT_RESULTS_WEIGHT.key,
        ),
        RuleLine(
            _("Who approves a deputy head's evaluation."),
            setting=policies.MONTHLY_DEPUTY_APPROVER.key,
        ),
    ),
)

MONTHLY_RULE_SETS: tuple[MonthlyRuleSet, ...] = (HANOI_3814, DECREE_335_MONTHLY)
MONTHLY_RULE_SET_CHOICES = [(rule.key, rule.name) for rule in MONTHLY_RULE_SETS]


def monthly_rule_set(key: str) -> MonthlyRuleSet | None:
    return next((rule for rule in MONTHLY_RULE_SETS if rule.key == key), None)


def monthly_rule_sets_for(
    day: datetime.date, staff_category: str, province: str | None
) -> list[MonthlyRuleSet]:
    """Every monthly rule set that applies on `day` to this staff category in the province
    (by code), national ones first."""
    found = [rule for rule in MONTHLY_RULE_SETS if rule.applies(day, staff_category, province)]
    return sorted(found, key=lambda rule: (not rule.is_national, rule.valid_from))


def pick_monthly_rule_set(candidates: list[MonthlyRuleSet], overlap: str) -> MonthlyRuleSet | None:
    """One of the rule sets that apply: the only one, or, where a national and a provincial
    one both apply, the kind the setting names (policies.MONTHLY_RULE_SET_OVERLAP); None when
    none applies: the official is not scored."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    return preferred_monthly_rule_set(candidates, overlap)


def preferred_monthly_rule_set(candidates: list[MonthlyRuleSet], overlap: str) -> MonthlyRuleSet:
    """Of several rule sets that apply (never none), the newest of the kind the setting
    names, national or provincial (policies.MONTHLY_RULE_SET_OVERLAP)."""
    national = overlap == policies.NATIONAL
    preferred = [rule for rule in candidates if rule.is_national == national] or candidates
    return max(preferred, key=lambda rule: rule.valid_from)
