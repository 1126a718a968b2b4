"""Bonus money and the base salaries it is computed from.

A bonus is a multiple of the base salary in force on the decision date, rounded up to the
tens of thousands of đồng (Decree 98/2023/NĐ-CP Art. 53 cl. 1–2, the same rule as Decree
91/2017 Art. 68; multipliers in Art. 54). Whether Decree 152/2025 keeps the rounding was not
found: for decisions under it the rounding is a setting (civility.awards.policies).

`BonusRule` is the one definition of a bonus amount: commendation decisions and cultural
titles (civility.programmes) both compute their money with it. Base salaries are national
rows kept by system administrators; a row read on a secondary source only is marked "to be
confirmed" and so is every bonus computed from it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civility.awards.models.catalogue import BaseSalary
from civility.awards.models.roles import AnyUser
from civility.awards.policies import BONUS_ROUNDING_DECREE_152
from civility.awards.rules import (
    DECREE_91_2017_ART_68,
    DECREE_98_2023_ART_53,
    DECREE_152_2025,
    LAW_2003,
    rule_set_on,
)
from civility.core.audit import acting_as
from civility.core.i18n import format_number
from civility.orgs.models import OrgUnit
from civility.orgs.policies import policy
from civility.orgs.scopes import scope_of

ROUNDING_STEP = Decimal(10_000)


def round_up_to_ten_thousand(amount: Decimal) -> Decimal:
    return (amount / ROUNDING_STEP).to_integral_value(rounding=ROUND_CEILING) * ROUNDING_STEP


def money(amount: Decimal) -> str:
    return format_number(amount, 0)


@dataclass(frozen=True)
class BonusRule:
    """How bonuses decided on `day` are computed: the base salary row in force that day and
    whether (and on what ground) amounts are rounded up."""

    day: datetime.date
    base_salary: BaseSalary | None
    rounds_up: bool
    rounding_ground: str  # an article, or the setting's explanation
    rounding_to_be_confirmed: bool

    @classmethod
    def on(cls, day: datetime.date, *, unit: OrgUnit) -> BonusRule:
        """The rule for a decision of `unit` (whose settings apply) dated `day`."""
        salary = BaseSalary.objects.on(day)
        rule_set = rule_set_on(day)
        if rule_set is DECREE_152_2025:
            setting = policy(BONUS_ROUNDING_DECREE_152.key, unit=unit, on=day)
            return cls(day, salary, bool(setting.value), setting.explain(), setting.to_be_confirmed)
        ground = DECREE_91_2017_ART_68 if rule_set is LAW_2003 else DECREE_98_2023_ART_53
        return cls(day, salary, True, ground, False)

    @property
    def base_amount(self) -> Decimal | None:
        return self.base_salary.amount if self.base_salary else None

    @property
    def to_be_confirmed(self) -> bool:
        salary_unconfirmed = self.base_salary is not None and self.base_salary.to_be_confirmed
        return salary_unconfirmed or self.rounding_to_be_confirmed

    def amount(self, multiplier: Decimal | None) -> Decimal | None:
        """The bonus for `multiplier` × base salary; None when either is unknown."""
        if multiplier is None or self.base_salary is None:
            return None
        exact = multiplier * self.base_salary.amount
        if self.rounds_up:
            return round_up_to_ten_thousand(exact)
        return exact.quantize(Decimal(1))

    def explain(self) -> str:
        """One paragraph for a decision or a title: the base salary used and the rounding."""
        if self.base_salary is None:
            return _("No base salary is recorded for %(day)s: bonuses cannot be computed.") % {
                "day": date_format(self.day, "SHORT_DATE_FORMAT")
            }
        salary = self.base_salary
        text = _(
            "Bonus = multiplier × base salary of %(amount)s VND in force from %(start)s "
            "(%(source)s)."
        ) % {
            "amount": money(salary.amount),
            "start": date_format(salary.valid_from, "SHORT_DATE_FORMAT"),
            "source": salary.legal_basis,
        }
        if salary.to_be_confirmed:
            text += " " + _("This base salary is to be confirmed (one secondary source).")
        if self.rounds_up:
            text += " " + _("Rounded up to the tens of thousands of đồng: %(ground)s.") % {
                "ground": self.rounding_ground
            }
        else:
            text += " " + _("Not rounded: %(ground)s.") % {"ground": self.rounding_ground}
        return text


# --- Base salaries -----------------------------------------------------------------------


def can_manage_base_salaries(user: AnyUser) -> bool:
    """Base salaries are national (set by Government decree) and every province's bonuses
    use them, so only superusers keep them: a province's system administrator must not
    change another province's money."""
    return scope_of(user).is_global


@transaction.atomic
def save_base_salary(
    *,
    actor: User,
    valid_from: datetime.date,
    amount: Decimal,
    legal_basis: str,
    to_be_confirmed: bool = False,
    salary: BaseSalary | None = None,
) -> BaseSalary:
    """Add a base salary from a date, or correct one (decisions keep the amount they were
    computed with)."""
    if not can_manage_base_salaries(actor):
        raise PermissionDenied
    salary = salary or BaseSalary()
    salary.valid_from = valid_from
    salary.amount = amount
    salary.legal_basis = legal_basis.strip()
    salary.to_be_confirmed = to_be_confirmed
    salary.full_clean()
    with acting_as(actor):
        salary.save()
    return salary
