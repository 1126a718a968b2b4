"""Counts of good models by category in a subtree: where each model lives (its owning unit
and the units that took it up), e.g. "47 exemplary cultural quarters, 20 civilized markets",
and apart from them the count-only entries of years that kept only totals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from civility.awards.models import GoodModel, ModelCategory, ModelStatus, ModelTally, Replication
from civility.orgs.models import OrgUnit


@dataclass
class CategoryCount:
    category: str
    label: str
    models: int  # models started in the subtree
    replications: int  # units in the subtree that took a model up (live)
    # From count-only entries: models known by their number alone, shown as "count only"
    # and never added into `models` (they may be the same models listed later).
    count_only: int = 0

    @property
    def places(self) -> int:
        return self.models + self.replications


def model_counts(unit: OrgUnit, years: tuple[int, int] | None = None) -> list[CategoryCount]:
    """Three grouped queries, whatever the size of the subtree. `years` (first, last) limits
    the count-only entries to those years; without it every year's entries are added up."""
    started = dict(
        GoodModel.objects.filter(unit__path__startswith=unit.path)
        .exclude(status=ModelStatus.STOPPED)
        .values_list("category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    replicated = dict(
        Replication.objects.under(unit)
        .live()
        .values_list("model__category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tallies = ModelTally.objects.under(unit)
    if years is not None:
        tallies = tallies.filter(year__gte=years[0], year__lte=years[1])
    counted = dict(tallies.values_list("category").annotate(n=Sum("count")).order_by())
    return [
        CategoryCount(
            value,
            str(label),
            started.get(value, 0),
            replicated.get(value, 0),
            counted.get(value, 0),
        )
        for value, label in ModelCategory.choices
        if started.get(value) or replicated.get(value) or counted.get(value)
    ]
