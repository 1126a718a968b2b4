"""Workflows of decisions: recording the board's decision with its bonuses, recording earlier
decisions for the archive, and the honour board consent."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.awards.actions.access import can_decide, ensure_allowed
from civility.awards.actions.nominations import not_a_labour_collective
from civility.awards.bonuses import BonusRule
from civility.awards.eligibility.assessor import can_hold
from civility.awards.eligibility.quotas import quota_limit, title_for
from civility.awards.models.catalogue import AwardTitle, Quota, recipient_name
from civility.awards.models.decisions import Award, AwardDecision, DecisionSource, HonourConsent
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import Nomination, NominationStatus
from civility.awards.rules import rule_set_on
from civility.core.audit import acting_as
from civility.orgs.models import Official, OrgUnit

# --- Decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """One award a decision gives: the title version, to an official (in `unit`) or to the
    unit as a collective, on a nomination when the board's decision closes one."""

    title: AwardTitle
    official: Official | None
    unit: OrgUnit
    nomination: Nomination | None = None


@dataclass(frozen=True, kw_only=True)
class _Heading:
    """What a decision says at its head, as the action was given it: checked and written the
    same way for the board's decisions and for earlier ones."""

    unit: OrgUnit
    number: str
    decided_on: datetime.date
    issuer: str
    movement: Movement | None
    note: str

    def problems(self) -> dict[str, str]:
        """What the heading lacks, by field."""
        errors = {}
        if not self.number.strip():
            errors["number"] = _("Enter the decision number.")
        if not self.issuer.strip():
            errors["issuer"] = _("Enter who signed the decision.")
        return errors

    def write(
        self, *, actor: User, year: int, source: DecisionSource, lines: list[_Line], taken: str
    ) -> AwardDecision:
        """The decision and its award lines, each with the multiplier of its title version and
        the bonus at the base salary of the decision date (civility.awards.bonuses). `taken`
        is the error on the number when the number, or a recipient's title for the year, is
        taken."""
        bonus = BonusRule.on(self.decided_on, unit=self.unit)
        try:
            with transaction.atomic(), acting_as(actor):
                decision = AwardDecision.objects.create(
                    unit=self.unit,
                    number=self.number.strip(),
                    decided_on=self.decided_on,
                    issuer=self.issuer.strip(),
                    year=year,
                    source=source,
                    rule_set=rule_set_on(self.decided_on).key,
                    movement=self.movement,
                    base_salary=bonus.base_amount,
                    base_salary_record=bonus.base_salary,
                    bonus_rule=bonus.explain(),
                    note=self.note.strip(),
                    recorded_by=actor,
                )
                for line in lines:
                    Award.objects.create(
                        decision=decision,
                        title=line.title,
                        title_key=line.title.key,
                        year=year,
                        official=line.official,
                        unit=line.unit,
                        nomination=line.nomination,
                        multiplier=line.title.multiplier,
                        bonus=bonus.amount(line.title.multiplier),
                    )
        except IntegrityError:
            raise ValidationError({"number": taken}) from None
        return decision


def _check_quotas_at_decision(nominations: list[Nomination], year: int) -> None:
    """Awards already decided plus this decision's lines must fit every quota."""
    adding: Counter[int] = Counter()
    problems = []
    for nomination in nominations:
        for quota in Quota.objects.applying_to(nomination.unit, nomination.title.key, year):
            adding[quota.pk] += 1
    for quota in Quota.objects.filter(pk__in=adding).select_related("unit"):
        used = (
            Award.objects.counted()
            .under(quota.unit)
            .filter(title_key=quota.title_key, year=year)
            .count()
        )
        limit = quota_limit(quota, year)
        if used + adding[quota.pk] > limit:
            problems.append(
                _(
                    "Quota of %(unit)s for %(title)s: %(used)d awarded, %(adding)d in this "
                    "decision, at most %(limit)d (%(source)s)."
                )
                % {
                    "unit": quota.unit.display_name,
                    "title": quota.title_key,
                    "used": used,
                    "adding": adding[quota.pk],
                    "limit": limit,
                    "source": quota.source,
                }
            )
    if problems:
        raise ValidationError({"nominations": problems})


@transaction.atomic
def record_decision(
    *,
    actor: User,
    unit: OrgUnit,
    number: str,
    decided_on: datetime.date,
    issuer: str,
    nominations: list[Nomination],
    note: str = "",
    movement: Movement | None = None,
) -> AwardDecision:
    """Record the decision on nominations the board recommended: one award line each, with
    the multiplier of its title version and the bonus at the base salary of the day
    (civility.awards.bonuses), and the movement whose results it commends, if any."""
    ensure_allowed(can_decide(actor, unit))
    heading = _Heading(
        unit=unit,
        number=number,
        decided_on=decided_on,
        issuer=issuer,
        movement=movement,
        note=note,
    )
    errors = {}
    problem = movement_problem(unit, decided_on, movement)
    if problem:
        errors["movement"] = problem
    errors.update(heading.problems())
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    if not nominations:
        errors["nominations"] = _("Choose at least one recommended nomination.")
    if errors:
        raise ValidationError(errors)
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=[n.pk for n in nominations])
        .select_related("title", "unit", "official")
    )
    years = {n.year for n in locked}
    for nomination in locked:
        if nomination.status != NominationStatus.RECOMMENDED:
            errors["nominations"] = _(
                "%(name)s: only nominations the board recommended can be decided."
            ) % {"name": nomination.nominee_name}
        elif not nomination.unit.path.startswith(unit.path):
            errors["nominations"] = _("%(name)s is outside the issuing unit.") % {
                "name": nomination.nominee_name
            }
    if len(years) > 1:
        errors["nominations"] = _("A decision covers the achievements of one year.")
    if errors:
        raise ValidationError(errors)
    year = years.pop()
    _check_quotas_at_decision(locked, year)
    decision = heading.write(
        actor=actor,
        year=year,
        source=DecisionSource.BOARD,
        lines=[_Line(n.title, n.official, n.unit, nomination=n) for n in locked],
        taken=_(
            "A decision with this number exists, or a nominee already holds the title for the year."
        ),
    )
    with acting_as(actor):
        for nomination in locked:
            nomination.status = NominationStatus.AWARDED
            nomination.save(update_fields=["status"])
    return decision


@dataclass(frozen=True)
class PastAward:
    """One line of an earlier decision: a title to an official, or to a unit (a collective)."""

    title_key: str
    official: Official | None = None
    unit: OrgUnit | None = None

    def __post_init__(self) -> None:
        if self.official is None and self.unit is None:
            raise ValueError("A past award goes to an official or to a unit.")

    @property
    def recipient_unit(self) -> OrgUnit:
        unit = self.official.unit if self.official is not None else self.unit
        if unit is None:  # refused by __post_init__
            raise ValueError("A past award goes to an official or to a unit.")
        return unit

    @property
    def name(self) -> str:
        return recipient_name(self.official, self.recipient_unit)


def past_decision_problems(
    *, unit: OrgUnit, decided_on: datetime.date, year: int, movement: Movement | None
) -> dict[str, str]:
    """What is wrong with an earlier decision's heading, by field (the form and the import)."""
    errors = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    if not unit.is_current(decided_on):
        errors["unit"] = _("%(unit)s did not exist on %(day)s.") % {
            "unit": unit.display_name,
            "day": decided_on.strftime("%d/%m/%Y"),
        }
    if year > decided_on.year:
        errors["year"] = _("The year of the achievements is after the decision date.")
    problem = movement_problem(unit, decided_on, movement)
    if problem:
        errors["movement"] = problem
    return errors


def movement_problem(unit: OrgUnit, decided_on: datetime.date, movement: Movement | None) -> str:
    """Why a decision of `unit` on `decided_on` cannot commend results of `movement`, or ""."""
    if movement is None:
        return ""
    if not (unit.path.startswith(movement.unit.path) or movement.unit.path.startswith(unit.path)):
        return _("The movement does not cover the issuing unit.")
    if decided_on < movement.starts_on:
        return _("The decision is dated before the movement started.")
    return ""


def past_award_problem(
    title: AwardTitle | None, award: PastAward, issuer: OrgUnit, decided_on: datetime.date
) -> str:
    """What is wrong with one line of an earlier decision, or ""."""
    if title is None:
        return _("No version of this title is in the catalogue for that year.")
    if (award.official is None) != title.is_collective():
        if title.is_collective():
            return _("%(title)s is given to collectives (units), not to people.") % {
                "title": title.display_name
            }
        return _("%(title)s is given to people, not to units.") % {"title": title.display_name}
    if not award.recipient_unit.path.startswith(issuer.path):
        return _("%(name)s is outside the issuing unit.") % {"name": award.name}
    if award.official is None and not can_hold(title, award.recipient_unit):
        return not_a_labour_collective()
    if award.official is None and not award.recipient_unit.is_current(decided_on):
        return _("%(unit)s did not exist on %(day)s.") % {
            "unit": award.recipient_unit.display_name,
            "day": decided_on.strftime("%d/%m/%Y"),
        }
    return ""


@transaction.atomic
def record_earlier_decision(
    *,
    actor: User,
    unit: OrgUnit,
    number: str,
    decided_on: datetime.date,
    issuer: str,
    year: int,
    awards: list[PastAward],
    movement: Movement | None = None,
    note: str = "",
) -> AwardDecision:
    """Record a decision taken before Civility (or outside it) for the archive: no nomination,
    vote or closing, so that titles held in earlier years count for consecutive-year
    conditions and the figures of past periods. Each title is the version in force at the end
    of the year of the achievements (a 2023 decision: the pre-2024 catalogue). The issuing
    unit may be a former one, if it existed on the decision date."""
    ensure_allowed(can_decide(actor, unit))
    heading = _Heading(
        unit=unit,
        number=number,
        decided_on=decided_on,
        issuer=issuer,
        movement=movement,
        note=note,
    )
    errors = past_decision_problems(unit=unit, decided_on=decided_on, year=year, movement=movement)
    errors.update(heading.problems())
    if not awards:
        errors["awards"] = _("List the people or units awarded.")
    if errors:
        raise ValidationError(errors)
    titles = {key: title_for(unit, key, year) for key in {award.title_key for award in awards}}
    lines: list[_Line] = []
    for award in awards:
        title = titles[award.title_key]
        problem = past_award_problem(title, award, unit, decided_on)
        if problem or title is None:
            raise ValidationError({"awards": f"{award.name}: {problem}"})
        lines.append(_Line(title, award.official, award.recipient_unit))
    return heading.write(
        actor=actor,
        year=year,
        source=DecisionSource.RECORDED,
        lines=lines,
        taken=_(
            "A decision with this number exists, or a recipient already holds the title for "
            "the year."
        ),
    )


# --- Honour board ------------------------------------------------------------------------


@transaction.atomic
def set_honour_consent(*, actor: User, official: Official, consented: bool) -> HonourConsent:
    """Only the person decides whether their name appears on the public honour board."""
    ensure_allowed(official.user_id is not None and official.user_id == actor.pk)
    with acting_as(actor):
        consent, _created = HonourConsent.objects.update_or_create(
            official=official, defaults={"consented": consented, "changed_at": timezone.now()}
        )
    return consent
