"""The figures of a periodic report, gathered in one pass before anything is written.

`report_figures(unit, period)` reads everything the report shows (the index and its
components, the ranking of the units under it, and each app's own figures for the
subtree) into one frozen `ReportFigures`. The .docx and the .xlsx are then drawn from that
value alone (`exports.report_docx`, `exports.report_xlsx`: they make no query), so the two
files always tell the same figures and a test can render them without a database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone, translation

from civility.awards.figures import CategoryCount, DecisionCounts, decision_counts, model_counts
from civility.codes import figures as code_figures
from civility.codes.models import DisseminationActivity
from civility.conduct.figures import Figures as ConductFigures
from civility.conduct.figures import conduct_figures
from civility.feedback.figures import RatingFigures, rating_figures
from civility.insights import figures as insight_figures
from civility.insights.figures import ComponentLine, RankRow
from civility.insights.models import CultureIndex
from civility.insights.periods import Period
from civility.insights.sources import local_bounds
from civility.inspections import figures as inspection_figures
from civility.inspections.models import ActionStatus, CorrectiveAction, Inspection
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import place_name, superior_line
from civility.programmes.figures import TaskFigures, task_figures
from civility.programmes.models import Task

# The report's table of inspection scores lists at most this many units.
INSPECTION_UNITS_LISTED = 50


@dataclass(frozen=True)
class ActionCounts:
    """Corrective actions of the subtree whose deadline falls in the period."""

    due: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class ReportFigures:
    """Everything a periodic report of `unit` for `period` shows, as read on `today`."""

    unit: OrgUnit
    period: Period
    today: datetime.date
    superior: str  # the body above the unit in the letterhead
    place: str  # the province's name before the date
    entry: CultureIndex | None  # the unit's index, None before it is computed
    components: tuple[ComponentLine, ...]
    ranking: tuple[RankRow, ...]  # the units under it
    dissemination: dict[str, Any]  # codes.figures.dissemination_summary
    inspections: inspection_figures.Progress
    inspection_units: tuple[dict[str, Any], ...]  # inspections.figures.average_by_unit, best first
    actions: ActionCounts
    conduct: ConductFigures
    ratings: RatingFigures
    tasks: TaskFigures
    models: tuple[CategoryCount, ...]
    decisions: DecisionCounts


def report_figures(unit: OrgUnit, period: Period) -> ReportFigures:
    """Read every figure of the report, each from the app that owns it. Texts chosen by
    language (the letterhead, labels) follow the active language."""
    start, end = period.start, period.end
    today = timezone.localdate()
    entry = CultureIndex.objects.for_period(period).filter(unit=unit).first()
    low, high = local_bounds(start, end)
    inspections = Inspection.objects.filter(unit__path__startswith=unit.path).filter(
        Q(inspected_on__isnull=True, submitted_at__gte=low, submitted_at__lt=high)
        | Q(inspected_on__gte=start, inspected_on__lte=end)
        | Q(submitted_at__isnull=True, planned_on__gte=start, planned_on__lte=end)
    )
    actions = CorrectiveAction.objects.filter(
        unit__path__startswith=unit.path, deadline__gte=start, deadline__lte=end
    )
    return ReportFigures(
        unit=unit,
        period=period,
        today=today,
        superior=superior_line(unit, translation.get_language() or "vi", on=today),
        place=place_name(unit),
        entry=entry,
        components=tuple(insight_figures.component_lines(entry, unit, period)),
        ranking=tuple(insight_figures.children_ranked(unit, period)),
        dissemination=code_figures.dissemination_summary(
            DisseminationActivity.objects.under(unit).between(start, end)
        ),
        inspections=inspection_figures.progress(inspections),
        inspection_units=tuple(
            inspection_figures.average_by_unit(inspections)[:INSPECTION_UNITS_LISTED]
        ),
        actions=ActionCounts(
            due=actions.count(),
            closed=actions.filter(status=ActionStatus.CLOSED).count(),
            overdue=actions.overdue().count(),
        ),
        conduct=conduct_figures(unit=unit, start=start, end=end),
        ratings=rating_figures(start=start, end=end, unit=unit),
        tasks=task_figures(
            Task.objects.outermost_under(unit).filter(deadline__gte=start, deadline__lte=end)
        ),
        models=tuple(model_counts(unit)),
        decisions=decision_counts(unit, start, end),
    )
