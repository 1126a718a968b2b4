"""Former units and what became of them: the shares that went where, and past figures seen
through today's units.

A former unit (a ward of 2024, a district abolished on 1 July 2025) is linked to its
successors by `Succession` rows, each with the share of the former unit that went there. A
figure of a former unit maps forward as value × share into each successor, and on through
successors that ended in turn, until it reaches units that exist on the day asked. Where
any share on the way is an equal split (the resolution gives no area or population), the
mapped value is an estimate and says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from civility.orgs.models import OrgUnit, Succession

SHARE_PLACES = Decimal("0.000001")
# Shares copied from a document are often rounded (33.33 %, 33.33 %, 33.33 %).
SUM_TOLERANCE = Decimal("0.0001")
# Successions never chain this deep; a longer chain is a loop in the data.
MAX_STEPS = 8


def equal_shares(count: int) -> list[Decimal]:
    """`count` shares of 1 that add up to exactly 1 (the last takes the rounding)."""
    if count <= 0:
        return []
    share = (Decimal(1) / count).quantize(SHARE_PLACES, ROUND_HALF_UP)
    return [share] * (count - 1) + [Decimal(1) - share * (count - 1)]


def shares_add_up(shares: Iterable[Decimal]) -> bool:
    return abs(sum(shares, Decimal(0)) - 1) <= SUM_TOLERANCE


def replace_successions(
    predecessor: OrgUnit, links: list[tuple[OrgUnit, Decimal, str]], *, source: str
) -> None:
    """Make `links` (successor, share, basis) the whole of where `predecessor` went.

    Raises ValueError when the shares do not add up to 1: a figure mapped forward would
    gain or lose part of itself."""
    if links and not shares_add_up(share for _unit, share, _basis in links):
        raise ValueError(predecessor.name)
    Succession.objects.filter(predecessor=predecessor).exclude(
        successor__in=[unit for unit, _share, _basis in links]
    ).delete()
    present = {row.successor_id: row for row in Succession.objects.filter(predecessor=predecessor)}
    for unit, share, basis in links:
        row = present.get(unit.pk)
        if row is None:
            Succession.objects.create(
                predecessor=predecessor, successor=unit, share=share, basis=basis, source=source
            )
        elif (row.share, row.basis, row.source) != (share, basis, source):
            row.share, row.basis, row.source = share, basis, source
            row.save(update_fields=["share", "basis", "source"])


@dataclass(frozen=True)
class Mapped:
    """A figure carried into one of today's units: its value, and whether an equal split
    (not an area or population share) was used on the way."""

    value: Decimal
    estimate: bool


@dataclass(frozen=True)
class Destination:
    unit: OrgUnit
    share: Decimal
    estimate: bool

    @property
    def percent(self) -> Decimal:
        return self.share * 100


def destinations(
    units: Iterable[OrgUnit], *, on: datetime.date | None = None
) -> dict[int, list[Destination]]:
    """For each unit, the units in existence on `on` (today by default) that it went into,
    with the share of it each received: the unit itself, whole, when it still exists. A
    former unit with no successor recorded goes nowhere (an empty list)."""
    day = on or timezone.localdate()
    units = list(units)
    # (origin, unit reached, share so far, estimate so far)
    frontier = [(unit.pk, unit, Decimal(1), False) for unit in units]
    result: dict[int, dict[int, Destination]] = {unit.pk: {} for unit in units}
    for _step in range(MAX_STEPS):
        pending = []
        for origin, unit, share, estimate in frontier:
            if unit.is_current(day):
                found = result[origin].get(unit.pk)
                if found is not None:
                    share, estimate = share + found.share, estimate or found.estimate
                result[origin][unit.pk] = Destination(unit, share, estimate)
            else:
                pending.append((origin, unit, share, estimate))
        if not pending:
            break
        links = Succession.objects.filter(
            predecessor__in={unit.pk for _o, unit, _s, _e in pending}
        ).select_related("successor")
        by_predecessor: dict[int, list[Succession]] = {}
        for link in links:
            by_predecessor.setdefault(link.predecessor_id, []).append(link)
        frontier = [
            (origin, link.successor, share * link.share, estimate or link.is_estimate())
            for origin, unit, share, estimate in pending
            for link in by_predecessor.get(unit.pk, [])
        ]
    return {
        origin: sorted(found.values(), key=lambda d: d.unit.name)
        for origin, found in result.items()
    }


def map_forward(
    figures: Mapping[int, Decimal | int | float],
    *,
    on: datetime.date | None = None,
    through: Mapping[int, list[Destination]] | None = None,
) -> dict[int, Mapped]:
    """Figures of units (by id), past or present, as figures of the units in existence on
    `on` (today by default): each former unit's value is shared among what it went into.
    A value that went through an equal split is an estimate. `through` is what
    destinations() gave for these units, to map several figures of them with one lookup."""
    if through is None:
        through = destinations(OrgUnit.objects.filter(pk__in=list(figures)), on=on)
    totals: dict[int, Mapped] = {}
    for origin, targets in through.items():
        if origin not in figures:
            continue
        value = Decimal(str(figures[origin]))
        for target in targets:
            before = totals.get(target.unit.pk, Mapped(Decimal(0), False))
            totals[target.unit.pk] = Mapped(
                before.value + value * target.share, before.estimate or target.estimate
            )
    return totals
