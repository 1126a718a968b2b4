"""Workflows from a movement to the board's review: movements and registrations, eligibility
lists in the background, nominations with their evidence, votes and the closing of a review."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.awards.actions.access import (
    can_decide,
    can_manage,
    can_propose,
    can_read,
    can_vote,
    ensure_allowed,
)
from civility.awards.eligibility.assessor import Assessor, can_hold
from civility.awards.eligibility.lines import Assessment
from civility.awards.models.catalogue import AwardTitle
from civility.awards.models.movements import Movement, MovementRegistration
from civility.awards.models.nominations import (
    Nomination,
    NominationEvidence,
    NominationStatus,
    Vote,
    VoteChoice,
)
from civility.awards.models.roles import PROPOSER_ROLES
from civility.core import jobs
from civility.core.attachments import OFFICE_AND_TEXT, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.models import Job
from civility.core.validators import web_link
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

# A subtree with more officials than this gets its eligibility lists from a background job
# (an .xlsx), not on the page: a city's 150,000 rows are no page to read.
INLINE_ELIGIBILITY_OFFICIALS = 3000


def eligibility_in_background(unit: OrgUnit) -> bool:
    return Official.objects.under(unit).active().count() > INLINE_ELIGIBILITY_OFFICIALS


def request_eligibility(
    *,
    actor: User,
    unit: OrgUnit,
    year: int,
    title: AwardTitle | None = None,
    file_format: str = "xlsx",
) -> Job:
    """Have a background job write the eligibility list of `title` (or of every current title
    of the unit's catalogue) for the subtree as an .xlsx (or, for the API, .json); returns
    the core Job."""

    if not can_read(actor, unit):
        raise PermissionDenied
    name = title.display_name if title is not None else _("every title")
    return jobs.enqueue(
        actor=actor,
        kind="awards.eligibility",
        title=_("Eligibility %(year)s: %(title)s") % {"year": year, "title": name},
        unit=unit,
        params={
            "year": year,
            "title": title.pk if title is not None else None,
            "format": file_format,
        },
    )


# --- Movements ---------------------------------------------------------------------------


@transaction.atomic
def create_movement(
    *, actor: User, unit: OrgUnit, name: str, starts_on: datetime.date, **fields: Any
) -> Movement:
    ensure_allowed(can_manage(actor, unit))
    movement = Movement(
        unit=unit, name=name.strip(), starts_on=starts_on, created_by=actor, **fields
    )
    movement.full_clean()
    with acting_as(actor):
        movement.save()
    return movement


@transaction.atomic
def register_for_movement(
    *,
    actor: User,
    movement: Movement,
    unit: OrgUnit | None = None,
    official: Official | None = None,
    pledge: str = "",
) -> MovementRegistration:
    """A unit registers (its managers), or an official registers (themself or a manager)."""
    if official is not None:
        unit = official.unit
        self_registration = official.user_id is not None and official.user_id == actor.pk
        ensure_allowed(self_registration or can_manage(actor, unit))
    else:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that registers.")})
        ensure_allowed(can_manage(actor, unit))
    if not unit.path.startswith(movement.unit.path):
        raise ValidationError({"unit": _("This unit is outside the movement's scope.")})
    if movement.ends_on and movement.ends_on < timezone.localdate():
        raise ValidationError(_("The movement has ended."))
    try:
        with transaction.atomic(), acting_as(actor):
            return MovementRegistration.objects.create(
                movement=movement,
                unit=unit,
                official=official,
                pledge=pledge.strip(),
                registered_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("Already registered for this movement.")) from None


# --- Nominations -------------------------------------------------------------------------


def not_a_labour_collective() -> str:
    return _(
        "Villages and residential groups receive cultural titles (Decree 86/2023/NĐ-CP), not "
        "the titles of labour collectives."
    )


def assess_nominee(
    *, title: AwardTitle, year: int, official: Official | None = None, unit: OrgUnit | None = None
) -> Assessment:
    if title.is_collective():
        if unit is None:
            raise ValueError("A collective title assesses a unit.")
        return Assessor.for_unit(unit, year=year).assess(title, unit=unit)
    if official is None:
        raise ValueError("An individual title assesses an official.")
    return Assessor(year=year, officials=[official]).assess(title, official=official)


@transaction.atomic
def propose_nomination(
    *,
    actor: User,
    title: AwardTitle,
    year: int,
    justification: str,
    official: Official | None = None,
    unit: OrgUnit | None = None,
    links: tuple[str, ...] = (),
    files: Iterable[UploadedFile[bytes]] = (),
) -> Nomination:
    """Propose a person (individual title) or a unit (collective title) for `year`.

    The eligibility is computed now and stored with the nomination. A nominee who fails a
    condition (including a review in progress or a full quota) cannot be proposed; one with
    missing data can, and the board sees what is missing."""
    if title.is_collective():
        if unit is None:
            raise ValidationError({"unit": _("Choose the collective to nominate.")})
        official = None
    else:
        if official is None:
            raise ValidationError({"official": _("Choose the official to nominate.")})
        unit = official.unit
    ensure_allowed(can_propose(actor, unit))
    if not unit.path.startswith(title.unit.path):
        raise ValidationError({"title": _("This title is not in the catalogue for the unit.")})
    if not can_hold(title, unit):
        raise ValidationError({"unit": not_a_labour_collective()})
    today = timezone.localdate()
    if year > today.year or year < 2000:
        raise ValidationError({"year": _("Choose a year that has begun.")})
    day = datetime.date(year, 12, 31)
    if not (title.valid_from <= day and (title.valid_to is None or title.valid_to >= day)):
        raise ValidationError(
            {
                "title": _("This version of the title was not in force at the end of %(year)d.")
                % {"year": year}
            }
        )
    if not justification.strip():
        raise ValidationError({"justification": _("Explain the achievements.")})
    checked_links = [web_link(link, field="links") for link in links if link.strip()]
    # Lock the title so that two proposals cannot both take the last place of a quota.
    AwardTitle.objects.select_for_update().filter(key=title.key, unit=title.unit).exists()
    assessment = assess_nominee(title=title, year=year, official=official, unit=unit)
    failed = [line for line in assessment.lines if line.status == "not_met"]
    if failed:
        raise ValidationError(
            {
                "official" if official else "unit": _("Not eligible: %(reasons)s")
                % {"reasons": " ".join(line.text for line in failed)}
            }
        )
    proposing_unit = _proposing_unit(actor, unit)
    contents = [
        ((upload.name or "")[:300], clean_attachment(upload, field="files", accept=OFFICE_AND_TEXT))
        for upload in files
    ]
    try:
        with transaction.atomic(), acting_as(actor):
            nomination = Nomination.objects.create(
                title=title,
                year=year,
                official=official,
                unit=unit,
                proposing_unit=proposing_unit,
                justification=justification.strip(),
                verdict=assessment.verdict,
                eligibility=assessment.snapshot(),
                rule_set=title.rule_set,
                proposed_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"official" if official else "unit": _("Already nominated for this title and year.")}
        ) from None
    with acting_as(actor):
        for link in checked_links:
            NominationEvidence.objects.create(nomination=nomination, url=link, added_by=actor)
        for label, content in contents:
            NominationEvidence.objects.create(
                nomination=nomination,
                file=content,
                filename=display_name(content.name),
                label=label,
                added_by=actor,
            )
    return nomination


def _proposing_unit(actor: User, unit: OrgUnit) -> OrgUnit:
    """The deepest unit at or above the nominee's on which the actor proposes."""
    scope = scope_of(actor)
    if scope.is_global:
        return unit
    paths = [path for path in scope.paths_with_role(*PROPOSER_ROLES) if unit.path.startswith(path)]
    deepest = max(paths, key=len)
    return OrgUnit.objects.get(path=deepest)


@transaction.atomic
def withdraw_nomination(*, actor: User, nomination: Nomination) -> Nomination:
    ensure_allowed(can_propose(actor, nomination.unit))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status not in (NominationStatus.PROPOSED, NominationStatus.RECOMMENDED):
        raise ValidationError(_("Only a nomination not yet decided can be withdrawn."))
    with acting_as(actor):
        nomination.status = NominationStatus.WITHDRAWN
        nomination.save(update_fields=["status"])
    return nomination


@transaction.atomic
def cast_vote(*, actor: User, nomination: Nomination, choice: str, note: str = "") -> Vote:
    ensure_allowed(can_vote(actor, nomination))
    if not nomination.is_open():
        raise ValidationError(_("The board's review of this nomination is closed."))
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("Choose for, against or abstain.")})
    with acting_as(actor):
        vote, _created = Vote.objects.update_or_create(
            nomination=nomination,
            voter=actor,
            defaults={"choice": choice, "note": note.strip()[:500], "at": timezone.now()},
        )
    return vote


@transaction.atomic
def close_review(*, actor: User, nomination: Nomination, note: str = "") -> Nomination:
    """Close the board's vote: recommended when more members voted for than against."""
    ensure_allowed(can_decide(actor, nomination.unit))
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not nomination.is_open():
        raise ValidationError(_("The board's review of this nomination is closed."))
    tally = Counter(nomination.votes.values_list("choice", flat=True))
    if not tally:
        raise ValidationError(_("No board member has voted yet."))
    recommended = tally[VoteChoice.FOR] > tally[VoteChoice.AGAINST]
    with acting_as(actor):
        nomination.status = (
            NominationStatus.RECOMMENDED if recommended else NominationStatus.REJECTED
        )
        nomination.reviewed_at = timezone.now()
        nomination.review_note = note.strip()
        nomination.save(update_fields=["status", "reviewed_at", "review_note"])
    return nomination
