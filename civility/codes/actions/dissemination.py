"""Workflows for dissemination activities: record one and verify it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.codes.models import (
    PLACE_KIND_OF_PLACE,
    Code,
    DisseminationActivity,
    DisseminationAttachment,
)
from civility.core.attachments import OFFICE_AND_TEXT, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.orgs.models import OrgUnit, Place
from civility.orgs.scopes import MANAGER_ROLES, scope_of


@transaction.atomic
def record_activity(
    *,
    actor: User,
    unit: OrgUnit,
    kind: str,
    target_groups: list[str],
    held_on: datetime.date,
    reached: int = 0,
    code: Code | None = None,
    place_kind: str = "",
    place: Place | None = None,
    notes: str = "",
    files: Iterable[UploadedFile[bytes]] = (),
) -> DisseminationActivity:
    if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied
    if place is not None and not place.unit.path.startswith(unit.path):
        raise ValidationError({"place": _("The place must be in the unit or below it.")})
    if place is not None and not place_kind:
        place_kind = PLACE_KIND_OF_PLACE.get(place.kind, "")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    activity = DisseminationActivity(
        unit=unit,
        kind=kind,
        target_groups=list(dict.fromkeys(target_groups)),
        held_on=held_on,
        reached=reached,
        code=code,
        place_kind=place_kind,
        place=place,
        notes=notes.strip(),
        recorded_by=actor,
    )
    activity.full_clean()
    contents = [
        clean_attachment(upload, field="attachments", accept=OFFICE_AND_TEXT) for upload in files
    ]
    with acting_as(actor):
        activity.save()
        for content in contents:
            DisseminationAttachment.objects.create(
                activity=activity, file=content, filename=display_name(content.name)
            )
    return activity


def can_verify_activity(user: User, activity: DisseminationActivity) -> bool:
    """A manager of a unit above the activity's unit (the level that asked for the report)
    verifies it, never the person who recorded it."""
    if activity.recorded_by_id is not None and activity.recorded_by_id == user.pk:
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    return any(
        activity.unit.path.startswith(path) and path != activity.unit.path
        for path in scope.paths_with_role(*MANAGER_ROLES)
    )


@transaction.atomic
def verify_activity(
    *,
    actor: User,
    activity: DisseminationActivity,
    reached: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> DisseminationActivity:
    """Record the number of people reached that the evidence supports, next to the unit's
    own figure (which stays as reported). Done once; a differing figure needs a note."""
    activity = (
        DisseminationActivity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    )
    if not can_verify_activity(actor, activity):
        raise PermissionDenied
    if activity.is_verified():
        raise ValidationError(_("This activity is already verified."))
    if reached < 0:
        raise ValidationError({"reached": _("The number of people reached cannot be negative.")})
    if reached != activity.reached and not note.strip():
        raise ValidationError(
            {"note": _("Say why the verified number differs from the one reported.")}
        )
    with acting_as(actor):
        activity.verify(by=actor, note=note, now=now, verified_reached=reached)
    return activity
