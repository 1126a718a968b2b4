"""Counts of good models by category in a subtree: where each model lives (its owning unit
and the units that took it up), e.g. "47 exemplary cultural quarters, 20 civilized markets"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from civility.awards.models import GoodModel, ModelCategory, ModelStatus, Replication
from civility.orgs.models import OrgUnit


@dataclass
class CategoryCount:
    category: str
    label: str
    models: int  # models started in the subtree
    replications: int  # units in the subtree that took a model up (live)

    @property
    def places(self) -> int:
        return self.models + self.replications


def model_counts(unit: OrgUnit) -> list[CategoryCount]:
    """Two grouped queries, whatever the size of the subtree."""
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
    return [
        CategoryCount(value, str(label), started.get(value, 0), replicated.get(value, 0))
        for value, label in ModelCategory.choices
        if started.get(value) or replicated.get(value)
    ]
