"""Demo: the index of every unit for the last twelve months, the quarters, halves and
years they fall in, computed from the demo records the other apps loaded. Idempotent:
rollups and index rows are replaced, never added."""

from __future__ import annotations

import datetime

from django.utils import timezone

from civility.insights import actions
from civility.insights.models import WeightSet
from civility.insights.periods import KINDS, Period
from civility.insights.sources import DEFAULT_WEIGHTS
from civility.orgs.models import OrgUnit


def periods_back(today: datetime.date, months: int = 12) -> list[Period]:
    month = Period.containing("month", today)
    periods = set(month.last(months))
    for period in list(periods):
        for kind in KINDS[1:]:
            periods.add(Period.containing(kind, period.start))
    return sorted(periods, key=lambda p: p.start)


def load_demo(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    hanoi = OrgUnit.objects.filter(parent__isnull=True, code="01").first()
    if hanoi is not None:
        WeightSet.objects.get_or_create(
            unit=hanoi, year=today.year, defaults={"weights": dict(DEFAULT_WEIGHTS)}
        )
    periods = periods_back(today)
    actions.refresh(periods=periods, today=today)
    return len(periods)
