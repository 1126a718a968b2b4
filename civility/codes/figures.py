"""Figures computed from records: campaign completion and dissemination summaries.

Every function takes querysets already scoped by the caller (`visible_to(user)`), so a unit
head's figures only ever count their own subtree.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Least, TruncMonth
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from civility.codes.models import (
    RISKY_PLACE_KINDS,
    ActivityKind,
    ActivityPlaceKind,
    ActivityQuerySet,
    Commitment,
    CommitmentCampaign,
    CommitmentQuerySet,
    DisseminationActivity,
    TargetGroup,
)
from civility.orgs.models import OfficialQuerySet, OrgUnit, PlaceQuerySet


@dataclass
class CompletionRow:
    unit: OrgUnit
    total: int
    signed: int
    is_own: bool = False  # officials attached to the focus unit itself, not a child

    @property
    def unsigned(self) -> int:
        return self.total - self.signed

    @property
    def percent(self) -> int:
        return round(100 * self.signed / self.total) if self.total else 0


def _depth(path: str) -> int:
    return len(path.strip("/").split("/"))


def completion(
    campaign: CommitmentCampaign, officials: OfficialQuerySet, focus: OrgUnit
) -> tuple[CompletionRow, list[CompletionRow]]:
    """The whole of `focus`'s subtree, and one row per child unit (plus the unit itself)."""
    signed = Commitment.objects.filter(campaign=campaign, official=OuterRef("pk"))
    counts = (
        officials.filter(unit__path__startswith=focus.path)
        .annotate(has_signed=Exists(signed))
        .values("unit__path")
        .annotate(total=Count("pk"), signed=Count("pk", filter=Q(has_signed=True)))
        .order_by()
    )
    depth = _depth(focus.path)
    by_child: dict[int, list[int]] = {}
    for row in counts:
        parts = row["unit__path"].strip("/").split("/")
        key = int(parts[depth]) if len(parts) > depth else focus.pk
        totals = by_child.setdefault(key, [0, 0])
        totals[0] += row["total"]
        totals[1] += row["signed"]
    units = OrgUnit.objects.in_bulk(list(by_child))
    rows = [
        CompletionRow(units[pk], total, signed_count, is_own=pk == focus.pk)
        for pk, (total, signed_count) in by_child.items()
    ]
    rows.sort(key=lambda row: (not row.is_own, row.unit.name))
    whole = CompletionRow(focus, sum(row.total for row in rows), sum(row.signed for row in rows))
    return whole, rows


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def dissemination_summary(activities: ActivityQuerySet) -> dict[str, Any]:
    """Counts and people reached, by target group, kind and place kind."""
    group_aggregates: dict[str, Aggregate] = {}
    for group in TargetGroup:
        condition = Q(target_groups__contains=[group.value])
        group_aggregates[f"{group.value}__n"] = Count("pk", filter=condition)
        group_aggregates[f"{group.value}__reached"] = Sum("reached", filter=condition, default=0)
    figures = activities.aggregate(
        total=Count("pk"), total_reached=Sum("reached", default=0), **group_aggregates
    )
    by_group = [
        {
            "value": group.value,
            "label": group.label,
            "count": figures[f"{group.value}__n"],
            "reached": figures[f"{group.value}__reached"],
        }
        for group in TargetGroup
    ]

    def grouped(field: str, choices: Iterable[tuple[str, StrOrPromise]]) -> list[dict[str, Any]]:
        rows = {
            row[field]: row
            for row in activities.values(field)
            .annotate(n=Count("pk"), people=Sum("reached", default=0))
            .order_by()
        }
        result = [
            {
                "value": value,
                "label": label,
                "count": rows.get(value, {}).get("n", 0),
                "reached": rows.get(value, {}).get("people", 0),
            }
            for value, label in choices
        ]
        return result

    return {
        "total": figures["total"],
        "reached": figures["total_reached"],
        "by_group": by_group,
        "by_kind": grouped("kind", ActivityKind.choices),
        "by_place_kind": grouped("place_kind", [*ActivityPlaceKind.choices, ("", "—")]),
    }


def places_not_reached(places: PlaceQuerySet, *, since: datetime.date) -> PlaceQuerySet:
    """Places likely to see bad behaviour with no dissemination activity since `since`."""
    recent = DisseminationActivity.objects.filter(place=OuterRef("pk"), held_on__gte=since)
    return (
        places.filter(kind__in=RISKY_PLACE_KINDS)
        .exclude(Exists(recent))
        .annotate(last_reached=Max("dissemination_activities__held_on"))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


# --- Reported reach against verified reach -----------------------------------------------

HUNDRED = Value(Decimal(100), output_field=DecimalField(max_digits=9, decimal_places=2))


def self_assessment_gaps(
    activities: ActivityQuerySet | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Verified dissemination activities (`activities`, scoped by the caller) per unit and
    month held: how many, and in points out of 100 per activity the unit's own report
    (always 100: its figure as it stands), the share of its reported reach the verifier
    confirmed (`DisseminationActivity.verified_share`) and the gap between them, summed so
    that they add up the tree."""
    rows = (
        (DisseminationActivity.objects.all() if activities is None else activities)
        .verified()
        .annotate(
            month=TruncMonth("held_on"),
            confirmed=Case(
                When(reached=0, then=HUNDRED),
                default=Least(HUNDRED, HUNDRED * F("verified_reached") / F("reached")),
                output_field=DecimalField(max_digits=9, decimal_places=2),
            ),
        )
    )
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lte=end)
    # values() rows are plain dicts; the Django plugin types them as a TypedDict.
    return cast(
        list[dict[str, Any]],
        list(
            rows.values("unit_id", "month")
            .annotate(
                n=Count("pk"),
                self_sum=Count("pk") * HUNDRED,
                verified_sum=Sum("confirmed"),
                abs_gap_sum=Count("pk") * HUNDRED - Sum("confirmed"),
            )
            .order_by()
        ),
    )


def commitment_gaps(
    commitments: CommitmentQuerySet | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Verified paper signatures (`commitments`, scoped by the caller) per official's unit
    and month signed: how many, and in points out of 100 per signature the unit's record
    (100: "signed"), the verification (100 when the scanned sheet holds, 0 when not) and
    the gap between them, summed so that they add up the tree."""
    rows = (
        (Commitment.objects.all() if commitments is None else commitments)
        .verified()
        .annotate(
            month=TruncMonth(
                "signed_at", output_field=DateField(), tzinfo=timezone.get_current_timezone()
            )
        )
    )
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lte=end)
    held = Count("pk", filter=Q(scan_confirmed=True))
    # values() rows are plain dicts; the Django plugin types them as a TypedDict.
    return cast(
        list[dict[str, Any]],
        list(
            rows.values("month", unit_id=F("official__unit_id"))
            .annotate(
                n=Count("pk"),
                self_sum=Count("pk") * HUNDRED,
                verified_sum=held * HUNDRED,
                abs_gap_sum=(Count("pk") - held) * HUNDRED,
            )
            .order_by()
        ),
    )
