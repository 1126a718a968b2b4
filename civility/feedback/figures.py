"""Figures of the citizens' voice, for any counter, official or subtree and any period.

Ratings are read from the daily rollups (RatingDay, ReasonDay), never from the raw table;
assistance calls and reports are few and are read raw, which keeps medians exact.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

from django.db.models import Count, F, Model, Q, QuerySet, Sum
from django.db.models.functions import Extract
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.feedback.models import (
    AssistanceCall,
    DossierStat,
    PublicReport,
    RatingDay,
    Reason,
    ReasonDay,
    ReportStatus,
    Side,
)
from civility.feedback.scales import SCALES
from civility.orgs.models import Official, OrgUnit, PlaceKind

_M = TypeVar("_M", bound=Model)


def _pct(part: int | float, whole: int | float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class LevelShare:
    label: str
    scale: str
    level: int
    ratings: int
    percent: float | None


@dataclass
class RatingFigures:
    ratings: int = 0
    satisfied: int = 0
    neutral: int = 0
    dissatisfied: int = 0
    mean_score: float | None = None
    levels: list[LevelShare] = field(default_factory=list)
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    calls: int = 0
    answered: int = 0
    median_response_s: float | None = None

    @property
    def satisfaction_rate(self) -> float | None:
        return _pct(self.satisfied, self.ratings)

    @property
    def dissatisfaction_rate(self) -> float | None:
        return _pct(self.dissatisfied, self.ratings)


def _filter(
    qs: QuerySet[_M],
    *,
    unit: OrgUnit | None,
    official: Official | None,
    start: datetime.date,
    end: datetime.date,
    day_field: str = "day",
    counter_field: str = "counter",
) -> QuerySet[_M]:
    qs = qs.filter(**{f"{day_field}__gte": start, f"{day_field}__lte": end})
    if unit is not None:
        qs = qs.filter(**{f"{counter_field}__in": OrgUnit.objects.serving(unit)})
    if official is not None:
        qs = qs.filter(official=official)
    return qs


def rating_figures(
    *,
    start: datetime.date,
    end: datetime.date,
    unit: OrgUnit | None = None,
    official: Official | None = None,
    with_calls: bool = True,
) -> RatingFigures:
    """For a counter or any subtree (`unit`), or one official, over start..end."""
    days = _filter(RatingDay.objects.all(), unit=unit, official=official, start=start, end=end)
    figures = RatingFigures()
    weighted = 0
    for row in days.values("scale", "level", "side", "score").annotate(n=Sum("ratings")):
        figures.ratings += row["n"]
        weighted += row["n"] * row["score"]
        if row["side"] == Side.SATISFIED:
            figures.satisfied += row["n"]
        elif row["side"] == Side.DISSATISFIED:
            figures.dissatisfied += row["n"]
        else:
            figures.neutral += row["n"]
        scale = SCALES.get(row["scale"])
        level = scale.level(row["level"]) if scale else None
        figures.levels.append(
            LevelShare(
                label=str(level.label) if level else f"{row['scale']} {row['level']}",
                scale=row["scale"],
                level=row["level"],
                ratings=row["n"],
                percent=None,
            )
        )
    for share in figures.levels:
        share.percent = _pct(share.ratings, figures.ratings)
    figures.levels.sort(key=lambda share: (share.scale != "five", share.scale, share.level))
    if figures.ratings:
        figures.mean_score = round(weighted / figures.ratings, 1)
    reasons = _filter(ReasonDay.objects.all(), unit=unit, official=official, start=start, end=end)
    labels = dict(Reason.choices)
    figures.top_reasons = [
        (str(labels.get(row["reason"], row["reason"])), row["n"])
        for row in reasons.values("reason").annotate(n=Sum("ratings")).order_by("-n", "reason")[:5]
    ]
    if with_calls and official is None:
        calls = call_figures(start=start, end=end, unit=unit)
        figures.calls, figures.answered, figures.median_response_s = calls
    return figures


def _day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return low, high


def call_figures(
    *, start: datetime.date, end: datetime.date, unit: OrgUnit | None = None
) -> tuple[int, int, float | None]:
    """(calls, answered, median seconds from call to acknowledgement)."""
    low, high = _day_bounds(start, end)
    calls = AssistanceCall.objects.filter(raised_at__gte=low, raised_at__lt=high)
    if unit is not None:
        calls = calls.filter(counter__in=OrgUnit.objects.serving(unit))
    total = calls.count()
    waits = sorted(
        calls.filter(acknowledged_at__isnull=False)
        .annotate(wait=Extract(F("acknowledged_at") - F("raised_at"), "epoch"))
        .values_list("wait", flat=True)
    )
    if not waits:
        return total, 0, None
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return total, len(waits), round(float(median), 1)


def per_counter(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """One row per counter under `unit` that has ratings or calls in the period."""
    days = _filter(RatingDay.objects.all(), unit=unit, official=None, start=start, end=end)
    rows: dict[int, dict[str, Any]] = {}
    for row in days.values("counter", "counter__name", "counter__parent__name").annotate(
        n=Sum("ratings"),
        satisfied=Sum("ratings", filter=Q(side=Side.SATISFIED)),
        weighted=Sum(F("ratings") * F("score")),
    ):
        rows[row["counter"]] = {
            "counter_id": row["counter"],
            "name": row["counter__name"],
            "where": row["counter__parent__name"],
            "ratings": row["n"],
            "satisfaction_rate": _pct(row["satisfied"] or 0, row["n"]),
            "mean_score": round(row["weighted"] / row["n"], 1) if row["n"] else None,
            "calls": 0,
        }
    low, high = _day_bounds(start, end)
    for calls in (
        AssistanceCall.objects.filter(
            counter__in=OrgUnit.objects.serving(unit), raised_at__gte=low, raised_at__lt=high
        )
        .values("counter", "counter__name", "counter__parent__name")
        .annotate(n=Count("pk"))
    ):
        entry = rows.setdefault(
            calls["counter"],
            {
                "counter_id": calls["counter"],
                "name": calls["counter__name"],
                "where": calls["counter__parent__name"],
                "ratings": 0,
                "satisfaction_rate": None,
                "mean_score": None,
                "calls": 0,
            },
        )
        entry["calls"] = calls["n"]
    return sorted(rows.values(), key=lambda r: (r["where"] or "", r["name"]))


def per_official(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    days = _filter(RatingDay.objects.all(), unit=unit, official=None, start=start, end=end)
    result = []
    # Officials by the organisation they work in, not by whom they serve: a commune's
    # figures count its service point's counters, but the point's staff are not the
    # commune's to see one by one.
    for row in (
        days.filter(official__unit__path__startswith=unit.path)
        .values("official", "official__full_name")
        .annotate(n=Sum("ratings"), satisfied=Sum("ratings", filter=Q(side=Side.SATISFIED)))
        .order_by("official__full_name")
    ):
        result.append(
            {
                "official_id": row["official"],
                "name": row["official__full_name"],
                "ratings": row["n"],
                "satisfaction_rate": _pct(row["satisfied"] or 0, row["n"]),
            }
        )
    return result


# Decision 766/QĐ-TTg (2022) scores service in administrative procedures and public
# services from the public-service portals' data. Its satisfaction group (18 of 100 points)
# has three rates; the first two count feedback and petitions about administrative
# procedures filed through the portals' petition system (Decision 31/2021 Art. 43), which
# Civility does not hold. Public-place reports are not that feedback, so they never stand in
# for it: such a rate is shown as the portal's, not computed here.
NOT_IN_CIVILITY = gettext_lazy("Not available in Civility: from the public-service portal")


@dataclass
class Rate:
    """One rate with its source. `available` is False when Civility holds no valid source
    for it; `source` then says where the figure is kept, and there is no value."""

    key: str
    label: str
    source: str
    available: bool
    part: int | None = None
    whole: int | None = None

    @property
    def rate(self) -> float | None:
        if not self.available or self.part is None or self.whole is None:
            return None
        return _pct(self.part, self.whole)


@dataclass
class Decision766:
    """What Civility holds of Decision 766/QĐ-TTg's figures, from administrative-procedure
    sources only: the counters' ratings and the imported dossier statistics."""

    satisfaction_rates: list[Rate]
    dossiers_received: int
    dossiers_processed: int
    dossiers_early: int
    dossiers_on_time: int
    dossiers_late: int
    dossiers_online: int
    dossier_on_time_rate: float | None
    online_share: float | None


def decision_766(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> Decision766:
    ratings = rating_figures(start=start, end=end, unit=unit, with_calls=False)
    stats = DossierStat.objects.filter(
        unit__in=OrgUnit.objects.serving(unit), period_start__gte=start, period_end__lte=end
    ).aggregate(
        received=Sum("received"),
        processed=Sum("processed"),
        early=Sum("early"),
        on_time=Sum("on_time"),
        late=Sum("late"),
        online=Sum("online"),
    )
    stats = {key: value or 0 for key, value in stats.items()}
    portal = str(NOT_IN_CIVILITY)
    return Decision766(
        satisfaction_rates=[
            Rate(
                key="petitions_on_time",
                label=str(_("Feedback and petitions on administrative procedures handled on time")),
                source=portal,
                available=False,
            ),
            Rate(
                key="petition_handling_satisfaction",
                label=str(_("Satisfaction with the handling of feedback and petitions")),
                source=portal,
                available=False,
            ),
            Rate(
                key="procedure_satisfaction",
                label=str(_("Satisfaction with receiving and settling administrative procedures")),
                source=str(_("Counter ratings in Civility (satisfied ratings / ratings)")),
                available=True,
                part=ratings.satisfied,
                whole=ratings.ratings,
            ),
        ],
        dossiers_received=stats["received"],
        dossiers_processed=stats["processed"],
        dossiers_early=stats["early"],
        dossiers_on_time=stats["on_time"],
        dossiers_late=stats["late"],
        dossiers_online=stats["online"],
        dossier_on_time_rate=_pct(stats["early"] + stats["on_time"], stats["processed"]),
        online_share=_pct(stats["online"], stats["received"]),
    )


@dataclass
class ReportHandling:
    """Civility's own indicator of how public-place reports are handled. Not a Decision 766
    rate: those reports are about conduct in public places, not administrative procedures."""

    reports_closed: int
    reports_closed_on_time: int
    on_time_rate: float | None
    handling_answers: int
    handling_satisfied: int
    handling_satisfaction_rate: float | None


def report_handling(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> ReportHandling:
    """Reports closed in the period: closed by their due date, and the reporters' answers on
    the receipt page (the latest answer counts)."""
    low, high = _day_bounds(start, end)
    counts = (
        PublicReport.objects.under(unit)
        .filter(status=ReportStatus.CLOSED, closed_at__gte=low, closed_at__lt=high)
        .aggregate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__lte=F("due_at"))),
            answers=Count("pk", filter=Q(citizen_satisfied__isnull=False)),
            satisfied=Count("pk", filter=Q(citizen_satisfied=True)),
        )
    )
    return ReportHandling(
        reports_closed=counts["total"],
        reports_closed_on_time=counts["on_time"],
        on_time_rate=_pct(counts["on_time"], counts["total"]),
        handling_answers=counts["answers"],
        handling_satisfied=counts["satisfied"],
        handling_satisfaction_rate=_pct(counts["satisfied"], counts["answers"]),
    )


class Hotspots(TypedDict):
    by_kind: list[tuple[str | None, int]]  # (place kind's label, reports)
    by_place: list[Mapping[str, Any]]  # rows of .values(), with their count `n`
    by_category: list[Mapping[str, Any]]
    by_place_category: list[Mapping[str, Any]]


def hotspots(*, unit: OrgUnit, start: datetime.date, end: datetime.date) -> Hotspots:
    """Reports by place kind, by place and by category over the period (merged duplicates
    and rejected reports left out, so one incident counts once)."""
    low, high = _day_bounds(start, end)
    reports = (
        PublicReport.objects.under(unit)
        .filter(submitted_at__gte=low, submitted_at__lt=high)
        .exclude(status__in=[ReportStatus.MERGED, ReportStatus.REJECTED])
    )
    kinds = dict(PlaceKind.choices)
    return {
        "by_kind": [
            (str(kinds.get(row["place__kind"], "")) if row["place__kind"] else None, row["n"])
            for row in reports.values("place__kind").annotate(n=Count("pk")).order_by("-n")
        ],
        "by_place": list(
            reports.filter(place__isnull=False)
            .values("place", "place__name", "place__unit__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "place__name")[:20]
        ),
        "by_category": list(
            reports.values("category__code", "category__name", "category__name_en")
            .annotate(n=Count("pk"))
            .order_by("-n", "category__code")
        ),
        "by_place_category": list(
            reports.filter(place__isnull=False)
            .values("place__name", "category__name")
            .annotate(n=Count("pk"))
            .order_by("-n")[:20]
        ),
    }
