"""What the evaluation pages count: rotations due, officials flagged for follow-up, and the
figures per unit and month. Computed from the records every time, never typed in."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import Abs

from civility.evaluations import facts as facts_module
from civility.evaluations.models import (
    AnnualClassification,
    Evaluation,
    EvaluationQuerySet,
    RotationException,
    RotationPlan,
    RotationStatus,
    Step,
    first_of_month,
)
from civility.evaluations.rules import (
    AnnualLevel,
    Level,
    add_months,
    retires_before_rotation,
    rotation_due,
)
from civility.orgs.models import Official, OfficialQuerySet, OrgUnit

# --- Rotation ----------------------------------------------------------------------------


@dataclass
class RotationRow:
    """An official whose post is due for rotation. `retirement` is "exempt" when under 18
    months are left before retirement on the day of rotation, "to_assess" when no retirement
    date is recorded, "" when the rotation applies."""

    official: Official
    due_on: datetime.date
    months_in_post: int
    overdue: bool
    plan: RotationPlan | None = None
    exception: RotationException | None = None
    retirement: str = ""


def months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def _in_rotation_posts(unit: OrgUnit) -> OfficialQuerySet:
    return (
        Official.objects.under(unit)
        .active()
        .filter(post__is_sensitive=True, post_start_date__isnull=False)
    )


def leaders_in_rotation_posts(unit: OrgUnit) -> int:
    """Leaders left out of the rotation lists: they move under a separate scheme."""
    return _in_rotation_posts(unit).filter(is_leader=True).count()


def rotation_rows(
    unit: OrgUnit, *, today: datetime.date, within_months: int = 6
) -> tuple[list[RotationRow], list[RotationRow]]:
    """(due: overdue or due within `within_months`, excepted: deferred, excepted or retiring).

    Officials not in a leadership post (Law on Anti-Corruption 2018, Art. 24-25) holding a
    post subject to periodic rotation, with a start date; the due date is the start date plus
    the post's rotation period (month ends clamp: 31 Aug + 6 months → 28/29 Feb). Under 18
    months to retirement on the day of rotation (today when overdue), there is no rotation
    (Decree 59/2019); without a retirement date that exemption is to be assessed."""
    horizon = add_months(today, within_months)
    officials = (
        _in_rotation_posts(unit)
        .filter(is_leader=False)
        .select_related("post", "unit")
        .order_by("post_start_date", "full_name")
    )
    plans = {
        plan.official_id: plan
        for plan in RotationPlan.objects.under(unit)
        .filter(status=RotationStatus.PLANNED)
        .select_related("to_post")
    }
    exceptions: dict[int, list[RotationException]] = defaultdict(list)
    for exception in RotationException.objects.under(unit).order_by("-created_at"):
        exceptions[exception.official_id].append(exception)
    due: list[RotationRow] = []
    excepted: list[RotationRow] = []
    for official in officials:
        start, post = official.post_start_date, official.post
        assert start is not None and post is not None  # _in_rotation_posts: both are set
        due_on = rotation_due(start, post.rotation_period_months)
        if due_on > horizon:
            continue
        row = RotationRow(
            official=official,
            due_on=due_on,
            months_in_post=months_between(start, today),
            overdue=due_on <= today,
            plan=plans.get(official.pk),
        )
        row.exception = next(
            (
                exception
                for exception in exceptions[official.pk]
                if exception.post_id == official.post_id and exception.is_active(today)
            ),
            None,
        )
        retiring = retires_before_rotation(official.retirement_date, max(today, due_on))
        row.retirement = {True: "exempt", None: "to_assess"}.get(retiring, "")
        if row.exception is not None or retiring:
            excepted.append(row)
        else:
            due.append(row)
    return due, excepted


# --- Follow-up ---------------------------------------------------------------------------


@dataclass
class FollowUp:
    official: Official
    reasons: list[dict[str, Any]] = field(default_factory=list)


def follow_up(
    unit: OrgUnit, *, today: datetime.date, consecutive: int = 2, months: int = 12
) -> list[FollowUp]:
    """Officials to follow up (Directive 24-CT/TU: replace or transfer those who repeatedly
    fail): the lowest annual level, confirmed, last year or this year; "did not complete" in
    `consecutive` monthly periods in a row within the last `months`; leaders of units that
    failed their programme targets this year."""
    flagged: dict[int, FollowUp] = {}

    def flag(official: Official, code: str, **params: object) -> None:
        entry = flagged.setdefault(official.pk, FollowUp(official))
        entry.reasons.append({"code": code, "params": {k: str(v) for k, v in params.items()}})

    # Confirmed classifications only: a proposal is Civility's arithmetic, not a decision.
    for row in (
        AnnualClassification.objects.under(unit)
        .confirmed()
        .filter(year__gte=today.year - 1, final_level=AnnualLevel.NOT_COMPLETED)
        .select_related("official__unit")
    ):
        flag(row.official, "annual_lowest", year=row.year)

    since = first_of_month(add_months(today, -months))
    runs: dict[int, list[datetime.date]] = defaultdict(list)
    for official_id, month in (
        Evaluation.objects.under(unit)
        .approved()
        .filter(period__month__gte=since, level=Level.NOT_COMPLETED)
        .order_by("official_id", "period__month")
        .values_list("official_id", "period__month")
    ):
        runs[official_id].append(month)
    streaks: dict[int, int] = {}
    for official_id, months_failed in runs.items():
        best = streak = 1
        for previous, current in zip(months_failed, months_failed[1:], strict=False):
            streak = streak + 1 if add_months(previous, 1) == current else 1
            best = max(best, streak)
        if best >= consecutive:
            streaks[official_id] = best
    for official in Official.objects.filter(pk__in=streaks).select_related("unit"):
        flag(official, "monthly_consecutive", count=streaks[official.pk])

    failing = facts_module.units_failing_targets(unit, today.year, today)
    if failing:
        for leader in (
            Official.objects.active()
            .filter(is_leader=True, unit_id__in=failing)
            .select_related("unit")
        ):
            flag(
                leader, "unit_targets", unit=leader.unit.display_name, tasks=failing[leader.unit_id]
            )
    return sorted(
        flagged.values(), key=lambda entry: (entry.official.unit.path, entry.official.full_name)
    )


# --- Figures -----------------------------------------------------------------------------


@dataclass
class MonthFigures:
    unit: OrgUnit
    month: datetime.date
    evaluations: int = 0
    approved: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    submitted: int = 0
    submitted_on_time: int = 0
    rotations_done: int = 0

    def level_rows(self) -> list[tuple[str, str, int, float | None]]:
        return [
            (
                level.value,
                str(level.label),
                self.by_level.get(level, 0),
                _pct(self.by_level.get(level, 0), self.approved),
            )
            for level in (Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED)
        ]

    @property
    def on_time_rate(self) -> float | None:
        return _pct(self.submitted_on_time, self.evaluations)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _child_of(path: str, children: dict[str, OrgUnit], depth: int) -> OrgUnit | None:
    """The child of the unit (at `depth`) whose subtree holds `path`."""
    return children.get("/".join(path.split("/")[: depth + 2]) + "/")


def month_figures_by_child(
    unit: OrgUnit, month: datetime.date
) -> tuple[MonthFigures, list[MonthFigures]]:
    """The subtree's figures for a month, and each child's: a few queries whatever the size."""

    month = first_of_month(month)
    ordered = list(unit.children.order_by("name"))
    children = {child.path: child for child in ordered}
    total = MonthFigures(unit=unit, month=month)
    per_child = {child.pk: MonthFigures(unit=child, month=month) for child in ordered}
    evaluations = Evaluation.objects.under(unit).in_month(month).scored()
    rows = (
        evaluations.values("unit__path", "step", "level")
        .annotate(n=Count("pk"), submitted=Count("self_submitted_at"))
        .order_by()
    )
    for row in rows:
        child = _child_of(row["unit__path"], children, unit.depth)
        for figures in [total] + ([per_child[child.pk]] if child else []):
            figures.evaluations += row["n"]
            if row["step"] == Step.DONE:
                figures.approved += row["n"]
                figures.by_level[row["level"]] = figures.by_level.get(row["level"], 0) + row["n"]
            figures.submitted += row["submitted"]
    on_time = evaluations.submitted_on_time().values_list("unit__path").annotate(n=Count("pk"))
    for path, n in on_time.order_by():
        child = _child_of(path, children, unit.depth)
        for figures in [total] + ([per_child[child.pk]] if child else []):
            figures.submitted_on_time += n
    month_end = add_months(month, 1) - datetime.timedelta(days=1)
    for path in (
        RotationPlan.objects.under(unit)
        .filter(status=RotationStatus.DONE, done_on__gte=month, done_on__lte=month_end)
        .values_list("official__unit__path", flat=True)
    ):
        total.rotations_done += 1
        child = _child_of(path, children, unit.depth)
        if child:
            per_child[child.pk].rotations_done += 1
    return total, [per_child[child.pk] for child in ordered]


def month_figures(unit: OrgUnit, month: datetime.date) -> MonthFigures:
    return month_figures_by_child(unit, month)[0]


@dataclass
class Overview:
    month: MonthFigures
    children: list[MonthFigures]
    flagged: int
    rotations_overdue: int
    rotations_due_soon: int


def overview(unit: OrgUnit, month: datetime.date, *, today: datetime.date) -> Overview:
    due, _excepted = rotation_rows(unit, today=today)
    total, children = month_figures_by_child(unit, month)
    return Overview(
        month=total,
        children=children,
        flagged=len(follow_up(unit, today=today)),
        rotations_overdue=sum(1 for row in due if row.overdue),
        rotations_due_soon=sum(1 for row in due if not row.overdue),
    )


# --- Self-assessment against the approved score ------------------------------------------


def self_assessment_gaps(
    evaluations: EvaluationQuerySet | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[Mapping[str, Any]]:
    """Approved evaluations with a self-assessed total (`evaluations`, scoped by the caller)
    per unit and month: how many, the sums of the self-assessed and approved totals and of
    the absolute gaps, in points out of 100, so that they add up the tree."""
    rows = (Evaluation.objects.all() if evaluations is None else evaluations).approved()
    rows = rows.filter(self_total__isnull=False, total__isnull=False)
    if start:
        rows = rows.filter(period__month__gte=first_of_month(start))
    if end:
        rows = rows.filter(period__month__lte=end)
    return list(
        rows.values("unit_id", month=F("period__month"))
        .annotate(
            n=Count("pk"),
            self_sum=Sum("self_total"),
            verified_sum=Sum("total"),
            abs_gap_sum=Sum(Abs(F("self_total") - F("total"))),
        )
        .order_by()
    )
