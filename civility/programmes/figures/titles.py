"""Cultural-title figures: counts against targets, streaks, bonuses."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from civility.awards.bonuses import BonusRule
from civility.awards.rules import DECREE_98_2023_ART_54
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, UnitKind
from civility.programmes.figures.common import _outermost, percent
from civility.programmes.figures.indicators import target_value
from civility.programmes.models import (
    CULTURAL_TITLE_MULTIPLIERS,
    CulturalTitle,
    Indicator,
    Recognition,
    Target,
    TitleCount,
    TitleRule,
)

# --- Cultural titles --------------------------------------------------------------------

# Units that may hold each title themselves (for counting the eligible when no count is set).
TITLE_UNIT_KINDS: dict[str, tuple[UnitKind, ...]] = {
    CulturalTitle.VILLAGE: (UnitKind.VILLAGE,),
    CulturalTitle.RESIDENTIAL_GROUP: (UnitKind.RESIDENTIAL_GROUP,),
    CulturalTitle.EXEMPLARY_COMMUNE: COMMUNE_LEVEL_KINDS,
}


@dataclass
class TitleFigures:
    unit: OrgUnit
    eligible: int | None
    assessed: int | None
    recognised: int
    maintained: int  # recognised this year and the year before
    maintained_3_years: int  # three consecutive years or more
    target_percent: Decimal | None

    @property
    def percent_recognised(self) -> Decimal | None:
        return percent(self.recognised, self.eligible)

    @property
    def percent_maintained(self) -> Decimal | None:
        return percent(self.maintained, self.recognised)

    @property
    def gap(self) -> Decimal | None:
        """Percentage points short of the target (negative: above it)."""
        if self.target_percent is None or self.percent_recognised is None:
            return None
        return self.target_percent - self.percent_recognised

    @property
    def meets_target(self) -> bool | None:
        gap = self.gap
        return None if gap is None else gap <= 0


def streaks(title: str, year: int, unit: OrgUnit) -> dict[tuple[int, str], int]:
    """Consecutive years of recognition up to `year` for each subject recognised in `year`."""
    rows = Recognition.objects.filter(
        title=title, year__lte=year, unit__path__startswith=unit.path
    ).values_list("unit_id", "household_code", "year")
    years: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, code, recognised_year in rows:
        years[(unit_id, code)].add(recognised_year)
    result = {}
    for subject, held in years.items():
        if year not in held:
            continue
        length = 0
        while year - length in held:
            length += 1
        result[subject] = length
    return result


def title_figures(
    title: str, year: int, unit: OrgUnit, *, rule: TitleRule | None = None
) -> TitleFigures:
    counts = TitleCount.objects.filter(title=title, year=year, unit__path__startswith=unit.path)
    by_path = {
        path: (e, a) for path, e, a in counts.values_list("unit__path", "eligible", "assessed")
    }
    eligible = assessed = None
    if by_path:
        reporters = _outermost(by_path)
        eligible = sum(by_path[p][0] for p in reporters)
        assessed = sum(by_path[p][1] for p in reporters)
    elif title in TITLE_UNIT_KINDS:
        eligible = (
            OrgUnit.objects.subtree_of(unit)
            .filter(kind__in=TITLE_UNIT_KINDS[title])
            .valid_on(datetime.date(year, 12, 31))
            .count()
        ) or None
    lengths = streaks(title, year, unit)
    target = None
    if rule is not None and (indicator := rule.target_indicator) is not None:
        target = target_value(indicator, unit, year)
    return TitleFigures(
        unit=unit,
        eligible=eligible,
        assessed=assessed,
        recognised=len(lengths),
        maintained=sum(1 for length in lengths.values() if length >= 2),
        maintained_3_years=sum(1 for length in lengths.values() if length >= 3),
        target_percent=target,
    )


def title_figures_by_unit(
    title: str,
    year: int,
    parent: OrgUnit,
    units: Iterable[OrgUnit],
    *,
    rule: TitleRule | None = None,
) -> list[TitleFigures]:
    """`title_figures` for many units under `parent` at once: a handful of queries in all
    instead of several per unit (the city page lists a few hundred units)."""
    units = list(units)
    counts = list(
        TitleCount.objects.filter(
            title=title, year=year, unit__path__startswith=parent.path
        ).values_list("unit__path", "eligible", "assessed")
    )
    kind_paths: list[str] = []
    if title in TITLE_UNIT_KINDS:
        kind_paths = list(
            OrgUnit.objects.subtree_of(parent)
            .filter(kind__in=TITLE_UNIT_KINDS[title])
            .valid_on(datetime.date(year, 12, 31))
            .values_list("path", flat=True)
        )
    paths = dict(
        OrgUnit.objects.filter(
            pk__in=Recognition.objects.filter(
                title=title, year__lte=year, unit__path__startswith=parent.path
            ).values("unit_id")
        ).values_list("pk", "path")
    )
    lengths = streaks(title, year, parent)
    targets = {}
    if rule is not None and rule.target_indicator_id:
        targets = dict(
            Target.objects.filter(
                indicator_id=rule.target_indicator_id, unit__in=units, year=year, period=0
            ).values_list("unit_id", "value")
        )

    def child_key(path: str) -> str | None:
        rest = path[len(parent.path) :]
        return parent.path + rest.split("/", 1)[0] + "/" if rest else None

    # Bucket everything by the direct child of `parent` it lies under, in one pass each.
    counts_by: dict[str | None, dict[str, tuple[int, int]]] = defaultdict(dict)
    for path, e, a in counts:
        counts_by[child_key(path)][path] = (e, a)
    kinds_by: dict[str | None, int] = defaultdict(int)
    for path in kind_paths:
        kinds_by[child_key(path)] += 1
    held_by: dict[str | None, list[int]] = defaultdict(list)
    for (unit_id, _code), length in lengths.items():
        held_by[child_key(paths[unit_id])].append(length)
    results = []
    for unit in units:
        if unit.parent_id != parent.pk:
            results.append(title_figures(title, year, unit, rule=rule))
            continue
        mine = counts_by.get(unit.path, {})
        eligible = assessed = None
        if mine:
            reporters = _outermost(mine)
            eligible = sum(mine[p][0] for p in reporters)
            assessed = sum(mine[p][1] for p in reporters)
        elif kind_paths:
            eligible = kinds_by.get(unit.path) or None
        held = held_by.get(unit.path, [])
        results.append(
            TitleFigures(
                unit=unit,
                eligible=eligible,
                assessed=assessed,
                recognised=len(held),
                maintained=sum(1 for n in held if n >= 2),
                maintained_3_years=sum(1 for n in held if n >= 3),
                target_percent=targets.get(unit.pk),
            )
        )
    return results


@dataclass(frozen=True)
class TitleBonus:
    """The money a recognition of a cultural title brings, at the base salary of `day`."""

    title: str
    day: datetime.date
    multiplier: Decimal | None
    amount: Decimal | None = None
    explanation: str = ""
    to_be_confirmed: bool = False
    source: str = DECREE_98_2023_ART_54


def title_bonus(title: str, *, unit: OrgUnit, on: datetime.date) -> TitleBonus:
    """Decree 98/2023 Art. 54's multiple for the title, computed by the awards' one bonus
    rule (base salary in force on `on`, rounding); no multiple for a cultural family."""
    multiplier = CULTURAL_TITLE_MULTIPLIERS.get(title)
    if multiplier is None:
        return TitleBonus(title=title, day=on, multiplier=None)
    rule = BonusRule.on(on, unit=unit)
    return TitleBonus(
        title=title,
        day=on,
        multiplier=multiplier,
        amount=rule.amount(multiplier),
        explanation=rule.explain(),
        to_be_confirmed=rule.to_be_confirmed,
    )


def recognised_total(title: str, year: int, unit: OrgUnit) -> int:
    return Recognition.objects.filter(
        title=title, year=year, unit__path__startswith=unit.path
    ).count()


def target_total(indicator: Indicator, unit: OrgUnit, year: int) -> Decimal | None:
    return (
        Target.objects.filter(indicator=indicator, unit__parent=unit, year=year, period=0)
        .aggregate(total=Sum("value"))
        .get("total")
    )
