"""Figures for a unit's subtree and a period: records by group and type, confirmed rate,
violations per 100 officials, repeat offenders, time from report to decision.

Everything is computed from the records, in a handful of queries whatever the size of the
subtree (grouped counts, then bucketed by child unit in Python).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, Q
from django.db.models.functions import Floor
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civility.conduct.models import Outcome, ViolationRecord
from civility.orgs.models import Official, OrgUnit

# The figures page lists this many repeat offenders at most (the count is always exact).
MAX_OFFENDERS_LISTED = 200


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Row:
    label: str
    total: int = 0
    confirmed: int = 0
    key: str = ""

    @property
    def confirmed_rate(self) -> int | None:
        return round(100 * self.confirmed / self.total) if self.total else None


@dataclass
class UnitRow:
    unit: OrgUnit
    records: int = 0
    confirmed: int = 0
    officials: int = 0

    @property
    def per_100(self) -> float | None:
        return round(100 * self.confirmed / self.officials, 1) if self.officials else None


@dataclass
class RepeatOffender:
    official: Official
    confirmed: int


@dataclass
class Figures:
    unit: OrgUnit
    start: datetime.date
    end: datetime.date
    threshold: int
    total: int = 0
    confirmed: int = 0
    dismissed: int = 0
    open: int = 0
    officials: int = 0
    confirmed_about_officials: int = 0
    groups: list[Row] = field(default_factory=list)
    types: list[Row] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    repeat_offenders: list[RepeatOffender] = field(default_factory=list)
    repeat_offender_count: int = 0
    decided_in_period: int = 0
    mean_days_to_decision: float | None = None
    median_days_to_decision: float | None = None

    @property
    def decided(self) -> int:
        return self.confirmed + self.dismissed

    @property
    def confirmed_rate(self) -> int | None:
        """Confirmed as a share of the records decided (confirmed or dismissed)."""
        return round(100 * self.confirmed / self.decided) if self.decided else None

    @property
    def per_100_officials(self) -> float | None:
        if not self.officials:
            return None
        return round(100 * self.confirmed_about_officials / self.officials, 1)


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def conduct_figures(
    *, unit: OrgUnit, start: datetime.date, end: datetime.date, threshold: int = 2
) -> Figures:
    """Figures for records about `unit` or anything under it that happened in [start, end].

    Repeat offenders: officials with `threshold` or more confirmed records in the 12 months
    ending on `end`. Officials counted: those active in the subtree now.
    """
    figures = Figures(unit=unit, start=start, end=end, threshold=threshold)
    records = ViolationRecord.objects.under(unit).between(start, end)
    confirmed_q = Q(outcome=Outcome.CONFIRMED)

    totals = records.aggregate(
        total=Count("pk"),
        confirmed=Count("pk", filter=confirmed_q),
        dismissed=Count("pk", filter=Q(outcome=Outcome.DISMISSED)),
        open=Count("pk", filter=Q(outcome=Outcome.NONE)),
        about_officials=Count("pk", filter=confirmed_q & Q(official__isnull=False)),
    )
    figures.total = totals["total"]
    figures.confirmed = totals["confirmed"]
    figures.dismissed = totals["dismissed"]
    figures.open = totals["open"]
    figures.confirmed_about_officials = totals["about_officials"]

    unclassified = _("Not classified yet")
    by_type = (
        records.values(
            "type__group_id",
            "type__group__title",
            "type__group__title_en",
            "type__group__position",
            "type__key",
            "type__title",
            "type__title_en",
        )
        .annotate(total=Count("pk"), confirmed=Count("pk", filter=confirmed_q))
        .order_by("type__group__position", "type__key")
    )
    english = get_language() == "en"
    groups: dict[object, Row] = {}
    types: dict[object, Row] = {}
    for row in by_type:
        group_title = row["type__group__title"] or unclassified
        if english and row["type__group__title_en"]:
            group_title = row["type__group__title_en"]
        group = groups.setdefault(row["type__group_id"], Row(label=group_title))
        group.total += row["total"]
        group.confirmed += row["confirmed"]
        type_title = row["type__title"] or unclassified
        if english and row["type__title_en"]:
            type_title = row["type__title_en"]
        # Versions of one type share a code: count them together.
        type_row = types.setdefault(
            row["type__key"], Row(label=type_title, key=row["type__key"] or "")
        )
        type_row.total += row["total"]
        type_row.confirmed += row["confirmed"]
    figures.groups = list(groups.values())
    figures.types = list(types.values())

    # Per child unit: records and officials bucketed by the child whose path they start with.
    children = list(unit.children.order_by("name"))
    rows = {child.path: UnitRow(unit=child) for child in children}
    own = UnitRow(unit=unit)

    def bucket(path: str) -> UnitRow:
        prefix = path[len(unit.path) :].split("/", 1)[0]
        return rows.get(f"{unit.path}{prefix}/", own) if prefix else own

    for by_unit in records.values("unit__path").annotate(
        total=Count("pk"), confirmed=Count("pk", filter=confirmed_q & Q(official__isnull=False))
    ):
        target = bucket(by_unit["unit__path"])
        target.records += by_unit["total"]
        target.confirmed += by_unit["confirmed"]
    for staffed in (
        Official.objects.under(unit).active().values("unit__path").annotate(count=Count("pk"))
    ):
        bucket(staffed["unit__path"]).officials += staffed["count"]
        figures.officials += staffed["count"]
    # Former units (e.g. districts before July 2025) only when they hold data in the period.
    kept = [row for row in rows.values() if row.records or row.officials or row.unit.is_current()]
    figures.units = [own, *kept] if own.records or own.officials else kept

    window_start = year_before(end) + datetime.timedelta(days=1)
    repeat = (
        ViolationRecord.objects.under(unit)
        .confirmed()
        .between(window_start, end)
        .filter(official__isnull=False)
        .values("official")
        .annotate(count=Count("pk"))
        .filter(count__gte=threshold)
        .order_by("-count")
    )
    figures.repeat_offender_count = repeat.count()
    counts = {row["official"]: row["count"] for row in repeat[:MAX_OFFENDERS_LISTED]}
    officials = Official.objects.filter(pk__in=counts).select_related("unit")
    figures.repeat_offenders = sorted(
        (RepeatOffender(official=o, confirmed=counts[o.pk]) for o in officials),
        key=lambda r: (-r.confirmed, r.official.full_name),
    )

    # Whole days from report to decision, averaged in the database.
    days = Floor(
        Func(
            F("decided_at") - F("reported_at"),
            template="EXTRACT(EPOCH FROM %(expressions)s)",
            output_field=FloatField(),
        )
        / 86400
    )
    timing = records.filter(decided_at__isnull=False).aggregate(
        count=Count("pk"), mean=Avg(days), median=Median(days)
    )
    figures.decided_in_period = timing["count"]
    if timing["count"]:
        figures.mean_days_to_decision = round(timing["mean"], 1)
        figures.median_days_to_decision = round(timing["median"], 1)
    return figures
