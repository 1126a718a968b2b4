"""Rotation of posts subject to periodic rotation: plans, completed rotations, deferrals and
other exceptions (Law on Anti-Corruption 2018 Art. 24-25; Decree 59/2019, amended by Decree
134/2021)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.evaluations.actions.common import (
    _require,
    can_manage,
)
from civility.evaluations.models import (
    RotationException,
    RotationExceptionKind,
    RotationPlan,
    RotationStatus,
)
from civility.evaluations.rules import ROTATION_EXEMPTIONS, retires_before_rotation
from civility.orgs.actions import update_official
from civility.orgs.models import Official, Post

# --- Rotation ----------------------------------------------------------------------------


@transaction.atomic
def plan_rotation(
    *, actor: User, official: Official, to_post: Post, planned_on: datetime.date, note: str = ""
) -> RotationPlan:
    _require(can_manage(actor, official.unit))
    if official.post_id is None:
        raise ValidationError({"official": _("This official holds no post to rotate from.")})
    if to_post.pk == official.post_id:
        raise ValidationError({"to_post": _("Choose a different post from the current one.")})
    if not official.unit.path.startswith(to_post.unit.path):
        raise ValidationError(
            {"to_post": _("This post is not in the catalogue of the official's unit or above.")}
        )
    if RotationPlan.objects.filter(official=official, status=RotationStatus.PLANNED).exists():
        raise ValidationError({"official": _("A rotation is already planned for this official.")})
    retirement = official.retirement_date
    if retirement is not None and retires_before_rotation(retirement, planned_on):
        raise ValidationError(
            {
                "planned_on": _(
                    "%(name)s retires on %(retirement)s, under 18 months after this date: no "
                    "rotation (%(source)s)."
                )
                % {
                    "name": official.full_name,
                    "retirement": retirement.strftime("%d/%m/%Y"),
                    "source": ROTATION_EXEMPTIONS,
                }
            }
        )
    deferral = next(
        (
            exception
            for exception in official.rotation_exceptions.filter(post_id=official.post_id)
            if exception.is_deferral() and exception.is_active(planned_on)
        ),
        None,
    )
    if deferral is not None:
        raise ValidationError(
            {
                "planned_on": _(
                    "The rotation is deferred on this date (%(ground)s); plan it after the "
                    "deferral ends (%(source)s)."
                )
                % {"ground": deferral.get_kind_display().lower(), "source": ROTATION_EXEMPTIONS}
            }
        )
    with acting_as(actor):
        return RotationPlan.objects.create(
            official=official,
            from_post_id=official.post_id,
            to_post=to_post,
            planned_on=planned_on,
            note=note.strip(),
            created_by=actor,
        )


@transaction.atomic
def complete_rotation(*, actor: User, plan: RotationPlan, done_on: datetime.date) -> RotationPlan:
    """Record the rotation as done and move the official to the new post from that day."""
    _require(can_manage(actor, plan.official.unit))
    plan = RotationPlan.objects.select_for_update().select_related("official__unit").get(pk=plan.pk)
    if plan.status != RotationStatus.PLANNED:
        raise ValidationError(_("Only a planned rotation can be completed."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A rotation is recorded once it has happened.")})
    plan.status = RotationStatus.DONE
    plan.done_on = done_on
    with acting_as(actor):
        plan.save(update_fields=["status", "done_on"])
    update_official(actor=actor, official=plan.official, post=plan.to_post, post_start_date=done_on)
    return plan


@transaction.atomic
def cancel_rotation(*, actor: User, plan: RotationPlan, note: str) -> RotationPlan:
    _require(can_manage(actor, plan.official.unit))
    if plan.status != RotationStatus.PLANNED:
        raise ValidationError(_("Only a planned rotation can be cancelled."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the rotation is cancelled.")})
    plan.status = RotationStatus.CANCELLED
    plan.note = (plan.note + "\n" + note.strip()).strip()
    with acting_as(actor):
        plan.save(update_fields=["status", "note"])
    return plan


@transaction.atomic
def grant_rotation_exception(
    *,
    actor: User,
    official: Official,
    reason: str,
    kind: str = RotationExceptionKind.OTHER,
    starts_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> RotationException:
    """Record why the official is not rotated from `starts_on` (today by default) until
    `valid_until` (until further notice when empty): a deferral under Decree 59/2019 or
    another reason, stated in `reason` either way."""
    _require(can_manage(actor, official.unit))
    if official.post is None or not official.post.is_sensitive:
        raise ValidationError(
            {"official": _("This official does not hold a post subject to periodic rotation.")}
        )
    if kind not in RotationExceptionKind.values:
        raise ValidationError({"kind": _("Choose the ground.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the exception.")})
    starts_on = starts_on or timezone.localdate()
    if valid_until is not None and valid_until < starts_on:
        raise ValidationError({"valid_until": _("The end date is before the start date.")})
    with acting_as(actor):
        return RotationException.objects.create(
            official=official,
            post=official.post,
            kind=kind,
            reason=reason.strip(),
            starts_on=starts_on,
            valid_until=valid_until,
            granted_by=actor,
        )
