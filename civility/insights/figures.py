"""Reads for the pages: a unit's index with its components explained, its children ranked,
its trend; all from the index and rollup tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from civility.insights.models import CultureIndex
from civility.insights.periods import Period
from civility.insights.sources import BY_KEY, COMPONENTS
from civility.orgs.models import OrgUnit


@dataclass
class ComponentLine:
    key: str
    label: str
    method: str
    source: str
    unit_label: str
    weight: Decimal
    effective_weight: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    score: Decimal | None
    link: str

    @property
    def missing(self) -> bool:
        return self.score is None


def _dec(text):
    return None if text is None else Decimal(text)


def component_lines(entry: CultureIndex | None, unit: OrgUnit, period: Period) -> list:
    stored = {c["key"]: c for c in (entry.components if entry else [])}
    lines = []
    for component in COMPONENTS:
        data = stored.get(component.key, {})
        lines.append(
            ComponentLine(
                key=component.key,
                label=str(component.label),
                method=str(component.method),
                source=str(component.source),
                unit_label=str(component.unit_label),
                weight=_dec(data.get("weight")) or Decimal(0),
                effective_weight=_dec(data.get("effective_weight")),
                numerator=_dec(data.get("numerator")),
                denominator=_dec(data.get("denominator")),
                value=_dec(data.get("value")),
                score=_dec(data.get("score")),
                link=component.link(unit.pk, period.start, period.end),
            )
        )
    return lines


@dataclass
class RankRow:
    unit: OrgUnit
    entry: CultureIndex | None

    @property
    def score(self):
        return self.entry.score if self.entry else None

    @property
    def rank(self):
        return self.entry.rank if self.entry else None

    @property
    def movement(self):
        return self.entry.movement if self.entry else None

    @property
    def is_bottom(self) -> bool:
        return bool(self.entry and self.entry.is_bottom)

    def value(self, key: str):
        if not self.entry:
            return None
        for component in self.entry.components:
            if component["key"] == key:
                return _dec(component["value"])
        return None


def children_ranked(unit: OrgUnit, period: Period, *, current_only: bool = True) -> list:
    """Every child of `unit` with its index entry (children with no data at the end)."""
    entries = {e.unit_id: e for e in CultureIndex.objects.for_period(period).filter(parent=unit)}
    children = unit.children.all()
    if current_only:
        children = children.current(period.end) | unit.children.filter(pk__in=list(entries))
    rows = [RankRow(child, entries.get(child.pk)) for child in children.distinct()]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return rows


def trend(unit: OrgUnit, period: Period, count: int = 12) -> list[tuple[Period, Decimal | None]]:
    periods = period.last(count)
    scores = dict(
        CultureIndex.objects.filter(
            unit=unit, period_kind=period.kind, period_start__in=[p.start for p in periods]
        ).values_list("period_start", "score")
    )
    return [(p, scores.get(p.start)) for p in periods]


def component_keys() -> list[tuple[str, str]]:
    return [(c.key, str(c.label)) for c in COMPONENTS]


__all__ = ["BY_KEY", "children_ranked", "component_lines", "trend"]
