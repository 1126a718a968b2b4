"""The annual classification rules: Decree 90/2020 as amended by Decree 48/2023; Decree
335/2025 for civil servants from 1 January 2026; the sources of the criteria rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from civility.core.rules import DatedRuleSet
from civility.evaluations import policies
from civility.evaluations.rules.common import (
    ALL_CATEGORIES,
    DECREE_48,
    DECREE_90,
    DECREE_335,
    HUNDRED,
    ZERO,
    Level,
    RuleLine,
    cite,
)
from civility.evaluations.rules.monthly import (
    WorkItem,
    share_of,
)
from civility.orgs.models import StaffCategory

# --- Annual classification ---------------------------------------------------------------


class AnnualMethod(models.TextChoices):
    CRITERIA = "criteria", _("Criteria-based levels")
    AVERAGE_SCORE = "average_score", _("Average of the period scores")


@dataclass(frozen=True)
class AnnualRuleSet(DatedRuleSet):
    valid_from: datetime.date  # evaluation years starting on or after
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
        return (
            self.is_in_force(datetime.date(year, 1, 1))
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
