"""The rotation due date of posts subject to periodic rotation (Law on Anti-Corruption
2018; Decree 59/2019)."""

from __future__ import annotations

import calendar
import datetime

from django.utils.translation import gettext_lazy as _

# --- Rotation (Law on Anti-Corruption 2018 Art. 24-25; Decree 59/2019) --------------------

DEFAULT_ROTATION_MONTHS = 60  # Directive 24-CT/TU asks for five years
# The rotation of posts applies to staff not in a leadership post; leaders move under a
# separate scheme.
ROTATION_LAW = _("Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2")
# No rotation when under 18 months are left before retirement; rotation deferred during a
# disciplinary review, an investigation, serious illness, pregnancy or a child under 36 months.
ROTATION_EXEMPTIONS = _("Decree 59/2019/NĐ-CP (amended by Decree 134/2021/NĐ-CP), Art. 36, 38, 39")
RETIREMENT_EXEMPTION_MONTHS = 18


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter
    (31 Aug + 6 → 29 Feb in a leap year; 29 Feb + 12 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rotation_due(start: datetime.date, period_months: int | None) -> datetime.date:
    return add_months(start, period_months or DEFAULT_ROTATION_MONTHS)


def retires_before_rotation(
    retirement_date: datetime.date | None, rotation_on: datetime.date
) -> bool | None:
    """Whether fewer than 18 months separate `rotation_on` from retirement (then there is no
    rotation); None when the retirement date is not recorded: to be assessed."""
    if retirement_date is None:
        return None
    return retirement_date < add_months(rotation_on, RETIREMENT_EXEMPTION_MONTHS)
