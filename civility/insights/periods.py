"""Reporting periods: month, quarter, half-year and year, written in URLs as "2026-03",
"2026-Q1", "2026-H1" and "2026"."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
HALF = "half"
YEAR = "year"
KINDS = (MONTH, QUARTER, HALF, YEAR)
_LENGTH = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")


class PeriodError(ValueError):
    pass


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: datetime.date

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match((text or "").strip())
        if not match:
            raise PeriodError(
                _("Write the period as 2026, 2026-H1, 2026-Q1 or 2026-03, not “%(text)s”.")
                % {"text": text}
            )
        year, month, quarter, half = match.groups()
        year = int(year)
        if not 2000 <= year <= 2100:
            raise PeriodError(_("The year must be between 2000 and 2100."))
        if month:
            return cls(MONTH, datetime.date(year, int(month), 1))
        if quarter:
            return cls(QUARTER, datetime.date(year, 3 * int(quarter) - 2, 1))
        if half:
            return cls(HALF, datetime.date(year, 6 * int(half) - 5, 1))
        return cls(YEAR, datetime.date(year, 1, 1))

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> Period:
        length = _LENGTH[kind]
        month = (day.month - 1) // length * length + 1
        return cls(kind, datetime.date(day.year, month, 1))

    @classmethod
    def current(cls, kind: str) -> Period:
        return cls.containing(kind, timezone.localdate())

    @property
    def end(self) -> datetime.date:
        return _add_months(self.start, _LENGTH[self.kind]) - datetime.timedelta(days=1)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def slug(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == HALF:
            return f"{self.year}-H{(self.start.month - 1) // 6 + 1}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(month)02d/%(year)d") % {"month": self.start.month, "year": self.year}
        if self.kind == QUARTER:
            return _("Quarter %(n)d/%(year)d") % {
                "n": (self.start.month - 1) // 3 + 1,
                "year": self.year,
            }
        if self.kind == HALF:
            return (
                _("First half of %(year)d") % {"year": self.year}
                if self.start.month == 1
                else (_("Second half of %(year)d") % {"year": self.year})
            )
        return _("Year %(year)d") % {"year": self.year}

    def previous(self) -> Period:
        return Period(self.kind, _add_months(self.start, -_LENGTH[self.kind]))

    def following(self) -> Period:
        return Period(self.kind, _add_months(self.start, _LENGTH[self.kind]))

    def months(self) -> list[Period]:
        return [Period(MONTH, _add_months(self.start, i)) for i in range(_LENGTH[self.kind])]

    def last(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    def __str__(self) -> str:
        return self.slug


@dataclass(frozen=True)
class Span:
    """Any run of days, start and end included (the figures API's start..end, as the
    feedback pages take them): not a reporting period, so it has no stored index or rank."""

    start: datetime.date
    end: datetime.date

    @property
    def slug(self) -> str:
        """ISO 8601's interval: 2026-01-05/2026-02-10."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def months(self) -> list[Period]:
        """The months the span touches, oldest first."""
        months = [Period.containing(MONTH, self.start)]
        while months[-1].following().start <= self.end:
            months.append(months[-1].following())
        return months
