"""Public-place reports: filing one (web form, Open311) and its handling."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.attachments import PHOTOS, clean_attachment
from civility.core.audit import acting_as, anonymously
from civility.core.receipts import new_secret, secret_matches
from civility.core.validators import web_link
from civility.feedback import conf
from civility.feedback.models import (
    STAFF_ROLES,
    PublicReport,
    ReportCategory,
    ReportChannel,
    ReportStatus,
    ReportUpdate,
    new_receipt,
)
from civility.feedback.routing import route_report
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, Place
from civility.orgs.scopes import MANAGER_ROLES, scope_of


@dataclass
class ReportInput:
    category: ReportCategory
    description: str
    place: Place | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    photo: UploadedFile[bytes] | None = None
    media_url: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    # Answers to the category's questions, checked by the caller (Open311's attribute[...]).
    attributes: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def submit_report(
    *, data: ReportInput, channel: str = ReportChannel.WEB
) -> tuple[PublicReport, str]:
    """Store a citizen's report with a receipt code, routed to the responsible commune;
    returns it with the reporter's secret, to be shown once (only its hash is kept).
    Throttling is the caller's (it knows the device); no network data is stored."""
    # Optional here as in Open311 (the category, place and answers may say enough); the web
    # form asks for it through the model field.
    description = data.description.strip()
    if not data.category.is_active:
        raise ValidationError({"category": _("This category no longer takes reports.")})
    if data.place is None and data.latitude is None and not data.address.strip():
        raise ValidationError({"place": _("Choose a place, a point on the map or an address.")})
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude.")})
    now = timezone.now()
    secret, secret_hash = new_secret()
    report = PublicReport(
        secret_hash=secret_hash,
        category=data.category,
        description=description,
        place=data.place,
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address.strip(),
        unit=route_report(
            place=data.place,
            latitude=data.latitude,
            longitude=data.longitude,
            address=data.address,
        ),
        media_url=web_link(data.media_url, field="media_url"),
        contact_name=data.contact_name.strip(),
        contact_email=data.contact_email.strip(),
        contact_phone=data.contact_phone.strip(),
        attributes=data.attributes,
        channel=channel,
        submitted_at=now,
        updated_at=now,
        due_at=now + datetime.timedelta(days=conf.report_due_days()),
    )
    if data.photo:
        photo = clean_attachment(data.photo, field="photo", accept=PHOTOS, keep_name=False)
        report.photo.save(photo.name, photo, save=False)
    with anonymously():
        for _attempt in range(5):
            report.receipt = new_receipt()
            try:
                with transaction.atomic():
                    report.save()
                break
            except IntegrityError:
                report.pk = None
                continue
        ReportUpdate.objects.create(report=report, status=ReportStatus.NEW, created_at=now)
    return report, secret


def _check_report(actor: User, report: PublicReport) -> None:
    if not scope_of(actor).covers(report.unit, roles=STAFF_ROLES):
        raise PermissionDenied


def _step(
    actor: User, report: PublicReport, status: str, note: str, *, is_public: bool = True
) -> None:
    now = timezone.now()
    report.status = status
    report.updated_at = now
    if status in (ReportStatus.CLOSED, ReportStatus.REJECTED, ReportStatus.MERGED):
        report.closed_at = now
    with acting_as(actor):
        report.save()
        ReportUpdate.objects.create(
            report=report,
            status=status,
            note=note.strip(),
            is_public=is_public,
            author=actor,
            created_at=now,
        )


@transaction.atomic
def accept_report(*, actor: User, report: PublicReport, note: str = "") -> PublicReport:
    _check_report(actor, report)
    if report.status != ReportStatus.NEW:
        raise ValidationError(_("Only a new report can be accepted."))
    _step(actor, report, ReportStatus.ACCEPTED, note)
    return report


@transaction.atomic
def reject_report(*, actor: User, report: PublicReport, reason: str) -> PublicReport:
    _check_report(actor, report)
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the report.")})
    _step(actor, report, ReportStatus.REJECTED, reason)
    return report


@transaction.atomic
def merge_report(*, actor: User, report: PublicReport, into: PublicReport) -> PublicReport:
    _check_report(actor, report)
    _check_report(actor, into)
    if into.pk == report.pk or into.duplicate_of_id == report.pk:
        raise ValidationError({"into": _("A report cannot be merged into itself.")})
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    while into.duplicate_of is not None:  # merge into the survivor of a chain
        into = into.duplicate_of
    report.duplicate_of = into
    _step(
        actor,
        report,
        ReportStatus.MERGED,
        _("Handled together with report %(receipt)s.") % {"receipt": into.receipt},
    )
    return report


@transaction.atomic
def add_report_note(
    *, actor: User, report: PublicReport, note: str, is_public: bool = True
) -> PublicReport:
    _check_report(actor, report)
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    _step(actor, report, ReportStatus.IN_PROGRESS, note, is_public=is_public)
    return report


@transaction.atomic
def close_report(*, actor: User, report: PublicReport, public_note: str) -> PublicReport:
    _check_report(actor, report)
    if report.status not in (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS):
        raise ValidationError(_("Accept the report before closing it."))
    if not public_note.strip():
        raise ValidationError({"public_note": _("Tell the public what was done.")})
    _step(actor, report, ReportStatus.CLOSED, public_note)
    return report


@transaction.atomic
def reassign_report(*, actor: User, report: PublicReport, unit: OrgUnit) -> PublicReport:
    _check_report(actor, report)
    if not scope_of(actor).covers(unit) and not scope_of(actor).covers(
        report.unit, roles=MANAGER_ROLES
    ):
        raise PermissionDenied
    if unit.kind not in COMMUNE_LEVEL_KINDS:
        raise ValidationError({"unit": _("Reports go to a commune or ward.")})
    report.unit = unit
    _step(
        actor,
        report,
        report.status,
        _("Sent to %(unit)s.") % {"unit": unit.name},
        is_public=True,
    )
    return report


@transaction.atomic
def add_outside_update(*, report: PublicReport, note: str) -> tuple[ReportUpdate, bool]:
    """A message about a report from outside Civility (FixMyStreet posts its users' updates
    over Open311): kept for the commune's staff only, the report's state unchanged (only
    staff move it). The same note on the same report is stored once (a client's retry);
    returns the update and whether it is new."""
    note = note.strip()
    if not note:
        raise ValidationError({"description": _("Write the update.")})
    report = PublicReport.objects.select_for_update().get(pk=report.pk)
    existing = report.updates.filter(is_public=False, author=None, note=note).first()
    if existing is not None:
        return existing, False
    with anonymously():
        update = ReportUpdate.objects.create(
            report=report, status=report.status, note=note, is_public=False
        )
    return update, True


@transaction.atomic
def record_handling_satisfaction(
    *, report: PublicReport, secret: str, satisfied: bool
) -> PublicReport:
    """The reporter's answer once the report is closed (Civility's own indicator of report
    handling, not a Decision 766 rate). The receipt code is public, so only the reporter's
    secret gives or changes the answer; each change is in the audit trail (with no actor or
    address)."""
    if report.status != ReportStatus.CLOSED:
        raise ValidationError(_("You can answer once the report is closed."))
    if not secret_matches(secret, report.secret_hash):
        raise ValidationError({"secret": _("This secret does not match the receipt code.")})
    report = PublicReport.objects.select_for_update().get(pk=report.pk)
    if report.citizen_satisfied is not satisfied:
        report.citizen_satisfied = satisfied
        with acting_as(None):
            report.save(update_fields=["citizen_satisfied"])
    return report
