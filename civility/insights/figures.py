"""Reads for the pages: a unit's index with its components explained, its children ranked,
its trend; all from the index and rollup tables."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from civility.insights.index import NOT_ENOUGH, SHRUNK
from civility.insights.models import ComponentFigure, CultureIndex
from civility.insights.periods import Period
from civility.insights.sources import BY_KEY, COMPONENTS
from civility.orgs.history import Mapped, destinations, map_forward
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, Succession


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


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
    treatment: str = ""
    estimate: Decimal | None = None
    score_low: Decimal | None = None
    score_high: Decimal | None = None
    note: str = ""  # why the figure is shrunk or left out, with its sample

    @property
    def missing(self) -> bool:
        return self.score is None

    @property
    def is_shrunk(self) -> bool:
        return self.treatment == SHRUNK

    @property
    def not_enough(self) -> bool:
        return self.treatment == NOT_ENOUGH


def small_sample_note(data: dict[str, Any], names: dict[int, str]) -> str:
    """ "Shrunk toward Tỉnh Sơn La's figure (72.10): 12 ratings, 30 needed", or "Not enough data:
    12 ratings, 30 needed"; empty for a figure ranked as it is."""
    treatment = data.get("treatment") or ""
    if not treatment:
        return ""
    component = BY_KEY[data["key"]]
    sample = component.sample_label % {"n": int(Decimal(data["denominator"]))}
    if treatment == SHRUNK:
        return _("Shrunk toward %(unit)s's figure (%(value)s): %(sample)s, %(needed)s needed.") % {
            "unit": names.get(data["toward"], "?"),
            "value": number_format(Decimal(data["toward_value"]), 2),
            "sample": sample,
            "needed": data["min_sample"],
        }
    return _("Not enough data: %(sample)s, %(needed)s needed.") % {
        "sample": sample,
        "needed": data["min_sample"],
    }


def toward_names(entries: Iterable[CultureIndex | None]) -> dict[int, str]:
    """The names of the units figures were shrunk toward, in one query for all entries."""
    ids = {c["toward"] for entry in entries if entry for c in entry.components if c.get("toward")}
    if not ids:
        return {}
    return {unit.pk: unit.display_name for unit in OrgUnit.objects.filter(pk__in=ids)}


def component_lines(
    entry: CultureIndex | None, unit: OrgUnit, period: Period
) -> list[ComponentLine]:
    stored = {c["key"]: c for c in (entry.components if entry else [])}
    names = toward_names([entry])
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
                treatment=data.get("treatment") or "",
                estimate=_dec(data.get("estimate")),
                score_low=_dec(data.get("score_low")),
                score_high=_dec(data.get("score_high")),
                note=small_sample_note(data, names) if data else "",
            )
        )
    return lines


@dataclass
class RankRow:
    unit: OrgUnit
    entry: CultureIndex | None
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (key, label, note)

    @property
    def score(self) -> Decimal | None:
        return self.entry.score if self.entry else None

    @property
    def low(self) -> Decimal | None:
        return self.entry.score_low if self.entry else None

    @property
    def high(self) -> Decimal | None:
        return self.entry.score_high if self.entry else None

    @property
    def rank(self) -> int | None:
        return self.entry.rank if self.entry else None

    @property
    def previous_rank(self) -> int | None:
        return self.entry.previous_rank if self.entry else None

    @property
    def movement(self) -> int | None:
        return self.entry.movement if self.entry else None

    @property
    def score_change(self) -> Decimal | None:
        return self.entry.score_change if self.entry else None

    @property
    def score_change_text(self) -> str:
        change = self.score_change
        return "" if change is None else f"{change:+.2f}"

    @property
    def is_bottom(self) -> bool:
        return bool(self.entry and self.entry.is_bottom)

    def value(self, key: str) -> Decimal | None:
        """The figure the unit is ranked on: the shrunk estimate where there is one."""
        data = self._component(key)
        if data is None or data.get("treatment") == NOT_ENOUGH:
            return None
        return _dec(data.get("estimate") or data["value"])

    def _component(self, key: str) -> dict[str, Any] | None:
        return self._components.get(key)

    @cached_property
    def _components(self) -> dict[str, dict[str, Any]]:
        # value() is called for every component of every row of a ranking.
        return {c["key"]: c for c in self.entry.components} if self.entry else {}


def children_ranked(unit: OrgUnit, period: Period, *, current_only: bool = True) -> list[RankRow]:
    """Every child of `unit` with its index entry (children with no data at the end), and
    the notes of the figures shrunk or left out for a small sample."""
    entries = {e.unit_id: e for e in CultureIndex.objects.for_period(period).filter(parent=unit)}
    children = unit.children.all()
    if current_only:
        children = children.valid_on(period.end) | unit.children.filter(pk__in=list(entries))
    names = toward_names(entries.values())
    rows = []
    for child in children.distinct():
        entry = entries.get(child.pk)
        notes = [
            (c["key"], str(BY_KEY[c["key"]].label), small_sample_note(c, names))
            for c in (entry.components if entry else [])
            if c.get("treatment") and c["key"] in BY_KEY
        ]
        rows.append(RankRow(child, entry, notes))
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return rows


@dataclass(frozen=True)
class SiblingRow:
    """A unit among its siblings as anyone ranked with it may see it: rank, score and band,
    nothing of the components (public scorecards show the same)."""

    unit_id: int
    name: str
    rank: int | None
    score: Decimal | None
    low: Decimal | None
    high: Decimal | None
    is_self: bool


def siblings_ranked(unit: OrgUnit, period: Period) -> list[SiblingRow]:
    """`unit` and the other children of its parent, ranked as children_ranked() ranks the
    parent's children (the same rows, so the two pages never disagree). Empty for a root."""
    if unit.parent is None:
        return []
    return [
        SiblingRow(
            unit_id=row.unit.pk,
            name=row.unit.display_name,
            rank=row.rank,
            score=row.score,
            low=row.low,
            high=row.high,
            is_self=row.unit.pk == unit.pk,
        )
        for row in children_ranked(unit.parent, period)
    ]


def ranking_version(rows: list[RankRow]) -> str:
    """Changes whenever what the ranking table shows can change: the index is recomputed
    (its rows are written anew, with new ids) or a child unit is edited. The page caches
    the rendered table under it, since drawing 126 communes' rows is most of the page."""
    digest = hashlib.blake2b(digest_size=12)
    for row in rows:
        entry_id = row.entry.pk if row.entry else ""
        digest.update(f"{row.unit.pk}:{row.unit.updated_at.timestamp()}:{entry_id};".encode())
    return digest.hexdigest()


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


# --- A past period in today's units -------------------------------------------------------


@dataclass(frozen=True)
class TodayLine:
    """One component of one of today's units, carried forward from the units of the time:
    its counts (None where not a count), the rate recomputed from them, or not mappable."""

    key: str
    label: str
    unit_label: str
    numerator: Mapped | None
    denominator: Mapped
    value: Decimal | None

    @property
    def mappable(self) -> bool:
        return self.numerator is not None

    @property
    def estimate(self) -> bool:
        return self.denominator.estimate or bool(self.numerator and self.numerator.estimate)


@dataclass
class TodayRow:
    unit: OrgUnit
    lines: list[TodayLine]


def has_former_units(rows: list[RankRow], *, today: datetime.date | None = None) -> bool:
    """Whether a ranking holds figures of units that no longer exist (a period before
    1 July 2025 in Hanoi), so that it can also be shown in today's units."""
    return any(row.entry and not row.unit.is_current(today) for row in rows)


Parts = dict[int, dict[str, tuple[Decimal, Decimal]]]  # unit id -> key -> (num, den)
ZERO = Decimal(0)


def parts_of_the_time(rows: list[RankRow], *, today: datetime.date | None = None) -> Parts:
    """The counts to carry forward, by unit of the time. A row's unit that still exists, or
    a former ward, is one part. A former district is split as the tree was then: each of
    its former wards and communes that has successors of its own is a part (carried by its
    own shares, often measured by area or population), and what is left (records of the
    district itself) stays the district's, carried by its shares (the importer's equal
    split of its wards: an estimate). Mapping the district's total through its split
    instead would label everything an estimate and move a ward's facts into a ward it
    never went into."""
    entries = [(row.unit, row.entry) for row in rows if row.entry is not None]
    parts: Parts = {
        unit.pk: {
            c["key"]: (Decimal(c.get("numerator") or 0), Decimal(c["denominator"]))
            for c in entry.components
            if c.get("denominator")
        }
        for unit, entry in entries
    }
    day = today or timezone.localdate()
    former = [unit for unit, _entry in entries if not unit.is_current(day)]
    if not former:
        return parts
    under = Q(pk__in=[])
    for unit in former:
        under |= Q(unit__path__startswith=unit.path)
    first = entries[0][1]
    wards = (
        ComponentFigure.objects.filter(
            period_kind=first.period_kind, period_start=first.period_start
        )
        .filter(under, unit__kind__in=COMMUNE_LEVEL_KINDS, unit__valid_to__lt=day)
        .exclude(unit__in=former)
        .filter(Exists(Succession.objects.filter(predecessor=OuterRef("unit"))))
        .values_list("unit_id", "unit__path", "component", "numerator", "denominator")
    )
    for unit_id, path, key, numerator, denominator in wards:
        parts.setdefault(unit_id, {})[key] = (numerator, denominator)
        # Wards and communes do not nest: each is taken from the one row holding it.
        holder = next(unit.pk for unit in former if path.startswith(unit.path))
        if key in parts[holder]:
            num, den = parts[holder][key]
            # Never below nothing: a counter serving a ward sits elsewhere in the tree.
            parts[holder][key] = (max(num - numerator, ZERO), max(den - denominator, ZERO))
    for figures in parts.values():
        for key, (num, den) in list(figures.items()):
            if not num and not den:
                del figures[key]  # nothing left to carry: no estimate to mark
    return parts


def in_todays_units(rows: list[RankRow], *, today: datetime.date | None = None) -> list[TodayRow]:
    """The counts of a ranking's units (children_ranked() rows of a past period) carried
    into the units of `today` through the successor shares (orgs.history.map_forward),
    from the finest units of the time that have shares of their own (parts_of_the_time).
    Only counts travel; a rate is recomputed from carried counts by its component's own
    formula when both are counts, else it is not mappable; index scores never are."""
    parts = parts_of_the_time(rows, today=today)
    through = destinations(OrgUnit.objects.filter(pk__in=list(parts)), on=today)
    lines: dict[int, list[TodayLine]] = {}
    for component in COMPONENTS:
        stored = {pk: found[component.key] for pk, found in parts.items() if component.key in found}
        if not stored:
            continue
        denominators = map_forward({pk: den for pk, (_num, den) in stored.items()}, through=through)
        numerators = (
            map_forward({pk: num for pk, (num, _den) in stored.items()}, through=through)
            if component.numerator_is_count
            else {}
        )
        for pk, denominator in denominators.items():
            numerator = numerators.get(pk)
            lines.setdefault(pk, []).append(
                TodayLine(
                    key=component.key,
                    label=str(component.label),
                    unit_label=str(component.unit_label),
                    numerator=numerator,
                    denominator=denominator,
                    value=None
                    if numerator is None
                    else component.value(numerator.value, denominator.value),
                )
            )
    units = OrgUnit.objects.in_bulk(list(lines))
    return sorted(
        (TodayRow(units[pk], found) for pk, found in lines.items()),
        key=lambda row: row.unit.name,
    )
