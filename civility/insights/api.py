"""The culture index in the API: a unit's index for a period with the components it was
computed from, the ranking of a unit's children with confidence bands, and the figures the
pages show (satisfaction, calls, reports, inspections, evaluations, awards). Read-only, and
only what the pages show (insights/figures.py, insights/scorecards.py, each app's figures
module): nothing is computed here."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.params.functions import Query as query_param
from pydantic import ConfigDict

from civility.awards import actions as award_actions
from civility.awards.figures import decision_counts, model_counts
from civility.core.api_lists import UnitFilter, property_examples
from civility.core.schemas import READ_ERRORS, DecimalString, error_answers
from civility.evaluations.figures import month_figures
from civility.evaluations.models import MANAGER_ROLES
from civility.insights import figures, scorecards
from civility.insights.models import CultureIndex
from civility.insights.periods import Period, PeriodError, Span
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

router = Router(tags=["insights"])

# No read here takes `ordering` or a unit under two names, the parameters answered 400.
INSIGHT_READ_ERRORS = error_answers(READ_ERRORS.keys() - {400})
# ninja.Query's own function: mypy sees ninja.Query as a type (for `x: Query[Schema]`).
PERIOD = query_param(
    None,
    description="2026 (a year), 2026-H1, 2026-Q1 or 2026-03; default the current quarter.",
    example="2026-Q3",
)
SPAN_START = query_param(
    None,
    description="With `end`, instead of `period`: any run of days, as the feedback pages "
    "take it (the first day counted).",
    example="2026-01-05",
)
SPAN_END = query_param(
    None, description="With `start`: the last day counted.", example="2026-02-10"
)
SCORE = "Score out of 100; null: to be assessed (no component has enough data)."
BAND = "The 95% confidence band of the score."


class ComponentOut(Schema):
    key: str
    label: str
    weight: DecimalString = Field(description="Share of the index, out of 1.")
    effective_weight: DecimalString | None = Field(
        description="The weight after components without data are left out."
    )
    numerator: DecimalString | None
    denominator: DecimalString | None
    value: DecimalString | None = Field(description="numerator / denominator as measured.")
    estimate: DecimalString | None = Field(
        description="The value shrunk toward the parent's for a small sample; null otherwise."
    )
    score: DecimalString | None = Field(description=SCORE)
    score_low: DecimalString | None = Field(description=BAND)
    score_high: DecimalString | None = Field(description=BAND)
    treatment: str = Field(description="'' as measured, 'shrunk' or 'not_enough' data.")
    note: str = Field(description="Why the figure was shrunk or left out, with its sample.")

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            treatment="",
        )
    )


class IndexOut(Schema):
    unit_id: int
    unit_name: str
    period: str = Field(examples=["2026-Q3"])
    period_start: datetime.date
    period_end: datetime.date
    score: DecimalString | None = Field(description=SCORE)
    score_low: DecimalString | None = Field(description=BAND)
    score_high: DecimalString | None = Field(description=BAND)
    weight_covered: DecimalString | None = Field(description="Share of the weights with data.")
    rank: int | None = Field(description="Place among the siblings; null when not ranked.")
    ranked_siblings: int
    previous_rank: int | None
    movement: int | None = Field(description="Places gained since the previous period.")
    computed_at: datetime.datetime | None
    components: list[ComponentOut]


class RankOut(Schema):
    unit_id: int
    name: str
    rank: int | None = Field(description="null: not ranked (not enough data).")
    score: DecimalString | None = Field(description=SCORE)
    score_low: DecimalString | None = Field(description=BAND)
    score_high: DecimalString | None = Field(description=BAND)
    previous_rank: int | None
    movement: int | None
    is_bottom: bool = Field(description="Among the lowest of the ranking.")
    notes: list[str] = Field(description="Components shrunk or left out for a small sample.")


class RankingOut(Schema):
    unit_id: int
    unit_name: str
    period: str
    rows: list[RankOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            unit_id=12,
            unit_name="Quận Tây Hồ",
            period="2026-Q3",
        )
    )


class MeasureOut(Schema):
    key: Literal["satisfaction", "reports", "assistance", "inspections", "index", "rank"] = Field(
        examples=["satisfaction"]
    )
    label: str = Field(examples=["Citizens' satisfaction"])
    unit_label: str = Field(
        description="'%' for a share, 'points' for a score, '' for the index and the rank.",
        examples=["%"],
    )
    status: Literal["ok", "not_enough", "no_data"] = Field(
        description="ok: measured; not_enough: below the minimum sample, so no value is "
        "given; no_data: nothing in the period.",
        examples=["ok"],
    )
    value: DecimalString | None = Field(
        description="The figure (a rank for `rank`); null unless the status is ok.",
        examples=["86.4"],
    )
    band_low: DecimalString | None = Field(description=BAND, examples=["81.2"])
    band_high: DecimalString | None = Field(description=BAND, examples=["90.3"])
    meeting: int | None = Field(
        description="For a share: how many of `sample` meet the measure.", examples=[173]
    )
    sample: int | None = Field(
        description="The sample size (ratings, calls, reports closed, inspections; for the "
        "rank, the siblings ranked).",
        examples=[200],
    )
    min_sample: int | None = Field(
        description="Below this sample the figure is not enough data.", examples=[30]
    )
    note: str = Field(
        description="Why there is no value, in the language asked for.", examples=[""]
    )


class EvaluationMonthOut(Schema):
    month: datetime.date = Field(examples=["2026-10-01"])
    evaluations: int = Field(description="Scored evaluations of the month.", examples=[120])
    approved: int = Field(description="Of which approved: the levels count these.", examples=[118])
    levels: dict[str, int] = Field(
        description="Approved evaluations per level.",
        examples=[{"excellent": 20, "good": 80, "completed": 16, "not_completed": 2}],
    )
    on_time_rate: float | None = Field(
        description="Per cent of evaluations self-assessed by the deadline.", examples=[92.5]
    )


class TitleCountOut(Schema):
    title: str = Field(examples=["Lao động tiên tiến"])
    collectives: int = Field(examples=[2])
    individuals: int = Field(examples=[41])


class ModelCountOut(Schema):
    category: str = Field(examples=["environment"])
    label: str = Field(examples=["Environment and landscape"])
    models: int = Field(description="Good models started in the subtree.", examples=[3])
    replications: int = Field(description="Units of the subtree that took one up.", examples=[5])
    count_only: int = Field(description="Models known only by a yearly total.", examples=[0])


class AwardsFiguresOut(Schema):
    decisions: int = Field(description="Decisions dated in the period.", examples=[4])
    recorded: int = Field(description="Of which earlier decisions recorded.", examples=[1])
    titles: list[TitleCountOut]
    good_models: list[ModelCountOut]


class UnitFiguresOut(Schema):
    unit_id: int = Field(examples=[91])
    unit_name: str = Field(examples=["Phường Tây Hồ"])
    period: str = Field(
        description="The period asked for, or a start..end span as 2026-01-05/2026-02-10.",
        examples=["2026-Q4"],
    )
    period_start: datetime.date = Field(examples=["2026-10-01"])
    period_end: datetime.date = Field(examples=["2026-12-31"])
    measures: list[MeasureOut] = Field(
        description="Satisfaction, public-place reports closed on time, assistance calls "
        "answered in time, the inspection score, the culture index and the rank, as the "
        "unit's scorecard counts them."
    )
    evaluations: list[EvaluationMonthOut] | None = Field(
        description="Each month of the period; null when the caller does not manage the unit."
    )
    awards: AwardsFiguresOut | None = Field(
        description="Null when the caller may not read the unit's awards."
    )


def _period(text: str | None) -> Period:
    if not text:
        return Period.current("quarter")
    try:
        return Period.parse(text)
    except PeriodError as error:
        raise ValidationError({"period": str(error)}, code="invalid") from error


def _span(period: str | None, start: datetime.date | None, end: datetime.date | None) -> Span:
    if period:
        raise ValidationError({"period": _("Give a period, or start and end, not both.")})
    if start is None or end is None:
        field = "start" if start is None else "end"
        raise ValidationError({field: _("Give both start and end.")}, code="missing")
    if end < start:
        raise ValidationError({"end": _("The end is before the start.")})
    return Span(start, end)


def _unit(request: HttpRequest, unit: int) -> OrgUnit:
    found: OrgUnit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
    return found


def _covered(focus: OrgUnit, asked: Period | Span) -> dict[str, Any]:
    """The unit and the days an answer covers, as the index and the figures begin."""
    return {
        "unit_id": focus.pk,
        "unit_name": focus.display_name,
        "period": asked.slug,
        "period_start": asked.start,
        "period_end": asked.end,
    }


@router.get("/index", response={200: IndexOut, **INSIGHT_READ_ERRORS})
def culture_index(
    request: HttpRequest,
    unit: int = UnitFilter(
        "The unit (its whole subtree is what the index measures).", required=True
    ),
    period: str | None = PERIOD,
) -> dict[str, Any]:
    """A unit's culture index for a period, its band and rank, and each component with its
    sample, as the dashboard shows them."""
    focus = _unit(request, unit)
    asked = _period(period)
    entry = CultureIndex.objects.for_period(asked).filter(unit=focus).first()
    return {
        **_covered(focus, asked),
        "score": entry.score if entry else None,
        "score_low": entry.score_low if entry else None,
        "score_high": entry.score_high if entry else None,
        "weight_covered": entry.weight_covered if entry else None,
        "rank": entry.rank if entry else None,
        "ranked_siblings": entry.ranked_siblings if entry else 0,
        "previous_rank": entry.previous_rank if entry else None,
        "movement": entry.movement if entry else None,
        "computed_at": entry.computed_at if entry else None,
        "components": [vars(line) for line in figures.component_lines(entry, focus, asked)],
    }


@router.get("/rankings", response={200: RankingOut, **INSIGHT_READ_ERRORS})
def ranking(
    request: HttpRequest,
    unit: int = UnitFilter("The unit whose direct children are ranked.", required=True),
    period: str | None = PERIOD,
) -> dict[str, Any]:
    """The children of a unit ranked on the index, with confidence bands; units without
    enough data come last, unranked (the dashboard's ranking table)."""
    focus = _unit(request, unit)
    asked = _period(period)
    return {
        "unit_id": focus.pk,
        "unit_name": focus.display_name,
        "period": asked.slug,
        "rows": [
            {
                "unit_id": row.unit.pk,
                "name": row.unit.display_name,
                "rank": row.rank,
                "score": row.score,
                "score_low": row.low,
                "score_high": row.high,
                "previous_rank": row.previous_rank,
                "movement": row.movement,
                "is_bottom": row.is_bottom,
                "notes": [note for _key, _label, note in row.notes],
            }
            for row in figures.children_ranked(focus, asked)
        ],
    }


@router.get("/figures", response={200: UnitFiguresOut, **INSIGHT_READ_ERRORS})
def figures_of(
    request: HttpRequest,
    unit: int = UnitFilter("The unit; every figure covers its whole subtree.", required=True),
    period: str | None = PERIOD,
    start: datetime.date | None = SPAN_START,
    end: datetime.date | None = SPAN_END,
) -> dict[str, Any]:
    """The figures the pages show for a unit's subtree and a period, each with its sample
    size and, for a share or a score, its 95% band; a figure below its minimum sample is
    `not_enough` with no value. Evaluations and awards only for callers who may read them.
    A `start`..`end` span (any days, past or not) is counted from the sources over exactly
    those days; the index and the rank, which exist for calendar periods, are then
    `no_data`, and `period` is the span as an ISO 8601 interval (2026-01-05/2026-02-10)."""
    focus = _unit(request, unit)
    today = timezone.localdate()
    asked: Period | Span
    if start is None and end is None:
        asked = calendar_period = _period(period)
        measures = scorecards.measures(focus, calendar_period, today=today)
    else:
        asked = _span(period, start, end)
        measures = scorecards.span_measures(focus, asked, today=today)
    manages = scope_of(request.user).covers(focus, roles=MANAGER_ROLES)
    return {
        **_covered(focus, asked),
        "measures": [
            {
                "key": m.key,
                "label": m.label,
                "unit_label": m.unit_label,
                "status": m.status,
                "value": m.value,
                "band_low": m.low,
                "band_high": m.high,
                "meeting": m.part,
                "sample": m.sample,
                "min_sample": m.min_sample,
                "note": m.note,
            }
            for m in measures
        ],
        "evaluations": [_evaluation_month(focus, month.start) for month in asked.months()]
        if manages
        else None,
        "awards": _awards(focus, asked) if award_actions.can_read(request.user, focus) else None,
    }


def _evaluation_month(unit: OrgUnit, month: datetime.date) -> dict[str, Any]:
    totals = month_figures(unit, month)
    return {
        "month": totals.month,
        "evaluations": totals.evaluations,
        "approved": totals.approved,
        "levels": {value: count for value, _label, count, _percent in totals.level_rows()},
        "on_time_rate": totals.on_time_rate,
    }


def _awards(unit: OrgUnit, period: Period | Span) -> dict[str, Any]:
    counts = decision_counts(unit, period.start, period.end)
    return {
        "decisions": counts.decisions,
        "recorded": counts.recorded,
        "titles": [vars(title) for title in counts.titles],
        "good_models": [
            vars(count) for count in model_counts(unit, years=(period.start.year, period.end.year))
        ],
    }
