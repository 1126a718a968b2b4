"""The numbers users see, computed from the records: task figures and roll-ups, indicator
values (by aggregation kind), % of plan, year on year, allocation checks, title figures.

"Outermost" is the rule that keeps every figure from counting twice: inside a subtree, a
record counts at the highest unit that has one (a task delegated from a task that is itself
in the subtree is part of that task; an actual of a ward whose district reported its own
figure is already in the district's figure).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import overload

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import Abs, TruncMonth
from django.utils.translation import gettext as _

from civility.awards.bonuses import BonusRule
from civility.awards.rules import DECREE_98_2023_ART_54
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, UnitKind
from civility.programmes.models import (
    CULTURAL_TITLE_MULTIPLIERS,
    VIETNAM,
    Actual,
    Aggregation,
    CulturalTitle,
    Indicator,
    Recognition,
    Target,
    Task,
    TaskQuerySet,
    TaskState,
    TaskStatus,
    TaskUpdate,
    TitleCount,
    vietnam_today,
)

HUNDRED = Decimal(100)


def percent(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _outermost(paths) -> set[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return set(kept)


# --- Tasks ------------------------------------------------------------------------------


@dataclass
class TaskFigures:
    total: int = 0  # not cancelled
    done: int = 0  # on time or late
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    not_started: int = 0
    cancelled: int = 0
    prolonged: int = 0

    @property
    def percent_done(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def open(self) -> int:
        return self.total - self.done


def _status_counts(today: datetime.date) -> dict[str, Count]:
    open_states = [TaskState.NOT_STARTED, TaskState.IN_PROGRESS]
    return {
        "total": Count("pk", filter=~Q(state=TaskState.CANCELLED)),
        "cancelled": Count("pk", filter=Q(state=TaskState.CANCELLED)),
        "done": Count("pk", filter=Q(state=TaskState.DONE)),
        "done_late": Count("pk", filter=Q(state=TaskState.DONE, completed_on__gt=F("deadline"))),
        "overdue": Count("pk", filter=Q(state__in=open_states, deadline__lt=today)),
        "in_progress": Count("pk", filter=Q(state=TaskState.IN_PROGRESS, deadline__gte=today)),
        "not_started": Count("pk", filter=Q(state=TaskState.NOT_STARTED, deadline__gte=today)),
        "prolonged": Count(
            "pk",
            filter=~Q(state=TaskState.CANCELLED) & Q(deadline__gt=F("original_deadline")),
        ),
    }


def _task_figures(counts: dict[str, int]) -> TaskFigures:
    figures = TaskFigures(**counts)
    figures.done_on_time = figures.done - figures.done_late
    return figures


def task_figures(tasks: TaskQuerySet, today: datetime.date | None = None) -> TaskFigures:
    """Counts by status of the tasks, in one query: "15 of 20 tasks done"."""
    counts = tasks.order_by().aggregate(**_status_counts(today or vietnam_today()))
    return _task_figures(counts)


def task_figures_by_programme(
    tasks: TaskQuerySet, today: datetime.date | None = None
) -> dict[int, TaskFigures]:
    """task_figures for each programme of the tasks, in one query (a programme without
    tasks is missing)."""
    counts = _status_counts(today or vietnam_today())
    rows = tasks.order_by().values_list("programme_id").annotate(**counts)
    return {
        programme_id: _task_figures(dict(zip(counts, values, strict=True)))
        for programme_id, *values in rows
    }


@dataclass
class TaskNode:
    """A task with its children and its rolled-up progress."""

    task: Task
    status: str
    children: list[TaskNode] = field(default_factory=list)
    progress: int = 0  # own progress for a leaf, rolled up from the children otherwise
    open_below: int = 0  # open tasks among the descendants
    overdue_below: int = 0  # overdue tasks among the descendants

    @property
    def has_children(self) -> bool:
        return bool(self.children)


def task_tree(tasks, today: datetime.date | None = None) -> list[TaskNode]:
    """The tasks as trees (roots are those whose parent is not in `tasks`), rolled up.

    A parent's progress is the mean of its counted children's progress (a done child counts
    100, cancelled children do not count), recursively; a parent with no counted child keeps
    its own progress.
    """
    today = today or vietnam_today()
    nodes = {task.pk: TaskNode(task=task, status=task.status(today)) for task in tasks}
    roots: list[TaskNode] = []
    for node in nodes.values():
        parent = nodes.get(node.task.parent_id)
        (parent.children if parent else roots).append(node)
    for node in roots:
        _roll_up(node)
    return roots


def _roll_up(node: TaskNode) -> None:
    task = node.task
    own = 100 if task.state == TaskState.DONE else task.progress
    counted = []
    for child in node.children:
        _roll_up(child)
        node.open_below += child.open_below + (1 if child.task.is_open() else 0)
        node.overdue_below += child.overdue_below + (1 if child.status == TaskStatus.OVERDUE else 0)
        if child.task.state != TaskState.CANCELLED:
            counted.append(child.progress)
    if task.state == TaskState.DONE or not counted:
        node.progress = own
    else:
        node.progress = round(sum(counted) / len(counted))


def rolled_up_progress(task: Task, today: datetime.date | None = None) -> int:
    """One task's progress rolled up through all its descendants."""
    descendants = list(_descendants(task))
    (root,) = [n for n in task_tree([task, *descendants], today) if n.task.pk == task.pk]
    return root.progress


def _descendants(task: Task):
    level = [task.pk]
    while level:
        children = list(Task.objects.filter(parent_id__in=level).select_related("parent"))
        yield from children
        level = [child.pk for child in children]


def flatten(nodes: list[TaskNode], depth: int = 0):
    for node in nodes:
        yield node, depth
        yield from flatten(node.children, depth + 1)


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


def target_value(indicator: Indicator, unit: OrgUnit, year: int, period: int = 0):
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
    indicator: Indicator, unit: OrgUnit, year: int, through: int | None, children
) -> list[Performance]:
    return [performance(indicator, child, year, through) for child in children]


def performance_over_time(
    indicator: Indicator, unit: OrgUnit, years: list[int]
) -> list[Performance]:
    return [performance(indicator, unit, year) for year in years]


@overload
def quantize(value: Decimal, places: int = 2) -> Decimal: ...
@overload
def quantize(value: None, places: int = 2) -> None: ...
@overload
def quantize(value: Decimal | None, places: int = 2) -> Decimal | None: ...
def quantize(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    result = value.quantize(exponent, ROUND_HALF_UP)
    if result == result.to_integral():
        return result.quantize(Decimal(1))
    return result.normalize()


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


def _subject(row) -> tuple[int, str]:
    return row[0], row[1]


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


def title_figures(title: str, year: int, unit: OrgUnit, *, rule=None) -> TitleFigures:
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
    if rule is not None and rule.target_indicator_id:
        target = target_value(rule.target_indicator, unit, year)
    return TitleFigures(
        unit=unit,
        eligible=eligible,
        assessed=assessed,
        recognised=len(lengths),
        maintained=sum(1 for length in lengths.values() if length >= 2),
        maintained_3_years=sum(1 for length in lengths.values() if length >= 3),
        target_percent=target,
    )


def title_figures_by_unit(title: str, year: int, parent: OrgUnit, units, *, rule=None):
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


# --- Self-reported progress against verified progress ------------------------------------


def self_assessment_gaps(
    updates=None, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[dict]:
    """Verified progress reports (`updates`, scoped by the caller) per assignee unit and
    month reported (in Vietnam): how many, the sums of the progress reported and verified,
    and of the absolute gaps, in percentage points, so that they add up the tree."""
    rows = (
        (TaskUpdate.objects.all() if updates is None else updates)
        .verified()
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=VIETNAM))
    )
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lte=end)
    return list(
        rows.values("month", unit_id=F("task__assignee_unit_id"))
        .annotate(
            n=Count("pk"),
            self_sum=Sum("progress"),
            verified_sum=Sum("verified_progress"),
            abs_gap_sum=Sum(Abs(F("progress") - F("verified_progress"))),
        )
        .order_by()
    )
