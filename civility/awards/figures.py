"""Counts for reports: good models by category in a subtree (where each model lives: its
owning unit and the units that took it up, e.g. "47 exemplary cultural quarters, 20 civilized
markets", and apart from them the count-only entries of years that kept only totals), and the
commendation decisions of a period by title."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Q, Sum

from civility.awards.models.decisions import Award, AwardDecision, DecisionSource
from civility.awards.models.good_models import (
    GoodModel,
    ModelCategory,
    ModelStatus,
    ModelTally,
    Replication,
)
from civility.core.i18n import localized
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
        GoodModel.objects.under(unit)
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


@dataclass
class TitleCount:
    title: str
    collectives: int = 0
    individuals: int = 0


@dataclass
class DecisionCounts:
    decisions: int = 0
    recorded: int = 0  # of which recorded for the archive (taken outside Civility)
    titles: list[TitleCount] = field(default_factory=list)


def decision_counts(unit: OrgUnit, start: datetime.date, end: datetime.date) -> DecisionCounts:
    """The decisions dated in the period that commend someone in the subtree, and their
    awards still standing (not revoked) by title: collectives and individuals."""
    awards = Award.objects.counted().under(unit).filter(decision__decided_on__range=(start, end))
    decisions = AwardDecision.objects.filter(pk__in=awards.values("decision")).aggregate(
        total=Count("pk"), recorded=Count("pk", filter=Q(source=DecisionSource.RECORDED))
    )
    titles: dict[str, TitleCount] = {}
    rows = (
        awards.values("title_key", "title__name", "title__name_en")
        .annotate(
            collectives=Count("pk", filter=Q(official__isnull=True)),
            individuals=Count("pk", filter=Q(official__isnull=False)),
        )
        .order_by("title_key", "-title__valid_from")
    )
    for row in rows:
        name = localized(
            SimpleNamespace(name=row["title__name"], name_en=row["title__name_en"]), "name"
        )
        count = titles.setdefault(row["title_key"], TitleCount(name))
        count.collectives += row["collectives"]
        count.individuals += row["individuals"]
    return DecisionCounts(
        decisions=decisions["total"],
        recorded=decisions["recorded"],
        titles=sorted(titles.values(), key=lambda count: count.title),
    )
