"""The culture index in the API: a unit's index for a period with the components it was
computed from, and the ranking of a unit's children with confidence bands. Read-only, and
only what the dashboard shows (civility/insights/figures.py): nothing is computed here."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from civility.core.api_lists import UnitFilter
from civility.core.schemas import DecimalString, Message, ValidationMessage
from civility.insights import figures
from civility.insights.models import CultureIndex
from civility.insights.periods import Period, PeriodError
from civility.orgs.models import OrgUnit

router = Router(tags=["insights"])

READ_ERRORS = {401: Message, 404: Message, 422: ValidationMessage}
PERIOD = Query(
    None,
    description="2026 (a year), 2026-H1, 2026-Q1 or 2026-03; default the current quarter.",
    example="2026-Q3",
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


def _period(text: str | None) -> Period:
    if not text:
        return Period.current("quarter")
    try:
        return Period.parse(text)
    except PeriodError as error:
        raise ValidationError({"period": str(error)}, code="invalid") from error


def _unit(request: HttpRequest, unit: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)


@router.get("/index", response={200: IndexOut, **READ_ERRORS})
def culture_index(
    request: HttpRequest,
    unit: int = UnitFilter(
        "The unit (its whole subtree is what the index measures).", required=True
    ),
    period: str | None = PERIOD,
):
    """A unit's culture index for a period, its band and rank, and each component with its
    sample, as the dashboard shows them."""
    focus = _unit(request, unit)
    asked = _period(period)
    entry = CultureIndex.objects.for_period(asked).filter(unit=focus).first()
    return {
        "unit_id": focus.pk,
        "unit_name": focus.display_name,
        "period": asked.slug,
        "period_start": asked.start,
        "period_end": asked.end,
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


@router.get("/rankings", response={200: RankingOut, **READ_ERRORS})
def ranking(
    request: HttpRequest,
    unit: int = UnitFilter("The unit whose direct children are ranked.", required=True),
    period: str | None = PERIOD,
):
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
