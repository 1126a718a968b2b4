"""Self-assessment against evidence: how far units' own scores stand from the verified ones.

Four places hold a self-score next to a verified one, each kept apart and never written
over the other:

- monthly evaluations: the official's self-assessed total against the total the head
  approved (`Evaluation.self_total` / `total`), both out of 100 points;
- programme tasks: the progress a unit reported against the progress the assigning unit
  verified from the report's evidence (`TaskUpdate.progress` / `verified_progress`), in
  percentage points;
- commitment reports: a paper signature a unit recorded (100) against whether the level
  above found the scanned sheet holds (100 or 0; `Commitment.scan_confirmed`);
- dissemination reports: a unit's reported reach (100) against the share of it the level
  above confirmed from the attachments (`DisseminationActivity.verified_share`).

Each app's `self_assessment_gaps` selector gives, per unit and month, the count and sums
(self, verified, absolute gap); this module adds them up a focus unit's subtree (the whole,
and each child's subtree) by month or quarter. A positive gap means the unit scored itself
above what was verified. Only verified records count: no verification is no data, never 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext_lazy as _

from civility.codes import figures as code_figures
from civility.codes.models import Commitment, DisseminationActivity
from civility.evaluations import figures as evaluation_figures
from civility.evaluations.models import Evaluation
from civility.orgs.models import OrgUnit
from civility.programmes import figures as programme_figures
from civility.programmes.models import TaskUpdate

ZERO = Decimal(0)
MONTH, QUARTER = "month", "quarter"
GROUPINGS = ((MONTH, _("Month")), (QUARTER, _("Quarter")))


def _q1(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Cell:
    """Verified records counted together: sums, so that cells add up."""

    n: int = 0
    self_sum: Decimal = ZERO
    verified_sum: Decimal = ZERO
    abs_gap_sum: Decimal = ZERO

    def add(self, row: Mapping[str, Any]) -> None:
        """Add a row of a `self_assessment_gaps` selector."""
        self.n += int(row["n"] or 0)
        self.self_sum += Decimal(row["self_sum"] or 0)
        self.verified_sum += Decimal(row["verified_sum"] or 0)
        self.abs_gap_sum += Decimal(row["abs_gap_sum"] or 0)

    @property
    def self_mean(self) -> Decimal | None:
        return _q1(self.self_sum / self.n) if self.n else None

    @property
    def verified_mean(self) -> Decimal | None:
        return _q1(self.verified_sum / self.n) if self.n else None

    @property
    def gap(self) -> Decimal | None:
        """Mean self-score minus mean verified score, in points (positive: over-scored)."""
        return _q1((self.self_sum - self.verified_sum) / self.n) if self.n else None

    @property
    def abs_gap(self) -> Decimal | None:
        return _q1(self.abs_gap_sum / self.n) if self.n else None


@dataclass(frozen=True)
class Source:
    key: str
    label: object
    method: object
    # (user, focus unit, start, end) -> rows of the app's selector, scoped to the user
    rows: Callable[
        [User | AnonymousUser, OrgUnit, datetime.date, datetime.date],
        Sequence[Mapping[str, Any]],
    ]


def _evaluation_rows(
    user: User | AnonymousUser, focus: OrgUnit, start: datetime.date, end: datetime.date
) -> Sequence[Mapping[str, Any]]:
    records = Evaluation.objects.visible_to(user).under(focus)
    return evaluation_figures.self_assessment_gaps(records, start=start, end=end)


def _task_rows(
    user: User | AnonymousUser, focus: OrgUnit, start: datetime.date, end: datetime.date
) -> Sequence[Mapping[str, Any]]:
    records = TaskUpdate.objects.visible_to(user).under(focus)
    return programme_figures.self_assessment_gaps(records, start=start, end=end)


def _commitment_rows(
    user: User | AnonymousUser, focus: OrgUnit, start: datetime.date, end: datetime.date
) -> Sequence[Mapping[str, Any]]:
    records = Commitment.objects.visible_to(user).under(focus)
    return code_figures.commitment_gaps(records, start=start, end=end)


def _dissemination_rows(
    user: User | AnonymousUser, focus: OrgUnit, start: datetime.date, end: datetime.date
) -> Sequence[Mapping[str, Any]]:
    records = DisseminationActivity.objects.visible_to(user).under(focus)
    return code_figures.self_assessment_gaps(records, start=start, end=end)


SOURCES: tuple[Source, ...] = (
    Source(
        key="evaluations",
        label=_("Monthly evaluations"),
        method=_(
            "The official's self-assessed total against the total the head approved, in "
            "points out of 100; approved evaluations only."
        ),
        rows=_evaluation_rows,
    ),
    Source(
        key="programmes",
        label=_("Programme progress reports"),
        method=_(
            "The progress a unit reported against the progress the assigning unit verified "
            "from the report's evidence, in percentage points; verified reports only."
        ),
        rows=_task_rows,
    ),
    Source(
        key="commitments",
        label=_("Paper commitments"),
        method=_(
            "A paper signature recorded by a unit (100 points) against whether the level "
            "above found that the scanned sheet holds (100) or not (0); verified ones only."
        ),
        rows=_commitment_rows,
    ),
    Source(
        key="dissemination",
        label=_("Dissemination reports"),
        method=_(
            "A unit's reported number of people reached (100 points) against the share of it "
            "the level above confirmed from the attachments; verified reports only."
        ),
        rows=_dissemination_rows,
    ),
)


def period_start(month: datetime.date, by: str) -> datetime.date:
    if by == QUARTER:
        return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)
    return month.replace(day=1)


def period_label(start: datetime.date, by: str) -> str:
    if by == QUARTER:
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    return start.strftime("%m/%Y")


def periods_between(start: datetime.date, end: datetime.date, by: str) -> list[datetime.date]:
    step = 3 if by == QUARTER else 1
    current, last = period_start(start, by), period_start(end, by)
    periods = []
    while current <= last:
        periods.append(current)
        index = current.year * 12 + current.month - 1 + step
        current = datetime.date(index // 12, index % 12 + 1, 1)
    return periods


@dataclass
class UnitRow:
    unit: OrgUnit
    is_whole: bool = False  # the focus unit's whole subtree
    is_own: bool = False  # records of the focus unit itself, not of a child
    cells: dict[datetime.date, Cell] = field(default_factory=dict)
    overall: Cell = field(default_factory=Cell)
    line: list[Cell | None] = field(default_factory=list)  # one per period shown, in order

    def add(self, period: datetime.date, row: Mapping[str, Any]) -> None:
        self.cells.setdefault(period, Cell()).add(row)
        self.overall.add(row)


@dataclass
class SourceTable:
    source: Source
    periods: list[datetime.date]
    whole: UnitRow
    rows: list[UnitRow]  # the focus unit's own records, then each child's subtree


def gap_tables(
    user: User | AnonymousUser,
    focus: OrgUnit,
    *,
    start: datetime.date,
    end: datetime.date,
    by: str = MONTH,
) -> list[SourceTable]:
    """Per source, the gap of the focus unit's subtree and of each child's, by period.
    The caller has checked that the user may see `focus`; the rows are scoped again."""
    periods = periods_between(start, end, by)
    results = [(source, source.rows(user, focus, start, end)) for source in SOURCES]
    unit_ids = {row["unit_id"] for _source, rows in results for row in rows}
    depth = len(focus.path.strip("/").split("/"))
    # Each record's unit, to the child of the focus unit whose subtree holds it.
    child_of: dict[int, int] = {}
    for unit_id, path in OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "path"):
        parts = path.strip("/").split("/")
        child_of[unit_id] = int(parts[depth]) if len(parts) > depth else focus.pk
    units = OrgUnit.objects.in_bulk(set(child_of.values()) - {focus.pk})
    units[focus.pk] = focus
    tables = []
    for source, rows in results:
        whole = UnitRow(focus, is_whole=True)
        by_child: dict[int, UnitRow] = {}
        for row in rows:
            key = child_of[row["unit_id"]]
            period = period_start(row["month"], by)
            whole.add(period, row)
            if key not in by_child:
                by_child[key] = UnitRow(units[key], is_own=key == focus.pk)
            by_child[key].add(period, row)
        ordered = sorted(by_child.values(), key=lambda r: (not r.is_own, r.unit.name))
        for unit_row in [whole, *ordered]:
            unit_row.line = [unit_row.cells.get(period) for period in periods]
        tables.append(SourceTable(source, periods, whole, ordered))
    return tables


def export_rows(tables: list[SourceTable], by: str) -> list[list[object]]:
    """One line per source, unit and period with data: the long form, for spreadsheets."""
    lines: list[list[object]] = []
    for table in tables:
        for unit_row in [table.whole, *table.rows]:
            if unit_row.is_whole:
                scope = _("whole subtree")
            elif unit_row.is_own:
                scope = _("unit itself")
            else:
                scope = _("subtree")
            for period in table.periods:
                cell = unit_row.cells.get(period)
                if cell is None:
                    continue
                lines.append(
                    [
                        str(table.source.label),
                        unit_row.unit.display_name,
                        str(scope),
                        period_label(period, by),
                        cell.n,
                        cell.self_mean,
                        cell.verified_mean,
                        cell.gap,
                        cell.abs_gap,
                    ]
                )
    return lines


def export_headers() -> list[str]:
    return [
        str(_("Source")),
        str(_("Unit")),
        str(_("Counted")),
        str(_("Period")),
        str(_("Verified records")),
        str(_("Mean self-score")),
        str(_("Mean verified score")),
        str(_("Gap (points)")),
        str(_("Mean absolute gap (points)")),
    ]
