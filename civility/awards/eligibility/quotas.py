"""The title version that applies to a unit in a year, and the quotas units set on titles:
what each allows and what is used of it."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.awards.eligibility.lines import Line, Status
from civility.awards.models.catalogue import AwardTitle, Quota, QuotaBase
from civility.awards.models.decisions import Award
from civility.awards.models.nominations import Nomination
from civility.core.i18n import format_number
from civility.orgs.models import Official, OrgUnit


def title_for(unit: OrgUnit, key: str, year: int) -> AwardTitle | None:
    """The version of title `key` in the catalogue applying to `unit`, in force at the end of
    `year` (the year's achievements are judged under the rules of that year)."""
    return (
        AwardTitle.objects.for_unit(unit)
        .in_force(datetime.date(year, 12, 31))
        .filter(key=key)
        .order_by("-unit__depth")
        .first()
    )


# --- Quotas ------------------------------------------------------------------------------


@dataclass
class QuotaUse:
    quota: Quota
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return self.limit - self.used


def quota_limit(quota: Quota, year: int) -> int:
    limits: list[int] = []
    if quota.max_count is not None:
        limits.append(quota.max_count)
    if quota.max_percent is not None:
        if quota.percent_of == QuotaBase.TITLE:
            base = (
                Nomination.objects.counted()
                .under(quota.unit)
                .filter(title__key=quota.percent_of_key, year=year)
                .count()
            )
        else:
            base = Official.objects.under(quota.unit).active().count()
        limits.append(math.floor(base * quota.max_percent / 100))
    return min(limits)


def quota_uses(
    *, unit: OrgUnit, title_key: str, year: int, awarded_only: bool = False
) -> list[QuotaUse]:
    """Every quota that applies to a nominee in `unit`, with what is used of it: counted
    nominations at proposal, awards at decision."""
    uses = []
    for quota in Quota.objects.applying_to(unit, title_key, year).select_related("unit"):
        if awarded_only:
            used = (
                Award.objects.counted()
                .under(quota.unit)
                .filter(title_key=title_key, year=year)
                .count()
            )
        else:
            used = (
                Nomination.objects.counted()
                .under(quota.unit)
                .filter(title__key=title_key, year=year)
                .count()
            )
        uses.append(QuotaUse(quota=quota, limit=quota_limit(quota, year), used=used))
    return uses


def no_quota_line() -> Line:
    return Line(
        "quota",
        Status.MET,
        _("No quota set for this title (no legal quota is known; a unit may set one)."),
    )


def quota_line(*, unit: OrgUnit, title: AwardTitle, year: int, already_counted: bool) -> Line:
    uses = quota_uses(unit=unit, title_key=title.key, year=year)
    if not uses:
        return no_quota_line()
    texts, status = [], Status.MET
    for use in uses:
        params = {
            "unit": use.quota.unit.display_name,
            "used": format_number(use.used),
            "limit": format_number(use.limit),
            "source": use.quota.source,
        }
        if use.remaining <= 0 and not already_counted:
            status = Status.NOT_MET
            texts.append(
                ngettext(
                    "Quota of %(unit)s reached: %(used)s of %(limit)s place taken (%(source)s).",
                    "Quota of %(unit)s reached: %(used)s of %(limit)s places taken (%(source)s).",
                    use.limit,
                )
                % params
            )
        else:
            texts.append(
                ngettext(
                    "Quota of %(unit)s: %(used)s of %(limit)s place taken (%(source)s).",
                    "Quota of %(unit)s: %(used)s of %(limit)s places taken (%(source)s).",
                    use.limit,
                )
                % params
            )
    return Line("quota", status, " ".join(texts))
