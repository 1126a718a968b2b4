"""Dossier figures of service points, imported or pushed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NoReturn

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.feedback.models import (
    DOSSIER_UNIT_KINDS,
    STAFF_ROLES,
    DossierStat,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of


@dataclass
class DossierRow:
    unit: OrgUnit
    period_start: datetime.date
    period_end: datetime.date
    received: int
    processed: int
    early: int
    on_time: int
    late: int
    online: int


def check_dossier_row(row: DossierRow, where: str = "") -> None:
    def fail(name: str, message: str) -> NoReturn:
        raise ValidationError({name: f"{where}{message}"})

    if row.unit.kind not in DOSSIER_UNIT_KINDS:
        fail("unit", _("Dossier figures belong to a service center, branch, point or counter."))
    if row.period_end < row.period_start:
        fail("period_end", _("The period ends before it starts."))
    for name in ("received", "processed", "early", "on_time", "late", "online"):
        if getattr(row, name) < 0:
            fail(name, _("Counts cannot be negative."))
    if row.early + row.on_time + row.late > row.processed:
        fail("processed", _("Early, on time and late add up to more than processed."))
    if row.online > row.received:
        fail("online", _("More dossiers received online than received."))


@transaction.atomic
def save_dossier_stats(*, actor: User, rows: list[DossierRow]) -> tuple[int, int]:
    """Create or replace figures per unit and period; all rows or none. (created, updated)"""
    scope = scope_of(actor)
    created = updated = 0
    with acting_as(actor):
        for number, row in enumerate(rows, start=1):
            where = _("Row %(row)s: ") % {"row": number} if len(rows) > 1 else ""
            check_dossier_row(row, where)
            if not scope.covers(row.unit, roles=STAFF_ROLES):
                raise PermissionDenied
            _stat, was_created = DossierStat.objects.update_or_create(
                unit=row.unit,
                period_start=row.period_start,
                period_end=row.period_end,
                defaults={
                    name: getattr(row, name)
                    for name in ("received", "processed", "early", "on_time", "late", "online")
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
