"""Workflows for plans and inspections: adding them, answering, photos, submitting and
amending."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.core.photos import clean_photo
from civility.inspections import scoring
from civility.inspections.actions.permissions import (
    can_conduct,
    can_manage_plan,
    ensure_allowed,
    ensure_open,
)
from civility.inspections.models import (
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    Amendment,
    Answer,
    ChecklistTemplate,
    Criterion,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Photo,
)
from civility.orgs.models import OrgUnit, Place
from civility.orgs.scopes import scope_of

DOCUMENT_NUMBER_FORMAT = "%(number)d/BB-KT"


# --- Plans and inspections ---------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, actor: User, unit: OrgUnit, year: int, title: str, notes: str = ""
) -> InspectionPlan:
    ensure_allowed(scope_of(actor).covers(unit, roles=MANAGER_ROLES))
    plan = InspectionPlan(
        unit=unit, year=year, title=title.strip(), notes=notes.strip(), created_by=actor
    )
    plan.full_clean()
    with acting_as(actor):
        plan.save()
    return plan


def _check_target(
    *, kind: str, inspecting_unit: OrgUnit, unit: OrgUnit, actor: User, where: str = "unit"
) -> None:
    inside = unit.path.startswith(inspecting_unit.path)
    if kind == InspectionKind.CROSS:
        if inside or inspecting_unit.path.startswith(unit.path):
            raise ValidationError(
                {where: _("A cross inspection is of a peer unit, not one above or below.")}
            )
        # Arranged by someone who oversees the inspected unit too (usually the level above).
        if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
            raise PermissionDenied
    elif not inside:
        raise ValidationError({where: _("The unit or place must be under the inspecting unit.")})


def _new_inspection(
    *,
    actor: User,
    kind: str,
    inspecting_unit: OrgUnit,
    template: ChecklistTemplate,
    unit: OrgUnit | None,
    place: Place | None,
    planned_on: datetime.date | None,
    plan: InspectionPlan | None = None,
    team: Iterable[User] = (),
    team_note: str = "",
    status: str = InspectionStatus.PLANNED,
) -> Inspection:
    if place is not None:
        unit = place.unit
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit or the public place to inspect.")})
    _check_target(kind=kind, inspecting_unit=inspecting_unit, unit=unit, actor=actor)
    version = template.current_version()
    if version is None:
        raise ValidationError({"template": _("This template has no version yet.")})
    inspection = Inspection(
        plan=plan,
        kind=kind,
        status=status,
        template_version=version,
        inspecting_unit=inspecting_unit,
        unit=unit,
        place=place,
        planned_on=planned_on,
        team_note=team_note.strip(),
        created_by=actor,
        started_at=timezone.now() if status == InspectionStatus.IN_PROGRESS else None,
    )
    inspection.full_clean()
    inspection.save()
    members = list(team)
    if actor is not None and status == InspectionStatus.IN_PROGRESS:
        members.append(actor)
    if members:
        inspection.team.add(*members)
    return inspection


@transaction.atomic
def add_plan_inspections(
    *,
    actor: User,
    plan: InspectionPlan,
    template: ChecklistTemplate,
    planned_on: datetime.date,
    units: Sequence[OrgUnit] = (),
    places: Sequence[Place] = (),
    kind: str = InspectionKind.PLANNED,
    inspecting_unit: OrgUnit | None = None,
    team: Iterable[User] = (),
    team_note: str = "",
) -> list[Inspection]:
    """Schedule one inspection per unit and per place on `planned_on`."""
    ensure_allowed(can_manage_plan(actor, plan))
    inspecting_unit = inspecting_unit or plan.unit
    if not inspecting_unit.path.startswith(plan.unit.path):
        raise ValidationError({"inspecting_unit": _("The inspecting unit must be in the plan's.")})
    if planned_on.year != plan.year:
        raise ValidationError(
            {"planned_on": _("The date must be in %(year)d.") % {"year": plan.year}}
        )
    if not units and not places:
        raise ValidationError({"units": _("Choose at least one unit or public place.")})
    created = []
    with acting_as(actor):
        for target_unit in units:
            created.append(
                _new_inspection(
                    actor=actor,
                    kind=kind,
                    inspecting_unit=inspecting_unit,
                    template=template,
                    unit=target_unit,
                    place=None,
                    planned_on=planned_on,
                    plan=plan,
                    team=team,
                    team_note=team_note,
                )
            )
        for place in places:
            created.append(
                _new_inspection(
                    actor=actor,
                    kind=kind,
                    inspecting_unit=inspecting_unit,
                    template=template,
                    unit=None,
                    place=place,
                    planned_on=planned_on,
                    plan=plan,
                    team=team,
                    team_note=team_note,
                )
            )
    return created


@transaction.atomic
def start_inspection_on_the_spot(
    *,
    actor: User,
    inspecting_unit: OrgUnit,
    template: ChecklistTemplate,
    unit: OrgUnit | None = None,
    place: Place | None = None,
    kind: str = InspectionKind.SURPRISE,
) -> Inspection:
    """A surprise (or cross) inspection created by an inspector where they stand."""
    ensure_allowed(scope_of(actor).covers(inspecting_unit, roles=INSPECTOR_ROLES))
    if kind not in (InspectionKind.SURPRISE, InspectionKind.CROSS):
        raise ValidationError({"kind": _("Only surprise or cross inspections start on the spot.")})
    with acting_as(actor):
        return _new_inspection(
            actor=actor,
            kind=kind,
            inspecting_unit=inspecting_unit,
            template=template,
            unit=unit,
            place=place,
            planned_on=timezone.localdate(),
            status=InspectionStatus.IN_PROGRESS,
        )


@transaction.atomic
def cancel_inspection(*, actor: User, inspection: Inspection) -> Inspection:
    ensure_allowed(
        scope_of(actor).covers(inspection.inspecting_unit, roles=MANAGER_ROLES)
        or (inspection.plan is not None and can_manage_plan(actor, inspection.plan))
    )
    ensure_open(inspection)
    inspection.status = InspectionStatus.CANCELLED
    with acting_as(actor):
        inspection.save(update_fields=["status"])
    return inspection


@dataclass
class AnswerIn:
    client_id: uuid.UUID
    criterion_id: int
    value: str = ""
    not_applicable: bool = False
    note: str = ""
    answered_at: datetime.datetime | None = None


@dataclass
class AnswerResult:
    client_id: uuid.UUID
    criterion_id: int
    status: str  # "saved", "stale" (a newer answer is kept), "rejected"
    message: str = ""


_UPSERT = """
INSERT INTO inspections_answer
    (inspection_id, criterion_id, client_id, value, not_applicable, note, answered_at,
     answered_by_id, received_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (inspection_id, criterion_id) DO UPDATE SET
    client_id = EXCLUDED.client_id, value = EXCLUDED.value,
    not_applicable = EXCLUDED.not_applicable, note = EXCLUDED.note,
    answered_at = EXCLUDED.answered_at, answered_by_id = EXCLUDED.answered_by_id,
    received_at = EXCLUDED.received_at
WHERE inspections_answer.answered_at <= EXCLUDED.answered_at
RETURNING id
"""


def _validated(criterion: Criterion, item: AnswerIn) -> tuple[str, bool]:
    if item.not_applicable:
        if not criterion.allows_not_applicable:
            raise ValidationError(
                _("Criterion %(ref)s cannot be marked not applicable.") % {"ref": criterion.ref}
            )
        return "", True
    return scoring.parse_value(criterion, item.value), False


@transaction.atomic
def record_answers(
    *, actor: User, inspection: Inspection, answers: list[AnswerIn]
) -> list[AnswerResult]:
    """Store answers sent by the phone, each exactly once.

    An answer carries the id the phone generated for it. One row is kept per criterion: a
    resent answer (same id) changes nothing, and an older answer arriving after a newer one
    (the phone was offline) does not overwrite it. Each answer is judged on its own, so one
    bad value does not lose the others.
    """
    ensure_allowed(can_conduct(actor, inspection))
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    criteria = {c.pk: c for c in inspection.template_version.criteria()}
    now = timezone.now()
    # One query for the resends, instead of one per answer.
    stored_here = set(
        Answer.objects.filter(
            client_id__in=[item.client_id for item in answers], inspection=inspection
        ).values_list("client_id", flat=True)
    )
    results = []
    for item in answers:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            results.append(
                AnswerResult(
                    item.client_id,
                    item.criterion_id,
                    "rejected",
                    _("This criterion is not in the inspection's checklist."),
                )
            )
            continue
        if item.client_id in stored_here:
            results.append(AnswerResult(item.client_id, criterion.pk, "saved"))  # a resend
            continue
        if inspection.is_locked():
            message = _(
                "This inspection is %(status)s and locked; corrections are made as amendments."
            ) % {"status": inspection.get_status_display().lower()}
            results.append(AnswerResult(item.client_id, criterion.pk, "rejected", message))
            continue
        try:
            value, not_applicable = _validated(criterion, item)
        except ValidationError as error:
            results.append(
                AnswerResult(item.client_id, criterion.pk, "rejected", " ".join(error.messages))
            )
            continue
        answered_at = min(item.answered_at or now, now)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    _UPSERT,
                    [
                        inspection.pk,
                        criterion.pk,
                        item.client_id,
                        value,
                        not_applicable,
                        item.note.strip()[:5000],
                        answered_at,
                        getattr(actor, "pk", None),
                        now,  # the clock answered_at is capped by, not the database's
                    ],
                )
                row = cursor.fetchone()
        except IntegrityError:
            results.append(
                AnswerResult(
                    item.client_id,
                    criterion.pk,
                    "rejected",
                    _("This answer id was already used for another answer."),
                )
            )
            continue
        results.append(AnswerResult(item.client_id, criterion.pk, "saved" if row else "stale"))
    if inspection.status == InspectionStatus.PLANNED and any(r.status == "saved" for r in results):
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.started_at = now
        with acting_as(actor):
            inspection.save(update_fields=["status", "started_at"])
    return results


@transaction.atomic
def add_photo(
    *,
    actor: User,
    inspection: Inspection,
    upload: UploadedFile[bytes],
    client_id: uuid.UUID | None = None,
    criterion: Criterion | None = None,
) -> tuple[Photo, bool]:
    """Store a photo without its metadata; the same client id sent twice stores it once."""
    ensure_allowed(can_conduct(actor, inspection))
    client_id = client_id or uuid.uuid4()
    existing = Photo.objects.filter(client_id=client_id, inspection=inspection).first()
    if existing is not None:
        return existing, False
    ensure_open(inspection)
    if criterion is not None and criterion.section.version_id != inspection.template_version_id:
        raise ValidationError({"criterion": _("This criterion is not in the checklist.")})
    clean = clean_photo(upload)
    photo = Photo(
        inspection=inspection,
        criterion=criterion,
        client_id=client_id,
        width=clean.width,
        height=clean.height,
        original_format=clean.original_format,
        uploaded_by=actor,
    )
    photo.file.save(clean.content.name or "", clean.content, save=False)
    with acting_as(actor):
        photo.save()
    return photo, True


@transaction.atomic
def delete_photo(*, actor: User, photo: Photo) -> None:
    ensure_allowed(can_conduct(actor, photo.inspection))
    ensure_open(photo.inspection)
    with acting_as(actor):
        photo.file.delete(save=False)
        photo.delete()


def compute_score(inspection: Inspection) -> scoring.Result:
    sections = inspection.template_version.sections.prefetch_related("criteria")
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    return scoring.score(sections, answers)


def missing_items(inspection: Inspection) -> list[str]:
    """What stops submission: unanswered criteria and required photos not taken."""
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    with_photos = set(inspection.photos.values_list("criterion_id", flat=True))
    problems = []
    for criterion in inspection.template_version.criteria():
        answer = answers.get(criterion.pk)
        if answer is None:
            problems.append(_("%(ref)s is not answered.") % {"ref": criterion.ref})
        elif (
            criterion.photo_required
            and not answer.not_applicable
            and criterion.pk not in with_photos
        ):
            problems.append(_("%(ref)s needs a photo.") % {"ref": criterion.ref})
    return problems


def next_document_number(inspection: Inspection, day: datetime.date) -> str:
    OrgUnit.objects.select_for_update().get(pk=inspection.inspecting_unit_id)
    count = (
        Inspection.objects.filter(
            inspecting_unit=inspection.inspecting_unit_id,
            submitted_at__year=day.year,
            status=InspectionStatus.SUBMITTED,
        )
        .exclude(pk=inspection.pk)
        .count()
    )
    return DOCUMENT_NUMBER_FORMAT % {"number": count + 1}


@transaction.atomic
def submit_inspection(
    *, actor: User, inspection: Inspection, inspected_on: datetime.date | None = None
) -> Inspection:
    """Compute the score and lock the inspection. `inspected_on`: the day it took place,
    for one entered afterwards (default: today); its documents carry that day."""
    ensure_allowed(can_conduct(actor, inspection))
    if inspected_on is not None and inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("The inspection date cannot be in the future.")})
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    ensure_open(inspection)
    problems = missing_items(inspection)
    if problems:
        raise ValidationError(
            _("The inspection cannot be submitted yet: %(problems)s")
            % {"problems": " ".join(problems)}
        )
    result = compute_score(inspection)
    now = timezone.now()
    inspection.score = result.percent
    inspection.section_scores = result.as_json()
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = now
    inspection.submitted_by = actor
    inspection.started_at = inspection.started_at or now
    if inspected_on is not None and inspected_on != timezone.localdate(now):
        inspection.inspected_on = inspected_on
    if not inspection.document_number:
        day = inspection.inspected_on or timezone.localdate(now)  # inspection.day, submitted
        inspection.document_number = next_document_number(inspection, day)
    with acting_as(actor):
        inspection.save()
    return inspection


@transaction.atomic
def amend_answer(
    *,
    actor: User,
    inspection: Inspection,
    criterion: Criterion,
    value: str = "",
    not_applicable: bool = False,
    note: str | None = None,
    reason: str,
) -> Amendment:
    """Correct an answer of a submitted inspection: the score is recomputed and the change,
    its reason and its author are kept (and audited)."""
    ensure_allowed(can_conduct(actor, inspection))
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not inspection.is_submitted():
        raise ValidationError(_("Only a submitted inspection is amended; change the answer."))
    if criterion.section.version_id != inspection.template_version_id:
        raise ValidationError({"criterion": _("This criterion is not in the checklist.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is corrected.")})
    item = AnswerIn(uuid.uuid4(), criterion.pk, value, not_applicable, note or "")
    try:
        new_value, new_na = _validated(criterion, item)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    answer = Answer.objects.filter(inspection=inspection, criterion=criterion).first()
    before = (
        {"value": answer.value, "not_applicable": answer.not_applicable, "note": answer.note}
        if answer
        else {}
    )
    score_before = inspection.score
    with acting_as(actor):
        if answer is None:
            answer = Answer(
                inspection=inspection,
                criterion=criterion,
                client_id=item.client_id,
                answered_at=timezone.now(),
            )
        answer.value, answer.not_applicable = new_value, new_na
        if note is not None:
            answer.note = note.strip()
        answer.answered_by = actor
        answer.answered_at = timezone.now()
        answer.save()
        result = compute_score(inspection)
        inspection.score = result.percent
        inspection.section_scores = result.as_json()
        inspection.save(update_fields=["score", "section_scores"])
        return Amendment.objects.create(
            inspection=inspection,
            criterion=criterion,
            before=before,
            after={
                "value": answer.value,
                "not_applicable": answer.not_applicable,
                "note": answer.note,
            },
            reason=reason.strip(),
            score_before=score_before,
            score_after=inspection.score,
            made_by=actor,
        )
