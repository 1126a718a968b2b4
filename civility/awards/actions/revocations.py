"""Workflows of revocation reviews: flagging the awards a confirmed violation concerns,
opening a review on another ground, the board's decision and the recovery of the bonus."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.awards.actions.access import can_decide, ensure_allowed
from civility.awards.models.catalogue import ancestor_paths
from civility.awards.models.decisions import (
    Award,
    ReviewOutcome,
    RevocationGround,
    RevocationReview,
)
from civility.awards.rules import LAW_06_2022
from civility.conduct.models import Outcome, ViolationRecord
from civility.core.audit import acting_as

# --- Revocation reviews ------------------------------------------------------------------

# Awards are revoked under Law 06/2022; the article listing the grounds was not found
# (framework §4), so the Law is cited without one and pages say the article is to be
# confirmed. The title's own legal basis follows.


def revocation_rule(award: Award) -> str:
    basis = award.title.legal_basis.strip()
    return f"{LAW_06_2022}; {basis}" if basis else LAW_06_2022


def _awards_concerned(record: ViolationRecord) -> list[Award]:
    """Awards for the year the violation happened in, given to the official concerned, or to
    the unit the record is about or any unit above it (a collective answers for its members)."""
    concerned = Q(official__isnull=True, unit__path__in=ancestor_paths(record.unit))
    if record.official_id:
        concerned |= Q(official_id=record.official_id)
    return list(
        Award.objects.filter(concerned, year=record.occurred_on.year).select_related("title")
    )


@transaction.atomic
def flag_awards_for_record(*, record: ViolationRecord) -> list[RevocationReview]:
    """Flag for revocation review the awards given for a period in which a violation, now
    confirmed, happened. Called when conduct confirms a record, and by the daily check; each
    award is flagged once per record."""
    if record.outcome != Outcome.CONFIRMED:
        return []
    flagged = []
    for award in _awards_concerned(record):
        review, created = RevocationReview.objects.get_or_create(
            award=award, record=record, defaults={"rule": revocation_rule(award)}
        )
        if created:
            flagged.append(review)
    return flagged


def flag_awards_for_confirmed_records() -> int:
    """The periodic check: every confirmed record of a year for which awards exist, so that
    awards recorded after the record was confirmed are flagged too."""
    years = set(Award.objects.values_list("year", flat=True).distinct())
    if not years:
        return 0
    records = (
        ViolationRecord.objects.confirmed()
        .filter(occurred_on__year__in=years)
        .select_related("unit", "official")
    )
    return sum(len(flag_awards_for_record(record=record)) for record in records)


@transaction.atomic
def open_revocation_review(
    *, actor: User, award: Award, ground: str, detail: str
) -> RevocationReview:
    """Put an award under revocation review on a ground of the Law other than a violation in
    its period (those are flagged from conduct records): false declaration of achievements,
    or an award contrary to the conditions or procedure."""
    ensure_allowed(can_decide(actor, award.decision.unit))
    errors = {}
    if ground not in RevocationGround.values or ground == RevocationGround.VIOLATION:
        errors["ground"] = _(
            "Choose the ground; violations are flagged from confirmed conduct records."
        )
    if not detail.strip():
        errors["ground_detail"] = _("Say what was found, and by whom.")
    if errors:
        raise ValidationError(errors)
    if award.revocation_reviews.filter(ground=ground, outcome=ReviewOutcome.PENDING).exists():
        raise ValidationError({"ground": _("This award is already under review on this ground.")})
    with acting_as(actor):
        return RevocationReview.objects.create(
            award=award,
            ground=ground,
            ground_detail=detail.strip(),
            rule=revocation_rule(award),
            opened_by=actor,
        )


@transaction.atomic
def decide_revocation_review(
    *,
    actor: User,
    review: RevocationReview,
    outcome: str,
    decision_number: str,
    decided_on: datetime.date,
    note: str = "",
    recovery_amount: Decimal | None = None,
) -> RevocationReview:
    """Record the decision on an award under review: kept or revoked, with the number and
    date of the decision. A revoked award stops counting and its bonus is to be recovered:
    the whole bonus unless the decision says less."""
    review = (
        RevocationReview.objects.select_for_update(of=("self",))
        .select_related("award__decision__unit")
        .get(pk=review.pk)
    )
    ensure_allowed(can_decide(actor, review.award.decision.unit))
    errors = {}
    if not review.is_pending():
        errors["outcome"] = _("This review was already decided.")
    if outcome not in (ReviewOutcome.KEPT, ReviewOutcome.REVOKED):
        errors["outcome"] = _("Choose whether the award is kept or revoked.")
    if not decision_number.strip():
        errors["decision_number"] = _("Enter the decision number.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date is in the future.")
    elif decided_on < review.award.decision.decided_on:
        errors["decided_on"] = _("The decision date is before the award was decided.")
    bonus = review.award.bonus
    if outcome == ReviewOutcome.REVOKED:
        if recovery_amount is None:
            recovery_amount = bonus
        elif recovery_amount < 0 or (bonus is not None and recovery_amount > bonus):
            errors["recovery_amount"] = _(
                "The amount to recover is between 0 and the bonus paid (%(bonus)s VND)."
            ) % {"bonus": bonus}
    else:
        recovery_amount = None
    if errors:
        raise ValidationError(errors)
    review.outcome = outcome
    review.decision_number = decision_number.strip()
    review.decided_on = decided_on
    review.decided_by = actor
    review.note = note.strip()
    review.recovery_amount = recovery_amount
    with acting_as(actor):
        review.save()
    return review


@transaction.atomic
def record_bonus_recovery(
    *, actor: User, review: RevocationReview, recovered_on: datetime.date, recovered_by: str
) -> RevocationReview:
    """Record that the bonus of a revoked award was recovered: when, and by whom."""
    review = (
        RevocationReview.objects.select_for_update(of=("self",))
        .select_related("award__decision__unit")
        .get(pk=review.pk)
    )
    ensure_allowed(can_decide(actor, review.award.decision.unit))
    if not review.recovery_due():
        raise ValidationError(
            {
                "recovered_on": _(
                    "No recovery is due: the award is not revoked with money to recover, or "
                    "the recovery is already recorded."
                )
            }
        )
    errors = {}
    if recovered_on > timezone.localdate():
        errors["recovered_on"] = _("The date is in the future.")
    elif review.decided_on is not None and recovered_on < review.decided_on:
        errors["recovered_on"] = _("The money cannot be recovered before the revocation decision.")
    if not recovered_by.strip():
        errors["recovered_by"] = _("Name the office or person who collected the money.")
    if errors:
        raise ValidationError(errors)
    review.recovered_on = recovered_on
    review.recovered_by = recovered_by.strip()
    with acting_as(actor):
        review.save(update_fields=["recovered_on", "recovered_by"])
    return review
