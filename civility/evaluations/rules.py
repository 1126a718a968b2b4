"""Evaluation rule sets, versioned by effective date, and the arithmetic they define.

Pure code, no database: monthly scoring (Hanoi's Decision 3814-QĐ/TU framework; the national
100-point scale of Decree 335/2025/NĐ-CP), the annual classification rules (Decree 90/2020 as
amended by Decree 48/2023; Decree 335/2025 for civil servants from 1 January 2026) and the
rotation due date of posts subject to periodic rotation (Law on Anti-Corruption 2018; Decree
59/2019). Every record stores the key of the rule
set it was decided under, so an old record is read and re-explained under its own rules.

A rule set applies to a territory (nationwide, or a tuple of province codes), to staff
categories and from a date; each monthly evaluation and annual classification is decided
under the rule set that applies to its official (`monthly_rule_sets_for`,
`annual_rule_set_for`). Each rule of a rule set (`RuleLine`) states its legal source, or the
setting that decides it where the law leaves the choice open or no source was found
(civility/evaluations/policies.py). Facts come from the shared domain notes (framework §3,
audit 2026-12); nothing is made up.
"""

from __future__ import annotations

import calendar
import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.evaluations import policies
from civility.orgs.models import StaffCategory

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


class Level(models.TextChoices):
    """The four legal levels (unchanged from Decree 90/2020 to Decree 335/2025)."""

    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


LEVEL_ORDER = (Level.NOT_COMPLETED, Level.COMPLETED, Level.GOOD, Level.EXCELLENT)


DECREE_90 = "90/2020/NĐ-CP"
DECREE_48 = "48/2023/NĐ-CP"
DECREE_335 = "335/2025/NĐ-CP"
DECISION_3814 = "3814-QĐ/TU"
HANOI = "01"  # the province code of Hà Nội (General Statistics Office)


def cite(
    act: str, article: str = "", *, clause: str = "", point: str = "", kind: str = "decree"
) -> dict:
    """One source of a rule line, stored with the reason and rendered by `explain`.
    An empty `article` reads "article to be confirmed"; `kind` is "decree" or "decision"."""
    source = {"act": act, "article": article, "clause": clause, "point": point}
    if kind != "decree":
        source["kind"] = kind
    return source


@dataclass(frozen=True)
class RuleLine:
    """One rule of a rule set in words, with its legal source (`cite`) or the key of the
    setting that decides it (civility/evaluations/policies.py). With neither, the page says
    the source is to be confirmed."""

    text: str | Promise
    source: dict | None = None
    setting: str = ""


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


def at_most(level: str, cap: str) -> str:
    return level if level_rank(level) <= level_rank(cap) else cap


class AnnualLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")
    NOT_CLASSIFIED = "not_classified", _("Not classified")


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
    def from_dict(cls, data: dict) -> WorkItem:
        return cls(
            title=str(data.get("title", "")),
            weight=Decimal(str(data.get("weight", 1))),
            done=bool(data.get("done", True)),
            delays=int(data.get("delays", 0)),
            quality_failures=int(data.get("quality_failures", 0)),
            exceeded=bool(data.get("exceeded", False)),
            excused=bool(data.get("excused", False)),
        )

    def as_dict(self) -> dict:
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
    source: dict

    def cap(self, population: int, *, exceptional: bool, rounding: str) -> int:
        share = self.exceptional_percent if exceptional else self.percent
        return share_of(population, share, rounding)


@dataclass(frozen=True)
class MonthlyRuleSet:
    key: str
    name: str | Promise
    legal_basis: str
    valid_from: datetime.date
    valid_to: datetime.date | None
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

    def is_in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

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
        return q2(share * self.part("tasks").maximum)


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
    points: dict,
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
        if part.key == "tasks" and rule_set.computed_tasks:
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


ALL_CATEGORIES = tuple(StaffCategory.values)
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
    national = overlap == policies.NATIONAL
    preferred = [rule for rule in candidates if rule.is_national == national] or candidates
    return max(preferred, key=lambda rule: rule.valid_from)


# --- Annual classification ---------------------------------------------------------------


class AnnualMethod(models.TextChoices):
    CRITERIA = "criteria", _("Criteria-based levels")
    AVERAGE_SCORE = "average_score", _("Average of the period scores")


@dataclass(frozen=True)
class AnnualRuleSet:
    key: str
    name: str | Promise
    legal_basis: str
    valid_from: datetime.date  # evaluation years starting on or after
    valid_to: datetime.date | None
    staff_categories: tuple[str, ...]
    method: str
    provinces: tuple[str, ...] | None = None  # province codes; None: nationwide
    # Decree 335: cut-offs on the average score.
    thresholds: tuple[tuple[str, Decimal], ...] = ()
    # Who is "not completed" whatever else: discipline decided in the year for a violation
    # related to duties (Decree 90/2020 Art. 11 / 15 ground (c); Decree 335/2025 Art. 20,
    # reprimand or above, which every form is), or any Party or administrative discipline
    # (Decree 48/2023) for ratings made from `any_discipline_from` on.
    any_discipline_fails: bool = False
    duty_discipline_fails: bool = False
    any_discipline_from: datetime.date | None = None
    same_violation_once: bool = False  # Decree 48/2023: not counted again in a later year
    min_months_worked: int | None = None  # fewer → not classified (maternity leave excepted)
    absence_cap: tuple[int, int, str] | None = None  # absent from..below months → at most
    # Excellent at most `excellent_per_good_percent`% of those rated good (335).
    excellent_per_good_percent: int | None = None
    deadline_month_day: tuple[int, int] = (12, 15)  # classification done before this day
    notes: tuple[RuleLine, ...] = ()

    def applies(self, year: int, staff_category: str, province: str | None = None) -> bool:
        """For the year, the staff category and the province (by code; None when unknown,
        then only nationwide rule sets apply)."""
        start = datetime.date(year, 1, 1)
        return (
            self.valid_from <= start
            and (self.valid_to is None or start <= self.valid_to)
            and staff_category in self.staff_categories
            and (self.provinces is None or province in self.provinces)
        )

    def counts_any_discipline(self, rated_on: datetime.date) -> bool:
        """Whether a rating made on `rated_on` counts discipline for conduct off duty."""
        return self.any_discipline_fails and (
            self.any_discipline_from is None or rated_on >= self.any_discipline_from
        )

    def deadline(self, year: int) -> datetime.date:
        month, day = self.deadline_month_day
        return datetime.date(year, month, day)

    def level_for_average(self, average: Decimal) -> str:
        for level, lowest in self.thresholds:
            if average >= lowest:
                return level
        return Level.NOT_COMPLETED


# Who confirms: the head of an agency from the level above, deputies and staff by the head of
# their own agency (`actions.common.approval_root`).
AUTHORITY_DECREE_90 = RuleLine(
    _(
        "The head of an agency is evaluated by the head of the agency directly above; deputy "
        "heads and staff by the head of the agency they work in."
    ),
    cite(DECREE_90, "16"),
)
# Decree 48/2023/NĐ-CP took effect on this day; its rule set starts with the year 2023.
DECREE_48_IN_FORCE = datetime.date(2023, 9, 15)

DECREE_90_2020 = AnnualRuleSet(
    key="decree-90-2020",
    name=_("Decree 90/2020/NĐ-CP (years 2020 to 2022)"),
    legal_basis="90/2020/NĐ-CP",
    valid_from=datetime.date(2020, 1, 1),
    valid_to=datetime.date(2022, 12, 31),
    staff_categories=ALL_CATEGORIES,
    method=AnnualMethod.CRITERIA,
    duty_discipline_fails=True,
    min_months_worked=6,
    absence_cap=(3, 6, Level.COMPLETED),
    notes=(
        RuleLine(
            _(
                "Criteria-based levels: excellent = every task on time and to quality with at "
                "least 50 per cent exceeding expectations; well completed = every task on time "
                "and to quality; completed = at most 20 per cent of tasks short of quality or "
                "schedule."
            ),
            cite(DECREE_90),
        ),
        RuleLine(
            _("General criteria (politics, ethics, lifestyle, discipline) are judged by the head."),
            cite(DECREE_90),
        ),
        RuleLine(
            _(
                "Only discipline decided in the year for a violation committed in performing "
                "duties means “did not complete tasks” (Art. 11 and 15, ground (c)); discipline "
                "for conduct off duty does not. The same holds for 2023 ratings made before "
                "15/09/2023."
            ),
            cite(DECREE_90, "11, 15", point="c"),
        ),
        AUTHORITY_DECREE_90,
    ),
)

DECREE_48_2023 = AnnualRuleSet(
    key="decree-48-2023",
    name=_("Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP"),
    legal_basis="90/2020/NĐ-CP; 48/2023/NĐ-CP",
    valid_from=datetime.date(2023, 1, 1),
    valid_to=None,
    staff_categories=ALL_CATEGORIES,
    method=AnnualMethod.CRITERIA,
    any_discipline_fails=True,
    duty_discipline_fails=True,
    any_discipline_from=DECREE_48_IN_FORCE,
    same_violation_once=True,
    min_months_worked=6,
    absence_cap=(3, 6, Level.COMPLETED),
    notes=(
        DECREE_90_2020.notes[0],
        DECREE_90_2020.notes[1],
        AUTHORITY_DECREE_90,
        RuleLine(
            _(
                "From 15/09/2023 any Party or administrative discipline in the year means “did not "
                "complete tasks”, except a violation already counted for a “did not complete "
                "tasks” in an earlier year, and Party and administrative discipline for the same "
                "act count in one year only (Decree 48/2023, Art. 1, cl. 4). Ratings made before "
                "15/09/2023 count only discipline for violations committed in performing duties."
            ),
            cite(DECREE_48, "1", clause="4"),
        ),
        RuleLine(
            _(
                "Civility holds administrative discipline only (the conduct records); it holds no "
                "Party discipline. The head checks Party discipline in the year and whether it "
                "concerns an act already counted."
            ),
            cite(DECREE_48, "1", clause="4"),
        ),
        RuleLine(
            _(
                "Whether a 2023 rating counts discipline for conduct off duty decided before "
                "15/09/2023 is a setting of the province, to be confirmed."
            ),
            setting=policies.OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48.key,
        ),
        RuleLine(
            _(
                "Decree 48/2023 also caps the share of excellent at the share of Party members "
                "rated excellent; that figure is not in Civility, so the head checks it."
            ),
            cite(DECREE_48),
        ),
        RuleLine(
            _(
                "From 2026 this rule set still applies to public employees, workers and cadres "
                "while no newer rule is confirmed for them."
            ),
        ),
    ),
)

DECREE_335_ANNUAL = AnnualRuleSet(
    key="decree-335-2025",
    name=_("Decree 335/2025/NĐ-CP (civil servants, from 2026)"),
    legal_basis="335/2025/NĐ-CP",
    valid_from=datetime.date(2026, 1, 1),
    valid_to=None,
    staff_categories=(StaffCategory.CIVIL_SERVANT,),
    method=AnnualMethod.AVERAGE_SCORE,
    thresholds=(
        (Level.EXCELLENT, Decimal(90)),
        (Level.GOOD, Decimal(70)),
        (Level.COMPLETED, Decimal(50)),
    ),
    duty_discipline_fails=True,
    excellent_per_good_percent=20,
    notes=(
        RuleLine(
            _(
                "The average of the monthly (or quarterly) scores: 90 and above excellent, 70 to "
                "under 90 well completed, 50 to under 70 completed, under 50 not completed."
            ),
            cite(DECREE_335, "20", clause="1–4"),
        ),
        RuleLine(
            _(
                "Not completed whatever the score when disciplined (reprimand or above) for a "
                "duty-related breach in the year."
            ),
            cite(DECREE_335, "20", clause="1–4"),
        ),
        RuleLine(
            _(
                "Excellent at most 20 per cent of the number rated well completed, counted in "
                "the agency and within each group of civil servants with similar tasks."
            ),
            cite(DECREE_335, "20", clause="5"),
        ),
        RuleLine(
            _("Whether the share is counted in the whole agency or per post."),
            setting=policies.EXCELLENT_QUOTA_GROUP.key,
        ),
        RuleLine(
            _("The higher share of an outstanding agency."),
            setting=policies.EXCELLENT_SHARE_OUTSTANDING.key,
        ),
        RuleLine(_("Rounding of the quota."), setting=policies.QUOTA_ROUNDING.key),
        RuleLine(
            _("Who keeps “excellent” when candidates exceed the quota."),
            setting=policies.QUOTA_ORDER.key,
        ),
        RuleLine(
            _(
                "Whether the 6-month minimum of Decree 90 carries over was not confirmed; "
                "officials with no period score are not classified."
            ),
        ),
        RuleLine(
            _(
                "The head of an agency is confirmed from the level above, deputy heads and staff "
                "by the head of their agency, as under Decree 90/2020; the article of Decree "
                "335/2025 on it is to be confirmed."
            ),
            cite(DECREE_90, "16"),
        ),
    ),
)

ANNUAL_RULE_SETS: tuple[AnnualRuleSet, ...] = (DECREE_90_2020, DECREE_48_2023, DECREE_335_ANNUAL)
ANNUAL_RULE_SET_CHOICES = [(rule.key, rule.name) for rule in ANNUAL_RULE_SETS]


def annual_rule_set(key: str) -> AnnualRuleSet:
    return next(rule for rule in ANNUAL_RULE_SETS if rule.key == key)


def annual_rule_set_for(
    year: int, staff_category: str, province: str | None = None
) -> AnnualRuleSet | None:
    """The newest rule set that applies to the year, staff category and province (by code)."""
    candidates = [rule for rule in ANNUAL_RULE_SETS if rule.applies(year, staff_category, province)]
    return max(candidates, key=lambda rule: rule.valid_from) if candidates else None


# --- Sources of the criteria rules (Decree 90/2020, audit of the legal texts) --------------

# Decree 90/2020's articles for staff not in a leadership post, as checked against the
# texts: "completed" Art. 10 (civil servants) and 14 (public employees); "did not complete"
# Art. 11 and 15. The articles for cadres, workers and leaders were not confirmed: their
# lines cite the Decree with the article "to be confirmed", and ground (b) below does not
# decide their level.
DECREE_90_ARTICLES: dict[str, dict[str, str]] = {
    StaffCategory.CIVIL_SERVANT: {"completed": "10", "not_completed": "11"},
    StaffCategory.PUBLIC_EMPLOYEE: {"completed": "14", "not_completed": "15"},
}
# "Completed" in both monthly scales (3814-QĐ/TU grade C; Decree 335) starts at 50 points.
MONTHLY_COMPLETED_FLOOR = Decimal(50)


def decree_90_article(rule: str, staff_category: str, *, is_leader: bool) -> str:
    """Decree 90's article for `rule` ("completed" or "not_completed"), or "" when the
    legal notes did not confirm it for this official."""
    if is_leader:
        return ""
    return DECREE_90_ARTICLES.get(staff_category, {}).get(rule, "")


@dataclass(frozen=True)
class CriteriaResult:
    """The task criteria on the year's work items. `level` is None when the law gives no
    level from these facts: the evaluator assesses it (`ground` says why)."""

    level: str | None
    ground: str  # excellent, good, completed, short_over_half, short_between, no_items
    counts: dict[str, int]

    @property
    def short_percent(self) -> Decimal:
        items = self.counts["items"]
        if not items:
            return ZERO
        return (HUNDRED * self.counts["short"] / items).quantize(Decimal("0.1"))


def criteria_level(items: list[WorkItem]) -> CriteriaResult:
    """Decree 90/2020's task criteria on the year's work items, each item one criterion;
    an item not done, late or failing a quality review is short.

    "Completed" allows at most 20% short (Art. 10 / 14); "did not complete" needs more than
    50% short (Art. 11 / 15, ground (b)). The law gives no level between 20% and 50%, and
    missing data is no ground: both are left to the evaluator (level None)."""
    counted = [item for item in items if not item.excused]
    total = len(counted)
    if not total:
        return CriteriaResult(
            None, "no_items", {"items": 0, "short": 0, "exceeded": 0, "not_done": 0}
        )
    not_done = sum(1 for item in counted if not item.done)
    short = sum(1 for item in counted if not item.meets_quality_and_schedule)
    exceeded = sum(1 for item in counted if item.exceeded and item.meets_quality_and_schedule)
    counts = {"items": total, "short": short, "exceeded": exceeded, "not_done": not_done}
    if short == 0 and exceeded * 2 >= total:
        return CriteriaResult(Level.EXCELLENT, "excellent", counts)
    if short == 0:
        return CriteriaResult(Level.GOOD, "good", counts)
    if short * 5 <= total:
        return CriteriaResult(Level.COMPLETED, "completed", counts)
    if short * 2 > total:
        return CriteriaResult(Level.NOT_COMPLETED, "short_over_half", counts)
    return CriteriaResult(None, "short_between", counts)


def excellent_cap_per_good(
    excellent: int, good: int, percent: int, *, fixed: int = 0, rounding: str = policies.DOWN
) -> int:
    """How many of `excellent` candidates may stay excellent when the rest fall back to good
    and excellent may be at most `percent`% of good, rounded as the setting says:
    the largest k with fixed + k ≤ percent% of (good + excellent − k), where `fixed`
    excellent are already confirmed."""
    for keep in range(excellent, -1, -1):
        if fixed + keep <= share_of(good + excellent - keep, percent, rounding):
            return keep
    return 0


# --- Rotation (Law on Anti-Corruption 2018 Art. 24-25; Decree 59/2019) --------------------

DEFAULT_ROTATION_MONTHS = 60  # Directive 24-CT/TU asks for five years
# The rotation of posts applies to staff not in a leadership post; leaders move under a
# separate scheme.
ROTATION_LAW = _("Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2")
# No rotation when under 18 months are left before retirement; rotation deferred during a
# disciplinary review, an investigation, serious illness, pregnancy or a child under 36 months.
ROTATION_EXEMPTIONS = _("Decree 59/2019/NĐ-CP (amended by Decree 134/2021/NĐ-CP), Art. 36, 38, 39")
RETIREMENT_EXEMPTION_MONTHS = 18


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter
    (31 Aug + 6 → 29 Feb in a leap year; 29 Feb + 12 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rotation_due(start: datetime.date, period_months: int | None) -> datetime.date:
    return add_months(start, period_months or DEFAULT_ROTATION_MONTHS)


def retires_before_rotation(
    retirement_date: datetime.date | None, rotation_on: datetime.date
) -> bool | None:
    """Whether fewer than 18 months separate `rotation_on` from retirement (then there is no
    rotation); None when the retirement date is not recorded: to be assessed."""
    if retirement_date is None:
        return None
    return retirement_date < add_months(rotation_on, RETIREMENT_EXEMPTION_MONTHS)
