"""Workflows of good models and initiatives: registering them, changing their status, and
recording another unit replicating one."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.awards.actions.access import can_manage, ensure_allowed
from civility.awards.models.good_models import GoodModel, ModelStatus, Replication
from civility.core.audit import acting_as
from civility.orgs.models import Official, OrgUnit

# --- Good models and replication ---------------------------------------------------------


@transaction.atomic
def register_good_model(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    category: str,
    started_on: datetime.date,
    authors: Sequence[Official] = (),
    **fields: Any,
) -> GoodModel:
    ensure_allowed(can_manage(actor, unit))
    model = GoodModel(
        unit=unit,
        name=name.strip(),
        category=category,
        started_on=started_on,
        created_by=actor,
        **fields,
    )
    model.full_clean()
    for author in authors:
        if not author.unit.path.startswith(unit.path.split("/")[0] + "/"):
            raise ValidationError({"authors": _("An author is outside the province.")})
    with acting_as(actor):
        model.save()
        model.authors.set(authors)
    return model


@transaction.atomic
def change_model_status(
    *,
    actor: User,
    model: GoodModel,
    status: str,
    recognised_on: datetime.date | None = None,
    recognised_by: str = "",
    recognition_level: str = "",
) -> GoodModel:
    ensure_allowed(can_manage(actor, model.unit))
    if status not in ModelStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ModelStatus.RECOGNISED:
        if recognised_on is None:
            raise ValidationError({"recognised_on": _("Enter the date of recognition.")})
        if not recognised_by.strip():
            raise ValidationError({"recognised_by": _("Name the body and decision.")})
    with acting_as(actor):
        model.status = status
        if status == ModelStatus.RECOGNISED:
            model.recognised_on = recognised_on
            model.recognised_by = recognised_by.strip()
            model.recognition_level = recognition_level
        model.save()
    return model


@transaction.atomic
def replicate_model(
    *,
    actor: User,
    model: GoodModel,
    unit: OrgUnit,
    adopted_on: datetime.date,
    status: str = "adopted",
    note: str = "",
) -> Replication:
    """Record that `unit` takes up the model (its managers record it)."""
    ensure_allowed(can_manage(actor, unit))
    if unit.pk == model.unit_id:
        raise ValidationError({"unit": _("The owning unit does not replicate its own model.")})
    if adopted_on < model.started_on:
        raise ValidationError({"adopted_on": _("The model started later than this date.")})
    if adopted_on > timezone.localdate() and status != "planned":
        raise ValidationError({"adopted_on": _("The date is in the future.")})
    with acting_as(actor):
        replication, _created = Replication.objects.update_or_create(
            model=model,
            unit=unit,
            defaults={
                "adopted_on": adopted_on,
                "status": status,
                "note": note.strip(),
                "recorded_by": actor,
            },
        )
    return replication
