"""Indicator values by aggregation kind, % of plan, year on year, and allocation checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from civility.orgs.models import OrgUnit
from civility.programmes.figures.common import _outermost, percent, quantize
from civility.programmes.models import (
    Actual,
    Aggregation,
    Indicator,
    Target,
)

# --- Indicators -------------------------------------------------------------------------


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _time_value(aggregation: str, by_period: dict[int, Decimal]) -> Decimal | None:
    if not by_period:
        return None
    if aggregation == Aggregation.SUM:
        return sum(by_period.values(), Decimal(0))
    if aggregation == Aggregation.AVERAGE:
        return _mean(list(by_period.values()))
    return by_period[max(by_period)]  # latest


def _units_value(aggregation: str, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    if aggregation == Aggregation.AVERAGE:
        return _mean(values)
    return sum(values, Decimal(0))  # sum, and latest values (stocks) of several units add up


def _actuals_by_unit(
    indicator: Indicator, unit: OrgUnit, year: int, through: int | None
) -> dict[str, dict[int, Decimal]]:
    rows = Actual.objects.filter(indicator=indicator, year=year, unit__path__startswith=unit.path)
    if through:
        rows = rows.filter(period__lte=through)
    by_unit: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for path, period, value in rows.values_list("unit__path", "period", "value"):
        by_unit[path][period] = value
    return by_unit


def indicator_value(
    indicator: Indicator, unit: OrgUnit, year: int, through: int | None = None
) -> Decimal | None:
    """The indicator's value for the unit's subtree in a year, up to period `through`
    (None: the whole year).

    Each unit's values are first combined over time (sum, mean, or the latest period), then
    the outermost reporting units are combined (sum; mean for an average). A ratio divides
    its numerator's value by its denominator's, times the scale.
    """
    if indicator.aggregation == Aggregation.RATIO:
        numerator_of, denominator_of = indicator.ratio_terms()
        numerator = indicator_value(numerator_of, unit, year, through)
        denominator = indicator_value(denominator_of, unit, year, through)
        if numerator is None or not denominator:
            return None
        return numerator / denominator * indicator.scale
    by_unit = _actuals_by_unit(indicator, unit, year, through)
    reporters = _outermost(by_unit)
    values = [
        value
        for path in reporters
        if (value := _time_value(indicator.aggregation, by_unit[path])) is not None
    ]
    return _units_value(indicator.aggregation, values)


def target_value(indicator: Indicator, unit: OrgUnit, year: int, period: int = 0) -> Decimal | None:
    return (
        Target.objects.filter(indicator=indicator, unit=unit, year=year, period=period)
        .values_list("value", flat=True)
        .first()
    )


def latest_period(indicator: Indicator, unit: OrgUnit, year: int) -> int | None:
    """The last period of the year with any actual in the subtree (for "as of")."""
    source = indicator.numerator if indicator.is_ratio() else indicator
    return (
        Actual.objects.filter(indicator=source, year=year, unit__path__startswith=unit.path)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


@dataclass
class Performance:
    """Actual vs plan and vs the same period last year, for one unit."""

    unit: OrgUnit
    year: int
    through: int | None
    actual: Decimal | None
    target: Decimal | None
    last_year: Decimal | None

    @property
    def percent_of_plan(self) -> Decimal | None:
        return percent(self.actual, self.target)

    @property
    def times_last_year(self) -> Decimal | None:
        """How many times the same period last year ("30 times"), one decimal."""
        if self.actual is None or not self.last_year:
            return None
        return (self.actual / self.last_year).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def percent_of_last_year(self) -> Decimal | None:
        return percent(self.actual, self.last_year)


def performance(
    indicator: Indicator, unit: OrgUnit, year: int, through: int | None = None
) -> Performance:
    """Year to date (through period `through`) against the year's target and against the
    same periods of the year before."""
    return Performance(
        unit=unit,
        year=year,
        through=through,
        actual=indicator_value(indicator, unit, year, through),
        target=target_value(indicator, unit, year),
        last_year=indicator_value(indicator, unit, year - 1, through),
    )


def performance_by_child(
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    through: int | None,
    children: Iterable[OrgUnit],
) -> list[Performance]:
    return [performance(indicator, child, year, through) for child in children]


def performance_over_time(
    indicator: Indicator, unit: OrgUnit, years: list[int]
) -> list[Performance]:
    return [performance(indicator, unit, year) for year in years]


# --- Allocation checks ------------------------------------------------------------------


class AllocationStatus:
    ADDS_UP = "adds_up"
    SHORT = "short"
    OVER = "over"
    INCOMPLETE = "incomplete"


@dataclass
class AllocationCheck:
    status: str
    parent_value: Decimal
    allocated: Decimal | None
    method: str

    @property
    def difference(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.parent_value

    @property
    def ok(self) -> bool:
        return self.status in (AllocationStatus.ADDS_UP, AllocationStatus.OVER)

    def message(self) -> str:
        values = {
            "allocated": quantize(self.allocated) if self.allocated is not None else "—",
            "parent": quantize(self.parent_value),
            "method": self.method,
        }
        if self.status == AllocationStatus.ADDS_UP:
            return _("The allocation adds up: %(allocated)s (%(method)s) for %(parent)s.") % values
        if self.status == AllocationStatus.OVER:
            return (
                _(
                    "The allocation goes beyond the target: %(allocated)s (%(method)s) "
                    "for %(parent)s."
                )
                % values
            )
        if self.status == AllocationStatus.INCOMPLETE:
            return _("No child unit has a target yet.")
        return (
            _(
                "The allocation does not add up: %(allocated)s (%(method)s) "
                "does not reach %(parent)s."
            )
            % values
        )


def check_allocation(
    indicator: Indicator,
    parent_value: Decimal,
    children: dict[int, Decimal],
    *,
    year: int,
    period: int = 0,
) -> AllocationCheck:
    """Do the children's targets (unit id → value) cover the parent's?

    Sum and latest value: the children's total. Average: the children's mean. Ratio: the
    mean weighted by each child's denominator target when every child has one (e.g. the
    number of households), else the plain mean. When lower is better (a cap), the roles of
    short and over swap.
    """
    if not children:
        return AllocationCheck(AllocationStatus.INCOMPLETE, parent_value, None, "")
    values = list(children.values())
    allocated: Decimal
    if indicator.aggregation in (Aggregation.SUM, Aggregation.LATEST):
        allocated, method = sum(values, Decimal(0)), _("total")
    elif indicator.aggregation == Aggregation.AVERAGE:
        allocated, method = sum(values, Decimal(0)) / len(values), _("mean")
    else:
        _numerator, denominator = indicator.ratio_terms()
        weights = dict(
            Target.objects.filter(
                indicator=denominator,
                unit_id__in=list(children),
                year=year,
                period=period,
            ).values_list("unit_id", "value")
        )
        total_weight = sum(weights.values()) if len(weights) == len(children) else 0
        if total_weight:
            allocated = sum((value * weights[unit] for unit, value in children.items()), Decimal(0))
            allocated /= total_weight
            method = _("mean weighted by %(name)s") % {"name": denominator.display_name}
        else:
            allocated, method = sum(values, Decimal(0)) / len(values), _("mean")
    allocated = quantize(allocated, 4)
    if allocated == parent_value:
        status = AllocationStatus.ADDS_UP
    elif (allocated > parent_value) == indicator.higher_is_better:
        status = AllocationStatus.OVER
    else:
        status = AllocationStatus.SHORT
    return AllocationCheck(status, parent_value, allocated, method)


def allocation_of(target: Target) -> AllocationCheck:
    children = dict(
        Target.objects.filter(
            indicator=target.indicator,
            year=target.year,
            period=target.period,
            unit__parent=target.unit,
        ).values_list("unit_id", "value")
    )
    return check_allocation(
        target.indicator, target.value, children, year=target.year, period=target.period
    )
